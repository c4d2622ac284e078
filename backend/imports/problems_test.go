package imports

import (
	"fmt"
	"path/filepath"
	"testing"

	"batchdesk/backend/ingest/pipeline"
	"batchdesk/backend/ingest/validate"
)

func TestProblemLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	l, err := CreateProblemLog(path)
	if err != nil {
		t.Fatal(err)
	}
	const n = 100_000
	for i := 0; i < n; i++ {
		row := pipeline.FailedRow{Line: int64(i + 2), File: "a.csv", Cells: []string{fmt.Sprint("name", i), "Tech"}}
		if i%2 == 0 {
			row.Problems = append(row.Problems, validate.Problem{Header: "Industry", Field: "industry", Code: "bad_picklist", Message: "'Tech' is not an option", Value: "Tech"})
		}
		if i%3 == 0 {
			row.Problems = append(row.Problems, validate.Problem{Header: "Name", Field: "name", Code: "too_long", Message: "too long"})
		}
		if len(row.Problems) == 0 {
			row.Problems = append(row.Problems, validate.Problem{Code: "ragged_row", Message: "wrong number of fields"})
		}
		if err := l.Add(row); err != nil {
			t.Fatal(err)
		}
		if i == 10 { // readable while being written
			p, err := l.Page(0, 5, "", "")
			if err != nil || p.Total != 11 || len(p.Rows) != 5 || p.Rows[0].Line != 2 {
				t.Fatalf("early page: %+v %v", p.Total, err)
			}
		}
	}
	check := func(l *ProblemLog) {
		t.Helper()
		p, err := l.Page(99_990, 50, "", "")
		if err != nil || p.Total != n || len(p.Rows) != 10 || p.Rows[9].Line != n+1 {
			t.Fatalf("last page: total %d rows %d %v", p.Total, len(p.Rows), err)
		}
		if p.ByCode["bad_picklist"] != n/2 || p.ByColumn["Name"] != 33_334 {
			t.Fatalf("counts %v %v", p.ByCode, p.ByColumn)
		}
		p, _ = l.Page(1, 2, "too_long", "Industry") // rows divisible by 6
		if p.Total != 16_667 || p.Rows[0].Line != 8 || p.Rows[1].Line != 14 {
			t.Fatalf("filtered: %d %+v", p.Total, p.Rows)
		}
		if p, _ := l.Page(0, 10, "no_such_code", ""); p.Total != 0 || len(p.Rows) != 0 {
			t.Fatalf("unknown code matched %d", p.Total)
		}
		if p, _ := l.Page(-5, -1, "", ""); len(p.Rows) != 0 {
			t.Fatal("negative paging returned rows")
		}
	}
	check(l)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	re, err := OpenProblemLog(path)
	if err != nil {
		t.Fatal(err)
	}
	check(re)
	if re.Add(pipeline.FailedRow{}) == nil {
		t.Fatal("a reopened log must be read-only")
	}
}
