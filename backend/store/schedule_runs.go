package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"batchdesk/backend/apperr"
)

// Outcomes of a schedule run.
const (
	RunClaimed = "claimed" // a process took the run and is starting its job
	RunStarted = "started" // its job started (JobID)
	RunSkipped = "skipped" // not started: the previous run was still going
	RunFailed  = "failed"  // its job could not be started (Note says why)
)

// ScheduleRun is one run of a schedule that a process claimed, linking the
// schedule to the job it started.
type ScheduleRun struct {
	ID         int64
	ScheduleID string
	Due        time.Time // the run time it is for (the moment of asking, for run-now)
	ClaimedAt  time.Time
	Outcome    string // one of the Run* constants
	JobID      string // the job it started, "" when none
	CaughtUp   bool   // it ran late because its time was missed
	Manual     bool   // started by run-now, not by the clock
	Note       string // e.g. "missed 02:00 on Mon 30 Nov while the computer was off"
	Runner     string // the process that claimed it, e.g. "pid 4242 on laptop"
}

const scheduleRunCols = `id, schedule_id, due_at, claimed_at, outcome, job_id, caught_up, manual, note, runner`

// ClaimScheduleRun takes the run of schedule id that is due at expectNext,
// by compare-and-set: it moves the schedule's next run to newNext (zero =
// none) and records run, only if the schedule is still enabled and its
// next run is still expectNext. claimed is false when another process (or
// a pause) got there first; then nothing is written.
func (s *Store) ClaimScheduleRun(ctx context.Context, id string, expectNext, newNext time.Time, run ScheduleRun) (ScheduleRun, bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return ScheduleRun{}, false, fmt.Errorf("claim schedule %s: %w", id, err)
	}
	defer tx.Rollback()
	run.ScheduleID = id
	if run.ClaimedAt.IsZero() {
		run.ClaimedAt = now()
	}
	res, err := tx.ExecContext(ctx, `UPDATE schedules SET next_run = ?, last_run = ?
		WHERE id = ? AND enabled = 1 AND next_run = ?`,
		nullTime(newNext), formatTime(run.ClaimedAt), id, formatTime(expectNext))
	if err != nil {
		return ScheduleRun{}, false, fmt.Errorf("claim schedule %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return ScheduleRun{}, false, err
	}
	if run, err = insertRun(ctx, tx, run); err != nil {
		return ScheduleRun{}, false, err
	}
	if err := tx.Commit(); err != nil {
		return ScheduleRun{}, false, fmt.Errorf("claim schedule %s: commit: %w", id, err)
	}
	return run, true, nil
}

// AddScheduleRun records a run that moves no next run (run-now).
func (s *Store) AddScheduleRun(ctx context.Context, run ScheduleRun) (ScheduleRun, error) {
	if run.ClaimedAt.IsZero() {
		run.ClaimedAt = now()
	}
	run, err := insertRun(ctx, s.db, run)
	if isForeignKey(err) {
		return ScheduleRun{}, notFound("schedule", run.ScheduleID)
	}
	return run, err
}

type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func insertRun(ctx context.Context, db execer, run ScheduleRun) (ScheduleRun, error) {
	if run.Outcome == "" {
		run.Outcome = RunClaimed
	}
	if !validOutcome(run.Outcome) {
		return ScheduleRun{}, apperr.New(apperr.Invalid, "unknown schedule run outcome %q", run.Outcome)
	}
	res, err := db.ExecContext(ctx, `INSERT INTO schedule_runs
		(schedule_id, due_at, claimed_at, outcome, job_id, caught_up, manual, note, runner)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		run.ScheduleID, formatTime(run.Due), formatTime(run.ClaimedAt), run.Outcome, run.JobID,
		run.CaughtUp, run.Manual, run.Note, run.Runner)
	if err != nil {
		return ScheduleRun{}, fmt.Errorf("record run of schedule %s: %w", run.ScheduleID, err)
	}
	if run.ID, err = res.LastInsertId(); err != nil {
		return ScheduleRun{}, fmt.Errorf("record run of schedule %s: %w", run.ScheduleID, err)
	}
	run.ClaimedAt = run.ClaimedAt.UTC().Truncate(time.Millisecond)
	run.Due = run.Due.UTC().Truncate(time.Millisecond)
	return run, nil
}

func validOutcome(o string) bool {
	return o == RunClaimed || o == RunStarted || o == RunSkipped || o == RunFailed
}

// FinishScheduleRun records what a claimed run became: its outcome, its job
// and a note (kept when note is "").
func (s *Store) FinishScheduleRun(ctx context.Context, runID int64, outcome, jobID, note string) error {
	if !validOutcome(outcome) {
		return apperr.New(apperr.Invalid, "unknown schedule run outcome %q", outcome)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE schedule_runs SET outcome = ?, job_id = ?,
		note = CASE WHEN ? = '' THEN note ELSE ? END WHERE id = ?`, outcome, jobID, note, note, runID)
	if err != nil {
		return fmt.Errorf("update schedule run %d: %w", runID, err)
	}
	return affectedOne(res, "schedule run", fmt.Sprint(runID))
}

// ScheduleRuns lists a schedule's runs, newest first (limit 0 = 20).
func (s *Store) ScheduleRuns(ctx context.Context, scheduleID string, limit int) ([]ScheduleRun, error) {
	if limit <= 0 {
		limit = 20
	}
	return queryAll(ctx, s.db, scanRun, "list schedule runs", `SELECT `+scheduleRunCols+` FROM schedule_runs
		WHERE schedule_id = ? ORDER BY id DESC LIMIT ?`, scheduleID, limit)
}

// LastStartedRun is the schedule's newest run that started a job; ok is
// false when none did.
func (s *Store) LastStartedRun(ctx context.Context, scheduleID string) (ScheduleRun, bool, error) {
	r, err := scanRun(s.db.QueryRowContext(ctx, `SELECT `+scheduleRunCols+` FROM schedule_runs
		WHERE schedule_id = ? AND outcome = 'started' ORDER BY id DESC LIMIT 1`, scheduleID))
	if err == sql.ErrNoRows {
		return ScheduleRun{}, false, nil
	}
	if err != nil {
		return ScheduleRun{}, false, fmt.Errorf("last run of schedule %s: %w", scheduleID, err)
	}
	return r, true, nil
}

// RunOfJob is the schedule run that started job jobID; ok is false for a
// job no schedule started.
func (s *Store) RunOfJob(ctx context.Context, jobID string) (ScheduleRun, bool, error) {
	r, err := scanRun(s.db.QueryRowContext(ctx, `SELECT `+scheduleRunCols+` FROM schedule_runs
		WHERE job_id = ? ORDER BY id DESC LIMIT 1`, jobID))
	if err == sql.ErrNoRows || jobID == "" {
		return ScheduleRun{}, false, nil
	}
	if err != nil {
		return ScheduleRun{}, false, fmt.Errorf("schedule of job %s: %w", jobID, err)
	}
	return r, true, nil
}

// SetScheduleEnabled pauses (false) or resumes (true) a schedule, setting
// its next run (zero = none). An unknown ID gives NotFound.
func (s *Store) SetScheduleEnabled(ctx context.Context, id string, enabled bool, nextRun time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE schedules SET enabled = ?, next_run = ? WHERE id = ?`,
		enabled, nullTime(nextRun), id)
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", id, err)
	}
	return affectedOne(res, "schedule", id)
}

func scanRun(r scanner) (ScheduleRun, error) {
	var run ScheduleRun
	var due, claimed sql.NullString
	if err := r.Scan(&run.ID, &run.ScheduleID, &due, &claimed, &run.Outcome, &run.JobID,
		&run.CaughtUp, &run.Manual, &run.Note, &run.Runner); err != nil {
		return ScheduleRun{}, err
	}
	var err error
	if run.Due, err = parseTime(due); err != nil {
		return ScheduleRun{}, err
	}
	if run.ClaimedAt, err = parseTime(claimed); err != nil {
		return ScheduleRun{}, err
	}
	return run, nil
}
