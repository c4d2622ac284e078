package filter_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/demo"
	"batchdesk/backend/filter"
)

func account() *catalog.Object {
	objs := demo.Objects()
	return &objs[1]
}

func TestCompileCanonical(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"blank", "  \n\t", ""},
		{"keywords any case", `name = 'x' and employees > 3 Or is_key_account = TRUE`,
			`(name = 'x' AND employees > 3) OR is_key_account = true`},
		{"diamond", `name != 'a' AND name <> 'b'`, `name != 'a' AND name != 'b'`},
		{"parens kept", `(name = 'a' OR name = 'b') AND employees IS NOT NULL`,
			`(name = 'a' OR name = 'b') AND employees IS NOT NULL`},
		{"redundant parens", `((name = 'a'))`, `name = 'a'`},
		{"nested and kept", `(name = 'a' AND name = 'b') AND name = 'c'`, `(name = 'a' AND name = 'b') AND name = 'c'`},
		{"not", `NOT name = 'a' AND NOT (name = 'b' OR name = 'c')`, `NOT name = 'a' AND NOT (name = 'b' OR name = 'c')`},
		{"not in, not like", `name NOT IN ('a','b') AND name not like 'x%'`, `name NOT IN ('a', 'b') AND name NOT LIKE 'x%'`},
		{"field case", `NAME = 'a'`, `name = 'a'`},
		{"quoted field", `"name" = 'a'`, `name = 'a'`},
		{"quotes in string", `name = 'O''Brien'`, `name = 'O''Brien'`},
		{"picklist label", `industry = '金融' OR industry = 'finance'`, `industry = 'Finance' OR industry = 'Finance'`},
		{"system picklist label", `life_status = 'Invalid'`, `life_status = 'invalid'`},
		{"date quoted", `founded_on >= '2024-01-31'`, `founded_on >= 2024-01-31`},
		{"datetime zone", `created_at < 2024-01-31T10:00`, `created_at < 2024-01-31T02:00:00Z`},
		{"datetime offset", `created_at < 2024-01-31T10:00:00.25+08:00`, `created_at < 2024-01-31T02:00:00.25Z`},
		{"datetime from date", `created_at >= 2024-01-31`, `created_at >= 2024-01-30T16:00:00Z`},
		{"uuid upper", `owner_id = '00000000-0000-0000-0000-00000000000A'`, `owner_id = '00000000-0000-0000-0000-00000000000a'`},
		{"negative", `annual_revenue > -1.50`, `annual_revenue > -1.50`},
		{"leading zeros", `annual_revenue = 007.50 OR employees IN (00, -007)`, `annual_revenue = 7.50 OR employees IN (0, -7)`},
		{"newline", "name = 'a'\nAND employees = 1", `name = 'a' AND employees = 1`},
	}
	shanghai := time.FixedZone("CST", 8*3600)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := filter.Compile(tc.in, account(), filter.WithZone(shanghai))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPrecedence(t *testing.T) {
	c, err := filter.Compile(`name = 'a' OR name = 'b' AND employees = 1`, account())
	if err != nil {
		t.Fatal(err)
	}
	if c.Op() != filter.OpOr || len(c.Args()) != 2 || c.Args()[1].Op() != filter.OpAnd {
		t.Fatalf("got %s, want OR(a, AND(b, 1))", c)
	}
	if got := c.String(); got != `name = 'a' OR (name = 'b' AND employees = 1)` {
		t.Errorf("String() = %q", got)
	}
	if f := c.Fields(); strings.Join(f, ",") != "name,employees" {
		t.Errorf("Fields() = %v", f)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, in  string
		code      error
		line, col int
		msg       string
	}{
		{"unknown field", `nmae = 'x'`, filter.ErrField, 1, 1, "did you mean name?"},
		{"unknown far", `zzzzzzzz = 'x'`, filter.ErrField, 1, 1, "Account has no field zzzzzzzz"},
		{"related team", `team_read_write = 'x'`, filter.ErrField, 1, 1, "team members cannot be filtered"},
		{"date vs text", `founded_on = 'last year'`, filter.ErrValue, 1, 14, "is not a date"},
		{"bad calendar date", `founded_on = 2024-02-30`, filter.ErrValue, 1, 14, "not a date of the calendar"},
		{"datetime for date", `founded_on = 2024-02-03T10:00`, filter.ErrValue, 1, 14, "write 2024-01-31"},
		{"number bad", `employees = 12abc`, filter.ErrSyntax, 1, 13, "not a number"},
		{"number grouping", `annual_revenue = '1,000'`, filter.ErrValue, 1, 18, "not a number"},
		{"fraction for integer", `employees = 1.5`, filter.ErrValue, 1, 13, "not a whole number"},
		{"integer overflow", `employees = 99999999999999999999`, filter.ErrValue, 1, 13, "out of range"},
		{"huge decimal", `annual_revenue = ` + strings.Repeat("9", 101), filter.ErrValue, 1, 18, "longer than 100"},
		{"picklist no option", `industry = 'Mining'`, filter.ErrValue, 1, 12, "not an option of industry (options: Technology"},
		{"text unquoted", `name = 12`, filter.ErrValue, 1, 8, "in single quotes"},
		{"like on number", `employees LIKE '1%'`, filter.ErrOperator, 1, 11, "LIKE cannot be used on employees"},
		{"less on boolean", `is_key_account < true`, filter.ErrOperator, 1, 16, "< cannot be used on is_key_account"},
		{"less on picklist", `industry < 'Finance'`, filter.ErrOperator, 1, 10, "use = != IN IS NULL"},
		{"bool vs text", `is_key_account = 'yes'`, filter.ErrValue, 1, 18, "true or false"},
		{"lookup not id", `parent_account_id = 'Acme'`, filter.ErrValue, 1, 21, "record ID"},
		{"lookup number on a CRM", `parent_account_id = '42'`, filter.ErrValue, 1, 21, "record ID"},
		{"unclosed quote", `name = 'abc`, filter.ErrSyntax, 1, 8, "not closed"},
		{"unclosed quote line 2", "name = 'a' AND\n  name = 'abc", filter.ErrSyntax, 2, 10, "not closed"},
		{"trailing garbage", `name = 'a' junk`, filter.ErrSyntax, 1, 12, "after a complete condition"},
		{"missing value", `name =`, filter.ErrSyntax, 1, 7, "value is missing"},
		{"missing operator", `name`, filter.ErrSyntax, 1, 5, "expected an operator"},
		{"empty in", `name IN ()`, filter.ErrValue, 1, 10, "IN list is empty"},
		{"unclosed in", `name IN ('a', 'b'`, filter.ErrSyntax, 1, 9, "not closed"},
		{"unclosed paren", `(name = 'a'`, filter.ErrSyntax, 1, 1, "not closed"},
		{"stray paren", `name = 'a')`, filter.ErrSyntax, 1, 11, "after a complete condition"},
		{"eq null", `name = NULL`, filter.ErrSyntax, 1, 8, "IS NULL"},
		{"is without null", `name IS 'a'`, filter.ErrSyntax, 1, 9, "expected NULL"},
		{"keyword as field", `AND = 1`, filter.ErrSyntax, 1, 1, "keyword AND"},
		{"like trailing backslash", `name LIKE 'a\'`, filter.ErrValue, 1, 11, "cannot end with"},
		{"bad char", `name = 'a' & x`, filter.ErrSyntax, 1, 12, `unexpected "&"`},
		{"unicode column", `名字 = 'a'`, filter.ErrField, 1, 1, "no field 名字"},
		{"column counts runes", `name = '名字' AND x = 1`, filter.ErrField, 1, 17, "no field x"},
		{"nul", "name = 'a\x00'", filter.ErrSyntax, 1, 10, "NUL"},
		{"too deep", strings.Repeat("(", 40) + "name = 'a'" + strings.Repeat(")", 40), filter.ErrLimit, 1, 33, "nested more than 32"},
		{"too deep not", strings.Repeat("NOT ", 40) + "name = 'a'", filter.ErrLimit, 1, 129, "nested"},
		{"too long", "name = '" + strings.Repeat("x", filter.MaxLength) + "'", filter.ErrLimit, 1, filter.MaxLength + 1, "longer than 64 KiB"},
		{"invalid utf8", "name = 'a' AND \xff", filter.ErrSyntax, 1, 16, "UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := filter.Compile(tc.in, account())
			var fe *filter.Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want *filter.Error", err)
			}
			if !errors.Is(err, tc.code) {
				t.Errorf("code = %v, want %v", fe.Code, tc.code)
			}
			if fe.Line != tc.line || fe.Column != tc.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", fe.Line, fe.Column, tc.line, tc.col, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q does not contain %q", err, tc.msg)
			}
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("apperr code = %q", apperr.CodeOf(err))
			}
			if len(err.Error()) > 400 {
				t.Errorf("message is %d bytes long", len(err.Error()))
			}
		})
	}
}

func TestJSON(t *testing.T) {
	in := `(industry IN ('Finance', 'Retail') OR employees >= 10) AND NOT name LIKE 'x%' AND founded_on IS NULL AND is_key_account = true AND annual_revenue < 1.50`
	c, err := filter.Compile(in, account())
	if err != nil {
		t.Fatal(err)
	}
	js, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"op":"and","args":[{"op":"or","args":[{"op":"in","field":"industry","values":["Finance","Retail"]},` +
		`{"op":"\u003e=","field":"employees","value":10}]},{"op":"not","args":[{"op":"like","field":"name","value":"x%"}]},` +
		`{"op":"is null","field":"founded_on"},{"op":"=","field":"is_key_account","value":true},` +
		`{"op":"\u003c","field":"annual_revenue","value":1.50}]}`
	if string(js) != want {
		t.Errorf("json:\n got %s\nwant %s", js, want)
	}
	back, err := filter.FromJSON(js, account())
	if err != nil || back.String() != c.String() {
		t.Fatalf("FromJSON = %v, %v", back, err)
	}
	if c, err := filter.FromJSON([]byte(" null "), account()); c != nil || err != nil {
		t.Errorf("null = %v, %v", c, err)
	}
	var nilCond *filter.Cond
	if js, _ := nilCond.MarshalJSON(); string(js) != "null" {
		t.Errorf("nil json = %s", js)
	}
	// The UI may send numbers and booleans as strings.
	c, err = filter.FromJSON([]byte(`{"op":"=","field":"employees","value":"12"}`), account())
	if err != nil || c.String() != "employees = 12" {
		t.Errorf("string number: %v, %v", c, err)
	}
	bad := []struct{ in, path string }{
		{`{"op":"=","field":"nmae","value":"x"}`, "$.field"},
		{`{"op":"and","args":[{"op":"=","field":"name","value":"x"},{"op":"=","field":"founded_on","value":"x"}]}`, "$.args[1].value"},
		{`{"op":"in","field":"name","values":[]}`, "$.values"},
		{`{"op":"~","field":"name","value":"x"}`, "$.op"},
		{`{"op":"=","field":"name"}`, "$.value"},
		{`{"op":"=","field":"name","value":null}`, "$.value"},
		{`{"op":"=","field":"employees","value":1e5}`, "$.value"},
		{`{"op":"like","field":"employees","value":"1"}`, "$.op"},
		{`{"op":"=","field":"name","value":"x","extra":1}`, "$"},
		{`[1]`, "$"},
		{strings.Repeat(`{"op":"not","args":[`, 40) + `{"op":"is null","field":"name"}` + strings.Repeat(`]}`, 40), "$" + strings.Repeat(".args[0]", 32)},
	}
	for _, b := range bad {
		_, err := filter.FromJSON([]byte(b.in), account())
		var fe *filter.Error
		if !errors.As(err, &fe) || fe.Path != b.path || apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("FromJSON(%.60s) = %v (path %q), want path %s", b.in, err, fe.GetPath(), b.path)
		}
	}
}

func TestNil(t *testing.T) {
	var c *filter.Cond
	if s, err := c.Postgres("x"); s != "TRUE" || err != nil {
		t.Errorf("Postgres = %q, %v", s, err)
	}
	if s, args, err := c.SQLite("x"); s != "1" || args != nil || err != nil {
		t.Errorf("SQLite = %q, %v, %v", s, args, err)
	}
	if ok, err := c.Match(nil); !ok || err != nil {
		t.Errorf("Match = %v, %v", ok, err)
	}
	if c.String() != "" || c.Fields() != nil {
		t.Errorf("String/Fields of nil")
	}
}

func TestQuote(t *testing.T) {
	cases := map[string]string{
		``:       `''`,
		`a'b`:    `'a''b'`,
		`a\b`:    ` E'a\\b'`,
		`\'`:     ` E'\\'''`,
		"$$":     `'$$'`,
		"a\x00b": `'ab'`,
		`x"y`:    `'x"y'`,
		"日本\n語":  "'日本\n語'",
	}
	for in, want := range cases {
		if got := filter.QuoteLiteral(in); got != want {
			t.Errorf("QuoteLiteral(%q) = %s, want %s", in, got, want)
		}
	}
	if got := filter.QuoteIdent(`a"b`); got != `"a""b"` {
		t.Errorf("QuoteIdent = %s", got)
	}
}

func TestAnd(t *testing.T) {
	acc := account()
	user, err := filter.Compile(`name = 'a' OR name = 'b'`, acc)
	if err != nil {
		t.Fatal(err)
	}
	voided, err := filter.Compile(`life_status != 'invalid'`, acc)
	if err != nil {
		t.Fatal(err)
	}
	if filter.And() != nil || filter.And(nil, nil) != nil || filter.And(nil, user) != user {
		t.Fatal("And of nothing or one")
	}
	both := filter.And(user, nil, voided)
	if got := both.String(); got != `(name = 'a' OR name = 'b') AND life_status != 'invalid'` {
		t.Errorf("String() = %q", got)
	}
	if again, err := filter.Compile(both.String(), acc); err != nil || again.String() != both.String() {
		t.Errorf("round trip: %v, %v", again, err)
	}
	ok, err := both.Match(map[string]any{"name": "a", "life_status": nil})
	if err != nil || !ok {
		t.Errorf("Match = %v, %v", ok, err)
	}
}
