package fkgraph

import (
	"strings"
	"testing"
)

func fk(name, child, childCol, parent string, a Action) ForeignKey {
	return ForeignKey{Name: name, Child: Table{Name: child}, ChildCols: []string{childCol},
		Parent: Table{Name: parent}, ParentCols: []string{"id"}, OnDelete: a, Indexed: true}
}

// TestBuildCycles: a self-referencing cascade and a cascade cycle end, and
// the closure holds each table once.
func TestBuildCycles(t *testing.T) {
	keys := []ForeignKey{
		fk("tree", "node", "parent_id", "node", Cascade),
		fk("a_b", "b", "a_id", "node", Cascade),
		fk("b_c", "c", "b_id", "b", Cascade),
		fk("c_b", "b", "c_id", "c", Cascade),
		fk("hold", "h", "c_id", "c", Restrict),
		fk("note", "n", "b_id", "b", SetNull),
	}
	g, err := Build(Request{Dialect: SQLite, Root: Table{Name: "node"}, Key: "id", Keys: keys, SkipBlocked: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Cascading(); len(got) != 2 || got[0].Name != "b" || got[1].Name != "c" {
		t.Errorf("closure %v, want b, c", got)
	}
	for _, build := range []func() (Query, error){g.Count, g.CountMatching, g.CountBlocked, g.Capture} {
		q, err := build()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(q.SQL, "(") != strings.Count(q.SQL, ")") {
			t.Errorf("unbalanced SQL: %s", q.SQL)
		}
	}
	edges, err := g.Edges()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[EdgeKind]int{}
	for _, e := range edges {
		kinds[e.Kind]++
	}
	if kinds[EdgeCascade] != 4 || kinds[EdgeBlocking] != 1 || kinds[EdgeEmpties] != 1 {
		t.Errorf("edges by kind %v", kinds)
	}
}

func TestSuggestedIndexQuotes(t *testing.T) {
	k := ForeignKey{Child: Table{Schema: `s"x`, Name: `t"y`}, ChildCols: []string{`c"1`, "c2"}}
	want := `CREATE INDEX "t""y_c""1_c2_idx" ON "s""x"."t""y" ("c""1", "c2")`
	if got := k.SuggestedIndex(); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestActions(t *testing.T) {
	for a, want := range map[Action][2]bool{Cascade: {false, false}, SetNull: {false, true}, SetDefault: {false, true},
		Restrict: {true, false}, NoAction: {true, false}} {
		if a.Blocks() != want[0] || a.Empties() != want[1] {
			t.Errorf("%s: blocks %v empties %v", a, a.Blocks(), a.Empties())
		}
	}
}
