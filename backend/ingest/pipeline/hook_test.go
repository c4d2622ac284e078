package pipeline_test

import (
	"slices"
	"sync"
	"testing"

	"batchdesk/backend/ingest/load"
	"batchdesk/backend/ingest/pipeline"
	"batchdesk/backend/ingest/validate"
)

// TestOnFailedRow checks that validation problems and server rejections
// both reach the hook with the file, the line, the original cells and each
// problem's column, field, code and value — when loading and when only
// validating, with or without an error report.
func TestOnFailedRow(t *testing.T) {
	eachDemo(t, func(t *testing.T, tg target) {
		csv := "Name,No,Employees,Revenue,Owner,Note\n" +
			"Hook A,HK-1,10,1,System,x\n" +
			"Hook B,HK-2,ten,1,,y\n" + // bad integer: validation
			"Hook C,HK-3,3,2,nobody,z\n" // no such owner: the CRM says
		file := write(t, "hook.csv", csv)
		for _, validateOnly := range []bool{true, false} {
			var mu sync.Mutex
			var got []pipeline.FailedRow
			res := runOK(t, pipeline.Request{Target: tg.Target, Object: "Account", Mapping: accountMapping(),
				Files: []string{file}, BatchSize: 2, ValidateOnly: validateOnly,
				OnFailedRow: func(r pipeline.FailedRow) { mu.Lock(); got = append(got, r); mu.Unlock() }})
			if res.Failed != 2 || len(got) != 2 {
				t.Fatalf("validateOnly %v: %d failed, %d hooked: %+v", validateOnly, res.Failed, len(got), got)
			}
			slices.SortFunc(got, func(a, b pipeline.FailedRow) int { return int(a.Line - b.Line) })
			bad, rejected := got[0], got[1]
			if bad.File != file || bad.Object != "Account" || bad.Line != 3 ||
				!slices.Equal(bad.Cells, []string{"Hook B", "HK-2", "ten", "1", "", "y"}) {
				t.Errorf("validation row = %+v", bad)
			}
			want := validate.Problem{Header: "Employees", Field: "employees", Code: validate.CodeNotNumber, Value: "ten"}
			if len(bad.Problems) != 1 || bad.Problems[0].Message == "" {
				t.Fatalf("validation problems = %+v", bad.Problems)
			}
			if p := bad.Problems[0]; p.Header != want.Header || p.Field != want.Field || p.Code != want.Code || p.Value != want.Value {
				t.Errorf("validation problem = %+v, want %+v", p, want)
			}
			if rejected.Line != 4 || len(rejected.Cells) != 6 || rejected.Cells[4] != "nobody" || len(rejected.Problems) != 1 {
				t.Fatalf("rejected row = %+v", rejected)
			}
			if p := rejected.Problems[0]; p.Header != "Owner" || p.Field != "owner_id" || p.Code != load.CodeNoMatch || p.Value != "nobody" || p.Message == "" {
				t.Errorf("server problem = %+v", p)
			}
		}
	})
}
