package validate

import (
	"context"
	"testing"
	"time"

	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/mapping/mappingtest"
	"batchdesk/backend/ingest/source"
)

// TestExcelGBK runs source → mapping → validate on an Excel export from a
// Chinese Windows (GBK, CRLF, a multi-line note, a slash date).
func TestExcelGBK(t *testing.T) {
	f, err := source.Open("../source/testdata/excel_gbk.csv", source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	obj := mappingtest.Object("Account")
	m := mapping.AutoMapping(obj, f.Header())
	want := map[string]string{"客户名称": "name", "行业": "industry", "年收入": "annual_revenue", "电话": "phone", "成立日期": "founded_on"}
	if len(m.Columns) != len(want) {
		t.Errorf("auto mapping = %v", m.Columns)
	}
	for h, fld := range want {
		if m.Columns[h].Field != fld {
			t.Errorf("%s → %q; want %q", h, m.Columns[h].Field, fld)
		}
	}
	v, err := New(obj, &m, f.Header(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var rows []Row
	if err := v.Stream(context.Background(), f, 2, func(r Row, _ source.Record) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || !rows[0].OK() || rows[1].OK() || !rows[2].OK() {
		t.Fatalf("rows = %+v", rows)
	}
	if p := rows[1].Problems[0]; p.Line != 3 || p.Code != CodeBadDate || p.Header != "成立日期" || p.Value != "1999/4/4" {
		t.Errorf("problem = %+v", p)
	}
	if rows[2].Line != 5 {
		t.Errorf("third record starts on line %d; want 5 (the note spans two lines)", rows[2].Line)
	}
}
