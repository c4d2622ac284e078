package deletion

import (
	"context"
	"strings"
	"testing"

	"batchdesk/backend/store"
)

// TestHostileNames: tables and columns whose names hold quotes,
// semicolons and SQL are previewed and deleted through quoted identifiers,
// and a filter value holding SQL is a value: nothing else is touched.
func TestHostileNames(t *testing.T) {
	f := pgFixture(t, false)
	ctx := context.Background()
	f.exec(`CREATE TABLE "p""; DROP TABLE keep; --" (id bigint PRIMARY KEY, name text NOT NULL);
		CREATE TABLE "c'hild" ("p""id" bigint REFERENCES "p""; DROP TABLE keep; --" (id) ON DELETE CASCADE, id bigint PRIMARY KEY);
		CREATE TABLE keep (id bigint PRIMARY KEY);
		INSERT INTO keep VALUES (1);
		INSERT INTO "p""; DROP TABLE keep; --" VALUES (1, 'x''); DELETE FROM keep; --'), (2, 'plain');
		INSERT INTO "c'hild" VALUES (1, 10), (1, 11), (2, 12)`)
	obj := `p"; DROP TABLE keep; --`
	req := Request{CRM: f.crm, Object: obj, Where: `name = 'x''); DELETE FROM keep; --'`}
	pv, err := f.svc.Preview(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := related(pv.Cascades, "c'hild"); pv.Total != 1 || !ok || c.Rows != 2 {
		t.Fatalf("preview %+v", pv)
	}
	id, err := f.svc.Start(ctx, Request{CRM: f.crm, Object: obj, Where: req.Where, NoBackup: true},
		Confirmation{Object: obj, Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	if j := f.wait(t, id); j.Status != store.StatusDone || j.Succeeded != 1 {
		t.Fatalf("job %s %d %s", j.Status, j.Succeeded, j.Message)
	}
	if n := f.count(`SELECT count(*) FROM keep`); n != 1 {
		t.Errorf("keep has %d rows", n)
	}
	if n := f.count(`SELECT count(*) FROM "p""; DROP TABLE keep; --"`); n != 1 {
		t.Errorf("%d parents left, want 1", n)
	}
	if n := f.count(`SELECT count(*) FROM "c'hild"`); n != 1 {
		t.Errorf("%d children left, want 1", n)
	}
	for _, bad := range []string{`Account; DROP TABLE keep`, `"keep"`, ""} {
		if _, err := f.svc.Preview(ctx, Request{CRM: f.crm, Object: bad, All: true}); err == nil ||
			(!strings.Contains(err.Error(), "has no object") && !strings.Contains(err.Error(), "no object given")) {
			t.Errorf("object %q: %v", bad, err)
		}
	}
	if _, err := f.svc.Preview(ctx, Request{CRM: f.crm, Object: obj, Where: "name = 'a'; DELETE FROM keep"}); err == nil {
		t.Error("a filter with a trailing statement was accepted")
	}
}
