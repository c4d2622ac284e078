package imports

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"batchdesk/backend/apperr"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/mapping/mappingtest"
	"batchdesk/backend/ingest/source"
)

// TestCheckRequired: insert and upsert refuse, before any row is read, a
// mapping that leaves required fields without a column, naming each by
// label and API name; update does not need them.
func TestCheckRequired(t *testing.T) {
	acc := mappingtest.Object("Account")
	phoneOnly := map[string]mapping.Column{"Phone": {Field: "phone"}}
	for _, mode := range []mapping.Mode{mapping.Insert, mapping.Upsert, ""} {
		err := checkRequired(acc, mapping.Mapping{Mode: mode, Key: "account_no", Columns: phoneOnly})
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "Account Name (name) is required") {
			t.Errorf("mode %q: %v", mode, err)
		}
	}
	if err := checkRequired(acc, mapping.Mapping{Mode: mapping.Update, Key: "id", Columns: phoneOnly}); err != nil {
		t.Errorf("update: %v", err)
	}
	opp := mappingtest.Object("Opportunity")
	err := checkRequired(opp, mapping.Mapping{Columns: map[string]mapping.Column{}})
	if err == nil || !strings.Contains(err.Error(), "Opportunity Name (name), Account (account_id) are required") {
		t.Errorf("two missing: %v", err)
	}
	line := mappingtest.Object("OpportunityLine")
	cols := map[string]mapping.Column{"Product": {Field: "product_id"}, "Qty": {Field: "quantity"}}
	if err := checkRequired(line, mapping.Mapping{Columns: cols}, "opportunity_id"); err != nil {
		t.Errorf("detail with its master link filled: %v", err)
	}
}

// TestRequireRows: a file with a header and no data rows (blank rows do
// not count) is refused plainly.
func TestRequireRows(t *testing.T) {
	for name, content := range map[string]string{"header only": "Name,Phone\n", "blank rows": "Name,Phone\n,\n , \n"} {
		err := requireRows(writeFile(t, "a.csv", content), source.Format{}, 0, source.Limits{})
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "header row but no data rows") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := requireRows(writeFile(t, "a.csv", "Name,Phone\n,\nAcme,1\n"), source.Format{}, 0, source.Limits{}); err != nil {
		t.Errorf("a data row: %v", err)
	}
}

// TestHeaderNotAHeader: one giant header cell is refused as not a header
// row, quoting at most ~100 characters of it.
func TestHeaderNotAHeader(t *testing.T) {
	_, err := ReadHeader(writeFile(t, "a.csv", strings.Repeat("h", 5<<20)), source.Format{}, 0)
	if !errors.Is(err, source.ErrTooLong) && !errors.Is(err, source.ErrHeader) {
		t.Fatalf("error = %v", err)
	}
	if len(err.Error()) > 400 {
		t.Errorf("message of %d bytes", len(err.Error()))
	}
	_, err = ReadHeader(writeFile(t, "a.csv", strings.Repeat("h", 5000)+"\n1\n"), source.Format{}, 0)
	if !errors.Is(err, source.ErrHeader) || !strings.Contains(err.Error(), "not a header row") || len(err.Error()) > 400 {
		t.Fatalf("error = %v", err)
	}
}

// TestListColumns: a message lists at most ~100 characters of columns.
func TestListColumns(t *testing.T) {
	many := make([]string, 100000)
	for i := range many {
		many[i] = "column"
	}
	if got := listColumns(many); utf8.RuneCountInString(got) > 130 || !strings.Contains(got, "100000 columns") {
		t.Errorf("listColumns = %q", got)
	}
	if got := listColumns([]string{strings.Repeat("名", 5000)}); utf8.RuneCountInString(got) > 130 {
		t.Errorf("one long column: %d characters", utf8.RuneCountInString(got))
	}
	if got := listColumns([]string{"a", "b"}); got != "a, b" {
		t.Errorf("listColumns = %q", got)
	}
	obj := mappingtest.Object("Account")
	err := checkMaps(obj, many, []string{"a=name"})
	if err == nil || len(err.Error()) > 300 {
		t.Errorf("--map on a wide file: %d bytes", len(err.Error()))
	}
}
