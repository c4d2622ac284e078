// Package postgres is the CRM target on a PostgreSQL server, over a pgx pool.
//
// In: a postgres:// URL (password in the URL, in the override, in PGPASSWORD
// or ~/.pgpass). Out: a *Target whose metadata comes from the CRM's catalog
// tables in schema crm when they exist, otherwise from PostgreSQL's own
// catalog for the schema first in the URL's search_path (default public).
//
// Errors: Open returns *apperr.Error — Invalid (bad URL), AuthFailed (wrong
// user or password), Unavailable (host unreachable, server
// refusing), NotFound (the server answered but has no such database).
// Messages name host:port and database, never a password.
package postgres

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/demo"
)

// Kind is the target kind (equal to crm.KindPostgres).
const Kind = "postgres"

// DefaultConnectTimeout bounds a connection attempt when the URL sets none.
const DefaultConnectTimeout = 10 * time.Second

// Target is a CRM in a PostgreSQL database. It is safe for concurrent use.
type Target struct {
	pool     *pgxpool.Pool
	where    string // host:port
	database string
	user     string
	// urlSchema is the first schema of the URL's search_path, or "public".
	urlSchema string

	mu     sync.Mutex
	schema string // where objects are read from: crm or urlSchema
}

// Open connects to the database of dsn and checks the login. A non-empty
// password overrides the URL's.
func Open(ctx context.Context, dsn, password string) (*Target, error) {
	cfg, err := parseConfig(dsn, password)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, classify(err, cfg.ConnConfig, password)
	}
	t := &Target{pool: pool, where: hostPort(cfg.ConnConfig), database: cfg.ConnConfig.Database,
		user: cfg.ConnConfig.User, urlSchema: firstSchema(cfg.ConnConfig.RuntimeParams["search_path"])}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, classify(err, cfg.ConnConfig, password)
	}
	if _, err := t.refreshSchema(ctx); err != nil {
		pool.Close()
		return nil, classify(err, cfg.ConnConfig, password)
	}
	return t, nil
}

func parseConfig(dsn, password string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, invalidDSN(err, dsn, password)
	}
	if password != "" {
		cfg.ConnConfig.Password = password
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	return cfg, nil
}

// firstSchema returns the first schema named by a search_path setting,
// skipping "$user"; "public" when there is none.
func firstSchema(searchPath string) string {
	for _, s := range strings.Split(searchPath, ",") {
		s = strings.TrimSpace(s)
		if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
			s = strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
		}
		if s != "" && s != "$user" {
			return s
		}
	}
	return "public"
}

// Kind returns "postgres".
func (t *Target) Kind() string { return Kind }

// Describe names the target as "PostgreSQL user@host:port/database".
func (t *Target) Describe() string {
	return fmt.Sprintf("PostgreSQL %s@%s/%s", t.user, t.where, t.database)
}

// Pool is the connection pool, for COPY and queries by the import, export and
// delete engines. Do not close it; Close the Target.
func (t *Target) Pool() *pgxpool.Pool { return t.pool }

// Schema is the schema objects are read from: "crm" when the CRM's catalog
// tables exist there, otherwise the first schema of the URL's search_path
// (default "public"). It is also set on every returned catalog.Object.
func (t *Target) Schema() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.schema
}

// refreshSchema decides Schema() anew and reports whether the CRM catalog
// tables exist.
func (t *Target) refreshSchema(ctx context.Context) (bool, error) {
	var has bool
	err := t.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p'))`,
		crmdb.PGSchema, crmdb.TableFields).Scan(&has)
	if err != nil {
		return false, fmt.Errorf("look for the crm catalog: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.schema = t.urlSchema
	if has {
		t.schema = crmdb.PGSchema
	}
	return has, nil
}

// Ping checks the connection is alive.
func (t *Target) Ping(ctx context.Context) error {
	if err := t.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", t.where, err)
	}
	return nil
}

// Objects lists every object with its fields, sorted by API name: from the
// CRM catalog tables when present, else derived from the schema's tables.
func (t *Target) Objects(ctx context.Context) ([]catalog.Object, error) {
	has, err := t.refreshSchema(ctx)
	if err != nil {
		return nil, err
	}
	if !has {
		return introspect(ctx, t.pool, t.Schema())
	}
	conn, err := t.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	defer conn.Release()
	objs, err := crmdb.Postgres.ReadCatalog(ctx, crmdb.PGSchema, func(ctx context.Context, q string) (crmdb.Rows, func(), error) {
		rows, err := conn.Query(ctx, q)
		if err != nil {
			return nil, nil, err
		}
		return rows, rows.Close, nil
	})
	if err != nil {
		return nil, err
	}
	return objs, columnTypes(ctx, conn, crmdb.PGSchema, objs)
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

// ServerVersion returns e.g. "PostgreSQL 15.20".
func (t *Target) ServerVersion(ctx context.Context) (string, error) {
	var v string
	if err := t.pool.QueryRow(ctx, "SELECT current_setting('server_version')").Scan(&v); err != nil {
		return "", fmt.Errorf("server version: %w", err)
	}
	return "PostgreSQL " + strings.Fields(v + " ")[0], nil
}

// InstallDemo creates the demo CRM in schema crm (one transaction, under an
// advisory lock so two installs do not race). Running it again changes
// nothing.
func (t *Target) InstallDemo(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, t.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('batchdesk.demo-crm'))"); err != nil {
			return err
		}
		return demo.Install(ctx, crmdb.Postgres, func(ctx context.Context, q string, args ...any) error {
			_, err := tx.Exec(ctx, q, args...)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("install demo crm: %w", err)
	}
	_, err = t.refreshSchema(ctx)
	return err
}

// Close closes the pool.
func (t *Target) Close() error {
	t.pool.Close()
	return nil
}
