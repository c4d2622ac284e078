package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/bench/benchkit"
	"batchdesk/backend/pgtest"
)

// crmCase imports a generated 10-column account file of mb MB into the
// demo CRM's crm.account (UUID primary key with a random default, unique
// account_no, four more indexes, foreign keys, CHECKs) and compares with
// psql \copy of the same file into the same columns, rounds alternating.
func crmCase(ctx context.Context, exe, out string, mb, rounds int) (line, error) {
	file := filepath.Join(out, fmt.Sprintf("crm-accounts-%dmb.csv", mb))
	rows, err := generateCols(file, int64(mb)<<20, len(crmColumns))
	if err != nil {
		return line{}, err
	}
	defer os.Remove(file)
	admin := pgtest.ServerDSN()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return line{}, fmt.Errorf("PostgreSQL at BATCHDESK_TEST_PG: %w", err)
	}
	defer conn.Close(context.Background())
	dbName := fmt.Sprintf("bd_bench_crm_%d", rows)
	db := pgx.Identifier{dbName}.Sanitize()
	conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		return line{}, err
	}
	defer conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)")
	dsn := pgtest.WithDatabase(admin, dbName)
	if _, err := benchkit.Timed(exec.Command(exe, "-child", "demo", "-dsn", dsn)); err != nil {
		return line{}, fmt.Errorf("install the demo CRM: %w", err)
	}
	reset := func() error {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, "TRUNCATE crm.account CASCADE; CHECKPOINT")
		return err
	}
	copyCmd := fmt.Sprintf("\\copy crm.account (%s) FROM '%s' WITH (FORMAT csv, HEADER true)\n", strings.Join(crmColumns, ", "), file)
	l := line{name: fmt.Sprintf("Import into the demo CRM's `crm.account`, %d rows", rows), floor: "psql \\copy", target: 0.8, rows: rows}
	for round := 1; round <= rounds; round++ {
		for _, side := range []string{"psql", "batchdesk"} {
			if err := reset(); err != nil {
				return l, err
			}
			var s benchkit.Sample
			if side == "psql" {
				cmd := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn)
				cmd.Stdin = strings.NewReader(copyCmd)
				s, err = benchkit.Timed(cmd)
				l.f = append(l.f, s)
			} else {
				s, err = benchkit.Timed(exec.Command(exe, "-child", "insert", "-object", "Account", "-dsn", dsn, "-file", file, "-profile", profileDir))
				l.b = append(l.b, s)
			}
			if err != nil {
				return l, fmt.Errorf("crm %d rows, %s: %w", rows, side, err)
			}
			fmt.Printf("  crm %-8d %-10s %6.2f s  %4d MB\n", rows, side, s.Secs, s.RSS>>10)
		}
	}
	return l, nil
}

// sandboxCase imports a 4-column Account file of about 400,000 rows into a
// fresh demo sandbox and compares with the sqlite3 shell's .import into a
// scratch table plus one INSERT … SELECT into the same STRICT table (same
// CHECKs, indexes, foreign keys on, WAL, synchronous=NORMAL).
func sandboxCase(exe, out string, rounds int) (line, error) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		return line{}, fmt.Errorf("the sandbox floor needs the sqlite3 shell (build/scripts/deps.sh apt): %w", err)
	}
	file := filepath.Join(out, "sandbox-accounts.csv")
	rows, err := generateCols(file, 21<<20, 4)
	if err != nil {
		return line{}, err
	}
	clean := filepath.Join(out, "sandbox-clean.db")
	removeDB(clean)
	if _, err := benchkit.Timed(exec.Command(exe, "-child", "demo", "-dsn", "sandbox:"+clean)); err != nil {
		return line{}, fmt.Errorf("install the demo sandbox: %w", err)
	}
	work := filepath.Join(out, "sandbox-run.db")
	defer removeDB(clean)
	defer removeDB(work)
	cols := strings.Join(crmColumns[:4], ", ")
	script := "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;\n" +
		"CREATE TEMP TABLE s(" + strings.Join(crmColumns[:4], " TEXT, ") + " TEXT);\n" +
		".import --csv --skip 1 '" + file + "' s\n" +
		"INSERT INTO account (" + cols + ") SELECT " + cols + " FROM s;\n"
	l := line{name: fmt.Sprintf("Import into the built-in sandbox's `account`, %d rows × 4 columns", rows), floor: "sqlite3 .import + INSERT … SELECT", target: 1.5, rows: rows}
	for round := 1; round <= rounds; round++ {
		for _, side := range []string{"sqlite3", "batchdesk"} {
			removeDB(work)
			if err := copyFile(clean, work); err != nil {
				return l, err
			}
			var s benchkit.Sample
			if side == "sqlite3" {
				cmd := exec.Command("sqlite3", work)
				cmd.Stdin = strings.NewReader(script)
				cmd.Stdout = io.Discard
				s, err = benchkit.Timed(cmd)
				l.f = append(l.f, s)
			} else {
				s, err = benchkit.Timed(exec.Command(exe, "-child", "insert", "-object", "Account", "-dsn", "sandbox:"+work, "-file", file, "-profile", profileDir))
				l.b = append(l.b, s)
			}
			if err != nil {
				return l, fmt.Errorf("sandbox, %s: %w", side, err)
			}
			fmt.Printf("  sandbox %-10s %6.2f s  %4d MB\n", side, s.Secs, s.RSS>>10)
		}
	}
	return l, nil
}

// previewCase validates a copy of the 100 MB file in which every 1,000th
// row has a number of employees that is not a number, and reports the
// time from the start of the preview to its first problem (the hook the
// window's problem list is fed from).
func previewCase(exe, dsn, file string, rounds int) (line, error) {
	bad := strings.TrimSuffix(file, ".csv") + "-problems.csv"
	if err := spreadProblems(file, bad, 1000); err != nil {
		return line{}, err
	}
	defer os.Remove(bad)
	l := line{name: "Preview: first problems of a 100 MB file with a problem every 1,000 rows", floor: "—", target: 1, absolute: true}
	for range rounds {
		cmd := exec.Command(exe, "-child", "preview", "-dsn", dsn, "-file", bad)
		var stdout strings.Builder
		cmd.Stdout = &stdout
		s, err := benchkit.Timed(cmd)
		if err != nil {
			return l, fmt.Errorf("preview: %w", err)
		}
		for _, ln := range strings.Split(stdout.String(), "\n") {
			if v, ok := strings.CutPrefix(ln, "first "); ok {
				s.Secs, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
			}
		}
		fmt.Printf("  preview first problem %6.3f s\n", s.Secs)
		l.b = append(l.b, s)
	}
	return l, nil
}

// spreadProblems copies src to dst with the 5th field (employees) of every
// n-th data row replaced by a word.
func spreadProblems(src, dst string, n int) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	r := bufio.NewReaderSize(in, 1<<20)
	w := bufio.NewWriterSize(out, 1<<20)
	for i := 0; ; i++ {
		ln, err := r.ReadString('\n')
		if ln != "" {
			if i > 0 && i%n == 0 {
				f := strings.SplitN(ln, ",", 6)
				if len(f) == 6 {
					f[4] = "many"
					ln = strings.Join(f, ",")
				}
			}
			w.WriteString(ln)
		}
		if err == io.EOF {
			break
		} else if err != nil {
			return err
		}
	}
	return w.Flush()
}

func removeDB(path string) {
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(path + s)
	}
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
