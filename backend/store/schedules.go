package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"batchdesk/backend/apperr"

	"github.com/google/uuid"
)

// Schedule is a job that runs later, once or repeatedly. The schedule
// package parses Spec and computes NextRun; the store only keeps them.
type Schedule struct {
	ID          string          // a UUID set by SaveSchedule when empty
	Kind        string          // JobImport, JobExport or JobDelete
	Title       string          // what it runs, for lists ("export Account to ftp://…")
	Spec        string          // e.g. "daily 02:00", "weekly mon 02:00"
	Zone        string          // IANA zone name; "" = the computer's
	JobSettings json.RawMessage // what the job will be started with
	NextRun     time.Time       // zero when it will not run again
	LastRun     time.Time       // zero when it never ran
	Enabled     bool
	CreatedAt   time.Time
}

const scheduleCols = `id, kind, spec, zone, job_settings, next_run, last_run, enabled, created_at, title`

// SaveSchedule creates a schedule (ID empty or unknown) or replaces the
// one with the same ID, and returns it as stored.
func (s *Store) SaveSchedule(ctx context.Context, sc Schedule) (Schedule, error) {
	if !validKind(sc.Kind) {
		return Schedule{}, apperr.New(apperr.Invalid, "schedule kind must be import, export or delete, not %q", sc.Kind)
	}
	if sc.Spec == "" {
		return Schedule{}, apperr.New(apperr.Invalid, "a schedule needs a spec")
	}
	if len(sc.JobSettings) == 0 {
		sc.JobSettings = json.RawMessage("{}")
	}
	if !json.Valid(sc.JobSettings) {
		return Schedule{}, apperr.New(apperr.Invalid, "schedule job settings are not valid JSON")
	}
	if sc.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return Schedule{}, fmt.Errorf("save schedule: new id: %w", err)
		}
		sc.ID = id.String()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO schedules (`+scheduleCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title, spec = excluded.spec, zone = excluded.zone,
			job_settings = excluded.job_settings, next_run = excluded.next_run,
			last_run = excluded.last_run, enabled = excluded.enabled`,
		sc.ID, sc.Kind, sc.Spec, sc.Zone, string(sc.JobSettings), nullTime(sc.NextRun), nullTime(sc.LastRun),
		sc.Enabled, formatTime(now()), sc.Title)
	if err != nil {
		return Schedule{}, fmt.Errorf("save schedule %s: %w", sc.ID, err)
	}
	return s.GetSchedule(ctx, sc.ID)
}

// SetScheduleRuns records a run: lastRun and the next run (zero = none).
func (s *Store) SetScheduleRuns(ctx context.Context, id string, lastRun, nextRun time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE schedules SET last_run = ?, next_run = ? WHERE id = ?`,
		nullTime(lastRun), nullTime(nextRun), id)
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", id, err)
	}
	return affectedOne(res, "schedule", id)
}

// SetScheduleJob replaces what schedule id runs and its title, leaving its
// spec, runs and next run alone (a run claimed meanwhile is not undone).
// An unknown ID gives NotFound.
func (s *Store) SetScheduleJob(ctx context.Context, id, title string, settings json.RawMessage) error {
	if !json.Valid(settings) {
		return apperr.New(apperr.Invalid, "schedule job settings are not valid JSON")
	}
	res, err := s.db.ExecContext(ctx, `UPDATE schedules SET title = ?, job_settings = ? WHERE id = ?`, title, string(settings), id)
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", id, err)
	}
	return affectedOne(res, "schedule", id)
}

// GetSchedule returns the schedule with this ID, or code NotFound.
func (s *Store) GetSchedule(ctx context.Context, id string) (Schedule, error) {
	sc, err := scanSchedule(s.db.QueryRowContext(ctx, `SELECT `+scheduleCols+` FROM schedules WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return Schedule{}, notFound("schedule", id)
	}
	if err != nil {
		return Schedule{}, fmt.Errorf("get schedule %s: %w", id, err)
	}
	return sc, nil
}

// ListSchedules returns every schedule, soonest next run first (those with
// none last).
func (s *Store) ListSchedules(ctx context.Context) ([]Schedule, error) {
	return s.querySchedules(ctx, `SELECT `+scheduleCols+` FROM schedules
		ORDER BY next_run IS NULL, next_run, created_at`)
}

// DueSchedules returns the enabled schedules whose next run is at or before
// t, soonest first.
func (s *Store) DueSchedules(ctx context.Context, t time.Time) ([]Schedule, error) {
	return s.querySchedules(ctx, `SELECT `+scheduleCols+` FROM schedules
		WHERE enabled = 1 AND next_run IS NOT NULL AND next_run <= ? ORDER BY next_run`, formatTime(t))
}

// DeleteSchedule removes the schedule with this ID, or gives code NotFound.
func (s *Store) DeleteSchedule(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM schedules WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete schedule %s: %w", id, err)
	}
	return affectedOne(res, "schedule", id)
}

func (s *Store) querySchedules(ctx context.Context, q string, args ...any) ([]Schedule, error) {
	return queryAll(ctx, s.db, scanSchedule, "list schedules", q, args...)
}

func scanSchedule(r scanner) (Schedule, error) {
	var sc Schedule
	var settings string
	var next, last, created sql.NullString
	if err := r.Scan(&sc.ID, &sc.Kind, &sc.Spec, &sc.Zone, &settings, &next, &last, &sc.Enabled, &created, &sc.Title); err != nil {
		return Schedule{}, err
	}
	sc.JobSettings = json.RawMessage(settings)
	var err error
	if sc.NextRun, err = parseTime(next); err != nil {
		return Schedule{}, err
	}
	if sc.LastRun, err = parseTime(last); err != nil {
		return Schedule{}, err
	}
	if sc.CreatedAt, err = parseTime(created); err != nil {
		return Schedule{}, err
	}
	return sc, nil
}
