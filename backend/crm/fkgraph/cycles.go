package fkgraph

// Cycles lists the cascading foreign keys of the delete set that close a
// cycle: a table that cascades from itself (a tree of records, such as an
// account's parent account with ON DELETE CASCADE), or back into a table
// that cascades into it, the root included. Through such a key the
// database deletes records at any depth, more than the graph's queries
// (which follow each key once on a path) count, capture and back up; a
// delete over a graph with cycles must be refused.
func (g *Graph) Cycles() []ForeignKey {
	var out []ForeignKey
	for _, fk := range g.req.Keys {
		if fk.OnDelete == Cascade && g.in[fk.Parent] && g.in[fk.Child] && g.reaches(fk.Child, fk.Parent) {
			out = append(out, fk)
		}
	}
	return out
}

// reaches reports whether rows of table to cascade from rows of from
// (from == to counts), following the cascading keys inside the set.
func (g *Graph) reaches(from, to Table) bool {
	seen := map[Table]bool{from: true}
	next := []Table{from}
	for len(next) > 0 {
		t := next[0]
		next = next[1:]
		if t == to {
			return true
		}
		for _, fk := range g.req.Keys {
			if fk.OnDelete == Cascade && fk.Parent == t && g.in[fk.Child] && !seen[fk.Child] {
				seen[fk.Child] = true
				next = append(next, fk.Child)
			}
		}
	}
	return false
}
