package crm_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/crmtest"
)

func TestTargetObjects(t *testing.T) {
	crmtest.EachParallel(t, func(t *testing.T, tg *crmtest.Target) {
		ctx := context.Background()
		got, err := tg.Objects(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := crmdb.DemoObjects()
		for i := range want {
			want[i].Schema = tg.Dialect.Schema
		}
		if len(got) != len(want) {
			t.Fatalf("got %d objects, want %d", len(got), len(want))
		}
		for _, w := range want {
			g, err := catalog.Find(got, w.APIName)
			if err != nil {
				t.Fatal(err)
			}
			read := *g
			read.Fields = append([]catalog.Field(nil), g.Fields...)
			for i := range read.Fields {
				f := &read.Fields[i]
				if tg.Kind() == crm.KindPostgres && f.Column != "" && f.DBType == "" {
					t.Errorf("%s.%s: no DBType from PostgreSQL", w.APIName, f.APIName)
				}
				f.DBType, f.Generated = "", false // the catalog tables do not hold them
			}
			if !reflect.DeepEqual(read, w) {
				t.Errorf("%s read back differs:\n got %+v\nwant %+v", w.APIName, read, w)
			}
		}
		var names []string
		for _, o := range got {
			names = append(names, o.APIName)
		}
		if fmt.Sprint(names) != "[Account Contact Opportunity OpportunityLine Product User]" {
			t.Errorf("objects not sorted by API name: %v", names)
		}
	})
}

// TestDemoContract checks the parts of DESIGN §2 other code relies on.
func TestDemoContract(t *testing.T) {
	crmtest.EachParallel(t, func(t *testing.T, tg *crmtest.Target) {
		ctx := context.Background()
		field := func(object, name string) *catalog.Field {
			t.Helper()
			o, err := tg.Object(ctx, object)
			if err != nil {
				t.Fatal(err)
			}
			f, err := o.Field(name)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		if o, _ := tg.Object(ctx, "opportunity_line"); o == nil || o.Primary != "" || o.Master != "Opportunity" {
			t.Errorf("OpportunityLine by table name: %+v", o)
		}
		if f := field("OpportunityLine", "opportunity_id"); f.Type != catalog.MasterDetail || f.Target != "Opportunity" || !f.Required {
			t.Errorf("opportunity_id: %+v", f)
		}
		if f := field("Account", "account_no"); !f.Unique || f.Required {
			t.Errorf("account_no: %+v", f)
		}
		if f := field("Product", "sku"); !f.Unique || !f.Required {
			t.Errorf("sku: %+v", f)
		}
		if f := field("Account", "industry"); f.Type != catalog.Picklist || len(f.Options) != 10 || f.Options[0].LabelZH == "" {
			t.Errorf("industry: %+v", f)
		}
		if f := field("Account", "team_read_only"); f.Type != catalog.RelatedTeam || f.TeamRole != crmdb.RoleReadOnly || f.Column != "" {
			t.Errorf("team_read_only: %+v", f)
		}
		if f := field("Contact", "owner_id"); f.Type != catalog.Owner || f.Target != "User" || !f.System {
			t.Errorf("owner_id: %+v", f)
		}
		objs, _ := tg.Objects(ctx)
		for _, o := range objs {
			if o.LabelEN == "" || o.LabelZH == "" {
				t.Errorf("%s lacks a label", o.APIName)
			}
			for _, col := range catalog.SystemColumns {
				if f, err := o.Field(col); err != nil || !f.System {
					t.Errorf("%s.%s: not a system field (%v)", o.APIName, col, err)
				}
			}
			for _, f := range o.Fields {
				if f.LabelEN == "" || f.LabelZH == "" || !f.Type.Valid() {
					t.Errorf("%s.%s: labels or type missing: %+v", o.APIName, f.APIName, f)
				}
			}
		}
		if _, err := tg.Object(ctx, "Lead"); err == nil {
			t.Error("unknown object found")
		}
	})
}

func TestInstallDemoIdempotent(t *testing.T) {
	crmtest.EachParallel(t, func(t *testing.T, tg *crmtest.Target) {
		ctx := context.Background()
		tables := []string{crmdb.TableObjects, crmdb.TableFields, crmdb.TableUsers, "account", "contact",
			"product", "opportunity", "opportunity_line", crmdb.TableTeamMembers, crmdb.TableAuditLog}
		before := map[string]int{}
		for _, tb := range tables {
			before[tb] = tg.Count(tb)
		}
		objsBefore, _ := tg.Objects(ctx)
		if err := crm.InstallDemo(ctx, tg.Target); err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			if n := tg.Count(tb); n != before[tb] {
				t.Errorf("%s: %d rows after a second install, %d before", tb, n, before[tb])
			}
		}
		if objs, _ := tg.Objects(ctx); !reflect.DeepEqual(objs, objsBefore) {
			t.Error("catalog changed by a second install")
		}
		minimum := map[string]int{"account": 50, "contact": 50, "product": 10, "opportunity": 10,
			"opportunity_line": 10, crmdb.TableUsers: 3, crmdb.TableTeamMembers: 5}
		for tb, min := range minimum {
			if before[tb] < min {
				t.Errorf("%s: %d demo rows, want at least %d", tb, before[tb], min)
			}
		}
		if before["product"] != 10 {
			t.Errorf("products: %d, want 10", before["product"])
		}
	})
}

func TestConstraints(t *testing.T) {
	missing := "9a0b6d7e-0000-4000-8000-000000000000"
	crmtest.EachParallel(t, func(t *testing.T, tg *crmtest.Target) {
		p := tg.Dialect.Param
		ins := func(table string, cols string, n int) string {
			ps := ""
			for i := 1; i <= n; i++ {
				if i > 1 {
					ps += ", "
				}
				ps += p(i)
			}
			return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", tg.Dialect.Table(table), cols, ps)
		}
		rejected := []struct {
			name string
			q    string
			args []any
		}{
			{"foreign key", ins("contact", "name, account_id", 2), []any{"X", missing}},
			{"owner must be a user", ins("account", "name, owner_id", 2), []any{"X", crmdb.DemoID("Account", 1)}},
			{"unique account_no", ins("account", "name, account_no", 2), []any{"X", "A-0001"}},
			{"unique sku", ins("product", "name, sku", 2), []any{"X", "SKU-1001"}},
			{"picklist", ins("account", "name, industry", 2), []any{"X", "Tech"}},
			{"life status", ins("account", "name, life_status", 2), []any{"X", "deleted"}},
			{"required name", ins("account", "account_no", 1), []any{"A-X"}},
			{"required sku", ins("product", "name", 1), []any{"X"}},
			{"invalid date", ins("account", "name, founded_on", 2), []any{"X", "2025-02-30"}},
			{"too long", ins("account", "name, account_no", 2), []any{"X", strings.Repeat("x", 41)}},
			{"numeric overflow", ins("opportunity", "name, account_id, probability", 3),
				[]any{"X", crmdb.DemoID("Account", 1), "1000.00"}},
			{"bad team role", ins(crmdb.TableTeamMembers, "object, record_id, user_id, role", 4),
				[]any{"Account", crmdb.DemoID("Account", 1), crmdb.SystemUserID, "owner"}},
		}
		for _, c := range rejected {
			if err := tg.Exec(c.q, c.args...); err != nil {
				t.Logf("%s: %v", c.name, err)
			} else {
				t.Errorf("%s: accepted %s %v", c.name, c.q, c.args)
			}
		}
		// What the constraints must let through.
		if err := tg.Exec(ins("account", "name, industry, annual_revenue, founded_on", 4),
			"Ok", "Retail", "-12.5", "2024-02-29"); err != nil {
			t.Errorf("valid account refused: %v", err)
		}
		// Master-detail: deleting an opportunity deletes its lines.
		opp := crmdb.DemoID("Opportunity", 2)
		before := tg.Count("opportunity_line")
		if err := tg.Exec("DELETE FROM "+tg.Dialect.Table("opportunity")+" WHERE id = "+p(1), opp); err != nil {
			t.Fatalf("delete opportunity: %v", err)
		}
		if after := tg.Count("opportunity_line"); after >= before {
			t.Errorf("lines of a deleted opportunity remain: %d before, %d after", before, after)
		}
		// A lookup is cleared, not blocking, when its target goes.
		if err := tg.Exec("DELETE FROM "+tg.Dialect.Table("account")+" WHERE id = "+p(1), crmdb.DemoID("Account", 1)); err != nil {
			t.Errorf("delete a parent account: %v", err)
		}
	})
}

// TestSupportTables: the audit log and team members accept what the import
// engine writes, on both targets.
func TestSupportTables(t *testing.T) {
	crmtest.EachParallel(t, func(t *testing.T, tg *crmtest.Target) {
		q, args := tg.Dialect.InsertAudit(crmdb.AuditEntry{Object: "Account", Action: "import.insert", Records: 5000, JobID: "job-1"})
		if err := tg.Exec(q, args...); err != nil {
			t.Fatalf("write audit entry: %v", err)
		}
		if n := tg.Count(crmdb.TableAuditLog); n != 1 {
			t.Errorf("audit log has %d rows, want 1", n)
		}
		q = fmt.Sprintf("INSERT INTO %s (object, record_id, user_id, role) VALUES (%s, %s, %s, %s)",
			tg.Dialect.Table(crmdb.TableTeamMembers), tg.Dialect.Param(1), tg.Dialect.Param(2), tg.Dialect.Param(3), tg.Dialect.Param(4))
		if err := tg.Exec(q, "Account", crmdb.DemoID("Account", 40), crmdb.SystemUserID, crmdb.RoleReadOnly); err != nil {
			t.Fatalf("add team member: %v", err)
		}
		if err := tg.Exec(q, "Account", crmdb.DemoID("Account", 40), crmdb.SystemUserID, crmdb.RoleReadWrite); err == nil {
			t.Error("the same user twice in one record's team")
		}
	})
}

// TestImportLedgerGainsRowsAdded: a resume ledger created before it had
// rows_added gains the column; its old rows read as 0 added.
func TestImportLedgerGainsRowsAdded(t *testing.T) {
	crmtest.EachParallel(t, func(t *testing.T, tg *crmtest.Target) {
		ctx := context.Background()
		table := "batchdesk_ledger"
		if tg.PG() {
			tg.MustExec("CREATE SCHEMA batchdesk")
			table = "batchdesk.ledger"
		}
		tg.MustExec("CREATE TABLE " + table + ` (job_id text NOT NULL, stage text NOT NULL, batch integer NOT NULL,
			first_line bigint NOT NULL, last_line bigint NOT NULL, rows_written bigint NOT NULL,
			errors text NOT NULL DEFAULT '[]', committed_at text, PRIMARY KEY (job_id, stage, batch))`)
		tg.MustExec("INSERT INTO " + table + " (job_id, stage, batch, first_line, last_line, rows_written) VALUES ('old', 'Account', 1, 2, 11, 10)")
		lt := tg.Target.(interface {
			EnsureImportLedger(ctx context.Context) error
			ImportLedger(ctx context.Context, job, stage string) ([]crmdb.ImportBatch, error)
			ImportWritten(ctx context.Context, job string) (int64, error)
		})
		for range 2 { // a second call finds the column
			if err := lt.EnsureImportLedger(ctx); err != nil {
				t.Fatal(err)
			}
		}
		got, err := lt.ImportLedger(ctx, "old", "Account")
		if err != nil || len(got) != 1 || got[0].Written != 10 || got[0].Added != 0 || got[0].LastLine != 11 {
			t.Fatalf("ledger = %+v, %v", got, err)
		}
		if n, err := lt.ImportWritten(ctx, "old"); err != nil || n != 10 {
			t.Fatalf("written = %d, %v", n, err)
		}
	})
}
