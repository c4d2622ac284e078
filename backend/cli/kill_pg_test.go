package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/imports/load"
	"batchdesk/backend/pgtest"
	"batchdesk/backend/workspace"
)

// The child side of TestImportKilledThenResumed: `batchdesk ARGS` (from
// BD_CLI_ARGS, split on \x1f) in this process, which a failpoint kills.
func init() {
	if os.Getenv("BD_CLI_KILL_CHILD") != "1" {
		return
	}
	lazy := &workspace.Lazy{}
	code := Run(context.Background(), strings.Split(os.Getenv("BD_CLI_ARGS"), "\x1f"),
		Env{Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: os.Stderr, Version: "test", Workspace: lazy.Get})
	lazy.Close()
	os.Exit(code)
}

// TestImportKilledThenResumed kills `batchdesk import` with SIGKILL
// mid-COPY of batch 3, then `batchdesk jobs resume ID` finishes it: the
// CRM holds exactly the file's rows, each once (names are not unique, so
// only the ledger prevents duplicates).
func TestImportKilledThenResumed(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	isolateHome(t)
	ctx := context.Background()
	if r := runCLI(t, ctx, "demo-crm", "--crm", dsn); r.code != 0 {
		t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
	}
	var b strings.Builder
	b.WriteString("name,employees\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "Kill %04d,%d\n", i, i)
	}
	data := writeFile(t, "kill.csv", b.String())
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BD_CLI_KILL_CHILD=1", load.FailpointEnv+"="+load.FailMidCopy+":3",
		"BD_CLI_ARGS="+strings.Join([]string{"import", "--crm", dsn, "--object", "Account", "--batch-size", "100", data}, "\x1f"))
	out, err := cmd.CombinedOutput()
	if ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the import was not killed (err %v): %s", err, out)
	}

	r := runCLI(t, ctx, "jobs", "list", "--json")
	var list []jobView
	if err := json.Unmarshal([]byte(r.lastLine()), &list); err != nil || len(list) == 0 {
		t.Fatalf("jobs list: %v: %s %s", err, r.stdout, r.stderr)
	}
	id := list[0].JobID
	if list[0].Status != "interrupted" {
		t.Errorf("killed job status = %q, want interrupted", list[0].Status)
	}
	r = runCLI(t, ctx, "jobs", "resume", id, "--json")
	if r.code != ExitOK {
		t.Fatalf("resume: exit %d: %s %s", r.code, r.stderr, r.stdout)
	}
	if s := decodeSummary(t, r.lastLine()); s.Status != "done" || s.Succeeded != 1000 || s.Failed != 0 {
		t.Errorf("resumed summary = %+v", s)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n, distinct int
	var sum int64
	if err := conn.QueryRow(ctx, "SELECT count(*), count(DISTINCT name), coalesce(sum(employees), 0) FROM crm.account WHERE name LIKE 'Kill %'").Scan(&n, &distinct, &sum); err != nil {
		t.Fatal(err)
	}
	if n != 1000 || distinct != 1000 || sum != 999*1000/2 {
		t.Errorf("%d rows, %d distinct, employees sum %d; want 1000, 1000, %d", n, distinct, sum, 999*1000/2)
	}
}
