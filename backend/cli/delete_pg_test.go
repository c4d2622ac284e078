package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/deletion"
	"batchdesk/backend/pgtest"
)

func decodeDeleteSummary(t *testing.T, line string) deleteSummary {
	t.Helper()
	var s deleteSummary
	if err := json.Unmarshal([]byte(line), &s); err != nil {
		t.Fatalf("summary %q: %v", line, err)
	}
	return s
}

// demoWithKillRows is a demo CRM with 1,000 extra accounts named "Kill …".
func demoWithKillRows(t *testing.T, ctx context.Context) (string, *pgx.Conn) {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	if r := runCLI(t, ctx, "demo-crm", "--crm", dsn); r.code != 0 {
		t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, `INSERT INTO crm.account (name, employees) SELECT 'Kill ' || lpad(g::text, 4, '0'), g FROM generate_series(0, 999) g`); err != nil {
		t.Fatal(err)
	}
	return dsn, conn
}

func count(t *testing.T, ctx context.Context, conn *pgx.Conn, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := conn.QueryRow(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestDeleteKilledThenResumed kills `batchdesk delete` with SIGKILL at
// each failpoint (mid-batch before the commit, just after a commit, while
// the backup is written), adds
// new matching records while it is down, then `batchdesk jobs resume ID`:
// exactly the 1,000 captured records are gone — none missed, none other —
// with one audit entry per batch and the counts right.
func TestDeleteKilledThenResumed(t *testing.T) {
	for _, fp := range []string{deletion.FailMidBatch + ":3", deletion.FailAfterCommit + ":3", deletion.FailMidBatch + ":0",
		deletion.FailDuringBackup + ":0"} {
		t.Run(fp, func(t *testing.T) {
			isolateHome(t)
			ctx := context.Background()
			dsn, conn := demoWithKillRows(t, ctx)
			args := []string{"delete", "--crm", dsn, "--object", "Account", "--where", "name LIKE 'Kill %'",
				"--confirm", "Account", "--confirm-count", "1000", "--batch-size", "100", "--json"}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "BD_CLI_KILL_CHILD=1", deletion.FailpointEnv+"="+fp,
				"BD_CLI_ARGS="+strings.Join(args, "\x1f"))
			out, err := cmd.CombinedOutput()
			if ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("the delete was not killed (err %v): %s", err, out)
			}
			left := count(t, ctx, conn, "SELECT count(*) FROM crm.account WHERE name LIKE 'Kill %'")
			if left == 0 || (left == 1000) != strings.HasSuffix(fp, ":0") {
				t.Errorf("%d records left after the kill", left)
			}
			// New matching records while the job is down: not in the captured set.
			if _, err := conn.Exec(ctx, `INSERT INTO crm.account (name) SELECT 'Kill new ' || g FROM generate_series(1, 50) g`); err != nil {
				t.Fatal(err)
			}
			r := runCLI(t, ctx, "jobs", "list", "--json")
			var list []jobView
			if err := json.Unmarshal([]byte(r.lastLine()), &list); err != nil || len(list) == 0 {
				t.Fatalf("jobs list: %v: %s %s", err, r.stdout, r.stderr)
			}
			id := list[0].JobID
			if list[0].Status != "interrupted" || list[0].Kind != "delete" {
				t.Errorf("killed job = %s %s, want an interrupted delete", list[0].Kind, list[0].Status)
			}
			r = runCLI(t, ctx, "jobs", "resume", id, "--json")
			if r.code != ExitOK {
				t.Fatalf("resume: exit %d: %s %s", r.code, r.stderr, r.stdout)
			}
			s := decodeDeleteSummary(t, r.lastLine())
			if s.Status != "done" || s.Total != 1000 || s.Succeeded != 1000 || s.Failed != 0 || s.Backup == nil {
				t.Errorf("resumed summary = %+v", s)
			}
			if n := count(t, ctx, conn, "SELECT count(*) FROM crm.account WHERE name LIKE 'Kill %' AND name NOT LIKE 'Kill new %'"); n != 0 {
				t.Errorf("%d captured records left", n)
			}
			if n := count(t, ctx, conn, "SELECT count(*) FROM crm.account WHERE name LIKE 'Kill new %'"); n != 50 {
				t.Errorf("%d of the 50 records added after the capture left, want all", n)
			}
			if n := count(t, ctx, conn, "SELECT count(*) FROM crm.account"); n != 60+50 {
				t.Errorf("%d accounts left, want the 60 demo ones and the 50 new", n)
			}
			var entries, sum int64
			if err := conn.QueryRow(ctx, `SELECT count(*), coalesce(sum(record_count), 0) FROM crm.audit_log
				WHERE job_id = $1 AND action = 'delete' AND object = 'Account' AND actor_id = $2`, id, "00000000-0000-0000-0000-000000000001").Scan(&entries, &sum); err != nil {
				t.Fatal(err)
			}
			if entries != 10 || sum != 1000 {
				t.Errorf("audit log: %d entries for %d records, want 10 for 1000", entries, sum)
			}
		})
	}
}

// TestDeleteKilledThenResumedSandbox is the same on the sandbox: killed
// mid-batch, then resumed, exactly the captured records are gone.
func TestDeleteKilledThenResumedSandbox(t *testing.T) {
	home := isolateHome(t)
	ctx := context.Background()
	path := filepath.Join(home, "crm.db")
	tg, err := sandbox.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	tg.Close()
	db, err := sql.Open("sqlite", sandbox.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < 999)
		INSERT INTO account (name) SELECT printf('Kill %04d', n) FROM g`); err != nil {
		t.Fatal(err)
	}
	cnt := func(q string) (n int64) {
		t.Helper()
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	args := []string{"delete", "--crm", "sandbox:" + path, "--object", "Account", "--where", "name LIKE 'Kill %'",
		"--confirm", "Account", "--confirm-count", "1000", "--batch-size", "100", "--json"}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BD_CLI_KILL_CHILD=1", deletion.FailpointEnv+"="+deletion.FailMidBatch+":4",
		"BD_CLI_ARGS="+strings.Join(args, "\x1f"))
	out, err := cmd.CombinedOutput()
	if ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the delete was not killed (err %v): %s", err, out)
	}
	if n := cnt("SELECT count(*) FROM account WHERE name LIKE 'Kill %'"); n != 600 {
		t.Errorf("%d records left after the kill in batch 4, want 600", n)
	}
	if _, err := db.Exec(`INSERT INTO account (name) VALUES ('Kill new')`); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, ctx, "jobs", "list", "--json")
	var list []jobView
	if err := json.Unmarshal([]byte(r.lastLine()), &list); err != nil || len(list) == 0 {
		t.Fatalf("jobs list: %v: %s %s", err, r.stdout, r.stderr)
	}
	r = runCLI(t, ctx, "jobs", "resume", list[0].JobID, "--json")
	if s := decodeDeleteSummary(t, r.lastLine()); r.code != 0 || s.Status != "done" || s.Succeeded != 1000 {
		t.Fatalf("resume: exit %d %+v %s", r.code, s, r.stderr)
	}
	if n := cnt("SELECT count(*) FROM account WHERE name LIKE 'Kill %'"); n != 1 {
		t.Errorf("%d Kill records left, want only the one added after the capture", n)
	}
	if n := cnt("SELECT coalesce(sum(record_count), 0) FROM audit_log WHERE action = 'delete'"); n != 1000 {
		t.Errorf("audit log counts %d deleted records, want 1000", n)
	}
}

// TestDeleteRefusals: a delete without the typed name, with a wrong count,
// or with blocked records exits 2, deletes nothing and is in the history as
// a failed delete job; --dry-run changes nothing.
func TestDeleteRefusals(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	dsn, conn := demoWithKillRows(t, ctx)
	r := runCLI(t, ctx, "delete", "--crm", dsn, "--object", "Account", "--all", "--dry-run", "--json")
	if r.code != 0 {
		t.Fatalf("dry run: %d %s", r.code, r.stderr)
	}
	var pv deletion.Preview
	if err := json.Unmarshal([]byte(r.lastLine()), &pv); err != nil || pv.Matching != 1060 || pv.Blocked == 0 || pv.Check != deletion.CheckCount {
		t.Fatalf("dry run preview %+v (%v)", pv, err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no typed name", []string{"--where", "name LIKE 'Kill %'", "--confirm-count", "1000"}, "type the object's API name"},
		{"wrong count on trust", []string{"--where", "name LIKE 'Kill %'", "--confirm", "Account", "--confirm-count", "999"}, "checks no password"},
		{"a password on trust", []string{"--where", "name LIKE 'Kill %'", "--confirm", "Account", "--password-stdin"}, "checks no password"},
		{"blocked", []string{"--all", "--confirm", "Account", "--confirm-count", "1060"}, "cannot go"},
		{"hostile object", []string{"--all", "--object", `Account"; DROP TABLE crm.account; --`, "--confirm", "x"}, "has no object"},
		{"hostile filter", []string{"--where", "name = 'x'' OR 1=1 --'", "--confirm", "Account", "--confirm-count", "1"}, "not confirmed"},
		{"filter injection", []string{"--where", "name = 'a' ; DELETE FROM crm.account", "--confirm", "Account"}, "filter"},
	}
	for _, c := range cases {
		args := append([]string{"delete", "--crm", dsn, "--object", "Account", "--no-backup"}, c.args...)
		r := runCLIStdin(t, ctx, "any-password\n", args...)
		if r.code != ExitCannot || !strings.Contains(r.stderr, c.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, stderr %q; want 2 and one line with %q", c.name, r.code, r.stderr, c.want)
		}
	}
	if n := count(t, ctx, conn, "SELECT count(*) FROM crm.account"); n != 1060 {
		t.Errorf("%d accounts after refusals, want 1060", n)
	}
	r = runCLI(t, ctx, "jobs", "list", "--json", "--kind", "delete")
	var list []jobView
	if err := json.Unmarshal([]byte(r.lastLine()), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 5 {
		t.Errorf("%d delete jobs in the history, want the 5 refused after opening the object", len(list))
	}
	for _, j := range list {
		if j.Status != "failed" || j.Succeeded != 0 {
			t.Errorf("refused job %+v", j)
		}
	}
}

// TestDeletePassword runs against a cluster that checks passwords: a
// wrong one exits 2 and deletes nothing (a failed job in the history), the
// right one deletes; the probe with a random password is refused there, so
// the preview asks for the password, not the count.
func TestDeletePassword(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	base, password := pgtest.PasswordCluster(t)
	dsn := strings.Replace(base, "postgres@", "postgres:"+password+"@", 1)
	if r := runCLI(t, ctx, "demo-crm", "--crm", dsn); r.code != 0 {
		t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
	}
	r := runCLI(t, ctx, "delete", "--crm", dsn, "--object", "OpportunityLine", "--all", "--dry-run", "--json")
	var pv deletion.Preview
	if err := json.Unmarshal([]byte(r.lastLine()), &pv); err != nil || pv.Check != deletion.CheckPassword || pv.Total == 0 {
		t.Fatalf("preview on a password server: %+v %v %s", pv, err, r.stderr)
	}
	args := []string{"delete", "--crm", dsn, "--object", "OpportunityLine", "--all", "--confirm", "OpportunityLine", "--password-stdin", "--no-backup", "--json"}
	r = runCLIStdin(t, ctx, "not-the-password\n", args...)
	if r.code != ExitCannot || !strings.Contains(r.stderr, "wrong password") || strings.Contains(r.stderr, "not-the-password") {
		t.Errorf("wrong password: exit %d %q", r.code, r.stderr)
	}
	if s := decodeDeleteSummary(t, r.lastLine()); s.Status != "failed" || s.Succeeded != 0 {
		t.Errorf("wrong password summary %+v", s)
	}
	r = runCLIStdin(t, ctx, password+"\n", args...)
	if r.code != ExitOK {
		t.Fatalf("right password: exit %d %s", r.code, r.stderr)
	}
	if s := decodeDeleteSummary(t, r.lastLine()); s.Status != "done" || s.Succeeded != pv.Total {
		t.Errorf("right password summary %+v", s)
	}
}
