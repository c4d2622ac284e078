package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"batchdesk/backend/apperr"
)

func TestJobsLifecycle(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	files := []JobFile{{Path: "/data/accounts.csv", Size: 1234, ModTime: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Fingerprint: "abc123"}}
	j, err := s.CreateJob(ctx, Job{Kind: JobImport, Connection: "prod", Object: "Account",
		Settings: json.RawMessage(`{"mode":"insert"}`), Files: files})
	if err != nil {
		t.Fatal(err)
	}
	if j.ID == "" || j.Status != StatusQueued || j.CreatedAt.IsZero() {
		t.Fatalf("created %+v", j)
	}
	got, err := s.GetJob(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Files) != 1 || got.Files[0] != files[0] || string(got.Settings) != `{"mode":"insert"}` || !got.StartedAt.IsZero() {
		t.Fatalf("get %+v", got)
	}

	if err := s.UpdateJob(ctx, j.ID, JobUpdate{Status: StatusRunning, Total: 10}); err != nil {
		t.Fatal(err)
	}
	running, _ := s.GetJob(ctx, j.ID)
	if running.Status != StatusRunning || running.StartedAt.IsZero() || !running.FinishedAt.IsZero() || running.Total != 10 {
		t.Fatalf("running %+v", running)
	}
	if err := s.UpdateJob(ctx, j.ID, JobUpdate{Status: StatusDone, Total: 10, Succeeded: 8, Failed: 2,
		Message: "8 of 10 rows imported", ErrorReport: "/tmp/errors.csv"}); err != nil {
		t.Fatal(err)
	}
	// An update without message/report keeps the previous ones.
	if err := s.UpdateJob(ctx, j.ID, JobUpdate{Status: StatusDone, Total: 10, Succeeded: 8, Failed: 2}); err != nil {
		t.Fatal(err)
	}
	done, _ := s.GetJob(ctx, j.ID)
	if done.Status != StatusDone || done.Succeeded != 8 || done.Failed != 2 || done.FinishedAt.IsZero() ||
		!done.StartedAt.Equal(running.StartedAt) || done.Message != "8 of 10 rows imported" || done.ErrorReport != "/tmp/errors.csv" {
		t.Fatalf("done %+v", done)
	}

	wantCode(t, s.UpdateJob(ctx, "missing", JobUpdate{Status: StatusDone}), apperr.NotFound)
	wantCode(t, s.UpdateJob(ctx, j.ID, JobUpdate{Status: "exploded"}), apperr.Invalid)
	_, err = s.CreateJob(ctx, Job{Kind: "merge"})
	wantCode(t, err, apperr.Invalid)
	_, err = s.CreateJob(ctx, Job{ID: j.ID, Kind: JobImport})
	wantCode(t, err, apperr.Conflict)
	_, err = s.GetJob(ctx, "missing")
	wantCode(t, err, apperr.NotFound)

	// Events.
	if err := s.AddJobEvent(ctx, j.ID, LevelInfo, "started"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddJobEvent(ctx, j.ID, LevelError, "batch 2 failed: duplicate key"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.AddJobEvent(ctx, "missing", LevelInfo, "x"), apperr.NotFound)
	wantCode(t, s.AddJobEvent(ctx, j.ID, "debug", "x"), apperr.Invalid)
	evs, err := s.JobEvents(ctx, j.ID)
	if err != nil || len(evs) != 2 || evs[0].Message != "started" || evs[1].Level != LevelError || evs[0].At.IsZero() {
		t.Fatalf("events %+v, %v", evs, err)
	}
}

func TestListJobs(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	kinds := []string{JobImport, JobExport, JobImport, JobDelete, JobImport}
	for i, k := range kinds {
		j, err := s.CreateJob(ctx, Job{ID: fmt.Sprintf("job-%d", i), Kind: k, CreatedAt: base.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			if err := s.UpdateJob(ctx, j.ID, JobUpdate{Status: StatusFailed}); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name string
		f    JobFilter
		want []string
	}{
		{"all newest first", JobFilter{}, []string{"job-4", "job-3", "job-2", "job-1", "job-0"}},
		{"imports", JobFilter{Kind: JobImport}, []string{"job-4", "job-2", "job-0"}},
		{"failed imports", JobFilter{Kind: JobImport, Status: StatusFailed}, []string{"job-2"}},
		{"limit", JobFilter{Limit: 2}, []string{"job-4", "job-3"}},
		{"none", JobFilter{Kind: JobExport, Status: StatusDone}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			jobs, err := s.ListJobs(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, j := range jobs {
				ids = append(ids, j.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
				t.Fatalf("got %v, want %v", ids, tc.want)
			}
		})
	}
	n, err := s.InterruptRunningJobs(ctx)
	if err != nil || n != 4 {
		t.Fatalf("interrupted %d, %v", n, err)
	}
	if j, _ := s.GetJob(ctx, "job-0"); j.Status != StatusInterrupted || j.FinishedAt.IsZero() {
		t.Fatalf("job-0 %+v", j)
	}
}

// ExampleOpen shows the store's life: open (migrating), use, close.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "store-example-")
	defer os.RemoveAll(dir)
	s, err := Open(filepath.Join(dir, "batchdesk.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	ctx := context.Background()
	_ = s.SetBatchSize(ctx, 2000)
	n, _ := s.BatchSize(ctx)
	fmt.Println("batch size:", n)
	// Output: batch size: 2000
}

// TestTwoProcessesWrite opens the file twice (the app and the CLI) and
// writes from both at once: the busy timeout must absorb the lock waits.
func TestTwoProcessesWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "batchdesk.db")
	ctx := context.Background()
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	j, err := a.CreateJob(ctx, Job{Kind: JobImport})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for _, s := range []*Store{a, b} {
		go func() {
			for i := range 40 {
				if err := s.AddJobEvent(ctx, j.ID, LevelInfo, fmt.Sprint("event ", i)); err != nil {
					errs <- err
					return
				}
				if err := s.UpdateJob(ctx, j.ID, JobUpdate{Status: StatusRunning, Total: int64(i)}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	evs, _ := b.JobEvents(ctx, j.ID)
	if len(evs) != 80 {
		t.Fatalf("%d events, want 80", len(evs))
	}
}

// A job that finished after Recover listed it as running keeps its status:
// the interrupt is conditional on the status read.
func TestInterruptJobOnlyFromTheStatusRead(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	j, err := s.CreateJob(ctx, Job{Kind: JobImport, Object: "Account"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateJob(ctx, j.ID, JobUpdate{Status: StatusRunning}); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateJob(ctx, j.ID, JobUpdate{Status: StatusDone, Total: 3, Succeeded: 3}); err != nil {
		t.Fatal(err)
	}
	marked, err := s.InterruptJob(ctx, j.ID, StatusRunning, "interrupted")
	if err != nil || marked {
		t.Fatalf("InterruptJob of a done job = %v, %v; want false, nil", marked, err)
	}
	if got, _ := s.GetJob(ctx, j.ID); got.Status != StatusDone {
		t.Fatalf("status %s, want done", got.Status)
	}
	j2, _ := s.CreateJob(ctx, Job{Kind: JobImport, Object: "Account"})
	_ = s.UpdateJob(ctx, j2.ID, JobUpdate{Status: StatusRunning})
	if marked, err := s.InterruptJob(ctx, j2.ID, StatusRunning, "interrupted"); err != nil || !marked {
		t.Fatalf("InterruptJob of a running job = %v, %v; want true, nil", marked, err)
	}
}
