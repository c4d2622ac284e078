// Package crmtest opens CRM targets for tests: the demo CRM on PostgreSQL
// (a fresh database from backend/pgtest) and in a sandbox file, with raw
// SQL access in each one's dialect, so one test body runs against both.
// It is the one helper the crm, lookup, load, pipeline and export tests
// share.
//
// SQL is written for PostgreSQL: on the sandbox $n becomes ?n, and the
// "crm." schema prefix and "::text" casts are dropped. Failures end the
// test (t.Fatal); Exec returns the error for tests that expect one.
package crmtest

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/pgtest"
)

// Target is an open CRM under test with raw SQL in its dialect.
type Target struct {
	crm.Target
	// Spec is what was opened (Wrap leaves it empty).
	Spec crm.Spec
	// Dialect is crmdb.Postgres or crmdb.SQLite.
	Dialect crmdb.Dialect
	// Null is what Strings returns for a NULL ("" unless set).
	Null string
	t    testing.TB
	exec func(ctx context.Context, q string, args ...any) error
	rows func(ctx context.Context, q string, args ...any) (scanRows, error)
}

// scanRows is what pgx.Rows and *sql.Rows share.
type scanRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Each runs fn on the demo CRM in a new PostgreSQL database and in a new
// sandbox file, as subtests "postgres" and "sandbox".
func Each(t *testing.T, fn func(t *testing.T, tg *Target)) { each(t, false, fn) }

// EachParallel is Each with both subtests run in parallel.
func EachParallel(t *testing.T, fn func(t *testing.T, tg *Target)) { each(t, true, fn) }

func each(t *testing.T, parallel bool, fn func(t *testing.T, tg *Target)) {
	t.Run("postgres", func(t *testing.T) {
		if parallel {
			t.Parallel()
		}
		fn(t, Demo(t, crm.KindPostgres))
	})
	t.Run("sandbox", func(t *testing.T) {
		if parallel {
			t.Parallel()
		}
		fn(t, Demo(t, crm.KindSandbox))
	})
}

// Demo opens the demo CRM of kind (crm.KindPostgres: in a new database;
// crm.KindSandbox: in a new file), closed when the test ends.
func Demo(t testing.TB, kind string) *Target {
	t.Helper()
	if kind == crm.KindSandbox {
		return Open(t, crm.Spec{Kind: crm.KindSandbox, Path: filepath.Join(t.TempDir(), "crm.db")})
	}
	tg := Open(t, crm.Spec{Kind: crm.KindPostgres, DSN: pgtest.NewDatabase(t)})
	if err := crm.InstallDemo(context.Background(), tg.Target); err != nil {
		t.Fatalf("install the demo CRM: %v", err)
	}
	return tg
}

// Open opens spec (a sandbox gets the demo CRM by itself; PostgreSQL is
// opened as it is), closed when the test ends.
func Open(t testing.TB, spec crm.Spec) *Target {
	t.Helper()
	opened, err := crm.Open(context.Background(), spec)
	if err != nil {
		t.Fatalf("open %s: %v", spec, err)
	}
	t.Cleanup(func() { opened.Close() })
	tg := Wrap(t, opened)
	tg.Spec = spec
	return tg
}

// Wrap gives an open target raw SQL access (the caller closes it).
func Wrap(t testing.TB, c crm.Target) *Target {
	t.Helper()
	tg := &Target{Target: c, t: t}
	switch x := c.(type) {
	case *postgres.Target:
		tg.Dialect = crmdb.Postgres
		tg.exec = func(ctx context.Context, q string, args ...any) error {
			_, err := x.Pool().Exec(ctx, q, args...)
			return err
		}
		tg.rows = func(ctx context.Context, q string, args ...any) (scanRows, error) {
			r, err := x.Pool().Query(ctx, q, args...)
			if err != nil {
				return nil, err
			}
			return closing{r, func() { r.Close() }}, nil
		}
	case *sandbox.Target:
		tg.Dialect = crmdb.SQLite
		tg.exec = func(ctx context.Context, q string, args ...any) error {
			_, err := x.DB().ExecContext(ctx, SQLite(q), args...)
			return err
		}
		tg.rows = func(ctx context.Context, q string, args ...any) (scanRows, error) {
			r, err := x.DB().QueryContext(ctx, SQLite(q), args...)
			if err != nil {
				return nil, err
			}
			return closing{r, func() { r.Close() }}, nil
		}
	default:
		t.Fatalf("crmtest: unexpected target %T", c)
	}
	return tg
}

// closing closes its rows once read to the end.
type closing struct {
	scanRows
	close func()
}

// SQLite rewrites PostgreSQL test SQL for the sandbox: $n → ?n, no "crm."
// schema, no "::text" casts.
func SQLite(q string) string {
	for i := 9; i >= 1; i-- {
		q = strings.ReplaceAll(q, fmt.Sprintf("$%d", i), fmt.Sprintf("?%d", i))
	}
	return strings.NewReplacer("crm.", "", "::text", "").Replace(q)
}

// PG reports whether the target is PostgreSQL.
func (tg *Target) PG() bool { return tg.Kind() == crm.KindPostgres }

// Name is "postgres" or "sandbox".
func (tg *Target) Name() string { return tg.Kind() }

// Table names a CRM table in SQL: "crm.name" on PostgreSQL, "name" in the
// sandbox.
func (tg *Target) Table(name string) string {
	if tg.PG() {
		return crmdb.PGSchema + "." + name
	}
	return name
}

// Exec runs q and returns its error.
func (tg *Target) Exec(q string, args ...any) error {
	return tg.exec(context.Background(), q, args...)
}

// MustExec runs q; an error ends the test.
func (tg *Target) MustExec(q string, args ...any) {
	tg.t.Helper()
	if err := tg.Exec(q, args...); err != nil {
		tg.t.Fatalf("%s: %v", q, err)
	}
}

// Strings runs a query of one text column and returns its values sorted
// (NULL as tg.Null).
func (tg *Target) Strings(q string, args ...any) []string {
	tg.t.Helper()
	rows, err := tg.rows(context.Background(), q, args...)
	if err != nil {
		tg.t.Fatalf("%s: %v", q, err)
	}
	defer rows.(closing).close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			tg.t.Fatalf("%s: %v", q, err)
		}
		if !s.Valid {
			s.String = tg.Null
		}
		out = append(out, s.String)
	}
	if err := rows.Err(); err != nil {
		tg.t.Fatalf("%s: %v", q, err)
	}
	sort.Strings(out)
	return out
}

// Count returns the number of rows of a CRM table.
func (tg *Target) Count(table string) int {
	tg.t.Helper()
	var n int
	if _, err := fmt.Sscan(tg.Strings("SELECT count(*)::text FROM " + tg.Dialect.Table(table))[0], &n); err != nil {
		tg.t.Fatal(err)
	}
	return n
}
