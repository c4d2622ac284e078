package load_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmtest"
	"batchdesk/backend/ingest/load"
)

// tgt is a CRM under test with raw SQL in its dialect.
type tgt = *crmtest.Target

// eachTarget runs fn on the demo CRM in PostgreSQL and in a sandbox.
func eachTarget(t *testing.T, fn func(t *testing.T, tg tgt)) { crmtest.Each(t, fn) }

// openTarget opens spec for a test.
func openTarget(t *testing.T, spec crm.Spec) tgt { return crmtest.Open(t, spec) }

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
