// Command deletebench measures a bulk delete (DESIGN §5: 500k records by a
// filter ≤ 1.3× one bare DELETE … WHERE, without the backup): it loads
// Account-like rows into the demo CRM's crm.account (six indexes, three
// foreign keys pointing at it), then, in the same run and alternating,
// deletes them with one bare `DELETE FROM crm.account WHERE <filter>` and
// with Batchdesk's delete (preview, checks, capture, batches with audit
// entries), without and with the backup. It prints the median of each and
// the ratios, and writes them as JSON to -out when given.
//
// Run by `make bench`; needs a PostgreSQL server (BATCHDESK_TEST_PG, default
// postgres://postgres@127.0.0.1:5432/postgres) where it may create and drop
// a database.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/bench/benchkit"
	"batchdesk/backend/crm"
	"batchdesk/backend/deletion"
	"batchdesk/backend/filter"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

const where = "name LIKE 'Bench %'"

func main() {
	server := os.Getenv("BATCHDESK_TEST_PG")
	if server == "" {
		server = "postgres://postgres@127.0.0.1:5432/postgres"
	}
	pg := flag.String("pg", server, "PostgreSQL server URL (a database is created and dropped there)")
	rows := flag.Int("rows", 500_000, "Account-like rows to delete each time")
	runs := flag.Int("runs", 3, "runs of each way (the median is reported)")
	out := flag.String("out", "", "folder for delete-bench.json")
	flag.Parse()
	if err := run(*pg, *rows, *runs, *out); err != nil {
		fmt.Fprintln(os.Stderr, "deletebench:", err)
		os.Exit(1)
	}
}

// result is one way of deleting, with its times in seconds.
type result struct {
	Name    string    `json:"name"`
	Seconds []float64 `json:"seconds"`
	Median  float64   `json:"median"`
	Ratio   float64   `json:"ratio"` // median ÷ the bare DELETE's median
}

func run(server string, rows, runs int, out string) error {
	ctx := context.Background()
	dsn, drop, err := benchkit.NewDatabase(ctx, server, "bd_bench_delete")
	if err != nil {
		return err
	}
	defer drop()
	t, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: dsn})
	if err != nil {
		return err
	}
	if err := crm.InstallDemo(ctx, t); err != nil {
		return err
	}
	obj, err := t.Object(ctx, "Account")
	t.Close()
	if err != nil {
		return err
	}
	cond, err := filter.Compile(where, obj)
	if err != nil {
		return err
	}
	sqlWhere, err := cond.Postgres("t")
	if err != nil {
		return err
	}
	home, err := os.MkdirTemp("", "bd-delete-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	os.Setenv("BATCHDESK_HOME", home)
	os.Setenv("BATCHDESK_SECRETS", "file")
	os.Setenv("BATCHDESK_PASSPHRASE", "bench")
	ws, err := workspace.Open(workspace.Options{})
	if err != nil {
		return err
	}
	defer ws.Close()
	reg := jobs.New(ws.Store, nil, jobs.Options{})
	svc := deletion.New(ws, reg, deletion.Options{})
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)

	ways := []struct {
		name string
		del  func() error
	}{
		{"bare DELETE … WHERE", func() error {
			_, err := conn.Exec(ctx, "DELETE FROM crm.account AS t WHERE "+sqlWhere)
			return err
		}},
		{"batchdesk delete, no backup", func() error { return bdDelete(ctx, svc, reg, dsn, rows, true) }},
		{"batchdesk delete with backup", func() error { return bdDelete(ctx, svc, reg, dsn, rows, false) }},
	}
	results := make([]result, len(ways))
	for i := range ways {
		results[i].Name = ways[i].name
	}
	for r := 0; r < runs; r++ {
		for i, w := range ways {
			if err := load(ctx, conn, rows); err != nil {
				return err
			}
			start := time.Now()
			if err := w.del(); err != nil {
				return fmt.Errorf("%s: %w", w.name, err)
			}
			secs := time.Since(start).Seconds()
			var left int64
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM crm.account WHERE name LIKE 'Bench %'").Scan(&left); err != nil || left != 0 {
				return fmt.Errorf("%s left %d rows (%v)", w.name, left, err)
			}
			results[i].Seconds = append(results[i].Seconds, secs)
			fmt.Fprintf(os.Stderr, "run %d: %-30s %.2f s\n", r+1, w.name, secs)
		}
	}
	for i := range results {
		results[i].Median = benchkit.MedianOf(results[i].Seconds)
		results[i].Ratio = results[i].Median / benchkit.MedianOf(results[0].Seconds)
	}
	fmt.Printf("delete %d Account rows where %s (median of %d)\n", rows, where, runs)
	for _, r := range results {
		fmt.Printf("  %-30s %6.2f s  %.2f×\n", r.Name, r.Median, r.Ratio)
	}
	if out != "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		b, _ := json.MarshalIndent(map[string]any{"rows": rows, "where": where, "runs": runs, "results": results}, "", "  ")
		return os.WriteFile(filepath.Join(out, "delete-bench.json"), b, 0o644)
	}
	return nil
}

// bdDelete runs a Batchdesk delete of the bench rows to its end.
func bdDelete(ctx context.Context, svc *deletion.Service, reg *jobs.Registry, dsn string, rows int, noBackup bool) error {
	id, err := svc.Start(ctx, deletion.Request{CRM: dsn, Object: "Account", Where: where, NoBackup: noBackup},
		deletion.Confirmation{Object: "Account", Count: int64(rows)})
	if err != nil {
		return err
	}
	j, err := reg.Wait(ctx, id)
	if err != nil {
		return err
	}
	if j.Status != store.StatusDone || j.Succeeded != int64(rows) {
		return fmt.Errorf("job %s: %s, %d of %d deleted: %s", id, j.Status, j.Succeeded, rows, j.Message)
	}
	return nil
}

// load inserts the bench rows and settles the table (vacuum, analyze,
// checkpoint) so every way starts from the same state.
func load(ctx context.Context, conn *pgx.Conn, rows int) error {
	_, err := conn.Exec(ctx, `INSERT INTO crm.account (name, account_no, industry, annual_revenue, employees,
		phone, email, website, founded_on, is_key_account)
		SELECT 'Bench ' || g, 'B-' || g, 'Technology', g * 10.5, g % 1000, '+86 10 ' || g,
		       'b' || g || '@bench.example', 'https://b' || g || '.example', date '2000-01-01' + g % 9000, g % 2 = 0
		FROM generate_series(1, $1::int) g`, rows)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	for _, q := range []string{"VACUUM ANALYZE crm.account", "CHECKPOINT"} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}
