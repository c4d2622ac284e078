// Package sandbox is the CRM target in a local SQLite file: the demo CRM's
// tables, catalog and data, with the same constraints as on PostgreSQL
// (foreign keys, unique, CHECKs for picklists and for every value shape; see
// crmdb.Dialect for how each type is stored). It uses modernc.org/sqlite
// (pure Go; driver name "sqlite").
//
// In: a file path. Out: a *Target; a missing or empty file becomes a new
// sandbox with the demo CRM installed. Errors: Open returns *apperr.Error
// with code Unavailable (file cannot be opened) or Invalid (a SQLite file that
// is not a sandbox).
package sandbox

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/demo"
)

// Kind is the target kind (equal to crm.KindSandbox).
const Kind = "sandbox"

// Target is a CRM in a SQLite file. It is safe for concurrent use.
type Target struct {
	db   *sql.DB
	path string
}

// DSN returns the database/sql data source name for a sandbox file: foreign
// keys on for every connection, WAL, a 10 s busy timeout and BEGIN IMMEDIATE
// transactions (writers queue instead of failing on lock upgrade).
func DSN(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	return "file:" + esc + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// Open opens the sandbox at path. A missing or empty file is created and the
// demo CRM installed into it; a SQLite file without the CRM catalog tables is
// refused.
func Open(ctx context.Context, path string) (*Target, error) {
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "cannot open sandbox %s", path)
	}
	t := &Target{db: db, path: path}
	var tables, catalogs int
	err = db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE name = ?)
		FROM sqlite_schema WHERE type = 'table'`, crmdb.TableFields).Scan(&tables, &catalogs)
	if err != nil {
		db.Close()
		return nil, apperr.Wrap(err, apperr.Unavailable, "cannot open sandbox %s: %v", path, err)
	}
	switch {
	case tables == 0:
		if err := t.InstallDemo(ctx); err != nil {
			db.Close()
			return nil, apperr.Wrap(err, apperr.Unavailable, "cannot create sandbox %s: %v", path, err)
		}
	case catalogs == 0:
		db.Close()
		return nil, apperr.New(apperr.Invalid, "%s is a SQLite file but not a Batchdesk sandbox (no CRM catalog)", path)
	}
	return t, nil
}

// DB is the database handle, for the import, export and delete engines. Do
// not close it; Close the Target.
func (t *Target) DB() *sql.DB { return t.db }

// Path is the sandbox file.
func (t *Target) Path() string { return t.path }

// Kind returns "sandbox".
func (t *Target) Kind() string { return Kind }

// Describe names the target as "sandbox PATH".
func (t *Target) Describe() string { return "sandbox " + t.path }

// Ping checks the file is readable.
func (t *Target) Ping(ctx context.Context) error {
	if err := t.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sandbox %s: %w", t.path, err)
	}
	return nil
}

// Objects lists every object of the catalog tables, sorted by API name.
func (t *Target) Objects(ctx context.Context) ([]catalog.Object, error) {
	conn, err := t.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	defer conn.Close()
	return crmdb.SQLite.ReadCatalog(ctx, "", func(ctx context.Context, q string) (crmdb.Rows, func(), error) {
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			return nil, nil, err
		}
		return rows, func() { rows.Close() }, nil
	})
}

// Object returns one object by API name or table name; the error wraps
// catalog.ErrUnknownObject when there is none.
func (t *Target) Object(ctx context.Context, name string) (*catalog.Object, error) {
	objs, err := t.Objects(ctx)
	if err != nil {
		return nil, err
	}
	return catalog.Find(objs, name)
}

// ServerVersion returns e.g. "SQLite 3.50.4".
func (t *Target) ServerVersion(ctx context.Context) (string, error) {
	var v string
	if err := t.db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
		return "", fmt.Errorf("sqlite version: %w", err)
	}
	return "SQLite " + v, nil
}

// InstallDemo creates the demo CRM in one transaction. Running it again
// changes nothing.
func (t *Target) InstallDemo(ctx context.Context) error {
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("install demo crm: %w", err)
	}
	defer tx.Rollback()
	err = demo.Install(ctx, crmdb.SQLite, func(ctx context.Context, q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("install demo crm: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("install demo crm: %w", err)
	}
	return nil
}

// Close closes the database.
func (t *Target) Close() error { return t.db.Close() }
