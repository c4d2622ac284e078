package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"batchdesk/backend/apperr"

	"github.com/google/uuid"
)

// Job kinds.
const (
	JobImport = "import"
	JobExport = "export"
	JobDelete = "delete"
)

// Job statuses (see DESIGN.md §4).
const (
	StatusQueued      = "queued"
	StatusRunning     = "running"
	StatusDone        = "done"
	StatusFailed      = "failed"
	StatusInterrupted = "interrupted"
	StatusCanceled    = "canceled"
)

// Event levels.
const (
	LevelInfo  = "info"
	LevelWarn  = "warn"
	LevelError = "error"
)

// Job is one import, export or delete in the history.
type Job struct {
	ID          string // a time-ordered UUID (v7) set by CreateJob when empty
	Kind        string // JobImport, JobExport or JobDelete
	Status      string // one of the Status* constants
	Connection  string // the CRM connection's name or description (never a password)
	Object      string // target object's API name ("" for a full export)
	Settings    json.RawMessage
	Files       []JobFile
	Total       int64
	Succeeded   int64
	Failed      int64
	Added       int64  // of an import's Succeeded: records inserted
	Updated     int64  // of an import's Succeeded: records updated
	ErrorReport string // path of the error report CSV, "" when none
	Message     string // the last human-readable outcome
	CreatedAt   time.Time
	StartedAt   time.Time // zero until the job first runs
	FinishedAt  time.Time // zero until it ends (cleared when it runs again)
}

// JobFile is an input file of a job with the fingerprint that lets a resume
// refuse a file that changed, or an output file of an export (Path its
// location, Fingerprint its SHA-256, plus its name, object and rows).
type JobFile struct {
	Path        string    `json:"path"`
	Size        int64     `json:"size"`
	ModTime     time.Time `json:"modTime"`
	Fingerprint string    `json:"fingerprint"` // e.g. a SHA-256 of the content, hex
	// Name, Object and Rows describe an export's file; Archive names the
	// zip holding it (Path is then the zip's).
	Name    string `json:"name,omitempty"`
	Object  string `json:"object,omitempty"`
	Rows    int64  `json:"rows,omitempty"`
	Archive string `json:"archive,omitempty"`
}

// JobUpdate is a job's new state: Status and the counts are always written;
// Message and ErrorReport only when not empty.
type JobUpdate struct {
	Status      string
	Total       int64
	Succeeded   int64
	Failed      int64
	Added       int64
	Updated     int64
	Message     string
	ErrorReport string
}

// JobFilter narrows ListJobs; zero fields mean "any", Limit 0 means 100.
type JobFilter struct {
	Kind   string
	Status string
	Limit  int
}

// JobEvent is one line of a job's log.
type JobEvent struct {
	JobID   string
	At      time.Time
	Level   string // LevelInfo, LevelWarn or LevelError
	Message string
}

// Terminal reports whether status ends a run (done, failed, interrupted,
// canceled).
func Terminal(status string) bool {
	switch status {
	case StatusDone, StatusFailed, StatusInterrupted, StatusCanceled:
		return true
	}
	return false
}

func validStatus(s string) bool { return s == StatusQueued || s == StatusRunning || Terminal(s) }

func validKind(k string) bool { return k == JobImport || k == JobExport || k == JobDelete }

const jobCols = `id, kind, status, connection, object, settings, files, total, succeeded, failed,
	error_report, message, created_at, started_at, finished_at, added, updated`

// CreateJob records a new job and returns it with its ID, status (queued
// when empty) and creation time filled in.
func (s *Store) CreateJob(ctx context.Context, j Job) (Job, error) {
	if !validKind(j.Kind) {
		return Job{}, apperr.New(apperr.Invalid, "job kind must be import, export or delete, not %q", j.Kind)
	}
	if j.Status == "" {
		j.Status = StatusQueued
	}
	if !validStatus(j.Status) {
		return Job{}, apperr.New(apperr.Invalid, "unknown job status %q", j.Status)
	}
	if j.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return Job{}, fmt.Errorf("create job: new id: %w", err)
		}
		j.ID = id.String()
	}
	if len(j.Settings) == 0 {
		j.Settings = json.RawMessage("{}")
	}
	if !json.Valid(j.Settings) {
		return Job{}, apperr.New(apperr.Invalid, "job settings are not valid JSON")
	}
	if j.Files == nil {
		j.Files = []JobFile{}
	}
	files, err := json.Marshal(j.Files)
	if err != nil {
		return Job{}, fmt.Errorf("create job: encode files: %w", err)
	}
	if j.CreatedAt.IsZero() {
		j.CreatedAt = now()
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO jobs (`+jobCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		j.ID, j.Kind, j.Status, j.Connection, j.Object, string(j.Settings), string(files),
		j.Total, j.Succeeded, j.Failed, j.ErrorReport, j.Message,
		formatTime(j.CreatedAt), nullTime(j.StartedAt), nullTime(j.FinishedAt), j.Added, j.Updated)
	if isUnique(err) {
		return Job{}, apperr.Wrap(err, apperr.Conflict, "a job with ID %s already exists", j.ID)
	}
	if err != nil {
		return Job{}, fmt.Errorf("create job: %w", err)
	}
	return j, nil
}

// UpdateJob writes a job's status and counts. Becoming running sets
// StartedAt (first time only) and clears FinishedAt; a terminal status sets
// FinishedAt. An unknown ID gives code NotFound.
func (s *Store) UpdateJob(ctx context.Context, id string, u JobUpdate) error {
	if !validStatus(u.Status) {
		return apperr.New(apperr.Invalid, "unknown job status %q", u.Status)
	}
	t := formatTime(now())
	res, err := s.db.ExecContext(ctx, `UPDATE jobs SET
			status = ?1, total = ?2, succeeded = ?3, failed = ?4,
			message = CASE WHEN ?5 = '' THEN message ELSE ?5 END,
			error_report = CASE WHEN ?6 = '' THEN error_report ELSE ?6 END,
			started_at = CASE WHEN ?1 = 'running' AND started_at IS NULL THEN ?7 ELSE started_at END,
			finished_at = CASE WHEN ?1 = 'running' OR ?1 = 'queued' THEN NULL
				WHEN ?8 THEN ?7 ELSE finished_at END,
			added = ?10, updated = ?11
		WHERE id = ?9`,
		u.Status, u.Total, u.Succeeded, u.Failed, u.Message, u.ErrorReport, t, Terminal(u.Status), id, u.Added, u.Updated)
	if err != nil {
		return fmt.Errorf("update job %s: %w", id, err)
	}
	return affectedOne(res, "job", id)
}

// InterruptJob marks one job interrupted only if its status is still
// from (running or queued) and returns whether it did: a job that another
// process finished after the caller read its status keeps that status.
func (s *Store) InterruptJob(ctx context.Context, id, from, message string) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE jobs SET status = 'interrupted', finished_at = ?, message = ?
		WHERE id = ? AND status = ?`, formatTime(now()), message, id, from)
	if err != nil {
		return false, fmt.Errorf("mark job %s interrupted: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark job %s interrupted: %w", id, err)
	}
	return n == 1, nil
}

// InterruptRunningJobs marks every job still queued or running as
// interrupted — call it at start-up: those jobs' process is gone. It returns
// how many were marked.
func (s *Store) InterruptRunningJobs(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE jobs SET status = 'interrupted', finished_at = ?,
			message = 'interrupted: Batchdesk stopped while the job was running'
		WHERE status IN ('queued', 'running')`, formatTime(now()))
	if err != nil {
		return 0, fmt.Errorf("mark interrupted jobs: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("mark interrupted jobs: %w", err)
	}
	return int(n), nil
}

// GetJob returns the job with this ID, or code NotFound.
func (s *Store) GetJob(ctx context.Context, id string) (Job, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return Job{}, notFound("job", id)
	}
	if err != nil {
		return Job{}, fmt.Errorf("get job %s: %w", id, err)
	}
	return j, nil
}

// ListJobs returns jobs newest first, filtered by f.
func (s *Store) ListJobs(ctx context.Context, f JobFilter) ([]Job, error) {
	var where []string
	var args []any
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	q := `SELECT ` + jobCols + ` FROM jobs`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q += " ORDER BY created_at DESC, id DESC LIMIT ?"
	args = append(args, limit)
	return queryAll(ctx, s.db, scanJob, "list jobs", q, args...)
}

// AddJobEvent appends a line to a job's log; an unknown job gives NotFound.
func (s *Store) AddJobEvent(ctx context.Context, jobID, level, message string) error {
	if level != LevelInfo && level != LevelWarn && level != LevelError {
		return apperr.New(apperr.Invalid, "event level must be info, warn or error, not %q", level)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO job_events (job_id, at, level, message) VALUES (?, ?, ?, ?)`,
		jobID, formatTime(now()), level, message)
	if isForeignKey(err) {
		return notFound("job", jobID)
	}
	if err != nil {
		return fmt.Errorf("add event to job %s: %w", jobID, err)
	}
	return nil
}

// JobEvents returns a job's log, oldest first.
func (s *Store) JobEvents(ctx context.Context, jobID string) ([]JobEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT job_id, at, level, message FROM job_events WHERE job_id = ? ORDER BY id`, jobID)
	if err != nil {
		return nil, fmt.Errorf("job %s events: %w", jobID, err)
	}
	defer rows.Close()
	var out []JobEvent
	for rows.Next() {
		var e JobEvent
		var at sql.NullString
		if err := rows.Scan(&e.JobID, &at, &e.Level, &e.Message); err != nil {
			return nil, fmt.Errorf("job %s events: %w", jobID, err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("job %s events: %w", jobID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("job %s events: %w", jobID, err)
	}
	return out, nil
}

func scanJob(r scanner) (Job, error) {
	var j Job
	var settings, files string
	var created, started, finished sql.NullString
	if err := r.Scan(&j.ID, &j.Kind, &j.Status, &j.Connection, &j.Object, &settings, &files,
		&j.Total, &j.Succeeded, &j.Failed, &j.ErrorReport, &j.Message, &created, &started, &finished, &j.Added, &j.Updated); err != nil {
		return Job{}, err
	}
	j.Settings = json.RawMessage(settings)
	if err := json.Unmarshal([]byte(files), &j.Files); err != nil {
		return Job{}, fmt.Errorf("job %s: decode files: %w", j.ID, err)
	}
	var err error
	if j.CreatedAt, err = parseTime(created); err != nil {
		return Job{}, err
	}
	if j.StartedAt, err = parseTime(started); err != nil {
		return Job{}, err
	}
	if j.FinishedAt, err = parseTime(finished); err != nil {
		return Job{}, err
	}
	return j, nil
}

// ClaimJob marks the job running for a new run and records its owner, in
// one transaction: it reads the job and the setting ownerKey, lets allow
// refuse (its error is returned as is), then compares and sets the job's
// status (still what was read) to running and ownerKey to owner. SQLite
// runs one such write transaction at a time (the store begins them
// IMMEDIATE), so of two claims at once the second reads the first's claim.
// The counts are kept; StartedAt is set the first time, FinishedAt cleared.
// An unknown ID gives code NotFound; a lost race gives code Conflict.
func (s *Store) ClaimJob(ctx context.Context, id, ownerKey, owner string, allow func(j Job, currentOwner string) error) (Job, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Job{}, fmt.Errorf("claim job %s: %w", id, err)
	}
	defer tx.Rollback()
	j, err := scanJob(tx.QueryRowContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return Job{}, notFound("job", id)
	}
	if err != nil {
		return Job{}, fmt.Errorf("claim job %s: %w", id, err)
	}
	var current string
	err = tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, ownerKey).Scan(&current)
	if err != nil && err != sql.ErrNoRows {
		return Job{}, fmt.Errorf("claim job %s: %w", id, err)
	}
	if err := allow(j, current); err != nil {
		return Job{}, err
	}
	t := formatTime(now())
	res, err := tx.ExecContext(ctx, `UPDATE jobs SET status = 'running', message = 'running',
			started_at = COALESCE(started_at, ?1), finished_at = NULL
		WHERE id = ?2 AND status = ?3`, t, id, j.Status)
	if err != nil {
		return Job{}, fmt.Errorf("claim job %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return Job{}, apperr.New(apperr.Conflict, "job %s was started by another process at the same time", id)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, ownerKey, owner); err != nil {
		return Job{}, fmt.Errorf("claim job %s: record owner: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return Job{}, fmt.Errorf("claim job %s: %w", id, err)
	}
	j.Status, j.Message, j.FinishedAt = StatusRunning, "running", time.Time{}
	if j.StartedAt.IsZero() {
		j.StartedAt, _ = time.Parse(timeLayout, t)
	}
	return j, nil
}
