package validate

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/mapping/mappingtest"
	"batchdesk/backend/ingest/source"
)

// run validates a CSV text with a mapping and returns the rows.
func run(t *testing.T, csv string, m mapping.Mapping) ([]Row, *Validator) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(p, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := source.Open(p, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	obj := mappingtest.Object(m.Object)
	v, err := New(obj, &m, f.Header(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var rows []Row
	for {
		rec, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, v.Validate(rec))
	}
	return rows, v
}

func codes(r Row) []Code {
	var cs []Code
	for _, p := range r.Problems {
		cs = append(cs, p.Code)
	}
	return cs
}

func TestValidateFile(t *testing.T) {
	m := mapping.Mapping{Object: "Account", Columns: map[string]mapping.Column{
		"Company":  {Field: "name"},
		"No":       {Field: "account_no"},
		"Industry": {Field: "industry", ValueMap: map[string]string{"IT": "Technology"}},
		"Parent":   {Field: "parent_account_id"},
		"Owner":    {Field: "owner_id", LookupBy: "email"},
		"Team":     {Field: "team_read_write"},
	}}
	csv := "Company,No,Industry,Parent,Owner,Team,Ignored\n" +
		"Acme,A1,IT,,ann@x.com,bo@x.com;cy@x.com,zzz\n" + // line 2: good
		",A2,Tech,,,,\n" + // line 3: required + bad picklist
		"\"Globex\nCorp\",A1,Finance,Acme,,,\n" + // line 4-5: duplicate of line 2
		"Initech,A3,Finance\n" + // line 6: ragged
		"Hooli,A4,Retail,Acme,,,\n" // line 7: good
	rows, v := run(t, csv, m)
	want := []struct {
		line  int
		codes []Code
	}{{2, nil}, {3, []Code{CodeRequired, CodeBadPicklist}}, {4, []Code{CodeDuplicateKey}}, {6, []Code{CodeRaggedRow}}, {7, nil}}
	if len(rows) != len(want) {
		t.Fatalf("%d rows; want %d", len(rows), len(want))
	}
	for i, w := range want {
		if rows[i].Line != w.line || !slices.Equal(codes(rows[i]), w.codes) {
			t.Errorf("row %d: line %d codes %v; want line %d codes %v (%v)", i, rows[i].Line, codes(rows[i]), w.line, w.codes, rows[i].Problems)
		}
	}
	if p := rows[2].Problems[0]; !strings.Contains(p.Message, "row 2") || p.Header != "No" || p.Field != "account_no" || p.Line != 4 {
		t.Errorf("duplicate problem = %+v", p)
	}
	good := rows[0]
	if !good.OK() || len(good.Values) != len(v.Targets()) {
		t.Fatalf("good row = %+v", good)
	}
	byField := map[string]any{}
	for i, tg := range v.Targets() {
		byField[tg.Field.APIName] = good.Values[i]
	}
	if byField["industry"] != "Technology" || byField["parent_account_id"] != nil || byField["owner_id"] != "ann@x.com" {
		t.Errorf("values = %v", byField)
	}
	if len(good.Refs) != 2 || good.Refs[0].Object != "User" || good.Refs[0].By != "email" ||
		good.Refs[1].Object != "User" || !slices.Equal(good.Refs[1].Values, []string{"bo@x.com", "cy@x.com"}) {
		t.Errorf("refs = %+v", good.Refs)
	}
	if r := rows[4].Refs; len(r) != 1 || r[0].Object != "Account" || r[0].By != "auto" || r[0].Value != "Acme" {
		t.Errorf("refs = %+v", r)
	}
	st := v.Stats()
	if st.Rows != 5 || st.Valid != 2 || st.Invalid != 3 || st.ByCode[CodeRequired] != 1 || st.ByCode[CodeRaggedRow] != 1 ||
		st.ByColumn["No"] != 1 || st.ByColumn["Industry"] != 1 {
		t.Errorf("stats = %+v", st)
	}
}

func TestValidateUpdateKey(t *testing.T) {
	m := mapping.Mapping{Object: "Contact", Mode: mapping.Update, Key: "primary", Columns: map[string]mapping.Column{
		"Name": {Field: "name"}, "Email": {Field: "email"}, "Title": {Field: "title"}}}
	rows, _ := run(t, "Name,Email,Title\nAnn,ann@x.com,\nBo,ANN@x.com,CTO\nAnn,,CEO\n", m)
	if !rows[0].OK() || rows[0].Values[2] != Keep {
		t.Errorf("row 2 = %+v", rows[0])
	}
	if !slices.Equal(codes(rows[1]), []Code{CodeDuplicateKey}) || rows[1].Problems[0].Field != "email" {
		t.Errorf("row 3 = %+v (emails compare case-insensitively)", rows[1])
	}
	if !slices.Equal(codes(rows[2]), []Code{CodeDuplicateKey}) || rows[2].Problems[0].Field != "name" {
		t.Errorf("row 4 = %+v (key appears twice)", rows[2])
	}
}

func TestValidateBadQuote(t *testing.T) {
	rows, _ := run(t, "Name\nA\"b\nC\n", mapping.Mapping{Object: "Contact", Columns: map[string]mapping.Column{"Name": {Field: "name"}}})
	if len(rows) != 2 || !slices.Equal(codes(rows[0]), []Code{CodeBadQuote}) || !rows[1].OK() {
		t.Errorf("rows = %+v", rows)
	}
}

// TestValidateBadText: a row with bytes not valid in the file's encoding
// is one bad_text problem, never a value with U+FFFD in it.
func TestValidateBadText(t *testing.T) {
	// Valid UTF-8 for the first 64 KB (so detected as UTF-8), then not.
	csv := "Name\n" + strings.Repeat("Zoë\n", 20000) + "A\xffb\nC\n"
	rows, _ := run(t, csv, mapping.Mapping{Object: "Contact", Columns: map[string]mapping.Column{"Name": {Field: "name"}}})
	rows = rows[20000:]
	if len(rows) != 2 || !slices.Equal(codes(rows[0]), []Code{CodeBadText}) || !rows[1].OK() {
		t.Errorf("rows = %+v", rows)
	}
}

func TestNewErrors(t *testing.T) {
	acc := mappingtest.Object("Account")
	tests := []struct {
		name   string
		m      mapping.Mapping
		header []string
		err    string
	}{
		{name: "required unmapped", m: mapping.Mapping{Columns: map[string]mapping.Column{"Phone": {Field: "phone"}}}, header: []string{"Phone"}, err: "Account Name (name) is required"},
		{name: "required column missing", m: mapping.Mapping{Columns: map[string]mapping.Column{"Company": {Field: "name"}}}, header: []string{"Name"}, err: "Account Name (name) is required"},
		{name: "key unmapped", m: mapping.Mapping{Mode: mapping.Update, Key: "account_no", Columns: map[string]mapping.Column{"Company": {Field: "name"}}}, header: []string{"Company"}, err: "identified by account_no"},
		{name: "bad mapping", m: mapping.Mapping{Columns: map[string]mapping.Column{"Company": {Field: "nom"}}}, header: []string{"Company"}, err: "has no field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(acc, &tt.m, tt.header, nil)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error = %v; want %q", err, tt.err)
			}
		})
	}
}

// TestEveryCode makes sure each problem code is produced somewhere in the
// tests above (by name in TestConvert's table or the file tests).
func TestEveryCode(t *testing.T) {
	src, err := os.ReadFile("cell_test.go")
	if err != nil {
		t.Fatal(err)
	}
	src2, _ := os.ReadFile("validator_test.go")
	all := string(src) + string(src2)
	names := map[Code]string{CodeBadText: "CodeBadText", CodeRequired: "CodeRequired", CodeTooLong: "CodeTooLong", CodeNotNumber: "CodeNotNumber",
		CodeNotInteger: "CodeNotInteger", CodeOutOfRange: "CodeOutOfRange", CodeTooManyDigit: "CodeTooManyDigit",
		CodeBadDate: "CodeBadDate", CodeBadBool: "CodeBadBool", CodeBadPicklist: "CodeBadPicklist", CodeBadEmail: "CodeBadEmail",
		CodeBadPhone: "CodeBadPhone", CodeBadURL: "CodeBadURL", CodeBadUUID: "CodeBadUUID", CodeBadReference: "CodeBadReference",
		CodeDuplicateKey: "CodeDuplicateKey", CodeRaggedRow: "CodeRaggedRow", CodeBadQuote: "CodeBadQuote", CodeBadValue: "CodeBadValue"}
	for _, c := range Codes {
		n, ok := names[c]
		if !ok || strings.Count(all, n) < 2 {
			t.Errorf("code %s has no test case", c)
		}
	}
}

func TestMissingColumns(t *testing.T) {
	m := mapping.Mapping{Columns: map[string]mapping.Column{"Company": {Field: "name"}, "Fax": {Field: "phone"}}}
	v, err := New(mappingtest.Object("Account"), &m, []string{"company"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Missing(), []string{"Fax"}) || len(v.Targets()) != 1 || v.Targets()[0].Header != "company" {
		t.Errorf("missing %v, targets %+v", v.Missing(), v.Targets())
	}
}
