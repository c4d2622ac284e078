package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"batchdesk/backend/crm"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/ingest/load"
	"batchdesk/backend/ingest/pipeline"
	"batchdesk/backend/pgtest"
)

func openPG(t *testing.T, demo bool) *postgres.Target {
	t.Helper()
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	killDSN[tg.Describe()] = dsn
	t.Cleanup(func() { tg.Close() })
	if demo {
		if err := crm.InstallDemo(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	return tg.(*postgres.Target)
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func accountMapping() pipeline.Mapping {
	return pipeline.Mapping{Mode: "insert", Columns: []pipeline.ColumnMap{
		{Header: "Name", Field: "name"}, {Header: "No", Field: "account_no"},
		{Header: "Employees", Field: "employees"}, {Header: "Revenue", Field: "annual_revenue"},
		{Header: "Owner", Field: "owner_id"},
	}}
}

func TestRunInsertWithReport(t *testing.T) {
	tg := openPG(t, true)
	ctx := context.Background()
	csv := "Name,No,Employees,Revenue,Owner,Note\n" +
		"Alpha,ZZ-1,10,1234.50,System,x\n" +
		"Beta,ZZ-2,ten,1,,y\n" + // bad integer
		"Gamma,ZZ-1,3,2.25,,z\n" + // duplicate account_no: server rejects
		"Delta,ZZ-4,4,\"1,000.10\",nobody,w\n" // owner not found
	file := write(t, "acc.csv", csv)
	report := filepath.Join(t.TempDir(), "errors.csv")
	var last pipeline.Progress
	res, err := pipeline.Run(ctx, pipeline.Request{Target: tg, Object: "Account", Mapping: accountMapping(),
		Files: []string{file}, JobID: "j1", ErrorsPath: report, BatchSize: 2}, func(p pipeline.Progress) { last = p })
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 4 || res.Succeeded != 1 || res.Failed != 3 || res.ErrorsFile != report {
		t.Fatalf("result = %+v", res)
	}
	if last.Phase != pipeline.PhaseDone || last.Succeeded != 1 || last.BytesRead != last.BytesTotal {
		t.Fatalf("last progress = %+v", last)
	}
	b, _ := os.ReadFile(report)
	got := string(b)
	for _, want := range []string{"\uFEFFName,No,Employees,Revenue,Owner,Note,_row,_error\n", "Beta,ZZ-2,ten,1,,y,3,", `Gamma,ZZ-1,3,2.25,,z,4,"duplicate value`, `"1,000.10"`} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if res.ProblemsByCode[load.CodeUnique] != 1 || res.ProblemsByCode[load.CodeNoMatch] != 1 || res.ProblemsByCode[pipeline.CodeType] != 1 {
		t.Errorf("by code = %v", res.ProblemsByCode)
	}
	// Resume of a finished job writes nothing again.
	res2, err := pipeline.Resume(ctx, pipeline.Request{Target: tg, Object: "Account", Mapping: accountMapping(),
		Files: []string{file}, JobID: "j1", BatchSize: 2}, nil)
	if err != nil || res2.Succeeded != 1 || res2.Failed != 3 {
		t.Fatalf("resume = %+v, %v", res2, err)
	}
	var n int
	tg.Pool().QueryRow(ctx, "SELECT count(*) FROM crm.account WHERE account_no LIKE 'ZZ-%'").Scan(&n)
	if n != 1 {
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
