package deletion

import (
	"context"
	"os"
	"testing"

	"batchdesk/backend/imports"
	"batchdesk/backend/store"
)

// TestRestore deletes won opportunities with their lines on PostgreSQL,
// then restores the backup: every column of every row (ids and system
// fields included) is back as it was.
func TestRestore(t *testing.T) {
	f := pgFixture(t, true)
	ctx := context.Background()
	f.exec(`CREATE TABLE public.snap_opp AS SELECT * FROM crm.opportunity WHERE stage = 'Won'`)
	f.exec(`CREATE TABLE public.snap_line AS SELECT * FROM crm.opportunity_line WHERE opportunity_id IN (SELECT id FROM public.snap_opp)`)
	f.exec(`UPDATE crm.opportunity SET life_status = 'invalid' WHERE id = (SELECT min(id::text)::uuid FROM public.snap_opp)`)
	f.exec(`UPDATE public.snap_opp SET life_status = 'invalid' WHERE id = (SELECT min(id::text)::uuid FROM public.snap_opp)`)
	req := Request{CRM: f.crm, Object: "Opportunity", Where: "stage = 'Won'"}
	pv, err := f.svc.Preview(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.svc.Start(ctx, req, Confirmation{Object: "Opportunity", Count: pv.Total})
	if err != nil {
		t.Fatal(err)
	}
	if j := f.wait(t, id); j.Status != store.StatusDone {
		t.Fatalf("delete: %s %s", j.Status, j.Message)
	}
	if n := f.count("SELECT count(*) FROM crm.opportunity WHERE id IN (SELECT id FROM public.snap_opp)"); n != 0 {
		t.Fatalf("%d opportunities not deleted", n)
	}
	rids, err := f.svc.Restore(ctx, id, "", nil)
	if err != nil || len(rids) != 1 {
		t.Fatal(rids, err)
	}
	j := f.wait(t, rids[0])
	if j.Status != store.StatusDone || j.Failed != 0 {
		d, _ := f.reg.Get(ctx, rids[0])
		t.Fatalf("restore: %s %d/%d/%d %s %v", j.Status, j.Total, j.Succeeded, j.Failed, j.Message, d.Events)
	}
	for _, c := range []struct{ snap, table string }{{"public.snap_opp", "crm.opportunity"}, {"public.snap_line", "crm.opportunity_line"}} {
		missing := f.count("SELECT count(*) FROM (SELECT * FROM " + c.snap + " EXCEPT SELECT * FROM " + c.table + ") x")
		want := f.count("SELECT count(*) FROM " + c.snap)
		if missing != 0 || want == 0 {
			t.Errorf("%s: %d of %d rows not back identically", c.table, missing, want)
		}
	}
}

// TestRestoreReportsWhatCannotComeBack deletes accounts nothing refers to
// (some are parents of others), takes one's unique account number for a new
// account, and restores: the others are back identically — their parent
// links set again by the second job — and the one whose number was taken
// is in the error report.
func TestRestoreReportsWhatCannotComeBack(t *testing.T) {
	f := pgFixture(t, true)
	ctx := context.Background()
	// (demo e-mails with an apostrophe are refused by the importer's check: left out here)
	f.exec(`CREATE TABLE public.snap AS SELECT * FROM crm.account a WHERE (email IS NULL OR email NOT LIKE '%''%')
		AND NOT EXISTS (SELECT 1 FROM crm.opportunity o WHERE o.account_id = a.id)`)
	n := f.count("SELECT count(*) FROM public.snap")
	if n < 2 {
		t.Fatalf("only %d deletable accounts in the demo", n)
	}
	if f.count("SELECT count(*) FROM public.snap s WHERE s.parent_account_id IN (SELECT id FROM public.snap)") == 0 {
		t.Fatal("no deleted account has a deleted parent: the relink is not exercised")
	}
	req := Request{CRM: f.crm, Object: "Account", Where: "email NOT LIKE '%''%'", SkipBlocked: true}
	pv, err := f.svc.Preview(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.svc.Start(ctx, req, Confirmation{Object: "Account", Count: pv.Total})
	if err != nil {
		t.Fatal(err)
	}
	if j := f.wait(t, id); j.Status != store.StatusDone || j.ErrorReport == "" {
		t.Fatalf("delete: %s %s (report %q)", j.Status, j.Message, j.ErrorReport)
	}
	f.exec(`INSERT INTO crm.account (name, account_no) SELECT 'Taker', account_no FROM public.snap WHERE account_no IS NOT NULL ORDER BY id LIMIT 1`)
	rids, err := f.svc.Restore(ctx, id, "", nil)
	if err != nil || len(rids) != 2 {
		t.Fatal(rids, err)
	}
	j := f.wait(t, rids[0])
	if j.Status != store.StatusDone || j.Failed != 1 || j.ErrorReport == "" {
		b, _ := os.ReadFile(j.ErrorReport)
		t.Fatalf("restore: %s %d/%d/%d %s report %q:\n%s", j.Status, j.Total, j.Succeeded, j.Failed, j.Message, j.ErrorReport, b)
	}
	if j2 := f.wait(t, rids[1]); j2.Status != store.StatusDone {
		t.Errorf("relink job: %s %d/%d/%d %s", j2.Status, j2.Total, j2.Succeeded, j2.Failed, j2.Message)
	}
	missing := f.count(`SELECT count(*) FROM (SELECT * FROM public.snap EXCEPT SELECT * FROM crm.account) x`)
	if missing != 1 {
		t.Errorf("%d accounts not back identically, want only the 1 whose number was taken", missing)
	}
	_ = imports.Form{}
}
