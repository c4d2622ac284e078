package load

import (
	"context"
	"fmt"
	"time"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/imports/validate"
)

// Sources of a written column besides a mapped one (cols.*Src < 0).
const (
	srcID     = -1 // the record ID (generated for inserts)
	srcSystem = -2 // the System user
	srcNow    = -3 // the batch's time
)

// cols are the columns an insert and an update write, and where each value
// comes from (>= 0: Plan.Columns index).
type cols struct {
	insert, update       []string
	insertSrc, updateSrc []int
}

// keepable says per update column whether it is mapped, so a blank
// "keep" cell may leave its stored value alone.
func (c cols) keepable() []bool {
	out := make([]bool, len(c.update))
	for i, src := range c.updateSrc {
		out[i] = src >= 0
	}
	return out
}

func (l *Loader) buildCols() cols {
	var c cols
	mapped := map[string]bool{}
	if l.genIDs {
		c.insert, c.insertSrc = append(c.insert, "id"), append(c.insertSrc, srcID)
	}
	for i, col := range l.plan.Columns {
		f := col.Field
		if f.Column == "" || f.Type == catalog.RelatedTeam {
			continue
		}
		mapped[f.Column] = true
		c.insert, c.insertSrc = append(c.insert, f.Column), append(c.insertSrc, i)
		if f.Column != "id" && !(l.keyFld != nil && f.APIName == l.keyFld.APIName && !l.hasID) {
			c.update, c.updateSrc = append(c.update, f.Column), append(c.updateSrc, i)
		}
	}
	if !l.obj.FromCatalog {
		return c // a plain table: its own defaults apply
	}
	for _, f := range l.obj.Fields {
		if mapped[f.Column] {
			continue
		}
		src := 0
		switch f.Column {
		case "owner_id", "created_by":
			src = srcSystem
		case "created_at":
			src = srcNow
		case "last_modified_by":
			src = srcSystem
			c.update, c.updateSrc = append(c.update, f.Column), append(c.updateSrc, src)
		case "last_modified_at":
			src = srcNow
			c.update, c.updateSrc = append(c.update, f.Column), append(c.updateSrc, src)
		default:
			continue
		}
		c.insert, c.insertSrc = append(c.insert, f.Column), append(c.insertSrc, src)
	}
	return c
}

// onlyTeams reports whether the plan maps no column an update writes
// besides the key: only team columns (so a row whose team cells are all
// blank changes nothing).
func (l *Loader) onlyTeams() bool {
	if len(l.teams) == 0 || l.plan.Mode == Insert {
		return false
	}
	for _, src := range l.cols.updateSrc {
		if src >= 0 && src != l.keyIdx {
			return false
		}
	}
	return true
}

// prow is a row ready to write: references resolved, identity known.
type prow struct {
	line    int64
	key     string // Row.Key
	vals    []any  // per Plan.Columns; references replaced by IDs
	id      string // record ID: the matched record (update) or a new one
	insert  bool
	team    map[string][]string // role → user IDs
	teamSet bool                // the row's team replaces the record's
	// unchanged: an update whose only mapped columns besides the key are
	// team columns, all blank: nothing is written, not even
	// last_modified_at (the row still counts as written).
	unchanged bool
}

// members lists the row's related team, each user once: read-write first,
// so a user given both roles keeps read-write.
func (r *prow) members() []crmdb.TeamMember {
	var out []crmdb.TeamMember
	seen := map[string]bool{}
	for _, role := range []string{crmdb.RoleReadWrite, crmdb.RoleReadOnly} {
		for _, u := range r.team[role] {
			if seen[u] {
				continue
			}
			seen[u] = true
			out = append(out, crmdb.TeamMember{RecordID: r.id, UserID: u, Role: role})
		}
	}
	return out
}

// work is a batch after prepare: the rows to write and the rows already
// failed. write fills written and appends server rejections to errs.
type work struct {
	seq         int
	first, last int64
	now         time.Time
	rows        []prow
	errs        []RowError
	written     int64
	added       int64 // of written: the rows inserted (set by countAdded)
	failedKeys  map[string]string
}

// countAdded sets w.added from the rows written: the inserts that did not
// fail. write calls it once the batch's rows are written, before the
// ledger records the batch.
func (w *work) countAdded() {
	bad := make(map[int64]bool, len(w.errs))
	for _, e := range w.errs {
		bad[e.Line] = true
	}
	w.added = 0
	for i := range w.rows {
		if w.rows[i].insert && !bad[w.rows[i].line] {
			w.added++
		}
	}
	w.added = min(w.added, w.written)
}

// prepare resolves references and keys in bulk for one batch: lookups and
// related teams (one bulk resolution per column), then the record each
// update/upsert row is about, then the identity of each row to write.
func (l *Loader) prepare(ctx context.Context, b Batch) (*work, error) {
	w := &work{seq: b.Seq, first: b.Rows[0].Line, last: b.Rows[len(b.Rows)-1].Line,
		now: l.plan.Now, failedKeys: map[string]string{}}
	if w.now.IsZero() {
		w.now = time.Now()
	}
	f := &failures{w: w, rows: b.Rows, bad: map[int]bool{}}
	rows := l.copyRows(b)
	for c := range l.plan.Columns {
		if l.targets[c] == nil {
			continue
		}
		var err error
		if l.plan.Columns[c].Field.Type == catalog.RelatedTeam {
			err = l.resolveTeam(ctx, c, rows, f)
		} else {
			err = l.resolveLookup(ctx, c, rows, f)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := l.matchKeys(ctx, rows, f.bad, f.fail); err != nil {
		return nil, err
	}
	for i := range rows {
		if !f.bad[i] {
			w.rows = append(w.rows, l.identify(rows[i]))
		}
	}
	return w, nil
}

// failures collects the rows of a batch that prepare finds bad: each once,
// with its first problem; a failed row's key is a failed master for its
// details.
type failures struct {
	w    *work
	rows []Row
	bad  map[int]bool
}

func (f *failures) fail(i int, col, code, msg string) {
	if f.bad[i] {
		return
	}
	f.bad[i] = true
	f.w.errs = append(f.w.errs, RowError{Line: f.rows[i].Line, Code: code, Column: col, Message: msg})
	if k := f.rows[i].Key; k != "" {
		f.w.failedKeys[k] = msg
	}
}

// copyRows are the batch's rows to prepare. prepare replaces references
// (and ID keys) in place, so it works on a copy: a retried batch starts
// from the file's values again. A plain insert changes nothing and shares
// the rows' values.
func (l *Loader) copyRows(b Batch) []prow {
	share := l.plan.Mode == Insert && !l.resolves()
	rows := make([]prow, len(b.Rows))
	for i, r := range b.Rows {
		rows[i] = prow{line: r.Line, key: r.Key, vals: r.Values}
		if !share {
			rows[i].vals = append([]any(nil), r.Values...)
		}
	}
	return rows
}

// resolveLookup replaces the texts of lookup column c by the IDs of the
// records they name (a master's key by the ID its row was written under);
// a text that names none or several records fails its row.
func (l *Loader) resolveLookup(ctx context.Context, c int, rows []prow, f *failures) error {
	col := &l.plan.Columns[c]
	fld := &col.Field
	var texts []string
	for i := range rows {
		s, ok := rows[i].vals[c].(string)
		if f.bad[i] || !ok || blank(rows[i].vals[c]) {
			continue // failed, blank, or already an ID
		}
		if col.MasterKeys != nil {
			if id, why, ok := col.MasterKeys.Get(s); ok {
				if why != "" {
					f.fail(i, fld.APIName, CodeMaster, fmt.Sprintf("its master %q was not imported: %s", s, why))
				} else {
					rows[i].vals[c] = id
				}
				continue
			}
		}
		texts = append(texts, s)
	}
	if len(texts) == 0 {
		return nil
	}
	got, err := l.res.resolve(ctx, l.targets[c], col.Resolve, texts)
	if err != nil {
		return err
	}
	for i := range rows {
		s, ok := rows[i].vals[c].(string)
		if f.bad[i] || !ok || blank(rows[i].vals[c]) {
			continue
		}
		if m, ok := got[s]; ok {
			if m.code != "" {
				f.fail(i, fld.APIName, m.code, fld.APIName+": "+m.msg)
			} else {
				rows[i].vals[c] = m.id
			}
		}
	}
	return nil
}

// resolveTeam turns the users listed in team column c into the row's team
// members with the column's role (the column itself is not written); a
// user that matches none or several fails the row. A row with users in a
// team column replaces the record's team.
func (l *Loader) resolveTeam(ctx context.Context, c int, rows []prow, f *failures) error {
	col := &l.plan.Columns[c]
	fld := &col.Field
	var texts []string
	for i := range rows {
		if !f.bad[i] {
			texts = append(texts, splitList(rows[i].vals[c])...)
		}
	}
	if len(texts) == 0 {
		for i := range rows {
			rows[i].vals[c] = nil
		}
		return nil
	}
	got, err := l.res.resolve(ctx, l.targets[c], col.Resolve, texts)
	if err != nil {
		return err
	}
	for i := range rows {
		if f.bad[i] {
			continue
		}
		r := &rows[i]
		items := splitList(r.vals[c])
		r.vals[c] = nil
		if len(items) == 0 {
			continue
		}
		if r.team == nil {
			r.team = map[string][]string{}
		}
		for _, s := range items {
			m := got[s]
			if m.code != "" {
				f.fail(i, fld.APIName, m.code, fld.APIName+": "+m.msg)
				break
			}
			r.team[fld.TeamRole] = append(r.team[fld.TeamRole], m.id)
		}
		r.teamSet = true
	}
	return nil
}

// identify gives a good row its record ID (a new one for an insert when
// the IDs are ours, the file's when it maps id) and says whether its team
// is written and whether it changes anything.
func (l *Loader) identify(r prow) prow {
	if r.insert && l.genIDs {
		r.id = newRecordID()
	}
	if r.insert && l.hasID && !l.genIDs {
		if c := l.colIndex("id"); c >= 0 {
			r.id = canon(r.vals[c])
		}
	}
	if r.insert && r.team != nil {
		r.teamSet = true
	}
	r.unchanged = !r.insert && !r.teamSet && l.teamOnly
	return r
}

// matchKeys finds the record each update/upsert row is about: exactly one
// match updates it; none inserts (upsert) or fails (update); several fail.
func (l *Loader) matchKeys(ctx context.Context, rows []prow, bad map[int]bool, fail func(int, string, string, string)) error {
	if l.plan.Mode == Insert {
		for i := range rows {
			rows[i].insert = true
		}
		return nil
	}
	f := l.keyFld
	var keys []string
	for i := range rows {
		if bad[i] {
			continue
		}
		k := canon(rows[i].vals[l.keyIdx])
		if k == "" {
			fail(i, f.APIName, CodeNoMatch, fmt.Sprintf("the key %s is empty", fieldLabel(f)))
			continue
		}
		if isIDType(f.Type) || f.Type == catalog.UUID {
			rows[i].vals[l.keyIdx] = k
		}
		if looksLike(f, k) {
			keys = append(keys, k)
		}
	}
	found := map[string][]string{}
	if len(keys) > 0 {
		var err error
		if found, err = l.be.find(ctx, l.obj, f, keys); err != nil {
			return err
		}
	}
	for i := range rows {
		if bad[i] {
			continue
		}
		k := canon(rows[i].vals[l.keyIdx])
		ids := found[k]
		switch {
		case len(ids) == 1:
			rows[i].id = ids[0]
		case len(ids) > 1:
			fail(i, f.APIName, CodeAmbiguous, fmt.Sprintf("%d %s records have %s %q: the row is not applied to any of them", len(ids), objectName(l.obj), fieldLabel(f), k))
		case l.plan.Mode == Upsert:
			rows[i].insert = true
		default:
			fail(i, f.APIName, CodeNoMatch, fmt.Sprintf("no %s record has %s %q", objectName(l.obj), fieldLabel(f), k))
		}
	}
	return nil
}

// insertValues fills out (len(cols.insert)) with the values of r for
// cols.insert; a kept cell (validate.Keep) is written as NULL.
func (l *Loader) insertValues(r *prow, now time.Time, pg bool, out []any) []any {
	l.values(r, now, pg, l.cols.insertSrc, out, nil)
	return out
}

// updateValues fills out (len(cols.update)+1) with the record identity
// then the values for cols.update, and keep (len(cols.update)) with which
// columns the row leaves alone; anyKeep says whether any is.
func (l *Loader) updateValues(r *prow, now time.Time, pg bool, out []any, keep []bool) (anyKeep bool) {
	if l.hasID {
		out[0] = idValue(r.id, pg)
	} else {
		out[0] = r.vals[l.keyIdx]
		if !pg {
			out[0] = sqliteValue(out[0])
		}
	}
	clear(keep)
	l.values(r, now, pg, l.cols.updateSrc, out[1:], keep)
	for _, k := range keep {
		anyKeep = anyKeep || k
	}
	return anyKeep
}

// values fills out with r's values for the columns src; keep (nil for
// inserts) marks the columns whose cell is validate.Keep.
func (l *Loader) values(r *prow, now time.Time, pg bool, src []int, out []any, keep []bool) {
	for j, s := range src {
		var v any
		switch s {
		case srcID:
			v = idValue(r.id, pg)
		case srcSystem:
			v = idValue(systemUser, pg)
		case srcNow:
			v = now
			if !pg {
				v = sqliteValue(now)
			}
		default:
			v = r.vals[s]
			if v == validate.Keep {
				if keep != nil {
					keep[j] = true
				}
				v = nil
			}
			if blank(v) {
				v = l.systemDefault(s, now, pg)
			} else if f := &l.plan.Columns[s].Field; isIDType(f.Type) {
				if str, ok := v.(string); ok {
					v = idValue(str, pg)
				}
			}
			if pg {
				v = pgValue(v)
			} else {
				f := &l.plan.Columns[s].Field
				if t, ok := v.(time.Time); ok && f.Type == catalog.Date {
					v = t.Format("2006-01-02")
				}
				v = sqliteValue(v)
				if d, ok := v.(string); ok && f.Scale > 0 && decimalType(f.Type) {
					v = crmdb.FullScale(d, f.Scale) // as numeric(p,s) stores it
				}
			}
		}
		out[j] = v
	}
}

func idValue(id string, pg bool) any {
	if pg {
		return pgUUID(id)
	}
	return id
}

// systemDefault is the value of a blank cell in a mapped system column of a
// catalog CRM: the System user or now, as if the column were not mapped.
func (l *Loader) systemDefault(col int, now time.Time, pg bool) any {
	if !l.obj.FromCatalog {
		return nil
	}
	switch l.plan.Columns[col].Field.Column {
	case "owner_id", "created_by", "last_modified_by":
		return idValue(systemUser, pg)
	case "created_at", "last_modified_at":
		if pg {
			return now
		}
		return sqliteValue(now)
	}
	return nil
}

// decimalType reports whether t is stored as an exact decimal.
func decimalType(t catalog.FieldType) bool {
	return t == catalog.Decimal || t == catalog.Currency || t == catalog.Percent
}
