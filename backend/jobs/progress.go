package jobs

import (
	"context"
	"sync"
	"time"

	"batchdesk/backend/store"
)

// tracker throttles one job's progress: at most one job:progress event per
// Interval, one store write per PersistInterval, and flush sends what is
// still pending so the last reported state is always emitted.
type tracker struct {
	r     *Registry
	ru    *run
	start time.Time

	mu          sync.Mutex
	cur         Progress
	pending     bool // cur has not been emitted yet
	lastEmit    time.Time
	lastPersist time.Time
}

func newTracker(r *Registry, ru *run, j store.Job) *tracker {
	now := r.opt.Now()
	return &tracker{r: r, ru: ru, start: now, lastPersist: now,
		cur: Progress{Total: j.Total, Succeeded: j.Succeeded, Failed: j.Failed, Done: j.Succeeded + j.Failed}}
}

// report is the callback handed to the job's Func. It may be called from
// several goroutines.
func (t *tracker) report(p Progress) {
	t.mu.Lock()
	t.cur = p
	t.pending = true
	now := t.r.opt.Now()
	var emit, persist bool
	if t.lastEmit.IsZero() || now.Sub(t.lastEmit) >= t.r.opt.Interval {
		emit, t.pending, t.lastEmit = true, false, now
	}
	if now.Sub(t.lastPersist) >= t.r.opt.PersistInterval {
		persist, t.lastPersist = true, now
	}
	ev := t.eventLocked(now)
	t.mu.Unlock()
	if emit {
		t.r.emit.Emit(EventProgress, ev)
	}
	if persist {
		t.persist(p)
	}
}

// tick emits a pending progress that the throttle held back, once Interval
// has passed, so a job that reports rarely still shows its latest state.
func (t *tracker) tick() {
	t.mu.Lock()
	now := t.r.opt.Now()
	if !t.pending || now.Sub(t.lastEmit) < t.r.opt.Interval {
		t.mu.Unlock()
		return
	}
	t.pending, t.lastEmit = false, now
	ev := t.eventLocked(now)
	t.mu.Unlock()
	t.r.emit.Emit(EventProgress, ev)
}

// flush emits the pending progress, if any: the guaranteed final event.
func (t *tracker) flush() {
	t.mu.Lock()
	if !t.pending {
		t.mu.Unlock()
		return
	}
	now := t.r.opt.Now()
	t.pending, t.lastEmit = false, now
	ev := t.eventLocked(now)
	t.mu.Unlock()
	t.r.emit.Emit(EventProgress, ev)
}

func (t *tracker) last() Progress {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur
}

// rate is rows per second since this run started.
func (t *tracker) rate(done int64) float64 {
	secs := t.r.opt.Now().Sub(t.start).Seconds()
	if secs <= 0 {
		return 0
	}
	return float64(done) / secs
}

func (t *tracker) eventLocked(now time.Time) Event {
	p := t.cur
	done := p.Done
	if done == 0 {
		done = p.Succeeded + p.Failed
	}
	var rate float64
	if secs := now.Sub(t.start).Seconds(); secs > 0 {
		rate = float64(done) / secs
	}
	return Event{JobID: t.ru.id, Kind: t.ru.kind, Status: store.StatusRunning,
		Total: p.Total, Done: done, Succeeded: p.Succeeded, Failed: p.Failed,
		BytesRead: p.BytesRead, BytesTotal: p.BytesTotal, RowsPerSec: rate, Message: p.Message}
}

func (t *tracker) persist(p Progress) {
	_ = t.r.store.UpdateJob(context.Background(), t.ru.id, store.JobUpdate{
		Status: store.StatusRunning, Total: p.Total, Succeeded: p.Succeeded, Failed: p.Failed})
}
