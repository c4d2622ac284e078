package load_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"batchdesk/backend/crm"
	"batchdesk/backend/ingest/load"
	"batchdesk/backend/pgtest"
)

// lowLocks is a throwaway cluster whose lock table is tiny: 10 locks per
// transaction × 20 connections. Isolation that kept a subtransaction (and
// its lock) per good row, as the bisection did, runs out of shared memory
// (SQLSTATE 53200) on it after a few hundred rows.
func lowLocks(t *testing.T) tgt {
	t.Helper()
	dsn := pgtest.Cluster(t, "max_locks_per_transaction=10", "max_connections=20")
	return openTarget(t, crm.Spec{Kind: crm.KindPostgres, DSN: dsn})
}

func batches(n, size int, row func(i int) []any) [][]load.Row {
	var out [][]load.Row
	for start := 0; start < n; start += size {
		var rs []load.Row
		for i := start; i < min(start+size, n); i++ {
			rs = append(rs, load.Row{Line: int64(i + 2), Values: row(i)})
		}
		out = append(out, rs)
	}
	return out
}

func codeCount(rs []load.BatchResult) (written int64, byCode map[string]int) {
	byCode = map[string]int{}
	for _, r := range rs {
		written += r.Written
		for _, e := range r.Errors {
			byCode[e.Code]++
		}
	}
	return written, byCode
}

// TestManyRejectedRowsBoundedLocks: half the rows of each 5,000-row batch
// are refused — by a CHECK, which only the server can tell, and by keys
// that already exist — on a server with a tiny lock table. Every batch
// finishes with exactly the good rows written and the bad ones reported.
func TestManyRejectedRowsBoundedLocks(t *testing.T) {
	tg := lowLocks(t)
	tg.MustExec("CREATE TABLE k (k text PRIMARY KEY, v integer CHECK (v >= 0))")

	t.Run("check violations on every other row", func(t *testing.T) {
		p := plan(t, tg, "k", load.Insert, "", "k", "v")
		res := run(t, tg, p, batches(10000, 5000, func(i int) []any {
			v := int64(i)
			if i%2 == 1 {
				v = -1
			}
			return []any{fmt.Sprintf("C%06d", i), v}
		})...)
		written, codes := codeCount(res)
		if written != 5000 || codes[load.CodeCheck] != 5000 || len(codes) != 1 {
			t.Fatalf("written %d, problems %v; want 5000 and 5000 check_violation", written, codes)
		}
		if n := tg.Strings("SELECT count(*)::text FROM k WHERE k LIKE 'C%' AND v >= 0"); n[0] != "5000" {
			t.Fatalf("table holds %s good rows", n[0])
		}
	})

	t.Run("every other key exists", func(t *testing.T) {
		tg.MustExec("INSERT INTO k SELECT 'U' || lpad(i::text, 6, '0'), -0 FROM generate_series(1, 19999, 2) i")
		p := plan(t, tg, "k", load.Insert, "", "k", "v")
		res := run(t, tg, p, batches(20000, 5000, func(i int) []any { return []any{fmt.Sprintf("U%06d", i), int64(i)} })...)
		written, codes := codeCount(res)
		if written != 10000 || codes[load.CodeUnique] != 10000 || len(codes) != 1 {
			t.Fatalf("written %d, problems %v; want 10000 and 10000 unique_violation", written, codes)
		}
		msg := res[0].Errors[0].Message
		if res[0].Errors[0].Line != 3 || !strings.Contains(msg, `k "U000001" already exists`) {
			t.Fatalf("first problem = %+v", res[0].Errors[0])
		}
	})

	t.Run("updates refused on every other row", func(t *testing.T) {
		tg.MustExec("INSERT INTO k SELECT 'P' || lpad(i::text, 6, '0'), 0 FROM generate_series(0, 1999) i")
		p := plan(t, tg, "k", load.Update, "k", "k", "v")
		res := run(t, tg, p, batches(2000, 2000, func(i int) []any {
			v := int64(i)
			if i%2 == 1 {
				v = -1
			}
			return []any{fmt.Sprintf("P%06d", i), v}
		})...)
		written, codes := codeCount(res)
		if written != 1000 || codes[load.CodeCheck] != 1000 || len(codes) != 1 {
			t.Fatalf("written %d, problems %v; want 1000 and 1000 check_violation", written, codes)
		}
		if n := tg.Strings("SELECT count(*)::text FROM k WHERE k LIKE 'P%' AND v > 0"); n[0] != "999" {
			t.Fatalf("%s rows updated to a positive value, want 999", n[0])
		}
	})

	t.Run("two imports of the same keys at once", func(t *testing.T) {
		var wg sync.WaitGroup
		results := make([][]load.BatchResult, 2)
		errs := make([]error, 2)
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx := context.Background()
				p := plan(t, tg, "k", load.Insert, "", "k", "v")
				l, err := load.New(ctx, tg.Target, p)
				if err != nil {
					errs[w] = err
					return
				}
				defer l.Close(ctx)
				// Both write the same 12,000 keys, in opposite batch
				// orders, so they wait on each other's rows.
				bs := batches(12000, 3000, func(i int) []any { return []any{fmt.Sprintf("D%06d", i), int64(i)} })
				for j := range bs {
					b := bs[j]
					if w == 1 {
						b = bs[len(bs)-1-j]
					}
					r, err := l.Load(ctx, load.Batch{Seq: j + 1, Rows: b})
					if err != nil {
						errs[w] = err
						return
					}
					results[w] = append(results[w], r)
				}
			}()
		}
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Fatalf("import %d: %v", w+1, err)
			}
		}
		w1, c1 := codeCount(results[0])
		w2, c2 := codeCount(results[1])
		if w1+w2 != 12000 || c1[load.CodeUnique]+c2[load.CodeUnique] != 12000 {
			t.Fatalf("written %d + %d, problems %v + %v; want 12000 written and 12000 unique_violation in all", w1, w2, c1, c2)
		}
		if n := tg.Strings("SELECT count(*)::text FROM k WHERE k LIKE 'D%'"); n[0] != "12000" {
			t.Fatalf("table holds %s D rows", n[0])
		}
	})
}

// TestNoPartitionForValue: a row outside every partition says so.
func TestNoPartitionForValue(t *testing.T) {
	tg := openTarget(t, crm.Spec{Kind: crm.KindPostgres, DSN: pgtest.NewDatabase(t)})
	tg.MustExec("CREATE TABLE pt (k integer, name text) PARTITION BY RANGE (k)")
	tg.MustExec("CREATE TABLE pt_low PARTITION OF pt FOR VALUES FROM (0) TO (100)")
	p := plan(t, tg, "pt", load.Insert, "", "k", "name")
	res := run(t, tg, p, rows([]any{int64(5), "in"}, []any{int64(500), "out"}))
	got := errs(res)
	if len(got) != 1 || !strings.HasPrefix(got[0], "3 "+load.CodeNoPartition+" no partition for this value: k = 500") {
		t.Fatalf("errors = %q", got)
	}
}

// TestUpdateTextTypes: updates of a type sent as text (inet) whose value
// the server refuses are that row's problem; the others land.
func TestUpdateTextTypes(t *testing.T) {
	tg := openTarget(t, crm.Spec{Kind: crm.KindPostgres, DSN: pgtest.NewDatabase(t)})
	tg.MustExec("CREATE TABLE host (k text PRIMARY KEY, addr inet, note text)")
	tg.MustExec("INSERT INTO host VALUES ('a', NULL, ''), ('b', NULL, ''), ('c', NULL, '')")
	p := plan(t, tg, "host", load.Update, "k", "k", "addr", "note")
	res := run(t, tg, p, rows([]any{"a", "10.0.0.1", "x"}, []any{"b", "10.0.0.300", "y"}, []any{"c", "::1", "z"}))
	got := errs(res)
	if len(got) != 1 || !strings.HasPrefix(got[0], "3 "+load.CodeBadValue+" invalid value for column addr") || res[0].Written != 2 {
		t.Fatalf("written %d, errors %q", res[0].Written, got)
	}
	if v := tg.Strings("SELECT k || '=' || coalesce(host(addr), '-') || note FROM host"); strings.Join(v, " ") != "a=10.0.0.1x b=- c=::1z" {
		t.Fatalf("table %q", v)
	}
}
