package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sandboxCRM installs the demo CRM into a sandbox file in a temp dir and
// returns its --crm value.
func sandboxCRM(t *testing.T) string {
	t.Helper()
	c := "sandbox:" + filepath.Join(t.TempDir(), "crm.db")
	if r := runCLI(t, context.Background(), "demo-crm", "--crm", c); r.code != 0 {
		t.Fatalf("demo-crm: exit %d: %s", r.code, r.stderr)
	}
	return c
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func decodeSummary(t *testing.T, line string) jobSummary {
	t.Helper()
	var s jobSummary
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("last line %q is not the summary: %v", line, err)
	}
	var keys map[string]any
	_ = json.Unmarshal([]byte(line), &keys)
	for _, k := range []string{"jobId", "status", "total", "succeeded", "failed", "errorsFile", "seconds"} {
		if _, ok := keys[k]; !ok {
			t.Fatalf("summary lacks %q: %s", k, line)
		}
	}
	return s
}

func TestImportSandboxRoundTrip(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	c := sandboxCRM(t)
	data := writeFile(t, "accounts.csv", "Name,Industry,Employees\nAcme Test,Technology,120\nBad Co,NotAnIndustry,5\nZeta Test,Finance,7\n")

	// flags after the file, auto-matched headers, one bad row
	r := runCLI(t, ctx, "import", data, "--crm", c, "--object", "Account", "--json")
	if r.code != ExitRowsFail {
		t.Fatalf("exit %d, want 1; stderr %s; stdout %s", r.code, r.stderr, r.stdout)
	}
	s := decodeSummary(t, r.lastLine())
	if s.Status != "done" || s.Total != 3 || s.Succeeded != 2 || s.Failed != 1 || s.ErrorsFile == nil {
		t.Fatalf("summary = %+v", s)
	}
	if !strings.Contains(*s.ErrorsFile, filepath.Join("reports", s.JobID, "accounts-errors.csv")) {
		t.Fatalf("default error report path = %s", *s.ErrorsFile)
	}

	// the report: input columns, then _row and _error
	b, err := os.ReadFile(*s.ErrorsFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "\ufeff") {
		t.Fatal("error report must start with a BOM")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "Name,Industry,Employees,_row,_error" {
		t.Fatalf("report header = %s", got)
	}
	if len(recs) != 2 || recs[1][0] != "Bad Co" || recs[1][3] != "3" || recs[1][4] == "" {
		t.Fatalf("report rows = %q", recs)
	}

	// fix the report and import it as is
	fixed := strings.Replace(string(b), "NotAnIndustry", "Retail", 1)
	fixedPath := writeFile(t, "fixed.csv", fixed)
	r = runCLI(t, ctx, "import", "--crm", c, "--object", "Account", fixedPath, "--json")
	if r.code != ExitOK {
		t.Fatalf("re-import: exit %d: %s %s", r.code, r.stderr, r.stdout)
	}
	if s2 := decodeSummary(t, r.lastLine()); s2.Succeeded != 1 || s2.Failed != 0 || s2.ErrorsFile != nil {
		t.Fatalf("re-import summary = %+v", s2)
	}

	// jobs list --json: newest first, with the fields of the contract
	r = runCLI(t, ctx, "jobs", "list", "--json")
	if r.code != 0 {
		t.Fatalf("jobs list: %d %s", r.code, r.stderr)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 2 {
		t.Fatalf("jobs list = %s (%v)", r.stdout, err)
	}
	for _, k := range []string{"jobId", "kind", "status", "total", "succeeded", "failed", "startedAt", "finishedAt"} {
		if _, ok := list[0][k]; !ok {
			t.Fatalf("jobs list entry lacks %q: %v", k, list[0])
		}
	}
	if list[1]["jobId"] != s.JobID {
		t.Fatalf("jobs list not newest first: %v", list)
	}

	// jobs show
	r = runCLI(t, ctx, "jobs", "show", s.JobID, "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"fingerprint"`) || !strings.Contains(r.stdout, `"events"`) {
		t.Fatalf("jobs show: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, ctx, "jobs", "show", s.JobID)
	if r.code != 0 || !strings.Contains(r.stdout, "Errors:") {
		t.Fatalf("jobs show human: %d %s", r.code, r.stdout)
	}

	// restart --failed-only imports the report (still failing: exit 1)
	r = runCLI(t, ctx, "jobs", "restart", s.JobID, "--failed-only", "--json")
	if r.code != ExitRowsFail {
		t.Fatalf("restart --failed-only: %d %s %s", r.code, r.stderr, r.stdout)
	}
	if s3 := decodeSummary(t, r.lastLine()); s3.Total != 1 || s3.Failed != 1 || s3.JobID == s.JobID {
		t.Fatalf("restart summary = %+v", s3)
	}

	// resume of a finished job is refused
	r = runCLI(t, ctx, "jobs", "resume", s.JobID)
	if r.code != ExitCannot || !strings.Contains(r.stderr, "only an interrupted, canceled or failed job") {
		t.Fatalf("resume of done job: %d %s", r.code, r.stderr)
	}

	// validate: clean file exits 0, bad file 1 with --errors written
	errsOut := filepath.Join(t.TempDir(), "out.csv")
	r = runCLI(t, ctx, "validate", "--crm", c, "--object", "Account", data, "--errors", errsOut)
	if r.code != ExitRowsFail {
		t.Fatalf("validate: %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(errsOut); err != nil {
		t.Fatalf("validate --errors not written: %v", err)
	}
	clean := writeFile(t, "clean.csv", "name\nOnly Good\n")
	if r = runCLI(t, ctx, "validate", "--crm", c, "--object", "Account", clean); r.code != ExitOK {
		t.Fatalf("validate clean: %d %s", r.code, r.stderr)
	}
}

func TestImportCannotRun(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	c := sandboxCRM(t)
	good := writeFile(t, "a.csv", "name\nAcme\n")
	big := filepath.Join(t.TempDir(), "big.csv")
	{
		content := "name\n" + strings.Repeat("Acme Corporation Limited\n", 50000) // ~1.2 MB
		if err := os.WriteFile(big, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"missing file", []string{"import", "--crm", c, "--object", "Account", "nope.csv"}, "no such file"},
		{"oversized", []string{"import", "--crm", c, "--object", "Account", big, "--max-file-mb", "1"}, "split"},
		{"unknown object", []string{"import", "--crm", c, "--object", "Spaceship", good}, "unknown object"},
		{"bad map syntax", []string{"import", "--crm", c, "--object", "Account", good, "--map", "name"}, "Header=field"},
		{"map to unknown field", []string{"import", "--crm", c, "--object", "Account", good, "--map", "name=nope"}, "no field"},
		{"map of unknown column", []string{"import", "--crm", c, "--object", "Account", good, "--map", "Nope=name"}, "no column"},
		{"bad mode", []string{"import", "--crm", c, "--object", "Account", good, "--mode", "merge"}, "--mode"},
		{"key primary without one", []string{"import", "--crm", c, "--object", "OpportunityLine", good, "--mode", "update", "--key", "primary"}, "no primary attribute"},
		{"no crm", []string{"import", "--object", "Account", good}, "--crm"},
		{"unknown connection", []string{"import", "--crm", "nosuch", "--object", "Account", good}, "nosuch"},
		{"unknown flag", []string{"import", "--frob", good}, "unknown flag"},
		{"unknown command", []string{"imprt", good}, "unknown command"},
		{"unknown preset", []string{"import", "--crm", c, "--object", "Account", "--preset", "nope", good}, "no preset"},
		{"jobs show unknown", []string{"jobs", "show", "nope"}, "nope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, ctx, tc.args...)
			if r.code != ExitCannot {
				t.Fatalf("exit %d, want 2; stderr %q stdout %q", r.code, r.stderr, r.stdout)
			}
			if strings.Count(strings.TrimRight(r.stderr, "\n"), "\n") != 0 || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("stderr %q: want one line containing %q", r.stderr, tc.want)
			}
		})
	}
}

func TestImportCanceledIsResumable(t *testing.T) {
	isolateHome(t)
	c := sandboxCRM(t)
	var b strings.Builder
	b.WriteString("name\n")
	for i := range 3000 {
		b.WriteString("Cancel Co ")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString("\n")
	}
	data := writeFile(t, "many.csv", b.String())
	ctx, cancel := context.WithCancel(context.Background())
	jobStarted = func(string) { cancel() } // Ctrl-C as soon as the job runs
	defer func() { jobStarted = nil }()
	r := runCLI(t, ctx, "import", "--crm", c, "--object", "Account", data, "--batch-size", "100", "--json")
	if r.code != ExitRowsFail {
		t.Fatalf("canceled import: exit %d, want 1; %s %s", r.code, r.stderr, r.stdout)
	}
	s := decodeSummary(t, r.lastLine())
	if s.Status != "canceled" {
		t.Fatalf("summary = %+v", s)
	}
	jobStarted = nil
	r = runCLI(t, context.Background(), "jobs", "resume", s.JobID, "--json")
	if r.code != ExitOK {
		t.Fatalf("resume: exit %d; %s %s", r.code, r.stderr, r.stdout)
	}
	if s2 := decodeSummary(t, r.lastLine()); s2.JobID != s.JobID || s2.Status != "done" || s2.Succeeded+s2.Failed != 3000 {
		t.Fatalf("resumed summary = %+v", s2)
	}
}

// TestUpsertSummarySplitsAddedUpdated: an upsert's --json summary and
// `jobs show` say how many records were added and how many updated.
func TestUpsertSummarySplitsAddedUpdated(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	c := sandboxCRM(t)
	data := writeFile(t, "accounts.csv", "Account No,Name\nA-0001,Renamed One\nN-0001,New One\nA-0002,Renamed Two\nN-0002,New Two\nN-0003,New Three\n")
	r := runCLI(t, ctx, "import", data, "--crm", c, "--object", "Account", "--mode", "upsert", "--key", "account_no", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.stderr, r.stdout)
	}
	s := decodeSummary(t, r.lastLine())
	if s.Succeeded != 5 || s.Added != 3 || s.Updated != 2 {
		t.Fatalf("summary = %+v", s)
	}
	r = runCLI(t, ctx, "jobs", "show", s.JobID)
	if r.code != 0 || !strings.Contains(r.stdout, "Added:      3\n") || !strings.Contains(r.stdout, "Updated:    2\n") {
		t.Fatalf("jobs show: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, ctx, "jobs", "show", s.JobID, "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"added":3,"updated":2`) {
		t.Fatalf("jobs show --json: %d %s %s", r.code, r.stdout, r.stderr)
	}
	// An upsert that only added still says so; an insert does not.
	data = writeFile(t, "more.csv", "Account No,Name\nN-0009,Newer\n")
	r = runCLI(t, ctx, "import", data, "--crm", c, "--object", "Account", "--mode", "upsert", "--key", "account_no", "--json")
	added := decodeSummary(t, r.lastLine())
	r = runCLI(t, ctx, "import", writeFile(t, "ins.csv", "Account No,Name\nI-0001,Inserted\n"), "--crm", c, "--object", "Account", "--json")
	inserted := decodeSummary(t, r.lastLine())
	if r = runCLI(t, ctx, "jobs", "show", added.JobID); !strings.Contains(r.stdout, "Added:      1\nUpdated:    0\n") {
		t.Errorf("jobs show of an upsert that only added:\n%s", r.stdout)
	}
	if r = runCLI(t, ctx, "jobs", "show", inserted.JobID); inserted.Succeeded != 1 || strings.Contains(r.stdout, "Added:") {
		t.Errorf("jobs show of an insert (%+v):\n%s", inserted, r.stdout)
	}
}
