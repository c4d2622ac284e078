package imports

import (
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/imports/mapping/mappingtest"
)

// A header holding '=' is mapped with --map: the pair splits at its last
// '=', since a field's API name never holds one.
func TestMapColumnsHeaderWithEquals(t *testing.T) {
	obj := mappingtest.Object("Account")
	header := []string{"Name=Full", "Industry", "Notes"}
	m, err := MapColumns(obj, header, []string{"Name=Full=name", "Industry="}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := m.Columns["Name=Full"]; !ok || c.Field != "name" {
		t.Fatalf("columns %+v", m.Columns)
	}
	if _, ok := m.Columns["Industry"]; ok {
		t.Fatalf(`"Industry=" must leave the column unmapped: %+v`, m.Columns)
	}
	for _, bad := range []string{"Name", "=name"} {
		_, err := MapColumns(obj, header, []string{bad}, "", "")
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "--map") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
