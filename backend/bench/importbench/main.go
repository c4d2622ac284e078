// Command importbench is `make bench`: it generates a realistic 100 MB account
// CSV, then measures Batchdesk against the floors of DESIGN §5 on the test
// PostgreSQL (BATCHDESK_TEST_PG): insert vs `psql \copy`, update by a unique
// field vs COPY into staging + one UPDATE … FROM, validate-only vs a bare
// encoding/csv read. Three alternating rounds; it prints a markdown table of
// medians (and writes it to DIR/bench.md), with Batchdesk's peak RSS.
//
// Usage: go run ./backend/bench/importbench -out DIR [-mb 100]
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/bench/benchkit"
	"batchdesk/backend/crm"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/pipeline"
	"batchdesk/backend/ingest/source"
	"batchdesk/backend/pgtest"
)

const tableDDL = `(
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

func main() {
	out := flag.String("out", "test-output/bench", "output folder")
	mb := flag.Int("mb", 100, "file size in MB")
	child := flag.String("child", "", "internal: run one Batchdesk job (insert|update|upsert|validate) on -dsn -file")
	dsn := flag.String("dsn", "", "internal")
	file := flag.String("file", "", "internal")
	flag.StringVar(&childObject, "object", "bench_b", "internal: the object the child imports into")
	flag.IntVar(&childWorkers, "workers", 0, "internal: parallel COPY streams of the child (0 = one per core)")
	flag.IntVar(&childBatch, "batch", 0, "internal: rows per batch of the child (0 = the default)")
	flag.StringVar(&heapFile, "heap", "", "internal: write the child's heap profile at its peak to this file")
	flag.StringVar(&profileDir, "profile", "", "write a CPU profile of each Batchdesk run to this folder")
	flag.StringVar(&crmMB, "crm-mb", "93,360", "file sizes in MB of the CRM-table case (93 MB ≈ 570k rows, 360 MB ≈ 2.25M rows; \"\" skips it)")
	flag.IntVar(&rounds, "rounds", 3, "alternating rounds per case")
	flag.StringVar(&only, "only", "", "run only these cases, comma-separated: plain, crm, sandbox, preview")
	gen := flag.String("gen", "", "write the CRM-table file (-cols Account columns) of -mb MB to this path and exit")
	genCols := flag.Int("cols", 10, "columns of the -gen file (4 for the sandbox case)")
	flag.Parse()
	if *gen != "" {
		n, err := generateCols(*gen, int64(*mb)<<20, *genCols)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		fmt.Println(n, "rows")
		return
	}
	if *child != "" {
		if err := runChild(*child, *dsn, *file); err != nil {
			fmt.Fprintln(os.Stderr, "bench child:", err)
			os.Exit(1)
		}
		return
	}
	if err := bench(*out, *mb); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
}

// childObject is the object a child imports into; heapFile receives its
// heap profile at the peak.
var childObject, heapFile string

// childWorkers and childBatch override the pipeline's streams and batch size.
var childWorkers, childBatch int

func benchMapping(mode mapping.Mode, cols []string) mapping.Mapping {
	m := mapping.Mapping{Mode: mode, Columns: map[string]mapping.Column{}}
	if mode == mapping.Update || mode == mapping.Upsert {
		m.Key = "account_no"
	}
	for _, c := range cols {
		m.Columns[c] = mapping.Column{Field: c}
	}
	return m
}

// runChild is the measured Batchdesk side, in its own process for its RSS.
func runChild(mode, dsn, file string) error {
	ctx := context.Background()
	spec := crm.Spec{Kind: crm.KindPostgres, DSN: dsn}
	if path, ok := strings.CutPrefix(dsn, "sandbox:"); ok {
		spec = crm.Spec{Kind: crm.KindSandbox, Path: path}
	}
	tg, err := crm.Open(ctx, spec)
	if err != nil {
		return err
	}
	defer tg.Close()
	if mode == "demo" {
		return crm.InstallDemo(ctx, tg)
	}
	cols := columns
	if childObject != "bench_b" {
		cols = crmColumns
		if strings.HasPrefix(dsn, "sandbox:") {
			cols = crmColumns[:4]
		}
	}
	req := pipeline.Request{Target: tg, Object: childObject, Files: []string{file}, Source: source.Options{MaxBytes: -1},
		ErrorsPath: filepath.Join(filepath.Dir(file), "errors-"+mode+".csv"),
		JobID:      fmt.Sprintf("bench-%s-%d", mode, time.Now().UnixNano()),
		Workers:    childWorkers, BatchSize: childBatch}
	switch mode {
	case "insert":
		req.Mapping = benchMapping(mapping.Insert, cols)
	case "update":
		req.Mapping = benchMapping(mapping.Update, cols)
	case "upsert":
		req.Mapping = benchMapping(mapping.Upsert, cols)
	case "validate":
		req.Mapping, req.ValidateOnly, req.JobID = benchMapping(mapping.Insert, cols), true, ""
	case "preview":
		req.Mapping, req.ValidateOnly, req.JobID = benchMapping(mapping.Insert, cols), true, ""
		t0 := time.Now()
		var once sync.Once
		req.OnFailedRow = func(pipeline.FailedRow) {
			once.Do(func() { fmt.Printf("first %.6f\n", time.Since(t0).Seconds()) })
		}
		_, err := pipeline.Run(ctx, req, nil)
		return err
	}
	if heapFile != "" {
		stop := watchHeap(heapFile)
		defer stop()
	}
	if profileDir != "" {
		pf, err := os.Create(filepath.Join(profileDir, "cpu-"+mode+".pprof"))
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	t0 := time.Now()
	res, err := pipeline.Run(ctx, req, nil)
	if err != nil {
		return err
	}
	// The pipeline's own time, for measurements in-process like the
	// encoding/csv floor (no process start, no CRM connection).
	fmt.Printf("seconds %.6f\n", time.Since(t0).Seconds())
	if res.Failed > 0 {
		return fmt.Errorf("%d rows failed (see %s)", res.Failed, res.ErrorsFile)
	}
	return nil
}

// profileDir, when set, receives a CPU profile of each Batchdesk run.
var profileDir string

// crmMB, rounds and only choose the cases and their sizes.
var (
	crmMB  string
	rounds int
	only   string
)

func want(c string) bool { return only == "" || strings.Contains(","+only+",", ","+c+",") }

func bench(out string, mb int) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	file := filepath.Join(out, "accounts.csv")
	rows, err := generate(file, int64(mb)<<20)
	if err != nil {
		return err
	}
	st, _ := os.Stat(file)
	fmt.Printf("generated %s: %d rows, %.1f MB\n", file, rows, float64(st.Size())/(1<<20))
	ctx := context.Background()
	dsn, drop, err := benchkit.NewDatabase(ctx, pgtest.ServerDSN(), "bd_bench")
	if err != nil {
		return err
	}
	defer drop()
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	for _, t := range []string{"bench_a", "bench_b"} {
		if _, err := db.Exec(ctx, "CREATE TABLE "+t+" "+tableDDL); err != nil {
			return err
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	truncate := func() error {
		_, err := db.Exec(ctx, "TRUNCATE bench_a, bench_b; CHECKPOINT")
		return err
	}
	cols := strings.Join(columns, ", ")
	psql := func(script string) (benchkit.Sample, error) {
		cmd := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn)
		cmd.Stdin = strings.NewReader(script)
		return benchkit.Timed(cmd)
	}
	bd := func(mode string) (benchkit.Sample, error) {
		return benchkit.Timed(exec.Command(exe, "-child", mode, "-dsn", dsn, "-file", file, "-profile", profileDir))
	}
	// bdInProcess times the pipeline inside its process, as the floor it
	// is compared with is timed (the preview runs in the already open app).
	bdInProcess := func(mode string) (benchkit.Sample, error) {
		cmd := exec.Command(exe, "-child", mode, "-dsn", dsn, "-file", file, "-profile", profileDir)
		var stdout strings.Builder
		cmd.Stdout = &stdout
		s, err := benchkit.Timed(cmd)
		if err != nil {
			return s, err
		}
		for _, l := range strings.Split(stdout.String(), "\n") {
			if v, ok := strings.CutPrefix(l, "seconds "); ok {
				if s.Secs, err = strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
					return s, err
				}
			}
		}
		return s, nil
	}
	csvRead := func() (benchkit.Sample, error) {
		t0 := time.Now()
		f, err := os.Open(file)
		if err != nil {
			return benchkit.Sample{}, err
		}
		defer f.Close()
		r := csv.NewReader(f)
		r.ReuseRecord = true
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				return benchkit.Sample{}, err
			}
		}
		return benchkit.Sample{Secs: time.Since(t0).Seconds()}, nil
	}
	copyA := fmt.Sprintf("\\copy bench_a (%s) FROM '%s' WITH (FORMAT csv, HEADER true)\n", cols, file)
	var set []string
	for _, c := range columns[1:] {
		set = append(set, fmt.Sprintf("%s = s.%s", c, c))
	}
	updateFloor := "BEGIN;\nCREATE TEMP TABLE s (LIKE bench_a) ON COMMIT DROP;\n" +
		fmt.Sprintf("\\copy s (%s) FROM '%s' WITH (FORMAT csv, HEADER true)\n", cols, file) +
		"UPDATE bench_a AS t SET " + strings.Join(set, ", ") + " FROM s WHERE t.account_no = s.account_no;\nCOMMIT;\n"
	var insF, insB, updF, updB, valF, valB []benchkit.Sample
	for round := 1; round <= rounds && want("plain"); round++ {
		fmt.Printf("round %d …\n", round)
		if err := truncate(); err != nil {
			return err
		}
		for _, step := range []struct {
			name string
			dst  *[]benchkit.Sample
			run  func() (benchkit.Sample, error)
		}{
			{"insert psql", &insF, func() (benchkit.Sample, error) { return psql(copyA) }},
			{"insert batchdesk", &insB, func() (benchkit.Sample, error) { return bd("insert") }},
			{"update psql", &updF, func() (benchkit.Sample, error) { return psql(updateFloor) }},
			{"update batchdesk", &updB, func() (benchkit.Sample, error) {
				// bench_b must hold the rows to update: it does, from the insert.
				return bd("update")
			}},
			{"validate csv", &valF, csvRead},
			{"validate batchdesk", &valB, func() (benchkit.Sample, error) { return bdInProcess("validate") }},
		} {
			if _, err := db.Exec(ctx, "CHECKPOINT"); err != nil {
				return err
			}
			s, err := step.run()
			if err != nil {
				return fmt.Errorf("%s: %w", step.name, err)
			}
			fmt.Printf("  %-20s %6.2f s\n", step.name, s.Secs)
			*step.dst = append(*step.dst, s)
		}
	}
	var lines []line
	if want("plain") {
		lines = append(lines,
			line{name: "Import, insert mode", floor: "psql \\copy", f: insF, b: insB, target: 1.0},
			line{name: "Import, update mode (unique field)", floor: "COPY to staging + UPDATE … FROM", f: updF, b: updB, target: 1.2},
			line{name: "Preview (validate only, in-process)", floor: "encoding/csv read", f: valF, b: valB, target: 2.0})
	}
	if want("preview") {
		l, err := previewCase(exe, dsn, file, rounds)
		if err != nil {
			return err
		}
		lines = append(lines, l)
	}
	if want("sandbox") {
		l, err := sandboxCase(exe, out, rounds)
		if err != nil {
			return err
		}
		lines = append(lines, l)
	}
	for _, m := range strings.Split(crmMB, ",") {
		if m = strings.TrimSpace(m); m == "" || !want("crm") {
			continue
		}
		n, err := strconv.Atoi(m)
		if err != nil {
			return fmt.Errorf("-crm-mb %q: %w", m, err)
		}
		l, err := crmCase(ctx, exe, out, n, rounds)
		if err != nil {
			return err
		}
		lines = append(lines, l)
	}
	table := render(rows, st.Size(), lines)
	fmt.Print(table)
	return os.WriteFile(filepath.Join(out, "bench.md"), []byte(table), 0o644)
}

type line struct {
	name, floor string
	f, b        []benchkit.Sample
	target      float64
	rows        int  // rows of the case (0 = the 100 MB file's)
	absolute    bool // target is in seconds of Batchdesk, no floor
}

func render(rows int, size int64, lines []line) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%d rows, %.1f MB (plain-table and preview cases), median of %d alternating rounds\n\n", rows, float64(size)/(1<<20), rounds)
	b.WriteString("| step | floor | floor s | Batchdesk s | ratio | target | rows/s | peak RSS MB |\n|---|---|---|---|---|---|---|---|\n")
	for _, l := range lines {
		f, bd := benchkit.Median(l.f, false), benchkit.Median(l.b, false)
		n := l.rows
		if n == 0 {
			n = rows
		}
		if l.absolute {
			ok := "✅"
			if bd > l.target {
				ok = "❌"
			}
			fmt.Fprintf(&b, "| %s | — | — | %.2f | — %s | < %.0f s | — | %.0f |\n", l.name, bd, ok, l.target, benchkit.Median(l.b, true)/1024)
			continue
		}
		ok := "✅"
		if bd/f > l.target {
			ok = "❌"
		}
		fmt.Fprintf(&b, "| %s | %s | %.2f | %.2f | %.2f× %s | ≤ %.1f× | %.0f | %.0f |\n", l.name, l.floor, f, bd, bd/f, ok, l.target,
			float64(n)/bd, benchkit.Median(l.b, true)/1024)
	}
	return b.String()
}
