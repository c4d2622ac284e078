package load

import (
	"context"
	"fmt"

	"batchdesk/backend/crm/crmdb"
)

// inputChecker is a backend that can have the server's own input
// functions read a batch's values without writing them.
type inputChecker interface {
	// needsInputCheck reports whether some column's values reach the
	// server as text for its input function to read.
	needsInputCheck(ctx context.Context, l *Loader) bool
	checkInput(ctx context.Context, l *Loader, w *work) ([]RowError, error)
}

func (b *pgBackend) needsInputCheck(ctx context.Context, l *Loader) bool {
	t := b.tableInfo(ctx, l)
	if t == nil {
		return false
	}
	p := b.insertPlan(l, t)
	if !p.binary {
		return true
	}
	for _, e := range p.encs {
		if e == encTextArray || e == encBoolArray {
			return true // validation gives text for arrays
		}
	}
	return false
}

var _ inputChecker = (*pgBackend)(nil)

// checkInput finds the rows of w whose values a column's type refuses
// (inet, interval, arrays, bytea … which validation leaves to the server):
// it sends them, in text format, into a temporary table with the target's
// column types and no constraints, in a transaction that is rolled back,
// finding each refused row by COPY's row number. Nothing is written; a
// batch whose values all have their binary form (checked fully on this
// side) is not sent.
func (b *pgBackend) checkInput(ctx context.Context, l *Loader, w *work) ([]RowError, error) {
	t := b.tableInfo(ctx, l)
	p := b.insertPlan(l, t)
	if t == nil || len(w.rows) == 0 {
		return nil, nil
	}
	rows := make([]*prow, len(w.rows))
	for i := range w.rows {
		rows[i] = &w.rows[i]
	}
	vals := b.insertRows(l, w, rows)
	if p.binary {
		if d, _ := p.encode(len(rows), func(i int, out []any) { copy(out, vals[i]) }, func(int, int) {}); d.binary {
			return nil, nil // every value has its binary form: checked on this side
		}
	}
	var errs []RowError
	text := &copyPlan{table: crmdb.QuoteIdent("bd_input"), names: p.names, cols: p.cols}
	data, kept := text.encode(len(rows), func(i int, out []any) { copy(out, vals[i]) }, func(i, col int) {
		errs = append(errs, encodeProblem(rows[i].line, l.fieldOf(p.names[col]), p.names[col], p.cols[col], vals[i][col]))
	})
	tx, err := b.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("check values: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := simple(ctx, tx, fmt.Sprintf("CREATE TEMP TABLE bd_input ON COMMIT DROP AS SELECT %s FROM %s WITH NO DATA; SAVEPOINT bd_probe",
		quoteIdents(p.names), crmdb.ObjectTable(l.obj))); err != nil {
		return nil, fmt.Errorf("check values: %w", err)
	}
	idx := seq(data.rows())
	for s := 0; s < len(idx); {
		err := copyRows(ctx, tx, data, idx[s:], false, w.seq)
		if rerr := simple(ctx, tx, "ROLLBACK TO SAVEPOINT bd_probe"); rerr != nil {
			return nil, rerr
		}
		if err == nil {
			break
		}
		k := copyLine(err)
		if k < 0 || k >= len(idx)-s || serverTrouble(pgError(err).Code) {
			return nil, fmt.Errorf("check values: %w", err)
		}
		errs = append(errs, l.rowError(rows[kept[idx[s+k]]].line, err))
		s += k + 1
	}
	return errs, nil
}
