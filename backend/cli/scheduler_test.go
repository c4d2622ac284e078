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
	// A "once" in a zone ahead of the computer's (UTC here): 3 s from now.
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	when := time.Now().Add(3 * time.Second).In(tokyo).Format("2006-01-02T15:04:05")
	r := runCLI(t, ctx, "export", "--crm", "sandbox", "--object", "Account", "--to", out,
		"--schedule", "once "+when+" Asia/Tokyo", "--json")
	var made struct{ ScheduleID, NextRun, Words string }
	if err := json.Unmarshal([]byte(r.lastLine()), &made); r.code != 0 || err != nil || made.ScheduleID == "" {
		t.Fatalf("export --schedule: %d %v %s %s", r.code, err, r.stdout, r.stderr)
	}
	if files, _ := filepath.Glob(filepath.Join(out, "*")); len(files) != 0 {
		t.Fatalf("export --schedule ran at once: %v", files)
	}
	sc := store.Schedule{ID: made.ScheduleID}

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

	r = runCLI(t, ctx, "jobs", "show", jobID, "--json")
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

func TestExportScheduleRefusals(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	if r := runCLI(t, ctx, "demo-crm", "--crm", "sandbox"); r.code != 0 {
		t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
	}
	out := t.TempDir()
	cases := []struct{ name, spec, want string }{
		{"bad spec", "hourly 02:00", "once, daily, weekly or monthly"},
		{"once in the past", "once 2020-01-01T02:00 UTC", "already passed"},
		{"unknown zone", "daily 02:00 Mars/Base", "unknown time zone"},
	}
	for _, c := range cases {
		r := runCLI(t, ctx, "export", "--crm", "sandbox", "--object", "Account", "--to", out, "--schedule", c.spec)
		if r.code != ExitCannot || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", c.name, r.code, r.stderr, c.want)
		}
	}
	// The export is checked before it is saved: an unknown object is refused.
	r := runCLI(t, ctx, "export", "--crm", "sandbox", "--object", "Acount", "--to", out, "--schedule", "daily 02:00")
	if r.code != ExitCannot {
		t.Errorf("unknown object: exit %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "schedules", "list", "--json"); r.lastLine() != "[]" {
		t.Errorf("refused schedules were saved: %s", r.stdout)
	}
	// A relative folder is kept absolute; a URL's password is never stored.
	t.Chdir(out)
	r = runCLI(t, ctx, "export", "--crm", "sandbox", "--object", "Account", "--to", "sub", "--schedule", "weekly mon 02:00 Europe/Berlin")
	if r.code != 0 || !strings.Contains(r.stdout, "Scheduled export ") || !strings.Contains(r.stdout, "Every Monday at 02:00 (Europe/Berlin)") {
		t.Fatalf("relative folder: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, ctx, "schedules", "list", "--json")
	if !strings.Contains(r.stdout, `export Account to `+filepath.Join(out, "sub")) {
		t.Errorf("stored title: %s", r.stdout)
	}
	set, had := stripPassword("ftp://me:s3cret@files.example:21/out")
	if !had || strings.Contains(set, "s3cret") || set != "ftp://me@files.example:21/out" {
		t.Errorf("stripPassword = %q, %v", set, had)
	}
}
