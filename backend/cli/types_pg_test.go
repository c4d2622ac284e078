package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/pgtest"
)

// TestEveryColumnType imports into a plain table of each PostgreSQL type
// the issue named (and the others introspection reads) a file of a good
// value, a bad one and the good one again: validate finds the bad one
// (the server's input function reads the types validation does not know),
// the job always runs to its end, the good rows land as written, the bad
// one is a row problem — never a failed or interrupted job.
func TestEveryColumnType(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	isolateHome(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(q string) {
		t.Helper()
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
	cases := []struct{ name, typ, good, bad, stored string }{
		{"int4", "integer", "2147483647", "2147483648", "2147483647"},
		{"int2", "smallint", "32767", "32768", "32767"},
		{"int8", "bigint", "9223372036854775807", "9223372036854775808", "9223372036854775807"},
		{"numeric", "numeric(5,2)", "123.45", "1234.5", "123.45"},
		{"float4", "real", "1.5", "1e39", "1.5"},
		{"float8", "double precision", "1.5", "abc", "1.5"},
		{"varchar", "varchar(3)", "abc", "abcd", "abc"},
		{"char", "char(2)", "ab", "abc", "ab"},
		{"text_arr", "text[]", `"{a,b}"`, `"{a,b"`, "{a,b}"},
		{"int_arr", "int[]", `"{1,2}"`, `"{1,x}"`, "{1,2}"},
		{"bytea", "bytea", `\x4142`, `\xZZ`, `\x4142`},
		{"inet", "inet", "10.0.0.1", "10.0.0.300", "10.0.0.1/32"},
		{"interval", "interval", "1 day", "1 fortnight", "1 day"},
		{"time", "time", "12:34:56", "25:99", "12:34:56"},
		{"timetz", "timetz", "12:34:56+02", "12:34:99+02", "12:34:56+02"},
		{"point", "point", `"(1,2)"`, `"(1,"`, "(1,2)"},
		{"oid", "oid", "4294967295", "4294967296", "4294967295"},
		{"tsvector", "tsvector", "a:1 b:2", "a:0", "'a':1 'b':2"},
		{"money", "money", "12.34", "12.3.4", "$12.34"},
		{"date", "date", "2024-02-29", "2023-02-29", "2024-02-29"},
		{"timestamp", "timestamp", "2024-01-02 03:04:05", "2024-13-02 03:04:05", "2024-01-02 03:04:05"},
		{"bool", "boolean", "true", "maybe", "true"},
		{"uuid", "uuid", "6f1c2a7e-0b7d-4c1e-9a55-3e0f2b1d4c88", "6f1c2a7e", "6f1c2a7e-0b7d-4c1e-9a55-3e0f2b1d4c88"},
		{"json", "json", `"{""a"":1}"`, `"{a:1}"`, `{"a":1}`},
		{"jsonb", "jsonb", `"{""a"":1}"`, `"{a:1}"`, `{"a": 1}`},
		{"enum", "mood", "ok", "meh", "ok"},
		{"macaddr", "macaddr", "08:00:2b:01:02:03", "08:00:2b", "08:00:2b:01:02:03"},
		{"cidr", "cidr", "10.0.0.0/8", "10.0.0.1/8", "10.0.0.0/8"},
		{"int4range", "int4range", `"[1,5)"`, `"[5,1)"`, "[1,5)"},
		{"xml", "xml", "<a/>", "<a>", "<a/>"},
		{"bit", "bit(3)", "101", "1012", "101"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			table := "ty_" + c.name
			exec(fmt.Sprintf("CREATE TABLE %s (n int PRIMARY KEY, v %s)", table, c.typ))
			file := writeFile(t, c.name+".csv", fmt.Sprintf("n,v\n1,%s\n2,%s\n3,%s\n", c.good, c.bad, c.good))
			r := runCLI(t, ctx, "validate", "--crm", dsn, "--object", table, file, "--json")
			if v := decodeSummary(t, r.lastLine()); r.code != ExitRowsFail || v.Failed != 1 {
				t.Errorf("validate: exit %d, %+v, want the bad row found before anything is sent %s", r.code, v, r.stderr)
			}
			r = runCLI(t, ctx, "import", "--crm", dsn, "--object", table, file, "--json")
			if r.code != ExitRowsFail {
				t.Fatalf("exit %d, want 1 (the job ran, a row failed): %s %s", r.code, r.stderr, r.stdout)
			}
			s := decodeSummary(t, r.lastLine())
			if s.Status != "done" || s.Succeeded != 2 || s.Failed != 1 || s.ErrorsFile == nil {
				t.Fatalf("summary = %+v", s)
			}
			report, err := os.ReadFile(*s.ErrorsFile)
			if err != nil || !strings.Contains(string(report), "\n2,") {
				t.Fatalf("report %v: %s", err, report)
			}
			var stored []string
			rows, err := conn.Query(ctx, "SELECT v::text FROM "+table+" ORDER BY n")
			if err != nil {
				t.Fatal(err)
			}
			stored, err = pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil || len(stored) != 2 || stored[0] != c.stored || stored[1] != c.stored {
				t.Fatalf("stored %q (%v), want %q twice", stored, err, c.stored)
			}
		})
	}
}

// TestOutOfRangeIsAValidationProblem is the case: row 15,000 of
// 20,000 holds 2147483648 for an int column. validate finds it; the import
// runs to its end with the other 19,999 rows, each once.
func TestOutOfRangeIsAValidationProblem(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	isolateHome(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TABLE acct (name text NOT NULL, employees integer, tiny smallint)"); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("name,employees,tiny\n")
	for i := 1; i <= 20000; i++ {
		emp, tiny := fmt.Sprint(i), "1"
		switch i {
		case 15000:
			emp = "2147483648"
		case 15001:
			tiny = "32768"
		}
		fmt.Fprintf(&b, "Acct %05d,%s,%s\n", i, emp, tiny)
	}
	file := writeFile(t, "acct.csv", b.String())
	r := runCLI(t, ctx, "validate", "--crm", dsn, "--object", "acct", file, "--json")
	if s := decodeSummary(t, r.lastLine()); r.code != ExitRowsFail || s.Failed != 2 {
		t.Fatalf("validate: exit %d, %+v %s", r.code, s, r.stderr)
	}
	r = runCLI(t, ctx, "import", "--crm", dsn, "--object", "acct", file, "--json")
	s := decodeSummary(t, r.lastLine())
	if r.code != ExitRowsFail || s.Status != "done" || s.Succeeded != 19998 || s.Failed != 2 {
		t.Fatalf("import: exit %d, %+v %s", r.code, s, r.stderr)
	}
	report, _ := os.ReadFile(*s.ErrorsFile)
	if !strings.Contains(string(report), "out of range") || !strings.Contains(string(report), "15001,") {
		t.Fatalf("report:\n%s", report)
	}
	var n, distinct int
	if err := conn.QueryRow(ctx, "SELECT count(*), count(DISTINCT name) FROM acct").Scan(&n, &distinct); err != nil || n != 19998 || distinct != 19998 {
		t.Fatalf("%d rows, %d distinct (%v)", n, distinct, err)
	}
}
