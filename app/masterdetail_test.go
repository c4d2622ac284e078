package app

import (
	"context"
	"testing"

	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/store"
)

// TestMasterDetailFromTheUI runs what the import page sends for
// "Opportunities with lines": a master file, a detail file that refers to
// its rows by a key column, validated, rehearsed and imported as one job.
// The second master has an account that does not exist, so it fails and
// its line fails with it; a line pointing at no master fails too.
func TestMasterDetailFromTheUI(t *testing.T) {
	a := newApp(t)
	master := writeCSV(t, "opportunities.csv", "Key,Opportunity Name,Account,Stage,Amount\n"+
		"K1,UI Deal One,A-0001,Prospecting,1000\n"+
		"K2,UI Deal Two,No Such Account,Prospecting,2000\n")
	lines := writeCSV(t, "lines.csv", "Opportunity Key,Product,Quantity\n"+
		"K1,SKU-1001,2\nK1,SKU-1002,1\nK2,SKU-1001,3\nK9,SKU-1001,1\n")
	req := ImportRequest{Connection: "sandbox", Object: "Opportunity", Files: []FileRef{{Path: master}},
		MasterKey: "Key",
		Mapping: mapping.Mapping{Object: "Opportunity", Mode: mapping.Insert, Columns: map[string]mapping.Column{
			"Opportunity Name": {Field: "name"}, "Account": {Field: "account_id"},
			"Stage": {Field: "stage"}, "Amount": {Field: "amount"}}},
		Details: []DetailRequest{{Object: "OpportunityLine", Files: []FileRef{{Path: lines}},
			MasterColumn: "Opportunity Key",
			Mapping: mapping.Mapping{Object: "OpportunityLine", Mode: mapping.Insert, Columns: map[string]mapping.Column{
				"Product": {Field: "product_id"}, "Quantity": {Field: "quantity"}}}}},
	}
	check := func(what string, j store.Job) {
		t.Helper()
		if j.Status != store.StatusDone || j.Total != 6 || j.Succeeded != 3 || j.Failed != 3 {
			t.Fatalf("%s: %s %d/%d/%d %s", what, j.Status, j.Total, j.Succeeded, j.Failed, j.Message)
		}
	}
	id, err := a.StartValidate(req)
	check("validate", waitJob(t, a, id, err))
	page, err := a.GetProblems(id, ProblemQuery{Limit: 10})
	if err != nil || page.Total != 3 {
		t.Fatalf("problems: %+v %v", page, err)
	}
	id, err = a.StartRehearse(req)
	check("rehearse", waitJob(t, a, id, err))
	if n := countLines(t, a); n != 0 {
		t.Fatalf("the rehearsal left %d lines", n)
	}
	id, err = a.StartImport(req)
	check("import", waitJob(t, a, id, err))
	if n := countLines(t, a); n != 2 {
		t.Fatalf("%d lines of UI Deal One, want 2", n)
	}
}

func countLines(t *testing.T, a *testApp) int {
	t.Helper()
	tg, err := a.open(context.Background(), "sandbox")
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	var n int
	err = tg.(*sandbox.Target).DB().QueryRow(`SELECT count(*) FROM opportunity_line l
		JOIN opportunity o ON o.id = l.opportunity_id WHERE o.name LIKE 'UI Deal%'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
