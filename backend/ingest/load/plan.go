// Package load writes validated rows into a CRM target in batches: the last
// stage of the import (source → mapping → validate → load).
//
// In: a Plan (object, mapped columns, mode, key, job id) and Batches of typed
// rows (Row.Values lines up with Plan.Columns). Out: one BatchResult per
// batch — rows written, and a RowError (file line, stable code, plain-words
// reason) for every row that could not be written.
//
// The target is reached through interfaces declared here (target.go) and
// implemented, compile-checked, by crm/postgres and crm/sandbox, which hold
// the SQL that differs per backend besides the batch writers: the resume
// ledger and job files, bulk lookups, related teams, the table catalog;
// identifiers are quoted by crmdb.QuoteIdent and audit entries written by
// crmdb's InsertAudit. The batch writers (the COPY/staging/isolation of
// pg.go, isolate.go, copy*.go and the row statements of sqlite.go) are
// still here.
//
// On PostgreSQL (crm/postgres) an insert batch goes through one COPY, encoded here by the table's real
// column types: binary when every column type has an encoder here, else
// text format (text[], bytea, inet, interval, money, tsvector, ranges,
// extension types …), which the server parses with each type's own input
// function. A value that cannot be encoded at all is its row's problem,
// never the batch's. Update and upsert go through a temporary staging
// table and one set-based UPDATE … FROM per batch. Each batch is one
// transaction that also writes one audit-log row (actor System, catalog
// CRMs only) and one resume-ledger row, so a batch is either wholly
// committed and recorded, or not at all: on resume the ledger (schema
// "batchdesk"), not the target table, says which batches are done. A batch
// the server refuses is isolated (see isolate.go): existing keys are
// checked in bulk, then probes that are always rolled back find the other
// bad rows, so however many rows are bad the server holds a constant
// number of subtransactions and locks. Their SQLSTATE is translated into
// words (see Reason). Client-side encoding and protocol errors are never
// taken for a lost connection; a deadlock with another import retries the
// batch. The sandbox (crm/sandbox) writes row by row with prepared
// statements and a batchdesk_ledger table.
//
// Lookups, owners, master–detail and related-team cells given as text are
// resolved in bulk per batch (one query per column and step) by ID, unique
// field or primary attribute, and cached across batches; no match or several
// matches is a row error, never a guess.
//
// Errors: New returns *apperr.Error (code Invalid) for a plan that cannot be
// run — e.g. key "primary" on an object without a primary attribute. Load
// returns row problems in BatchResult; its error is for the batch as a whole:
// ErrInterrupted (connection lost after retries) or the context's error.
//
// Failpoints (tests only): BATCHDESK_FAILPOINT=name:N kills the process with
// SIGKILL at that point of batch N — see Failpoint names.
package load

import (
	"errors"
	"time"

	"batchdesk/backend/catalog"
)

// Mode says what a batch does with its rows.
type Mode string

// The import modes of DESIGN §1.2.
const (
	Insert Mode = "insert" // add new records
	Update Mode = "update" // update existing records found by the key
	Upsert Mode = "upsert" // update when the key matches one record, else add
)

// Key kinds besides a field's API name (DESIGN §1.3).
const (
	KeyID      = "id"      // the record ID
	KeyPrimary = "primary" // the primary attribute (may be non-unique)
)

// Ways to resolve a reference given as text (DESIGN §1.12).
const (
	ByID      = "id"      // the referenced record's ID
	ByUnique  = "unique"  // any unique field of the referenced object
	ByPrimary = "primary" // the primary attribute
	ByAuto    = "auto"    // ID, then unique fields, then the primary attribute
)

// Column is one mapped column of the batch: Row.Values[i] goes to
// Plan.Columns[i].
type Column struct {
	// Field is the target field.
	Field catalog.Field
	// Resolve is how a text value of a lookup, owner, master–detail or
	// related-team field is turned into record IDs (ByID, ByUnique,
	// ByPrimary, ByAuto, or a field API name of the referenced object). ""
	// means ByAuto for reference fields; other fields ignore it.
	Resolve string
	// MasterKeys, for the master–detail column of a detail object imported
	// with its master in one job, maps the master's key (as written in the
	// master file) to the new master record. Keys not found there are
	// resolved in the CRM like any lookup.
	MasterKeys *KeyMap
}

// Plan says what to write and how.
type Plan struct {
	// Object is the target object (from crm.Target.Object).
	Object *catalog.Object
	// Columns are the mapped fields, in Row.Values order.
	Columns []Column
	// Mode is Insert, Update or Upsert ("" = Insert).
	Mode Mode
	// Key identifies records for Update/Upsert: KeyID, KeyPrimary or a
	// field API name. The key field must be one of Columns.
	Key string
	// JobID names the job in the resume ledger and the audit log. Empty: no
	// ledger (nothing is resumable).
	JobID string
	// Stage separates the batch numbers of several objects of one job
	// (master and details); "" for a single object.
	Stage string
	// Rehearse runs every batch in one transaction that Close rolls back.
	// Workers must then call Load one at a time.
	Rehearse bool
	// Session, when set, is a rehearsal shared with other plans of the job
	// (a master and its details): batches run inside its transaction and
	// only Session.Close rolls them back. It implies Rehearse.
	Session *Rehearsal
	// RecordKeys, when set, receives the ID of every written record under its
	// Row.Key (a master's key for its details).
	RecordKeys *KeyMap
	// Now is the time written to unmapped created_at/last_modified_at
	// (zero: time.Now() per batch).
	Now time.Time
}

// Row is one record to write.
type Row struct {
	// Line is the file line the record starts on (the header is line 1).
	Line int64
	// Values line up with Plan.Columns: the typed values of
	// validate.Row.Values (nil for NULL; validate.Keep for a blank cell that
	// leaves the stored value alone on update — written as NULL when the row
	// is inserted); for reference columns the text to resolve (string) or an
	// ID; for related-team columns a []string or a "a;b" string of users.
	Values []any
	// Key is the row's key for Plan.RecordKeys ("" = not recorded).
	Key string
}

// Batch is a numbered group of rows, written in one transaction.
type Batch struct {
	// Seq numbers the batches of one stage from 1, in file order. It is the
	// ledger's batch number: the same file and plan must give the same Seq
	// to the same rows on resume.
	Seq  int
	Rows []Row
}

// RowError is a row that could not be written.
type RowError struct {
	Line int64
	// Code is a stable problem code (CodeUnique, CodeNoMatch, …).
	Code string
	// Column is the field API name the problem is about ("" when unknown).
	Column string
	// Message says in plain words what is wrong.
	Message string
}

// BatchResult is what one batch did.
type BatchResult struct {
	Seq     int
	Written int64
	// Added and Updated split Written: the records inserted and the
	// records updated (an upsert has both; insert only Added, update only
	// Updated).
	Added, Updated int64
	Errors         []RowError
	// Skipped is true when the ledger says an earlier run committed this
	// batch; Written and Errors are then those recorded by that run.
	Skipped bool
}

// Stable codes of RowError.Code.
const (
	CodeUnique      = "unique_violation"
	CodeForeignKey  = "foreign_key_violation"
	CodeCheck       = "check_violation"
	CodeNotNull     = "not_null_violation"
	CodeTooLong     = "value_too_long"
	CodeBadValue    = "invalid_value"
	CodeOutOfRange  = "out_of_range"
	CodeNoPartition = "no_partition" // a partitioned table has no partition for the row
	CodeRejected    = "rejected"     // other server rejection
	CodeNoMatch     = "no_match"
	CodeAmbiguous   = "several_matches"
	CodeMaster      = "master_failed"
)

// Sentinel errors of Load; use errors.Is.
var (
	// ErrInterrupted: the connection was lost and retries did not bring it
	// back; the job is resumable.
	ErrInterrupted = errors.New("import interrupted")
	// ErrLedgerMismatch: the ledger holds a batch with this number but other
	// file lines: the file or plan changed since the first run.
	ErrLedgerMismatch = errors.New("resume ledger does not match the file")
)
