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

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
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

const pgFilesDDL = `CREATE SCHEMA IF NOT EXISTS batchdesk;
CREATE TABLE IF NOT EXISTS batchdesk.job_file (
	job_id   text        NOT NULL,
	position integer     NOT NULL,
	path     text        NOT NULL,
	size     bigint      NOT NULL,
	mod_time timestamptz NOT NULL,
	sha256   text        NOT NULL,
	PRIMARY KEY (job_id, position)
)`

const sqliteFilesDDL = `CREATE TABLE IF NOT EXISTS batchdesk_job_file (
	job_id   TEXT    NOT NULL,
	position INTEGER NOT NULL,
	path     TEXT    NOT NULL,
	size     INTEGER NOT NULL,
	mod_time TEXT    NOT NULL,
	sha256   TEXT    NOT NULL,
	PRIMARY KEY (job_id, position)
)`

// RecordFiles stores the stamps of a job's files (position = order in the
// job) in the CRM beside the ledger, replacing earlier ones of the job.
func RecordFiles(ctx context.Context, target crm.Target, job string, files []FileStamp) error {
	switch t := target.(type) {
	case poolTarget:
		pool := t.Pool()
		if _, err := pool.Exec(ctx, pgFilesDDL); err != nil {
			return fmt.Errorf("record job files: %w", err)
		}
		b := &pgx.Batch{}
		b.Queue("DELETE FROM batchdesk.job_file WHERE job_id = $1", job)
		for i, f := range files {
			b.Queue("INSERT INTO batchdesk.job_file VALUES ($1, $2, $3, $4, $5, $6)", job, i, f.Path, f.Size, f.ModTime, f.SHA256)
		}
		if err := pool.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("record job files: %w", err)
		}
	case dbTarget:
		db := t.DB()
		if _, err := db.ExecContext(ctx, sqliteFilesDDL); err != nil {
			return fmt.Errorf("record job files: %w", err)
		}
		if _, err := db.ExecContext(ctx, "DELETE FROM batchdesk_job_file WHERE job_id = ?", job); err != nil {
			return err
		}
		for i, f := range files {
			if _, err := db.ExecContext(ctx, "INSERT INTO batchdesk_job_file VALUES (?, ?, ?, ?, ?, ?)",
				job, i, f.Path, f.Size, f.ModTime.Format(time.RFC3339Nano), f.SHA256); err != nil {
				return fmt.Errorf("record job files: %w", err)
			}
		}
	}
	return nil
}

// CheckFiles compares the files of a resumed job with the stamps recorded
// when it started. It returns an *apperr.Error (code Conflict) wrapping
// ErrFileChanged that names the file and what changed, or NotFound when the
// job left no record in this CRM.
func CheckFiles(ctx context.Context, target crm.Target, job string, files []FileStamp) error {
	var old []FileStamp
	switch t := target.(type) {
	case poolTarget:
		var exists bool
		if err := t.Pool().QueryRow(ctx, "SELECT to_regclass('batchdesk.job_file') IS NOT NULL").Scan(&exists); err != nil {
			return err
		}
		if exists {
			rows, err := t.Pool().Query(ctx, "SELECT path, size, mod_time, sha256 FROM batchdesk.job_file WHERE job_id = $1 ORDER BY position", job)
			if err != nil {
				return err
			}
			for rows.Next() {
				var f FileStamp
				if err := rows.Scan(&f.Path, &f.Size, &f.ModTime, &f.SHA256); err != nil {
					rows.Close()
					return err
				}
				old = append(old, f)
			}
			rows.Close()
		}
	case dbTarget:
		if _, err := t.DB().ExecContext(ctx, sqliteFilesDDL); err != nil {
			return err
		}
		rows, err := t.DB().QueryContext(ctx, "SELECT path, size, mod_time, sha256 FROM batchdesk_job_file WHERE job_id = ? ORDER BY position", job)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f FileStamp
			var mt string
			if err := rows.Scan(&f.Path, &f.Size, &mt, &f.SHA256); err != nil {
				return err
			}
			f.ModTime, _ = time.Parse(time.RFC3339Nano, mt)
			old = append(old, f)
		}
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
