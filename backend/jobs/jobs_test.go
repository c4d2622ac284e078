package jobs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/store"
)

// recorder is an Emitter that keeps every event.
type recorder struct {
	mu     sync.Mutex
	events []struct {
		name string
		ev   Event
	}
}

func (r *recorder) Emit(name string, payload any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, struct {
		name string
		ev   Event
	}{name, payload.(Event)})
}

func (r *recorder) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.name == name {
			n++
		}
	}
	return n
}

func (r *recorder) lastOf(name string) Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.events) - 1; i >= 0; i-- {
		if r.events[i].name == name {
			return r.events[i].ev
		}
	}
	return Event{}
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "batchdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// fakeClock advances by step on every reading.
type fakeClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

func TestLifecycle(t *testing.T) {
	st := openStore(t)
	rec := &recorder{}
	r := New(st, rec, Options{})
	ctx := context.Background()
	spec := Spec{Kind: store.JobImport, Connection: "sandbox", Object: "Account",
		Settings: map[string]any{"mode": "insert"}}
	id, err := r.Submit(ctx, spec, func(ctx context.Context, report func(Progress)) (Outcome, error) {
		report(Progress{Total: 3, Done: 1, Succeeded: 1})
		report(Progress{Total: 3, Done: 3, Succeeded: 2, Failed: 1})
		return Outcome{Total: 3, Succeeded: 2, Failed: 1, ErrorReport: "/tmp/x-errors.csv"}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	j, err := r.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if j.Status != store.StatusDone || j.Total != 3 || j.Succeeded != 2 || j.Failed != 1 || j.ErrorReport != "/tmp/x-errors.csv" {
		t.Fatalf("final job = %+v", j)
	}
	if j.StartedAt.IsZero() || j.FinishedAt.IsZero() {
		t.Fatalf("timings not recorded: %+v", j)
	}
	if string(j.Settings) != `{"mode":"insert"}` {
		t.Fatalf("settings = %s", j.Settings)
	}
	if rec.count(EventFinished) != 1 {
		t.Fatalf("want 1 finished event, got %d", rec.count(EventFinished))
	}
	fin := rec.lastOf(EventFinished)
	if fin.JobID != id || fin.Status != store.StatusDone || fin.Kind != store.JobImport || fin.Done != 3 {
		t.Fatalf("finished event = %+v", fin)
	}
	if p := rec.lastOf(EventProgress); p.Done != 3 || p.Failed != 1 {
		t.Fatalf("last progress event must carry the last report, got %+v", p)
	}
	d, err := r.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Events) < 2 {
		t.Fatalf("want start and end events, got %+v", d.Events)
	}
	list, err := r.List(ctx, Filter{Kind: store.JobImport})
	if err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("list = %+v, %v", list, err)
	}
}

func TestFailedAndPanic(t *testing.T) {
	st := openStore(t)
	r := New(st, nil, Options{})
	ctx := context.Background()
	for name, fn := range map[string]Func{
		"error": func(ctx context.Context, report func(Progress)) (Outcome, error) {
			return Outcome{}, apperr.New(apperr.Unavailable, "the CRM server went away")
		},
		"panic": func(ctx context.Context, report func(Progress)) (Outcome, error) {
			panic("boom")
		},
	} {
		t.Run(name, func(t *testing.T) {
			id, err := r.Submit(ctx, Spec{Kind: store.JobImport}, fn)
			if err != nil {
				t.Fatal(err)
			}
			j, err := r.Wait(ctx, id)
			if err == nil || j.Status != store.StatusFailed || j.Message == "" {
				t.Fatalf("job = %+v, err = %v", j, err)
			}
		})
	}
}

func TestCancelIsAnOutcome(t *testing.T) {
	st := openStore(t)
	rec := &recorder{}
	r := New(st, rec, Options{})
	ctx := context.Background()
	started := make(chan struct{})
	id, err := r.Submit(ctx, Spec{Kind: store.JobImport}, func(ctx context.Context, report func(Progress)) (Outcome, error) {
		report(Progress{Total: 10, Done: 4, Succeeded: 4})
		close(started)
		<-ctx.Done()
		return Outcome{Total: 10, Succeeded: 4}, ctx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	<-started
	if err := r.Cancel(ctx, id); err != nil {
		t.Fatal(err)
	}
	j, err := r.Wait(ctx, id)
	if err != nil {
		t.Fatalf("cancel must not be an error, got %v", err)
	}
	if j.Status != store.StatusCanceled || j.Succeeded != 4 {
		t.Fatalf("job = %+v", j)
	}
	if ev := rec.lastOf(EventFinished); ev.Status != store.StatusCanceled {
		t.Fatalf("finished event = %+v", ev)
	}
	if err := r.Cancel(ctx, id); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("cancel of an ended job: %v", err)
	}
	if err := r.Cancel(ctx, "nope"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("cancel of unknown job: %v", err)
	}
}

func TestCancelFromAnotherProcess(t *testing.T) {
	st := openStore(t)
	running := New(st, nil, Options{PollInterval: 10 * time.Millisecond, Interval: 5 * time.Millisecond})
	other := New(st, nil, Options{}) // same store, no knowledge of the run
	ctx := context.Background()
	started := make(chan struct{})
	id, err := running.Submit(ctx, Spec{Kind: store.JobImport}, func(ctx context.Context, report func(Progress)) (Outcome, error) {
		close(started)
		<-ctx.Done()
		return Outcome{Canceled: true}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	<-started
	if err := other.Cancel(ctx, id); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	j, err := running.Wait(wctx, id)
	if err != nil || j.Status != store.StatusCanceled {
		t.Fatalf("job = %+v, err = %v", j, err)
	}
}

func TestProgressIsThrottled(t *testing.T) {
	st := openStore(t)
	rec := &recorder{}
	clock := &fakeClock{t: time.Unix(0, 0), step: time.Millisecond}
	// A long PollInterval and Interval in real time keep the ticker quiet;
	// the fake clock advances 1 ms per reading.
	r := New(st, rec, Options{Interval: 100 * time.Millisecond, PollInterval: time.Hour, Now: clock.now})
	ctx := context.Background()
	const reports = 10000
	id, err := r.Submit(ctx, Spec{Kind: store.JobImport}, func(ctx context.Context, report func(Progress)) (Outcome, error) {
		for i := 1; i <= reports; i++ {
			report(Progress{Total: reports, Done: int64(i), Succeeded: int64(i)})
		}
		return Outcome{Total: reports, Succeeded: reports}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Wait(ctx, id); err != nil {
		t.Fatal(err)
	}
	n := rec.count(EventProgress)
	// one reading per report → 10,000 ms of fake time → about 100 events,
	// plus the final one.
	if n < 50 || n > reports/100+2 {
		t.Fatalf("got %d progress events for %d reports", n, reports)
	}
	if last := rec.lastOf(EventProgress); last.Done != reports {
		t.Fatalf("final progress event = %+v, want done=%d", last, reports)
	}
	if rec.count(EventFinished) != 1 {
		t.Fatal("want exactly one finished event")
	}
}

func TestRecoverMarksDeadJobsInterrupted(t *testing.T) {
	st := openStore(t)
	r := New(st, nil, Options{})
	ctx := context.Background()

	// A job left running by a process that is gone.
	dead, err := r.Create(ctx, Spec{Kind: store.JobImport})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateJob(ctx, dead.ID, store.JobUpdate{Status: store.StatusRunning, Total: 10, Succeeded: 5}); err != nil {
		t.Fatal(err)
	}
	if err := r.setOwner(ctx, dead.ID, owner{Host: self().Host, PID: deadPID(t)}); err != nil {
		t.Fatal(err)
	}
	// A job running in this process right now.
	release := make(chan struct{})
	live, err := r.Submit(ctx, Spec{Kind: store.JobImport}, func(ctx context.Context, report func(Progress)) (Outcome, error) {
		<-release
		return Outcome{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A job running in another live process (this test's pid).
	other, err := r.Create(ctx, Spec{Kind: store.JobImport})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateJob(ctx, other.ID, store.JobUpdate{Status: store.StatusRunning}); err != nil {
		t.Fatal(err)
	}
	if err := r.setOwner(ctx, other.ID, self()); err != nil {
		t.Fatal(err)
	}

	n, err := New(st, nil, Options{}).Recover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("marked %d jobs, want 1", n)
	}
	j, _ := st.GetJob(ctx, dead.ID)
	if j.Status != store.StatusInterrupted || j.Succeeded != 5 {
		t.Fatalf("dead job = %+v", j)
	}
	for _, id := range []string{live, other.ID} {
		if j, _ := st.GetJob(ctx, id); j.Status != store.StatusRunning {
			t.Fatalf("live job %s marked %s", id, j.Status)
		}
	}
	close(release)
	if _, err := r.Wait(ctx, live); err != nil {
		t.Fatal(err)
	}

	// An interrupted job can be started again (resume) under the same ID.
	id := dead.ID
	if err := r.Start(ctx, id, func(ctx context.Context, report func(Progress)) (Outcome, error) {
		return Outcome{Total: 10, Succeeded: 10}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if j, err := r.Wait(ctx, id); err != nil || j.Status != store.StatusDone || j.Succeeded != 10 {
		t.Fatalf("resumed job = %+v, %v", j, err)
	}
}

// deadPID returns the ID of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Skipf("cannot start a process: %v", err)
	}
	if _, err := p.Wait(); err != nil {
		t.Fatal(err)
	}
	return p.Pid
}

func TestFingerprint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	if err := os.WriteFile(path, []byte("name\nAcme\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Fingerprint(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Size != 10 || len(f.Fingerprint) != 64 || f.ModTime.IsZero() {
		t.Fatalf("fingerprint = %+v", f)
	}
	if same, err := SameFile(f); err != nil || !same {
		t.Fatalf("same = %v, %v", same, err)
	}
	if err := os.WriteFile(path, []byte("name\nAcmf\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if same, _ := SameFile(f); same {
		t.Fatal("a changed file must not be the same")
	}
	if _, err := Fingerprint(filepath.Join(t.TempDir(), "missing.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}
