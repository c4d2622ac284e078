package load_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/ingest/load"
	"batchdesk/backend/pgtest"
)

// tgt is a CRM under test with raw SQL in its dialect.
type tgt struct {
	crm.Target
	pg bool
	// strings runs a query returning one text column, sorted.
	strings func(q string, args ...any) []string
	exec    func(q string, args ...any)
	table   func(name string) string
}

// eachTarget runs fn on the demo CRM in PostgreSQL and in a sandbox.
func eachTarget(t *testing.T, fn func(t *testing.T, tg tgt)) {
	t.Run("postgres", func(t *testing.T) {
		tg := openTarget(t, crm.Spec{Kind: crm.KindPostgres, DSN: pgtest.NewDatabase(t)})
		if err := crm.InstallDemo(context.Background(), tg.Target); err != nil {
			t.Fatal(err)
		}
		fn(t, tg)
	})
	t.Run("sandbox", func(t *testing.T) {
		fn(t, openTarget(t, crm.Spec{Kind: crm.KindSandbox, Path: filepath.Join(t.TempDir(), "crm.db")}))
	})
}

func openTarget(t *testing.T, spec crm.Spec) tgt {
	t.Helper()
	ctx := context.Background()
	opened, err := crm.Open(ctx, spec)
	if err != nil {
		t.Fatalf("open %s: %v", spec, err)
	}
	t.Cleanup(func() { opened.Close() })
	tg := tgt{Target: opened}
	switch x := opened.(type) {
	case *postgres.Target:
		tg.pg = true
		tg.table = func(n string) string { return "crm." + n }
		tg.exec = func(q string, args ...any) {
			t.Helper()
			if _, err := x.Pool().Exec(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		tg.strings = func(q string, args ...any) []string {
			t.Helper()
			rows, err := x.Pool().Query(ctx, q, args...)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var s *string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				out = append(out, deref(s))
			}
			sort.Strings(out)
			return out
		}
	case *sandbox.Target:
		tg.table = func(n string) string { return n }
		tg.exec = func(q string, args ...any) {
			t.Helper()
			if _, err := x.DB().ExecContext(ctx, pgToSQLite(q), args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		tg.strings = func(q string, args ...any) []string {
			t.Helper()
			rows, err := x.DB().QueryContext(ctx, pgToSQLite(q), args...)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var s sql.NullString
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				out = append(out, s.String)
			}
			sort.Strings(out)
			return out
		}
	}
	return tg
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// pgToSQLite rewrites $n placeholders and ::text casts for SQLite.
func pgToSQLite(q string) string {
	for i := 9; i >= 1; i-- {
		q = strings.ReplaceAll(q, fmt.Sprintf("$%d", i), "?")
	}
	return strings.ReplaceAll(q, "::text", "")
}

// plan builds a plan for object with the named fields mapped in order.
func plan(t *testing.T, tg tgt, object string, mode load.Mode, key string, fields ...string) load.Plan {
	t.Helper()
	obj, err := tg.Object(context.Background(), object)
	if err != nil {
		t.Fatal(err)
	}
	p := load.Plan{Object: obj, Mode: mode, Key: key}
	for _, f := range fields {
		name, resolve, _ := strings.Cut(f, ":")
		fld, err := obj.Field(name)
		if err != nil {
			t.Fatal(err)
		}
		p.Columns = append(p.Columns, load.Column{Field: *fld, Resolve: resolve})
	}
	return p
}

// run loads rows (one batch per slice) and returns the results.
func run(t *testing.T, tg tgt, p load.Plan, batches ...[]load.Row) []load.BatchResult {
	t.Helper()
	ctx := context.Background()
	l, err := load.New(ctx, tg.Target, p)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(ctx)
	var out []load.BatchResult
	for i, rows := range batches {
		r, err := l.Load(ctx, load.Batch{Seq: i + 1, Rows: rows})
		if err != nil {
			t.Fatalf("batch %d: %v", i+1, err)
		}
		out = append(out, r)
	}
	return out
}

// rows builds rows numbered from line 2, one per values slice.
func rows(vals ...[]any) []load.Row {
	out := make([]load.Row, len(vals))
	for i, v := range vals {
		out[i] = load.Row{Line: int64(i + 2), Values: v}
	}
	return out
}

func errs(rs []load.BatchResult) []string {
	var out []string
	for _, r := range rs {
		for _, e := range r.Errors {
			out = append(out, fmt.Sprintf("%d %s %s", e.Line, e.Code, e.Message))
		}
	}
	sort.Strings(out)
	return out
}

var _ = catalog.Text
