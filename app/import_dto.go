package app

import (
	"batchdesk/backend/imports"
	"batchdesk/backend/imports/mapping"
)

// DTOs of the import flow, the jobs dashboard and presets. The frontend's
// types are generated from them (`make types`).

// FileRef names a CSV file on the machine running Go (a dropped or browsed
// path in the window, an uploaded file's path in browser mode) with the
// encoding and delimiter to read it with ("" = detect / sniff).
type FileRef struct {
	Path      string `json:"path"`
	Encoding  string `json:"encoding"`
	Delimiter string `json:"delimiter"`
}

// MappingSuggestion is the mapping step's starting point.
type MappingSuggestion struct {
	// Mapping holds the auto-accepted pairs (confidence ≥ AutoAccept).
	Mapping mapping.Mapping `json:"mapping"`
	// Suggestions has one entry per header, in header order, with the best
	// field (or "") and its confidence.
	Suggestions []mapping.Suggestion `json:"suggestions"`
	// Presets are saved presets whose headers match the file's.
	Presets []PresetSummary `json:"presets"`
}

// ImportRequest is everything an import (or its validation or rehearsal)
// needs. Mapping has the preset shape.
type ImportRequest struct {
	Connection string          `json:"connection"`
	Object     string          `json:"object"`
	Files      []FileRef       `json:"files"`
	Mapping    mapping.Mapping `json:"mapping"`
	BatchSize  int             `json:"batchSize"`
	// MasterKey is the master file's column holding each master's key, to
	// which detail rows refer (master–detail imports).
	MasterKey string          `json:"masterKey"`
	Details   []DetailRequest `json:"details"`
}

// DetailRequest is one detail object of a master–detail import.
type DetailRequest struct {
	Object  string          `json:"object"`
	Files   []FileRef       `json:"files"`
	Mapping mapping.Mapping `json:"mapping"`
	// MasterColumn is the detail file's column holding the master's key.
	MasterColumn string `json:"masterColumn"`
}

// ProblemQuery pages and filters the preview grid.
type ProblemQuery struct {
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
	Code   string `json:"code"`
	Column string `json:"column"`
}

// ProblemPage is one page of failing rows and the totals.
type ProblemPage = imports.ProblemPage

// JobSummary is one row of the jobs dashboard.
type JobSummary struct {
	JobID        string   `json:"jobId"`
	Kind         string   `json:"kind"` // import | export | delete
	Status       string   `json:"status"`
	Connection   string   `json:"connection"`
	Object       string   `json:"object"`
	Files        []string `json:"files"`
	ValidateOnly bool     `json:"validateOnly"`
	Rehearse     bool     `json:"rehearse"`
	Total        int64    `json:"total"`
	Succeeded    int64    `json:"succeeded"`
	Failed       int64    `json:"failed"`
	Added        int64    `json:"added"`       // of an import's Succeeded: records inserted
	Updated      int64    `json:"updated"`     // of an import's Succeeded: records updated
	SuccessRate  float64  `json:"successRate"` // 0..1; 0 when Total is 0
	CreatedAt    string   `json:"createdAt"`
	StartedAt    string   `json:"startedAt"`
	FinishedAt   string   `json:"finishedAt"`
	Seconds      float64  `json:"seconds"`
	RowsPerSec   float64  `json:"rowsPerSec"`
	HasErrors    bool     `json:"hasErrors"` // an error report exists
	Message      string   `json:"message"`
	Resumable    bool     `json:"resumable"`
	// Backup is where a delete job's backup is ("" for other jobs, or a
	// delete without one).
	Backup string `json:"backup"`
	// Destination is where an export went, as it described itself when
	// the job was made ("NAME (URL)" for a saved one, else the URL or
	// folder); DestinationKind is local, oss, ftp or sftp ("" when not an
	// export).
	Destination     string `json:"destination,omitempty"`
	DestinationKind string `json:"destinationKind,omitempty"`
	// ScheduleID is the schedule that started the job ("" when a person
	// did), ScheduleTitle what it is called ("" once removed).
	ScheduleID    string `json:"scheduleId,omitempty"`
	ScheduleTitle string `json:"scheduleTitle,omitempty"`
	// RestoreOf is, for an import job that restores a delete's backup, that
	// delete job ("" for every other job).
	RestoreOf string `json:"restoreOf,omitempty"`
	// Cascaded is how many detail records a delete job took with it (0
	// for other jobs, and for a delete that is not done).
	Cascaded int64 `json:"cascaded,omitempty"`
}

// JobFilter filters the dashboard list.
type JobFilter struct {
	Kind   string `json:"kind"`
	Status string `json:"status"`
	Limit  int    `json:"limit"`
}

// JobEvent is one entry of a job's log.
type JobEvent struct {
	At      string `json:"at"`
	Level   string `json:"level"`
	Message string `json:"message"`
}

// JobDetail is the job page.
type JobDetail struct {
	JobSummary
	Events []JobEvent `json:"events"`
	// ErrorReport is the report's path on the Go side ("" when none).
	ErrorReport string `json:"errorReport"`
	// ErrorReports are every object's report of an import (the master's
	// first, then each detail's), each downloadable by its object.
	ErrorReports []JobReport `json:"errorReports"`
	// Restores are the import jobs that restored a delete job's backup,
	// oldest first (empty for other jobs, or before any restore).
	Restores []JobRestore `json:"restores,omitempty"`
}

// JobRestore is one import job of a delete's restore and how it stands.
type JobRestore struct {
	JobID      string `json:"jobId"`
	Status     string `json:"status"`
	FinishedAt string `json:"finishedAt"`
	Succeeded  int64  `json:"succeeded"`
	Failed     int64  `json:"failed"`
}

// JobReport is one object's error report of a job.
type JobReport struct {
	// Object is the API name of the object whose failing rows it holds.
	Object string `json:"object"`
	// Name is the report's file name.
	Name string `json:"name"`
	// Rows is the failing rows in it.
	Rows int64 `json:"rows"`
}

// PresetSummary is one saved preset.
type PresetSummary struct {
	Name      string `json:"name"`
	Object    string `json:"object"`
	Mode      string `json:"mode"`
	Columns   int    `json:"columns"`
	UpdatedAt string `json:"updatedAt"`
}
