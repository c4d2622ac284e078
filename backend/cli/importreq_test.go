package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"batchdesk/backend/imports"
)

// The command line turns its flags into the complete request the window
// sends, before the service runs it: the job saves a mapping of the
// master's columns (the --map on top of auto-matching), each detail file
// with its own mapping and master column, and each file's chosen delimiter
// as a character.
func TestImportSavesTheCompleteRequest(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	c := sandboxCRM(t)
	opps := writeFile(t, "opps.csv", "Ref;Deal;Account;Stage\nK1;Req Deal 1;A-0001;Prospecting\n")
	lines := writeFile(t, "lines.csv", "Ref;Product;Quantity\nK1;SKU-1001;2\n")
	r := runCLI(t, ctx, "import", opps, "--crm", c, "--object", "Opportunity", "--delimiter", "semicolon",
		"--map", "Deal=name", "--master-key", "Ref", "--detail", "OpportunityLine="+lines, "--json")
	if r.code != 0 {
		t.Fatalf("import: exit %d: %s %s", r.code, r.stderr, r.stdout)
	}
	s := decodeSummary(t, r.lastLine())
	r = runCLI(t, ctx, "jobs", "show", s.JobID)
	_, settings, ok := strings.Cut(r.stdout, "Settings:")
	if r.code != 0 || !ok {
		t.Fatalf("jobs show: %s", r.stdout)
	}
	settings, _, _ = strings.Cut(strings.TrimSpace(settings), "\n")
	var req imports.Request
	if err := json.Unmarshal([]byte(settings), &req); err != nil {
		t.Fatalf("settings %s: %v", settings, err)
	}
	if req.Object != "Opportunity" || req.Mapping.Columns["Deal"].Field != "name" || req.Mapping.Columns["Stage"].Field == "" {
		t.Errorf("master mapping %+v", req.Mapping)
	}
	if len(req.Details) != 1 || req.Details[0].Object != "OpportunityLine" || req.Details[0].MasterColumn != "Ref" ||
		len(req.Details[0].Mapping.Columns) == 0 {
		t.Errorf("details %+v", req.Details)
	}
	if req.Formats[opps].Delimiter != ';' || req.Formats[lines].Delimiter != ';' {
		t.Errorf("formats %+v", req.Formats)
	}
}
