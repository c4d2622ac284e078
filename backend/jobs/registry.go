package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/store"
)

// Options tune a Registry; zero fields take the defaults.
type Options struct {
	// Interval is the least time between two job:progress events of one
	// job (default 100 ms).
	Interval time.Duration
	// PersistInterval is the least time between two writes of a running
	// job's counts to the store (default 1 s).
	PersistInterval time.Duration
	// PollInterval is how often a running job checks the store for a
	// cancel request from another process (default 1 s).
	PollInterval time.Duration
	// Now is the clock (default time.Now); tests inject a fake one.
	Now func() time.Time
}

// Registry runs jobs and keeps their history. It is safe for concurrent use.
type Registry struct {
	store *store.Store
	emit  Emitter
	opt   Options

	mu      sync.Mutex
	running map[string]*run
	// ended holds the runs of this process that have finished, with their
	// final state and error: Wait reads them from here, so a Wait that
	// comes after the end still gets the job's error.
	ended map[string]*run
}

// run is one job running in this process.
type run struct {
	id, kind string
	cancel   context.CancelFunc
	done     chan struct{}
	job      store.Job // final state, set before done is closed
	err      error     // the Func's error when it failed
}

// New returns a registry writing to st and emitting to em (nil: no events).
func New(st *store.Store, em Emitter, opt Options) *Registry {
	if opt.Interval <= 0 {
		opt.Interval = 100 * time.Millisecond
	}
	if opt.PersistInterval <= 0 {
		opt.PersistInterval = time.Second
	}
	if opt.PollInterval <= 0 {
		opt.PollInterval = time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if em == nil {
		em = EmitterFunc(func(string, any) {})
	}
	return &Registry{store: st, emit: em, opt: opt, running: map[string]*run{}, ended: map[string]*run{}}
}

// Create records a new queued job and returns it with its ID (a
// time-ordered UUID, so IDs sort by creation).
func (r *Registry) Create(ctx context.Context, spec Spec) (store.Job, error) {
	settings, err := encodeSettings(spec.Settings)
	if err != nil {
		return store.Job{}, fmt.Errorf("encode job settings: %w", err)
	}
	return r.store.CreateJob(ctx, store.Job{
		Kind:       spec.Kind,
		Status:     store.StatusQueued,
		Connection: spec.Connection,
		Object:     spec.Object,
		Settings:   settings,
		Files:      spec.Files,
	})
}

// Submit creates a job and starts it; it returns the new job's ID at once.
func (r *Registry) Submit(ctx context.Context, spec Spec, fn Func) (string, error) {
	j, err := r.Create(ctx, spec)
	if err != nil {
		return "", err
	}
	if err := r.Start(ctx, j.ID, fn); err != nil {
		return "", err
	}
	return j.ID, nil
}

// Start runs fn as the job id (queued, or interrupted/canceled/failed for
// a resume) in a new goroutine. The job's context derives from ctx:
// canceling ctx cancels the job. The job is claimed atomically in the
// store (its status and owner compared and set in one transaction), so of
// two processes starting the same job at once exactly one runs it: a job
// already running here or in another live process, or one that is done,
// gives code Conflict.
func (r *Registry) Start(ctx context.Context, id string, fn Func) error {
	r.mu.Lock()
	if _, ok := r.running[id]; ok {
		r.mu.Unlock()
		return apperr.New(apperr.Conflict, "job %s is already running", id)
	}
	jctx, cancel := context.WithCancel(ctx)
	ru := &run{id: id, cancel: cancel, done: make(chan struct{})}
	r.running[id] = ru
	r.mu.Unlock()

	j, err := r.claim(ctx, id)
	if err != nil {
		r.forget(ru)
		cancel()
		return err
	}
	ru.kind = j.Kind
	r.event(id, store.LevelInfo, fmt.Sprintf("started (pid %d)", self().PID))
	go r.execute(jctx, ru, j, fn)
	return nil
}

// forget drops a run that never started.
func (r *Registry) forget(ru *run) {
	r.mu.Lock()
	delete(r.running, ru.id)
	r.mu.Unlock()
}

// execute runs fn and records its outcome; it never lets a panic escape.
func (r *Registry) execute(ctx context.Context, ru *run, j store.Job, fn Func) {
	defer ru.cancel()
	t := newTracker(r, ru, j)
	stopPoll := r.poll(ctx, ru, t)

	out, err := safeCall(ctx, fn, t.report)
	stopPoll()
	t.flush()

	status, msg := r.classify(ctx, out, err)
	final := store.JobUpdate{Status: status, Total: out.Total, Succeeded: out.Succeeded, Failed: out.Failed,
		Added: out.Added, Updated: out.Updated, Message: msg, ErrorReport: out.ErrorReport}
	if status == store.StatusFailed && out.Total == 0 {
		// keep the last counts a failed run reported
		p := t.last()
		final.Total, final.Succeeded, final.Failed = p.Total, p.Succeeded, p.Failed
	}
	// The job's own context may be canceled: record the outcome regardless.
	bg := context.WithoutCancel(ctx)
	if uerr := r.store.UpdateJob(bg, ru.id, final); uerr != nil && err == nil {
		err = fmt.Errorf("record job outcome: %w", uerr)
	}
	level := store.LevelInfo
	switch status {
	case store.StatusFailed:
		level = store.LevelError
	case store.StatusCanceled:
		level = store.LevelWarn
	}
	r.event(ru.id, level, msg)
	_ = r.setOwner(bg, ru.id, owner{})

	rate := t.rate(final.Succeeded + final.Failed)
	r.emit.Emit(EventFinished, Event{JobID: ru.id, Kind: ru.kind, Status: status,
		Total: final.Total, Done: final.Succeeded + final.Failed, Succeeded: final.Succeeded, Failed: final.Failed,
		BytesRead: t.last().BytesRead, BytesTotal: t.last().BytesTotal, RowsPerSec: rate, Message: msg})

	stored, gerr := r.store.GetJob(bg, ru.id)
	if gerr != nil {
		stored = j
		stored.Status = status
	}
	ru.job = stored
	if status == store.StatusFailed || status == store.StatusInterrupted {
		ru.err = err
	}
	// One step: a Wait from now on finds the run among the ended ones.
	r.mu.Lock()
	delete(r.running, ru.id)
	r.ended[ru.id] = ru
	r.mu.Unlock()
	close(ru.done)
}

// classify maps a Func's result to a status and a history message.
func (r *Registry) classify(ctx context.Context, out Outcome, err error) (string, string) {
	canceled := out.Canceled || (err != nil && ctx.Err() != nil &&
		(errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || apperr.CodeOf(err) == apperr.Canceled))
	switch {
	case canceled:
		msg := out.Message
		if msg == "" {
			msg = fmt.Sprintf("canceled after %d rows (%d failed); resume to continue", out.Succeeded+out.Failed, out.Failed)
		}
		return store.StatusCanceled, msg
	case out.Interrupted:
		msg := out.Message
		if msg == "" && err != nil {
			msg = apperr.MessageOf(err)
		}
		return store.StatusInterrupted, strings.TrimSpace(msg + "; resume to continue")
	case err != nil:
		return store.StatusFailed, apperr.MessageOf(err)
	}
	msg := out.Message
	if msg == "" {
		msg = fmt.Sprintf("%d of %d rows succeeded, %d failed", out.Succeeded, out.Total, out.Failed)
	}
	return store.StatusDone, msg
}

// safeCall runs fn, turning a panic into an error.
func safeCall(ctx context.Context, fn Func, report func(Progress)) (out Outcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = apperr.New(apperr.Internal, "internal error in job: %v", p)
		}
	}()
	return fn(ctx, report)
}

// poll periodically persists counts and looks for a cancel request written
// by another process; the returned function stops it.
func (r *Registry) poll(ctx context.Context, ru *run, t *tracker) func() {
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(min(r.opt.PollInterval, r.opt.Interval))
		defer tick.Stop()
		lastPoll := time.Now()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			t.tick()
			if time.Since(lastPoll) < r.opt.PollInterval {
				continue
			}
			lastPoll = time.Now()
			if o, ok := r.owner(ctx, ru.id); ok && o.Cancel {
				r.event(ru.id, store.LevelInfo, "cancel requested")
				ru.cancel()
				return
			}
		}
	}()
	return func() { close(stop); <-finished }
}

// Wait blocks until the job started here ends (or ctx ends) and returns its
// final state; err is the Func's error when the job failed or was
// interrupted — also when the job had already ended before Wait was called.
// A job not started in this process returns its stored state at once.
func (r *Registry) Wait(ctx context.Context, id string) (store.Job, error) {
	r.mu.Lock()
	ru, ok := r.running[id]
	if !ok {
		ru, ok = r.ended[id]
	}
	r.mu.Unlock()
	if !ok {
		return r.store.GetJob(ctx, id)
	}
	select {
	case <-ru.done:
		return ru.job, ru.err
	case <-ctx.Done():
		return store.Job{}, ctx.Err()
	}
}

// Running lists the IDs of the jobs running in this process.
func (r *Registry) Running() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, 0, len(r.running))
	for id := range r.running {
		ids = append(ids, id)
	}
	return ids
}

// Cancel stops a job. One running here is canceled at once; one running in
// another live process is asked to stop (it checks within PollInterval);
// a queued job, or one whose process is gone, is marked canceled. A job
// that already ended gives code Conflict.
func (r *Registry) Cancel(ctx context.Context, id string) error {
	r.mu.Lock()
	ru, ok := r.running[id]
	r.mu.Unlock()
	if ok {
		ru.cancel()
		return nil
	}
	j, err := r.store.GetJob(ctx, id)
	if err != nil {
		return err
	}
	if store.Terminal(j.Status) {
		return apperr.New(apperr.Conflict, "job %s is not running (status %s)", id, j.Status)
	}
	if o, ok := r.owner(ctx, id); ok && o.alive() && j.Status == store.StatusRunning {
		o.Cancel = true
		if err := r.setOwner(ctx, id, o); err != nil {
			return err
		}
		r.event(id, store.LevelInfo, "cancel requested from another process")
		return nil
	}
	if err := r.store.UpdateJob(ctx, id, store.JobUpdate{Status: store.StatusCanceled, Total: j.Total,
		Succeeded: j.Succeeded, Failed: j.Failed, Added: j.Added, Updated: j.Updated, Message: "canceled before it ran to its end; resume to continue"}); err != nil {
		return err
	}
	r.event(id, store.LevelWarn, "canceled")
	return nil
}

// Event appends a line to a job's log (store.LevelInfo, LevelWarn or
// LevelError); the log is best effort, so failures are ignored.
func (r *Registry) Event(id, level, msg string) { r.event(id, level, msg) }

// event appends a line to the job's log; the log is best effort.
func (r *Registry) event(id, level, msg string) {
	_ = r.store.AddJobEvent(context.Background(), id, level, msg)
}
