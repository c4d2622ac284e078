package cli

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/imports/load"
	"batchdesk/backend/pgtest"
)

func rowsFile(t *testing.T, n int) string {
	var b strings.Builder
	b.WriteString("n,name\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,Row %05d\n", i, i)
	}
	return writeFile(t, "rows.csv", b.String())
}

func counts(t *testing.T, dsn, table string) (n, distinct int) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(context.Background(), "SELECT count(*), count(DISTINCT n) FROM "+table).Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	return n, distinct
}

// TestRestartNeverWritesTwice: a job that failed after committing some of
// its batches (a trigger stops one batch with an error about the server,
// not the row) is resumable, and `jobs restart` of it continues from the
// ledger instead of writing every row again; a restart of all rows of a
// finished insert is refused with the reason.
func TestRestartNeverWritesTwice(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	isolateHome(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE acct (n integer, name text);
		CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.n = 15000 THEN RAISE EXCEPTION 'the server is busy' USING ERRCODE = '53000'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER boom BEFORE INSERT ON acct FOR EACH ROW EXECUTE FUNCTION boom()`); err != nil {
		t.Fatal(err)
	}
	file := rowsFile(t, 20000)
	r := runCLI(t, ctx, "import", "--crm", dsn, "--object", "acct", "--batch-size", "5000", file, "--json")
	s := decodeSummary(t, r.lastLine())
	if r.code != ExitCannot || s.Status != "failed" {
		t.Fatalf("import: exit %d, %+v %s", r.code, s, r.stderr)
	}
	partial, _ := counts(t, dsn, "acct")
	if partial == 0 || partial >= 20000 {
		t.Fatalf("the failed job left %d rows; the test needs some", partial)
	}
	if _, err := conn.Exec(ctx, "DROP TRIGGER boom ON acct"); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, ctx, "jobs", "restart", s.JobID, "--json")
	if r.code != ExitOK {
		t.Fatalf("restart: exit %d %s %s", r.code, r.stderr, r.stdout)
	}
	if n, distinct := counts(t, dsn, "acct"); n != 20000 || distinct != 20000 {
		t.Fatalf("after restart: %d rows, %d distinct; want 20000 each (was %d before)", n, distinct, partial)
	}
	r = runCLI(t, ctx, "jobs", "restart", s.JobID)
	if r.code != ExitCannot || !strings.Contains(r.stderr, "a second time") {
		t.Fatalf("restart of a finished insert: exit %d %s", r.code, r.stderr)
	}
	if n, _ := counts(t, dsn, "acct"); n != 20000 {
		t.Fatalf("after the refused restart: %d rows", n)
	}
}

// cutAt terminates every other session of the database at the mid-COPY
// failpoint of batch 1, every time, so the job ends interrupted.
func cutAt(t *testing.T, admin string) (restore func()) {
	restoreDelays := load.SetRetryDelays([]time.Duration{5 * time.Millisecond, 10 * time.Millisecond})
	var cuts atomic.Int32
	restoreHook := load.SetFailpointHook(func(name string, seq int) {
		if name != load.FailMidCopy || seq != 1 {
			return
		}
		cuts.Add(1)
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
	})
	return func() { restoreHook(); restoreDelays() }
}

// TestInterruptedExitsTwo: a job the lost connection stopped could not run
// to its end: exit status 2 (DESIGN §4), with how to continue. Its resume
// without the password that was in the URL says a password is needed.
func TestInterruptedExitsTwo(t *testing.T) {
	dsn, pw := pgtest.PasswordCluster(t)
	isolateHome(t)
	ctx := context.Background()
	withPW := strings.Replace(dsn, "postgres@", "postgres:"+pw+"@", 1)
	conn, err := pgx.Connect(ctx, withPW)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, "CREATE TABLE acct (n integer, name text)")
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	file := rowsFile(t, 300)
	restore := cutAt(t, withPW)
	r := runCLI(t, ctx, "import", "--crm", withPW, "--object", "acct", "--batch-size", "100", file, "--json")
	restore()
	s := decodeSummary(t, r.lastLine())
	if s.Status != "interrupted" || r.code != ExitCannot || !strings.Contains(r.stderr, "jobs resume "+s.JobID) {
		t.Fatalf("exit %d, %+v, stderr %q", r.code, s, r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, pw) {
		t.Fatal("the password is in the output")
	}
	r = runCLI(t, ctx, "jobs", "resume", s.JobID)
	if r.code != ExitCannot || !strings.Contains(r.stderr, "a password is needed") || strings.Contains(r.stderr, "wrong user name or password") {
		t.Fatalf("resume without the password: exit %d %q", r.code, r.stderr)
	}
	r = runCLI(t, ctx, "jobs", "resume", s.JobID, "--crm", withPW, "--json")
	if r.code != ExitOK {
		t.Fatalf("resume with the password: exit %d %s", r.code, r.stderr)
	}
	if n, distinct := counts(t, withPW, "acct"); n != 300 || distinct != 300 {
		t.Fatalf("%d rows, %d distinct; want 300 each", n, distinct)
	}
}
