package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/export"
	"batchdesk/backend/pgtest"
)

// crmUnderTest is a demo CRM reached by its --crm value, with raw SQL.
type crmUnderTest struct {
	spec string
	exec func(t *testing.T, q string)
}

// eachCRM runs fn against the demo CRM on PostgreSQL and in a sandbox;
// fresh makes another CRM of the same kind, with the demo's catalog and
// users but no records.
func eachCRM(t *testing.T, fn func(t *testing.T, demo crmUnderTest, fresh func() crmUnderTest)) {
	t.Run("postgres", func(t *testing.T) {
		ctx := context.Background()
		pg := func() crmUnderTest {
			dsn := pgtest.NewDatabase(t)
			if r := runCLI(t, ctx, "demo-crm", "--crm", dsn); r.code != 0 {
				t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
			}
			return crmUnderTest{spec: dsn, exec: func(t *testing.T, q string) {
				conn, err := pgx.Connect(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close(ctx)
				if _, err := conn.Exec(ctx, strings.ReplaceAll(q, "$S.", "crm.")); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}}
		}
		fn(t, pg(), func() crmUnderTest { c := pg(); emptyCRM(t, c); return c })
	})
	t.Run("sandbox", func(t *testing.T) {
		sb := func() crmUnderTest {
			path := filepath.Join(t.TempDir(), "crm.db")
			if r := runCLI(t, context.Background(), "demo-crm", "--crm", "sandbox:"+path); r.code != 0 {
				t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
			}
			return crmUnderTest{spec: "sandbox:" + path, exec: func(t *testing.T, q string) {
				db, err := sql.Open("sqlite", sandbox.DSN(path))
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if _, err := db.Exec(strings.ReplaceAll(q, "$S.", "")); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}}
		}
		fn(t, sb(), func() crmUnderTest { c := sb(); emptyCRM(t, c); return c })
	})
}

// emptyCRM deletes every record but the user System.
func emptyCRM(t *testing.T, c crmUnderTest) {
	c.exec(t, `DELETE FROM $S.opportunity_line; DELETE FROM $S.opportunity; DELETE FROM $S.contact;
		DELETE FROM $S.team_member; DELETE FROM $S.account; DELETE FROM $S.product; DELETE FROM $S.audit_log;
		DELETE FROM $S.users WHERE id <> '00000000-0000-0000-0000-000000000001'`)
}

// exportTo runs `batchdesk export ARGS --to DIR --json` and returns its
// summary; want is the exit status expected.
func exportTo(t *testing.T, want int, args ...string) (exportSummary, cliResult) {
	t.Helper()
	r := runCLI(t, context.Background(), append([]string{"export"}, append(args, "--json")...)...)
	if r.code != want {
		t.Fatalf("export %v: exit %d, want %d: %s %s", args, r.code, want, r.stderr, r.stdout)
	}
	var s exportSummary
	if want != ExitCannot {
		if err := json.Unmarshal([]byte(r.lastLine()), &s); err != nil {
			t.Fatalf("summary %q: %v", r.lastLine(), err)
		}
	}
	return s, r
}

// unzip extracts a zip into dir and returns the entry names in order.
func unzip(t *testing.T, path, dir string) []string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o600); err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
	}
	return names
}

// exportAll exports every object of c into a new folder, unzipped.
func exportAll(t *testing.T, c crmUnderTest, extra ...string) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	s, _ := exportTo(t, ExitOK, append([]string{"--crm", c.spec, "--all", "--to", dir}, extra...)...)
	if s.Status != "done" || len(s.Files) < 7 || s.Files[0].Archive != "" || !strings.HasSuffix(s.Files[0].Name, ".zip") {
		t.Fatalf("summary %+v", s)
	}
	return dir, unzip(t, s.Files[0].Location, dir)
}

// importFile imports one exported file into c; every row must land.
func importFile(t *testing.T, c crmUnderTest, object, path string, args ...string) {
	t.Helper()
	r := runCLI(t, context.Background(), append([]string{"import", "--crm", c.spec, "--object", object, path, "--json"}, args...)...)
	if r.code != ExitOK {
		report := ""
		var s jobSummary
		if json.Unmarshal([]byte(r.lastLine()), &s) == nil && s.ErrorsFile != nil {
			b, _ := os.ReadFile(*s.ErrorsFile)
			report = string(b)
		}
		t.Fatalf("import %s: exit %d: %s %s\n%s", filepath.Base(path), r.code, r.stderr, r.stdout, report)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestExportRoundTripWithIDs: every demo object exported with IDs, imported
// into an empty CRM, exported again gives byte-identical files.
func TestExportRoundTripWithIDs(t *testing.T) {
	isolateHome(t)
	eachCRM(t, func(t *testing.T, demo crmUnderTest, fresh func() crmUnderTest) {
		dir, names := exportAll(t, demo, "--with-ids")
		want := []string{"User.csv", "Account.csv", "Product.csv", "Contact.csv", "Opportunity.csv", "OpportunityLine.csv"}
		if !slices.Equal(names, want) {
			t.Fatalf("zip entries %v, want %v (referenced objects first)", names, want)
		}
		to := fresh()
		for _, n := range names {
			obj, path := strings.TrimSuffix(n, ".csv"), filepath.Join(dir, n)
			if obj == "Account" {
				// Accounts refer to accounts: a first pass lands the parents.
				runCLI(t, context.Background(), "import", "--crm", to.spec, "--object", obj, path, "--mode", "upsert", "--key", "id")
			}
			importFile(t, to, obj, path, "--mode", "upsert", "--key", "id")
		}
		again, _ := exportAll(t, to, "--with-ids")
		for _, n := range names {
			a, b := readFile(t, filepath.Join(dir, n)), readFile(t, filepath.Join(again, n))
			if !bytes.Equal(a, b) {
				t.Errorf("%s differs after the round trip:\n%s", n, firstDiff(a, b))
			}
		}
	})
}

// TestExportRoundTripByValue: without IDs the re-imported records are the
// same by value, with their lookups resolved by name and email.
func TestExportRoundTripByValue(t *testing.T) {
	isolateHome(t)
	eachCRM(t, func(t *testing.T, demo crmUnderTest, fresh func() crmUnderTest) {
		dir, names := exportAll(t, demo)
		to := fresh()
		for _, n := range names {
			obj := strings.TrimSuffix(n, ".csv")
			var args []string
			switch obj {
			case "User": // the user System is there already
				args = []string{"--mode", "upsert", "--key", "email"}
			case "Account":
				// Accounts refer to accounts: a first pass lands the parents.
				args = []string{"--mode", "upsert", "--key", "account_no"}
				runCLI(t, context.Background(), append([]string{"import", "--crm", to.spec, "--object", obj, filepath.Join(dir, n)}, args...)...)
			}
			importFile(t, to, obj, filepath.Join(dir, n), args...)
		}
		again, _ := exportAll(t, to)
		for _, n := range names {
			a, b := sortedLines(readFile(t, filepath.Join(dir, n))), sortedLines(readFile(t, filepath.Join(again, n)))
			if !slices.Equal(a, b) {
				t.Errorf("%s: other records after the round trip:\n%s", n, firstDiff([]byte(strings.Join(a, "\n")), []byte(strings.Join(b, "\n"))))
			}
		}
	})
}

func sortedLines(b []byte) []string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	sort.Strings(lines[1:])
	return lines
}

// firstDiff shows the first differing line of a and b.
func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < max(len(la), len(lb)); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n  " + x + "\n  " + y
		}
	}
	return "(same lines)"
}

// TestExportKilledThenRunAgain kills `batchdesk export --all` with SIGKILL
// while the second file is being written: no final file is left, the job
// shows interrupted, and `jobs resume ID` runs it again to its end.
func TestExportKilledThenRunAgain(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	isolateHome(t)
	ctx := context.Background()
	if r := runCLI(t, ctx, "demo-crm", "--crm", dsn); r.code != 0 {
		t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BD_CLI_KILL_CHILD=1", export.FailpointEnv+"="+export.FailMidFile+":2",
		"BD_CLI_ARGS="+strings.Join([]string{"export", "--crm", dsn, "--all", "--to", dir}, "\x1f"))
	out, err := cmd.CombinedOutput()
	if ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the export was not killed (err %v): %s", err, out)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".part") {
			t.Errorf("a killed export left a final file: %s", e.Name())
		}
	}
	if len(entries) != 1 {
		t.Errorf("want the one .part file the next run replaces, got %v", entries)
	}

	r := runCLI(t, ctx, "jobs", "list", "--json")
	var list []jobView
	if err := json.Unmarshal([]byte(r.lastLine()), &list); err != nil || len(list) == 0 {
		t.Fatalf("jobs list: %v: %s %s", err, r.stdout, r.stderr)
	}
	id := list[0].JobID
	if list[0].Status != "interrupted" || list[0].Kind != "export" {
		t.Fatalf("killed job = %+v, want an interrupted export", list[0])
	}
	r = runCLI(t, ctx, "jobs", "resume", id, "--json")
	if r.code != ExitOK {
		t.Fatalf("resume: exit %d: %s %s", r.code, r.stderr, r.stdout)
	}
	var s exportSummary
	if err := json.Unmarshal([]byte(r.lastLine()), &s); err != nil {
		t.Fatal(err)
	}
	if s.JobID != id || s.Status != "done" || s.Rows != 6+60+10+80+15+30 || len(s.Files) != 7 {
		t.Fatalf("resumed summary = %+v", s)
	}
	entries, _ = os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != s.Files[0].Name {
		t.Errorf("after the run: %v, want only %s", entries, s.Files[0].Name)
	}
	unzip(t, s.Files[0].Location, t.TempDir())

	r = runCLI(t, ctx, "jobs", "show", id)
	for _, want := range []string{"Kind:       export", "Status:     done", "File:       Account.csv: 60 rows,",
		"File:       " + s.Files[0].Name + ": 201 rows, ", s.Files[0].SHA256, `"destination":"` + dir + `"`, "interrupted"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("jobs show lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestExportCLI: exit statuses, one clear line on stderr, notes.
func TestExportCLI(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	sb := "sandbox:" + filepath.Join(t.TempDir(), "crm.db")
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--crm", sb, "--object", "Account", "--fields", "name,nmae", "--to", dir}, `did you mean "name"?`},
		{[]string{"--crm", sb, "--object", "Account", "--where", "industry = 'Tech'", "--to", dir}, "Tech"},
		{[]string{"--crm", sb, "--object", "Account"}, "--to"},
		{[]string{"--crm", sb, "--all", "--object", "Account", "--to", dir}, "either --all or --object"},
		{[]string{"--crm", sb, "--all", "--related", "--to", dir}, "--related goes with --object"},
		{[]string{"--crm", sb, "--object", "Nope", "--to", dir}, `unknown object "Nope"`},
		{[]string{"--crm", sb, "--object", "Account", "--headers", "de", "--to", dir}, "headers must be"},
		{[]string{"--object", "Account", "--to", dir}, "--crm"},
	} {
		_, r := exportTo(t, ExitCannot, tc.args...)
		if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: stderr %q, want one line with %q", tc.args, r.stderr, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused exports left %v", entries)
	}

	s, r := exportTo(t, ExitOK, "--crm", sb, "--object", "Product", "--fields", "sku, name", "--no-bom", "--to", dir)
	if len(s.Files) != 1 || s.Files[0].Name != "Product.csv" || s.Rows != 10 || s.Files[0].Rows != 10 {
		t.Fatalf("summary %+v (%s)", s, r.stderr)
	}
	if b := string(readFile(t, s.Files[0].Location)); !strings.HasPrefix(b, "sku,name\n") || !strings.Contains(b, "\nSKU-1001,Laptop Pro 14\n") {
		t.Errorf("Product.csv: %q", b)
	}

	saved := t.TempDir()
	if r := runCLI(t, ctx, "destinations", "add", "backup", saved); r.code != 0 {
		t.Fatalf("destinations add: %d %s", r.code, r.stderr)
	}
	s, _ = exportTo(t, ExitOK, "--crm", sb, "--object", "User", "--to", "backup")
	if len(s.Files) != 1 || s.Files[0].Location != filepath.Join(saved, "User.csv") {
		t.Errorf("to a saved destination: %+v", s.Files)
	}
	if _, r := exportTo(t, ExitCannot, "--crm", sb, "--object", "User", "--to", "nosuch://x"); !strings.Contains(r.stderr, "nosuch") {
		t.Errorf("bad destination: %q", r.stderr)
	}

	dsn := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE note (id serial PRIMARY KEY, body text); INSERT INTO note (body) VALUES ('a'), ('b')"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	s, r = exportTo(t, ExitOK, "--crm", dsn, "--object", "note", "--include-voided", "--to", dir)
	if s.Rows != 2 || !strings.Contains(r.stderr, "export: note: including voided records has no effect: note has no life_status column") {
		t.Errorf("plain table: %+v, stderr %q", s, r.stderr)
	}
}

// TestExportRelatedReimports: a related export without IDs re-imports as
// is with --master-key _key: every line under its own opportunity.
func TestExportRelatedReimports(t *testing.T) {
	isolateHome(t)
	eachCRM(t, func(t *testing.T, demo crmUnderTest, _ func() crmUnderTest) {
		dir := t.TempDir()
		s, _ := exportTo(t, ExitOK, "--crm", demo.spec, "--object", "Opportunity", "--related", "--to", dir)
		unzip(t, s.Files[0].Location, dir)
		before := linesByMaster(t, dir)

		demo.exec(t, "DELETE FROM $S.opportunity_line; DELETE FROM $S.opportunity")
		r := runCLI(t, context.Background(), "import", "--crm", demo.spec, "--object", "Opportunity", "--master-key", "_key",
			"--detail", "OpportunityLine="+filepath.Join(dir, "OpportunityLine.csv"), filepath.Join(dir, "Opportunity.csv"), "--json")
		if r.code != ExitOK {
			t.Fatalf("import: %d %s %s", r.code, r.stderr, r.stdout)
		}
		again := t.TempDir()
		s, _ = exportTo(t, ExitOK, "--crm", demo.spec, "--object", "Opportunity", "--related", "--to", again)
		unzip(t, s.Files[0].Location, again)
		if after := linesByMaster(t, again); !slices.Equal(before, after) {
			t.Errorf("opportunities with their lines differ after the round trip:\n%s", firstDiff([]byte(strings.Join(before, "\n")), []byte(strings.Join(after, "\n"))))
		}
	})
}

// linesByMaster reads a related export of opportunities as sorted lines of
// "opportunity | line", the _key replaced by what it stands for.
func linesByMaster(t *testing.T, dir string) []string {
	t.Helper()
	master := map[string]string{}
	var out []string
	for i, l := range strings.Split(strings.TrimSpace(strings.TrimPrefix(string(readFile(t, filepath.Join(dir, "Opportunity.csv"))), "\uFEFF")), "\n") {
		if i > 0 {
			k, rest, _ := strings.Cut(l, ",")
			master[k] = rest
			out = append(out, rest)
		}
	}
	for i, l := range strings.Split(strings.TrimSpace(strings.TrimPrefix(string(readFile(t, filepath.Join(dir, "OpportunityLine.csv"))), "\uFEFF")), "\n") {
		if i > 0 {
			k, rest, _ := strings.Cut(l, ",")
			if master[k] == "" {
				t.Fatalf("line %q refers to no exported opportunity", l)
			}
			out = append(out, master[k]+" | "+rest)
		}
	}
	sort.Strings(out)
	return out
}
