package cli

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmtest"
)

// A master–detail import whose masters and lines fail lists every
// object's report (--json errorsFiles, jobs show), and restart
// --failed-only sends the failed rows of every file again: the failed
// master, its line and the line that failed on its own, keeping the
// customer's line numbers in the new reports.
func TestMasterDetailReportsAndRestartCLI(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	c := sandboxCRM(t)
	opps := writeFile(t, "opps.csv", "Ref,Opportunity Name,Account,Stage\nK1,CLI Deal 1,A-0001,Prospecting\nK2,CLI Deal 2,Nowhere,Prospecting\n")
	lines := writeFile(t, "lines.csv", "Ref,Product,Quantity\nK1,SKU-1001,2\nK1,SKU-NOPE,1\nK2,SKU-1001,3\n")
	r := runCLI(t, ctx, "import", opps, "--crm", c, "--object", "Opportunity", "--master-key", "Ref",
		"--detail", "OpportunityLine="+lines, "--json")
	if r.code != ExitRowsFail {
		t.Fatalf("import: exit %d: %s %s", r.code, r.stderr, r.stdout)
	}
	s := decodeSummary(t, r.lastLine())
	if s.Failed != 3 || len(s.ErrorsFiles) != 2 || s.ErrorsFile == nil || *s.ErrorsFile != s.ErrorsFiles[0].Path {
		t.Fatalf("summary %+v", s)
	}
	if d := s.ErrorsFiles[1]; d.Object != "OpportunityLine" || d.Rows != 2 {
		t.Fatalf("detail report %+v", d)
	}
	r = runCLI(t, ctx, "jobs", "show", s.JobID)
	if r.code != 0 || strings.Count(r.stdout, "Errors:") != 2 || !strings.Contains(r.stdout, "OpportunityLine, 2 rows") {
		t.Fatalf("jobs show: %s", r.stdout)
	}
	r = runCLI(t, ctx, "jobs", "restart", s.JobID, "--failed-only", "--json")
	if r.code != ExitRowsFail {
		t.Fatalf("restart: exit %d: %s %s", r.code, r.stderr, r.stdout)
	}
	s2 := decodeSummary(t, r.lastLine())
	if s2.Total != 3 || s2.Failed != 3 || len(s2.ErrorsFiles) != 2 {
		t.Fatalf("restart summary %+v, want the 3 failed rows of both files again", s2)
	}
	b, err := os.ReadFile(s2.ErrorsFiles[1].Path)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); !strings.Contains(got, "K1,SKU-NOPE,1,3,") || !strings.Contains(got, "K2,SKU-1001,3,4,") {
		t.Fatalf("restart's detail report lost the original lines:\n%s", got)
	}
}

// --master-key names the master file's key column; a detail file that holds
// the key in its own master–detail column ("Opportunity") is linked by it.
func TestMasterKeyFindsTheDetailsOwnMasterColumn(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	c := sandboxCRM(t)
	opps := writeFile(t, "opps.csv", "Ref,Opportunity Name,Account,Stage\nK1,Own Col Deal,A-0001,Prospecting\n")
	lines := writeFile(t, "lines.csv", "Opportunity,Product,Quantity\nK1,SKU-1001,2\nK1,SKU-1002,1\n")
	r := runCLI(t, ctx, "import", opps, "--crm", c, "--object", "Opportunity", "--master-key", "Ref",
		"--detail", "OpportunityLine="+lines, "--json")
	if r.code != 0 {
		t.Fatalf("import: exit %d: %s %s", r.code, r.stderr, r.stdout)
	}
	if s := decodeSummary(t, r.lastLine()); s.Total != 3 || s.Succeeded != 3 {
		t.Fatalf("summary %+v", s)
	}
}

// A master–detail preset maps the detail files given with --detail by its
// own detail mappings and links them by its key columns: no --master-key,
// no repeated mapping, headers that auto-matching would not place.
func TestMasterDetailPreset(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	c := sandboxCRM(t)
	preset := writeFile(t, "deals.json", `{"version": 1, "object": "Opportunity",
		"columns": {"Deal": {"field": "name"}, "Client": {"field": "account_id", "lookupBy": "account_no"},
		            "Phase": {"field": "stage"}},
		"masterKey": "Deal ref",
		"details": [{"object": "OpportunityLine", "masterColumn": "Belongs to",
		             "columns": {"Item": {"field": "product_id", "lookupBy": "sku"}, "How many": {"field": "quantity"}}}]}`)
	opps := writeFile(t, "opps.csv", "Deal ref,Deal,Client,Phase\nD1,Preset Deal 1,A-0001,Prospecting\nD2,Preset Deal 2,A-0002,Prospecting\n")
	lines := writeFile(t, "lines.csv", "Belongs to,Item,How many\nD1,SKU-1001,2\nD1,SKU-1002,1\nD2,SKU-1001,5\n")
	r := runCLI(t, ctx, "import", opps, "--crm", c, "--preset", preset, "--detail", "OpportunityLine="+lines, "--json")
	if r.code != 0 {
		t.Fatalf("import: exit %d: %s %s", r.code, r.stderr, r.stdout)
	}
	if s := decodeSummary(t, r.lastLine()); s.Total != 5 || s.Succeeded != 5 {
		t.Fatalf("summary %+v", s)
	}
	tg := crmtest.Open(t, crm.Spec{Kind: crm.KindSandbox, Path: strings.TrimPrefix(c, "sandbox:")})
	got := tg.Strings(`SELECT o.name || ':' || p.sku || ':' || CAST(CAST(l.quantity AS INTEGER) AS TEXT) FROM opportunity_line l
		JOIN opportunity o ON o.id = l.opportunity_id JOIN product p ON p.id = l.product_id WHERE o.name LIKE 'Preset Deal %'`)
	if want := []string{"Preset Deal 1:SKU-1001:2", "Preset Deal 1:SKU-1002:1", "Preset Deal 2:SKU-1001:5"}; !slices.Equal(got, want) {
		t.Errorf("lines %q, want %q", got, want)
	}

	// Without the preset the same files need --master-key, as before.
	r = runCLI(t, ctx, "import", opps, "--crm", c, "--object", "Opportunity", "--detail", "OpportunityLine="+lines)
	if r.code != ExitCannot || !strings.Contains(r.stderr, "master key column") {
		t.Errorf("without a preset: exit %d: %s", r.code, r.stderr)
	}
}
