package load

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"batchdesk/backend/crm/crmdb"
)

// This file writes one PostgreSQL batch so that rejected rows never cost
// the server more than a constant: however many rows are bad, the batch
// transaction holds at most two subtransactions that wrote (the attempt
// that landed, and nothing else), so the lock table and the subtransaction
// cache never fill up, for this session or any other.
//
//  1. Before anything is sent: rows with NULL in a NOT NULL column (when no
//     trigger may fill it) and values that cannot be encoded are row
//     problems.
//  2. The rest goes in one COPY (and one UPDATE … FROM) inside a savepoint:
//     a clean batch costs nothing more.
//  3. When the server refuses it, inserts whose unique keys already exist
//     are found in bulk (one query per unique index) and the others tried
//     again; when that is refused too, the bad rows are found by probes that
//     are always rolled back: a COPY from row s stops at the first bad row,
//     which the error's context names ("COPY t, line N"), so the next probe
//     starts after it — n+b rows sent for b bad rows. An error without a
//     row (an update, a trigger at statement end) is bisected, still with
//     rolled-back probes.
//  4. The good rows are written once more, together, in one savepoint.
//
// A concurrent import of the same keys makes COPY wait for the other
// transaction and then fail on the key, which step 3 handles; a deadlock
// between the two rolls the batch back whole and Load tries it again.

// maxFinalRounds bounds the tries of step 4 (rows good alone that clash
// together are removed one per try).
const maxFinalRounds = 20

// batchRows are a batch's rows to write, encoded once.
type batchRows struct {
	ins, upd         []*prow
	insData, updData *copyData
	// updOrd is each update's bd_ord in the staging table; staged how many
	// are there; updBad the updates whose values the staging table refused.
	updOrd []int
	staged int
	updBad map[int]error
}

// fillStage copies the update rows idx of d into the staging table, in a
// savepoint kept only once it holds every row whose values the types
// accept: the others, found by rolled-back probes as COPY names them, are
// returned with the server's refusal.
func fillStage(ctx context.Context, tx pgx.Tx, d *copyData, idx []int, seq int) (map[int]error, error) {
	if err := simple(ctx, tx, "SAVEPOINT bd_fill"); err != nil {
		return nil, err
	}
	err := copyRows(ctx, tx, d, idx, true, seq)
	if err == nil {
		return nil, simple(ctx, tx, "RELEASE SAVEPOINT bd_fill")
	}
	if rerr := simple(ctx, tx, "ROLLBACK TO SAVEPOINT bd_fill"); rerr != nil {
		return nil, rerr
	}
	bad := map[int]error{}
	for s, win := 0, len(idx); s < len(idx); {
		end := min(s+win, len(idx))
		err := copyRows(ctx, tx, d, idx[s:end], false, seq)
		if rerr := simple(ctx, tx, "ROLLBACK TO SAVEPOINT bd_fill"); rerr != nil {
			return nil, rerr
		}
		if err == nil {
			s, win = end, 2*win
			continue
		}
		k := copyLine(err)
		if k < 0 || k >= end-s || serverTrouble(pgError(err).Code) {
			return nil, err
		}
		bad[idx[s+k]] = &rowRefusal{err}
		s += k + 1
		win = max(minWindow, 2*(k+1))
	}
	var good []int
	for _, i := range idx {
		if _, b := bad[i]; !b {
			good = append(good, i)
		}
	}
	if len(good) > 0 {
		if err := copyRows(ctx, tx, d, good, false, seq); err != nil {
			return nil, err
		}
	}
	return bad, simple(ctx, tx, "RELEASE SAVEPOINT bd_fill")
}

// rowSet picks rows of a batchRows: indexes into ins and into upd.
type rowSet struct{ ins, upd []int }

func (s rowSet) size() int { return len(s.ins) + len(s.upd) }

// badRows are the rows found bad, by index into ins and upd.
type badRows struct{ ins, upd map[int]RowError }

func (b badRows) size() int { return len(b.ins) + len(b.upd) }

func (s rowSet) without(bad badRows) rowSet {
	var out rowSet
	for _, i := range s.ins {
		if _, ok := bad.ins[i]; !ok {
			out.ins = append(out.ins, i)
		}
	}
	for _, i := range s.upd {
		if _, ok := bad.upd[i]; !ok {
			out.upd = append(out.upd, i)
		}
	}
	return out
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// applyBatch writes w's rows in tx, isolating the rows the server refuses.
func (b *pgBackend) applyBatch(ctx context.Context, tx pgx.Tx, l *Loader, w *work) error {
	t := b.tableInfo(ctx, l)
	var br batchRows
	for i := range w.rows {
		switch {
		case w.rows[i].insert:
			br.ins = append(br.ins, &w.rows[i])
		case w.rows[i].unchanged:
			w.written++
		default:
			br.upd = append(br.upd, &w.rows[i])
		}
	}
	var kv [][]any // the inserts' values, lined up with br.ins
	if len(br.ins) > 0 {
		vals := b.insertRows(l, w, br.ins)
		keep := b.checkNotNull(l, w, t, br.ins, vals)
		ins := make([]*prow, len(keep))
		kv = make([][]any, len(keep))
		for j, i := range keep {
			ins[j], kv[j] = br.ins[i], vals[i]
		}
		p := b.insertPlan(l, t)
		var kept []int
		br.insData, kept = p.encode(len(ins), func(i int, out []any) { copy(out, kv[i]) }, func(i, col int) {
			w.errs = append(w.errs, encodeProblem(ins[i].line, l.fieldOf(p.names[col]), p.names[col], p.cols[col], kv[i][col]))
		})
		br.ins = pick(ins, kept)
		if len(kept) < len(kv) {
			kk := make([][]any, len(kept))
			for j, i := range kept {
				kk[j] = kv[i]
			}
			kv = kk
		}
	}
	if len(br.upd) > 0 && len(l.cols.update) > 0 {
		if err := b.stage(ctx, tx, l); err != nil {
			return err
		}
		p := b.updatePlan(l, t)
		keep := make([]bool, len(l.cols.update))
		var kept []int
		br.updData, kept = p.encode(len(br.upd), func(i int, out []any) {
			if l.updateValues(br.upd[i], w.now, true, out[:len(out)-2], keep) {
				out[len(out)-2] = keep
			}
			out[len(out)-1] = int64(i) // bd_ord
		}, func(i, col int) {
			w.errs = append(w.errs, encodeProblem(br.upd[i].line, l.fieldOf(p.names[col]), p.names[col], p.cols[col], nil))
		})
		br.upd, br.updOrd = pick(br.upd, kept), kept
		// The staging table is filled once; probes only pick its rows.
		bad, err := fillStage(ctx, tx, br.updData, seq(len(br.upd)), w.seq)
		if err != nil {
			return err
		}
		for j, e := range bad {
			w.errs = append(w.errs, l.rowError(br.upd[j].line, e))
		}
		br.staged = len(br.upd) - len(bad)
		br.updBad = bad
	}
	defer sortErrors(w)
	all := rowSet{ins: seq(len(br.ins))}
	for j := range br.upd {
		if _, bad := br.updBad[j]; !bad {
			all.upd = append(all.upd, j)
		}
	}
	if all.size() == 0 {
		return nil
	}
	_, err := b.attempt(ctx, tx, l, w, &br, all, true, true)
	if err == nil {
		w.written += int64(all.size())
		return nil
	}
	if !dataError(err) {
		return err
	}
	// Refused: first the inserts whose keys exist already, in bulk (the
	// usual reason, and the only one cheap to check); then probes.
	good := all
	if len(br.ins) > 0 {
		if keep := b.checkUnique(ctx, tx, l, w, t, all.ins, br.ins, kv); len(keep) < len(all.ins) {
			good.ins = keep
			if _, err = b.attempt(ctx, tx, l, w, &br, good, true, false); err == nil {
				w.written += int64(good.size())
				return nil
			}
			if !dataError(err) {
				return err
			}
		}
	}
	bad := badRows{ins: map[int]RowError{}, upd: map[int]RowError{}}
	if err := b.isolate(ctx, tx, l, w, &br, good, bad); err != nil {
		return err
	}
	good = good.without(bad)
	for round := 0; ; round++ {
		if good.size() == 0 {
			break
		}
		k, err := b.attempt(ctx, tx, l, w, &br, good, true, false)
		if err == nil {
			w.written += int64(good.size())
			break
		}
		if !dataError(err) {
			return err
		}
		if round >= maxFinalRounds {
			return fmt.Errorf("batch %d: rows accepted one by one are refused together: %w", w.seq, err)
		}
		if k >= 0 && k < len(good.ins) {
			bad.ins[good.ins[k]] = l.rowError(br.ins[good.ins[k]].line, err)
		} else {
			before := bad.size()
			if err := b.isolate(ctx, tx, l, w, &br, good, bad); err != nil {
				return err
			}
			if bad.size() == before {
				return fmt.Errorf("batch %d: rows accepted one by one are refused together: %w", w.seq, err)
			}
		}
		good = good.without(bad)
	}
	for _, e := range bad.ins {
		w.errs = append(w.errs, e)
	}
	for _, e := range bad.upd {
		w.errs = append(w.errs, e)
	}
	return nil
}

func pick(rows []*prow, idx []int) []*prow {
	if len(idx) == len(rows) {
		return rows
	}
	out := make([]*prow, len(idx))
	for j, i := range idx {
		out[j] = rows[i]
	}
	return out
}

// sortErrors puts a batch's row problems in file order.
func sortErrors(w *work) {
	sort.SliceStable(w.errs, func(i, j int) bool { return w.errs[i].Line < w.errs[j].Line })
}

// attempt writes set in a savepoint, kept (released) when keep and it
// succeeds, else rolled back. k is the index into set.ins of the insert
// the error is about (-1: not known). top: the mid-COPY failpoint.
func (b *pgBackend) attempt(ctx context.Context, tx pgx.Tx, l *Loader, w *work, br *batchRows, set rowSet, keep, top bool) (k int, err error) {
	if err := simple(ctx, tx, "SAVEPOINT bd_try"); err != nil {
		return -1, err
	}
	k, err = b.apply(ctx, tx, l, w, br, set, top)
	if err == nil && keep {
		return -1, simple(ctx, tx, "RELEASE SAVEPOINT bd_try")
	}
	if rerr := simple(ctx, tx, "ROLLBACK TO SAVEPOINT bd_try; RELEASE SAVEPOINT bd_try"); rerr != nil {
		return -1, rerr
	}
	return k, err
}

// simple runs SQL without parameters (several statements allowed).
func simple(ctx context.Context, tx pgx.Tx, sql string) error {
	_, err := tx.Conn().PgConn().Exec(ctx, sql).ReadAll()
	return err
}

// apply writes the rows of set: inserts by one COPY, updates through the
// staging table, then their related teams. k is as for attempt.
func (b *pgBackend) apply(ctx context.Context, tx pgx.Tx, l *Loader, w *work, br *batchRows, set rowSet, top bool) (k int, err error) {
	if len(set.ins) > 0 {
		if err := copyRows(ctx, tx, br.insData, set.ins, top, w.seq); err != nil {
			k := copyLine(err)
			if k >= 0 {
				err = &rowRefusal{err}
			}
			return k, err
		}
	}
	if len(set.upd) > 0 && br.updData != nil {
		if err := b.update(ctx, tx, l, br, set.upd, top, w.seq); err != nil {
			return -1, err
		}
	}
	if len(l.teams) == 0 {
		return -1, nil
	}
	rows := make([]prow, 0, set.size())
	for _, i := range set.ins {
		rows = append(rows, *br.ins[i])
	}
	for _, i := range set.upd {
		rows = append(rows, *br.upd[i])
	}
	return -1, b.teams(ctx, tx, l, rows)
}

// minWindow is the fewest rows a probe of isolate sends.
const minWindow = 16

// isolate finds the bad rows of set by rolled-back probes and adds them to
// bad: the inserts by COPY's row numbers, the rest by bisection. A probe
// sends a window of rows that grows while they pass and shrinks to about
// twice the gap between bad rows, so dense bad rows cost small probes.
func (b *pgBackend) isolate(ctx context.Context, tx pgx.Tx, l *Loader, w *work, br *batchRows, set rowSet, bad badRows) (err error) {
	if err := simple(ctx, tx, "SAVEPOINT bd_probe"); err != nil {
		return err
	}
	defer func() {
		if err == nil {
			err = simple(ctx, tx, "RELEASE SAVEPOINT bd_probe")
		}
	}()
	cand := set.ins
	win := len(cand)
	for s, probes := 0, 0; s < len(cand); probes++ {
		if probes == 1 {
			failpoint(FailDuringBisect, w.seq)
		}
		end := min(s+win, len(cand))
		k, err := b.probe(ctx, tx, l, w, br, rowSet{ins: cand[s:end]})
		if err == nil {
			s, win = end, 2*win
			continue
		}
		if !dataError(err) {
			return err
		}
		if k < 0 || k >= end-s {
			if err := b.bisect(ctx, tx, l, w, br, rowSet{ins: cand[s:end]}, bad, err); err != nil {
				return err
			}
			s = end
			continue
		}
		bad.ins[cand[s+k]] = l.rowError(br.ins[cand[s+k]].line, err)
		s += k + 1
		win = max(minWindow, 2*(k+1))
	}
	if len(set.upd) == 0 {
		return nil
	}
	if _, err := b.probe(ctx, tx, l, w, br, rowSet{upd: set.upd}); err != nil {
		if !dataError(err) {
			return err
		}
		return b.bisect(ctx, tx, l, w, br, rowSet{upd: set.upd}, bad, err)
	}
	return nil
}

// probe applies set and rolls it back to savepoint bd_probe, whatever
// happened; k is as for attempt.
func (b *pgBackend) probe(ctx context.Context, tx pgx.Tx, l *Loader, w *work, br *batchRows, set rowSet) (k int, err error) {
	k, err = b.apply(ctx, tx, l, w, br, set, false)
	if rerr := simple(ctx, tx, "ROLLBACK TO SAVEPOINT bd_probe"); rerr != nil {
		return -1, rerr
	}
	return k, err
}

// bisect finds the bad rows of set, which failed with err, by halves; every
// probe is rolled back (inside isolate's savepoint).
func (b *pgBackend) bisect(ctx context.Context, tx pgx.Tx, l *Loader, w *work, br *batchRows, set rowSet, bad badRows, err error) error {
	if set.size() == 1 {
		if len(set.ins) == 1 {
			bad.ins[set.ins[0]] = l.rowError(br.ins[set.ins[0]].line, err)
		} else {
			bad.upd[set.upd[0]] = l.rowError(br.upd[set.upd[0]].line, err)
		}
		return nil
	}
	var halves [2]rowSet
	if len(set.ins) > 1 || (len(set.ins) == 1 && len(set.upd) == 0) {
		m := len(set.ins) / 2
		halves = [2]rowSet{{ins: set.ins[:m]}, {ins: set.ins[m:], upd: set.upd}}
	} else if len(set.ins) == 1 {
		halves = [2]rowSet{{ins: set.ins}, {upd: set.upd}}
	} else {
		m := len(set.upd) / 2
		halves = [2]rowSet{{upd: set.upd[:m]}, {upd: set.upd[m:]}}
	}
	for _, h := range halves {
		if h.size() == 0 {
			continue
		}
		_, herr := b.probe(ctx, tx, l, w, br, h)
		if herr == nil {
			continue
		}
		if !dataError(herr) {
			return herr
		}
		if err := b.bisect(ctx, tx, l, w, br, h, bad, herr); err != nil {
			return err
		}
	}
	return nil
}

// rowError is the row problem of the server's refusal err.
func (l *Loader) rowError(line int64, err error) RowError {
	code, col, msg := Reason(err)
	return RowError{Line: line, Code: code, Column: l.fieldOf(col), Message: msg}
}

// fieldOf is the API name of the field written to column col (col itself
// when no mapped field is).
func (l *Loader) fieldOf(col string) string {
	for i := range l.plan.Columns {
		if f := &l.plan.Columns[i].Field; f.Column == col && col != "" {
			return f.APIName
		}
	}
	return col
}

// insertRows computes the insert values of rows once (for the checks and
// the encoding).
func (b *pgBackend) insertRows(l *Loader, w *work, rows []*prow) [][]any {
	n := len(l.cols.insert)
	slab := make([]any, n*len(rows))
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = l.insertValues(r, w.now, true, slab[i*n:(i+1)*n:(i+1)*n])
	}
	return out
}

// checkNotNull turns inserts with NULL in a NOT NULL column into row
// problems, unless a BEFORE INSERT trigger may fill it. It returns the
// indexes of the other rows.
func (b *pgBackend) checkNotNull(l *Loader, w *work, t *pgTable, rows []*prow, vals [][]any) []int {
	keep := seq(len(rows))
	if t == nil || t.beforeInsert {
		return keep
	}
	var cols []int
	for j, c := range l.cols.insert {
		if pc := t.cols[c]; pc != nil && pc.notNull {
			cols = append(cols, j)
		}
	}
	if len(cols) == 0 {
		return keep
	}
	keep = keep[:0]
	for i := range rows {
		ok := true
		for _, j := range cols {
			if vals[i][j] == nil || isNullValue(vals[i][j]) {
				c := l.cols.insert[j]
				w.errs = append(w.errs, RowError{Line: rows[i].line, Code: CodeNotNull, Column: l.fieldOf(c),
					Message: fmt.Sprintf("column %s is required but empty", c)})
				ok = false
				break
			}
		}
		if ok {
			keep = append(keep, i)
		}
	}
	return keep
}

// checkUnique finds, with one query per unique index of the table, the
// inserts among keep whose key already exists, and turns them into row
// problems; it returns the others. A failed check query (a value the
// column's type refuses) leaves the rows to the server.
func (b *pgBackend) checkUnique(ctx context.Context, tx pgx.Tx, l *Loader, w *work, t *pgTable, keep []int, rows []*prow, vals [][]any) []int {
	if t == nil || len(keep) == 0 || len(t.uniques) == 0 {
		return keep
	}
	pos := make(map[string]int, len(l.cols.insert))
	for j, c := range l.cols.insert {
		pos[c] = j
	}
	clash := map[int]RowError{}
	if err := simple(ctx, tx, "SAVEPOINT bd_check"); err != nil {
		return keep
	}
	for _, u := range t.uniques {
		idx := make([]int, len(u))
		cols := make([]*pgColumn, len(u))
		usable := true
		for k, c := range u {
			j, ok := pos[c]
			if !ok || t.cols[c] == nil || l.cols.insertSrc[j] == srcID {
				usable = false // not written, or a fresh ID of ours
				break
			}
			idx[k], cols[k] = j, t.cols[c]
		}
		if !usable {
			continue
		}
		ords := make([]int32, 0, len(keep))
		texts := make([][]string, len(u))
	rows:
		for _, i := range keep {
			if _, done := clash[i]; done {
				continue
			}
			row := make([]string, len(u))
			for k, j := range idx {
				v := vals[i][j]
				if v == nil || isNullValue(v) {
					continue rows // NULLs never clash
				}
				s, ok := textValue(cols[k], v)
				if !ok {
					continue rows
				}
				row[k] = s
			}
			ords = append(ords, int32(i))
			for k := range u {
				texts[k] = append(texts[k], row[k])
			}
		}
		if len(ords) == 0 {
			continue
		}
		found, err := b.existing(ctx, tx, l, u, cols, ords, texts)
		if err != nil {
			_ = simple(ctx, tx, "ROLLBACK TO SAVEPOINT bd_check; RELEASE SAVEPOINT bd_check")
			return keep
		}
		for _, f := range found {
			i := int(ords[f])
			clash[i] = uniqueProblem(l, rows[i].line, u, func(k int) string { return texts[k][f] })
		}
	}
	_ = simple(ctx, tx, "RELEASE SAVEPOINT bd_check")
	if len(clash) == 0 {
		return keep
	}
	out := keep[:0:0]
	for _, i := range keep {
		if e, ok := clash[i]; ok {
			w.errs = append(w.errs, e)
			continue
		}
		out = append(out, i)
	}
	return out
}

// existing returns the positions in ords whose key (texts, by column of u)
// is in the table already.
func (b *pgBackend) existing(ctx context.Context, tx pgx.Tx, l *Loader, u []string, cols []*pgColumn, ords []int32, texts [][]string) ([]int, error) {
	args := []any{ords}
	params := []string{"$1::int4[]"}
	names := []string{"bd_i"}
	conds := make([]string, len(u))
	for k, c := range u {
		args = append(args, texts[k])
		params = append(params, fmt.Sprintf("$%d::text[]", k+2))
		names = append(names, fmt.Sprintf("c%d", k))
		conds[k] = fmt.Sprintf("t.%s = u.c%d::%s", crmdb.QuoteIdent(c), k, cols[k].cast)
	}
	sql := fmt.Sprintf("SELECT u.bd_i FROM unnest(%s) AS u(%s) WHERE EXISTS (SELECT 1 FROM %s AS t WHERE %s)",
		strings.Join(params, ", "), strings.Join(names, ", "), crmdb.ObjectTable(l.obj), strings.Join(conds, " AND "))
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	at := make(map[int32]int, len(ords))
	for p, o := range ords {
		at[o] = p
	}
	var out []int
	for rows.Next() {
		var o int32
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		out = append(out, at[o])
	}
	return out, rows.Err()
}

// uniqueProblem is the problem of a row whose key u (values by column)
// exists already, in Reason's words for a unique violation.
func uniqueProblem(l *Loader, line int64, u []string, value func(k int) string) RowError {
	vals := make([]string, len(u))
	for k := range u {
		vals[k] = quoteValue(value(k))
	}
	what := fmt.Sprintf("%s %s", u[0], vals[0])
	kind := "column " + u[0]
	if len(u) > 1 {
		what = fmt.Sprintf("(%s)=(%s)", strings.Join(u, ", "), strings.Join(vals, ", "))
		kind = "columns " + strings.Join(u, ", ")
	}
	return RowError{Line: line, Code: CodeUnique, Column: l.fieldOf(u[0]),
		Message: fmt.Sprintf("duplicate value: %s already exists (unique %s)", what, kind)}
}

// quoteValue quotes a value for a message, cut to about 100 characters.
func quoteValue(s string) string {
	if len(s) > 100 {
		r := []rune(s)
		if len(r) > 100 {
			s = string(r[:100]) + "…"
		}
	}
	return fmt.Sprintf("%q", s)
}

// insertPlan is the COPY of the insert columns (looked up once).
func (b *pgBackend) insertPlan(l *Loader, t *pgTable) *copyPlan {
	b.planOnce.Do(func() {
		var cols []*pgColumn
		if t != nil {
			cols = t.types(l.cols.insert)
		}
		b.insPlan = newCopyPlan(crmdb.ObjectTable(l.obj), l.cols.insert, cols)
		if l.keyFld == nil || len(l.cols.update) == 0 {
			return // insert only
		}
		names := append(append([]string{identity(l.obj, l.keyFld)}, l.cols.update...), "bd_keep", "bd_ord")
		var ucols []*pgColumn
		if t != nil {
			if ucols = t.types(names[:len(names)-2]); ucols != nil {
				ucols = append(ucols, &pgColumn{name: "bd_keep", oid: pgtype.BoolArrayOID, array: true, cast: "boolean[]"},
					&pgColumn{name: "bd_ord", oid: pgtype.Int4OID, cast: "integer"})
			}
		}
		b.updPlan = newCopyPlan(crmdb.QuoteIdent(stageName(l)), names, ucols)
	})
	return b.insPlan
}

// updatePlan is the COPY into the staging table of updates.
func (b *pgBackend) updatePlan(l *Loader, t *pgTable) *copyPlan {
	b.insertPlan(l, t)
	return b.updPlan
}

// tableInfo is the target table as the catalog has it (read once; nil
// when it cannot be read: the loader then checks less before sending).
func (b *pgBackend) tableInfo(ctx context.Context, l *Loader) *pgTable {
	b.tableOnce.Do(func() {
		b.table, _ = readTable(ctx, b.pool, crmdb.ObjectTable(l.obj))
	})
	return b.table
}
