// Package crm defines the CRM target: the database an import writes to, an
// export reads from and a delete removes from. Two implementations exist:
// crm/postgres (a real CRM on PostgreSQL, via a pgx pool) and crm/sandbox (the
// same CRM in a local SQLite file). Both describe themselves as catalog
// objects, so everything above this package is target-agnostic; crm/crmdb
// holds what they share (table names, the demo CRM, the DDL of each dialect).
//
// In: a --crm value (ParseSpec) or a Spec. Out: an open Target (Open), the
// demo CRM installed (InstallDemo), the server's version (ServerVersion), a
// password check by fresh login (VerifyPassword). Both targets also have
// BeginRead (a consistent read for an export, see crm/query), which the
// export engine reaches through a small interface of its own; the delete and
// the import (backend/ingest/load) likewise declare the methods they use
// (DeleteBatch, ImportLedger, Lookup …) and check both targets implement
// them. The SQL that differs per backend lives in crm/postgres and
// crm/sandbox.
//
// Errors: ParseSpec and Open return *apperr.Error with code Invalid (bad spec
// or DSN), AuthFailed (wrong user name or password), Unavailable (unreachable
// host, missing database, unusable sandbox file); messages never hold a
// password. Object returns an error wrapping catalog.ErrUnknownObject.
package crm

import (
	"context"

	"batchdesk/backend/catalog"
)

// Kinds of target.
const (
	KindPostgres = "postgres"
	KindSandbox  = "sandbox"
)

// Target is an open CRM database.
type Target interface {
	// Kind is KindPostgres or KindSandbox.
	Kind() string
	// Describe names the target for people and logs, never with a password.
	Describe() string
	// Ping checks the connection is alive.
	Ping(ctx context.Context) error
	// Objects lists every object with its fields, sorted by API name.
	Objects(ctx context.Context) ([]catalog.Object, error)
	// Object returns one object by API name or table name.
	Object(ctx context.Context, name string) (*catalog.Object, error)
	// Close releases the connection.
	Close() error
}
