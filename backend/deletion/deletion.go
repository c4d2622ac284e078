// Package deletion deletes the records of one CRM object in bulk without
// surprises (DESIGN §1 Delete): a preview with the exact count and what goes
// with the records, checks that really check, a backup first, batches that
// resume after a crash, and a restore.
//
// In: a Request (CRM, object, all records or a filter, options) and a
// Confirmation (the password, the typed object name, the typed count).
// Out: a Preview (Service.Preview, also `delete --dry-run`), or a delete job
// in the history (Service.Start) that
//   - captures the ids of the records in one snapshot into
//     reports/<jobId>/ids.txt (fsynced, its SHA-256 in the job's settings),
//     so a resume deletes exactly that set;
//   - writes the backup export (reports/<jobId>/backup.zip or BackupTo) and
//     checks its rows per object against the counts of the same snapshot;
//   - deletes in batches of BatchSize ids, each one transaction on the CRM
//     with one audit-log entry and a ledger row, so `jobs resume ID` skips
//     exactly the batches that committed.
//
// The API the delete page calls: Preview (what would go, and which second
// check applies), Start (checks, then the job), Resume, Restore (the backup
// back through the import service), Schedule (checks now, a ceiling for
// every run), BackupOf; StartScheduled and Launcher run a schedule's runs.
//
// Errors are *apperr.Error: Invalid (bad request, unknown object, hostile
// names), AuthFailed (wrong password), Conflict (not confirmed, blocked
// records without SkipBlocked, a count that changed, a job that cannot be
// resumed, a schedule's ceiling exceeded), Unavailable (CRM unreachable).
// A refused check is recorded in the history as a failed delete job.
package deletion

import (
	"batchdesk/backend/jobs"
	"batchdesk/backend/workspace"
)

// DefaultBatchSize is how many ids one delete transaction takes.
const DefaultBatchSize = 5000

// Request says what to delete.
type Request struct {
	// CRM is a saved connection's name or a --crm value.
	CRM string `json:"crm"`
	// Object is the API name (or table name) of the object.
	Object string `json:"object"`
	// All deletes every record; otherwise Where selects them.
	All   bool   `json:"all,omitempty"`
	Where string `json:"where,omitempty"`
	// SkipBlocked deletes the records no reference holds and reports the
	// others, instead of refusing.
	SkipBlocked bool `json:"skipBlocked,omitempty"`
	// NoBackup switches the backup off (recorded in the history).
	NoBackup bool `json:"noBackup,omitempty"`
	// BackupTo is a destination for the backup instead of the job's
	// reports folder.
	BackupTo string `json:"backupTo,omitempty"`
	// BatchSize is ids per transaction (0: DefaultBatchSize).
	BatchSize int `json:"batchSize,omitempty"`
	// MaxCount, when > 0, refuses a run that would delete more records
	// (the ceiling of a scheduled delete).
	MaxCount int64 `json:"maxCount,omitempty"`
}

// Confirmation is what the person typed.
type Confirmation struct {
	// Password is the connection's password, checked by a fresh login.
	Password string `json:"-"`
	// Object must be the object's API name.
	Object string `json:"object"`
	// Count is the exact count, required where no password can be checked
	// (trust authentication, the sandbox); -1 or 0 when not given.
	Count int64 `json:"count"`
}

// Options tune a Service.
type Options struct {
	// Backup writes a delete's backup; nil uses the export engine.
	Backup Backuper
}

// Service runs deletes as jobs of one registry. It is safe for concurrent
// use.
type Service struct {
	ws   *workspace.Workspace
	jobs *jobs.Registry
	opt  Options
}

// New returns a Service over an open workspace and a job registry.
func New(ws *workspace.Workspace, reg *jobs.Registry, opt Options) *Service {
	s := &Service{ws: ws, jobs: reg, opt: opt}
	if s.opt.Backup == nil {
		s.opt.Backup = s.exportBackup
	}
	return s
}
