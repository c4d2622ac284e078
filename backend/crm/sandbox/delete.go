package sandbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/fkgraph"
)

// ForeignKeys lists every foreign key of the sandbox (pragma
// foreign_key_list of each table) with its ON DELETE action and whether an
// index of the referencing table starts with its columns.
func (t *Target) ForeignKeys(ctx context.Context) ([]fkgraph.ForeignKey, error) {
	conn, err := t.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("read foreign keys: %w", err)
	}
	defer conn.Close()
	tables, err := queryStrings(ctx, conn, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("read foreign keys: %w", err)
	}
	var out []fkgraph.ForeignKey
	for _, table := range tables {
		fks, err := tableKeys(ctx, conn, table)
		if err != nil {
			return nil, fmt.Errorf("read foreign keys of %s: %w", table, err)
		}
		out = append(out, fks...)
	}
	return out, nil
}

func tableKeys(ctx context.Context, conn *sql.Conn, table string) ([]fkgraph.ForeignKey, error) {
	rows, err := conn.QueryContext(ctx, `SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table)
	if err != nil {
		return nil, err
	}
	var out []fkgraph.ForeignKey
	byID := map[int]int{}
	for rows.Next() {
		var id int
		var parent, from, onDelete string
		var to sql.NullString
		if err := rows.Scan(&id, &parent, &from, &to, &onDelete); err != nil {
			rows.Close()
			return nil, err
		}
		i, ok := byID[id]
		if !ok {
			i = len(out)
			byID[id] = i
			out = append(out, fkgraph.ForeignKey{Name: fmt.Sprintf("%s_fk%d", table, id),
				Child: fkgraph.Table{Name: table}, Parent: fkgraph.Table{Name: parent},
				OnDelete: fkgraph.Action(strings.ToUpper(onDelete))})
		}
		out[i].ChildCols = append(out[i].ChildCols, from)
		out[i].ParentCols = append(out[i].ParentCols, to.String) // "" = the parent's primary key
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	indexes, err := indexColumns(ctx, conn, table)
	if err != nil {
		return nil, err
	}
	for i := range out {
		fk := &out[i]
		if fk.ParentCols[0] == "" {
			pk, err := queryStrings(ctx, conn, `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`, fk.Parent.Name)
			if err != nil {
				return nil, err
			}
			fk.ParentCols = pk
		}
		for _, idx := range indexes {
			if leads(idx, fk.ChildCols) {
				fk.Indexed = true
			}
		}
	}
	return out, nil
}

// indexColumns returns the columns of each index of table, in order.
func indexColumns(ctx context.Context, conn *sql.Conn, table string) ([][]string, error) {
	names, err := queryStrings(ctx, conn, `SELECT name FROM pragma_index_list(?) WHERE partial = 0`, table)
	if err != nil {
		return nil, err
	}
	var out [][]string
	for _, n := range names {
		cols, err := queryStrings(ctx, conn, `SELECT coalesce(name, '') FROM pragma_index_info(?) ORDER BY seqno`, n)
		if err != nil {
			return nil, err
		}
		out = append(out, cols)
	}
	return out, nil
}

// leads reports whether the first len(cols) columns of idx are cols, in any order.
func leads(idx, cols []string) bool {
	if len(idx) < len(cols) {
		return false
	}
	want := map[string]bool{}
	for _, c := range cols {
		want[c] = true
	}
	for _, c := range idx[:len(cols)] {
		if !want[c] {
			return false
		}
	}
	return true
}

func queryStrings(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Dialect is fkgraph.SQLite.
func (t *Target) Dialect() fkgraph.Dialect { return fkgraph.SQLite }

// Snapshot runs fn with a querier inside one read transaction, so counts
// and captured ids agree.
func (t *Target) Snapshot(ctx context.Context, fn func(fkgraph.Querier) error) error {
	tx, err := t.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin snapshot: %w", err)
	}
	defer tx.Rollback()
	if err := fn(sqlQuerier{tx}); err != nil {
		return err
	}
	return tx.Commit()
}

type sqlQuerier struct{ tx *sql.Tx }

func (q sqlQuerier) Count(ctx context.Context, qq fkgraph.Query) (int64, error) {
	var n int64
	err := q.tx.QueryRowContext(ctx, qq.SQL, qq.Args...).Scan(&n)
	return n, err
}

func (q sqlQuerier) Strings(ctx context.Context, qq fkgraph.Query, fn func(string) error) error {
	rows, err := q.tx.QueryContext(ctx, qq.SQL, qq.Args...)
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

// PasswordChecked is false: a sandbox file has no password.
func (t *Target) PasswordChecked(context.Context) (bool, error) { return false, nil }

// VerifyPassword accepts anything: a sandbox has no password (see
// PasswordChecked).
func (t *Target) VerifyPassword(context.Context, string) error { return nil }

const deleteLedgerDDL = `CREATE TABLE IF NOT EXISTS batchdesk_delete_ledger (
	job_id       TEXT    NOT NULL,
	batch        INTEGER NOT NULL,
	deleted      INTEGER NOT NULL,
	failed       TEXT    NOT NULL DEFAULT '[]',
	committed_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (job_id, batch)
)`

// DeleteLedger returns the batches of job that committed, by number.
func (t *Target) DeleteLedger(ctx context.Context, job string) (map[int]fkgraph.BatchResult, error) {
	if _, err := t.db.ExecContext(ctx, deleteLedgerDDL); err != nil {
		return nil, fmt.Errorf("create delete ledger: %w", err)
	}
	rows, err := t.db.QueryContext(ctx, `SELECT batch, deleted, failed FROM batchdesk_delete_ledger WHERE job_id = ?`, job)
	if err != nil {
		return nil, fmt.Errorf("read delete ledger: %w", err)
	}
	defer rows.Close()
	return fkgraph.ReadLedger(rows)
}

// DeleteBatch deletes b.IDs from b.Table in one transaction with their
// related-team members, one audit-log entry and the ledger row; records a
// reference refuses are tried alone and returned as Failed (see the
// PostgreSQL target).
func (t *Target) DeleteBatch(ctx context.Context, b fkgraph.Batch) (fkgraph.BatchResult, error) {
	res := fkgraph.BatchResult{Seq: b.Seq}
	if _, err := t.db.ExecContext(ctx, deleteLedgerDDL); err != nil {
		return res, fmt.Errorf("create delete ledger: %w", err)
	}
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("begin delete batch %d: %w", b.Seq, err)
	}
	defer tx.Rollback()
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM batchdesk_delete_ledger WHERE job_id = ? AND batch = ?`, b.JobID, b.Seq).Scan(&done); err != nil {
		return res, fmt.Errorf("read delete ledger: %w", err)
	}
	if done > 0 {
		_ = tx.Rollback()
		all, err := t.DeleteLedger(ctx, b.JobID)
		return all[b.Seq], err
	}
	del := "DELETE FROM " + b.Table.Quoted() + " WHERE " + crmdb.QuoteIdent(b.Key) + " IN (SELECT value FROM json_each(?))"
	gone := b.IDs
	n, err := sqliteSavepoint(ctx, tx, del, b.IDs)
	switch {
	case err == nil:
		res.Deleted = n
	case isForeignKey(err):
		gone = nil
		for _, id := range b.IDs {
			n, err := sqliteSavepoint(ctx, tx, del, []string{id})
			if isForeignKey(err) {
				res.Failed = append(res.Failed, fkgraph.Failure{ID: id, Reason: "still referenced by another record"})
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
		js, _ := json.Marshal(gone)
		_, err := tx.ExecContext(ctx, "DELETE FROM "+crmdb.QuoteIdent(crmdb.TableTeamMembers)+
			" WHERE object = ? AND record_id IN (SELECT value FROM json_each(?))", b.Object, string(js))
		if err != nil {
			return res, fmt.Errorf("delete the related teams of batch %d: %w", b.Seq, err)
		}
	}
	if b.Audit && res.Deleted > 0 {
		q, args := crmdb.SQLite.InsertAudit(crmdb.AuditEntry{Object: b.Object, Action: "delete",
			Records: res.Deleted, JobID: b.JobID, Detail: fmt.Sprintf("batch %d", b.Seq)})
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return res, fmt.Errorf("audit log of delete batch %d: %w", b.Seq, err)
		}
	}
	failed := []byte("[]")
	if res.Failed != nil {
		failed, _ = json.Marshal(res.Failed)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO batchdesk_delete_ledger (job_id, batch, deleted, failed) VALUES (?, ?, ?, ?)`,
		b.JobID, b.Seq, res.Deleted, string(failed)); err != nil {
		return res, fmt.Errorf("delete ledger, batch %d: %w", b.Seq, err)
	}
	if b.BeforeCommit != nil {
		b.BeforeCommit()
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("commit delete batch %d: %w", b.Seq, err)
	}
	return res, nil
}

func sqliteSavepoint(ctx context.Context, tx *sql.Tx, q string, ids []string) (int64, error) {
	js, _ := json.Marshal(ids)
	if _, err := tx.ExecContext(ctx, "SAVEPOINT bd_delete"); err != nil {
		return 0, err
	}
	r, err := tx.ExecContext(ctx, q, string(js))
	if err != nil {
		_, _ = tx.ExecContext(ctx, "ROLLBACK TO bd_delete; RELEASE bd_delete")
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "RELEASE bd_delete"); err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

func isForeignKey(err error) bool {
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}
