package deletion

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/fkgraph"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/jobs"
	"batchdesk/backend/pgtest"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// fixture is a delete service over an isolated data folder and one CRM with
// raw SQL access in its dialect.
type fixture struct {
	svc   *Service
	reg   *jobs.Registry
	ws    *workspace.Workspace
	crm   string                            // the --crm value
	count func(q string, args ...any) int64 // runs a count query
	exec  func(q string, args ...any)
	pg    bool
}

func newService(t *testing.T) (*Service, *jobs.Registry, *workspace.Workspace) {
	t.Helper()
	t.Setenv("BATCHDESK_HOME", t.TempDir())
	t.Setenv("BATCHDESK_SECRETS", "file")
	t.Setenv("BATCHDESK_PASSPHRASE", "test")
	ws, err := workspace.Open(workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	reg := jobs.New(ws.Store, nil, jobs.Options{})
	return New(ws, reg, Options{}), reg, ws
}

// pgFixture is a throwaway database; demo installs the demo CRM.
func pgFixture(t *testing.T, demo bool) *fixture {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if demo {
		tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: dsn})
		if err != nil {
			t.Fatal(err)
		}
		if err := crm.InstallDemo(ctx, tg); err != nil {
			t.Fatal(err)
		}
		tg.Close()
	}
	svc, reg, ws := newService(t)
	return &fixture{svc: svc, reg: reg, ws: ws, crm: dsn, pg: true,
		count: func(q string, args ...any) int64 {
			t.Helper()
			var n int64
			if err := conn.QueryRow(ctx, q, args...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		},
		exec: func(q string, args ...any) {
			t.Helper()
			if _, err := conn.Exec(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}}
}

// sandboxFixture is a new sandbox file with the demo CRM.
func sandboxFixture(t *testing.T) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crm.db")
	tg, err := sandbox.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	tg.Close()
	db, err := sql.Open("sqlite", sandbox.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc, reg, ws := newService(t)
	return &fixture{svc: svc, reg: reg, ws: ws, crm: "sandbox:" + path,
		count: func(q string, args ...any) int64 {
			t.Helper()
			var n int64
			if err := db.QueryRow(q, args...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		},
		exec: func(q string, args ...any) {
			t.Helper()
			if _, err := db.Exec(q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}}
}

// table names a demo table in the fixture's dialect.
func (f *fixture) table(name string) string {
	if f.pg {
		return "crm." + name
	}
	return name
}

// wait waits for job id to end and returns it.
func (f *fixture) wait(t *testing.T, id string) store.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	j, err := f.reg.Wait(ctx, id)
	if j.ID == "" {
		t.Fatalf("wait %s: %v", id, err)
	}
	return j
}

// rawCond is a test stand-in for a compiled filter: SQL with %[1]s for the
// qualifier, the same text for both dialects, and SQLite arguments.
type rawCond struct {
	sql  string
	args []any
}

func (c rawCond) Postgres(q string) (string, error) { return fmt.Sprintf(c.sql, q), nil }
func (c rawCond) SQLite(q string) (string, []any, error) {
	return fmt.Sprintf(c.sql, q), c.args, nil
}

// withWhere makes the where text "raw:SQL" compile to that SQL for the test.
func withWhere(t *testing.T) {
	t.Helper()
	old := compileWhere
	compileWhere = func(text string, _ *catalogObject) (fkCond, error) {
		return rawCond{sql: text}, nil
	}
	t.Cleanup(func() { compileWhere = old })
}

type (
	catalogObject = catalog.Object
	fkCond        = fkgraph.Condition
)

func copyAll(dst *strings.Builder, src interface{ Read([]byte) (int, error) }) (int64, error) {
	var n int64
	buf := make([]byte, 32<<10)
	for {
		k, err := src.Read(buf)
		dst.Write(buf[:k])
		n += int64(k)
		if err != nil {
			return n, nil
		}
	}
}
