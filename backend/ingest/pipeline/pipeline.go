// Package pipeline is the one entry point of an import: it drives
// source → mapping → validate → load for the jobs registry, the CLI and the
// UI.
//
// In: a Request (target CRM, object, a mapping.Mapping, files, options)
// and a progress callback. Each record is checked by the validate package
// (types, required, formats, value maps, blank meaning, duplicate keys in
// the file); good rows go in batches to the load package, which resolves
// lookups in bulk and writes them. Out: a Result (counts, the error
// report's path, problems by stable code and by field). Validate-only
// (the preview) also resolves lookups and update keys against the CRM,
// read-only, so references that point nowhere show before anything is
// sent. Run starts a job; Resume continues a job with the same
// JobID after a crash, a kill or a lost connection, skipping the batches the
// CRM's resume ledger says are committed, and refuses (apperr Conflict,
// wrapping load.ErrFileChanged) when a file changed.
//
// Reading and validation run in one goroutine, feeding batches through a
// channel to Workers goroutines that each load one batch at a time (one
// transaction each). Cancel through ctx: the job stops after the batches in
// flight, stays resumable, and the error satisfies
// errors.Is(err, context.Canceled).
//
// Errors: *apperr.Error for a job that cannot run (Invalid: bad request or
// mapping; TooLarge/Invalid from the source for a bad file; Conflict: resume
// refused), load.ErrInterrupted (wrapped) when the connection was lost for
// good — Result.Interrupted is then true — and ctx's error when canceled.
// Row problems are never errors: they are counted and written to the error
// report.
package pipeline

import (
	"context"
	"time"

	"batchdesk/backend/crm"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/source"
)

// Request describes one import job.
type Request struct {
	// Target is the open CRM.
	Target crm.Target
	// Object is the target object's API name (or table name); "" takes
	// Mapping.Object.
	Object string
	// Mapping says which column goes to which field, the mode, the key,
	// value maps, formats, blank meaning and lookup modes.
	Mapping mapping.Mapping
	// Files are the CSV files, all with the same layout.
	Files []string
	// Source is how every file is read: its size limit (0 = the default
	// 100 MiB), the bounds of one value, one row and the columns of a row
	// (zero = the source package's defaults), and the encoding and
	// delimiter (zero = detect / sniff) of files Formats does not name.
	Source source.Options
	// Formats are the encoding and delimiter of the files read otherwise
	// than Source says, by their path (master and detail files alike).
	Formats map[string]source.Format
	// BatchSize is the number of rows per batch (0 = 5,000).
	BatchSize int
	// Workers is the number of batches loaded in parallel (0 =
	// runtime.NumCPU(); always 1 on the sandbox and when rehearsing).
	Workers int
	// Zone reads datetimes without a zone when Mapping.Zone is "" (nil =
	// time.Local).
	Zone *time.Location
	// Rehearse loads everything in one transaction and rolls it back.
	Rehearse bool
	// ValidateOnly reads and validates without touching the CRM.
	ValidateOnly bool
	// JobID names the job in the CRM's resume ledger and audit log. Needed
	// for Resume; "" makes the job not resumable.
	JobID string
	// Hashes holds the hex SHA-256 of input files the caller has already
	// hashed (by path as given in Files); files found here are not read a
	// second time for the resume ledger's file stamps.
	Hashes map[string]string
	// ErrorsPath is where the error report is written ("" = no report).
	ErrorsPath string
	// MasterKey is the column of the master file holding each master row's
	// key, which detail files refer to (master–detail import).
	MasterKey string
	// Details are detail files imported after the master, in one job.
	Details []Detail
	// MasterIDs are masters already in the CRM by their key (as a detail's
	// master column writes it): an earlier job's Result.MasterIDs, so a
	// restart of failed detail rows links them to the masters written then.
	MasterIDs map[string]string
	// OnFailedRow, when set, is called for each row as it fails —
	// validation problems as they are found, server rejections as their
	// batch returns — with the row's original cells, whether or not an
	// error report is written. Calls never overlap; a slow hook slows the
	// job.
	OnFailedRow func(FailedRow)
}

// Detail is one detail object of a master–detail import.
type Detail struct {
	// Object is the detail object (its master–detail field points at the
	// Request's object).
	Object string `json:"object"`
	// Files are its CSV files.
	Files []string `json:"files"`
	// Mapping maps its columns (insert mode). MasterColumn need not be in
	// it: it always fills the detail's field that refers to the master.
	Mapping mapping.Mapping `json:"mapping"`
	// MasterColumn is the column holding the master's key (as in the master
	// file's MasterKey column, or a key of a master already in the CRM,
	// looked up like any lookup).
	MasterColumn string `json:"masterColumn,omitempty"`
}

// Phases of Progress.Phase.
const (
	PhaseValidate = "validate"
	PhaseLoad     = "load"
	PhaseDone     = "done"
)

// Progress is reported at most every ~100 ms (ProgressInterval), plus
// once at the end.
type Progress struct {
	Phase                 string
	BytesRead, BytesTotal int64
	// Rows is the records read; Succeeded and Failed the rows written and
	// the rows that failed (validation or server) so far.
	Rows, Succeeded, Failed int64
}

// Result is the outcome of a job.
type Result struct {
	// Total is the data records read (all files, details included).
	Total, Succeeded, Failed int64
	// Added and Updated split Succeeded (when loading): the records
	// inserted and the records updated.
	Added, Updated int64
	// Blank is the rows skipped because all their cells are empty (not in
	// Total).
	Blank int64
	// ErrorsFile is the master's (or only) error report's path; when no
	// master row failed, the first detail report's ("" when no row failed).
	ErrorsFile string
	// ErrorsFiles are all the error reports written, one per object whose
	// rows failed: the master's first, then the details' in request order.
	ErrorsFiles []ReportFile
	// ProblemsByCode and ProblemsByColumn count row problems by stable code
	// (validate.Code values and load's Code* constants) and by field API
	// name (or column header when no field; "" for a row problem).
	ProblemsByCode   map[string]int64
	ProblemsByColumn map[string]int64
	// Interrupted is true when the job stopped on a lost connection (it
	// can be resumed).
	Interrupted bool
	// MasterIDs are, in a master–detail import, the records of the masters
	// written whose details failed, by key: what a restart of the failed
	// rows needs as Request.MasterIDs.
	MasterIDs map[string]string
}

// ReportFile is one object's error report.
type ReportFile struct {
	// Object is the API name of the object whose rows it holds.
	Object string
	// Path is the report's path.
	Path string
	// Rows is the failing rows it holds.
	Rows int64
}

// Run runs an import job.
func Run(ctx context.Context, req Request, progress func(Progress)) (Result, error) {
	return run(ctx, req, progress, false)
}

// Resume continues the job req.JobID: committed batches are skipped by the
// CRM's ledger, so no row is written twice. It refuses, before writing
// anything, when a file is not the one the job started with.
func Resume(ctx context.Context, req Request, progress func(Progress)) (Result, error) {
	return run(ctx, req, progress, true)
}
