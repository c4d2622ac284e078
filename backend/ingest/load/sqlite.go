package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/sandbox"
)

// sqliteBackend loads into the sandbox (SQLite through database/sql). SQLite
// has one writer, so batches are written one at a time; a rejected row is
// rolled back to its own savepoint, which isolates it without bisection.
type sqliteBackend struct {
	db   *sql.DB
	plan Plan
	mu   sync.Mutex // one writer
	rtx  *sql.Tx    // the rehearsal transaction
	own  bool       // close rolls rtx back (not a shared Rehearsal)
}

func newSQLite(ctx context.Context, t sqliteTarget, plan Plan) (*sqliteBackend, error) {
	db := t.DB()
	b := &sqliteBackend{db: db, plan: plan}
	if r := plan.Session; r != nil {
		if r.db == nil {
			return nil, fmt.Errorf("the rehearsal is not on this sandbox")
		}
		b.rtx = r.db
		return b, nil
	}
	if plan.Rehearse {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("begin rehearsal: %w", err)
		}
		b.rtx, b.own = tx, true
		return b, nil
	}
	if plan.JobID != "" {
		if err := t.EnsureImportLedger(ctx); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// sqlExec is a *sql.DB or *sql.Tx.
type sqlExec interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (b *sqliteBackend) q() sqlExec {
	if b.rtx != nil {
		return b.rtx
	}
	return b.db
}

func (b *sqliteBackend) find(ctx context.Context, obj *catalog.Object, f *catalog.Field, values []string) (map[string][]string, error) {
	if b.rtx != nil {
		b.mu.Lock()
		defer b.mu.Unlock()
	}
	return sandbox.LookupRecords(ctx, b.q(), obj, f, identity(obj, f), values)
}

func (b *sqliteBackend) close(ctx context.Context) error {
	if b.rtx != nil && !b.own {
		b.rtx = nil
		return nil
	}
	if b.rtx != nil {
		err := b.rtx.Rollback()
		b.rtx = nil
		if errors.Is(err, sql.ErrTxDone) {
			return nil
		}
		return err
	}
	return nil
}

// write runs one batch in one transaction (a savepoint when rehearsing),
// each row in its own savepoint.
func (b *sqliteBackend) write(ctx context.Context, l *Loader, w *work) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var tx sqlExec
	var commit func() error
	if b.rtx != nil {
		if _, err := b.rtx.ExecContext(ctx, "SAVEPOINT bd_batch"); err != nil {
			return err
		}
		tx = b.rtx
		commit = func() error { _, err := b.rtx.ExecContext(ctx, "RELEASE bd_batch"); return err }
		defer func() { _, _ = b.rtx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO bd_batch; RELEASE bd_batch") }()
	} else {
		t, err := b.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("begin batch %d: %w", w.seq, err)
		}
		defer func() { _ = t.Rollback() }()
		tx, commit = t, t.Commit
	}
	ins := sandbox.InsertSQL(l.obj.Table, l.cols.insert)
	upd := sandbox.UpdateSQL(l.obj.Table, identity(l.obj, l.keyFld), l.cols.update, l.cols.keepable())
	// SQLite's default page cache (2 MB) is smaller than the indexes of
	// a table of a few hundred thousand rows: each insert then rereads
	// index pages from the WAL (a fifth of the CPU at 400k rows). 32 MB
	// per connection keeps them; the pool's connections keep the setting.
	if _, err := tx.ExecContext(ctx, "PRAGMA cache_size = -32768"); err != nil {
		return err
	}
	st, err := b.prepare(ctx, tx, l, ins, upd)
	if err != nil {
		return err
	}
	defer st.close()
	rejected := false
	for i := range w.rows {
		r := &w.rows[i]
		if i == len(w.rows)/2 {
			failpoint(FailMidCopy, w.seq)
		}
		if r.unchanged {
			w.written++
			continue
		}
		// A row of one statement needs no savepoint: SQLite undoes a
		// statement that fails a constraint and keeps the transaction. A
		// row with a team is several statements.
		multi := r.teamSet && len(l.teams) > 0
		if multi {
			if _, err := tx.ExecContext(ctx, "SAVEPOINT bd_row"); err != nil {
				return err
			}
		}
		err := b.row(ctx, tx, l, w, r, st)
		if err == nil {
			if multi {
				if _, err := tx.ExecContext(ctx, "RELEASE bd_row"); err != nil {
					return err
				}
			}
			w.written++
			continue
		}
		if multi {
			if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO bd_row; RELEASE bd_row"); rerr != nil {
				return rerr
			}
		}
		code, col, msg, ok := sqliteReason(err)
		if !ok {
			return err
		}
		if rejected {
			failpoint(FailDuringBisect, w.seq)
		}
		rejected = true
		w.errs = append(w.errs, RowError{Line: r.line, Code: code, Column: col, Message: msg})
	}
	w.countAdded()
	if e, ok := l.audit(w); ok {
		q, args := crmdb.SQLite.InsertAudit(e)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("audit log of batch %d: %w", w.seq, err)
		}
	}
	if l.plan.JobID != "" && b.rtx == nil {
		if err := sandbox.RecordImportBatch(ctx, tx, l.ledgerBatch(w)); err != nil {
			return err
		}
	}
	if err := commit(); err != nil {
		return fmt.Errorf("commit batch %d: %w", w.seq, err)
	}
	return nil
}

// batchStmts are a batch's INSERT and UPDATE, prepared once (SQLite
// compiles a statement each time it is run from its text), with argument
// slices reused row after row.
type batchStmts struct {
	ins, upd *sql.Stmt
	insArgs  []any
	updVals  []any
	updKeep  []bool
	updArgs  []any
}

// sqlPreparer is a *sql.Tx.
type sqlPreparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

func (b *sqliteBackend) prepare(ctx context.Context, tx sqlExec, l *Loader, ins, upd string) (*batchStmts, error) {
	p, ok := tx.(sqlPreparer)
	if !ok {
		return nil, fmt.Errorf("the sandbox transaction cannot prepare statements")
	}
	st := &batchStmts{}
	var err error
	if len(l.cols.insert) > 0 {
		if st.ins, err = p.PrepareContext(ctx, ins); err != nil {
			return nil, err
		}
		st.insArgs = make([]any, len(l.cols.insert))
	}
	if len(l.cols.update) > 0 {
		if st.upd, err = p.PrepareContext(ctx, upd); err != nil {
			st.close()
			return nil, err
		}
		st.updVals = make([]any, len(l.cols.update)+1)
		st.updKeep = make([]bool, len(l.cols.update))
		st.updArgs = make([]any, 0, 2*len(st.updVals))
	}
	return st, nil
}

func (st *batchStmts) close() {
	if st.ins != nil {
		st.ins.Close()
	}
	if st.upd != nil {
		st.upd.Close()
	}
}

// row writes one record and its team.
func (b *sqliteBackend) row(ctx context.Context, tx sqlExec, l *Loader, w *work, r *prow, st *batchStmts) error {
	if r.insert {
		clear(st.insArgs)
		if _, err := st.ins.ExecContext(ctx, l.insertValues(r, w.now, false, st.insArgs)...); err != nil {
			return err
		}
	} else if len(l.cols.update) > 0 {
		v, keep := st.updVals, st.updKeep
		clear(v)
		clear(keep)
		l.updateValues(r, w.now, false, v, keep)
		args := st.updArgs[:0]
		for i, x := range v[1:] {
			if l.cols.updateSrc[i] >= 0 {
				args = append(args, keep[i])
			}
			args = append(args, x)
		}
		if _, err := st.upd.ExecContext(ctx, append(args, v[0])...); err != nil {
			return err
		}
	}
	if !r.teamSet || len(l.teams) == 0 {
		return nil
	}
	return sandbox.ReplaceTeam(ctx, tx, l.obj.APIName, r.id, !r.insert, r.members())
}

var sqliteConstraint = regexp.MustCompile(`(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?::\s*([^\s(]+))?`)

// sqliteReason translates a SQLite constraint failure like Reason does for
// PostgreSQL; ok is false for errors that are not about the row's data.
func sqliteReason(err error) (code, column, message string, ok bool) {
	m := sqliteConstraint.FindStringSubmatch(err.Error())
	if m == nil {
		if strings.Contains(err.Error(), "datatype mismatch") {
			return CodeBadValue, "", "invalid value for the column's type", true
		}
		return "", "", "", false
	}
	target := m[2]
	if i := strings.LastIndex(target, "."); i >= 0 {
		column = target[i+1:]
	}
	switch m[1] {
	case "UNIQUE":
		return CodeUnique, column, fmt.Sprintf("duplicate value: another record already has this %s (unique column %s)", column, column), true
	case "NOT NULL":
		return CodeNotNull, column, fmt.Sprintf("column %s is required but empty", column), true
	case "CHECK":
		return CodeCheck, column, "value not allowed by check " + nonEmpty(target, "constraint"), true
	}
	return CodeForeignKey, column, "refers to a record that does not exist", true
}
