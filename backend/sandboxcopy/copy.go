package sandboxcopy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/sandbox"
)

// Source is the CRM a copy reads: its objects (crm.Target's Objects) and a
// pool on its PostgreSQL database (crm/postgres.Target has both).
type Source interface {
	Objects(ctx context.Context) ([]catalog.Object, error)
	Pool() *pgxpool.Pool
}

// Progress is reported while records are copied: rows copied so far of an
// estimated total (the objects' row counts in the snapshot, capped), and the
// object being copied.
type Progress struct {
	Done, Total int64
	Object      string
}

// ObjectCount is the records copied of one object.
type ObjectCount struct {
	Object  string `json:"object"`
	Records int64  `json:"records"`
	// Capped: the object has more records than MaxRows; only MaxRows came.
	Capped bool `json:"capped,omitempty"`
}

// Result says what a copy holds.
type Result struct {
	Objects []string      `json:"objects"`
	Records []ObjectCount `json:"records"`
	Total   int64         `json:"total"`
	// Notes are sentences for the job's history: what was left out or
	// changed, and why.
	Notes []string `json:"notes"`
}

// Create copies src into a new sandbox file at path (replacing it only when
// the copy is complete). report, when not nil, is called as records are
// copied.
func Create(ctx context.Context, src Source, path string, opt Options, report func(Progress)) (Result, error) {
	if report == nil {
		report = func(Progress) {}
	}
	objs, err := src.Objects(ctx)
	if err != nil {
		return Result{}, apperr.Wrap(err, apperr.Unavailable, "cannot read the CRM's objects: %v", err)
	}
	p, err := newPlan(objs, opt)
	if err != nil {
		return Result{}, err
	}
	part := path + ".part"
	for _, f := range []string{part, part + "-wal", part + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return Result{}, apperr.Wrap(err, apperr.Unavailable, "cannot write %s: %v", part, err)
		}
	}
	res, err := p.write(ctx, src, part, report)
	if err != nil {
		for _, f := range []string{part, part + "-wal", part + "-shm"} {
			os.Remove(f)
		}
		if ctx.Err() != nil {
			return Result{}, apperr.Wrap(ctx.Err(), apperr.Canceled, "the sandbox copy was canceled")
		}
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return Result{}, err
		}
		return Result{}, apperr.Wrap(err, apperr.Unavailable, "sandbox copy failed: %v", err)
	}
	for _, f := range []string{path + "-wal", path + "-shm"} {
		os.Remove(f) // a stale journal of the replaced copy must not apply to the new file
	}
	if err := os.Rename(part, path); err != nil {
		os.Remove(part)
		return Result{}, apperr.Wrap(err, apperr.Unavailable, "cannot write %s: %v", path, err)
	}
	return res, nil
}

// write creates the sandbox at part and fills it.
func (p *plan) write(ctx context.Context, src Source, part string, report func(Progress)) (Result, error) {
	db, err := sql.Open("sqlite", sandbox.DSN(part)+"&_pragma=defer_foreign_keys(1)")
	if err != nil {
		return Result{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	lite, err := db.BeginTx(ctx, nil)
	if err != nil {
		return Result{}, err
	}
	defer lite.Rollback()
	exec := func(ctx context.Context, q string, args ...any) error {
		_, err := lite.ExecContext(ctx, q, args...)
		return err
	}
	if err := crmdb.InstallObjects(ctx, crmdb.SQLite, exec, p.objects); err != nil {
		return Result{}, err
	}
	if _, err := lite.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
		return Result{}, err
	}
	res := Result{Notes: []string{}, Records: []ObjectCount{}}
	for _, o := range p.objects {
		res.Objects = append(res.Objects, o.APIName)
	}
	if p.addUsers {
		res.Notes = append(res.Notes, "the schema has no users: the sandbox has the CRM's User object with the System user only")
		if err := exec(ctx, "INSERT INTO "+crmdb.SQLite.Table(crmdb.TableUsers)+" (id, name, email, employee_no) VALUES (?, 'System', 'system@batchdesk.local', 'SYSTEM')",
			crmdb.SystemUserID); err != nil {
			return Result{}, err
		}
	}
	if err := p.plainNotes(ctx, src, &res); err != nil {
		return Result{}, err
	}
	if len(p.records) > 0 {
		if err := p.copyRecords(ctx, src, lite, &res, report); err != nil {
			return Result{}, err
		}
	}
	if err := writeInfo(ctx, lite, p, res); err != nil {
		return Result{}, err
	}
	if err := lite.Commit(); err != nil {
		return Result{}, fmt.Errorf("finish the sandbox file: %w", err)
	}
	if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return Result{}, fmt.Errorf("finish the sandbox file: %w", err)
	}
	return res, db.Close()
}

// copyRecords reads every chosen object in one REPEATABLE READ snapshot and
// streams its rows into the sandbox, then empties the links to records that
// were not copied.
func (p *plan) copyRecords(ctx context.Context, src Source, lite *sql.Tx, res *Result, report func(Progress)) error {
	conn, err := src.Pool().Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var copied []*catalog.Object
	counts := map[string]int64{}
	var total int64
	for i := range p.objects {
		o := &p.objects[i]
		src := p.source[o.APIName]
		if !p.records[o.APIName] || src == nil {
			continue
		}
		var n int64
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+pgTable(src)).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", o.APIName, err)
		}
		counts[o.APIName] = n
		if p.maxRows > 0 && n > p.maxRows {
			n = p.maxRows
		}
		total += n
		copied = append(copied, o)
	}
	var done int64
	for _, o := range copied {
		n, err := p.copyObject(ctx, tx, lite, o, func(k int64) {
			report(Progress{Done: done + k, Total: total, Object: o.APIName})
		})
		if err != nil {
			return fmt.Errorf("copy %s: %w", o.APIName, err)
		}
		done += n
		c := ObjectCount{Object: o.APIName, Records: n, Capped: counts[o.APIName] > n}
		if c.Capped {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %d of %d records copied (--max-rows)", o.APIName, n, counts[o.APIName]))
		}
		res.Records = append(res.Records, c)
		res.Total += n
	}
	report(Progress{Done: done, Total: total})
	if p.team && len(copied) > 0 {
		if err := p.copyTeam(ctx, tx, lite, copied, res); err != nil {
			return fmt.Errorf("copy related-team members: %w", err)
		}
	}
	return p.fixLinks(ctx, lite, res)
}

// plainNotes notes the columns of plain tables (no CRM catalog) whose type
// the sandbox stores as text.
func (p *plan) plainNotes(ctx context.Context, src Source, res *Result) error {
	bySchema := map[string][]string{}
	for _, o := range p.objects {
		if s := p.source[o.APIName]; s != nil && !s.FromCatalog {
			bySchema[s.Schema] = append(bySchema[s.Schema], s.Table)
		}
	}
	if len(bySchema) == 0 {
		return nil
	}
	tx, err := src.Pool().BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	for schema, tables := range bySchema {
		notes, err := typeNotes(ctx, tx, schema, tables)
		if err != nil {
			return fmt.Errorf("read column types: %w", err)
		}
		res.Notes = append(res.Notes, notes...)
	}
	return nil
}

// pgTable is the quoted table of a source object.
func pgTable(o *catalog.Object) string {
	return pgx.Identifier{o.Schema, o.Table}.Sanitize()
}

// selectExpr reads a column as the sandbox stores it (see crmdb.Dialect).
func selectExpr(f *catalog.Field) string {
	col := pgx.Identifier{f.Column}.Sanitize()
	switch f.Type {
	case catalog.Decimal, catalog.Currency, catalog.Percent:
		return col + "::numeric::text" // exact, never in exponent form
	case catalog.Date:
		return "to_char(" + col + ", 'YYYY-MM-DD')"
	case catalog.DateTime:
		return col + "::timestamptz"
	case catalog.Integer:
		return col + "::bigint"
	case catalog.Boolean:
		return col
	case catalog.Lookup, catalog.MasterDetail, catalog.Owner, catalog.UUID:
		return col + "::text"
	}
	return col + "::text"
}

// copyObject streams one object's rows (capped) into the sandbox.
func (p *plan) copyObject(ctx context.Context, tx pgx.Tx, lite *sql.Tx, o *catalog.Object, progress func(int64)) (int64, error) {
	var sel, cols, params []string
	var kinds []catalog.FieldType
	for _, f := range o.Fields {
		if f.Column == "" {
			continue
		}
		sel = append(sel, selectExpr(&f))
		cols = append(cols, crmdb.SQLite.Table(f.Column))
		params = append(params, "?")
		kinds = append(kinds, f.Type)
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + pgTable(p.source[o.APIName])
	if p.maxRows > 0 {
		q += fmt.Sprintf(" LIMIT %d", p.maxRows)
	}
	// Rows go in batches of one multi-row INSERT (bounded by SQLite's limit
	// of bound parameters), the last few one by one.
	batch := min(256, 32000/len(cols))
	insert := func(rows int) (*sql.Stmt, error) {
		tuple := "(" + strings.Join(params, ", ") + ")"
		tuples := make([]string, rows)
		for i := range tuples {
			tuples[i] = tuple
		}
		return lite.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES %s",
			crmdb.SQLite.Table(o.Table), strings.Join(cols, ", "), strings.Join(tuples, ", ")))
	}
	many, err := insert(batch)
	if err != nil {
		return 0, err
	}
	defer many.Close()
	one, err := insert(1)
	if err != nil {
		return 0, err
	}
	defer one.Close()
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	vals := make([]any, 0, batch*len(sel))
	last := time.Now()
	for rows.Next() {
		raw, err := rows.Values()
		if err != nil {
			return n, err
		}
		for i, v := range raw {
			vals = append(vals, liteValue(kinds[i], v))
		}
		n++
		if len(vals) == cap(vals) {
			if _, err := many.ExecContext(ctx, vals...); err != nil {
				return n, fmt.Errorf("records %d to %d: %w", n-int64(batch)+1, n, err)
			}
			vals = vals[:0]
			if now := time.Now(); now.Sub(last) > 100*time.Millisecond {
				progress(n)
				last = now
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	for i := 0; i < len(vals); i += len(sel) {
		if _, err := one.ExecContext(ctx, vals[i:i+len(sel)]...); err != nil {
			return n, fmt.Errorf("record %d: %w", n-int64((len(vals)-i)/len(sel))+1, err)
		}
	}
	progress(n)
	return n, nil
}

// liteValue converts a value read by selectExpr to the sandbox's storage.
func liteValue(t catalog.FieldType, v any) any {
	switch x := v.(type) {
	case time.Time:
		return crmdb.FormatTime(x)
	case bool:
		return crmdb.SQLite.Bool(x)
	}
	return v
}

// copyTeam copies the related-team members of the copied records.
func (p *plan) copyTeam(ctx context.Context, tx pgx.Tx, lite *sql.Tx, copied []*catalog.Object, res *Result) error {
	names := make([]string, len(copied))
	for i, o := range copied {
		names[i] = o.APIName
	}
	schema := p.source[copied[0].APIName].Schema
	rows, err := tx.Query(ctx, "SELECT id::text, object, record_id::text, user_id::text, role FROM "+
		pgx.Identifier{schema, crmdb.TableTeamMembers}.Sanitize()+" WHERE object = ANY($1)", names)
	if err != nil {
		return err
	}
	defer rows.Close()
	ins, err := lite.PrepareContext(ctx, "INSERT INTO "+crmdb.SQLite.Table(crmdb.TableTeamMembers)+
		" (id, object, record_id, user_id, role) VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer ins.Close()
	for rows.Next() {
		var id, object, record, user, role string
		if err := rows.Scan(&id, &object, &record, &user, &role); err != nil {
			return err
		}
		if _, err := ins.ExecContext(ctx, id, object, record, user, role); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Members of records (or users) that were not copied go.
	var gone int64
	for _, o := range copied {
		r, err := lite.ExecContext(ctx, "DELETE FROM "+crmdb.SQLite.Table(crmdb.TableTeamMembers)+
			" WHERE object = ? AND record_id NOT IN (SELECT id FROM "+crmdb.SQLite.Table(o.Table)+")", o.APIName)
		if err != nil {
			return err
		}
		k, _ := r.RowsAffected()
		gone += k
	}
	r, err := lite.ExecContext(ctx, "DELETE FROM "+crmdb.SQLite.Table(crmdb.TableTeamMembers)+
		" WHERE user_id NOT IN (SELECT id FROM "+crmdb.SQLite.Table(crmdb.TableUsers)+")")
	if err != nil {
		return err
	}
	k, _ := r.RowsAffected()
	if gone += k; gone > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d related-team members of records or users not copied were left out", gone))
	}
	return nil
}

// fixLinks empties lookups that point at records not copied (and leaves out
// records whose required lookup or master does), until every foreign key
// holds.
func (p *plan) fixLinks(ctx context.Context, lite *sql.Tx, res *Result) error {
	emptied := map[string]int64{}
	dropped := map[string]int64{}
	for {
		var changed int64
		for _, o := range p.objects {
			for _, f := range o.Fields {
				if !f.Type.References() || f.Column == "" {
					continue
				}
				target := p.byName(f.Target)
				key := crmdb.KeyField(target)
				col := crmdb.SQLite.Table(f.Column)
				missing := fmt.Sprintf("%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s k WHERE k.%s = %s.%s)",
					col, crmdb.SQLite.Table(target.Table), crmdb.SQLite.Table(key.Column), crmdb.SQLite.Table(o.Table), col)
				q := fmt.Sprintf("UPDATE %s SET %s = NULL WHERE %s", crmdb.SQLite.Table(o.Table), col, missing)
				if f.Required || f.System || f.Type == catalog.MasterDetail {
					q = fmt.Sprintf("DELETE FROM %s WHERE %s", crmdb.SQLite.Table(o.Table), missing)
				}
				r, err := lite.ExecContext(ctx, q)
				if err != nil {
					return fmt.Errorf("check %s.%s: %w", o.APIName, f.APIName, err)
				}
				k, _ := r.RowsAffected()
				if strings.HasPrefix(q, "DELETE") {
					dropped[o.APIName] += k
				} else {
					emptied[o.APIName+"."+f.APIName] += k
				}
				changed += k
			}
		}
		if changed == 0 {
			break
		}
	}
	for i := range res.Records {
		c := &res.Records[i]
		if k := dropped[c.Object]; k > 0 {
			c.Records -= k
			res.Total -= k
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %d records left out: their required lookup points at a record not copied", c.Object, k))
		}
	}
	for _, o := range p.objects {
		for _, f := range o.Fields {
			if k := emptied[o.APIName+"."+f.APIName]; k > 0 {
				res.Notes = append(res.Notes, fmt.Sprintf("%s.%s: emptied in %d records: it pointed at a %s record not copied", o.APIName, f.APIName, k, f.Target))
			}
		}
	}
	return nil
}
