package demo

import (
	"reflect"
	"strings"
	"testing"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
)

func TestDemoIDIsStable(t *testing.T) {
	// Other code and saved fixtures may hold these ids: they must never change.
	if got := ID("Account", 1); got != "2b74525b-c4c6-58f7-8821-d7488100e153" {
		t.Fatalf("DemoID = %q", got)
	}
	if ID("Account", 1) != ID("Account", 1) || ID("Account", 1) == ID("Contact", 1) {
		t.Fatal("DemoID is not a pure function of object and number")
	}
}

func TestDemoRows(t *testing.T) {
	rows := Rows()
	if !reflect.DeepEqual(rows, Rows()) {
		t.Fatal("seed data is not deterministic")
	}
	ids := map[string]bool{}
	perTable := map[string]int{}
	for _, r := range rows {
		if len(r.Cols) != len(r.Vals) {
			t.Fatalf("%s row: %d columns, %d values", r.Table, len(r.Cols), len(r.Vals))
		}
		id := r.Vals[0].(string)
		if ids[id] {
			t.Errorf("duplicate id %s in %s", id, r.Table)
		}
		ids[id] = true
		perTable[r.Table]++
	}
	want := map[string]int{crmdb.TableUsers: Users + 1, "account": Accounts, "contact": Contacts,
		"product": Products, "opportunity": Opportunities}
	for table, n := range want {
		if perTable[table] != n {
			t.Errorf("%s: %d rows, want %d", table, perTable[table], n)
		}
	}
}

// TestStatements: both dialects create the same tables from one description.
func TestStatements(t *testing.T) {
	count := func(d crmdb.Dialect) (tables int) {
		stmts, err := Statements(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			if strings.HasPrefix(s, "CREATE TABLE IF NOT EXISTS") {
				tables++
			}
		}
		return tables
	}
	if pg, lite := count(crmdb.Postgres), count(crmdb.SQLite); pg != lite || pg != len(Objects())+4 {
		t.Errorf("postgres creates %d tables, sqlite %d, want %d", pg, lite, len(Objects())+4)
	}
}

func TestDemoObjectsAreValid(t *testing.T) {
	for _, o := range Objects() {
		if o.Primary != "" && o.PrimaryField() == nil {
			t.Errorf("%s: primary %q is not a field", o.APIName, o.Primary)
		}
		seen := map[string]bool{}
		for _, f := range o.Fields {
			if seen[f.APIName] {
				t.Errorf("%s.%s twice", o.APIName, f.APIName)
			}
			seen[f.APIName] = true
			if !f.Type.Valid() {
				t.Errorf("%s.%s: type %q", o.APIName, f.APIName, f.Type)
			}
			if (f.Type == catalog.RelatedTeam) != (f.Column == "") {
				t.Errorf("%s.%s: column %q for type %s", o.APIName, f.APIName, f.Column, f.Type)
			}
		}
	}
}
