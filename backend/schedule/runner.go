package schedule

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

var _ JobState = (*jobs.Registry)(nil)

// Launcher starts the job of a due schedule and returns its job ID. It
// returns as soon as the job has started (it does not wait for the job to
// end); the job is an ordinary job of the jobs registry, so the history and
// the dashboard show it. It reads what to run from sc.JobSettings, which
// hold no secrets: a secret it looks up and cannot find fails the run with a
// clear message (as the job's failure, or as Launch's error, which the run
// records). One Launcher is registered per schedule kind (store.JobExport,
// store.JobDelete) in Launchers.
type Launcher interface {
	Launch(ctx context.Context, sc store.Schedule, run RunInfo) (jobID string, err error)
}

// LauncherFunc adapts a function to Launcher.
type LauncherFunc func(ctx context.Context, sc store.Schedule, run RunInfo) (string, error)

// Launch calls f.
func (f LauncherFunc) Launch(ctx context.Context, sc store.Schedule, run RunInfo) (string, error) {
	return f(ctx, sc, run)
}

// Launchers are the launchers by schedule kind. A runner leaves alone the
// schedules of a kind it has no launcher for, so another process can run
// them.
type Launchers map[string]Launcher

// RunInfo says why a run starts.
type RunInfo struct {
	// Due is the run time it is for (the first missed one when caught up;
	// the moment of asking for run-now).
	Due time.Time
	// Now is when the runner started it.
	Now time.Time
	// CaughtUp: its time was missed (the computer was off or asleep, or no
	// Batchdesk ran) and it runs once now for all the missed times.
	CaughtUp bool
	// Missed is how many run times were missed (CaughtUp only).
	Missed int
	// Note is "missed 02:00 on Mon 30 Nov while the computer was off" for a
	// caught-up run, "" otherwise.
	Note string
	// Manual: started by run-now, not by the clock.
	Manual bool
}

// JobState tells whether a job a schedule started earlier is still going;
// *jobs.Registry is one.
type JobState interface {
	Active(ctx context.Context, jobID string) (bool, error)
}

// Result is what the runner did with one due schedule; Log gets one per run.
type Result struct {
	Schedule store.Schedule
	Due      time.Time
	Outcome  string // store.RunStarted, RunSkipped or RunFailed
	JobID    string
	Note     string
	CaughtUp bool
	Manual   bool
	Next     time.Time // the next run now stored (zero: none)
	Err      error     // why it failed (Outcome RunFailed)
}

// Options tune a Runner; zero fields take the defaults.
type Options struct {
	// Now is the wall clock (default time.Now().Round(0), with no monotonic
	// reading, so a laptop's sleep shows as time passed).
	Now func() time.Time
	// Ticks wakes the loop to look at the clock (default: a ticker every
	// Tick). Tests send on their own channel.
	Ticks <-chan time.Time
	// Tick is how often the clock is looked at (default 5 s).
	Tick time.Duration
	// Interval is the most time between two looks at the store for
	// schedules added or changed by other processes (default 30 s).
	Interval time.Duration
	// Grace is how late a run may start and still count as on time
	// (default 2 minutes); a later one is caught up.
	Grace time.Duration
	// Jump is the difference between wall-clock and elapsed time that
	// counts as the clock jumping (a wake from sleep, a clock change;
	// default 10 s): the store is looked at once.
	Jump time.Duration
	// Log gets one Result per run started, skipped or failed.
	Log func(Result)
	// Name says which process claims runs (default "pid N on HOST").
	Name string
}

// Runner starts due schedules' jobs. It is safe for concurrent use.
type Runner struct {
	store     *store.Store
	launchers Launchers
	jobs      JobState
	opt       Options
	mu        sync.Mutex // one check at a time in this process
}

// NewRunner returns a runner over st that starts jobs with launchers and
// asks jobs whether an earlier run still goes.
func NewRunner(st *store.Store, launchers Launchers, jobs JobState, opt Options) *Runner {
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().Round(0) }
	}
	if opt.Tick <= 0 {
		opt.Tick = 5 * time.Second
	}
	if opt.Interval <= 0 {
		opt.Interval = 30 * time.Second
	}
	if opt.Grace <= 0 {
		opt.Grace = 2 * time.Minute
	}
	if opt.Jump <= 0 {
		opt.Jump = 10 * time.Second
	}
	if opt.Log == nil {
		opt.Log = func(Result) {}
	}
	if opt.Name == "" {
		host, _ := os.Hostname()
		opt.Name = fmt.Sprintf("pid %d on %s", os.Getpid(), host)
	}
	return &Runner{store: st, launchers: launchers, jobs: jobs, opt: opt}
}

// Run checks the schedules until ctx ends: at once, then whenever the wall
// clock reaches the soonest next run, at least every Interval, and at once
// when the clock jumped. It returns nil when ctx ends; a failing check is
// retried at the next tick.
func (r *Runner) Run(ctx context.Context) error {
	ticks := r.opt.Ticks
	if ticks == nil {
		t := time.NewTicker(r.opt.Tick)
		defer t.Stop()
		ticks = t.C
	}
	soonest, _ := r.Check(ctx)
	lastCheck := time.Now()
	lastWall, lastMono := r.opt.Now(), time.Now()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticks:
		}
		wall, mono := r.opt.Now(), time.Now()
		drift := wall.Sub(lastWall) - mono.Sub(lastMono)
		jumped := drift > r.opt.Jump || drift < -r.opt.Jump
		lastWall, lastMono = wall, mono
		if jumped || mono.Sub(lastCheck) >= r.opt.Interval || (!soonest.IsZero() && !wall.Before(soonest)) {
			var err error
			if soonest, err = r.Check(ctx); err != nil {
				soonest = time.Time{}
			}
			lastCheck = mono
		}
	}
}

// Check starts every enabled schedule whose next run is due now, and
// returns the soonest next run of all enabled schedules (zero: none).
func (r *Runner) Check(ctx context.Context) (time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	list, err := r.store.ListSchedules(ctx)
	if err != nil {
		return time.Time{}, err
	}
	now := r.opt.Now()
	var soonest time.Time
	for _, sc := range list {
		if !sc.Enabled || sc.NextRun.IsZero() {
			continue
		}
		next := sc.NextRun
		if !next.After(now) {
			res, ok := r.fire(ctx, sc, now)
			if !ok {
				continue
			}
			r.opt.Log(res)
			next = res.Next
		}
		if !next.IsZero() && (soonest.IsZero() || next.Before(soonest)) {
			soonest = next
		}
	}
	return soonest, nil
}

// fire claims and starts the due run of sc; ok is false when this process
// does not run it (another claimed it, or there is no launcher here).
func (r *Runner) fire(ctx context.Context, sc store.Schedule, now time.Time) (Result, bool) {
	launcher, ok := r.launchers[sc.Kind]
	if !ok {
		return Result{}, false
	}
	res := Result{Schedule: sc, Due: sc.NextRun}
	spec, err := Parse(sc.Spec, sc.Zone)
	if err != nil {
		// A spec this build cannot read stops the schedule, visibly.
		res.Outcome, res.Err = store.RunFailed, err
		res.Note = "the schedule cannot run: " + apperr.MessageOf(err)
		_, claimed, cerr := r.store.ClaimScheduleRun(ctx, sc.ID, sc.NextRun, time.Time{},
			store.ScheduleRun{Due: sc.NextRun, Outcome: store.RunFailed, Note: res.Note, Runner: r.opt.Name})
		return res, claimed && cerr == nil
	}
	if next, ok := spec.Next(now); ok {
		res.Next = next
	}
	info := RunInfo{Due: sc.NextRun, Now: now}
	if now.Sub(sc.NextRun) > r.opt.Grace {
		info.CaughtUp = true
		info.Missed, info.Note = r.missed(spec, sc.NextRun, now)
	}
	res.CaughtUp, res.Note = info.CaughtUp, info.Note

	outcome := store.RunClaimed
	prev, going := r.stillGoing(ctx, sc.ID)
	if going {
		outcome = store.RunSkipped
		res.Note = joinNote(fmt.Sprintf("skipped: the previous run (job %s) was still going", prev.JobID), res.Note)
	}
	run, claimed, err := r.store.ClaimScheduleRun(ctx, sc.ID, sc.NextRun, res.Next, store.ScheduleRun{
		Due: sc.NextRun, ClaimedAt: now, Outcome: outcome, CaughtUp: info.CaughtUp, Note: res.Note, Runner: r.opt.Name})
	if err != nil || !claimed {
		return Result{}, false
	}
	if going {
		res.Outcome, res.JobID = store.RunSkipped, prev.JobID
		_ = r.store.AddJobEvent(ctx, prev.JobID, store.LevelWarn, fmt.Sprintf(
			"the run of schedule %s due %s was skipped: this job was still going", sc.ID, spec.FormatRun(sc.NextRun)))
		return res, true
	}
	r.launch(ctx, launcher, sc, spec, run, info, &res)
	return res, true
}

// launch starts the job of a claimed run and records what became of it. A
// launch that fails is recorded as a failed job too, so that every run is
// in the history with its reason.
func (r *Runner) launch(ctx context.Context, l Launcher, sc store.Schedule, spec Spec, run store.ScheduleRun, info RunInfo, res *Result) {
	jobID, err := safeLaunch(ctx, l, sc, info)
	bg := context.WithoutCancel(ctx)
	if err != nil {
		res.Outcome, res.Err = store.RunFailed, err
		res.Note = joinNote("could not start: "+apperr.MessageOf(err), res.Note)
		j, jerr := r.store.CreateJob(bg, store.Job{Kind: sc.Kind, Status: store.StatusFailed, Settings: sc.JobSettings,
			Message: apperr.MessageOf(err), StartedAt: info.Now, FinishedAt: info.Now})
		if jerr == nil {
			res.JobID = j.ID
			r.noteJob(bg, j.ID, sc, spec, info)
			_ = r.store.AddJobEvent(bg, j.ID, store.LevelError, "could not start: "+apperr.MessageOf(err))
		}
		_ = r.store.FinishScheduleRun(bg, run.ID, store.RunFailed, res.JobID, res.Note)
		return
	}
	res.Outcome, res.JobID = store.RunStarted, jobID
	_ = r.store.FinishScheduleRun(bg, run.ID, store.RunStarted, jobID, "")
	r.noteJob(bg, jobID, sc, spec, info)
}

// noteJob writes in a job's log which schedule started it and, for a
// caught-up run, what was missed.
func (r *Runner) noteJob(ctx context.Context, jobID string, sc store.Schedule, spec Spec, info RunInfo) {
	what := "scheduled run"
	if info.Manual {
		what = "run-now"
	}
	title := ""
	if sc.Title != "" {
		title = " (" + sc.Title + ")"
	}
	_ = r.store.AddJobEvent(ctx, jobID, store.LevelInfo, fmt.Sprintf("%s of schedule %s%s, due %s",
		what, sc.ID, title, spec.FormatRun(info.Due)))
	if info.CaughtUp {
		_ = r.store.AddJobEvent(ctx, jobID, store.LevelWarn, "caught up: "+info.Note)
	}
}

// safeLaunch calls l, turning a panic into an error.
func safeLaunch(ctx context.Context, l Launcher, sc store.Schedule, info RunInfo) (id string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = apperr.New(apperr.Internal, "internal error starting the scheduled job: %v", p)
		}
	}()
	return l.Launch(ctx, sc, info)
}

// missed counts the run times from first up to now and words the note.
func (r *Runner) missed(spec Spec, first, now time.Time) (int, string) {
	n, last := 1, first
	for n < 100000 {
		t, ok := spec.Next(last)
		if !ok || t.After(now) {
			break
		}
		n, last = n+1, t
	}
	return n, spec.MissedNote(first, n, last, now)
}

// stillGoing reports whether the job of the schedule's last started run is
// still going.
func (r *Runner) stillGoing(ctx context.Context, scheduleID string) (store.ScheduleRun, bool) {
	if r.jobs == nil {
		return store.ScheduleRun{}, false
	}
	prev, ok, err := r.store.LastStartedRun(ctx, scheduleID)
	if err != nil || !ok || prev.JobID == "" {
		return store.ScheduleRun{}, false
	}
	active, err := r.jobs.Active(ctx, prev.JobID)
	return prev, err == nil && active
}

func joinNote(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}

// RunNow starts schedule id's job at once, as a manual run that leaves its
// next run as it is. A previous run still going gives code Conflict; an
// unknown ID NotFound; a kind this program cannot run Invalid.
func (r *Runner) RunNow(ctx context.Context, id string) (Result, error) {
	sc, err := r.store.GetSchedule(ctx, id)
	if err != nil {
		return Result{}, err
	}
	l, ok := r.launchers[sc.Kind]
	if !ok {
		return Result{}, apperr.New(apperr.Invalid, "this Batchdesk cannot run %s schedules", sc.Kind)
	}
	spec, err := Parse(sc.Spec, sc.Zone)
	if err != nil {
		return Result{}, err
	}
	if prev, going := r.stillGoing(ctx, id); going {
		return Result{}, apperr.New(apperr.Conflict, "schedule %s: its previous run (job %s) is still going", id, prev.JobID)
	}
	now := r.opt.Now()
	run, err := r.store.AddScheduleRun(ctx, store.ScheduleRun{ScheduleID: id, Due: now, ClaimedAt: now,
		Manual: true, Runner: r.opt.Name})
	if err != nil {
		return Result{}, err
	}
	res := Result{Schedule: sc, Due: now, Manual: true, Next: sc.NextRun}
	r.launch(ctx, l, sc, spec, run, RunInfo{Due: now, Now: now, Manual: true}, &res)
	r.opt.Log(res)
	return res, res.Err
}
