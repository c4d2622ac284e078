package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"batchdesk/backend/crm"
)

// LedgerSchema is the PostgreSQL schema of the resume ledger.
const LedgerSchema = "batchdesk"

// pgLedgerDDL creates the ledger: one row per committed batch, written in
// the batch's own transaction.
const pgLedgerDDL = `CREATE SCHEMA IF NOT EXISTS batchdesk;
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

func ensurePGLedger(ctx context.Context, pool *pgxpool.Pool) error {
	var exists bool
	if err := pool.QueryRow(ctx, "SELECT to_regclass('batchdesk.ledger') IS NOT NULL").Scan(&exists); err != nil {
		return fmt.Errorf("resume ledger: %w", err)
	}
	if exists {
		return addPGLedgerAdded(ctx, pool)
	}
	_, err := pool.Exec(ctx, pgLedgerDDL)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "42P07" || pe.Code == "42P06") {
		err = nil // created by a concurrent job
	}
	if err != nil {
		return fmt.Errorf("create resume ledger: %w", err)
	}
	return nil
}

// addPGLedgerAdded adds rows_added to a ledger created before it had one
// (checked first: ALTER TABLE would lock the ledger of every running job).
func addPGLedgerAdded(ctx context.Context, pool *pgxpool.Pool) error {
	var has bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
		WHERE attrelid = 'batchdesk.ledger'::regclass AND attname = 'rows_added' AND NOT attisdropped)`).Scan(&has); err != nil {
		return fmt.Errorf("resume ledger: %w", err)
	}
	if has {
		return nil
	}
	if _, err := pool.Exec(ctx, "ALTER TABLE batchdesk.ledger ADD COLUMN IF NOT EXISTS rows_added bigint"); err != nil {
		return fmt.Errorf("resume ledger: %w", err)
	}
	return nil
}

type ledgerError struct {
	Line    int64  `json:"line"`
	Code    string `json:"code"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

func encodeErrors(errs []RowError) []byte {
	out := make([]ledgerError, len(errs))
	for i, e := range errs {
		out[i] = ledgerError{e.Line, e.Code, e.Column, e.Message}
	}
	b, _ := json.Marshal(out)
	return b
}

func decodeErrors(b []byte) []RowError {
	var in []ledgerError
	_ = json.Unmarshal(b, &in)
	out := make([]RowError, len(in))
	for i, e := range in {
		out[i] = RowError{Line: e.Line, Code: e.Code, Column: e.Column, Message: e.Message}
	}
	return out
}

func writePGLedger(ctx context.Context, tx pgx.Tx, p Plan, w *work) error {
	_, err := tx.Exec(ctx, `INSERT INTO batchdesk.ledger (job_id, stage, batch, first_line, last_line, rows_written, rows_added, errors)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.JobID, p.Stage, w.seq, w.first, w.last, w.written, w.added, string(encodeErrors(w.errs)))
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return errAlreadyDone
	}
	if err != nil {
		return fmt.Errorf("resume ledger, batch %d: %w", w.seq, err)
	}
	return nil
}

func (b *pgBackend) ledger(ctx context.Context, job, stage string) (map[int]LedgerEntry, error) {
	rows, err := b.pool.Query(ctx, `SELECT batch, first_line, last_line, rows_written, coalesce(rows_added, 0), errors::text
		FROM batchdesk.ledger WHERE job_id = $1 AND stage = $2`, job, stage)
	if err != nil {
		return nil, fmt.Errorf("read resume ledger: %w", err)
	}
	defer rows.Close()
	return scanLedger(rows)
}

// ledgerRows is what pgx.Rows and *sql.Rows share for reading the ledger.
type ledgerRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// scanLedger reads ledger rows (batch, first_line, last_line, rows_written,
// rows_added, errors as JSON text) into entries by batch number, the same for every
// dialect. It does not close the rows.
func scanLedger(rows ledgerRows) (map[int]LedgerEntry, error) {
	out := map[int]LedgerEntry{}
	for rows.Next() {
		var e LedgerEntry
		var errs string
		if err := rows.Scan(&e.Seq, &e.FirstLine, &e.LastLine, &e.Written, &e.Added, &errs); err != nil {
			return nil, err
		}
		e.Errors = decodeErrors([]byte(errs))
		out[e.Seq] = e
	}
	return out, rows.Err()
}

// Written returns the rows the CRM's resume ledger says job wrote, all
// stages together (0 when the CRM has no ledger yet). A restart asks it
// before running a job's rows again, so none is written twice.
func Written(ctx context.Context, target crm.Target, job string) (int64, error) {
	var n int64
	switch t := target.(type) {
	case poolTarget:
		var exists bool
		if err := t.Pool().QueryRow(ctx, "SELECT to_regclass('batchdesk.ledger') IS NOT NULL").Scan(&exists); err != nil || !exists {
			return 0, err
		}
		err := t.Pool().QueryRow(ctx, "SELECT coalesce(sum(rows_written), 0)::int8 FROM batchdesk.ledger WHERE job_id = $1", job).Scan(&n)
		return n, err
	case dbTarget:
		var exists int
		if err := t.DB().QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'batchdesk_ledger'").Scan(&exists); err != nil || exists == 0 {
			return 0, err
		}
		err := t.DB().QueryRowContext(ctx, "SELECT coalesce(sum(rows_written), 0) FROM batchdesk_ledger WHERE job_id = ?", job).Scan(&n)
		return n, err
	}
	return 0, nil
}
