package deletion

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

// TestCancelBetweenBatches cancels a sandbox delete at the progress event
// of its first committed batch: the job ends canceled with exactly that
// batch gone, and a resume deletes the rest of the captured set.
func TestCancelBetweenBatches(t *testing.T) {
	f := sandboxFixture(t)
	ctx := context.Background()
	total := f.count("SELECT count(*) FROM contact")
	var reg *jobs.Registry
	var canceled atomic.Bool // progress is emitted from the job's and the ticker's goroutines
	reg = jobs.New(f.ws.Store, jobs.EmitterFunc(func(name string, payload any) {
		ev, ok := payload.(jobs.Event)
		if ok && name == jobs.EventProgress && ev.Done > 0 && canceled.CompareAndSwap(false, true) {
			_ = reg.Cancel(context.Background(), ev.JobID)
		}
	}), jobs.Options{Interval: time.Nanosecond}) // every progress is emitted at once

	svc := New(f.ws, reg, Options{})
	req := Request{CRM: f.crm, Object: "Contact", All: true, BatchSize: 10, NoBackup: true}
	id, err := svc.Start(ctx, req, Confirmation{Object: "Contact", Count: total})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := reg.Wait(ctx, id)
	if j.Status != store.StatusCanceled || j.Succeeded != 10 {
		t.Fatalf("canceled job: %s, %d of %d deleted; want canceled after the first batch of 10", j.Status, j.Succeeded, total)
	}
	if n := f.count("SELECT count(*) FROM contact"); n != total-j.Succeeded {
		t.Errorf("%d contacts left, want %d", n, total-j.Succeeded)
	}
	if err := svc.Resume(ctx, id, ""); err != nil {
		t.Fatal(err)
	}
	if j, _ := reg.Wait(ctx, id); j.Status != store.StatusDone || j.Succeeded != total {
		t.Errorf("resumed: %s %d/%d", j.Status, j.Succeeded, total)
	}
	if n := f.count("SELECT count(*) FROM contact"); n != 0 {
		t.Errorf("%d contacts left after resume", n)
	}
}
