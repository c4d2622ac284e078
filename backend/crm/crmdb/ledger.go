package crmdb

import (
	"errors"
	"time"
)

// ImportBatch is one committed import batch as the resume ledger of the
// CRM records it (crm/postgres: table batchdesk.ledger; crm/sandbox:
// batchdesk_ledger), written in the batch's own transaction so a resumed
// job skips exactly the batches that landed.
type ImportBatch struct {
	Job, Stage          string
	Seq                 int
	FirstLine, LastLine int64
	// Written is the records the batch wrote, Added those of them inserted.
	Written, Added int64
	// Errors are the batch's row problems as the loader encodes them (JSON).
	Errors string
}

// ErrBatchRecorded is returned when the ledger already holds a batch:
// another try of it committed.
var ErrBatchRecorded = errors.New("batch already recorded in the resume ledger")

// JobFile is one input file of an import job as the CRM records it beside
// the resume ledger (position = its order in the job), so a resume can
// refuse a file that changed.
type JobFile struct {
	Path    string
	Size    int64
	ModTime time.Time
	SHA256  string // hex; "" when not computed yet
}

// TeamMember is one user of a record's related team, with its role
// (RoleReadWrite or RoleReadOnly).
type TeamMember struct {
	RecordID, UserID, Role string
}
