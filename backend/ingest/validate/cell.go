package validate

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgtype"

	"batchdesk/backend/catalog"
	"batchdesk/backend/ingest/mapping"
)

// keep is the type of Keep.
type keep struct{}

// Keep is the value of a blank cell whose column means "leave the stored
// value alone" (blank "keep", the default on update and upsert). The loader
// must not write the column for that row; on an upsert that inserts the
// row it writes NULL (and a required field then fails on the server).
var Keep any = keep{}

// Cell checks and converts the cells of one column. Values by field type:
//
//	text, long_text, email, phone, url, picklist  string (a picklist's option Value)
//	integer                                       int64
//	decimal, currency, percent                    Decimal (pgtype.NumericValuer)
//	date                                          pgtype.Date (a civil date)
//	datetime                                      time.Time
//	boolean                                       bool
//	multi_picklist                                []string (option Values)
//	uuid                                          pgtype.UUID
//	lookup, master_detail, owner                  string (to resolve; see Ref)
//	related_team                                  []string (members to resolve)
//
// A blank cell is nil (NULL) or Keep.
type Cell struct {
	Field  *catalog.Field
	Column mapping.Column
	// Header is the column's header name, for problems.
	Header string
	blank  string // mapping.BlankNull or mapping.BlankKeep
	zone   *time.Location
	comma  bool
	values map[string]string // value map, keys lower-cased
	opts   map[string]string // picklist: lower-cased value/label → Value
	exact  map[string]any    // picklist: value/label as written → Value, boxed once
	// optionList is the options' labels for messages.
	optionList string
	kind       kind
	// lo and hi bound an integer field's values by its column's real
	// type (int2, int4, oid …); maxDigits a number's digits before the
	// point (float4, float8, money; 0: no bound); json: the column is
	// json or jsonb.
	lo, hi    int64
	maxDigits int
	json      bool
}

// intRange is the range of the integer column types (int8 otherwise).
func intRange(dbType string) (lo, hi int64) {
	switch dbType {
	case "int2":
		return math.MinInt16, math.MaxInt16
	case "int4":
		return math.MinInt32, math.MaxInt32
	case "oid":
		return 0, math.MaxUint32
	}
	return math.MinInt64, math.MaxInt64
}

// numberDigits bounds the digits before the point of the number column
// types without a declared precision (0: none).
func numberDigits(dbType string) int {
	switch dbType {
	case "float4":
		return 38 // about 3.4e38
	case "float8":
		return 308 // about 1.8e308
	case "money":
		return 17 // ±92,233,720,368,547,758.07
	}
	return 0
}

// kind is a field type as a small integer: switching on it is cheaper per
// cell than comparing FieldType strings.
type kind uint8

const (
	kText kind = iota
	kInteger
	kNumber
	kDate
	kDateTime
	kBool
	kPicklist
	kMulti
	kEmail
	kPhone
	kURL
	kUUID
	kRef
	kTeam
)

func kindOf(t catalog.FieldType) kind {
	switch t {
	case catalog.Integer:
		return kInteger
	case catalog.Decimal, catalog.Currency, catalog.Percent:
		return kNumber
	case catalog.Date:
		return kDate
	case catalog.DateTime:
		return kDateTime
	case catalog.Boolean:
		return kBool
	case catalog.Picklist:
		return kPicklist
	case catalog.MultiPicklist:
		return kMulti
	case catalog.Email:
		return kEmail
	case catalog.Phone:
		return kPhone
	case catalog.URL:
		return kURL
	case catalog.UUID:
		return kUUID
	case catalog.Lookup, catalog.MasterDetail, catalog.Owner:
		return kRef
	case catalog.RelatedTeam:
		return kTeam
	}
	return kText
}

// NewCell prepares the conversion of one column to field f. zone reads
// datetimes without an offset (nil: time.Local).
func NewCell(f *catalog.Field, header string, col mapping.Column, mode mapping.Mode, zone *time.Location) *Cell {
	if zone == nil {
		zone = time.Local
	}
	c := &Cell{Field: f, Column: col, Header: header, blank: col.BlankMeaning(mode), zone: zone,
		comma: col.NumberLocale == mapping.NumberComma, kind: kindOf(f.Type)}
	c.lo, c.hi = intRange(f.DBType)
	c.maxDigits = numberDigits(f.DBType)
	c.json = f.DBType == "json" || f.DBType == "jsonb"
	if mode == mapping.Insert || mode == "" {
		c.blank = mapping.BlankNull
	}
	if len(col.ValueMap) > 0 {
		c.values = make(map[string]string, len(col.ValueMap))
		for k, v := range col.ValueMap {
			c.values[strings.ToLower(strings.TrimSpace(k))] = v
		}
	}
	if len(f.Options) > 0 {
		c.opts = make(map[string]string, 3*len(f.Options))
		c.exact = make(map[string]any, 3*len(f.Options))
		labels := make([]string, 0, len(f.Options))
		for _, o := range f.Options {
			for _, k := range []string{o.LabelZH, o.LabelEN, o.Value} {
				if k != "" {
					c.exact[k] = any(o.Value)
				}
			}
			for _, k := range []string{o.Value, o.LabelEN, o.LabelZH} {
				if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
					if _, dup := c.opts[k]; !dup {
						c.opts[k] = o.Value
					}
				}
			}
			labels = append(labels, nonEmpty(o.LabelEN, o.Value))
		}
		if len(labels) > 12 {
			labels = append(labels[:12], "…")
		}
		c.optionList = strings.Join(labels, ", ")
	}
	return c
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (c *Cell) label() string { return nonEmpty(c.Field.LabelEN, c.Field.APIName) }

func (c *Cell) problem(code Code, value, format string, args ...any) *Problem {
	return &Problem{Header: c.Header, Field: c.Field.APIName, Code: code, Value: truncate(value), Message: fmt.Sprintf(format, args...)}
}

// Convert checks one cell and returns its typed value, or a Problem (its
// Row is left 0 for the caller to fill in).
func (c *Cell) Convert(raw string) (any, *Problem) { return c.convert(raw, nil) }

// convert is Convert boxing the value in a (nil: the usual way).
func (c *Cell) convert(raw string, a *arena) (any, *Problem) {
	s := trim(raw)
	if c.values != nil {
		if v, ok := c.values[strings.ToLower(s)]; ok {
			s = strings.TrimSpace(v)
			raw = v
		}
	}
	if s == "" {
		if c.blank == mapping.BlankKeep {
			return Keep, nil
		}
		if c.Field.Required && !c.Field.HasDefault {
			return nil, c.problem(CodeRequired, raw, "%s is required but the cell is blank", c.label())
		}
		return nil, nil
	}
	f := c.Field
	switch c.kind {
	case kText:
		if f.MaxLength > 0 && len(raw) > f.MaxLength {
			if n := utf8.RuneCountInString(raw); n > f.MaxLength {
				return nil, c.problem(CodeTooLong, raw, "the text has %s; %s allows at most %d", count(n, "character", "characters"), c.label(), f.MaxLength)
			}
		}
		if c.json && !json.Valid([]byte(raw)) {
			return nil, c.problem(CodeBadValue, raw, "the value is not valid JSON, which %s holds", c.label())
		}
		return a.str(raw), nil
	case kInteger:
		n, ok := parseNumber(s, c.comma, false, false, false)
		if !ok {
			return nil, c.problem(CodeNotNumber, raw, "%q is not a whole number%s", s, c.localeHint(s))
		}
		n.trim()
		v, whole, inRange := n.int64()
		switch {
		case !whole:
			return nil, c.problem(CodeNotInteger, raw, "%q has decimals; %s takes whole numbers only", s, c.label())
		case !inRange:
			return nil, c.problem(CodeOutOfRange, raw, "%q is too large for %s (at most 9,223,372,036,854,775,807)", s, c.label())
		case v < c.lo || v > c.hi:
			return nil, c.problem(CodeOutOfRange, raw, "%q is out of range for %s: a whole number from %s to %s", s, c.label(), group(c.lo), group(c.hi))
		}
		return a.int(v), nil
	case kNumber:
		n, ok := parseNumber(s, c.comma, f.Type == catalog.Percent, f.Type == catalog.Currency, true)
		if !ok {
			return nil, c.problem(CodeNotNumber, raw, "%q is not a number%s", s, c.localeHint(s))
		}
		n.trim()
		if f.Precision > 0 {
			if maxInt := f.Precision - f.Scale; n.intDigits() > maxInt {
				return nil, c.problem(CodeTooManyDigit, raw, "%q has %s before the decimal point; %s allows at most %d", s, count(n.intDigits(), "digit", "digits"), c.label(), maxInt)
			}
			if n.scale > f.Scale {
				return nil, c.problem(CodeTooManyDigit, raw, "%q has %s; %s allows at most %d (round the value first)", s, count(n.scale, "decimal", "decimals"), c.label(), f.Scale)
			}
		}
		if c.maxDigits > 0 && n.intDigits() > c.maxDigits {
			return nil, c.problem(CodeOutOfRange, raw, "%q is out of range for %s (at most %s before the decimal point)", s, c.label(), count(c.maxDigits, "digit", "digits"))
		}
		return a.dec(n.decimal()), nil
	case kDate:
		st, ok := parseStamp(s, c.Column.DateFormat)
		if !ok {
			return nil, c.problem(CodeBadDate, raw, "%q is not a date in the format %s", s, c.dateFormat())
		}
		if st.h != 0 || st.mi != 0 || st.s != 0 || st.ns != 0 {
			return nil, c.problem(CodeBadDate, raw, "%q has a time of day, but %s is a date only", s, c.label())
		}
		return a.date(pgtype.Date{Time: st.civilDate(), Valid: true}), nil
	case kDateTime:
		st, ok := parseStamp(s, c.Column.DateFormat)
		if !ok {
			return nil, c.problem(CodeBadDate, raw, "%q is not a date and time in the format %s", s, c.dateFormat()+" [HH:mm[:ss]]")
		}
		return a.time(st.instant(c.zone)), nil
	case kBool:
		v, ok := parseBool(s)
		if !ok {
			return nil, c.problem(CodeBadBool, raw, "%q is not yes or no: use true/false, yes/no, y/n, 1/0 or 是/否", s)
		}
		return v, nil
	case kPicklist:
		if v, ok := c.exact[s]; ok {
			return v, nil // already boxed: no allocation
		}
		v, ok := c.option(s)
		if !ok {
			return nil, c.problem(CodeBadPicklist, raw, "%q is not one of the options of %s: %s", s, c.label(), c.optionList)
		}
		return v, nil
	case kMulti:
		var out []string
		for _, part := range strings.Split(s, ";") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			if c.values != nil {
				if v, ok := c.values[strings.ToLower(part)]; ok {
					part = strings.TrimSpace(v)
				}
			}
			v, ok := c.option(part)
			if !ok {
				return nil, c.problem(CodeBadPicklist, raw, "%q is not one of the options of %s: %s", part, c.label(), c.optionList)
			}
			dup := false
			for _, o := range out {
				dup = dup || o == v
			}
			if !dup {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	case kEmail:
		if !validEmail(s) {
			return nil, c.problem(CodeBadEmail, raw, "%q is not an email address (name@example.com)", s)
		}
		return c.fit(s, raw, a)
	case kPhone:
		if !validPhone(s) {
			return nil, c.problem(CodeBadPhone, raw, "%q is not a phone number: use 5–20 digits with optional + ( ) - . spaces and \"ext 123\"", s)
		}
		return c.fit(s, raw, a)
	case kURL:
		if !validURL(s) {
			return nil, c.problem(CodeBadURL, raw, "%q is not a web address: use https://example.com or example.com", s)
		}
		return c.fit(s, raw, a)
	case kUUID:
		u, ok := parseUUID(s)
		if !ok {
			return nil, c.problem(CodeBadUUID, raw, "%q is not a record ID (a UUID such as 6f1c2a7e-0b7d-4c1e-9a55-3e0f2b1d4c88)", s)
		}
		return pgtype.UUID{Bytes: u, Valid: true}, nil
	case kRef:
		if c.Column.LookupBy == mapping.LookupID {
			if _, ok := parseUUID(s); !ok {
				return nil, c.problem(CodeBadReference, raw, "%q is not a record ID, and %s is looked up by ID", s, c.label())
			}
		}
		return a.str(s), nil
	case kTeam:
		var out []string
		for _, part := range strings.Split(s, ";") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	}
	return a.str(raw), nil
}

// fit checks the max length of a trimmed email, phone or URL.
func (c *Cell) fit(s, raw string, a *arena) (any, *Problem) {
	if c.Field.MaxLength > 0 && len(s) > c.Field.MaxLength && utf8.RuneCountInString(s) > c.Field.MaxLength {
		return nil, c.problem(CodeTooLong, raw, "the value has %s; %s allows at most %d", count(utf8.RuneCountInString(s), "character", "characters"), c.label(), c.Field.MaxLength)
	}
	return a.str(s), nil
}

func (c *Cell) option(s string) (string, bool) {
	if v, ok := c.exact[s]; ok {
		return v.(string), true
	}
	v, ok := c.opts[strings.ToLower(s)]
	return v, ok
}

func (c *Cell) dateFormat() string {
	if c.Column.DateFormat == "" {
		return "YYYY-MM-DD"
	}
	return c.Column.DateFormat
}

// localeHint explains a number that would parse in the other locale.
func (c *Cell) localeHint(s string) string {
	if _, ok := parseNumber(s, !c.comma, true, true, true); ok {
		if c.comma {
			return " in the format 1.234,56 (is the column's number format 1,234.56?)"
		}
		return " in the format 1,234.56 (is the column's number format 1.234,56?)"
	}
	return ""
}

// trim is strings.TrimSpace, skipping the call for the usual cell that
// starts and ends with a printable ASCII character.
func trim(s string) string {
	if n := len(s); n > 0 && s[0]-'!' < 0x7f-'!' && s[n-1]-'!' < 0x7f-'!' {
		return s
	}
	return strings.TrimSpace(s)
}

// group writes n with thousands separators: -2,147,483,648.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// count words a number with its noun in English: "1 decimal", "2 decimals".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
