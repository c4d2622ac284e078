package load

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5/pgxpool"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/crm/sandbox"
)

// ledgerTarget is the data access of a CRM target the import needs on every
// backend: the resume ledger and the job's files, whose SQL lives in
// crm/postgres and crm/sandbox.
type ledgerTarget interface {
	crm.Target
	EnsureImportLedger(ctx context.Context) error
	ImportLedger(ctx context.Context, job, stage string) ([]crmdb.ImportBatch, error)
	ImportWritten(ctx context.Context, job string) (int64, error)
	RecordJobFiles(ctx context.Context, job string, files []crmdb.JobFile) error
	JobFiles(ctx context.Context, job string) ([]crmdb.JobFile, error)
}

// pgTarget is a PostgreSQL CRM (crm/postgres): its batches are written by
// COPY in transactions on its pool.
type pgTarget interface {
	ledgerTarget
	Pool() *pgxpool.Pool
}

// sqliteTarget is a sandbox CRM (crm/sandbox): its batches are written
// row by row in transactions on its database.
type sqliteTarget interface {
	ledgerTarget
	DB() *sql.DB
}

var (
	_ pgTarget     = (*postgres.Target)(nil)
	_ sqliteTarget = (*sandbox.Target)(nil)
)

// ledgerOf is target's resume ledger.
func ledgerOf(target crm.Target) (ledgerTarget, error) {
	lt, ok := target.(ledgerTarget)
	if !ok {
		return nil, apperr.New(apperr.Invalid, "cannot load into a %s target", target.Kind())
	}
	return lt, nil
}

// writerOf picks the batch writer of target's kind: exactly one of pg and
// lite is set.
func writerOf(target crm.Target) (pg pgTarget, lite sqliteTarget, err error) {
	switch target.Kind() {
	case crm.KindPostgres:
		pg, _ = target.(pgTarget)
	case crm.KindSandbox:
		lite, _ = target.(sqliteTarget)
	}
	if pg == nil && lite == nil {
		return nil, nil, apperr.New(apperr.Invalid, "cannot load into a %s target", target.Kind())
	}
	return pg, lite, nil
}
