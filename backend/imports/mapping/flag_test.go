package mapping

import (
	"errors"
	"strings"
	"testing"

	"batchdesk/backend/catalog"
	"batchdesk/backend/imports/mapping/mappingtest"
)

func TestParseMapFlag(t *testing.T) {
	tests := []struct {
		name, in, header, field, err string
	}{
		{name: "plain", in: "Company=name", header: "Company", field: "name"},
		{name: "spaces trimmed", in: " Company Name = name ", header: "Company Name", field: "name"},
		{name: "equals in header", in: "a=b=name", header: "a=b", field: "name"},
		{name: "chinese", in: "公司名称=name", header: "公司名称", field: "name"},
		{name: "no equals", in: "Company", err: "no '=' found"},
		{name: "empty header", in: "=name", err: "header (before '=') is missing"},
		{name: "empty field leaves the column unmapped", in: "Company=", header: "Company", field: ""},
		{name: "equals in header, unmapped", in: "a=b=", header: "a=b", field: ""},
		{name: "both empty", in: " = ", err: "both"},
		{name: "empty", in: "", err: "no '=' found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, f, err := ParseMapFlag(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v; want %q", err, tt.err)
				}
				return
			}
			if err != nil || h != tt.header || f != tt.field {
				t.Errorf("= %q, %q, %v; want %q, %q", h, f, err, tt.header, tt.field)
			}
		})
	}
}

func TestApplyMapFlags(t *testing.T) {
	obj := mappingtest.Object("Account")
	headers := []string{"Company", "Sector", "Mail"}
	m := Mapping{Columns: map[string]Column{"Sector": {Field: "industry", ValueMap: map[string]string{"Tech": "Technology"}}}}
	if err := ApplyMapFlags(&m, obj, headers, []string{"company=name", "Sector=industry", "Mail=email"}); err != nil {
		t.Fatal(err)
	}
	if m.Columns["Company"].Field != "name" || m.Columns["Sector"].ValueMap["Tech"] != "Technology" || m.Columns["Mail"].Field != "email" {
		t.Errorf("columns = %+v", m.Columns)
	}
	err := ApplyMapFlags(&m, obj, headers, []string{"Mail=emial"})
	if !errors.Is(err, catalog.ErrUnknownField) || !strings.Contains(err.Error(), "did you mean email?") {
		t.Errorf("unknown field error = %v", err)
	}
	if err := ApplyMapFlags(&m, obj, headers, []string{"Fax=phone"}); err == nil || !strings.Contains(err.Error(), `no column "Fax"`) {
		t.Errorf("unknown header error = %v", err)
	}
}

func TestCheck(t *testing.T) {
	acc := mappingtest.Object("Account")
	line := mappingtest.Object("OpportunityLine")
	tests := []struct {
		name string
		obj  *catalog.Object
		m    Mapping
		err  string
	}{
		{name: "ok", obj: acc, m: Mapping{Mode: Upsert, Key: "account_no", Columns: map[string]Column{"A": {Field: "name"}, "B": {Field: "founded_on", DateFormat: "DD/MM/YYYY HH:mm"}}}},
		{name: "bad mode", obj: acc, m: Mapping{Mode: "merge"}, err: "unknown mode"},
		{name: "update needs key", obj: acc, m: Mapping{Mode: Update}, err: "needs a key"},
		{name: "primary on line", obj: line, m: Mapping{Mode: Update, Key: "primary"}, err: "no primary attribute"},
		{name: "unknown key", obj: acc, m: Mapping{Mode: Update, Key: "acount_no"}, err: "did you mean account_no"},
		{name: "unknown field", obj: acc, m: Mapping{Columns: map[string]Column{"A": {Field: "nope"}}}, err: `column "A"`},
		{name: "field twice", obj: acc, m: Mapping{Columns: map[string]Column{"A": {Field: "name"}, "B": {Field: "NAME"}}}, err: "both mapped"},
		{name: "bad date format", obj: acc, m: Mapping{Columns: map[string]Column{"A": {Field: "founded_on", DateFormat: "DD.MM.YYYY"}}}, err: "unknown date format"},
		{name: "bad number", obj: acc, m: Mapping{Columns: map[string]Column{"A": {Field: "employees", NumberLocale: "1 234,5"}}}, err: "number format"},
		{name: "bad blank", obj: acc, m: Mapping{Columns: map[string]Column{"A": {Field: "employees", Blank: "zero"}}}, err: "blank must be"},
		{name: "lookupBy on text", obj: acc, m: Mapping{Columns: map[string]Column{"A": {Field: "name", LookupBy: "id"}}}, err: "lookupBy only applies"},
		{name: "bad zone", obj: acc, m: Mapping{Zone: "Mars/Base"}, err: "unknown time zone"},
		{name: "other object", obj: acc, m: Mapping{Object: "Contact"}, err: "for object Contact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Check(tt.obj)
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error = %v; want %q", err, tt.err)
			}
		})
	}
}
