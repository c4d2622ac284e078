package schedule

import (
	"context"
	"encoding/json"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/store"
)

// New is a schedule to save: what kind of job, what it is called in lists,
// the spec as typed, and the job's settings (with no secrets in them).
type New struct {
	Kind     string // store.JobExport or store.JobDelete
	Title    string
	Spec     string
	Zone     string // default zone for a spec without one ("" = the computer's)
	Settings json.RawMessage
}

// Create parses the spec, refuses a "once" already past, and saves the
// schedule with its first run. It returns the stored schedule and its spec.
func Create(ctx context.Context, st *store.Store, n New, now time.Time) (store.Schedule, Spec, error) {
	spec, err := Parse(n.Spec, n.Zone)
	if err != nil {
		return store.Schedule{}, Spec{}, err
	}
	first, err := spec.First(now)
	if err != nil {
		return store.Schedule{}, Spec{}, err
	}
	sc, err := st.SaveSchedule(ctx, store.Schedule{Kind: n.Kind, Title: n.Title, Spec: spec.String(),
		Zone: spec.Zone, JobSettings: n.Settings, NextRun: first, Enabled: true})
	return sc, spec, err
}

// Change is an edit of a schedule: its spec (with Zone the default zone
// for a spec without one), and optionally a new title and new job
// settings (nil keeps them). The kind stays.
type Change struct {
	Spec     string
	Zone     string
	Title    string          // "" keeps it
	Settings json.RawMessage // nil keeps them
}

// Update edits schedule id in place: its ID, kind, last run and run history
// stay, and so does whether it is paused; its next run is computed again
// from the new spec (a "once" already past gives code Invalid, as in
// Create). Unknown id: NotFound.
func Update(ctx context.Context, st *store.Store, id string, c Change, now time.Time) (store.Schedule, Spec, error) {
	sc, err := st.GetSchedule(ctx, id)
	if err != nil {
		return store.Schedule{}, Spec{}, err
	}
	spec, err := Parse(c.Spec, c.Zone)
	if err != nil {
		return store.Schedule{}, Spec{}, err
	}
	next, err := spec.First(now)
	if err != nil {
		return store.Schedule{}, Spec{}, err
	}
	sc.Spec, sc.Zone, sc.NextRun = spec.String(), spec.Zone, next
	if c.Title != "" {
		sc.Title = c.Title
	}
	if c.Settings != nil {
		sc.JobSettings = c.Settings
	}
	sc, err = st.SaveSchedule(ctx, sc)
	return sc, spec, err
}

// Pause stops a schedule from running until Resume.
func Pause(ctx context.Context, st *store.Store, id string) error {
	if _, err := st.GetSchedule(ctx, id); err != nil {
		return err
	}
	return st.SetScheduleEnabled(ctx, id, false, time.Time{})
}

// Resume lets a paused schedule run again, from its next time after now
// (runs missed while paused are not caught up). A "once" whose time has
// passed gives code Invalid.
func Resume(ctx context.Context, st *store.Store, id string, now time.Time) (time.Time, error) {
	sc, err := st.GetSchedule(ctx, id)
	if err != nil {
		return time.Time{}, err
	}
	spec, err := Parse(sc.Spec, sc.Zone)
	if err != nil {
		return time.Time{}, err
	}
	next, ok := spec.Next(now)
	if !ok {
		return time.Time{}, apperr.New(apperr.Invalid, "schedule %s ran once and its time has passed: use run-now, or make a new schedule", id)
	}
	return next, st.SetScheduleEnabled(ctx, id, true, next)
}

// View is one schedule for people: its words, its next runs and its runs.
type View struct {
	store.Schedule
	Spec     Spec
	Words    string      // in the language asked for
	Upcoming []time.Time // the next runs (none when paused or done)
	Runs     []store.ScheduleRun
}

// Show reads schedule id with its next n runs and its last runs.
func Show(ctx context.Context, st *store.Store, id, lang string, now time.Time, n int) (View, error) {
	sc, err := st.GetSchedule(ctx, id)
	if err != nil {
		return View{}, err
	}
	v := View{Schedule: sc}
	if v.Spec, err = Parse(sc.Spec, sc.Zone); err != nil {
		v.Words = sc.Spec
	} else {
		v.Words = v.Spec.Describe(lang)
		if sc.Enabled && !sc.NextRun.IsZero() {
			v.Upcoming = append([]time.Time{sc.NextRun}, v.Spec.Upcoming(maxTime(sc.NextRun, now), n-1)...)
		}
	}
	v.Runs, err = st.ScheduleRuns(ctx, id, 10)
	return v, err
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
