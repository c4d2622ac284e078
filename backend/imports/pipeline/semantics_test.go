package pipeline_test

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/demo"
	"batchdesk/backend/imports/load"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/pipeline"
)

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func members(t *testing.T, tg target, record string) []string {
	return tg.Strings("SELECT u.email || ':' || m.role FROM crm."+crmdb.TableTeamMembers+" m JOIN crm."+crmdb.TableUsers+
		" u ON u.id = m.user_id WHERE m.record_id = $1", record)
}

// On update a blank cell leaves the field alone unless its column says
// "null"; the related team is left alone only when all team columns of the
// row are blank, and replaced otherwise (DESIGN §1.11).
func TestUpdateBlankKeepsAndTeamRule(t *testing.T) {
	eachDemo(t, func(t *testing.T, tg target) {
		acc1, acc2 := demo.ID("Account", 1), demo.ID("Account", 2)
		team1 := members(t, tg, acc1)
		if len(team1) == 0 {
			t.Fatal("the demo account 1 has no team")
		}
		file := write(t, "upd.csv", "No,Phone,Employees,Website,RW,RO\n"+
			"A-0001,,42,,,\n"+
			"A-0002,+86 10 1234 5678,,https://two.example,,li.wei@demo.example\n")
		res := runOK(t, pipeline.Request{Target: tg.Target, Object: "Account", Files: []string{file}, Mapping: mapping.Mapping{
			Mode: mapping.Update, Key: "account_no", Columns: map[string]mapping.Column{
				"No": {Field: "account_no"}, "Phone": {Field: "phone"}, "Employees": {Field: "employees"},
				"Website": {Field: "website", Blank: mapping.BlankNull},
				"RW":      {Field: "team_read_write"}, "RO": {Field: "team_read_only"}}}})
		if res.Succeeded != 2 || res.Failed != 0 {
			t.Fatalf("result %+v", res)
		}
		got := tg.Strings("SELECT account_no || '|' || coalesce(phone,'-') || '|' || coalesce(employees::text,'-') || '|' || coalesce(website,'-') FROM crm.account WHERE account_no IN ('A-0001','A-0002')")
		want := []string{"A-0001|+86 21 5555 0001|42|-", "A-0002|+86 10 1234 5678|84|https://two.example"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("accounts = %q, want %q", got, want)
		}
		if now := members(t, tg, acc1); !reflect.DeepEqual(now, team1) {
			t.Errorf("team of account 1 (all team cells blank) = %q, want it left alone: %q", now, team1)
		}
		if now := members(t, tg, acc2); !reflect.DeepEqual(now, []string{"li.wei@demo.example:" + crmdb.RoleReadOnly}) {
			t.Errorf("team of account 2 = %q, want it replaced by the row's", now)
		}
	})
}

// Lookups by ID, unique field and primary attribute ("auto"), an owner by
// email; none or several matches is a row error. Validate-only finds the
// same problems without writing.
func TestLookups(t *testing.T) {
	eachDemo(t, func(t *testing.T, tg target) {
		var at any = time.Now()
		if tg.Name() == "sandbox" {
			at = crmdb.FormatTime(time.Now())
		}
		tg.MustExec("INSERT INTO crm.account (id, name, account_no, owner_id, created_by, last_modified_by, created_at, last_modified_at) VALUES ($1, 'Twin Co', 'TW-1', $3, $3, $3, $4, $4), ($2, 'Twin Co', 'TW-2', $3, $3, $3, $4, $4)",
			"11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", crmdb.SystemUserID, at)
		file := write(t, "contacts.csv", "Name,Account,Owner\n"+
			"C1,"+demo.ID("Account", 3)+",alice.wang@demo.example\n"+
			"C2,A-0004,E002\n"+
			"C3,Contoso Trading,\n"+
			"C4,Twin Co,\n"+
			"C5,Nowhere,\n")
		m := mapping.Mapping{Columns: map[string]mapping.Column{"Name": {Field: "name"}, "Account": {Field: "account_id"}, "Owner": {Field: "owner_id"}}}
		before := tg.Strings("SELECT count(*)::text FROM crm.contact")

		res := runOK(t, pipeline.Request{Target: tg.Target, Object: "Contact", Files: []string{file}, Mapping: m, ValidateOnly: true})
		if res.Succeeded != 3 || res.Failed != 2 || res.ProblemsByCode[load.CodeAmbiguous] != 1 || res.ProblemsByCode[load.CodeNoMatch] != 1 {
			t.Fatalf("validate-only: %+v", res)
		}
		if after := tg.Strings("SELECT count(*)::text FROM crm.contact"); !reflect.DeepEqual(after, before) {
			t.Fatalf("validate-only wrote contacts: %v → %v", before, after)
		}

		rep := t.TempDir() + "/errors.csv"
		res = runOK(t, pipeline.Request{Target: tg.Target, Object: "Contact", Files: []string{file}, Mapping: m, ErrorsPath: rep})
		if res.Succeeded != 3 || res.Failed != 2 {
			t.Fatalf("import: %+v", res)
		}
		got := tg.Strings("SELECT c.name || '>' || a.account_no || '>' || u.employee_no FROM crm.contact c JOIN crm.account a ON a.id = c.account_id JOIN crm.users u ON u.id = c.owner_id WHERE c.name LIKE 'C_'")
		want := []string{"C1>A-0003>E001", "C2>A-0004>E002", "C3>A-0002>SYSTEM"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("contacts = %q, want %q", got, want)
		}
		lines := reportLines(t, rep)
		if len(lines) != 2 || !strings.Contains(lines[0], "C4,Twin Co,,5,") || !strings.Contains(lines[0], `matches 2 Account records by Account Name (name): give a unique value`) ||
			!strings.Contains(lines[1], "C5,Nowhere,,6,") ||
			!strings.Contains(lines[1], `no Account record matches ""Nowhere"": looked up by ID, Account No. (account_no) or Account Name (name)`) {
			t.Errorf("report = %q", lines)
		}

		// lookupBy "primary" only tries the name: an account number then
		// points nowhere.
		m.Columns["Account"] = mapping.Column{Field: "account_id", LookupBy: mapping.LookupPrimary}
		file2 := write(t, "contacts2.csv", "Name,Account,Owner\nD1,A-0004,\nD2,Contoso Trading,\n")
		res = runOK(t, pipeline.Request{Target: tg.Target, Object: "Contact", Files: []string{file2}, Mapping: m, ValidateOnly: true})
		if res.Succeeded != 1 || res.Failed != 1 || res.ProblemsByCode[load.CodeNoMatch] != 1 {
			t.Errorf("lookup by primary: %+v", res)
		}
		// and by a named unique field.
		m.Columns["Account"] = mapping.Column{Field: "account_id", LookupBy: "account_no"}
		res = runOK(t, pipeline.Request{Target: tg.Target, Object: "Contact", Files: []string{file2}, Mapping: m, ValidateOnly: true})
		if res.Succeeded != 1 || res.Failed != 1 {
			t.Errorf("lookup by account_no: %+v", res)
		}
	})
}

// A master file and its detail file import as one job: details link to the
// new masters by the file's key, a failed master fails its details, and a
// rehearsal (masters and details in one transaction) leaves nothing.
func TestMasterDetail(t *testing.T) {
	eachDemo(t, func(t *testing.T, tg target) {
		master := write(t, "opps.csv", "key,Name,Account,Stage\nK1,Deal X,A-0001,Prospecting\nK2,Deal Y,Nowhere,Prospecting\n")
		detail := write(t, "lines.csv", "key,Product,Quantity\nK1,SKU-1001,2\nK1,SKU-1002,1\nK2,SKU-1001,3\nK9,SKU-1001,1\n")
		req := pipeline.Request{Target: tg.Target, Object: "Opportunity", Files: []string{master}, MasterKey: "key", JobID: "md-" + tg.Name(),
			Mapping: mapping.Mapping{Columns: map[string]mapping.Column{"Name": {Field: "name"}, "Account": {Field: "account_id"}, "Stage": {Field: "stage"}}},
			Details: []pipeline.Detail{{Object: "OpportunityLine", Files: []string{detail}, MasterColumn: "key",
				Mapping: mapping.Mapping{Columns: map[string]mapping.Column{"Product": {Field: "product_id"}, "Quantity": {Field: "quantity"}}}}}}
		lines := func() []string {
			return tg.Strings("SELECT o.name || ':' || l.quantity::text FROM crm.opportunity_line l JOIN crm.opportunity o ON o.id = l.opportunity_id WHERE o.name LIKE 'Deal _'")
		}
		check := func(what string, res pipeline.Result) {
			t.Helper()
			if res.Total != 6 || res.Succeeded != 3 || res.Failed != 3 || res.ProblemsByCode[load.CodeMaster] != 1 {
				t.Errorf("%s: %+v", what, res)
			}
		}
		vo := req
		vo.ValidateOnly, vo.JobID = true, ""
		check("validate-only", runOK(t, vo))
		rh := req
		rh.Rehearse, rh.JobID = true, ""
		check("rehearsal", runOK(t, rh))
		if got := lines(); len(got) != 0 {
			t.Fatalf("the rehearsal left %q", got)
		}
		check("import", runOK(t, req))
		got := lines()
		if want := []string{"Deal X:1", "Deal X:2"}; !reflect.DeepEqual(trimZeros(got), want) {
			t.Errorf("lines = %q, want %q", got, want)
		}
	})
}

// trimZeros drops a decimal tail of zeros ("2.00" → "2") from "x:n" items.
func trimZeros(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		out[i] = s
	}
	return out
}
