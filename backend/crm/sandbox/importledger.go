package sandbox

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"batchdesk/backend/crm/crmdb"
)

// The import's resume ledger: one row per committed batch.
const importLedgerDDL = `CREATE TABLE IF NOT EXISTS batchdesk_ledger (
	job_id       TEXT    NOT NULL,
	stage        TEXT    NOT NULL,
	batch        INTEGER NOT NULL,
	first_line   INTEGER NOT NULL,
	last_line    INTEGER NOT NULL,
	rows_written INTEGER NOT NULL,
	rows_added   INTEGER,
	errors       TEXT    NOT NULL DEFAULT '[]',
	committed_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (job_id, stage, batch)
)`

// EnsureImportLedger creates the import's resume ledger, or adds
// rows_added to one created before it had the column.
func (t *Target) EnsureImportLedger(ctx context.Context) error {
	if _, err := t.db.ExecContext(ctx, importLedgerDDL); err != nil {
		return fmt.Errorf("create resume ledger: %w", err)
	}
	var has int
	if err := t.db.QueryRowContext(ctx, "SELECT count(*) FROM pragma_table_info('batchdesk_ledger') WHERE name = 'rows_added'").Scan(&has); err != nil {
		return fmt.Errorf("resume ledger: %w", err)
	}
	if has == 0 {
		if _, err := t.db.ExecContext(ctx, "ALTER TABLE batchdesk_ledger ADD COLUMN rows_added INTEGER"); err != nil && !strings.Contains(err.Error(), "duplicate column") {
			return fmt.Errorf("resume ledger: %w", err)
		}
	}
	return nil
}

// ImportLedger returns the batches of job and stage the ledger holds.
func (t *Target) ImportLedger(ctx context.Context, job, stage string) ([]crmdb.ImportBatch, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT batch, first_line, last_line, rows_written, coalesce(rows_added, 0), errors
		FROM batchdesk_ledger WHERE job_id = ? AND stage = ?`, job, stage)
	if err != nil {
		return nil, fmt.Errorf("read resume ledger: %w", err)
	}
	defer rows.Close()
	var out []crmdb.ImportBatch
	for rows.Next() {
		b := crmdb.ImportBatch{Job: job, Stage: stage}
		if err := rows.Scan(&b.Seq, &b.FirstLine, &b.LastLine, &b.Written, &b.Added, &b.Errors); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// ImportWritten returns the records the ledger says job wrote, all stages
// together (0 when there is no ledger yet).
func (t *Target) ImportWritten(ctx context.Context, job string) (int64, error) {
	var exists int
	if err := t.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'batchdesk_ledger'").Scan(&exists); err != nil || exists == 0 {
		return 0, err
	}
	var n int64
	err := t.db.QueryRowContext(ctx, "SELECT coalesce(sum(rows_written), 0) FROM batchdesk_ledger WHERE job_id = ?", job).Scan(&n)
	return n, err
}

// Execer is a *sql.DB or *sql.Tx.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// RecordImportBatch writes b to the ledger in tx, the batch's own
// transaction; crmdb.ErrBatchRecorded when it is there already.
func RecordImportBatch(ctx context.Context, tx Execer, b crmdb.ImportBatch) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO batchdesk_ledger (job_id, stage, batch, first_line, last_line, rows_written, rows_added, errors)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, b.Job, b.Stage, b.Seq, b.FirstLine, b.LastLine, b.Written, b.Added, b.Errors)
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return crmdb.ErrBatchRecorded
	}
	if err != nil {
		return fmt.Errorf("resume ledger, batch %d: %w", b.Seq, err)
	}
	return nil
}

const jobFilesDDL = `CREATE TABLE IF NOT EXISTS batchdesk_job_file (
	job_id   TEXT    NOT NULL,
	position INTEGER NOT NULL,
	path     TEXT    NOT NULL,
	size     INTEGER NOT NULL,
	mod_time TEXT    NOT NULL,
	sha256   TEXT    NOT NULL,
	PRIMARY KEY (job_id, position)
)`

// RecordJobFiles stores the files of job, replacing earlier ones of it.
func (t *Target) RecordJobFiles(ctx context.Context, job string, files []crmdb.JobFile) error {
	if _, err := t.db.ExecContext(ctx, jobFilesDDL); err != nil {
		return fmt.Errorf("record job files: %w", err)
	}
	if _, err := t.db.ExecContext(ctx, "DELETE FROM batchdesk_job_file WHERE job_id = ?", job); err != nil {
		return err
	}
	for i, f := range files {
		if _, err := t.db.ExecContext(ctx, "INSERT INTO batchdesk_job_file VALUES (?, ?, ?, ?, ?, ?)",
			job, i, f.Path, f.Size, f.ModTime.Format(time.RFC3339Nano), f.SHA256); err != nil {
			return fmt.Errorf("record job files: %w", err)
		}
	}
	return nil
}

// JobFiles returns the files RecordJobFiles stored for job, in order
// (none when it stored nothing).
func (t *Target) JobFiles(ctx context.Context, job string) ([]crmdb.JobFile, error) {
	if _, err := t.db.ExecContext(ctx, jobFilesDDL); err != nil {
		return nil, err
	}
	rows, err := t.db.QueryContext(ctx, "SELECT path, size, mod_time, sha256 FROM batchdesk_job_file WHERE job_id = ? ORDER BY position", job)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crmdb.JobFile
	for rows.Next() {
		var f crmdb.JobFile
		var mt string
		if err := rows.Scan(&f.Path, &f.Size, &mt, &f.SHA256); err != nil {
			return nil, err
		}
		f.ModTime, _ = time.Parse(time.RFC3339Nano, mt)
		out = append(out, f)
	}
	return out, rows.Err()
}
