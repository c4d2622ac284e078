package pipeline_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"batchdesk/backend/crm"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/ingest/pipeline"
)

// target is a demo CRM under test with a query helper in its dialect.
type target struct {
	crm.Target
	name string
	// strings runs a query returning one text column, sorted; "crm." and
	// "::text" are dropped for the sandbox.
	strings func(q string, args ...any) []string
	exec    func(q string, args ...any)
}

// eachDemo runs fn on the demo CRM in PostgreSQL and in a sandbox.
func eachDemo(t *testing.T, fn func(t *testing.T, tg target)) {
	t.Run("postgres", func(t *testing.T) { fn(t, wrap(t, openPG(t, true))) })
	t.Run("sandbox", func(t *testing.T) {
		opened, err := crm.Open(context.Background(), crm.Spec{Kind: crm.KindSandbox, Path: filepath.Join(t.TempDir(), "crm.db")})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { opened.Close() })
		fn(t, wrap(t, opened))
	})
}

func wrap(t *testing.T, tg crm.Target) target {
	ctx := context.Background()
	out := target{Target: tg}
	switch x := tg.(type) {
	case *postgres.Target:
		out.name = "postgres"
		out.exec = func(q string, args ...any) {
			t.Helper()
			if _, err := x.Pool().Exec(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		out.strings = func(q string, args ...any) []string {
			t.Helper()
			rows, err := x.Pool().Query(ctx, q, args...)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			defer rows.Close()
			var res []string
			for rows.Next() {
				var s *string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				if s == nil {
					res = append(res, "<null>")
				} else {
					res = append(res, *s)
				}
			}
			sort.Strings(res)
			return res
		}
	case *sandbox.Target:
		out.name = "sandbox"
		lite := func(q string) string {
			for i := 9; i >= 1; i-- {
				q = strings.ReplaceAll(q, fmt.Sprintf("$%d", i), fmt.Sprintf("?%d", i))
			}
			return strings.NewReplacer("crm.", "", "::text", "").Replace(q)
		}
		out.exec = func(q string, args ...any) {
			t.Helper()
			if _, err := x.DB().ExecContext(ctx, lite(q), args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		out.strings = func(q string, args ...any) []string {
			t.Helper()
			rows, err := x.DB().QueryContext(ctx, lite(q), args...)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			defer rows.Close()
			var res []string
			for rows.Next() {
				var s sql.NullString
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				if !s.Valid {
					s.String = "<null>"
				}
				res = append(res, s.String)
			}
			sort.Strings(res)
			return res
		}
	default:
		t.Fatalf("unexpected target %T", tg)
	}
	return out
}

// runOK runs req and fails the test on a job error.
func runOK(t *testing.T, req pipeline.Request) pipeline.Result {
	t.Helper()
	res, err := pipeline.Run(context.Background(), req, nil)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return res
}

// reportOf reads an error report's lines after the header.
func reportLines(t *testing.T, path string) []string {
	t.Helper()
	if path == "" {
		return nil
	}
	b := mustRead(t, path)
	lines := strings.Split(strings.TrimSpace(b), "\n")
	return lines[1:]
}
