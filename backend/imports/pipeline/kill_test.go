package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"batchdesk/backend/crm"
	"batchdesk/backend/imports/load"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/pipeline"
)

// The child side of TestKillAndResume: run the import named by the
// environment, then exit (unless a failpoint kills the process first).
func init() {
	if os.Getenv("BD_KILL_CHILD") != "1" {
		return
	}
	ctx := context.Background()
	tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: os.Getenv("BD_KILL_DSN")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	_, err = pipeline.Run(ctx, killRequest(tg, os.Getenv("BD_KILL_FILE")), nil)
	fmt.Fprintln(os.Stderr, "child finished:", err)
	os.Exit(0)
}

func killRequest(tg crm.Target, file string) pipeline.Request {
	return pipeline.Request{Target: tg, Object: "events", Files: []string{file}, JobID: "kill-job",
		BatchSize: 100, Workers: 2, Mapping: mapping.Mapping{Columns: map[string]mapping.Column{
			"name": {Field: "name"}, "qty": {Field: "qty"}}}}
}

// TestKillAndResume kills an import with SIGKILL at a failpoint, resumes it,
// and checks the table holds exactly the file's good rows, each once — on a
// table with no unique key, where only the ledger can prevent duplicates.
func TestKillAndResume(t *testing.T) {
	for _, fp := range []string{load.FailMidCopy + ":3", load.FailAfterCommit + ":2", load.FailDuringBisect + ":4"} {
		t.Run(fp, func(t *testing.T) {
			tg := openPG(t, false)
			ctx := context.Background()
			if _, err := tg.Pool().Exec(ctx, "CREATE TABLE events (name text NOT NULL, qty integer CHECK (qty >= 0))"); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			b.WriteString("name,qty\n")
			want := map[string]int{}
			for i := range 1000 {
				qty := i % 7
				if i == 310 || i == 350 || i == 377 { // three bad rows in batch 4
					qty = -1
				} else {
					want[fmt.Sprintf("row%04d", i)] = 1
				}
				fmt.Fprintf(&b, "row%04d,%d\n", i, qty)
			}
			file := write(t, "events.csv", b.String())
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "BD_KILL_CHILD=1", "BD_KILL_DSN="+dsnOf(tg), "BD_KILL_FILE="+file,
				load.FailpointEnv+"="+fp)
			out, err := cmd.CombinedOutput()
			ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("child was not killed (err %v): %s", err, out)
			}
			res, err := pipeline.Resume(ctx, killRequest(tg, file), nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Succeeded != 997 || res.Failed != 3 {
				t.Errorf("resume result = %+v", res)
			}
			rows, err := tg.Pool().Query(ctx, "SELECT name, count(*) FROM events GROUP BY name")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for rows.Next() {
				var n string
				var c int
				rows.Scan(&n, &c)
				got[n] = c
			}
			rows.Close()
			if len(got) != len(want) {
				t.Errorf("%d distinct rows, want %d", len(got), len(want))
			}
			for k, c := range got {
				if want[k] != c {
					t.Errorf("%s: %d times, want %d", k, c, want[k])
				}
			}
		})
	}
}

func dsnOf(tg interface{ Describe() string }) string {
	return killDSN[tg.Describe()]
}

var killDSN = map[string]string{}
