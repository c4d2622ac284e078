package schedule

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

// clock is a wall clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// env is a store, a job registry and a launcher whose jobs end when the
// test releases them (or at once when release is nil).
type env struct {
	st      *store.Store
	reg     *jobs.Registry
	clock   *clock
	runner  *Runner
	release chan struct{}
	mu      sync.Mutex
	infos   []RunInfo
}

func newEnv(t *testing.T, now time.Time, opt Options) *env {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "batchdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{st: st, reg: jobs.New(st, nil, jobs.Options{}), clock: &clock{t: now}}
	opt.Now = e.clock.Now
	e.runner = NewRunner(st, Launchers{store.JobExport: LauncherFunc(e.launch)}, e.reg, opt)
	return e
}

// launch starts an export-kind job that waits for e.release.
func (e *env) launch(ctx context.Context, sc store.Schedule, run RunInfo) (string, error) {
	e.mu.Lock()
	e.infos = append(e.infos, run)
	release := e.release
	e.mu.Unlock()
	settings, _ := json.Marshal(map[string]any{"scheduleId": sc.ID})
	return e.reg.Submit(context.Background(), jobs.Spec{Kind: store.JobExport, Object: "Account", Settings: json.RawMessage(settings)},
		func(ctx context.Context, report func(jobs.Progress)) (jobs.Outcome, error) {
			if release != nil {
				select {
				case <-release:
				case <-ctx.Done():
					return jobs.Outcome{}, ctx.Err()
				}
			}
			return jobs.Outcome{Total: 1, Succeeded: 1}, nil
		})
}

func (e *env) create(t *testing.T, spec string) store.Schedule {
	t.Helper()
	sc, _, err := Create(context.Background(), e.st, New{Kind: store.JobExport, Title: "export Account", Spec: spec}, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func (e *env) check(t *testing.T) {
	t.Helper()
	if _, err := e.runner.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (e *env) runs(t *testing.T, id string) []store.ScheduleRun {
	t.Helper()
	runs, err := e.st.ScheduleRuns(context.Background(), id, 100)
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

func (e *env) wait(t *testing.T, jobID string) store.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	j, err := e.reg.Wait(ctx, jobID)
	if err != nil {
		t.Fatalf("job %s: %v", jobID, err)
	}
	return j
}

// TestCatchUpAfterSleep: the laptop sleeps from Fri 27 Nov 23:00 to Mon 30
// Nov 09:00 (UTC); a daily 02:00 missed three runs and runs once on wake,
// marked caught up, and its next run is Tue 1 Dec 02:00.
func TestCatchUpAfterSleep(t *testing.T) {
	e := newEnv(t, utc("2026-11-27T23:00:00Z"), Options{})
	sc := e.create(t, "daily 02:00 UTC")
	if !sc.NextRun.Equal(utc("2026-11-28T02:00:00Z")) {
		t.Fatalf("first run %v", sc.NextRun)
	}
	e.check(t)
	if n := len(e.runs(t, sc.ID)); n != 0 {
		t.Fatalf("%d runs before the time", n)
	}
	e.clock.Set(utc("2026-11-30T09:00:00Z"))
	e.check(t)
	e.check(t) // a second look at the same moment starts nothing more
	runs := e.runs(t, sc.ID)
	if len(runs) != 1 {
		t.Fatalf("%d runs after the sleep, want 1: %+v", len(runs), runs)
	}
	r := runs[0]
	wantNote := "missed 3 runs, 02:00 on Sat 28 Nov to 02:00 on Mon 30 Nov, while the computer was off"
	if r.Outcome != store.RunStarted || !r.CaughtUp || r.Note != wantNote || !r.Due.Equal(sc.NextRun) {
		t.Fatalf("run = %+v, want started, caught up, note %q", r, wantNote)
	}
	if len(e.infos) != 1 || !e.infos[0].CaughtUp || e.infos[0].Missed != 3 || e.infos[0].Note != wantNote {
		t.Errorf("launcher was told %+v", e.infos)
	}
	j := e.wait(t, r.JobID)
	if j.Status != store.StatusDone || !strings.Contains(string(j.Settings), sc.ID) {
		t.Errorf("job %+v", j)
	}
	d, _ := e.reg.Get(context.Background(), r.JobID)
	if !hasEvent(d.Events, "caught up: "+wantNote) || !hasEvent(d.Events, "scheduled run of schedule "+sc.ID) {
		t.Errorf("job log lacks the schedule and the catch-up: %+v", d.Events)
	}
	got, _ := e.st.GetSchedule(context.Background(), sc.ID)
	if !got.NextRun.Equal(utc("2026-12-01T02:00:00Z")) {
		t.Errorf("next run %v, want 2026-12-01T02:00Z (from now, not from the missed ones)", got.NextRun)
	}
	if link, ok, _ := e.st.RunOfJob(context.Background(), r.JobID); !ok || link.ScheduleID != sc.ID {
		t.Errorf("job is not linked to its schedule: %+v", link)
	}

	// On time the next day: not caught up, no note.
	e.clock.Set(utc("2026-12-01T02:00:04Z"))
	e.check(t)
	runs = e.runs(t, sc.ID)
	if len(runs) != 2 || runs[0].CaughtUp || runs[0].Note != "" || runs[0].Outcome != store.RunStarted {
		t.Fatalf("on-time run = %+v", runs[0])
	}
	e.wait(t, runs[0].JobID)
}

func hasEvent(evs []store.JobEvent, prefix string) bool {
	for _, e := range evs {
		if strings.HasPrefix(e.Message, prefix) {
			return true
		}
	}
	return false
}

// TestRunStillGoingIsSkipped: a run that still goes when the next time
// comes is not started again; the skip is noted on the schedule and the job.
func TestRunStillGoingIsSkipped(t *testing.T) {
	e := newEnv(t, utc("2026-12-01T01:59:00Z"), Options{})
	e.release = make(chan struct{})
	sc := e.create(t, "daily 02:00 UTC")
	e.clock.Set(utc("2026-12-01T02:00:00Z"))
	e.check(t)
	first := e.runs(t, sc.ID)[0]
	e.clock.Set(utc("2026-12-02T02:00:01Z"))
	e.check(t)
	runs := e.runs(t, sc.ID)
	if len(runs) != 2 || runs[0].Outcome != store.RunSkipped || !strings.Contains(runs[0].Note, "still going") ||
		!strings.Contains(runs[0].Note, first.JobID) {
		t.Fatalf("second run = %+v, want skipped because job %s still goes", runs[0], first.JobID)
	}
	close(e.release)
	e.wait(t, first.JobID)
	d, _ := e.reg.Get(context.Background(), first.JobID)
	if !hasEvent(d.Events, "the run of schedule "+sc.ID+" due Wed 2026-12-02 02:00 UTC was skipped") {
		t.Errorf("the running job's log does not note the skip: %+v", d.Events)
	}
	e.clock.Set(utc("2026-12-03T02:00:00Z"))
	e.check(t)
	if runs := e.runs(t, sc.ID); len(runs) != 3 || runs[0].Outcome != store.RunStarted {
		t.Fatalf("third run = %+v", runs[0])
	} else {
		e.wait(t, runs[0].JobID)
	}
}

// TestOnceRunsOnce: a "once" runs at its time and never again; run-now
// runs it by hand without a next run; pause and resume.
func TestOnceRunsOnce(t *testing.T) {
	e := newEnv(t, utc("2026-11-30T23:00:00Z"), Options{})
	sc := e.create(t, "once 2026-12-01T08:00 Asia/Shanghai") // 00:00Z
	if _, _, err := Create(context.Background(), e.st, New{Kind: store.JobExport, Spec: "once 2026-11-30T08:00 Asia/Shanghai"}, e.clock.Now()); err == nil {
		t.Fatal("a once in the past was saved")
	}
	e.check(t)
	e.clock.Set(utc("2026-12-01T00:00:30Z"))
	e.check(t)
	e.clock.Set(utc("2026-12-05T00:00:00Z"))
	e.check(t)
	runs := e.runs(t, sc.ID)
	if len(runs) != 1 || runs[0].CaughtUp {
		t.Fatalf("runs = %+v", runs)
	}
	e.wait(t, runs[0].JobID)
	got, _ := e.st.GetSchedule(context.Background(), sc.ID)
	if !got.NextRun.IsZero() {
		t.Errorf("a once has a next run after it ran: %v", got.NextRun)
	}
	res, err := e.runner.RunNow(context.Background(), sc.ID)
	if err != nil || res.Outcome != store.RunStarted || !res.Manual {
		t.Fatalf("run-now = %+v, %v", res, err)
	}
	e.wait(t, res.JobID)
	if _, err := Resume(context.Background(), e.st, sc.ID, e.clock.Now()); err == nil {
		t.Error("resumed a once whose time has passed")
	}

	d := e.create(t, "daily 09:00 UTC")
	if err := Pause(context.Background(), e.st, d.ID); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(utc("2026-12-07T10:00:00Z"))
	e.check(t)
	if n := len(e.runs(t, d.ID)); n != 0 {
		t.Fatalf("a paused schedule ran %d times", n)
	}
	next, err := Resume(context.Background(), e.st, d.ID, e.clock.Now())
	if err != nil || !next.Equal(utc("2026-12-08T09:00:00Z")) {
		t.Fatalf("resume: next %v, %v", next, err)
	}
	v, err := Show(context.Background(), e.st, d.ID, "en", e.clock.Now(), 5)
	if err != nil || len(v.Upcoming) != 5 || v.Words != "Every day at 09:00 (UTC)" || !v.Upcoming[4].Equal(utc("2026-12-12T09:00:00Z")) {
		t.Fatalf("show = %+v, %v", v, err)
	}
}

// TestRunLoopWakesOnClockJump: the loop, fed ticks by the test, looks at
// the store at once when the wall clock jumps (a wake from sleep), even for
// a schedule another process added after its last look.
func TestRunLoopWakesOnClockJump(t *testing.T) {
	logged := make(chan Result, 10)
	ticks := make(chan time.Time)
	e := newEnv(t, utc("2026-11-27T23:00:00Z"), Options{Ticks: ticks, Interval: time.Hour, Log: func(r Result) { logged <- r }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.runner.Run(ctx) }()
	ticks <- time.Now() // the first look is done once the loop takes a tick
	sc := e.create(t, "daily 02:00 UTC")
	ticks <- time.Now()
	select {
	case r := <-logged:
		t.Fatalf("ran before its time: %+v", r)
	default:
	}
	e.clock.Set(utc("2026-11-30T09:00:00Z")) // three days later, by the wall clock only
	ticks <- time.Now()
	select {
	case r := <-logged:
		if r.Schedule.ID != sc.ID || !r.CaughtUp || r.Outcome != store.RunStarted {
			t.Fatalf("result %+v", r)
		}
		e.wait(t, r.JobID)
	case <-time.After(30 * time.Second):
		t.Fatal("no run after the clock jumped")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestNoLauncherLeavesScheduleAlone: a process that cannot run a kind does
// not claim its runs.
func TestNoLauncherLeavesScheduleAlone(t *testing.T) {
	e := newEnv(t, utc("2026-12-01T00:00:00Z"), Options{})
	sc, _, err := Create(context.Background(), e.st, New{Kind: store.JobDelete, Spec: "daily 01:00 UTC"}, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(utc("2026-12-01T01:00:00Z"))
	e.check(t)
	got, _ := e.st.GetSchedule(context.Background(), sc.ID)
	if !got.NextRun.Equal(sc.NextRun) || len(e.runs(t, sc.ID)) != 0 {
		t.Fatalf("a delete schedule was claimed without a delete launcher: %+v", got)
	}
}

// TestLaunchFailureIsAFailedJob: a run whose job cannot start (here: no
// password for the CRM) is a failed job in the history with the reason,
// linked to its schedule; the schedule runs again at its next time.
func TestLaunchFailureIsAFailedJob(t *testing.T) {
	e := newEnv(t, utc("2026-12-01T00:59:00Z"), Options{})
	failing := LauncherFunc(func(ctx context.Context, sc store.Schedule, run RunInfo) (string, error) {
		return "", apperr.New(apperr.AuthFailed, "no password saved for connection \"crm\": add it with batchdesk connections add")
	})
	e.runner = NewRunner(e.st, Launchers{store.JobExport: failing}, e.reg, Options{Now: e.clock.Now})
	sc := e.create(t, "daily 02:00 Europe/Berlin")
	e.clock.Set(utc("2026-12-01T01:00:10Z"))
	e.check(t)
	runs := e.runs(t, sc.ID)
	if len(runs) != 1 || runs[0].Outcome != store.RunFailed || runs[0].JobID == "" || !strings.Contains(runs[0].Note, "no password saved") {
		t.Fatalf("runs = %+v", runs)
	}
	j, err := e.st.GetJob(context.Background(), runs[0].JobID)
	if err != nil || j.Status != store.StatusFailed || !strings.Contains(j.Message, "no password saved") || j.Kind != store.JobExport {
		t.Fatalf("failed job = %+v, %v", j, err)
	}
	got, _ := e.st.GetSchedule(context.Background(), sc.ID)
	if !got.NextRun.Equal(utc("2026-12-02T01:00:00Z")) {
		t.Errorf("next run %v", got.NextRun)
	}
}
