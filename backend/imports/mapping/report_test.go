package mapping

import (
	"testing"

	"batchdesk/backend/catalog"
	"batchdesk/backend/imports/mapping/mappingtest"
)

// TestErrorReportMatchesLikeItsFile: a fixed error report (the input's
// columns plus _row and _error) has the original file's signature, so it
// finds the same presets, and the same auto-mapping; _row and _error map
// to nothing, even on an object with fields of those names.
func TestErrorReportMatchesLikeItsFile(t *testing.T) {
	file := []string{"Account Name", "Phone", "Industry"}
	report := append(append([]string{}, file...), "_row", "_error")
	if Signature(report) != Signature(file) {
		t.Errorf("signature of the report %s != the file's %s", Signature(report), Signature(file))
	}
	obj := mappingtest.Object("Account")
	a, b := AutoMapping(obj, file), AutoMapping(obj, report)
	if len(a.Columns) == 0 || len(a.Columns) != len(b.Columns) {
		t.Errorf("auto-mapping of the file %v, of the report %v", a.Columns, b.Columns)
	}
	withRow := &catalog.Object{APIName: "Log", Fields: []catalog.Field{
		{APIName: "row", LabelEN: "Row", Type: catalog.Text}, {APIName: "error", LabelEN: "Error", Type: catalog.Text}}}
	for _, s := range Match(withRow, []string{"_row", "_ERROR "}) {
		if s.Field != "" {
			t.Errorf("%q matched %s", s.Header, s.Field)
		}
	}
}
