package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/connections"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmtest"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/imports/load"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/validate"
	"batchdesk/backend/store"
)

// accounts has 5 rows: 2 good, 3 with problems (lines 3, 5 and 6).
const accounts = "Name,Industry,Employees,Email\n" +
	"T Good One,Technology,10,a@example.com\n" +
	"T Bad Industry,Spaceships,5,b@example.com\n" + // line 3: bad_picklist
	"T Good Two,Finance,7,\n" +
	"T Bad Number,Retail,many,c@example.com\n" + // line 5: not_number
	"T Bad Two,Nope,3,not-an-email\n" // line 6: bad_picklist + bad_email

func writeCSV(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func accountRequest(connection string, files ...string) ImportRequest {
	req := ImportRequest{Connection: connection, Object: "Account", Mapping: mapping.Mapping{
		Object: "Account", Mode: mapping.Insert, Columns: map[string]mapping.Column{
			"Name": {Field: "name"}, "Industry": {Field: "industry"},
			"Employees": {Field: "employees"}, "Email": {Field: "email"},
		}}}
	for _, f := range files {
		req.Files = append(req.Files, FileRef{Path: f})
	}
	return req
}

// waitJob waits for a job the app started and returns its final state.
func waitJob(t *testing.T, a *testApp, id string, err error) store.Job {
	t.Helper()
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	j, werr := a.jobs.Wait(ctx, id)
	if j.ID == "" {
		t.Fatalf("wait %s: %v", id, werr)
	}
	return j
}

// sandboxCount counts the sandbox's accounts whose name starts with prefix.
func sandboxCount(t *testing.T, a *testApp, prefix string) int {
	t.Helper()
	tg, err := a.open(context.Background(), "sandbox")
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	var n int
	if err := tg.(*sandbox.Target).DB().QueryRow("SELECT count(*) FROM account WHERE name LIKE ?", prefix+"%").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestValidateAndPageProblems(t *testing.T) {
	a := newApp(t)
	file := writeCSV(t, "acc.csv", accounts)
	id, err := a.StartValidate(accountRequest("sandbox", file))
	j := waitJob(t, a, id, err)
	if j.Status != store.StatusDone || j.Total != 5 || j.Failed != 3 {
		t.Fatalf("validation job = %+v", j)
	}
	p, err := a.GetProblems(id, ProblemQuery{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Done || p.Total != 3 || len(p.Rows) != 2 || strings.Join(p.Header, ",") != "Name,Industry,Employees,Email" {
		t.Fatalf("page = %+v", p)
	}
	if p.ByCode[string(validate.CodeBadPicklist)] != 2 || p.ByCode[string(validate.CodeNotNumber)] != 1 ||
		p.ByColumn["Industry"] != 2 || p.ByColumn["Email"] != 1 {
		t.Fatalf("counts = %v %v", p.ByCode, p.ByColumn)
	}
	first := p.Rows[0]
	if first.Line != 3 || first.File != "acc.csv" || strings.Join(first.Cells, ",") != "T Bad Industry,Spaceships,5,b@example.com" {
		t.Fatalf("first row = %+v", first)
	}
	if c := first.Problems; len(c) != 1 || c[0].Header != "Industry" || c[0].Field != "industry" ||
		c[0].Code != validate.CodeBadPicklist || c[0].Value != "Spaceships" || c[0].Message == "" {
		t.Fatalf("first row's problems = %+v", c)
	}
	// the next page
	p, _ = a.GetProblems(id, ProblemQuery{Offset: 2, Limit: 2})
	if len(p.Rows) != 1 || p.Rows[0].Line != 6 || len(p.Rows[0].Problems) != 2 {
		t.Fatalf("second page = %+v", p.Rows)
	}
	// filters: by code, by column, both
	p, _ = a.GetProblems(id, ProblemQuery{Limit: 10, Code: string(validate.CodeNotNumber)})
	if p.Total != 1 || p.Rows[0].Line != 5 || p.Rows[0].Problems[0].Header != "Employees" || p.Rows[0].Problems[0].Value != "many" {
		t.Fatalf("by code = %+v", p)
	}
	p, _ = a.GetProblems(id, ProblemQuery{Limit: 10, Column: "Industry"})
	if p.Total != 2 || p.Rows[0].Line != 3 || p.Rows[1].Line != 6 {
		t.Fatalf("by column = %+v", p)
	}
	p, _ = a.GetProblems(id, ProblemQuery{Limit: 10, Code: string(validate.CodeBadEmail), Column: "Email"})
	if p.Total != 1 || p.Rows[0].Line != 6 {
		t.Fatalf("by code and column = %+v", p)
	}
	// a later run of the app reads the log from disk
	b := surface(New(a.ws, Options{Mode: "browser"}))
	p, err = b.GetProblems(id, ProblemQuery{Limit: 10, Column: "Industry"})
	if err != nil || !p.Done || p.Total != 2 || len(p.Header) != 4 || p.Rows[1].Cells[1] != "Nope" {
		t.Fatalf("reopened = %+v, %v", p, err)
	}
	if sandboxCount(t, a, "T ") != 0 {
		t.Fatal("validation wrote rows")
	}
	_, err = a.GetProblems("no-such-job", ProblemQuery{})
	wantCode(t, err, apperr.NotFound)
}

func TestRehearseImportRestart(t *testing.T) {
	a := newApp(t)
	file := writeCSV(t, "acc.csv", accounts)
	id, err := a.StartRehearse(accountRequest("sandbox", file))
	if j := waitJob(t, a, id, err); j.Status != store.StatusDone || j.Succeeded != 2 || j.Failed != 3 {
		t.Fatalf("rehearsal = %+v", j)
	}
	if n := sandboxCount(t, a, "T "); n != 0 {
		t.Fatalf("rehearsal left %d rows", n)
	}
	id, err = a.StartImport(accountRequest("sandbox", file))
	j := waitJob(t, a, id, err)
	if j.Status != store.StatusDone || j.Succeeded != 2 || j.Failed != 3 || j.ErrorReport == "" {
		t.Fatalf("import = %+v", j)
	}
	if n := sandboxCount(t, a, "T "); n != 2 {
		t.Fatalf("%d rows imported, want 2", n)
	}
	if d, err := a.GetJob(id); err != nil || !d.HasErrors || d.ValidateOnly || d.Rehearse {
		t.Fatalf("job detail = %+v, %v", d, err)
	}
	// fix the error report, then restart with the failed rows only
	b, err := os.ReadFile(j.ErrorReport)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.NewReplacer("Spaceships", "Energy", "many", "12", "Nope", "Media", "not-an-email", "d@example.com").Replace(string(b))
	if err := os.WriteFile(j.ErrorReport, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	nid, err := a.RestartJob(id, true)
	rj := waitJob(t, a, nid, err)
	if nid == id || rj.Status != store.StatusDone || rj.Total != 3 || rj.Succeeded != 3 || rj.Failed != 0 {
		t.Fatalf("restart = %+v", rj)
	}
	if n := sandboxCount(t, a, "T "); n != 5 {
		t.Fatalf("%d rows after the restart, want 5", n)
	}
	// a restart of a job without failures has nothing to run
	_, err = a.RestartJob(nid, true)
	wantCode(t, err, apperr.Conflict)
	_, err = a.ResumeJob(nid)
	wantCode(t, err, apperr.Conflict)
	// a request that cannot run fails before a job exists
	bad := accountRequest("sandbox", file)
	bad.Mapping.Columns["Nope"] = mapping.Column{Field: "name"}
	_, err = a.StartImport(bad)
	wantCode(t, err, apperr.Invalid)
	_, err = a.StartValidate(accountRequest("sandbox", filepath.Join(t.TempDir(), "gone.csv")))
	wantCode(t, err, apperr.NotFound)
}

func TestCancelThenResume(t *testing.T) {
	a := newApp(t)
	var b strings.Builder
	b.WriteString("Name;Employees\n")
	const rows = 5000
	for i := range rows {
		fmt.Fprintf(&b, "R %05d;%d\n", i, i)
	}
	file := writeCSV(t, "many.csv", b.String())
	req := ImportRequest{Connection: "sandbox", Object: "Account", BatchSize: 100,
		Files:   []FileRef{{Path: file, Delimiter: ";"}},
		Mapping: mapping.Mapping{Object: "Account", Columns: map[string]mapping.Column{"Name": {Field: "name"}, "Employees": {Field: "employees"}}}}
	id, err := a.StartImport(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.CancelJob(id); err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, a, id, nil)
	if j.Status != store.StatusCanceled {
		t.Fatalf("canceled job = %+v", j)
	}
	if _, err := a.ResumeJob(id); err != nil {
		t.Fatal(err)
	}
	j = waitJob(t, a, id, nil)
	if j.Status != store.StatusDone || j.Succeeded != rows || j.Failed != 0 {
		t.Fatalf("resumed job = %+v", j)
	}
	if n := sandboxCount(t, a, "R "); n != rows {
		t.Fatalf("%d rows in the CRM, want exactly %d", n, rows)
	}
}

func TestImportPostgres(t *testing.T) {
	a := newApp(t)
	tg := crmtest.Demo(t, crm.KindPostgres)
	if _, err := a.AddConnection(connections.Input{Name: "pg", DSN: tg.Spec.DSN}); err != nil {
		t.Fatal(err)
	}
	file := writeCSV(t, "acc.csv", "Name,No,Owner\nPG A,PGA-1,System\nPG B,PGA-2,nobody\nPG C,PGA-1,\n")
	req := ImportRequest{Connection: "pg", Object: "Account", Files: []FileRef{{Path: file}},
		Mapping: mapping.Mapping{Object: "Account", Columns: map[string]mapping.Column{
			"Name": {Field: "name"}, "No": {Field: "account_no"}, "Owner": {Field: "owner_id"}}}}
	id, err := a.StartValidate(req)
	if j := waitJob(t, a, id, err); j.Status != store.StatusDone || j.Failed != 2 {
		t.Fatalf("validation = %+v", j)
	}
	p, err := a.GetProblems(id, ProblemQuery{Limit: 10, Column: "Owner"})
	if err != nil || p.Total != 1 || p.Rows[0].Line != 3 || p.Rows[0].Problems[0].Code != load.CodeNoMatch || p.Rows[0].Problems[0].Value != "nobody" {
		t.Fatalf("owner problems = %+v, %v", p, err)
	}
	id, err = a.StartImport(req)
	if j := waitJob(t, a, id, err); j.Status != store.StatusDone || j.Succeeded != 1 || j.Failed != 2 {
		t.Fatalf("import = %+v", j)
	}
	if p, err = a.GetProblems(id, ProblemQuery{Limit: 10}); err != nil || p.Total != 2 || !p.Done {
		t.Fatalf("import problems = %+v, %v", p, err)
	}
	if n := tg.Strings("SELECT count(*)::text FROM crm.account WHERE account_no LIKE 'PGA-%'"); n[0] != "1" {
		t.Fatalf("%s rows", n[0])
	}
}
