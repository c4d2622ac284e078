package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/fkgraph"
)

// ForeignKeys lists every foreign key of the database whose referenced
// table is outside PostgreSQL's own schemas, from pg_constraint, with its
// ON DELETE action and whether an index of the referencing table starts
// with its columns.
func (t *Target) ForeignKeys(ctx context.Context) ([]fkgraph.ForeignKey, error) {
	rows, err := t.pool.Query(ctx, foreignKeysQuery)
	if err != nil {
		return nil, fmt.Errorf("read foreign keys: %w", err)
	}
	defer rows.Close()
	var out []fkgraph.ForeignKey
	for rows.Next() {
		var fk fkgraph.ForeignKey
		var del string
		if err := rows.Scan(&fk.Name, &fk.Child.Schema, &fk.Child.Name, &fk.ChildCols,
			&fk.Parent.Schema, &fk.Parent.Name, &fk.ParentCols, &del, &fk.Indexed); err != nil {
			return nil, fmt.Errorf("read foreign keys: %w", err)
		}
		fk.OnDelete = pgAction(del)
		out = append(out, fk)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read foreign keys: %w", err)
	}
	return out, nil
}

func pgAction(c string) fkgraph.Action {
	switch c {
	case "c":
		return fkgraph.Cascade
	case "n":
		return fkgraph.SetNull
	case "d":
		return fkgraph.SetDefault
	case "r":
		return fkgraph.Restrict
	}
	return fkgraph.NoAction
}

// foreignKeysQuery reads the foreign keys; an index helps when its leading
// columns are the key's columns (in any order) and it has no predicate.
const foreignKeysQuery = `
SELECT con.conname, cn.nspname, c.relname,
  ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
  pn.nspname, p.relname,
  ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),
  con.confdeltype::text,
  EXISTS (SELECT 1 FROM pg_catalog.pg_index i
          WHERE i.indrelid = con.conrelid AND i.indpred IS NULL
            AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(con.conkey)] @> con.conkey
            AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(con.conkey)] <@ con.conkey)
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
JOIN pg_catalog.pg_class p ON p.oid = con.confrelid
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
WHERE con.contype = 'f' AND pn.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY cn.nspname, c.relname, con.conname`

// Dialect is fkgraph.Postgres.
func (t *Target) Dialect() fkgraph.Dialect { return fkgraph.Postgres }

// Snapshot runs fn with a querier that sees one snapshot of the database (a
// REPEATABLE READ, READ ONLY transaction), so counts and captured ids agree.
func (t *Target) Snapshot(ctx context.Context, fn func(fkgraph.Querier) error) error {
	return pgx.BeginTxFunc(ctx, t.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error { return fn(pgQuerier{tx}) })
}

type pgQuerier struct{ tx pgx.Tx }

func (q pgQuerier) Count(ctx context.Context, qq fkgraph.Query) (int64, error) {
	var n int64
	err := q.tx.QueryRow(ctx, qq.SQL, qq.Args...).Scan(&n)
	return n, err
}

func (q pgQuerier) Strings(ctx context.Context, qq fkgraph.Query, fn func(string) error) error {
	rows, err := q.tx.Query(ctx, qq.SQL, qq.Args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var s string
	for rows.Next() {
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PasswordChecked logs in afresh with a random wrong password: when that
// succeeds the server checks no password (trust authentication), and it
// returns false. An error means the server could not be asked.
func (t *Target) PasswordChecked(ctx context.Context) (bool, error) {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	err := t.VerifyPassword(ctx, "bd-probe-"+hex.EncodeToString(b))
	switch {
	case err == nil:
		return false, nil
	case apperr.CodeOf(err) == apperr.AuthFailed:
		return true, nil
	}
	return false, err
}

// deleteLedgerDDL: one row per committed delete batch, written in the
// batch's own transaction, so a resume skips exactly what committed.
const deleteLedgerDDL = `CREATE SCHEMA IF NOT EXISTS batchdesk;
CREATE TABLE IF NOT EXISTS batchdesk.delete_ledger (
	job_id       text        NOT NULL,
	batch        integer     NOT NULL,
	deleted      bigint      NOT NULL,
	failed       jsonb       NOT NULL DEFAULT '[]',
	committed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (job_id, batch)
)`

func (t *Target) ensureDeleteLedger(ctx context.Context) error {
	var exists bool
	if err := t.pool.QueryRow(ctx, "SELECT to_regclass('batchdesk.delete_ledger') IS NOT NULL").Scan(&exists); err != nil {
		return fmt.Errorf("delete ledger: %w", err)
	}
	if exists {
		return nil
	}
	_, err := t.pool.Exec(ctx, deleteLedgerDDL)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "42P07" || pe.Code == "42P06") {
		err = nil // created by a concurrent job
	}
	if err != nil {
		return fmt.Errorf("create delete ledger: %w", err)
	}
	return nil
}

// DeleteLedger returns the batches of job that committed, by number.
func (t *Target) DeleteLedger(ctx context.Context, job string) (map[int]fkgraph.BatchResult, error) {
	if err := t.ensureDeleteLedger(ctx); err != nil {
		return nil, err
	}
	rows, err := t.pool.Query(ctx, `SELECT batch, deleted, failed::text FROM batchdesk.delete_ledger WHERE job_id = $1`, job)
	if err != nil {
		return nil, fmt.Errorf("read delete ledger: %w", err)
	}
	defer rows.Close()
	return fkgraph.ReadLedger(rows)
}

// DeleteBatch deletes b.IDs from b.Table in one transaction with their
// related-team members, one audit-log entry and the ledger row. When a
// reference refuses the batch (a blocking row that appeared after the
// preview), each record is tried alone and the refused ones are returned as
// Failed. A batch already in the ledger is not run again (Skipped).
func (t *Target) DeleteBatch(ctx context.Context, b fkgraph.Batch) (fkgraph.BatchResult, error) {
	res := fkgraph.BatchResult{Seq: b.Seq}
	keyType, err := t.columnType(ctx, b.Table, b.Key)
	if err != nil {
		return res, err
	}
	tx, err := t.pool.Begin(ctx)
	if err != nil {
		return res, fmt.Errorf("begin delete batch %d: %w", b.Seq, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	del := "DELETE FROM " + b.Table.Quoted() + " WHERE " + crmdb.QuoteIdent(b.Key) + " = ANY($1::" + keyType + "[])"
	gone := b.IDs
	tag, err := savepoint(ctx, tx, del, b.IDs)
	switch {
	case err == nil:
		res.Deleted = tag
	case isForeignKey(err):
		gone = gone[:0:0]
		for _, id := range b.IDs {
			n, err := savepoint(ctx, tx, del, []string{id})
			if isForeignKey(err) {
				res.Failed = append(res.Failed, fkgraph.Failure{ID: id, Reason: refusal(err)})
				continue
			}
			if err != nil {
				return res, fmt.Errorf("delete batch %d: %w", b.Seq, err)
			}
			res.Deleted += n
			gone = append(gone, id)
		}
	default:
		return res, fmt.Errorf("delete batch %d: %w", b.Seq, err)
	}
	if b.Teams && len(gone) > 0 {
		_, err := tx.Exec(ctx, "DELETE FROM "+crmdb.QuoteIdent(crmdb.PGSchema, crmdb.TableTeamMembers)+
			" WHERE object = $1 AND record_id = ANY($2::uuid[])", b.Object, gone)
		if err != nil {
			return res, fmt.Errorf("delete the related teams of batch %d: %w", b.Seq, err)
		}
	}
	if b.Audit && res.Deleted > 0 {
		q, args := crmdb.Postgres.InsertAudit(crmdb.AuditEntry{Object: b.Object, Action: "delete",
			Records: res.Deleted, JobID: b.JobID, Detail: fmt.Sprintf("batch %d", b.Seq)})
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return res, fmt.Errorf("audit log of delete batch %d: %w", b.Seq, err)
		}
	}
	failed, _ := json.Marshal(res.Failed)
	if res.Failed == nil {
		failed = []byte("[]")
	}
	_, err = tx.Exec(ctx, `INSERT INTO batchdesk.delete_ledger (job_id, batch, deleted, failed) VALUES ($1, $2, $3, $4)`,
		b.JobID, b.Seq, res.Deleted, string(failed))
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		_ = tx.Rollback(ctx)
		done, lerr := t.DeleteLedger(ctx, b.JobID)
		if lerr != nil {
			return res, lerr
		}
		return done[b.Seq], nil
	}
	if err != nil {
		return res, fmt.Errorf("delete ledger, batch %d: %w", b.Seq, err)
	}
	if b.BeforeCommit != nil {
		b.BeforeCommit()
	}
	if err := tx.Commit(ctx); err != nil {
		return res, fmt.Errorf("commit delete batch %d: %w", b.Seq, err)
	}
	return res, nil
}

// savepoint runs a DELETE inside a savepoint and returns the rows it took.
func savepoint(ctx context.Context, tx pgx.Tx, q string, ids []string) (int64, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return 0, err
	}
	tag, err := sp.Exec(ctx, q, ids)
	if err != nil {
		_ = sp.Rollback(ctx)
		return 0, err
	}
	if err := sp.Commit(ctx); err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func isForeignKey(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "23503" || pe.Code == "23001")
}

// refusal words a foreign-key refusal without row data.
func refusal(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return fmt.Sprintf("still referenced from %s (constraint %s)", pe.TableName, pe.ConstraintName)
	}
	return "still referenced"
}

// columnType is the SQL type of table.column, e.g. "uuid", for binding an
// array of keys the index can use.
func (t *Target) columnType(ctx context.Context, table fkgraph.Table, col string) (string, error) {
	var typ string
	err := t.pool.QueryRow(ctx, `SELECT format_type(a.atttypid, NULL) FROM pg_catalog.pg_attribute a
		WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped`, table.Quoted(), col).Scan(&typ)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", apperr.New(apperr.Invalid, "%s has no column %s", table, col)
	}
	if err != nil {
		return "", fmt.Errorf("type of %s.%s: %w", table, col, err)
	}
	return typ, nil
}
