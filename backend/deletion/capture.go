package deletion

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm/fkgraph"
)

// Files of a delete job in its reports folder.
const (
	idsFile      = "ids.txt"      // the captured ids, one per line, in table order
	manifestFile = "capture.json" // what was captured and backed up
	blockedFile  = "blocked.txt"  // the ids left out by SkipBlocked
	backupFile   = "backup.zip"
)

// manifest records a job's capture: written once the ids file is safely on
// disk, rewritten when the backup is checked. Its presence means the record
// set is fixed.
type manifest struct {
	Preview Preview `json:"preview"`
	// IDs is how many ids ids.txt holds and SHA256 its digest, checked on
	// every resume.
	IDs    int64  `json:"ids"`
	SHA256 string `json:"sha256"`
	// Backup is the checked backup, nil until written (or with NoBackup).
	Backup *BackupInfo `json:"backup,omitempty"`
}

// capture counts and captures the ids of the records that go, in one
// snapshot, into dir (ids.txt, blocked.txt), each file fsynced and renamed
// into place. The caller writes the manifest (capture.json) once the
// capture passed its checks: only then is the record set fixed.
func (p *plan) capture(ctx context.Context, dir string) (*manifest, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	m := &manifest{}
	ids := newIDWriter()
	var blocked []string
	err := p.t.Snapshot(ctx, func(q fkgraph.Querier) error {
		var err error
		if m.Preview, err = p.preview(ctx, q); err != nil {
			return err
		}
		cq, err := p.graph.Capture()
		if err != nil {
			return err
		}
		if err := q.Strings(ctx, cq, ids.add); err != nil {
			return fmt.Errorf("capture the ids: %w", err)
		}
		if p.req.SkipBlocked && m.Preview.Blocked > 0 {
			bq, err := p.graph.ListBlocked(0)
			if err != nil {
				return err
			}
			return q.Strings(ctx, bq, func(s string) error { blocked = append(blocked, s); return nil })
		}
		return nil
	})
	if err != nil {
		return nil, wrapDB(err, "capture the records to delete")
	}
	if ids.n != m.Preview.Total {
		return nil, apperr.New(apperr.Internal, "captured %d ids but counted %d in the same snapshot", ids.n, m.Preview.Total)
	}
	m.IDs, m.SHA256 = ids.n, ids.sum()
	if err := writeFileSync(filepath.Join(dir, idsFile), ids.Bytes()); err != nil {
		return nil, err
	}
	if len(blocked) > 0 {
		if err := writeFileSync(filepath.Join(dir, blockedFile), []byte(strings.Join(encodeAll(blocked), ""))); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *manifest) write(dir string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the capture: %w", err)
	}
	return writeFileSync(filepath.Join(dir, manifestFile), b)
}

// readManifest returns the job's capture, or nil when none was made.
func readManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the capture: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, apperr.Wrap(err, apperr.Conflict, "the capture %s is damaged", filepath.Join(dir, manifestFile))
	}
	return &m, nil
}

// readIDs reads the captured ids and checks them against the manifest.
func readIDs(dir string, m *manifest) ([]string, error) {
	path := filepath.Join(dir, idsFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Conflict, "cannot read the captured ids %s: %v", path, err)
	}
	h := sha256.Sum256(b)
	if hex.EncodeToString(h[:]) != m.SHA256 {
		return nil, apperr.New(apperr.Conflict, "the captured ids %s changed since the job started: refusing to delete", path)
	}
	ids, err := decodeIDs(b)
	if err != nil || int64(len(ids)) != m.IDs {
		return nil, apperr.New(apperr.Conflict, "the captured ids %s are damaged: refusing to delete", path)
	}
	return ids, nil
}

// idWriter collects ids in their file form and counts them.
type idWriter struct {
	buf bytes.Buffer
	n   int64
}

func newIDWriter() *idWriter { return &idWriter{} }

func (w *idWriter) add(id string) error {
	w.buf.WriteString(encodeID(id))
	w.n++
	return nil
}

func (w *idWriter) sum() string {
	h := sha256.Sum256(w.buf.Bytes())
	return hex.EncodeToString(h[:])
}

func (w *idWriter) Bytes() []byte { return w.buf.Bytes() }

// encodeID is one line of ids.txt: the id as is, or Go-quoted when it
// holds a quote, a line break or leading/trailing space.
func encodeID(id string) string {
	if id == "" || strings.ContainsAny(id, "\"\r\n") || strings.TrimSpace(id) != id {
		return strconv.Quote(id) + "\n"
	}
	return id + "\n"
}

func encodeAll(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = encodeID(id)
	}
	return out
}

func decodeIDs(b []byte) ([]string, error) {
	var out []string
	r := bufio.NewReader(bytes.NewReader(b))
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			if line != "" {
				return nil, fmt.Errorf("unterminated line")
			}
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		line = strings.TrimSuffix(line, "\n")
		if strings.HasPrefix(line, `"`) {
			if line, err = strconv.Unquote(line); err != nil {
				return nil, err
			}
		}
		out = append(out, line)
	}
}

// writeFileSync writes path via path.part, fsyncs it, renames it into place
// and fsyncs the folder, so a crash leaves the old file or the new one.
func writeFileSync(path string, data []byte) error {
	tmp := path + ".part"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
