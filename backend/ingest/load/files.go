package load

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmdb"
)

// FileStamp identifies the exact content of an input file of a job, so that
// a resume can refuse a file that changed.
type FileStamp struct {
	Path    string
	Size    int64
	ModTime time.Time
	SHA256  string // hex; "" when not computed yet
}

// Stamp reads the file once and returns its size, modification time and
// SHA-256.
func Stamp(path string) (FileStamp, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileStamp{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return FileStamp{}, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return FileStamp{}, err
	}
	return FileStamp{Path: path, Size: st.Size(), ModTime: st.ModTime().UTC().Truncate(time.Microsecond), SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// ErrFileChanged: a file of the job is not the one the job started with;
// the job cannot resume.
var ErrFileChanged = errors.New("file changed since the job started")

// RecordFiles stores the stamps of a job's files (position = order in the
// job) in the CRM beside the ledger, replacing earlier ones of the job.
func RecordFiles(ctx context.Context, target crm.Target, job string, files []FileStamp) error {
	lt, err := ledgerOf(target)
	if err != nil {
		return err
	}
	out := make([]crmdb.JobFile, len(files))
	for i, f := range files {
		out[i] = crmdb.JobFile(f)
	}
	return lt.RecordJobFiles(ctx, job, out)
}

// CheckFiles compares the files of a resumed job with the stamps recorded
// when it started. It returns an *apperr.Error (code Conflict) wrapping
// ErrFileChanged that names the file and what changed, or NotFound when the
// job left no record in this CRM.
func CheckFiles(ctx context.Context, target crm.Target, job string, files []FileStamp) error {
	lt, err := ledgerOf(target)
	if err != nil {
		return err
	}
	recorded, err := lt.JobFiles(ctx, job)
	if err != nil {
		return err
	}
	old := make([]FileStamp, len(recorded))
	for i, f := range recorded {
		old[i] = FileStamp(f)
	}
	if len(old) == 0 {
		return apperr.New(apperr.NotFound, "job %s has nothing to resume in this CRM", job)
	}
	if len(old) != len(files) {
		return apperr.Wrap(ErrFileChanged, apperr.Conflict, "job %s was started with %d file(s), not %d: start a new import", job, len(old), len(files))
	}
	for i, o := range old {
		n := files[i]
		var what string
		switch {
		case o.Size != n.Size:
			what = fmt.Sprintf("its size changed from %d to %d bytes", o.Size, n.Size)
		case !o.ModTime.Equal(n.ModTime.UTC().Truncate(time.Microsecond)):
			what = "it was modified (" + n.ModTime.Format(time.RFC3339) + ")"
		case o.SHA256 != "" && n.SHA256 != "" && o.SHA256 != n.SHA256:
			what = "its content changed"
		}
		if what != "" {
			return apperr.Wrap(ErrFileChanged, apperr.Conflict, "cannot resume job %s: %s changed since the job started — %s; start a new import instead", job, o.Path, what)
		}
	}
	return nil
}
