package sandboxcopy_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/demo"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/pgtest"
	"batchdesk/backend/sandboxcopy"
)

func demoPG(t *testing.T) *postgres.Target {
	t.Helper()
	ctx := context.Background()
	pg, err := postgres.Open(ctx, pgtest.NewDatabase(t), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	if err := pg.InstallDemo(ctx); err != nil {
		t.Fatal(err)
	}
	return pg
}

func count(t *testing.T, sb *sandbox.Target, table string) int {
	t.Helper()
	var n int
	if err := sb.DB().QueryRow("SELECT count(*) FROM " + crmdb.SQLite.Table(table)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDemoModes copies the demo CRM with each records mode and checks the
// catalog is the source's and the records are those the mode promises.
func TestDemoModes(t *testing.T) {
	ctx := context.Background()
	pg := demoPG(t)
	src, err := pg.Objects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		opt     sandboxcopy.Options
		objects int
		counts  map[string]int
	}{
		{"none", sandboxcopy.Options{Records: sandboxcopy.RecordsNone}, 6,
			map[string]int{"users": 0, "account": 0, "contact": 0, "opportunity_line": 0}},
		{"reference of contacts", sandboxcopy.Options{Objects: []string{"Contact"}}, 3,
			map[string]int{"users": demo.Users + 1, "account": demo.Accounts, "contact": 0}},
		{"reference of lines", sandboxcopy.Options{Objects: []string{"OpportunityLine"}}, 5,
			map[string]int{"users": demo.Users + 1, "opportunity": demo.Opportunities,
				"product": demo.Products, "opportunity_line": 0, "account": demo.Accounts}},
		{"all", sandboxcopy.Options{Records: sandboxcopy.RecordsAll}, 6,
			map[string]int{"users": demo.Users + 1, "account": demo.Accounts, "contact": demo.Contacts}},
		{"capped", sandboxcopy.Options{Objects: []string{"Contact"}, MaxRows: 7}, 3,
			map[string]int{"account": 7}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "copy.db")
			res, err := sandboxcopy.Create(ctx, pg, path, tc.opt, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%+v", res)
			sb, err := sandbox.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer sb.Close()
			got, err := sb.Objects(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.objects {
				t.Fatalf("%d objects, want %d", len(got), tc.objects)
			}
			for _, o := range got {
				want, err := catalog.Find(src, o.APIName)
				if err != nil {
					t.Fatal(err)
				}
				w := *want
				w.Schema = ""
				// DBType is the server's own column type, which the sandbox
				// (its own storage types) does not carry.
				w.Fields = append([]catalog.Field(nil), w.Fields...)
				for i := range w.Fields {
					w.Fields[i].DBType = ""
				}
				if !reflect.DeepEqual(o, w) {
					t.Errorf("%s differs:\n got %+v\nwant %+v", o.APIName, o, w)
				}
			}
			for table, n := range tc.counts {
				if c := count(t, sb, table); c != n {
					t.Errorf("%s: %d records, want %d", table, c, n)
				}
			}
			var fk int
			rows, err := sb.DB().Query("PRAGMA foreign_key_check")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				fk++
			}
			rows.Close()
			if fk != 0 {
				t.Errorf("%d foreign key violations", fk)
			}
		})
	}
}

// TestPlainSchema copies a plain schema with integer keys, a text key, types
// the sandbox has no equivalent for, and links to records not copied.
func TestPlainSchema(t *testing.T) {
	ctx := context.Background()
	pg, err := postgres.Open(ctx, pgtest.NewDatabase(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for _, s := range []string{
		`CREATE TYPE mood AS ENUM ('sad', 'ok')`,
		`CREATE TABLE region (id serial PRIMARY KEY, name varchar(20) NOT NULL UNIQUE)`,
		`CREATE TABLE country (iso char(2) PRIMARY KEY, name text)`,
		`CREATE TABLE shop (id bigserial PRIMARY KEY, title text NOT NULL, ratio float8, price numeric, addr inet,
		  meta jsonb, tags text[], mood mood, region_id int REFERENCES region (id), country char(2) REFERENCES country (iso),
		  parent_id bigint REFERENCES shop (id))`,
		`INSERT INTO region (name) VALUES ('North'), ('South')`,
		`INSERT INTO country VALUES ('CN', 'China'), ('DE', 'Germany')`,
		`INSERT INTO shop (title, ratio, price, addr, meta, tags, mood, region_id, country)
		  SELECT 'S' || g, g / 3.0, g * 1e20, '10.0.0.1', '{"a": 1}', ARRAY['x', 'y'], 'ok', 1 + g % 2, 'CN' FROM generate_series(1, 30) g`,
		`UPDATE shop SET parent_id = id - 1 WHERE id > 1`,
	} {
		if _, err := pg.Pool().Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	path := filepath.Join(t.TempDir(), "plain.db")
	res, err := sandboxcopy.Create(ctx, pg, path, sandboxcopy.Options{Records: sandboxcopy.RecordsAll, MaxRows: 20}, nil)
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(res.Notes, "\n")
	for _, want := range []string{"shop.addr (inet)", "shop.meta (jsonb)", "shop.tags (text[])", "shop: 20 of 30 records",
		"no users"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	sb, err := sandbox.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	var n, linked int
	if err := sb.DB().QueryRow(`SELECT count(*), count(parent_id) FROM shop`).Scan(&n, &linked); err != nil {
		t.Fatal(err)
	}
	if n != 20 || linked > 19 {
		t.Errorf("shop: %d rows, %d linked", n, linked)
	}
	var price string
	if err := sb.DB().QueryRow(`SELECT price FROM shop WHERE id = 3`).Scan(&price); err != nil || price != "300000000000000000000" {
		t.Errorf("price = %q, %v", price, err)
	}
	// The sandbox enforces the integer and text keys.
	if _, err := sb.DB().Exec(`INSERT INTO shop (title, region_id) VALUES ('x', 99)`); err == nil {
		t.Error("a region that does not exist was accepted")
	}
	if _, err := sb.DB().Exec(`INSERT INTO shop (title, country) VALUES ('x', 'DE')`); err != nil {
		t.Errorf("a new shop: %v", err)
	}
	t.Logf("%+v", res)
}

// TestCancelLeavesNothing: a copy canceled mid-way leaves neither the copy
// nor its part file, and an existing copy stays as it was.
func TestCancelLeavesNothing(t *testing.T) {
	ctx := context.Background()
	pg := demoPG(t)
	path := filepath.Join(t.TempDir(), "copy.db")
	if _, err := sandboxcopy.Create(ctx, pg, path, sandboxcopy.Options{Records: sandboxcopy.RecordsNone}, nil); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var reports int
	_, err = sandboxcopy.Create(cctx, pg, path, sandboxcopy.Options{Records: sandboxcopy.RecordsAll}, func(p sandboxcopy.Progress) {
		if reports++; p.Done > 0 {
			cancel()
		}
	})
	if apperr.CodeOf(err) != apperr.Canceled {
		t.Fatalf("err = %v (%s), want canceled", err, apperr.CodeOf(err))
	}
	if reports == 0 {
		t.Fatal("no progress was reported")
	}
	after, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(before, after) {
		t.Fatalf("the existing copy changed: %v", err)
	}
	if _, err := os.Stat(path + ".part"); !os.IsNotExist(err) {
		t.Fatalf("part file left: %v", err)
	}
	info, ok, err := sandboxcopy.ReadInfo(ctx, path)
	if err != nil || !ok || info.Options.Records != sandboxcopy.RecordsNone || len(info.Result.Objects) != 6 {
		t.Fatalf("info = %+v, %v, %v", info, ok, err)
	}
}
