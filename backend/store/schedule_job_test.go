package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"batchdesk/backend/apperr"
)

// TestSetScheduleJob: what a schedule runs changes without undoing a run
// claimed after the schedule was read (its next and last run stay).
func TestSetScheduleJob(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	due := now().Add(-time.Minute)
	sc, err := s.SaveSchedule(ctx, Schedule{Kind: JobExport, Title: "export Account to a", Spec: "daily 02:00 UTC", Zone: "UTC",
		JobSettings: json.RawMessage(`{"destination":"a"}`), NextRun: due, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	next := due.Add(24 * time.Hour)
	if _, ok, err := s.ClaimScheduleRun(ctx, sc.ID, due, next, ScheduleRun{Due: due}); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := s.SetScheduleJob(ctx, sc.ID, "export Account to b", json.RawMessage(`{"destination":"b"}`)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetSchedule(ctx, sc.ID)
	if got.Title != "export Account to b" || string(got.JobSettings) != `{"destination":"b"}` || !got.NextRun.Equal(next) || got.LastRun.IsZero() || !got.Enabled {
		t.Fatalf("%+v", got)
	}
	if err := s.SetScheduleJob(ctx, "nope", "x", json.RawMessage(`{}`)); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("unknown: %v", err)
	}
	if err := s.SetScheduleJob(ctx, sc.ID, "x", json.RawMessage(`{`)); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("bad JSON: %v", err)
	}
}
