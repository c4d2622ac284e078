package schedule

import (
	"context"
	"encoding/json"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/store"
)

// TestUpdateKeepsIdentityAndHistory edits a schedule that already ran: it
// keeps its ID, kind, last run and runs; its next run follows the new spec
// and zone, and the runner runs it then (not at the old time).
func TestUpdateKeepsIdentityAndHistory(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, utc("2026-12-01T01:00:00Z"), Options{})
	set := json.RawMessage(`{"destination":"old"}`)
	sc, _, err := Create(ctx, e.st, New{Kind: store.JobExport, Title: "export Account to old", Spec: "daily 02:00 UTC", Settings: set}, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(utc("2026-12-01T02:00:10Z"))
	e.check(t)
	runs := e.runs(t, sc.ID)
	if len(runs) != 1 {
		t.Fatalf("runs = %+v", runs)
	}
	e.wait(t, runs[0].JobID)
	ran, _ := e.st.GetSchedule(ctx, sc.ID)

	// Weekly on Thursday 09:30 in Shanghai (01:30Z); 2026-12-03 is a Thursday.
	got, spec, err := Update(ctx, e.st, sc.ID, Change{Spec: "weekly thu 09:30", Zone: "Asia/Shanghai"}, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != sc.ID || got.Kind != store.JobExport || got.Title != "export Account to old" || string(got.JobSettings) != string(set) {
		t.Fatalf("identity changed: %+v", got)
	}
	if got.Spec != "weekly thu 09:30 Asia/Shanghai" || spec.Zone != "Asia/Shanghai" || !got.NextRun.Equal(utc("2026-12-03T01:30:00Z")) {
		t.Fatalf("spec %q next %v", got.Spec, got.NextRun)
	}
	if !got.LastRun.Equal(ran.LastRun) || !got.Enabled || !got.CreatedAt.Equal(sc.CreatedAt) {
		t.Fatalf("last run %v (was %v), enabled %v, created %v (was %v)", got.LastRun, ran.LastRun, got.Enabled, got.CreatedAt, sc.CreatedAt)
	}
	if n := len(e.runs(t, sc.ID)); n != 1 {
		t.Fatalf("the history has %d runs, want 1", n)
	}
	// The old time passes without a run; the new one runs.
	e.clock.Set(utc("2026-12-02T02:00:10Z"))
	e.check(t)
	if n := len(e.runs(t, sc.ID)); n != 1 {
		t.Fatalf("ran at the old time: %d runs", n)
	}
	e.clock.Set(utc("2026-12-03T01:30:05Z"))
	e.check(t)
	if runs := e.runs(t, sc.ID); len(runs) != 2 || runs[0].CaughtUp {
		t.Fatalf("at the new time: %+v", runs)
	} else {
		e.wait(t, runs[0].JobID)
	}

	// What it runs and its title change too; a bad spec or a past once
	// changes nothing.
	got, _, err = Update(ctx, e.st, sc.ID, Change{Spec: "daily 03:00 UTC", Title: "export Account to new", Settings: json.RawMessage(`{"destination":"new"}`)}, e.clock.Now())
	if err != nil || got.Title != "export Account to new" || string(got.JobSettings) != `{"destination":"new"}` {
		t.Fatalf("%+v %v", got, err)
	}
	for _, bad := range []string{"once 2026-11-01T02:00 UTC", "hourly", ""} {
		_, _, err := Update(ctx, e.st, sc.ID, Change{Spec: bad}, e.clock.Now())
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("%q: %v", bad, err)
		}
	}
	if now, _ := e.st.GetSchedule(ctx, sc.ID); now.Spec != "daily 03:00 UTC" {
		t.Fatalf("a refused edit changed the spec to %q", now.Spec)
	}

	// A paused schedule stays paused.
	if err := Pause(ctx, e.st, sc.ID); err != nil {
		t.Fatal(err)
	}
	if got, _, err = Update(ctx, e.st, sc.ID, Change{Spec: "daily 04:00 UTC"}, e.clock.Now()); err != nil || got.Enabled {
		t.Fatalf("paused: %+v %v", got, err)
	}
	_, _, err = Update(ctx, e.st, "no-such-id", Change{Spec: "daily 04:00 UTC"}, e.clock.Now())
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("unknown id: %v", err)
	}
}
