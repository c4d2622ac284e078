// Command exportbench is the export line of `make bench`: it generates 1M
// account-like rows (12 columns) in a table of the test PostgreSQL
// (BATCHDESK_TEST_PG), then measures a Batchdesk export of that table to a
// local CSV against `psql \copy (SELECT …) TO` of the same rows: three
// alternating rounds, medians, Batchdesk's peak RSS. It prints a markdown
// table row (and writes it to DIR/bench-export.md).
//
// Usage: go run ./backend/bench/exportbench -out DIR [-rows 1000000] [-workers N]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/bench/benchkit"
	"batchdesk/backend/crm"
	"batchdesk/backend/destination/local"
	"batchdesk/backend/export"
	"batchdesk/backend/pgtest"
)

const tableDDL = `CREATE TABLE bench_x (
	account_no     text PRIMARY KEY,
	name           text NOT NULL,
	industry       text,
	annual_revenue numeric(18,2),
	employees      integer,
	phone          text,
	email          text,
	website        text,
	founded_on     date,
	is_key_account boolean,
	city           text,
	notes          text
)`

var columns = []string{"account_no", "name", "industry", "annual_revenue", "employees", "phone",
	"email", "website", "founded_on", "is_key_account", "city", "notes"}

// fill makes n deterministic rows, in the shape of the import bench's file.
const fill = `INSERT INTO bench_x
SELECT 'AC-' || lpad(((i::bigint * 7919) %% 100000000)::text, 8, '0'),
       (ARRAY['alpha','bravo','delta','echo','global','trading'])[1 + i %% 6] || ' ' ||
         (ARRAY['systems','partners','group','holdings','digital','solutions'])[1 + (i / 6) %% 6] || ' ' || i,
       (ARRAY['Technology','Finance','Manufacturing','Retail','Healthcare','Education','Energy','Logistics','Media','Other'])[1 + i %% 10],
       ((i::bigint * 104729) %% 1000000000) + (i %% 100) / 100.0,
       (i * 31) %% 100000,
       '+86 21 ' || lpad((i %% 10000)::text, 4, '0') || ' ' || lpad(((i * 7) %% 10000)::text, 4, '0'),
       'contact' || i || '@example.com',
       'https://www.site' || i || '.example.com',
       date '1950-01-01' + (i %% 27000),
       i %% 5 = 0,
       (ARRAY['Shanghai','Beijing','Shenzhen','Hangzhou','Chengdu','Wuhan','Nanjing','Suzhou','Xi''an','Tianjin'])[1 + i %% 10],
       'Key customer since ' || (1990 + i %% 35) || '; renewal alpha, prefers email'
FROM generate_series(1, %d) i`

func main() {
	out := flag.String("out", "test-output/bench", "output folder")
	rows := flag.Int("rows", 1_000_000, "rows to export")
	workers := flag.Int("workers", 0, "parallel COPY streams (0 = the default)")
	child := flag.String("child", "", "internal: run one Batchdesk export of -dsn into this folder")
	dsn := flag.String("dsn", "", "internal")
	profile := flag.String("profile", "", "write a CPU profile of each Batchdesk run to this folder")
	flag.Parse()
	if *child != "" {
		if err := runChild(*dsn, *child, *workers, *profile); err != nil {
			fmt.Fprintln(os.Stderr, "bench child:", err)
			os.Exit(1)
		}
		return
	}
	if err := bench(*out, *rows, *workers, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
}

// runChild is the measured Batchdesk side, in its own process for its RSS.
func runChild(dsn, dir string, workers int, profile string) error {
	ctx := context.Background()
	if profile != "" {
		f, err := os.Create(filepath.Join(profile, "cpu-export.pprof"))
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: dsn})
	if err != nil {
		return err
	}
	defer tg.Close()
	d, err := local.New(dir)
	if err != nil {
		return err
	}
	res, err := export.Run(ctx, tg, export.Request{Object: "bench_x", Workers: workers}, d, nil)
	if err != nil {
		return err
	}
	fmt.Printf("rows %d\n", res.Rows)
	return nil
}

func bench(out string, rows, workers int, profile string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	ctx := context.Background()
	dsn, drop, err := benchkit.NewDatabase(ctx, pgtest.ServerDSN(), "bd_bench_export")
	if err != nil {
		return err
	}
	defer drop()
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	t0 := time.Now()
	for _, q := range []string{tableDDL, fmt.Sprintf(fill, rows), "VACUUM ANALYZE bench_x"} {
		if _, err := db.Exec(ctx, q); err != nil {
			return err
		}
	}
	var size string
	if err := db.QueryRow(ctx, "SELECT pg_size_pretty(pg_relation_size('bench_x'))").Scan(&size); err != nil {
		return err
	}
	fmt.Printf("generated bench_x: %d rows, %s, in %.1f s\n", rows, size, time.Since(t0).Seconds())

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	psqlFile := filepath.Join(out, "export-psql.csv")
	bdDir := filepath.Join(out, "export-batchdesk")
	if err := os.MkdirAll(bdDir, 0o755); err != nil {
		return err
	}
	copyOut := fmt.Sprintf("\\copy (SELECT %s FROM bench_x) TO '%s' WITH (FORMAT csv, HEADER true)\n", strings.Join(columns, ", "), psqlFile)
	psql := func() (benchkit.Sample, error) {
		cmd := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn)
		cmd.Stdin = strings.NewReader(copyOut)
		return benchkit.Timed(cmd)
	}
	bd := func() (benchkit.Sample, error) {
		args := []string{"-child", bdDir, "-dsn", dsn, "-workers", strconv.Itoa(workers)}
		if profile != "" {
			args = append(args, "-profile", profile)
		}
		return benchkit.Timed(exec.Command(exe, args...))
	}
	var floor, ours []benchkit.Sample
	for round := 1; round <= 3; round++ {
		for _, step := range []struct {
			name string
			dst  *[]benchkit.Sample
			run  func() (benchkit.Sample, error)
		}{{"psql \\copy", &floor, psql}, {"batchdesk", &ours, bd}} {
			s, err := step.run()
			if err != nil {
				return fmt.Errorf("%s: %w", step.name, err)
			}
			fmt.Printf("  round %d %-12s %6.2f s  %4d MB\n", round, step.name, s.Secs, s.RSS/1024)
			*step.dst = append(*step.dst, s)
		}
	}
	st, err := os.Stat(filepath.Join(bdDir, "bench_x.csv"))
	if err != nil {
		return err
	}
	f, b := benchkit.Median(floor, false), benchkit.Median(ours, false)
	ok := "✅"
	if b/f > 1.0 {
		ok = "❌"
	}
	row := fmt.Sprintf("| Export of an object (%d rows, 12 columns, %.0f MB CSV, local folder) | psql \\copy (SELECT …) TO | %.2f | %.2f | %.2f× %s | ≤ 1.0× (aim 0.7×) | %.0f | %.0f |\n",
		rows, float64(st.Size())/(1<<20), f, b, b/f, ok, float64(rows)/b, benchkit.Median(ours, true)/1024)
	table := "\n| step | floor | floor s | Batchdesk s | ratio | target | rows/s | peak RSS MB |\n|---|---|---|---|---|---|---|---|\n" + row
	fmt.Print(table)
	return os.WriteFile(filepath.Join(out, "bench-export.md"), []byte(table), 0o644)
}
