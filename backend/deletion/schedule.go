package deletion

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/fkgraph"
	"batchdesk/backend/schedule"
	"batchdesk/backend/store"
)

// Scheduled is what a delete schedule stores (its job settings): the
// request with its ceiling in MaxCount. No password: the checks ran when
// the schedule was made.
type Scheduled struct {
	Request
	// CheckedAt is when the checks passed.
	CheckedAt time.Time `json:"checkedAt"`
}

// Schedule runs the checks of req now — the typed name, the password or
// the exact count, as Start does — and saves a schedule that deletes what
// req selects at each run of spec (zone: the default for a spec without
// one). The schedule stores a ceiling: maxCount when > 0, else today's
// count; a run matching more refuses and deletes nothing. Scheduled
// deletes always take a backup. A refused check is a failed job in the
// history, as with Start.
func (s *Service) Schedule(ctx context.Context, req Request, c Confirmation, spec, zone string, maxCount int64) (store.Schedule, error) {
	if req.NoBackup {
		return store.Schedule{}, apperr.New(apperr.Invalid, "a scheduled delete always takes a backup: leave the backup on")
	}
	if maxCount < 0 {
		return store.Schedule{}, apperr.New(apperr.Invalid, "the maximum count cannot be negative")
	}
	if _, err := schedule.Parse(spec, zone); err != nil {
		return store.Schedule{}, err
	}
	t, err := s.open(ctx, req.CRM)
	if err != nil {
		return store.Schedule{}, err
	}
	defer t.Close()
	p, err := resolve(ctx, t, req)
	if err != nil {
		return store.Schedule{}, err
	}
	var pv Preview
	err = t.Snapshot(ctx, func(q fkgraph.Querier) error {
		pv, err = p.preview(ctx, q)
		return err
	})
	if err != nil {
		return store.Schedule{}, wrapDB(err, "count the records to delete")
	}
	check, _, err := secondCheck(ctx, t)
	if err != nil {
		return store.Schedule{}, err
	}
	if err := p.confirm(ctx, c, check, pv.Total); err != nil {
		return store.Schedule{}, s.refuseSchedule(ctx, p, pv, err)
	}
	if pv.Blocked > 0 && !req.SkipBlocked {
		return store.Schedule{}, s.refuseSchedule(ctx, p, pv, p.refusal(pv))
	}
	set := Scheduled{Request: req, CheckedAt: time.Now().UTC()}
	set.CRM = crm.WithoutPassword(req.CRM)
	set.Object = p.obj.APIName
	set.MaxCount = maxCount
	if maxCount == 0 {
		set.MaxCount = pv.Total
	}
	b, err := json.Marshal(set)
	if err != nil {
		return store.Schedule{}, err
	}
	sc, _, err := schedule.Create(ctx, s.ws.Store, schedule.New{Kind: store.JobDelete, Spec: spec, Zone: zone, Settings: b,
		Title: ScheduleTitle(p.obj.APIName, set.MaxCount)}, time.Now())
	return sc, err
}

// refuseSchedule records a schedule whose checks refused as a failed
// delete job, so the attempt is in the history.
func (s *Service) refuseSchedule(ctx context.Context, p *plan, pv Preview, err error) error {
	j, cerr := s.jobs.Create(ctx, jobsSpec(p, crm.WithoutPassword(p.req.CRM)))
	if cerr != nil {
		return err
	}
	s.jobs.Event(j.ID, store.LevelInfo, "schedule not made")
	return s.refuse(ctx, j.ID, pv, err)
}

// StartScheduled starts the run of a delete schedule from its stored
// settings: the filter is evaluated again, and a run matching more than
// the ceiling refuses (a failed job in the history, nothing deleted). The
// checks ran when the schedule was made; the backup is always taken.
func (s *Service) StartScheduled(ctx context.Context, sc store.Schedule, note string) (string, error) {
	var set Scheduled
	if err := json.Unmarshal(sc.JobSettings, &set); err != nil || set.Object == "" || set.MaxCount <= 0 {
		return "", apperr.New(apperr.Invalid, "schedule %s has no delete settings that this Batchdesk can read", sc.ID)
	}
	set.NoBackup = false
	line := fmt.Sprintf("scheduled run of %s (checks passed %s; at most %s records)", sc.ID,
		set.CheckedAt.Format(time.RFC3339), Thousands(set.MaxCount))
	if note != "" {
		line += "; " + note
	}
	return s.start(ctx, set.Request, nil, line)
}

// Launcher is the schedule launcher of delete schedules.
func (s *Service) Launcher() schedule.Launcher {
	return schedule.LauncherFunc(func(ctx context.Context, sc store.Schedule, run schedule.RunInfo) (string, error) {
		return s.StartScheduled(ctx, sc, run.Note)
	})
}

// ScheduleTitle is the title of a delete schedule: its object and ceiling.
func ScheduleTitle(object string, maxCount int64) string {
	return fmt.Sprintf("delete %s (at most %s)", object, Thousands(maxCount))
}
