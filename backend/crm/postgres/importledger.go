package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"batchdesk/backend/crm/crmdb"
)

// The import's resume ledger: one row per committed batch, in schema
// batchdesk beside the CRM's own.
const importLedgerDDL = `CREATE SCHEMA IF NOT EXISTS batchdesk;
CREATE TABLE IF NOT EXISTS batchdesk.ledger (
	job_id       text        NOT NULL,
	stage        text        NOT NULL,
	batch        integer     NOT NULL,
	first_line   bigint      NOT NULL,
	last_line    bigint      NOT NULL,
	rows_written bigint      NOT NULL,
	rows_added   bigint,
	errors       jsonb       NOT NULL DEFAULT '[]',
	committed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (job_id, stage, batch)
)`

// EnsureImportLedger creates the import's resume ledger, or adds
// rows_added to one created before it had the column (checked first:
// ALTER TABLE would lock the ledger of every running job).
func (t *Target) EnsureImportLedger(ctx context.Context) error {
	var exists bool
	if err := t.pool.QueryRow(ctx, "SELECT to_regclass('batchdesk.ledger') IS NOT NULL").Scan(&exists); err != nil {
		return fmt.Errorf("resume ledger: %w", err)
	}
	if exists {
		var has bool
		if err := t.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
			WHERE attrelid = 'batchdesk.ledger'::regclass AND attname = 'rows_added' AND NOT attisdropped)`).Scan(&has); err != nil {
			return fmt.Errorf("resume ledger: %w", err)
		}
		if has {
			return nil
		}
		if _, err := t.pool.Exec(ctx, "ALTER TABLE batchdesk.ledger ADD COLUMN IF NOT EXISTS rows_added bigint"); err != nil {
			return fmt.Errorf("resume ledger: %w", err)
		}
		return nil
	}
	_, err := t.pool.Exec(ctx, importLedgerDDL)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "42P07" || pe.Code == "42P06") {
		err = nil // created by a concurrent job
	}
	if err != nil {
		return fmt.Errorf("create resume ledger: %w", err)
	}
	return nil
}

// ImportLedger returns the batches of job and stage the ledger holds.
func (t *Target) ImportLedger(ctx context.Context, job, stage string) ([]crmdb.ImportBatch, error) {
	rows, err := t.pool.Query(ctx, `SELECT batch, first_line, last_line, rows_written, coalesce(rows_added, 0), errors::text
		FROM batchdesk.ledger WHERE job_id = $1 AND stage = $2`, job, stage)
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
	var exists bool
	if err := t.pool.QueryRow(ctx, "SELECT to_regclass('batchdesk.ledger') IS NOT NULL").Scan(&exists); err != nil || !exists {
		return 0, err
	}
	var n int64
	err := t.pool.QueryRow(ctx, "SELECT coalesce(sum(rows_written), 0)::int8 FROM batchdesk.ledger WHERE job_id = $1", job).Scan(&n)
	return n, err
}

// RecordImportBatch writes b to the ledger in tx, the batch's own
// transaction; crmdb.ErrBatchRecorded when it is there already.
func RecordImportBatch(ctx context.Context, tx pgx.Tx, b crmdb.ImportBatch) error {
	_, err := tx.Exec(ctx, `INSERT INTO batchdesk.ledger (job_id, stage, batch, first_line, last_line, rows_written, rows_added, errors)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, b.Job, b.Stage, b.Seq, b.FirstLine, b.LastLine, b.Written, b.Added, b.Errors)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return crmdb.ErrBatchRecorded
	}
	if err != nil {
		return fmt.Errorf("resume ledger, batch %d: %w", b.Seq, err)
	}
	return nil
}

const jobFilesDDL = `CREATE SCHEMA IF NOT EXISTS batchdesk;
CREATE TABLE IF NOT EXISTS batchdesk.job_file (
	job_id   text        NOT NULL,
	position integer     NOT NULL,
	path     text        NOT NULL,
	size     bigint      NOT NULL,
	mod_time timestamptz NOT NULL,
	sha256   text        NOT NULL,
	PRIMARY KEY (job_id, position)
)`

// RecordJobFiles stores the files of job, replacing earlier ones of it.
func (t *Target) RecordJobFiles(ctx context.Context, job string, files []crmdb.JobFile) error {
	if _, err := t.pool.Exec(ctx, jobFilesDDL); err != nil {
		return fmt.Errorf("record job files: %w", err)
	}
	b := &pgx.Batch{}
	b.Queue("DELETE FROM batchdesk.job_file WHERE job_id = $1", job)
	for i, f := range files {
		b.Queue("INSERT INTO batchdesk.job_file VALUES ($1, $2, $3, $4, $5, $6)", job, i, f.Path, f.Size, f.ModTime, f.SHA256)
	}
	if err := t.pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("record job files: %w", err)
	}
	return nil
}

// JobFiles returns the files RecordJobFiles stored for job, in order
// (none when it stored nothing).
func (t *Target) JobFiles(ctx context.Context, job string) ([]crmdb.JobFile, error) {
	var exists bool
	if err := t.pool.QueryRow(ctx, "SELECT to_regclass('batchdesk.job_file') IS NOT NULL").Scan(&exists); err != nil || !exists {
		return nil, err
	}
	rows, err := t.pool.Query(ctx, "SELECT path, size, mod_time, sha256 FROM batchdesk.job_file WHERE job_id = $1 ORDER BY position", job)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crmdb.JobFile
	for rows.Next() {
		var f crmdb.JobFile
		if err := rows.Scan(&f.Path, &f.Size, &f.ModTime, &f.SHA256); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
