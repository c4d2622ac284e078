package fkgraph

import (
	"batchdesk/backend/crm/crmdb"
	"fmt"
	"strconv"
	"strings"
)

// Dialect is the SQL dialect queries are written for.
type Dialect string

// The two dialects of a CRM target.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Request says which records of which table a delete takes.
type Request struct {
	Dialect Dialect
	// Root is the table records are deleted from; Key its identifying
	// column (the object's id).
	Root Table
	Key  string
	// Where selects the records; nil means every record.
	Where Condition
	// SkipBlocked leaves out the records that a blocking reference (or one
	// to a record that cascades with them) holds, instead of refusing.
	SkipBlocked bool
	// Keys are the database's foreign keys (any table); those that do not
	// reach the root's cascade set are ignored.
	Keys []ForeignKey
}

// Query is SQL with its bound arguments (in placeholder order).
type Query struct {
	SQL  string
	Args []any
}

// EdgeKind says what a foreign key does to the records that go.
type EdgeKind string

// Kinds of Edge.
const (
	EdgeCascade  EdgeKind = "cascade"
	EdgeEmpties  EdgeKind = "set-null"
	EdgeBlocking EdgeKind = "blocking"
)

// Edge is one foreign key that points at a table of the delete set, with
// the query that counts the referencing rows it acts on.
type Edge struct {
	Kind EdgeKind
	FK   ForeignKey
	// Count counts the referencing rows: those that cascade (Cascade),
	// those whose lookup is emptied (Empties), or those outside the delete
	// set that hold a record of it (Blocking; counted for the records that
	// match, before --skip-blocked leaves any out).
	Count Query
}

// Graph is a Request with its cascade set worked out.
type Graph struct {
	req     Request
	closure []Table        // cascading tables, root excluded, in discovery order
	in      map[Table]bool // root and closure
}

// Build follows the cascading foreign keys from the root (each key at most
// once on a path, so cycles end) and returns the graph.
func Build(req Request) (*Graph, error) {
	if req.Root.Name == "" || req.Key == "" {
		return nil, fmt.Errorf("delete graph: no table or key column")
	}
	if req.Dialect != Postgres && req.Dialect != SQLite {
		return nil, fmt.Errorf("delete graph: unknown dialect %q", req.Dialect)
	}
	g := &Graph{req: req, in: map[Table]bool{req.Root: true}}
	for changed := true; changed; {
		changed = false
		for _, fk := range req.Keys {
			if fk.OnDelete == Cascade && g.in[fk.Parent] && !g.in[fk.Child] {
				g.in[fk.Child] = true
				g.closure = append(g.closure, fk.Child)
				changed = true
			}
		}
	}
	return g, nil
}

// Cascading lists the tables whose rows go with the root's (root excluded).
func (g *Graph) Cascading() []Table { return append([]Table(nil), g.closure...) }

// Count counts the records that go: those matching, less the blocked ones
// with SkipBlocked.
func (g *Graph) Count() (Query, error) {
	w := g.writer()
	w.s("SELECT count(*) FROM " + g.req.Root.Quoted() + " AS r0 WHERE ")
	w.inSet(g.req.Root, "r0", nil, false)
	return w.done()
}

// CountMatching counts the records the filter matches (blocked included).
func (g *Graph) CountMatching() (Query, error) {
	w := g.writer()
	w.s("SELECT count(*) FROM " + g.req.Root.Quoted() + " AS r0 WHERE ")
	w.inSet(g.req.Root, "r0", nil, true)
	return w.done()
}

// CountBlocked counts the matching records that cannot go: a blocking
// reference from outside the delete set holds them or a record that would
// cascade with them.
func (g *Graph) CountBlocked() (Query, error) {
	w := g.writer()
	w.s("SELECT count(*) FROM " + g.req.Root.Quoted() + " AS r0 WHERE ")
	w.inSet(g.req.Root, "r0", nil, true)
	w.s(" AND ")
	w.blocked(g.req.Root, "r0", nil)
	return w.done()
}

// ListBlocked returns up to limit keys of blocked records (every one when
// limit <= 0), in key order, for the refusal message and the job's report.
func (g *Graph) ListBlocked(limit int) (Query, error) {
	w := g.writer()
	w.s("SELECT CAST(r0." + crmdb.QuoteIdent(g.req.Key) + " AS TEXT) FROM " + g.req.Root.Quoted() + " AS r0 WHERE ")
	w.inSet(g.req.Root, "r0", nil, true)
	w.s(" AND ")
	w.blocked(g.req.Root, "r0", nil)
	w.s(" ORDER BY r0." + crmdb.QuoteIdent(g.req.Key))
	if limit > 0 {
		w.s(" LIMIT " + strconv.Itoa(limit))
	}
	return w.done()
}

// Capture selects the keys of the records that go, as text, in the
// order the rows lie in the table (ctid on PostgreSQL, rowid on SQLite):
// batches of neighbouring rows touch few pages, where key order (random
// UUIDs) would read the whole table once per batch when it outgrows the
// server's cache.
func (g *Graph) Capture() (Query, error) {
	w := g.writer()
	w.s("SELECT CAST(r0." + crmdb.QuoteIdent(g.req.Key) + " AS TEXT) FROM " + g.req.Root.Quoted() + " AS r0 WHERE ")
	w.inSet(g.req.Root, "r0", nil, false)
	if g.req.Dialect == Postgres {
		w.s(" ORDER BY r0.ctid")
	} else {
		w.s(" ORDER BY r0.rowid")
	}
	return w.done()
}

// CountTable counts the rows of a cascading table that go with the root's.
func (g *Graph) CountTable(t Table) (Query, error) {
	if !g.in[t] || t == g.req.Root {
		return Query{}, fmt.Errorf("delete graph: %s does not cascade from %s", t, g.req.Root)
	}
	w := g.writer()
	w.s("SELECT count(*) FROM " + t.Quoted() + " AS r0 WHERE ")
	w.inSet(t, "r0", nil, false)
	return w.done()
}

// Edges lists every foreign key pointing at a table of the delete set,
// cascading ones first, each with its count query.
func (g *Graph) Edges() ([]Edge, error) {
	var out []Edge
	for _, kind := range []EdgeKind{EdgeCascade, EdgeEmpties, EdgeBlocking} {
		for _, fk := range g.req.Keys {
			if !g.in[fk.Parent] || kindOf(fk.OnDelete) != kind {
				continue
			}
			orig := kind == EdgeBlocking
			w := g.writer()
			w.s("SELECT count(*) FROM " + fk.Child.Quoted() + " AS r0 WHERE ")
			w.refersToSet(fk, "r0", nil, orig)
			if kind != EdgeCascade && g.in[fk.Child] {
				w.s(" AND (")
				w.inSet(fk.Child, "r0", nil, orig)
				w.s(") IS NOT TRUE")
			}
			q, err := w.done()
			if err != nil {
				return nil, err
			}
			out = append(out, Edge{Kind: kind, FK: fk, Count: q})
		}
	}
	return out, nil
}

func kindOf(a Action) EdgeKind {
	switch {
	case a == Cascade:
		return EdgeCascade
	case a.Empties():
		return EdgeEmpties
	}
	return EdgeBlocking
}

// writer accumulates SQL and its arguments in placeholder order.
type writer struct {
	g    *Graph
	b    strings.Builder
	args []any
	n    int
	err  error
}

func (g *Graph) writer() *writer { return &writer{g: g} }

func (w *writer) s(s string) { w.b.WriteString(s) }

func (w *writer) alias() string {
	w.n++
	return "t" + strconv.Itoa(w.n)
}

func (w *writer) done() (Query, error) {
	if w.err != nil {
		return Query{}, w.err
	}
	return Query{SQL: w.b.String(), Args: w.args}, nil
}

// cond writes the root filter for alias (TRUE without one).
func (w *writer) cond(alias string) {
	c := w.g.req.Where
	if c == nil {
		w.s("1 = 1")
		return
	}
	var sql string
	var args []any
	var err error
	if w.g.req.Dialect == Postgres {
		sql, err = c.Postgres(alias)
	} else {
		sql, args, err = c.SQLite(alias)
	}
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("render the filter: %w", err)
	}
	if strings.TrimSpace(sql) == "" {
		sql = "1 = 1"
	}
	w.s("(" + sql + ")")
	w.args = append(w.args, args...)
}

// inSet writes a predicate true when the row alias of t goes: the root's
// rows by the filter (less the blocked ones unless orig), the others when a
// cascading key points at a row that goes.
func (w *writer) inSet(t Table, alias string, path []string, orig bool) {
	if t == w.g.req.Root {
		w.s("(")
		w.cond(alias)
		if !orig && w.g.req.SkipBlocked {
			w.s(" AND NOT ")
			w.blocked(t, alias, nil)
		}
		w.s(")")
		return
	}
	w.s("(")
	any := false
	for _, fk := range w.g.req.Keys {
		if fk.Child != t || fk.OnDelete != Cascade || !w.g.in[fk.Parent] || onPath(path, fk) {
			continue
		}
		if any {
			w.s(" OR ")
		}
		any = true
		w.refersToSet(fk, alias, path, orig)
	}
	if !any {
		w.s("1 = 0")
	}
	w.s(")")
}

// refersToSet writes "(alias.cols) IN (SELECT parent cols of rows that go)".
func (w *writer) refersToSet(fk ForeignKey, alias string, path []string, orig bool) {
	p := w.alias()
	w.s("(" + cols(alias, fk.ChildCols) + ") IN (SELECT " + cols(p, fk.ParentCols) + " FROM " +
		fk.Parent.Quoted() + " AS " + p + " WHERE ")
	w.inSet(fk.Parent, p, append(path, key(fk)), orig)
	w.s(")")
}

// blocked writes a predicate true when the row alias of t is held by a
// blocking reference from a row that does not go, directly or through a
// row that would cascade from it.
func (w *writer) blocked(t Table, alias string, path []string) {
	w.s("(")
	any := false
	or := func() {
		if any {
			w.s(" OR ")
		}
		any = true
	}
	for _, fk := range w.g.req.Keys {
		if fk.Parent != t || !fk.OnDelete.Blocks() {
			continue
		}
		or()
		x := w.alias()
		w.s("EXISTS (SELECT 1 FROM " + fk.Child.Quoted() + " AS " + x + " WHERE " + equal(x, fk.ChildCols, alias, fk.ParentCols))
		if w.g.in[fk.Child] {
			w.s(" AND (")
			w.inSet(fk.Child, x, nil, true)
			w.s(") IS NOT TRUE")
		}
		w.s(")")
	}
	for _, fk := range w.g.req.Keys {
		if fk.Parent != t || fk.OnDelete != Cascade || fk.Child == w.g.req.Root || onPath(path, fk) {
			continue
		}
		or()
		c := w.alias()
		w.s("EXISTS (SELECT 1 FROM " + fk.Child.Quoted() + " AS " + c + " WHERE " + equal(c, fk.ChildCols, alias, fk.ParentCols) + " AND ")
		w.blocked(fk.Child, c, append(path, key(fk)))
		w.s(")")
	}
	if !any {
		w.s("1 = 0")
	}
	w.s(")")
}

func key(fk ForeignKey) string {
	return fk.Child.String() + "\x00" + fk.Name + "\x00" + strings.Join(fk.ChildCols, "\x00")
}

func onPath(path []string, fk ForeignKey) bool {
	k := key(fk)
	for _, p := range path {
		if p == k {
			return true
		}
	}
	return false
}

func cols(alias string, names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = alias + "." + crmdb.QuoteIdent(n)
	}
	return strings.Join(out, ", ")
}

func equal(a string, ac []string, b string, bc []string) string {
	parts := make([]string, len(ac))
	for i := range ac {
		parts[i] = a + "." + crmdb.QuoteIdent(ac[i]) + " = " + b + "." + crmdb.QuoteIdent(bc[i])
	}
	return strings.Join(parts, " AND ")
}
