package app

import (
	"context"
	"encoding/json"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/deletion"
	"batchdesk/backend/store"
)

func init() { addArea("delete", false, func(a *App) any { return &DeleteAPI{a} }) }

// DeleteAPI is the delete area of the surface: the preview and a sample of
// what goes, the delete job (now or scheduled), a job's backup and its
// restore. The engine is backend/deletion; these methods only convert.
type DeleteAPI struct{ *App }

// DeleteRequest says what to delete: all records of Object, or those Where
// (the filter language) selects.
type DeleteRequest struct {
	Connection string `json:"connection"`
	Object     string `json:"object"`
	All        bool   `json:"all"`
	Where      string `json:"where"`
	// SkipBlocked deletes the records nothing refers to and leaves the
	// blocked ones.
	SkipBlocked bool `json:"skipBlocked"`
	// NoBackup switches the backup off (the page asks twice).
	NoBackup bool `json:"noBackup"`
}

// DeleteConfirmation is what the person typed: the object's API name, and
// the password or, where none can be checked, the exact count.
type DeleteConfirmation struct {
	Object   string `json:"object"`
	Password string `json:"password"`
	Count    int64  `json:"count"`
}

// DeleteSchedule is when a scheduled delete runs and its ceiling.
type DeleteSchedule struct {
	// Spec is e.g. "once 2026-12-01T02:00", "daily 02:00", "weekly mon 02:00".
	Spec string `json:"spec"`
	// Zone is an IANA zone ("" = this computer's).
	Zone string `json:"zone"`
	// MaxCount refuses a run matching more records (0: today's count).
	MaxCount int64 `json:"maxCount"`
}

// DeleteScheduled is a saved delete schedule.
type DeleteScheduled struct {
	ScheduleID string `json:"scheduleId"`
	Title      string `json:"title"`
	Spec       string `json:"spec"`
	NextRun    string `json:"nextRun"`
	MaxCount   int64  `json:"maxCount"`
}

// DeleteBackup is a delete job's backup: where it is ("" when the job has
// none) and whether it can be restored.
type DeleteBackup struct {
	JobID      string `json:"jobId"`
	Location   string `json:"location"`
	Restorable bool   `json:"restorable"`
}

func (a *DeleteAPI) service() *deletion.Service {
	return deletion.New(a.ws, a.jobs, deletion.Options{})
}

// request converts req after the browser-mode check of its connection.
func (a *DeleteAPI) request(ctx context.Context, req DeleteRequest) (deletion.Request, error) {
	if _, err := a.resolve(ctx, req.Connection); err != nil {
		return deletion.Request{}, err
	}
	return deletion.Request{CRM: req.Connection, Object: req.Object, All: req.All, Where: req.Where,
		SkipBlocked: req.SkipBlocked, NoBackup: req.NoBackup}, nil
}

// PreviewDelete counts what req would delete, changing nothing: the count,
// what cascades, the lookups emptied, the blocked records, and which
// second check the delete needs.
func (a *DeleteAPI) PreviewDelete(req DeleteRequest) (deletion.Preview, error) {
	ctx, cancel := a.call(2 * time.Minute)
	defer cancel()
	r, err := a.request(ctx, req)
	if err != nil {
		return deletion.Preview{}, fail(err)
	}
	pv, err := a.service().Preview(ctx, r)
	return pv, fail(err)
}

// SampleDelete returns up to limit of the records req would delete — or,
// with blocked, of those a reference holds — for the page's grid.
func (a *DeleteAPI) SampleDelete(req DeleteRequest, limit int, blocked bool) (deletion.Sample, error) {
	ctx, cancel := a.call(2 * time.Minute)
	defer cancel()
	r, err := a.request(ctx, req)
	if err != nil {
		return deletion.Sample{}, fail(err)
	}
	s, err := a.service().Sample(ctx, r, limit, blocked)
	return s, fail(err)
}

// StartDelete checks c and starts the delete as a job; it returns the job's
// ID at once. A refused check (wrong password, name or count) deletes
// nothing and is an error (the history keeps it as a failed job).
func (a *DeleteAPI) StartDelete(req DeleteRequest, c DeleteConfirmation) (string, error) {
	ctx, cancel := a.call(2 * time.Minute)
	defer cancel()
	r, err := a.request(ctx, req)
	if err != nil {
		return "", fail(err)
	}
	// The job runs on the app's context: it outlives this call.
	id, err := a.service().Start(a.ctx, r, confirmation(c))
	if err != nil {
		return "", fail(err)
	}
	return id, nil
}

// ScheduleDelete checks c now and saves a schedule that deletes what req
// selects at each run of s, refusing a run over the ceiling.
func (a *DeleteAPI) ScheduleDelete(req DeleteRequest, c DeleteConfirmation, s DeleteSchedule) (DeleteScheduled, error) {
	ctx, cancel := a.call(2 * time.Minute)
	defer cancel()
	r, err := a.request(ctx, req)
	if err != nil {
		return DeleteScheduled{}, fail(err)
	}
	sc, err := a.service().Schedule(ctx, r, confirmation(c), s.Spec, s.Zone, s.MaxCount)
	if err != nil {
		return DeleteScheduled{}, fail(err)
	}
	out := DeleteScheduled{ScheduleID: sc.ID, Title: sc.Title, Spec: sc.Spec, NextRun: rfc3339(sc.NextRun)}
	var set deletion.Scheduled
	if json.Unmarshal(sc.JobSettings, &set) == nil {
		out.MaxCount = set.MaxCount
	}
	return out, nil
}

// GetDeleteBackup says where a delete job's backup is and whether it can
// be restored.
func (a *DeleteAPI) GetDeleteBackup(jobID string) (DeleteBackup, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	j, err := a.jobs.Get(ctx, jobID)
	if err != nil {
		return DeleteBackup{}, fail(err)
	}
	if j.Kind != store.JobDelete {
		return DeleteBackup{}, fail(apperr.New(apperr.Invalid, "job %s is not a delete", jobID))
	}
	loc := a.service().BackupOf(jobID)
	return DeleteBackup{JobID: jobID, Location: loc, Restorable: loc != "" && fileExists(loc)}, nil
}

// RestoreDelete brings back the records of delete job jobID from its
// backup as import jobs; it returns the first one's ID as soon as it
// starts (the rest follow it; every one shows on the dashboard).
func (a *DeleteAPI) RestoreDelete(jobID string) (string, error) {
	started := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		_, err := a.service().Restore(a.ctx, jobID, "", func(id string) {
			select {
			case started <- id:
			default:
			}
		})
		done <- err
	}()
	select {
	case id := <-started:
		return id, nil
	case err := <-done:
		if err == nil {
			err = apperr.New(apperr.Internal, "the restore of job %s started no job", jobID)
		}
		return "", fail(err)
	}
}

func confirmation(c DeleteConfirmation) deletion.Confirmation {
	return deletion.Confirmation{Object: c.Object, Password: c.Password, Count: c.Count}
}

// withBackup adds a delete job's backup location to its summary.
func (a *App) withBackup(s JobSummary) JobSummary {
	if s.Kind == store.JobDelete {
		s.Backup = deletion.New(a.ws, a.jobs, deletion.Options{}).BackupOf(s.JobID)
	}
	return s
}
