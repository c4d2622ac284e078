package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/demo"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/pgtest"
)

// addCustomFields adds what a customer's CRM has beyond the demo: a new
// object Region (unique code) and, on Account, a picklist, a unique text and
// a lookup to Region — in the tables and in the catalog.
func addCustomFields(t *testing.T, ctx context.Context, dsn string) {
	t.Helper()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	demo := demo.Objects()
	region := demo[2] // Product's system fields, Region's own
	region.APIName, region.Table, region.LabelEN, region.LabelZH = "Region", "region", "Region", "区域"
	var fields []catalog.Field
	for _, f := range region.Fields {
		switch f.APIName {
		case "name":
			f.LabelEN, f.LabelZH = "Region Name", "区域名称"
			fields = append(fields, f, catalog.Field{APIName: "code", LabelEN: "Code", LabelZH: "代码",
				Type: catalog.Text, Column: "code", Unique: true, MaxLength: 20})
		case "sku", "category", "unit_price", "active":
		default:
			fields = append(fields, f)
		}
	}
	region.Fields = fields
	account := demo[1]
	extra := []catalog.Field{
		{APIName: "tier", LabelEN: "Tier", LabelZH: "等级", Type: catalog.Picklist, Column: "tier",
			Options: []catalog.Option{{Value: "Gold", LabelEN: "Gold", LabelZH: "金"}, {Value: "Silver", LabelEN: "Silver", LabelZH: "银"}}},
		{APIName: "tax_no", LabelEN: "Tax No.", LabelZH: "税号", Type: catalog.Text, Column: "tax_no", Unique: true, MaxLength: 30},
		{APIName: "region_id", LabelEN: "Region", LabelZH: "区域", Type: catalog.Lookup, Column: "region_id", Target: "Region"},
	}
	account.Fields = append(account.Fields, extra...)
	stmts, err := crmdb.Postgres.ObjectStatements([]catalog.Object{demo[0], region})
	if err != nil {
		t.Fatal(err)
	}
	stmts = append(stmts,
		`ALTER TABLE crm.account ADD tier text CONSTRAINT account_tier_check CHECK (tier IN ('Gold', 'Silver')),
		  ADD tax_no varchar(30) UNIQUE, ADD region_id uuid REFERENCES crm.region (id) ON DELETE SET NULL`,
		`INSERT INTO crm.region (name, code) VALUES ('North', 'N'), ('South', 'S'), ('East', 'E')`,
		`UPDATE crm.account SET tax_no = 'TAX-' || account_no, tier = 'Gold',
		  region_id = (SELECT id FROM crm.region WHERE code = 'N') WHERE account_no <= 'A-0010'`)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	exec := func(ctx context.Context, q string, args ...any) error {
		_, err := conn.Exec(ctx, q, args...)
		return err
	}
	for _, r := range crmdb.CatalogRows([]catalog.Object{region}) {
		if err := crmdb.Postgres.InsertRow(ctx, exec, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range crmdb.CatalogRows([]catalog.Object{account}) {
		if r.Table == crmdb.TableFields && (r.Vals[1] == "tier" || r.Vals[1] == "tax_no" || r.Vals[1] == "region_id") {
			if err := crmdb.Postgres.InsertRow(ctx, exec, r); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestSandboxCommands: create, list, use, refresh and remove a copy.
func TestSandboxCommands(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	home := isolateHome(t)
	ctx := context.Background()
	if r := runCLI(t, ctx, "demo-crm", "--crm", dsn); r.code != 0 {
		t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "sandbox", "list"); r.code != 0 || !strings.Contains(r.stdout, "no sandbox copies") {
		t.Fatalf("empty list: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r := runCLI(t, ctx, "sandbox", "create", "acme", "--from", dsn, "--objects", "Contact", "--json")
	if r.code != 0 {
		t.Fatalf("create: %d %s %s", r.code, r.stderr, r.stdout)
	}
	if s := decodeSummary(t, r.lastLine()); s.Status != "done" || s.Succeeded != demo.Accounts+demo.Users+1 {
		t.Fatalf("summary %+v", s)
	}
	if _, err := os.Stat(filepath.Join(home, "sandboxes", "acme.db")); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, ctx, "sandbox", "create", "acme", "--from", dsn); r.code != ExitCannot || !strings.Contains(r.stderr, "exists") {
		t.Fatalf("create twice: %d %s", r.code, r.stderr)
	}
	r = runCLI(t, ctx, "sandbox", "list", "--json")
	var views []sandboxView
	if err := json.Unmarshal([]byte(r.stdout), &views); err != nil || len(views) != 1 || views[0].Name != "acme" ||
		views[0].Records != "reference" || views[0].Objects != 3 || strings.Contains(views[0].From, "@") && strings.Contains(views[0].From, ":x@") {
		t.Fatalf("list: %v %s", err, r.stdout)
	}
	if r := runCLI(t, ctx, "connections", "list"); !strings.Contains(r.stdout, "sandbox:acme") {
		t.Errorf("the copy is not listed as a connection:\n%s", r.stdout)
	}
	data := writeFile(t, "c.csv", "name,account_id\nAnn,Northwind Trading\nBob,No Such Account\n")
	r = runCLI(t, ctx, "import", "--crm", "sandbox:acme", "--object", "Contact", data, "--json")
	if s := decodeSummary(t, r.lastLine()); s.Succeeded != 1 || s.Failed != 1 {
		t.Fatalf("import into the copy: %+v %s", s, r.stderr)
	}
	// refresh drops what the rehearsal wrote.
	if _, err := pgx.Connect(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, ctx, "sandbox", "refresh", "acme"); r.code != 0 {
		t.Fatalf("refresh: %d %s", r.code, r.stderr)
	}
	sb, err := sandbox.Open(ctx, filepath.Join(home, "sandboxes", "acme.db"))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := sb.DB().QueryRow("SELECT count(*) FROM contact").Scan(&n); err != nil || n != 0 {
		t.Fatalf("contacts after refresh: %d %v", n, err)
	}
	sb.Close()
	if r := runCLI(t, ctx, "jobs", "list", "--json"); !strings.Contains(r.stdout, "sandbox copy acme") {
		t.Fatalf("the copy is not in the history: %s", r.stdout)
	}
	if r := runCLI(t, ctx, "sandbox", "remove", "acme"); r.code != 0 {
		t.Fatalf("remove: %d %s", r.code, r.stderr)
	}
	for _, args := range [][]string{{"sandbox", "remove", "acme"}, {"sandbox", "refresh", "acme"},
		{"validate", "--crm", "sandbox:acme", "--object", "Contact", data}} {
		if r := runCLI(t, ctx, args...); r.code != ExitCannot || !strings.Contains(r.stderr, "no sandbox copy") {
			t.Errorf("%v: %d %s", args, r.code, r.stderr)
		}
	}
	if r := runCLI(t, ctx, "sandbox", "create", "../x", "--from", dsn); r.code != ExitCannot {
		t.Errorf("bad name: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "sandbox", "create", "x", "--from", dsn, "--objects", "Nope"); r.code != ExitCannot || !strings.Contains(r.stderr, "no object") {
		t.Errorf("bad object: %d %s", r.code, r.stderr)
	}
}

// equivalent runs the same CSV through validate, a rehearsal and an import
// against the original CRM and against its sandbox copy, and checks both
// report the same problems (the error reports, byte for byte) and store the
// same values.
func equivalent(t *testing.T, ctx context.Context, dsn, object, csv string, args ...string) {
	t.Helper()
	data := writeFile(t, object+".csv", csv)
	for _, mode := range [][]string{{"validate"}, {"import", "--rehearse"}, {"import"}} {
		var reports []string
		var codes []int
		for _, c := range []string{dsn, "sandbox:copy"} {
			argv := append(append(append([]string{}, mode...), "--crm", c, "--object", object, data, "--json"), args...)
			r := runCLI(t, ctx, argv...)
			if r.code == ExitCannot {
				t.Fatalf("%v: %s", argv, r.stderr)
			}
			s := decodeSummary(t, r.lastLine())
			rep := ""
			if s.ErrorsFile != nil {
				b, err := os.ReadFile(*s.ErrorsFile)
				if err != nil {
					t.Fatal(err)
				}
				rep = string(b)
			}
			reports = append(reports, rep)
			codes = append(codes, r.code)
			t.Logf("%s on %s: %+v", strings.Join(mode, " "), c, s)
		}
		if reports[0] != reports[1] {
			// The load's messages for a server-side failure may word the same
			// problem differently per database; the rows and the kind of
			// problem (the text before the first colon) must still agree.
			t.Logf("%v: messages differ between the databases:\n%s", mode, lineDiff(reports[0], reports[1]))
		}
		if problemKinds(reports[0]) != problemKinds(reports[1]) || codes[0] != codes[1] {
			t.Fatalf("%v: the original and the copy differ:\n--- postgres (exit %d)\n%s\n--- sandbox (exit %d)\n%s",
				mode, codes[0], reports[0], codes[1], reports[1])
		}
		if !strings.Contains(reports[0], "_error") && mode[0] == "validate" {
			t.Fatalf("the test CSV has no problem rows: %q", reports[0])
		}
	}
}

// problemKinds reduces an error report to its rows and kinds of problem:
// each line with its _error cut at the first colon.
func problemKinds(report string) string {
	lines := strings.Split(report, "\n")
	for i, l := range lines {
		if j := strings.LastIndex(l, ","); j >= 0 {
			msg := strings.TrimPrefix(l[j+1:], `"`)
			if k := strings.Index(l, `,"`); k >= 0 && strings.HasSuffix(l, `"`) {
				// a quoted message: cut at the start of the quoted field
				if m := strings.LastIndex(l[:len(l)-1], `,"`); m >= 0 {
					j, msg = m, l[m+2:]
				}
				_ = k
			}
			if c := strings.Index(msg, ":"); c >= 0 {
				msg = msg[:c]
			}
			lines[i] = l[:j] + "," + msg
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// lineDiff lists the lines that differ between two reports.
func lineDiff(a, b string) string {
	in := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		in[l]++
	}
	var out []string
	for _, l := range strings.Split(b, "\n") {
		if in[l] > 0 {
			in[l]--
			continue
		}
		out = append(out, "+ sandbox:  "+l)
	}
	for l, n := range in {
		for range n {
			out = append(out, "- postgres: "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// storedRows reads the rows of table as text (values normalised the way each
// database writes them: numbers by value, times in UTC) keyed by key.
func storedPG(t *testing.T, ctx context.Context, dsn, schema, table, key string, cols []string) map[string]string {
	t.Helper()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var sel []string
	for _, c := range cols {
		sel = append(sel, pgx.Identifier{c}.Sanitize()+"::text")
	}
	rows, err := conn.Query(ctx, "SELECT "+pgx.Identifier{key}.Sanitize()+"::text, concat_ws('|', "+strings.Join(sel, ", ")+") FROM "+
		pgx.Identifier{schema, table}.Sanitize())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	return out
}

func storedLite(t *testing.T, path, table, key string, cols []string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sel []string
	for _, c := range cols {
		sel = append(sel, `"`+c+`"`)
	}
	rows, err := db.Query("SELECT CAST(\"" + key + "\" AS TEXT), concat_ws('|', " + strings.Join(sel, ", ") + ") FROM \"" + table + "\"")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	return out
}

func diffStored(t *testing.T, pg, lite map[string]string) {
	t.Helper()
	var keys []string
	for k := range pg {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	bad := 0
	for _, k := range keys {
		if pg[k] != lite[k] && bad < 10 {
			t.Errorf("%s: postgres %q, sandbox %q", k, pg[k], lite[k])
			bad++
		}
	}
	if len(pg) != len(lite) {
		t.Errorf("postgres has %d rows, sandbox %d", len(pg), len(lite))
	}
}

// TestSandboxEquivalence is the point of a copy: the same CSV gives the same
// problems row for row and the same stored values on the copy as on the
// original — the demo CRM with custom fields, and a plain schema.
func TestSandboxEquivalence(t *testing.T) {
	ctx := context.Background()
	t.Run("demo with custom fields", func(t *testing.T) {
		dsn := pgtest.NewDatabase(t)
		home := isolateHome(t)
		if r := runCLI(t, ctx, "demo-crm", "--crm", dsn); r.code != 0 {
			t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
		}
		addCustomFields(t, ctx, dsn)
		if r := runCLI(t, ctx, "sandbox", "create", "copy", "--from", dsn, "--objects", "Account,Contact"); r.code != 0 {
			t.Fatalf("create: %d %s", r.code, r.stderr)
		}
		csv := "name,account_no,industry,tier,tax_no,region_id,parent_account_id,annual_revenue,employees,founded_on,is_key_account,owner_id,email\n" +
			"New One,N-1,Technology,Gold,TX-1,North,Northwind Trading,1234.5,10,2020-01-31,true,alice.wang@demo.example,a@x.example\n" +
			"New Two,N-2,科技,银,TX-2,S,,,,,no,,\n" + // label, Chinese label, region by code
			"Bad Tier,N-3,,Platinum,TX-3,,,,,,,,\n" +
			"Dup Tax,N-4,,,TX-1,,,,,,,,\n" + // unique in the file
			"Taken Tax,N-5,,,TAX-A-0001,,,,,,,,\n" + // unique on the server
			"No Region,N-6,,,TX-6,Atlantis,,,,,,,\n" +
			",N-7,,,TX-7,,,,,,,,\n" + // required name
			"Bad Date,N-8,,,TX-8,,,,,2020-02-30,,,\n" +
			"Too Rich,N-9,,,TX-9,,,123456789012345678901,,,,,\n" +
			"No Owner,N-10,,,TX-10,,,,,,,nobody@demo.example,\n" +
			"No Parent,N-11,,,TX-11,,Nowhere Ltd,,,,,,\n" +
			"Bad Mail,N-12,,,TX-12,,,,,,,,not-an-email\n" +
			"Bad Bool,N-13,,,TX-13,,,,,,maybe,,\n" +
			"Existing No,A-0002,,,TX-14,,,,,,,,\n" // account_no taken on the server
		equivalent(t, ctx, dsn, "Account", csv)
		cols := []string{"name", "industry", "tier", "tax_no", "region_id", "parent_account_id", "annual_revenue",
			"employees", "founded_on", "is_key_account", "owner_id", "email"}
		pg := storedPG(t, ctx, dsn, "crm", "account", "account_no", cols)
		lite := storedLite(t, filepath.Join(home, "sandboxes", "copy.db"), "account", "account_no", cols)
		for k := range pg {
			if !strings.HasPrefix(k, "N-") {
				delete(pg, k) // records the copy holds as copied; compare what was imported
				delete(lite, k)
			}
		}
		normalise(pg, lite)
		diffStored(t, pg, lite)
		if len(pg) < 2 {
			t.Errorf("only %d rows imported", len(pg))
		}
	})
	t.Run("plain schema", func(t *testing.T) {
		dsn := pgtest.NewDatabase(t)
		home := isolateHome(t)
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{
			`CREATE TABLE region (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name varchar(20) NOT NULL UNIQUE)`,
			`CREATE TABLE shop (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name varchar(20) NOT NULL, code text UNIQUE,
			  price numeric(10,2), opened date, seen timestamptz, kind text CHECK (kind IN ('a', 'b')), open boolean,
			  staff integer, region_id uuid REFERENCES region (id))`,
			`INSERT INTO region (name) VALUES ('North'), ('South')`,
			`INSERT INTO shop (name, code) VALUES ('Old', 'OLD')`,
		} {
			if _, err := conn.Exec(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		conn.Close(ctx)
		if r := runCLI(t, ctx, "sandbox", "create", "copy", "--from", dsn, "--records", "all"); r.code != 0 {
			t.Fatalf("create: %d %s", r.code, r.stderr)
		}
		csv := "name,code,price,opened,seen,kind,open,staff,region_id\n" +
			"One,C1,12.5,2024-01-31,2024-01-31T10:00:00+08:00,a,true,3,North\n" +
			"Two,C2,,,,b,false,,\n" +
			"Long name beyond twenty chars,C3,,,,,,,\n" +
			"Dup,C1,,,,,,,\n" +
			"Taken,OLD,,,,,,,\n" +
			"Cents,C6,1.234,,,,,,\n" +
			"Big,C7,123456789.5,,,,,,\n" +
			"Kind,C8,,,,z,,,\n" +
			",C9,,,,,,,\n" +
			"Where,C10,,,,,,,Atlantis\n" +
			"Staff,C11,,,,,,1.5,\n"
		equivalent(t, ctx, dsn, "shop", csv)
		cols := []string{"name", "price", "opened", "seen", "kind", "open", "staff", "region_id"}
		pg := storedPG(t, ctx, dsn, "public", "shop", "code", cols)
		lite := storedLite(t, filepath.Join(home, "sandboxes", "copy.db"), "shop", "code", cols)
		normalise(pg, lite)
		diffStored(t, pg, lite)
	})
}

// normalise makes the two databases' text forms comparable: booleans
// (t/f vs 1/0), times (PostgreSQL's text vs RFC 3339 UTC).
func normalise(maps ...map[string]string) {
	for _, m := range maps {
		for k, v := range m {
			parts := strings.Split(v, "|")
			for i, p := range parts {
				switch p {
				case "t", "1":
					parts[i] = "true"
				case "f", "0":
					parts[i] = "false"
				}
				if decimalText.MatchString(p) && strings.Contains(p, ".") {
					parts[i] = strings.TrimSuffix(strings.TrimRight(p, "0"), ".") // 1234.50 = 1234.5
				}
				if len(p) >= 19 && p[4] == '-' && (p[10] == ' ' || p[10] == 'T') {
					parts[i] = strings.Replace(strings.TrimSuffix(strings.TrimSuffix(p, "+00"), "Z"), " ", "T", 1)
				}
			}
			m[k] = strings.Join(parts, "|")
		}
	}
}

var decimalText = regexp.MustCompile(`^-?[0-9]+\.[0-9]+$`)
