package app

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/deletion"
	"batchdesk/backend/export"
	"batchdesk/backend/launchers"
	"batchdesk/backend/schedule"
	"batchdesk/backend/store"
)

func init() { addArea("schedules", false, func(a *App) any { return &SchedulesAPI{a} }) }

// SchedulesAPI is the schedules area of the surface: the spec in words with
// its next runs, scheduling an export, the list, pause/resume, run now and
// remove.
type SchedulesAPI struct{ *App }

// SpecPreview is a schedule spec read back for people.
type SpecPreview struct {
	// Spec is the canonical text, zone included.
	Spec  string `json:"spec"`
	Words string `json:"words"`
	// Next are the next run times, RFC 3339, and as people read them.
	Next      []string `json:"next"`
	NextWords []string `json:"nextWords"`
}

// ScheduleSummary is one schedule in the list.
type ScheduleSummary struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Spec    string `json:"spec"`
	Words   string `json:"words"`
	Enabled bool   `json:"enabled"`
	NextRun string `json:"nextRun"`
	// NextWords is the next run as people read it, in the spec's zone.
	NextWords string `json:"nextWords"`
	LastRun   string `json:"lastRun"`
	// What it runs: the object (or all objects), the filter, the
	// destination (exports) and a delete's ceiling.
	Object      string `json:"object"`
	All         bool   `json:"all"`
	Where       string `json:"where"`
	Destination string `json:"destination"`
	MaxCount    int64  `json:"maxCount"`
	// Connection is the CRM it runs against (the saved connection's name).
	Connection string `json:"connection"`
	// The last run: its outcome, job, status and whether it was caught up.
	LastOutcome  string `json:"lastOutcome"`
	LastJobID    string `json:"lastJobId"`
	LastStatus   string `json:"lastStatus"`
	LastCaughtUp bool   `json:"lastCaughtUp"`
	LastNote     string `json:"lastNote"`
}

// scheduledWhat reads what a schedule runs from its job settings: an
// export's (export.Settings) or a delete's (its request at the top level).
type scheduledWhat struct {
	Object      string         `json:"object"`
	All         bool           `json:"all"`
	Where       string         `json:"where"`
	MaxCount    int64          `json:"maxCount"`
	Request     export.Request `json:"request"`
	Destination string         `json:"destination"`
	CRM         string         `json:"crm"`
}

// startScheduler runs due schedules in this process (the window, `batchdesk
// serve`) until shutdown; their jobs run in the app's registry, so the
// dashboard shows them live. Other processes on the same data folder may
// run schedules too: each run is claimed once.
func (a *App) startScheduler() {
	a.runner = a.newRunner()
	go func() { _ = a.runner.Run(a.ctx) }()
}

func (a *App) newRunner() *schedule.Runner {
	return schedule.NewRunner(a.ws.Store, launchers.For(a.ws, a.jobs), a.jobs, schedule.Options{
		Log: func(res schedule.Result) {
			fmt.Fprintf(os.Stderr, "batchdesk: schedule %s due %s: %s %s %s\n", res.Schedule.ID,
				res.Due.UTC().Format("2006-01-02T15:04Z"), res.Outcome, res.JobID, res.Note)
		}})
}

// PreviewSpec reads a spec ("daily 02:00", "weekly mon,thu 02:00 Asia/Shanghai")
// with zone as the default and says it in words (lang "en" or "zh") with
// its next n runs.
func (a *SchedulesAPI) PreviewSpec(spec, zone, lang string, n int) (SpecPreview, error) {
	sp, err := schedule.Parse(spec, zone)
	if err != nil {
		return SpecPreview{}, fail(err)
	}
	if n <= 0 || n > 20 {
		n = 5
	}
	out := SpecPreview{Spec: sp.String(), Words: sp.Describe(lang), Next: []string{}, NextWords: []string{}}
	for _, t := range sp.Upcoming(time.Now(), n) {
		out.Next = append(out.Next, rfc3339(t))
		out.NextWords = append(out.NextWords, sp.FormatRunIn(t, lang))
	}
	return out, nil
}

// LocalZone is this computer's IANA time zone, the default of a spec.
func (a *SchedulesAPI) LocalZone() string { return schedule.LocalZoneName() }

// ScheduleExport checks an export as if it ran and saves it as a schedule
// of spec (zone: the default for a spec without one).
func (a *SchedulesAPI) ScheduleExport(connection string, req export.Request, destination, spec, zone string) (ScheduleSummary, error) {
	ctx, cancel := a.call(2 * time.Minute)
	defer cancel()
	if _, err := schedule.Parse(spec, zone); err != nil {
		return ScheduleSummary{}, fail(err)
	}
	set := export.Settings{CRM: connection, Request: req, Destination: destination}
	if err := a.exports().Check(ctx, set); err != nil {
		return ScheduleSummary{}, fail(err)
	}
	body, err := json.Marshal(set)
	if err != nil {
		return ScheduleSummary{}, fail(err)
	}
	what := "all objects"
	if req.Object != "" && !req.All {
		what = req.Object
	}
	sc, _, err := schedule.Create(ctx, a.ws.Store, schedule.New{Kind: store.JobExport, Spec: spec, Zone: zone,
		Title: "export " + what + " to " + destination, Settings: body}, time.Now().Round(0))
	if err != nil {
		return ScheduleSummary{}, fail(err)
	}
	return a.summary(sc, "en"), nil
}

// ListSchedules lists every schedule with its words (in lang) and last run.
func (a *SchedulesAPI) ListSchedules(lang string) ([]ScheduleSummary, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	scs, err := a.ws.Store.ListSchedules(ctx)
	if err != nil {
		return nil, fail(err)
	}
	out := make([]ScheduleSummary, 0, len(scs))
	for _, sc := range scs {
		s := a.summary(sc, lang)
		if runs, err := a.ws.Store.ScheduleRuns(ctx, sc.ID, 1); err == nil && len(runs) > 0 {
			r := runs[0]
			s.LastOutcome, s.LastJobID, s.LastCaughtUp, s.LastNote = r.Outcome, r.JobID, r.CaughtUp, r.Note
			if s.LastRun == "" {
				s.LastRun = rfc3339(r.ClaimedAt)
			}
			if r.JobID != "" {
				if d, err := a.jobs.Get(ctx, r.JobID); err == nil {
					s.LastStatus = d.Job.Status
				}
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// summary converts a stored schedule.
func (a *App) summary(sc store.Schedule, lang string) ScheduleSummary {
	s := ScheduleSummary{ID: sc.ID, Kind: sc.Kind, Title: sc.Title, Spec: sc.Spec, Words: sc.Spec, Enabled: sc.Enabled,
		NextRun: rfc3339(sc.NextRun), LastRun: rfc3339(sc.LastRun)}
	if sp, err := schedule.Parse(sc.Spec, sc.Zone); err == nil {
		s.Words = sp.Describe(lang)
		if !sc.NextRun.IsZero() {
			s.NextWords = sp.FormatRunIn(sc.NextRun, lang)
		}
	}
	var w scheduledWhat
	if json.Unmarshal(sc.JobSettings, &w) == nil {
		s.Object, s.All, s.Where, s.MaxCount, s.Destination, s.Connection = w.Object, w.All, w.Where, w.MaxCount, w.Destination, w.CRM
		if w.Request.Object != "" || w.Request.All {
			s.Object, s.All, s.Where = w.Request.Object, w.Request.All, w.Request.Where
		}
	}
	return s
}

// ScheduleEdit is an edit of a schedule on the Schedules page: when it
// runs, and what it runs as far as a schedule may change it.
type ScheduleEdit struct {
	// Spec is e.g. "daily 02:00"; Zone the default zone for a spec
	// without one ("" = this computer's).
	Spec string `json:"spec"`
	Zone string `json:"zone"`
	// An export's filter (the filter language; "" = all records) and
	// destination (a saved name, folder or URL; "" keeps it). Both are
	// checked as if it ran now.
	Where       string `json:"where"`
	Destination string `json:"destination"`
	// A delete's ceiling (0 keeps it). It may only go down: a higher one,
	// like another filter, needs the delete's checks again (a new schedule
	// from the Delete page).
	MaxCount int64 `json:"maxCount"`
}

// UpdateSchedule edits schedule id in place — its ID, last run and run
// history stay, paused stays paused — and returns it with its next run
// computed from the new spec.
func (a *SchedulesAPI) UpdateSchedule(id string, e ScheduleEdit, lang string) (ScheduleSummary, error) {
	ctx, cancel := a.call(2 * time.Minute)
	defer cancel()
	sc, err := a.ws.Store.GetSchedule(ctx, id)
	if err != nil {
		return ScheduleSummary{}, fail(err)
	}
	if _, err := schedule.Parse(e.Spec, e.Zone); err != nil {
		return ScheduleSummary{}, fail(err)
	}
	c := schedule.Change{Spec: e.Spec, Zone: e.Zone}
	switch sc.Kind {
	case store.JobExport:
		var set export.Settings
		if err := json.Unmarshal(sc.JobSettings, &set); err != nil {
			return ScheduleSummary{}, fail(apperr.New(apperr.Invalid, "schedule %s has no export settings that this Batchdesk can read", id))
		}
		if !set.Request.All {
			set.Request.Where = e.Where
		}
		if d := e.Destination; d != "" {
			set.Destination = d
		}
		if err := a.exports().Check(ctx, set); err != nil {
			return ScheduleSummary{}, fail(err)
		}
		if c.Settings, err = json.Marshal(set); err != nil {
			return ScheduleSummary{}, fail(err)
		}
		what := "all objects"
		if set.Request.Object != "" && !set.Request.All {
			what = set.Request.Object
		}
		c.Title = "export " + what + " to " + set.Destination
	case store.JobDelete:
		var set deletion.Scheduled
		if err := json.Unmarshal(sc.JobSettings, &set); err != nil || set.Object == "" {
			return ScheduleSummary{}, fail(apperr.New(apperr.Invalid, "schedule %s has no delete settings that this Batchdesk can read", id))
		}
		switch {
		case e.MaxCount < 0:
			return ScheduleSummary{}, fail(apperr.New(apperr.Invalid, "the maximum count cannot be negative"))
		case e.MaxCount > set.MaxCount:
			return ScheduleSummary{}, fail(apperr.New(apperr.Invalid,
				"the ceiling can only go down (it is %d): a higher one needs the checks again — make a new schedule on the Delete page", set.MaxCount))
		case e.MaxCount > 0 && e.MaxCount != set.MaxCount:
			set.MaxCount = e.MaxCount
			if c.Settings, err = json.Marshal(set); err != nil {
				return ScheduleSummary{}, fail(err)
			}
			c.Title = deletion.ScheduleTitle(set.Object, set.MaxCount)
		}
	}
	sc, _, err = schedule.Update(ctx, a.ws.Store, id, c, time.Now().Round(0))
	if err != nil {
		return ScheduleSummary{}, fail(err)
	}
	return a.summary(sc, lang), nil
}

// PauseSchedule stops a schedule from running until it is resumed.
func (a *SchedulesAPI) PauseSchedule(id string) error {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	return fail(schedule.Pause(ctx, a.ws.Store, id))
}

// ResumeSchedule lets a paused schedule run again from its next time (runs
// missed while paused are not caught up); it returns that time.
func (a *SchedulesAPI) ResumeSchedule(id string) (string, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	t, err := schedule.Resume(ctx, a.ws.Store, id, time.Now().Round(0))
	return rfc3339(t), fail(err)
}

// RunScheduleNow starts a schedule's job at once (its next run stays) and
// returns the job's ID.
func (a *SchedulesAPI) RunScheduleNow(id string) (string, error) {
	r := a.runner
	if r == nil {
		r = a.newRunner()
	}
	res, err := r.RunNow(a.ctx, id)
	if err != nil {
		return "", fail(err)
	}
	if res.Err != nil {
		return res.JobID, fail(res.Err)
	}
	return res.JobID, nil
}

// RemoveSchedule deletes a schedule (its past jobs stay in the history).
func (a *SchedulesAPI) RemoveSchedule(id string) error {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	return fail(a.ws.Store.DeleteSchedule(ctx, id))
}
