package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/crmtest"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/imports/load"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/pipeline"
	"batchdesk/backend/imports/validate"
	"batchdesk/backend/pgtest"
)

func openPG(t testing.TB, demo bool) *postgres.Target {
	t.Helper()
	var tg *crmtest.Target
	if demo {
		tg = crmtest.Demo(t, crm.KindPostgres)
	} else {
		tg = crmtest.Open(t, crm.Spec{Kind: crm.KindPostgres, DSN: pgtest.NewDatabase(t)})
	}
	killDSN[tg.Describe()] = tg.Spec.DSN
	return tg.Target.(*postgres.Target)
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func accountMapping() mapping.Mapping {
	return mapping.Mapping{Mode: mapping.Insert, Columns: map[string]mapping.Column{
		"Name": {Field: "name"}, "No": {Field: "account_no"},
		"Employees": {Field: "employees"}, "Revenue": {Field: "annual_revenue"},
		"Owner": {Field: "owner_id"},
	}}
}

func TestRunInsertWithReport(t *testing.T) {
	tg := openPG(t, true)
	ctx := context.Background()
	csv := "Name,No,Employees,Revenue,Owner,Note\n" +
		"Alpha,ZZ-1,10,1234.50,System,x\n" +
		"Beta,ZZ-2,ten,1,,y\n" + // bad integer
		"Gamma,ZZ-3,3,2.25,,z\n" + // account_no already in the CRM: server rejects
		"Gamma2,ZZ-1,3,2.25,,z\n" + // duplicate account_no in the file
		"Delta,ZZ-4,4,\"1,000.10\",nobody,w\n" // owner not found
	if _, err := tg.Pool().Exec(ctx, "INSERT INTO crm.account (id, name, account_no, owner_id, created_by, last_modified_by) VALUES (gen_random_uuid(), 'Old', 'ZZ-3', $1, $1, $1)", crmdb.SystemUserID); err != nil {
		t.Fatal(err)
	}
	file := write(t, "acc.csv", csv)
	report := filepath.Join(t.TempDir(), "errors.csv")
	var last pipeline.Progress
	res, err := pipeline.Run(ctx, pipeline.Request{Target: tg, Object: "Account", Mapping: accountMapping(),
		Files: []string{file}, JobID: "j1", ErrorsPath: report, BatchSize: 2}, func(p pipeline.Progress) { last = p })
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 5 || res.Succeeded != 1 || res.Failed != 4 || res.ErrorsFile != report {
		t.Fatalf("result = %+v", res)
	}
	if last.Phase != pipeline.PhaseDone || last.Succeeded != 1 || last.BytesRead != last.BytesTotal {
		t.Fatalf("last progress = %+v", last)
	}
	b, _ := os.ReadFile(report)
	got := string(b)
	for _, want := range []string{"\uFEFFName,No,Employees,Revenue,Owner,Note,_row,_error\n", "Beta,ZZ-2,ten,1,,y,3,", `Gamma,ZZ-3,3,2.25,,z,4,"No (account_no): duplicate value`, `Gamma2,ZZ-1,3,2.25,,z,5,"No (account_no): ""ZZ-1"" appears again: row 2`, `"Owner (owner_id): no User record matches ""nobody""`, `"1,000.10"`} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if res.ProblemsByCode[load.CodeUnique] != 1 || res.ProblemsByCode[load.CodeNoMatch] != 1 || res.ProblemsByCode[string(validate.CodeDuplicateKey)] != 1 || res.ProblemsByCode[string(validate.CodeNotNumber)] != 1 {
		t.Errorf("by code = %v", res.ProblemsByCode)
	}
	// Resume of a finished job writes nothing again.
	res2, err := pipeline.Resume(ctx, pipeline.Request{Target: tg, Object: "Account", Mapping: accountMapping(),
		Files: []string{file}, JobID: "j1", BatchSize: 2}, nil)
	if err != nil || res2.Succeeded != 1 || res2.Failed != 4 {
		t.Fatalf("resume = %+v, %v", res2, err)
	}
	var n int
	tg.Pool().QueryRow(ctx, "SELECT count(*) FROM crm.account WHERE account_no LIKE 'ZZ-%'").Scan(&n)
	if n != 2 { // Alpha and the account that was there before
		t.Fatalf("%d rows", n)
	}
	// A changed file refuses to resume.
	if err := os.WriteFile(file, []byte(csv+"Eps,ZZ-9,1,1,,v\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = pipeline.Resume(ctx, pipeline.Request{Target: tg, Object: "Account", Mapping: accountMapping(),
		Files: []string{file}, JobID: "j1", BatchSize: 2}, nil)
	if !errors.Is(err, load.ErrFileChanged) {
		t.Fatalf("resume of a changed file: %v", err)
	}
}

// TestCallerHashesAreRecorded: a hash the caller already computed is what
// the resume ledger records (the file is not hashed again), so a resume
// compares the file against it — shown here with a deliberately wrong one.
func TestCallerHashesAreRecorded(t *testing.T) {
	ctx := context.Background()
	tg := openPG(t, true)
	file := write(t, "acc.csv", "Name,No\nHash One,HH-1\n")
	mp := mapping.Mapping{Columns: map[string]mapping.Column{"Name": {Field: "name"}, "No": {Field: "account_no"}}}
	req := pipeline.Request{Target: tg, Object: "Account", Mapping: mp, Files: []string{file}, JobID: "hash-1",
		Hashes: map[string]string{file: strings.Repeat("0", 64)}}
	if res := runOK(t, req); res.Succeeded != 1 {
		t.Fatalf("run = %+v", res)
	}
	req.Hashes = nil
	if _, err := pipeline.Resume(ctx, req, nil); !errors.Is(err, load.ErrFileChanged) {
		t.Fatalf("resume against the recorded (wrong) hash: %v", err)
	}
	// Without caller hashes the pipeline hashes the file itself: the
	// resume of an unchanged file is accepted.
	req.JobID = "hash-2"
	runOK(t, req)
	if _, err := pipeline.Resume(ctx, req, nil); err != nil {
		t.Fatalf("resume of an unchanged file: %v", err)
	}
}
