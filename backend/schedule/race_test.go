package schedule

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

// The child side of TestTwoProcessesRaceForDueRuns: a runner over the store
// at BD_SCHED_RACE_DB that, after "go" on stdin, checks until no schedule is
// due, waits for the jobs it started and prints how many.
func init() {
	if os.Getenv("BD_SCHED_RACE_CHILD") != "1" {
		return
	}
	n, err := raceChild(os.Getenv("BD_SCHED_RACE_DB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	fmt.Printf("started %d\n", n)
	os.Exit(0)
}

func raceChild(db string) (int, error) {
	st, err := store.Open(db)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	reg := jobs.New(st, nil, jobs.Options{})
	var mu sync.Mutex
	var started []string
	launch := LauncherFunc(func(ctx context.Context, sc store.Schedule, run RunInfo) (string, error) {
		settings, _ := json.Marshal(map[string]string{"scheduleId": sc.ID})
		return reg.Submit(ctx, jobs.Spec{Kind: store.JobExport, Settings: json.RawMessage(settings)},
			func(ctx context.Context, report func(jobs.Progress)) (jobs.Outcome, error) {
				return jobs.Outcome{Total: 1, Succeeded: 1}, nil
			})
	})
	r := NewRunner(st, Launchers{store.JobExport: launch}, reg, Options{
		Log: func(res Result) {
			if res.Outcome == store.RunStarted {
				mu.Lock()
				started = append(started, res.JobID)
				mu.Unlock()
			}
		}})
	fmt.Println("ready")
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "go" {
		return 0, fmt.Errorf("no go: %q %v", line, err)
	}
	ctx := context.Background()
	for {
		if _, err := r.Check(ctx); err != nil {
			return 0, err
		}
		due, err := st.DueSchedules(ctx, time.Now())
		if err != nil {
			return 0, err
		}
		if len(due) == 0 {
			break
		}
	}
	for _, id := range started {
		if _, err := reg.Wait(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(started), nil
}

// TestTwoProcessesRaceForDueRuns: two runner processes on one store race
// for 50 due runs; each runs exactly once, as one job linked to its
// schedule.
func TestTwoProcessesRaceForDueRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two processes")
	}
	const n = 50
	db := filepath.Join(t.TempDir(), "batchdesk.db")
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	now := time.Now().Round(0)
	ids := map[string]bool{}
	for i := range n {
		sc, err := st.SaveSchedule(ctx, store.Schedule{Kind: store.JobExport, Spec: "daily 02:00 UTC", Zone: "UTC",
			NextRun: now.Add(-time.Duration(i) * time.Second), Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		ids[sc.ID] = true
	}

	type child struct {
		cmd   *exec.Cmd
		in    io.WriteCloser
		out   *bufio.Reader
		errb  strings.Builder
		count int
	}
	children := make([]*child, 2)
	for i := range children {
		c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
		c.cmd.Env = append(os.Environ(), "BD_SCHED_RACE_CHILD=1", "BD_SCHED_RACE_DB="+db)
		c.cmd.Stderr = &c.errb
		if c.in, err = c.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		stdout, err := c.cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		c.out = bufio.NewReader(stdout)
		if err := c.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children[i] = c
	}
	for _, c := range children {
		if line, err := c.out.ReadString('\n'); err != nil || line != "ready\n" {
			t.Fatalf("child did not get ready: %q %v %s", line, err, c.errb.String())
		}
	}
	for _, c := range children {
		fmt.Fprintln(c.in, "go")
	}
	total := 0
	for _, c := range children {
		rest, _ := io.ReadAll(c.out)
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("child: %v: %s %s", err, rest, c.errb.String())
		}
		if _, err := fmt.Sscanf(string(rest), "started %d", &c.count); err != nil {
			t.Fatalf("child said %q: %v", rest, err)
		}
		total += c.count
	}
	t.Logf("%d due runs: the processes started %d and %d", n, children[0].count, children[1].count)
	if total != n {
		t.Errorf("%d runs started in all, want %d", total, n)
	}
	for id := range ids {
		runs, err := st.ScheduleRuns(ctx, id, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 1 || runs[0].Outcome != store.RunStarted {
			t.Errorf("schedule %s: runs %+v, want one started", id, runs)
		}
	}
	js, err := st.ListJobs(ctx, store.JobFilter{Kind: store.JobExport, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, j := range js {
		var s struct{ ScheduleID string }
		_ = json.Unmarshal(j.Settings, &s)
		seen[s.ScheduleID]++
		if j.Status != store.StatusDone {
			t.Errorf("job %s status %s", j.ID, j.Status)
		}
		if link, ok, _ := st.RunOfJob(ctx, j.ID); !ok || link.ScheduleID != s.ScheduleID {
			t.Errorf("job %s is not linked to schedule %s", j.ID, s.ScheduleID)
		}
	}
	if len(js) != n || len(seen) != n {
		t.Errorf("%d jobs for %d schedules, want %d each", len(js), len(seen), n)
	}
	for id, c := range seen {
		if !ids[id] || c != 1 {
			t.Errorf("schedule %q has %d jobs", id, c)
		}
	}
}
