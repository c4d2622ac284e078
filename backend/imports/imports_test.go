package imports

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm/demo"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/presets"
	"batchdesk/backend/imports/source"
	"batchdesk/backend/store"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseDelimiter(t *testing.T) {
	cases := []struct {
		in   string
		want rune
		ok   bool
	}{
		{"", 0, true}, {",", ',', true}, {";", ';', true}, {"|", '|', true},
		{"tab", '\t', true}, {"TAB", '\t', true}, {`\t`, '\t', true}, {"\t", '\t', true},
		{"semicolon", ';', true}, {"、", '、', true},
		{",,", 0, false}, {`"`, 0, false}, {"\n", 0, false}, {"\xff", 0, false}, {"ab", 0, false},
	}
	for _, c := range cases {
		f, err := ParseFormat("", c.in)
		if got := rune(f.Delimiter); (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseFormat(%q) = %q, %v", c.in, got, err)
		}
		if err != nil && apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("ParseFormat(%q): code %s", c.in, apperr.CodeOf(err))
		}
	}
	if _, err := SourceOptions("", "", -1); err == nil {
		t.Error("negative size limit accepted")
	}
	if o, _ := SourceOptions("gb18030", ";", 2); o.MaxBytes != 2<<20 || o.Delimiter != ';' || o.Encoding != "gb18030" {
		t.Errorf("SourceOptions = %+v", o)
	}
}

func FuzzParseDelimiter(f *testing.F) {
	for _, s := range []string{"", ",", "tab", "\t", `"`, "ab", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		f, err := ParseFormat("", s)
		if r := f.Delimiter; err == nil && (r == '"' || r == '\n' || r == '\r') {
			t.Fatalf("accepted %q", r)
		}
	})
}

func TestInspect(t *testing.T) {
	p := writeFile(t, "acc.csv", "Name;Industry\r\nAcme;Tech\r\nGlobex;Finance\r\n")
	fi, err := Inspect(p, source.Options{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Name != "acc.csv" || fi.Delimiter != ";" || fi.RowCount != 2 || len(fi.Records) != 1 ||
		fi.Records[0][0] != "Acme" || fi.Lines[0] != 2 || fi.Encoding != "utf-8" {
		t.Fatalf("Inspect = %+v", fi)
	}
	// The window's JSON: the file, then source.Info's fields, then the warnings.
	b, _ := json.Marshal(fi)
	if want := `{"path":` + strconv.Quote(p) + `,"name":"acc.csv","size":42,"encoding":"utf-8","delimiter":";",` +
		`"header":["Name","Industry"],"rowCount":2,"sample":[["Acme","Tech"]],"sampleLines":[2],"warnings":[]}`; string(b) != want {
		t.Errorf("JSON\n %s\nwant\n %s", b, want)
	}
	_, err = Inspect(filepath.Join(t.TempDir(), "missing.csv"), source.Options{}, 1)
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("missing file: %v (%s)", err, apperr.CodeOf(err))
	}
	_, err = Inspect(p, source.Options{MaxBytes: 10}, 1)
	if apperr.CodeOf(err) != apperr.TooLarge || !errors.Is(err, source.ErrTooLarge) {
		t.Fatalf("oversized: %v (%s)", err, apperr.CodeOf(err))
	}
	_, err = Inspect(writeFile(t, "empty.csv", ""), source.Options{}, 1)
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("empty: %v (%s)", err, apperr.CodeOf(err))
	}
}

func TestColumnValues(t *testing.T) {
	p := writeFile(t, "a.csv", "Name,Industry,Tags\nA,Tech,x;y\nB,tech,y\nC,,\nD,Tech, y ;z\n")
	vals, err := ColumnValues(p, source.Options{}, "industry", false, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 2 || vals[0] != (ValueCount{"Tech", 2}) || vals[1] != (ValueCount{"tech", 1}) {
		t.Fatalf("industry = %+v", vals)
	}
	vals, _ = ColumnValues(p, source.Options{}, "Tags", true, 10)
	if len(vals) != 3 || vals[0] != (ValueCount{"y", 3}) {
		t.Fatalf("tags = %+v", vals)
	}
	if vals, _ := ColumnValues(p, source.Options{}, "Tags", true, 1); len(vals) != 1 {
		t.Fatalf("limit ignored: %+v", vals)
	}
	if _, err := ColumnValues(p, source.Options{}, "Nope", false, 10); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("unknown column: %v", err)
	}
}

func TestSuggestAndPresets(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "bd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var account = demo.Objects()[0]
	for _, o := range demo.Objects() {
		if o.APIName == "Account" {
			account = o
		}
	}
	headers := []string{"Account Name", "行业", "E-mail", "Billing City"}
	s, err := Suggest(ctx, st, &account, headers)
	if err != nil {
		t.Fatal(err)
	}
	if s.Mapping.Columns["Account Name"].Field != "name" || s.Mapping.Columns["行业"].Field != "industry" ||
		s.Mapping.Columns["E-mail"].Field != "email" {
		t.Fatalf("auto mapping = %+v", s.Mapping.Columns)
	}
	if _, ok := s.Mapping.Columns["Billing City"]; ok || len(s.Suggestions) != 4 || len(s.Presets) != 0 {
		t.Fatalf("suggestion = %+v", s)
	}
	if _, err := presets.Save(ctx, st, mapping.Preset{Name: "acme", Mapping: s.Mapping}, headers); err != nil {
		t.Fatal(err)
	}
	// The same headers in another order and case find the preset.
	s, err = Suggest(ctx, st, &account, []string{"billing city", "E-mail", "行业", "Account Name"})
	if err != nil || len(s.Presets) != 1 || s.Presets[0].Name != "acme" {
		t.Fatalf("preset not suggested: %+v %v", s.Presets, err)
	}
	// Updating without headers keeps the signature.
	if _, err := presets.Save(ctx, st, mapping.Preset{Name: "acme", Mapping: s.Mapping}, nil); err != nil {
		t.Fatal(err)
	}
	if s, _ = Suggest(ctx, st, &account, headers); len(s.Presets) != 1 {
		t.Fatal("signature lost on update")
	}
}

func TestGuessObject(t *testing.T) {
	objs := demo.Objects()
	cases := []struct {
		headers []string
		want    string
	}{
		{[]string{"Account Name", "Industry", "Annual Revenue", "Website"}, "Account"},
		{[]string{"客户名称", "行业", "电话"}, "Account"},
		{[]string{"Name", "Email", "Title", "Birthday", "Lead Source"}, "Contact"},
		{[]string{"SKU", "Product Name", "Unit Price", "Category"}, "Product"},
		{[]string{"Stage", "Close Date", "Amount", "Probability"}, "Opportunity"},
		{[]string{"foo", "bar"}, ""},
		{nil, ""},
	}
	for _, c := range cases {
		if got := GuessObject(objs, c.headers); got != c.want {
			t.Errorf("GuessObject(%v) = %q, want %q", c.headers, got, c.want)
		}
	}
}
