package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmtest"
	"batchdesk/backend/crm/demo"
	"batchdesk/backend/destination"
	"batchdesk/backend/jobs"
)

// addTricky adds records whose values test the writing of every type.
func addTricky(t *testing.T, c *crmtest.Target) {
	acct, user := "9a0b6d7e-0000-4000-8000-000000000001", demo.ID("User", 2)
	bTrue, at := "true", "'2025-07-01 12:34:56.123456+00'"
	if !c.PG() {
		bTrue, at = "1", "'2025-07-01T12:34:56.123456Z'"
	}
	c.MustExec(`INSERT INTO crm.account (id, name, account_no, industry, annual_revenue, employees, phone, email,
			website, founded_on, is_key_account, owner_id, created_at, last_modified_at)
		VALUES ('` + acct + `', '=SUM(A1)', 'A-9001', 'Retail', '-12.5', 0, '+86 21 1234 5678', 'x@y.example',
			'https://x.example', '2024-02-29', ` + bTrue + `, '` + user + `', ` + at + `, ` + at + `)`)
	c.MustExec(`INSERT INTO crm.team_member (object, record_id, user_id, role) VALUES
		('Account', '` + acct + `', '` + demo.ID("User", 3) + `', 'read_write'),
		('Account', '` + acct + `', '` + demo.ID("User", 1) + `', 'read_write'),
		('Account', '` + acct + `', '` + demo.ID("User", 4) + `', 'read_only')`)
	c.MustExec(`INSERT INTO crm.contact (id, name, account_id, title, lead_source, created_at, last_modified_at) VALUES
		('9a0b6d7e-0000-4000-8000-000000000002', 'Zoë 张', '` + acct + `', 'CEO, "Big"
Boss', 'Cold Call', ` + at + `, ` + at + `)`)
}

// TestBothTargetsWriteTheSameBytes: the demo CRM plus records with every
// kind of value, exported from PostgreSQL and from the sandbox, gives the
// same files: two renderings of one contract.
func TestBothTargetsWriteTheSameBytes(t *testing.T) {
	pg, sb := crmtest.Demo(t, crm.KindPostgres), crmtest.Demo(t, crm.KindSandbox)
	for _, c := range []*crmtest.Target{pg, sb} {
		addTricky(t, c)
	}
	for _, req := range []Request{
		{All: true, WithIDs: true, SystemFields: true, Zone: "Asia/Kolkata", IncludeVoided: true},
		{All: true, Zone: "America/New_York", ExcelSafe: true, Headers: "zh"},
		{Object: "Account", Related: true, Zone: "UTC", NoBOM: true},
	} {
		resPG, _ := run(t, pg, req)
		resSB, _ := run(t, sb, req)
		a, b := content(t, resPG), content(t, resSB)
		if len(a) == 0 || len(a) != len(b) {
			t.Fatalf("%+v: %d files from PostgreSQL, %d from the sandbox", req, len(a), len(b))
		}
		for name, x := range a {
			if x != b[name] {
				t.Errorf("%+v: %s differs:\n postgres: %.600s\n  sandbox: %.600s", req, name, diffLine(x, b[name]), diffLine(b[name], x))
			}
		}
	}
	res, _ := run(t, pg, Request{Object: "Account", WithIDs: true, SystemFields: true, Zone: "Asia/Kolkata"})
	csv := content(t, res)["Account.csv"]
	row := lineWith(csv, "A-9001")
	for _, want := range []string{"=SUM(A1),A-9001,Retail,-12.50,0,+86 21 1234 5678,x@y.example,https://x.example,2024-02-29,true,,",
		demo.ID("User", 1) + ";" + demo.ID("User", 3), "2025-07-01T18:04:56.123456+05:30", ",normal"} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q lacks %q", row, want)
		}
	}
	res, _ = run(t, pg, Request{Object: "Account", ExcelSafe: true})
	row = lineWith(content(t, res)["Account.csv"], "A-9001")
	if !strings.HasPrefix(row, "'=SUM(A1),A-9001,Retail,-12.50,0,'+86 21 1234 5678,") ||
		!strings.Contains(row, "alice.wang@demo.example;chen.jing@demo.example,dana.mueller@demo.example,bruno.silva@demo.example") {
		t.Errorf("excel-safe row %q", row)
	}
	res, _ = run(t, pg, Request{Object: "Contact"})
	if c := content(t, res)["Contact.csv"]; !strings.Contains(c, "Zoë 张,=SUM(A1),,,\"CEO, \"\"Big\"\"\nBoss\",,Cold Call,") {
		t.Errorf("contact with a quoted, multi-line title not found:\n%s", c[len(c)-300:])
	}
}

func lineWith(csv, part string) string {
	for _, l := range lines(csv) {
		if strings.Contains(l, part) {
			return l
		}
	}
	return ""
}

// diffLine is the first line of a that b lacks.
func diffLine(a, b string) string {
	bl := lines(b)
	for i, l := range lines(a) {
		if i >= len(bl) || bl[i] != l {
			return l
		}
	}
	return "(none)"
}

// TestHeadersAndBOM: API names by default, labels with en and zh; the
// BOM unless NoBOM.
func TestHeadersAndBOM(t *testing.T) {
	crmtest.EachParallel(t, func(t *testing.T, c *crmtest.Target) {
		for _, tc := range []struct {
			req  Request
			head string
		}{
			{Request{Object: "Product"}, bom + "name,sku,category,unit_price,active,owner_id\n"},
			{Request{Object: "Product", Headers: "en", NoBOM: true}, "Product Name,SKU,Category,Unit Price,Active,Owner\n"},
			{Request{Object: "Product", Headers: "zh", WithIDs: true}, bom + "记录ID,产品名称,产品编码,类别,单价,启用,负责人\n"},
		} {
			res, _ := run(t, c, tc.req)
			if got := content(t, res)["Product.csv"]; !strings.HasPrefix(got, tc.head) {
				t.Errorf("%+v: file starts %q, want %q", tc.req, got[:min(len(got), 80)], tc.head)
			}
		}
	})
}

// TestRelated: a related export without IDs numbers the exported masters
// in _key and writes that key in the details' master column, only for the
// details of the exported masters; with IDs the details refer by ID.
func TestRelated(t *testing.T) {
	crmtest.EachParallel(t, func(t *testing.T, c *crmtest.Target) {
		res, _ := run(t, c, Request{Object: "Opportunity", Related: true, Where: "stage IN ('Won', 'Lost')"})
		if len(res.Files) != 3 || !strings.HasPrefix(res.Files[0].Name, "Opportunity-") || res.Files[1].Archive != res.Files[0].Name {
			t.Fatalf("files %+v", res.Files)
		}
		files := content(t, res)
		opps, items := lines(files["Opportunity.csv"]), lines(files["OpportunityLine.csv"])
		if opps[0] != "_key,name,account_id,stage,amount,close_date,probability,owner_id" ||
			items[0] != "_key,product_id,quantity,unit_price,discount,owner_id" {
			t.Fatalf("headers %q / %q", opps[0], items[0])
		}
		// Won and Lost: opportunities 4, 5, 10, 11 (stages cycle by n%6).
		keys := map[string]bool{}
		for i, l := range opps[1:] {
			k, _, _ := strings.Cut(l, ",")
			if k != strconv.Itoa(i+1) || !(strings.Contains(l, ",Won,") || strings.Contains(l, ",Lost,")) {
				t.Errorf("master line %q", l)
			}
			keys[k] = true
		}
		if len(keys) != 4 {
			t.Errorf("%d masters, want 4", len(keys))
		}
		// Lines per opportunity n: 1 + n%3 → 2+3+2+3.
		if len(items)-1 != 10 {
			t.Errorf("%d detail lines, want 10:\n%s", len(items)-1, strings.Join(items, "\n"))
		}
		for _, l := range items[1:] {
			if k, _, _ := strings.Cut(l, ","); !keys[k] {
				t.Errorf("detail line %q refers to key %q, not an exported master", l, k)
			}
		}

		res, _ = run(t, c, Request{Object: "Opportunity", Related: true, WithIDs: true, IDs: []string{demo.ID("Opportunity", 3)}, Zip: "one"})
		if res.Files[0].Name != "one.zip" {
			t.Errorf("zip named %q", res.Files[0].Name)
		}
		files = content(t, res)
		items = lines(files["OpportunityLine.csv"])
		if items[0] != "id,opportunity_id,product_id,quantity,unit_price,discount,owner_id" || len(items) != 1+1 ||
			!strings.Contains(items[1], ","+demo.ID("Opportunity", 3)+","+demo.ID("Product", 4)+",1.0000,") {
			t.Errorf("with IDs, the lines of opportunity 3:\n%s", strings.Join(items, "\n"))
		}
		if opps := lines(files["Opportunity.csv"]); len(opps) != 2 || !strings.HasPrefix(opps[1], demo.ID("Opportunity", 3)+",Deal 03,") {
			t.Errorf("with IDs, opportunity 3:\n%s", strings.Join(opps, "\n"))
		}
	})
}

// TestChoosingRecords: filters, IDs and voided records.
func TestChoosingRecords(t *testing.T) {
	crmtest.EachParallel(t, func(t *testing.T, c *crmtest.Target) {
		c.MustExec("UPDATE crm.account SET life_status = 'invalid' WHERE account_no IN ('A-0001', 'A-0002', 'A-0003')")
		count := func(req Request) int {
			res, _ := run(t, c, req)
			if res.Rows != int64(len(lines(content(t, res)["Account.csv"]))-1) {
				t.Errorf("%+v: result says %d rows, the file has others", req, res.Rows)
			}
			return int(res.Rows)
		}
		if n := count(Request{Object: "Account"}); n != 57 {
			t.Errorf("voided left out: %d rows, want 57", n)
		}
		res, _ := run(t, c, Request{Object: "Account", IncludeVoided: true})
		got := lines(content(t, res)["Account.csv"])
		if len(got) != 61 || !strings.HasSuffix(got[0], ",owner_id,life_status") || len(res.Notes) != 0 {
			t.Errorf("with voided: %d lines, header %q, notes %v", len(got), got[0], res.Notes)
		}
		if n := strings.Count(strings.Join(got, "\n"), ",invalid\n"); n != 3 {
			t.Errorf("%d voided lines, want 3", n)
		}
		if n := count(Request{Object: "Account", Where: "industry = 'Retail' AND employees > 0"}); n != 6 {
			t.Errorf("Retail accounts: %d, want 6", n)
		}
		ids := []string{demo.ID("Account", 1), demo.ID("Account", 7), demo.ID("Account", 8), "9a0b6d7e-0000-4000-8000-00000000dead"}
		if n := count(Request{Object: "Account", IDs: ids}); n != 2 {
			t.Errorf("by IDs (one voided, one missing): %d, want 2", n)
		}
		if n := count(Request{Object: "Account", IDs: []string{}}); n != 0 {
			t.Errorf("no IDs: %d rows, want 0", n)
		}
	})
}

// TestRequestErrors: what cannot run is a clear *apperr.Error.
func TestRequestErrors(t *testing.T) {
	c := crmtest.Demo(t, crm.KindSandbox)
	for _, tc := range []struct {
		req  Request
		code string
		msg  string
	}{
		{Request{Object: "Account", Fields: []string{"name", "nmae"}}, apperr.Invalid, `Account has no field "nmae": did you mean "name"?`},
		{Request{Object: "Account", Fields: []string{"industri"}}, apperr.Invalid, `did you mean "industry"?`},
		{Request{Object: "Acount"}, apperr.NotFound, `unknown object "Acount": did you mean "Account"?`},
		{Request{}, apperr.Invalid, "no object to export"},
		{Request{All: true, Object: "Account"}, apperr.Invalid, "not both"},
		{Request{All: true, Where: "name = 'x'"}, apperr.Invalid, "a filter applies to one object"},
		{Request{Object: "Account", Headers: "fr"}, apperr.Invalid, "headers must be api, en or zh"},
		{Request{Object: "Account", IDs: []string{"42"}}, apperr.Invalid, `record ID 1, "42", is not a record ID`},
		{Request{Object: "Account", Where: "nmae = 'x'"}, apperr.Invalid, "nmae"},
		{Request{Object: "Account", Where: "founded_on > 'yesterday'"}, apperr.Invalid, "founded_on"},
		{Request{Object: "Account", Zone: "Mars/Olympus"}, apperr.Invalid, "unknown time zone"},
	} {
		d, dir := folder(t)
		_, err := Run(context.Background(), c.Target, tc.req, d, nil)
		if apperr.CodeOf(err) != tc.code || !strings.Contains(apperr.MessageOf(err), tc.msg) {
			t.Errorf("%+v: %v (code %s), want %s containing %q", tc.req, err, apperr.CodeOf(err), tc.code, tc.msg)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%+v: files left: %v", tc.req, entries)
		}
	}
}

// TestZipListsEveryFile: an export of every object is one zip whose
// entries match the listed rows, bytes and SHA-256.
func TestZipListsEveryFile(t *testing.T) {
	c := crmtest.Demo(t, crm.KindSandbox)
	res, _ := run(t, c, Request{All: true})
	if !strings.HasPrefix(res.Files[0].Name, "export-") || res.Files[0].Archive != "" {
		t.Fatalf("first file %+v", res.Files[0])
	}
	b, err := os.ReadFile(res.Files[0].Location)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != res.Files[0].SHA256 || int64(len(b)) != res.Files[0].Bytes {
		t.Errorf("zip digest or size differ from the listing")
	}
	files := content(t, res)
	var total int64
	for _, f := range res.Files[1:] {
		sum := sha256.Sum256([]byte(files[f.Name]))
		if f.Archive != res.Files[0].Name || hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(files[f.Name])) != f.Bytes ||
			int64(len(lines(files[f.Name]))-1) != f.Rows {
			t.Errorf("entry %+v does not match its content", f)
		}
		total += f.Rows
	}
	if total != res.Rows || res.Files[0].Rows != res.Rows || res.Rows != 6+60+10+80+15+30 {
		t.Errorf("rows: total %d, zip %d, result %d", total, res.Files[0].Rows, res.Rows)
	}
}

// failing is a destination that reads part of a file and then fails, as
// an upload whose connection drops does.
type failing struct {
	mu   sync.Mutex
	read int64
}

func (f *failing) Put(ctx context.Context, name string, r io.Reader) (destination.Published, error) {
	n, _ := io.CopyN(io.Discard, r, 100)
	f.mu.Lock()
	f.read += n
	f.mu.Unlock()
	return destination.Published{}, apperr.New(apperr.Unavailable, "files.example.com:21 closed the connection during the upload")
}
func (f *failing) Test(context.Context) error { return nil }
func (f *failing) Describe() string           { return "ftp://me@files.example.com:21/exports" }
func (f *failing) Close() error               { return nil }

// TestDestinationFails: the destination's failure is the export's, in its
// words, and stops the export.
func TestDestinationFails(t *testing.T) {
	crmtest.EachParallel(t, func(t *testing.T, c *crmtest.Target) {
		for _, req := range []Request{{Object: "Account"}, {All: true}} {
			d := &failing{}
			res, err := Run(context.Background(), c.Target, req, d, nil)
			msg := apperr.MessageOf(err)
			if apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(msg, "closed the connection during the upload") ||
				!strings.Contains(msg, "ftp://me@files.example.com:21/exports") {
				t.Errorf("%+v: error %v (%s)", req, err, apperr.CodeOf(err))
			}
			if len(res.Files) != 0 || d.read == 0 {
				t.Errorf("%+v: files %v, %d bytes read", req, res.Files, d.read)
			}
		}
	})
}

// TestCanceled: a canceled export returns the context's error and leaves
// nothing at the final name.
func TestCanceled(t *testing.T) {
	crmtest.EachParallel(t, func(t *testing.T, c *crmtest.Target) {
		ctx, cancel := context.WithCancel(context.Background())
		d, dir := folder(t)
		_, err := Run(ctx, c.Target, Request{All: true}, d, func(p jobs.Progress) {
			if p.Done > 0 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want canceled", err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("left %v", entries)
		}
	})
}

// TestPlainTable: a plain PostgreSQL table (no catalog, no life_status).
func TestPlainTable(t *testing.T) {
	dsn := pgDSNWith(t, `CREATE TYPE mood AS ENUM ('happy', 'sad');
		CREATE TABLE person (id serial PRIMARY KEY, name text NOT NULL, born date, seen timestamp, at timestamptz,
			ok boolean, amount numeric, ratio double precision, feeling mood, doc jsonb, tags text[]);
		CREATE TABLE pet (id serial PRIMARY KEY, owner_id int REFERENCES person (id), name text);
		INSERT INTO person (name, born, seen, at, ok, amount, ratio, feeling, doc, tags) VALUES
			('Ann', '1990-05-01', '2025-01-02 03:04:05.5', '2025-01-02 03:04:05+00', true, 12.3400, 0.1, 'happy', '{"a": 1}', '{x,"y z"}'),
			('Bob', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
		INSERT INTO pet (owner_id, name) VALUES (1, 'Rex'), (NULL, 'Stray')`)
	tg, err := crm.Open(context.Background(), crm.Spec{Kind: crm.KindPostgres, DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	res, _ := run(t, tg, Request{Object: "person", IncludeVoided: true, Zone: "Asia/Shanghai"})
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "including voided records has no effect: person has no life_status") {
		t.Errorf("notes %v", res.Notes)
	}
	got := lines(content(t, res)["person.csv"])
	want := []string{"name,born,seen,at,ok,amount,ratio,feeling,doc,tags",
		`Ann,1990-05-01,2025-01-02T03:04:05.500000,2025-01-02T11:04:05+08:00,true,12.3400,0.1,happy,"{""a"": 1}","{x,""y z""}"`,
		"Bob,,,,,,,,,"}
	if !slices.Equal(got, want) {
		t.Errorf("person.csv:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	res, _ = run(t, tg, Request{Object: "pet"})
	if got := lines(content(t, res)["pet.csv"]); !slices.Equal(got, []string{"owner_id,name", "Ann,Rex", ",Stray"}) {
		t.Errorf("pet.csv: %q", got)
	}
	res, _ = run(t, tg, Request{Object: "pet", WithIDs: true})
	if got := lines(content(t, res)["pet.csv"]); !slices.Equal(got, []string{"id,owner_id,name", "1,1,Rex", "2,,Stray"}) {
		t.Errorf("pet.csv with IDs: %q", got)
	}
}
