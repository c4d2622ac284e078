package sandboxcopy_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
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
			map[string]int{"users": crmdb.DemoUsers + 1, "account": crmdb.DemoAccounts, "contact": 0}},
		{"reference of lines", sandboxcopy.Options{Objects: []string{"OpportunityLine"}}, 5,
			map[string]int{"users": crmdb.DemoUsers + 1, "opportunity": crmdb.DemoOpportunities,
				"product": crmdb.DemoProducts, "opportunity_line": 0, "account": crmdb.DemoAccounts}},
		{"all", sandboxcopy.Options{Records: sandboxcopy.RecordsAll}, 6,
			map[string]int{"users": crmdb.DemoUsers + 1, "account": crmdb.DemoAccounts, "contact": crmdb.DemoContacts}},
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
