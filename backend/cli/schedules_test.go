package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"batchdesk/backend/schedule"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// The child side of the scheduler tests: `batchdesk ARGS` (BD_CLI_ARGS,
// split on \x1f) with SIGINT/SIGTERM canceling its context, as main.go does.
func init() {
	if os.Getenv("BD_CLI_SCHED_CHILD") != "1" {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	lazy := &workspace.Lazy{}
	code := Run(ctx, strings.Split(os.Getenv("BD_CLI_ARGS"), "\x1f"),
		Env{Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: os.Stderr, Version: "test", Workspace: lazy.Get})
	lazy.Close()
	stop()
	os.Exit(code)
}

// saveSchedule makes a schedule in the data folder as export --schedule does.
func saveSchedule(t *testing.T, kind, title, spec string, settings string) store.Schedule {
	t.Helper()
	ws, err := workspace.Open(workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	sc, _, err := schedule.Create(context.Background(), ws.Store, schedule.New{Kind: kind, Title: title, Spec: spec,
		Settings: json.RawMessage(settings)}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestSchedulesCommands(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	if r := runCLI(t, ctx, "schedules", "list"); r.code != 0 || !strings.Contains(r.stdout, "No schedules yet") {
		t.Fatalf("empty list: %d %q %q", r.code, r.stdout, r.stderr)
	}
	sc := saveSchedule(t, store.JobExport, "export Account to /tmp/out", "weekly mon,thu 02:00 Asia/Shanghai", `{"object":"Account"}`)

	r := runCLI(t, ctx, "schedules", "list", "--json")
	var list []scheduleView
	if err := json.Unmarshal([]byte(r.lastLine()), &list); err != nil || len(list) != 1 {
		t.Fatalf("list --json: %v %q", err, r.stdout)
	}
	v := list[0]
	if v.ID != sc.ID || v.State != "active" || v.Words != "Every Monday and Thursday at 02:00 (Asia/Shanghai)" ||
		v.WordsZh != "每周一、周四 02:00（Asia/Shanghai）" || v.NextRun == nil || v.Title != "export Account to /tmp/out" {
		t.Fatalf("list view %+v", v)
	}
	if r := runCLI(t, ctx, "schedules", "list"); !strings.Contains(r.stdout, sc.ID) || !strings.Contains(r.stdout, "Every Monday and Thursday") {
		t.Errorf("list: %s", r.stdout)
	}

	r = runCLI(t, ctx, "schedules", "show", sc.ID)
	if r.code != 0 || !strings.Contains(r.stdout, "When:       Every Monday and Thursday at 02:00 (Asia/Shanghai)") ||
		!strings.Contains(r.stdout, "每周一、周四 02:00（Asia/Shanghai）") || !strings.Contains(r.stdout, "never ran") {
		t.Fatalf("show: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, ctx, "schedules", "show", sc.ID, "--json")
	var shown scheduleView
	if err := json.Unmarshal([]byte(r.lastLine()), &shown); err != nil || len(shown.Upcoming) != 5 {
		t.Fatalf("show --json: %v %s", err, r.stdout)
	}
	for i, u := range shown.Upcoming {
		at, _ := time.Parse(time.RFC3339, u)
		loc, _ := time.LoadLocation("Asia/Shanghai")
		if l := at.In(loc); (l.Weekday() != time.Monday && l.Weekday() != time.Thursday) || l.Hour() != 2 || l.Minute() != 0 {
			t.Errorf("upcoming run %d is %s", i, l)
		}
	}

	if r := runCLI(t, ctx, "schedules", "pause", sc.ID); r.code != 0 {
		t.Fatalf("pause: %s", r.stderr)
	}
	r = runCLI(t, ctx, "schedules", "show", sc.ID, "--json")
	shown = scheduleView{}
	if err := json.Unmarshal([]byte(r.lastLine()), &shown); err != nil || shown.State != "paused" || len(shown.Upcoming) != 0 {
		t.Fatalf("paused: %+v %v", shown, err)
	}
	if r := runCLI(t, ctx, "schedules", "resume", sc.ID); r.code != 0 || !strings.Contains(r.stdout, "next run") {
		t.Fatalf("resume: %s %s", r.stdout, r.stderr)
	}
	// No launcher for the kind in this build: run-now says so in one line.
	if r := runCLI(t, ctx, "schedules", "run-now", "nope"); r.code != ExitCannot || !strings.Contains(r.stderr, `no schedule named "nope"`) {
		t.Errorf("run-now of an unknown ID: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "schedules", "remove", sc.ID); r.code != 0 {
		t.Fatalf("remove: %s", r.stderr)
	}
	if r := runCLI(t, ctx, "schedules", "show", sc.ID); r.code != ExitCannot {
		t.Errorf("show after remove: %d", r.code)
	}
	if r := runCLI(t, ctx, "schedules", "pause"); r.code != ExitCannot || !strings.Contains(r.stderr, "give one schedule ID") {
		t.Errorf("pause without ID: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "scheduler", "--install", "--uninstall"); r.code != ExitCannot {
		t.Errorf("--install --uninstall: %d", r.code)
	}
}

// startScheduler starts `batchdesk scheduler` as a child process and waits
// for its start line.
func startScheduler(t *testing.T) (*exec.Cmd, *bufio.Scanner, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BD_CLI_SCHED_CHILD=1", "BD_CLI_ARGS=scheduler")
	errb := &strings.Builder{}
	cmd.Stderr = errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(out)
	if !lines.Scan() || !strings.Contains(lines.Text(), "scheduler started") {
		t.Fatalf("no start line: %q %s", lines.Text(), errb.String())
	}
	return cmd, lines, errb
}

// TestSchedulerStopsOnSignal: SIGTERM and SIGINT stop `batchdesk scheduler`
// cleanly, with exit 0 and a last log line.
func TestSchedulerStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			isolateHome(t)
			cmd, lines, errb := startScheduler(t)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var last string
			for lines.Scan() {
				last = lines.Text()
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("scheduler exit: %v %s", err, errb.String())
			}
			if !strings.HasSuffix(last, "scheduler stopped") {
				t.Errorf("last line %q", last)
			}
		})
	}
}
