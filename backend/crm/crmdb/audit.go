package crmdb

import (
	"fmt"
	"strings"
)

// AuditEntry is one row of the CRM's audit log (table audit_log: id, at,
// actor_id, object, action, record_count, job_id, detail). id and at are
// filled by the database.
type AuditEntry struct {
	// ActorID is the acting user's id; "" means SystemUserID.
	ActorID string
	// Object is the object's API name, e.g. "Account".
	Object string
	// Action says what was done: "import_insert", "import_update",
	// "import_upsert" (the import's batches), "delete".
	Action string
	// Records is how many records the batch wrote or removed.
	Records int64
	// JobID is Batchdesk's job id.
	JobID string
	// Detail is free text for people (no passwords, no row data).
	Detail string
}

// InsertAudit returns the statement and arguments that write e in dialect d:
// the one audit INSERT of each dialect, used by the import's and the
// delete's batches. Run it in the transaction of the batch it describes.
// Only a CRM with the catalog tables (Object.FromCatalog) has an audit log.
func (d Dialect) InsertAudit(e AuditEntry) (string, []any) {
	actor := e.ActorID
	if actor == "" {
		actor = SystemUserID
	}
	cols := []string{"actor_id", "object", "action", "record_count", "job_id", "detail"}
	params := make([]string, len(cols))
	for i := range cols {
		cols[i], params[i] = QuoteIdent(cols[i]), d.Param(i+1)
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", d.Table(TableAuditLog),
		strings.Join(cols, ", "), strings.Join(params, ", "))
	return q, []any{actor, e.Object, e.Action, e.Records, e.JobID, e.Detail}
}
