package validate

import (
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgtype"

	"batchdesk/backend/catalog"
	"batchdesk/backend/ingest/mapping"
)

var shanghai = time.FixedZone("CST", 8*3600)

func field(t catalog.FieldType, mods ...func(*catalog.Field)) *catalog.Field {
	f := &catalog.Field{APIName: "f", LabelEN: "F", Type: t}
	for _, m := range mods {
		m(f)
	}
	return f
}

func required(f *catalog.Field) { f.Required = true }
func maxLen(n int) func(*catalog.Field) {
	return func(f *catalog.Field) { f.MaxLength = n }
}
func dbType(t string) func(*catalog.Field) {
	return func(f *catalog.Field) { f.DBType = t }
}
func numeric(p, s int) func(*catalog.Field) {
	return func(f *catalog.Field) { f.Precision, f.Scale = p, s }
}
func options(f *catalog.Field) {
	f.LabelEN = "Industry"
	f.Options = []catalog.Option{{Value: "Technology", LabelEN: "Technology", LabelZH: "科技"}, {Value: "Finance", LabelEN: "Finance", LabelZH: "金融"},
		{Value: "cold_call", LabelEN: "Cold Call", LabelZH: "陌生拜访"}}
}

func dec(i int64, s int32) Decimal { return Decimal{Int: i, Scale: s} }
func date(y int, m time.Month, d int) pgtype.Date {
	return pgtype.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Valid: true}
}

func TestConvert(t *testing.T) {
	bigDec := Decimal{Big: func() *big.Int { b, _ := new(big.Int).SetString("123456789012345678901234", 10); return b }(), Scale: 2}
	uuid := pgtype.UUID{Bytes: [16]byte{0x6f, 0x1c, 0x2a, 0x7e, 0x0b, 0x7d, 0x4c, 0x1e, 0x9a, 0x55, 0x3e, 0x0f, 0x2b, 0x1d, 0x4c, 0x88}, Valid: true}
	tests := []struct {
		name string
		f    *catalog.Field
		col  mapping.Column
		mode mapping.Mode
		in   string
		want any
		code Code
	}{
		// blanks
		{name: "blank is null on insert", f: field(catalog.Text), in: "  ", want: nil},
		{name: "blank required", f: field(catalog.Text, required), in: "", code: CodeRequired},
		{name: "blank keep on update", f: field(catalog.Text, required), mode: mapping.Update, in: "", want: Keep},
		{name: "blank null on update when asked", f: field(catalog.Text, required), mode: mapping.Update, col: mapping.Column{Blank: mapping.BlankNull}, in: "", code: CodeRequired},
		{name: "blank keep on upsert", f: field(catalog.Integer), mode: mapping.Upsert, in: "", want: Keep},
		{name: "value map to blank", f: field(catalog.Text), col: mapping.Column{ValueMap: map[string]string{"N/A": ""}}, in: "n/a", want: nil},
		// text
		{name: "text kept as is", f: field(catalog.Text, maxLen(6)), in: " héllo", want: " héllo"},
		{name: "text runes not bytes", f: field(catalog.Text, maxLen(4)), in: "华为技术", want: "华为技术"},
		{name: "text too long", f: field(catalog.Text, maxLen(4)), in: "华为技术公司", code: CodeTooLong},
		{name: "long text", f: field(catalog.LongText), in: "a\nb", want: "a\nb"},
		// integer
		{name: "integer", f: field(catalog.Integer), in: "1234", want: int64(1234)},
		{name: "integer grouped", f: field(catalog.Integer), in: "1,234,567", want: int64(1234567)},
		{name: "integer comma locale", f: field(catalog.Integer), col: mapping.Column{NumberLocale: mapping.NumberComma}, in: "1.234", want: int64(1234)},
		{name: "integer negative", f: field(catalog.Integer), in: "-42", want: int64(-42)},
		{name: "integer .00", f: field(catalog.Integer), in: "12.00", want: int64(12)},
		{name: "integer min", f: field(catalog.Integer), in: "-9223372036854775808", want: int64(-9223372036854775808)},
		{name: "integer decimals", f: field(catalog.Integer), in: "12.5", code: CodeNotInteger},
		{name: "integer overflow", f: field(catalog.Integer), in: "9223372036854775808", code: CodeOutOfRange},
		{name: "integer huge", f: field(catalog.Integer), in: "99999999999999999999999", code: CodeOutOfRange},
		{name: "integer text", f: field(catalog.Integer), in: "twelve", code: CodeNotNumber},
		// ranges of the column's real type (issue: 2147483648 into int4 passed validation)
		{name: "int4 max", f: field(catalog.Integer, dbType("int4")), in: "2147483647", want: int64(2147483647)},
		{name: "int4 over", f: field(catalog.Integer, dbType("int4")), in: "2147483648", code: CodeOutOfRange},
		{name: "int4 under", f: field(catalog.Integer, dbType("int4")), in: "-2147483649", code: CodeOutOfRange},
		{name: "int2 max", f: field(catalog.Integer, dbType("int2")), in: "32767", want: int64(32767)},
		{name: "int2 over", f: field(catalog.Integer, dbType("int2")), in: "32768", code: CodeOutOfRange},
		{name: "int2 under", f: field(catalog.Integer, dbType("int2")), in: "-32769", code: CodeOutOfRange},
		{name: "int8 max", f: field(catalog.Integer, dbType("int8")), in: "9223372036854775807", want: int64(9223372036854775807)},
		{name: "oid max", f: field(catalog.Integer, dbType("oid")), in: "4294967295", want: int64(4294967295)},
		{name: "oid negative", f: field(catalog.Integer, dbType("oid")), in: "-1", code: CodeOutOfRange},
		{name: "oid over", f: field(catalog.Integer, dbType("oid")), in: "4294967296", code: CodeOutOfRange},
		{name: "real over", f: field(catalog.Decimal, dbType("float4")), in: "1e39", code: CodeOutOfRange},
		{name: "real", f: field(catalog.Decimal, dbType("float4")), in: "1.5", want: dec(15, 1)},
		{name: "money", f: field(catalog.Currency, dbType("money")), in: "12.34", want: dec(1234, 2)},
		{name: "money over", f: field(catalog.Currency, dbType("money")), in: "123456789012345678", code: CodeOutOfRange},
		{name: "json", f: field(catalog.LongText, dbType("jsonb")), in: `{"a":1}`, want: `{"a":1}`},
		{name: "json bad", f: field(catalog.LongText, dbType("json")), in: "{a:1}", code: CodeBadValue},
		{name: "integer bad grouping", f: field(catalog.Integer), in: "1,23", code: CodeNotNumber},
		// decimal, currency, percent
		{name: "decimal", f: field(catalog.Decimal, numeric(12, 2)), in: "1234.5", want: dec(12345, 1)},
		{name: "decimal trailing zeros", f: field(catalog.Decimal, numeric(12, 2)), in: "1.500", want: dec(15, 1)},
		{name: "decimal leading point", f: field(catalog.Decimal), in: ".05", want: dec(5, 2)},
		{name: "decimal exponent", f: field(catalog.Decimal), in: "1.5E+3", want: dec(1500, 0)},
		{name: "decimal comma locale", f: field(catalog.Decimal), col: mapping.Column{NumberLocale: mapping.NumberComma}, in: "1.234,56", want: dec(123456, 2)},
		{name: "decimal spaces group", f: field(catalog.Decimal), in: "1 234 567.5", want: dec(12345675, 1)},
		{name: "decimal big", f: field(catalog.Decimal), in: "1234567890123456789012.34", want: bigDec},
		{name: "decimal too many int digits", f: field(catalog.Decimal, numeric(5, 2)), in: "1234.5", code: CodeTooManyDigit},
		{name: "decimal too many decimals", f: field(catalog.Decimal, numeric(12, 2)), in: "1.005", code: CodeTooManyDigit},
		{name: "decimal wrong locale", f: field(catalog.Decimal), in: "1.234,56", code: CodeNotNumber},
		{name: "decimal two points", f: field(catalog.Decimal), in: "1.2.3", code: CodeNotNumber},
		{name: "currency symbol", f: field(catalog.Currency, numeric(18, 2)), in: "$1,234.50", want: dec(12345, 1)},
		{name: "currency yuan", f: field(catalog.Currency, numeric(18, 2)), in: "¥ 88", want: dec(88, 0)},
		{name: "currency negative", f: field(catalog.Currency, numeric(18, 2)), in: "-$5", want: dec(-5, 0)},
		{name: "percent plain", f: field(catalog.Percent, numeric(5, 2)), in: "15", want: dec(15, 0)},
		{name: "percent sign", f: field(catalog.Percent, numeric(5, 2)), in: "15%", want: dec(15, 0)},
		{name: "percent decimals", f: field(catalog.Percent, numeric(5, 2)), in: "12.5 %", want: dec(125, 1)},
		{name: "percent too big", f: field(catalog.Percent, numeric(5, 2)), in: "1500%", code: CodeTooManyDigit},
		// dates
		{name: "date iso", f: field(catalog.Date), in: "2026-01-31", want: date(2026, 1, 31)},
		{name: "date iso midnight", f: field(catalog.Date), in: "2026-01-31 00:00:00", want: date(2026, 1, 31)},
		{name: "date with time", f: field(catalog.Date), in: "2026-01-31 10:00", code: CodeBadDate},
		{name: "date no such day", f: field(catalog.Date), in: "2026-02-30", code: CodeBadDate},
		{name: "date leap day", f: field(catalog.Date), in: "2028-02-29", want: date(2028, 2, 29)},
		{name: "date not leap", f: field(catalog.Date), in: "2100-02-29", code: CodeBadDate},
		{name: "date DD/MM/YYYY", f: field(catalog.Date), col: mapping.Column{DateFormat: "DD/MM/YYYY"}, in: "31/1/2026", want: date(2026, 1, 31)},
		{name: "date MM/DD/YYYY", f: field(catalog.Date), col: mapping.Column{DateFormat: "MM/DD/YYYY"}, in: "01/31/2026", want: date(2026, 1, 31)},
		{name: "date YYYY/MM/DD", f: field(catalog.Date), col: mapping.Column{DateFormat: "YYYY/MM/DD"}, in: "2026/01/31", want: date(2026, 1, 31)},
		{name: "date wrong pattern", f: field(catalog.Date), col: mapping.Column{DateFormat: "MM/DD/YYYY"}, in: "31/01/2026", code: CodeBadDate},
		{name: "date iso given slash", f: field(catalog.Date), in: "2026/01/31", code: CodeBadDate},
		{name: "date garbage", f: field(catalog.Date), in: "yesterday", code: CodeBadDate},
		{name: "datetime iso T", f: field(catalog.DateTime), in: "2026-01-31T10:00", want: time.Date(2026, 1, 31, 10, 0, 0, 0, shanghai)},
		{name: "datetime iso space secs", f: field(catalog.DateTime), in: "2026-01-31 10:00:00", want: time.Date(2026, 1, 31, 10, 0, 0, 0, shanghai)},
		{name: "datetime fraction", f: field(catalog.DateTime), in: "2026-01-31T10:00:00.25", want: time.Date(2026, 1, 31, 10, 0, 0, 250000000, shanghai)},
		{name: "datetime Z", f: field(catalog.DateTime), in: "2026-01-31T10:00:00Z", want: time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)},
		{name: "datetime offset", f: field(catalog.DateTime), in: "2026-01-31T10:00:00-05:00", want: time.Date(2026, 1, 31, 15, 0, 0, 0, time.UTC)},
		{name: "datetime date only", f: field(catalog.DateTime), in: "2026-01-31", want: time.Date(2026, 1, 31, 0, 0, 0, 0, shanghai)},
		{name: "datetime pattern", f: field(catalog.DateTime), col: mapping.Column{DateFormat: "DD/MM/YYYY HH:mm"}, in: "31/01/2026 9:05", want: time.Date(2026, 1, 31, 9, 5, 0, 0, shanghai)},
		{name: "datetime bad hour", f: field(catalog.DateTime), in: "2026-01-31 24:00", code: CodeBadDate},
		{name: "datetime bad offset", f: field(catalog.DateTime), in: "2026-01-31 10:00 +99:00", code: CodeBadDate},
		// boolean
		{name: "bool true", f: field(catalog.Boolean), in: "TRUE", want: true},
		{name: "bool yes", f: field(catalog.Boolean), in: "Yes", want: true},
		{name: "bool y", f: field(catalog.Boolean), in: "y", want: true},
		{name: "bool 0", f: field(catalog.Boolean), in: "0", want: false},
		{name: "bool 是", f: field(catalog.Boolean), in: "是", want: true},
		{name: "bool 否", f: field(catalog.Boolean), in: "否", want: false},
		{name: "bool bad", f: field(catalog.Boolean), in: "maybe", code: CodeBadBool},
		{name: "bool value map", f: field(catalog.Boolean), col: mapping.Column{ValueMap: map[string]string{"X": "yes"}}, in: "x", want: true},
		// picklists
		{name: "picklist value", f: field(catalog.Picklist, options), in: "Technology", want: "Technology"},
		{name: "picklist case", f: field(catalog.Picklist, options), in: "finance", want: "Finance"},
		{name: "picklist label", f: field(catalog.Picklist, options), in: "Cold Call", want: "cold_call"},
		{name: "picklist zh label", f: field(catalog.Picklist, options), in: "科技", want: "Technology"},
		{name: "picklist value map", f: field(catalog.Picklist, options), col: mapping.Column{ValueMap: map[string]string{"Tech": "Technology"}}, in: "tech", want: "Technology"},
		{name: "picklist bad", f: field(catalog.Picklist, options), in: "Tech", code: CodeBadPicklist},
		{name: "multi", f: field(catalog.MultiPicklist, options), in: "Technology; 金融;;technology", want: []string{"Technology", "Finance"}},
		{name: "multi value map", f: field(catalog.MultiPicklist, options), col: mapping.Column{ValueMap: map[string]string{"IT": "Technology"}}, in: "IT;Finance", want: []string{"Technology", "Finance"}},
		{name: "multi bad", f: field(catalog.MultiPicklist, options), in: "Technology;Farming", code: CodeBadPicklist},
		{name: "multi only separators", f: field(catalog.MultiPicklist, options), in: ";;", want: nil},
		// email
		{name: "email", f: field(catalog.Email), in: " Ann.Lee+crm@example.co.uk ", want: "Ann.Lee+crm@example.co.uk"},
		{name: "email idn", f: field(catalog.Email), in: "王@例子.中国", want: "王@例子.中国"},
		{name: "email no at", f: field(catalog.Email), in: "ann.example.com", code: CodeBadEmail},
		{name: "email no tld", f: field(catalog.Email), in: "ann@localhost", code: CodeBadEmail},
		{name: "email two ats", f: field(catalog.Email), in: "a@b@c.com", code: CodeBadEmail},
		{name: "email space", f: field(catalog.Email), in: "ann lee@example.com", code: CodeBadEmail},
		{name: "email too long", f: field(catalog.Email, maxLen(10)), in: "ann@example.com", code: CodeTooLong},
		// phone
		{name: "phone intl", f: field(catalog.Phone), in: "+86 (21) 5555-0101", want: "+86 (21) 5555-0101"},
		{name: "phone ext", f: field(catalog.Phone), in: "555.123.4567 ext 89", want: "555.123.4567 ext 89"},
		{name: "phone short", f: field(catalog.Phone), in: "123", code: CodeBadPhone},
		{name: "phone letters", f: field(catalog.Phone), in: "call me", code: CodeBadPhone},
		{name: "phone plus inside", f: field(catalog.Phone), in: "12+345678", code: CodeBadPhone},
		{name: "phone too many digits", f: field(catalog.Phone), in: "123456789012345678901", code: CodeBadPhone},
		// url
		{name: "url https", f: field(catalog.URL), in: "https://www.example.com/about?x=1", want: "https://www.example.com/about?x=1"},
		{name: "url bare domain", f: field(catalog.URL), in: "example.com", want: "example.com"},
		{name: "url bare with path", f: field(catalog.URL), in: "www.example.cn/zh", want: "www.example.cn/zh"},
		{name: "url ftp", f: field(catalog.URL), in: "ftp://example.com", code: CodeBadURL},
		{name: "url javascript", f: field(catalog.URL), in: "javascript:alert(1)", code: CodeBadURL},
		{name: "url no host", f: field(catalog.URL), in: "https://", code: CodeBadURL},
		{name: "url word", f: field(catalog.URL), in: "homepage", code: CodeBadURL},
		// uuid
		{name: "uuid", f: field(catalog.UUID), in: "6F1C2A7E-0B7D-4C1E-9A55-3E0F2B1D4C88", want: uuid},
		{name: "uuid braces", f: field(catalog.UUID), in: "{6f1c2a7e0b7d4c1e9a553e0f2b1d4c88}", want: uuid},
		{name: "uuid bad", f: field(catalog.UUID), in: "6f1c2a7e-0b7d-4c1e-9a55", code: CodeBadUUID},
		// references
		{name: "lookup auto", f: field(catalog.Lookup), in: " Acme ", want: "Acme"},
		{name: "lookup by id", f: field(catalog.Lookup), col: mapping.Column{LookupBy: "id"}, in: "6f1c2a7e-0b7d-4c1e-9a55-3e0f2b1d4c88", want: "6f1c2a7e-0b7d-4c1e-9a55-3e0f2b1d4c88"},
		{name: "lookup by id bad", f: field(catalog.Lookup), col: mapping.Column{LookupBy: "id"}, in: "Acme", code: CodeBadReference},
		{name: "owner", f: field(catalog.Owner), in: "ann@example.com", want: "ann@example.com"},
		{name: "master detail required", f: field(catalog.MasterDetail, required), in: "", code: CodeRequired},
		{name: "team", f: field(catalog.RelatedTeam), in: "ann@example.com; E0042 ;", want: []string{"ann@example.com", "E0042"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mode := tt.mode
			if mode == "" {
				mode = mapping.Insert
			}
			got, p := NewCell(tt.f, "Col", tt.col, mode, shanghai).Convert(tt.in)
			if tt.code != "" {
				if p == nil || p.Code != tt.code {
					t.Fatalf("Convert(%q) = %#v, %+v; want problem %s", tt.in, got, p, tt.code)
				}
				if p.Message == "" || p.Header != "Col" || p.Field != "f" {
					t.Errorf("problem lacks context: %+v", p)
				}
				return
			}
			if p != nil {
				t.Fatalf("Convert(%q): unexpected problem %+v", tt.in, p)
			}
			if wt, ok := tt.want.(time.Time); ok {
				if gt, ok := got.(time.Time); !ok || !gt.Equal(wt) {
					t.Errorf("Convert(%q) = %v; want %v", tt.in, got, wt)
				}
				return
			}
			if wd, ok := tt.want.(Decimal); ok && wd.Big != nil {
				if gd, ok := got.(Decimal); !ok || gd.Big == nil || gd.Big.Cmp(wd.Big) != 0 || gd.Scale != wd.Scale {
					t.Errorf("Convert(%q) = %#v; want %s", tt.in, got, wd)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Convert(%q) = %#v; want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestPicklistMessage(t *testing.T) {
	_, p := NewCell(field(catalog.Picklist, options), "Industry", mapping.Column{}, mapping.Insert, nil).Convert("Tech")
	want := `"Tech" is not one of the options of Industry: Technology, Finance, Cold Call`
	if p == nil || p.Message != want {
		t.Errorf("message = %+v\nwant %s", p, want)
	}
}

// Messages count in English: "1 decimal", never "1 decimals" (issue 9.12).
func TestMessagesCountInEnglish(t *testing.T) {
	tests := []struct {
		name string
		f    *catalog.Field
		in   string
		want string
	}{
		{"one decimal", field(catalog.Decimal, numeric(5, 0)), "1.5", `"1.5" has 1 decimal; F allows at most 0`},
		{"two decimals", field(catalog.Decimal, numeric(5, 1)), "1.25", `"1.25" has 2 decimals; F allows at most 1`},
		{"one digit", field(catalog.Decimal, numeric(2, 2)), "1.5", `"1.5" has 1 digit before the decimal point; F allows at most 0`},
		{"two digits", field(catalog.Decimal, numeric(1, 0)), "12", `"12" has 2 digits before the decimal point; F allows at most 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, p := NewCell(tt.f, "Amount", mapping.Column{}, mapping.Insert, nil).Convert(tt.in)
			if p == nil || !strings.Contains(p.Message, tt.want) {
				t.Errorf("message = %+v\nwant %s…", p, tt.want)
			}
		})
	}
	if got := count(1, "character", "characters"); got != "1 character" {
		t.Errorf("count(1) = %q", got)
	}
	if got := count(0, "character", "characters"); got != "0 characters" {
		t.Errorf("count(0) = %q", got)
	}
}

func TestDateNeverShifts(t *testing.T) {
	for _, zone := range []*time.Location{time.UTC, shanghai, time.FixedZone("HST", -10*3600)} {
		got, p := NewCell(field(catalog.Date), "D", mapping.Column{}, mapping.Insert, zone).Convert("2026-01-31")
		d, ok := got.(pgtype.Date)
		if p != nil || !ok || d.Time.Format(time.DateOnly) != "2026-01-31" || d.Time.Location() != time.UTC {
			t.Errorf("zone %s: %v %v", zone, got, p)
		}
	}
}

func TestDecimalString(t *testing.T) {
	for _, tt := range []struct {
		d    Decimal
		want string
	}{{dec(12345, 2), "123.45"}, {dec(-5, 3), "-0.005"}, {dec(7, 0), "7"}, {dec(0, 0), "0"}} {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%#v.String() = %q; want %q", tt.d, got, tt.want)
		}
		n, _ := tt.d.NumericValue()
		if !n.Valid || n.Int.Int64() != tt.d.Int || n.Exp != -tt.d.Scale {
			t.Errorf("NumericValue = %+v", n)
		}
	}
}

func TestLongValueCut(t *testing.T) {
	_, p := NewCell(field(catalog.Text, maxLen(10)), "C", mapping.Column{}, mapping.Insert, nil).Convert(strings.Repeat("华", 5000))
	if p == nil || p.Code != CodeTooLong || !utf8.ValidString(p.Value) || len(p.Value) > 204 {
		t.Errorf("problem value not cut cleanly: %d bytes, valid %v", len(p.Value), utf8.ValidString(p.Value))
	}
}

func TestTrimIsTrimSpace(t *testing.T) {
	edges := []string{"", " ", "\t", "\r\n", "\u00a0", "\u3000", "\u0085", "\x7f", "!", "~", "a", "é", "客"}
	for _, a := range edges {
		for _, b := range edges {
			for _, mid := range []string{"", "x", " y z "} {
				s := a + mid + b
				if got, want := trim(s), strings.TrimSpace(s); got != want {
					t.Errorf("trim(%q) = %q, want %q", s, got, want)
				}
			}
		}
	}
}
