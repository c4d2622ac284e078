package pipeline_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/pipeline"
)

// A master–detail import with failing masters and failing lines lists a
// report per object (in file order: a line the server rejects comes
// before a later line that failed validation), and importing the mended
// reports again — masters and lines in one job, with the first job's
// MasterIDs — links the lines to the masters written the first time and
// keeps the customer's line numbers in a second report.
func TestMasterDetailReportsAndRestart(t *testing.T) {
	eachDemo(t, func(t *testing.T, tg target) {
		dir := t.TempDir()
		master := write(t, "opps.csv", "key,Name,Account,Stage\nK1,Deal R1,A-0001,Prospecting\nK2,Deal R2,Nowhere,Prospecting\n")
		detail := write(t, "lines.csv", "key,Product,Quantity\nK1,SKU-1001,2\nK1,SKU-NOPE,1\nK1,SKU-1002,x\nK2,SKU-1001,3\n")
		oppMap := mapping.Mapping{Columns: map[string]mapping.Column{"Name": {Field: "name"}, "Account": {Field: "account_id"}, "Stage": {Field: "stage"}}}
		lineMap := mapping.Mapping{Columns: map[string]mapping.Column{"Product": {Field: "product_id"}, "Quantity": {Field: "quantity"}}}
		req := pipeline.Request{Target: tg.Target, Object: "Opportunity", Files: []string{master}, MasterKey: "key", BatchSize: 10,
			Mapping: oppMap, ErrorsPath: filepath.Join(dir, "opps-errors.csv"),
			Details: []pipeline.Detail{{Object: "OpportunityLine", Files: []string{detail}, MasterColumn: "key", Mapping: lineMap}}}
		res := runOK(t, req)
		if res.Failed != 4 || len(res.ErrorsFiles) != 2 || res.ErrorsFile != req.ErrorsPath {
			t.Fatalf("result %+v", res)
		}
		if f := res.ErrorsFiles[1]; f.Object != "OpportunityLine" || f.Rows != 3 || f.Path != pipeline.DetailReportPath(req.ErrorsPath, "OpportunityLine") {
			t.Fatalf("detail report %+v", f)
		}
		lines := reportLines(t, res.ErrorsFiles[1].Path)
		rows := make([]string, len(lines))
		for i, l := range lines {
			rows[i] = strings.Join(strings.Split(l, ",")[:4], ",")
		}
		if want := []string{"K1,SKU-NOPE,1,3", "K1,SKU-1002,x,4", "K2,SKU-1001,3,5"}; !reflect.DeepEqual(rows, want) {
			t.Fatalf("detail report rows %q, want %q (file order)", rows, want)
		}
		if len(res.MasterIDs) != 1 || res.MasterIDs["K1"] == "" {
			t.Fatalf("master IDs %v, want K1's", res.MasterIDs)
		}
		// The customer mends both reports and sends them again.
		mend := func(path string, r *strings.Replacer) string {
			out := filepath.Join(t.TempDir(), filepath.Base(path))
			if err := os.WriteFile(out, []byte(r.Replace(mustRead(t, path))), 0o644); err != nil {
				t.Fatal(err)
			}
			return out
		}
		again := req
		again.Files = []string{mend(res.ErrorsFiles[0].Path, strings.NewReplacer("Nowhere", "A-0001"))}
		again.Details = []pipeline.Detail{{Object: "OpportunityLine", MasterColumn: "key", Mapping: lineMap,
			Files: []string{mend(res.ErrorsFiles[1].Path, strings.NewReplacer("SKU-NOPE", "SKU-1002", "SKU-1002,x", "SKU-9999,x"))}}}
		again.MasterIDs = res.MasterIDs
		again.ErrorsPath = filepath.Join(dir, "again-errors.csv")
		res2 := runOK(t, again)
		if res2.Succeeded != 3 || res2.Failed != 1 {
			t.Fatalf("restart %+v", res2)
		}
		if l := reportLines(t, res2.ErrorsFiles[0].Path); len(l) != 1 || !strings.HasPrefix(l[0], "K1,SKU-9999,x,4,") {
			t.Fatalf("restart report %q, want the original line 4", l)
		}
		got := trimZeros(tg.Strings("SELECT o.name || ':' || l.quantity::text FROM crm.opportunity_line l JOIN crm.opportunity o ON o.id = l.opportunity_id WHERE o.name LIKE 'Deal R_'"))
		if want := []string{"Deal R1:1", "Deal R1:2", "Deal R2:3"}; !reflect.DeepEqual(got, want) {
			t.Errorf("lines %q, want %q", got, want)
		}
		if n := tg.Strings("SELECT count(*)::text FROM crm.opportunity WHERE name = 'Deal R1'"); n[0] != "1" {
			t.Errorf("Deal R1 written %s times", n[0])
		}
	})
}
