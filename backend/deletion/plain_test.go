package deletion

import (
	"context"
	"strings"
	"testing"

	"batchdesk/backend/store"
)

// plainSchema is a plain PostgreSQL schema (no CRM catalog): parent with
// a cascading child (indexed) and grandchild (not indexed), a SET NULL
// reference and a RESTRICT one.
const plainSchema = `
CREATE TABLE parent (id bigint PRIMARY KEY, name text NOT NULL, kind text NOT NULL);
CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint NOT NULL REFERENCES parent (id) ON DELETE CASCADE);
CREATE INDEX child_parent_idx ON child (parent_id);
CREATE TABLE grandchild (id bigint PRIMARY KEY, child_id bigint REFERENCES child (id) ON DELETE CASCADE);
CREATE TABLE note (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id) ON DELETE SET NULL);
CREATE INDEX note_parent_idx ON note (parent_id);
CREATE TABLE hold (id bigint PRIMARY KEY, grandchild_id bigint REFERENCES grandchild (id) ON DELETE RESTRICT);
CREATE INDEX hold_gc_idx ON hold (grandchild_id);
INSERT INTO parent SELECT g, 'p' || g, CASE WHEN g % 2 = 0 THEN 'even' ELSE 'odd' END FROM generate_series(1, 200) g;
INSERT INTO child SELECT g, 1 + g % 200 FROM generate_series(1, 600) g;
INSERT INTO grandchild SELECT g, 1 + g % 600 FROM generate_series(1, 1200) g;
INSERT INTO note SELECT g, 1 + g % 200 FROM generate_series(1, 300) g;
INSERT INTO hold SELECT g, g * 37 FROM generate_series(1, 5) g;
`

// TestPreviewPlainSchema checks cascades two levels deep, SET NULL, a
// RESTRICT reference held by a grandchild, and the warning for the
// unindexed foreign key, against counts written here in SQL; then deletes
// the unblocked odd parents and checks exactly their closure went.
func TestPreviewPlainSchema(t *testing.T) {
	f := pgFixture(t, false)
	withWhere(t)
	f.exec(plainSchema)
	ctx := context.Background()
	where := "%[1]s.kind = 'odd'"
	pv, err := f.svc.Preview(ctx, Request{CRM: f.crm, Object: "parent", Where: where})
	if err != nil {
		t.Fatal(err)
	}
	odd := "SELECT id FROM parent WHERE kind = 'odd'"
	oddChild := "SELECT id FROM child WHERE parent_id IN (" + odd + ")"
	oddGC := "SELECT id FROM grandchild WHERE child_id IN (" + oddChild + ")"
	want := map[string]int64{
		"matching":   f.count("SELECT count(*) FROM parent WHERE kind = 'odd'"),
		"child":      f.count("SELECT count(*) FROM child WHERE parent_id IN (" + odd + ")"),
		"grandchild": f.count("SELECT count(*) FROM grandchild WHERE child_id IN (" + oddChild + ")"),
		"note":       f.count("SELECT count(*) FROM note WHERE parent_id IN (" + odd + ")"),
		"hold":       f.count("SELECT count(*) FROM hold WHERE grandchild_id IN (" + oddGC + ")"),
		"blocked": f.count(`SELECT count(*) FROM parent p WHERE kind = 'odd' AND EXISTS (SELECT 1 FROM child c
			JOIN grandchild g ON g.child_id = c.id JOIN hold h ON h.grandchild_id = g.id WHERE c.parent_id = p.id)`),
	}
	if want["hold"] == 0 || want["blocked"] == 0 {
		t.Fatalf("fixture holds nothing: %v", want)
	}
	got := map[string]int64{"matching": pv.Matching, "blocked": pv.Blocked}
	for _, c := range pv.Cascades {
		got[c.Table] = c.Rows
	}
	if e, ok := related(pv.Emptied, "note"); ok {
		got["note"] = e.Rows
	}
	if b, ok := related(pv.Blocking, "hold"); ok {
		got["hold"] = b.Rows
	}
	for k, v := range want {
		key := k
		if k == "child" || k == "grandchild" {
			key = "public." + k
		}
		if got[key] != v {
			t.Errorf("%s = %d, want %d (preview %+v)", k, got[key], v, pv)
		}
	}
	warned := false
	for _, w := range pv.Warnings {
		if strings.Contains(w, "grandchild_child_id_fkey") && strings.Contains(w, `CREATE INDEX "grandchild_child_id_idx" ON "public"."grandchild" ("child_id")`) {
			warned = true
		}
		if strings.Contains(w, "child_parent_id_fkey ") {
			t.Errorf("warning for an indexed key: %s", w)
		}
	}
	if !warned {
		t.Errorf("no warning for the unindexed grandchild key: %q", pv.Warnings)
	}

	// Refused while blocked; with SkipBlocked exactly the others' closure goes.
	_, err = f.svc.Start(ctx, Request{CRM: f.crm, Object: "parent", Where: where, NoBackup: true},
		Confirmation{Object: "parent", Count: pv.Total})
	if err == nil || !strings.Contains(err.Error(), "cannot go") {
		t.Fatalf("blocked delete: %v, want a refusal", err)
	}
	req := Request{CRM: f.crm, Object: "parent", Where: where, NoBackup: true, SkipBlocked: true, BatchSize: 7}
	pv, err = f.svc.Preview(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	f.exec(`CREATE TABLE expect AS SELECT p.id FROM parent p WHERE kind = 'odd' AND NOT EXISTS (SELECT 1 FROM child c
		JOIN grandchild g ON g.child_id = c.id JOIN hold h ON h.grandchild_id = g.id WHERE c.parent_id = p.id)`)
	before := map[string]int64{
		"parent": f.count("SELECT count(*) FROM parent"),
		"child":  f.count("SELECT count(*) FROM child WHERE parent_id IN (SELECT id FROM expect)"),
	}
	id, err := f.svc.Start(ctx, req, Confirmation{Object: "parent", Count: pv.Total})
	if err != nil {
		t.Fatal(err)
	}
	j := f.wait(t, id)
	if j.Status != store.StatusDone || j.Succeeded != pv.Total || j.Failed != pv.Blocked || j.ErrorReport == "" {
		t.Errorf("job = %s %d/%d/%d report %q; want done, %d succeeded, %d failed, a report", j.Status, j.Total, j.Succeeded, j.Failed, j.ErrorReport, pv.Total, pv.Blocked)
	}
	if n := f.count("SELECT count(*) FROM parent WHERE id IN (SELECT id FROM expect)"); n != 0 {
		t.Errorf("%d expected parents left", n)
	}
	if n := f.count("SELECT count(*) FROM parent"); n != before["parent"]-pv.Total {
		t.Errorf("%d parents left, want %d", n, before["parent"]-pv.Total)
	}
	if n := f.count("SELECT count(*) FROM child WHERE parent_id IS NULL OR parent_id NOT IN (SELECT id FROM parent)"); n != 0 {
		t.Errorf("%d orphaned children", n)
	}
	if n := f.count("SELECT count(*) FROM note WHERE parent_id IN (SELECT id FROM expect)"); n != 0 {
		t.Errorf("%d notes still point at deleted parents", n)
	}
	if n := f.count("SELECT count(*) FROM note"); n != 300 {
		t.Errorf("%d notes, want all 300 kept (SET NULL)", n)
	}
}
