package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"batchdesk/backend/export"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// jobOf reads a job from the data folder.
func jobOf(t *testing.T, id string) store.Job {
	t.Helper()
	ws, err := workspace.Open(workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	j, err := ws.Store.GetJob(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestSchedulerRunsScheduledExport: with `batchdesk scheduler` running, a
// "once" a few seconds ahead exports the sandbox's accounts to a folder;
// the job is in the history, done, and linked to its schedule.
func TestSchedulerRunsScheduledExport(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	if r := runCLI(t, ctx, "demo-crm", "--crm", "sandbox"); r.code != 0 {
		t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
	}
	out := t.TempDir()
	when := time.Now().Add(3 * time.Second).UTC().Format("2006-01-02T15:04:05")
	set, _ := json.Marshal(export.Settings{CRM: "sandbox", Request: export.Request{Object: "Account"}, Destination: out})
	sc := saveSchedule(t, store.JobExport, "export Account to "+out, "once "+when+" UTC", string(set))

	cmd, lines, errb := startScheduler(t)
	var line string
	for lines.Scan() {
		if line = lines.Text(); strings.Contains(line, "schedule "+sc.ID) {
			break
		}
	}
	if !strings.Contains(line, "started job ") {
		t.Fatalf("scheduler log: %q %s", line, errb.String())
	}
	var jobID string
	fmt.Sscanf(line[strings.Index(line, "started job ")+len("started job "):], "%s", &jobID)
	jobID = strings.TrimSuffix(jobID, ";")
	waitFor(t, "the scheduled export to end", time.Minute, func() bool { return store.Terminal(jobOf(t, jobID).Status) })
	j := jobOf(t, jobID)
	if j.Status != store.StatusDone || j.Kind != store.JobExport {
		t.Fatalf("job %+v", j)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	if len(files) != 1 {
		t.Fatalf("files in the folder: %v", files)
	}
	if b, err := os.ReadFile(files[0]); err != nil || !strings.Contains(string(b), "name") {
		t.Fatalf("export file: %v %.200s", err, b)
	}

	r := runCLI(t, ctx, "jobs", "show", jobID, "--json")
	var v jobView
	if err := json.Unmarshal([]byte(r.lastLine()), &v); err != nil || v.Schedule == nil || v.Schedule.ID != sc.ID || v.Schedule.CaughtUp {
		t.Fatalf("jobs show: %v %s", err, r.stdout)
	}
	r = runCLI(t, ctx, "schedules", "show", sc.ID)
	if !strings.Contains(r.stdout, "started job "+jobID+" (done)") || !strings.Contains(r.stdout, "State:      finished") {
		t.Errorf("schedules show: %s", r.stdout)
	}
	// run-now runs it again by hand, in the foreground, while the
	// scheduler still runs; the once stays finished.
	r = runCLI(t, ctx, "schedules", "run-now", sc.ID, "--json")
	if r.code != 0 || decodeSummary(t, r.lastLine()).Status != "done" {
		t.Fatalf("run-now: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, ctx, "schedules", "show", sc.ID, "--json")
	var shown scheduleView
	if err := json.Unmarshal([]byte(r.lastLine()), &shown); err != nil || len(shown.Runs) != 2 || !shown.Runs[0].Manual ||
		shown.Runs[0].JobStatus != "done" || shown.State != "finished" {
		t.Fatalf("after run-now: %v %s", err, r.stdout)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	for lines.Scan() {
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("scheduler exit: %v %s", err, errb.String())
	}
}
