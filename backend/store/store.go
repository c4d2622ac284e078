// Package store is the app's own state: one SQLite file (by default
// $BATCHDESK_HOME/batchdesk.db) holding saved CRM connections, export
// destinations, mapping presets, the job history with its events, schedules
// and settings.
//
// In: a file path to Open, and small typed structs (Connection, Destination,
// Preset, Job, Schedule) to the CRUD methods. Out: the same structs, with
// timestamps in UTC. Nothing here holds a password, key or token: those live
// in the secrets store (backend/secrets), and the tables have no column for
// them.
//
// The schema is versioned: numbered SQL files embedded from migrations/ are
// applied in order, each in its own transaction, and recorded in the
// schema_version table. Opening a file written by a newer Batchdesk is
// refused (ErrSchemaTooNew) rather than risked. Timestamps are stored as
// RFC 3339 UTC text with millisecond precision, so they sort as text.
//
// Errors: lookups of a missing name or ID return *apperr.Error with code
// NotFound (wrapping ErrNotFound); creating a duplicate name returns code
// Conflict; bad input returns code Invalid; anything else is an ordinary
// wrapped error from the database.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"batchdesk/backend/apperr"

	"modernc.org/sqlite" // registers the pure-Go "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// ErrNotFound is wrapped by every "no such row" error of this package.
var ErrNotFound = errors.New("not found")

// ErrSchemaTooNew is wrapped by Open's error when the file's schema version is
// newer than any migration this build knows.
var ErrSchemaTooNew = errors.New("schema too new")

// timeLayout is RFC 3339, UTC, fixed width (so text order is time order).
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// Store is an open app database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
}

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// Open opens (creating if needed) the SQLite file at path, switches it to WAL
// with a busy timeout and foreign keys on, and applies pending migrations.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, apperr.New(apperr.Invalid, "no path given for the app database")
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open app database %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open app database %s: %w", path, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// dsn builds the driver's DSN: a file: URI (so a path may hold '?' or '#')
// with the pragmas every connection of the pool needs.
func dsn(p string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(p)
	return "file:" + esc +
		"?_pragma=busy_timeout(10000)" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_txlock=immediate"
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close app database: %w", err)
	}
	return nil
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// LatestSchemaVersion is the highest migration this build knows.
func LatestSchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and '_'", name)
		}
		b, err := migrationFS.ReadFile(path.Join("migrations", name))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d (no gaps or duplicates)", m.name, i+1)
		}
	}
	return out, nil
}

// migrate applies every migration newer than the file's version, each in one
// transaction together with its schema_version row.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	current, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	latest := 0
	if len(ms) > 0 {
		latest = ms[len(ms)-1].version
	}
	if current > latest {
		return apperr.Wrap(ErrSchemaTooNew, apperr.Conflict,
			"the app database %s was written by a newer Batchdesk (schema version %d; this build knows up to %d): upgrade Batchdesk or set BATCHDESK_HOME to another folder",
			s.path, current, latest)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		if err := s.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, m migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: begin: %w", m.name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`,
		m.version, formatTime(time.Now())); err != nil {
		return fmt.Errorf("migration %s: record version: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.name, err)
	}
	return nil
}

// formatTime renders t as stored text; the zero time is stored as "".
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// nullTime renders t for a nullable column: NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// parseTime reads stored text back; "" and NULL give the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse stored time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}

// now is the current time at the stored precision, so a returned struct
// equals what a later Get reads back.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// notFound returns the package's NotFound error for a thing and its name.
func notFound(what, name string) error {
	return apperr.Wrap(ErrNotFound, apperr.NotFound, "no %s named %q", what, name)
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) &&
		(e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// isForeignKey reports whether err is a FOREIGN KEY violation.
func isForeignKey(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// affectedOne turns "no row changed" into a NotFound error.
func affectedOne(res sql.Result, what, name string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s %q: rows affected: %w", what, name, err)
	}
	if n == 0 {
		return notFound(what, name)
	}
	return nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// queryAll runs q and scans every row with scan. Errors are wrapped with
// what ("list schedules"); no rows give a nil slice.
func queryAll[T any](ctx context.Context, db *sql.DB, scan func(scanner) (T, error), what, q string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
