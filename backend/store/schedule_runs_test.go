package store

import (
	"context"
	"testing"
	"time"

	"batchdesk/backend/apperr"
)

// TestClaimScheduleRun: a run is claimed once — a second claim of the same
// next run, or a claim of a paused schedule, changes nothing.
func TestClaimScheduleRun(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	due := now().Add(-time.Minute)
	sc, err := s.SaveSchedule(ctx, Schedule{Kind: JobExport, Title: "export Account", Spec: "daily 02:00 UTC",
		Zone: "UTC", NextRun: due, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Title != "export Account" {
		t.Errorf("title %q", sc.Title)
	}
	next := due.Add(24 * time.Hour)
	run, ok, err := s.ClaimScheduleRun(ctx, sc.ID, due, next, ScheduleRun{Due: due, Note: "n", Runner: "pid 1"})
	if err != nil || !ok || run.ID == 0 {
		t.Fatalf("first claim: %+v %v %v", run, ok, err)
	}
	if _, ok, err := s.ClaimScheduleRun(ctx, sc.ID, due, next, ScheduleRun{Due: due}); ok || err != nil {
		t.Fatalf("second claim of the same run: ok=%v err=%v", ok, err)
	}
	got, _ := s.GetSchedule(ctx, sc.ID)
	if !got.NextRun.Equal(next) || got.LastRun.IsZero() {
		t.Errorf("after claim: next %v last %v", got.NextRun, got.LastRun)
	}
	if err := s.FinishScheduleRun(ctx, run.ID, RunStarted, "job-1", ""); err != nil {
		t.Fatal(err)
	}
	last, ok, err := s.LastStartedRun(ctx, sc.ID)
	if err != nil || !ok || last.JobID != "job-1" || last.Note != "n" || !last.Due.Equal(due) {
		t.Fatalf("last started = %+v %v %v", last, ok, err)
	}
	if r, ok, _ := s.RunOfJob(ctx, "job-1"); !ok || r.ScheduleID != sc.ID {
		t.Errorf("run of job = %+v %v", r, ok)
	}
	if err := s.SetScheduleEnabled(ctx, sc.ID, false, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.ClaimScheduleRun(ctx, sc.ID, time.Time{}, next, ScheduleRun{}); ok {
		t.Error("claimed a paused schedule")
	}
	if _, err := s.AddScheduleRun(ctx, ScheduleRun{ScheduleID: sc.ID, Due: now(), Manual: true, Outcome: RunStarted, JobID: "job-2"}); err != nil {
		t.Fatal(err)
	}
	runs, err := s.ScheduleRuns(ctx, sc.ID, 0)
	if err != nil || len(runs) != 2 || !runs[0].Manual {
		t.Fatalf("runs = %+v, %v", runs, err)
	}
	_, err = s.AddScheduleRun(ctx, ScheduleRun{ScheduleID: "nope", Due: now()})
	wantCode(t, err, apperr.NotFound)
	if err := s.DeleteSchedule(ctx, sc.ID); err != nil {
		t.Fatal(err)
	}
	if runs, _ := s.ScheduleRuns(ctx, sc.ID, 0); len(runs) != 0 {
		t.Errorf("runs outlive their schedule: %+v", runs)
	}
}
