package filter

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"batchdesk/backend/catalog"
)

// class groups field types that filter alike.
type class int

const (
	cText     class = iota // text, long text, email, phone, url
	cPick                  // picklist
	cMulti                 // multi-picklist ("a;b" stored)
	cInt                   // integer
	cDec                   // decimal, currency, percent
	cDate                  // date
	cDateTime              // datetime
	cBool                  // boolean
	cRef                   // lookup, master-detail, owner: the referenced record's id
	cUUID                  // uuid (the id column)
)

var (
	numberRE   = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	dateRE     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	dateTimeRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?$`)
	intRE      = regexp.MustCompile(`^-?[0-9]+$`)
)

// classOf returns the class of a field type; ok is false for related-team
// fields and unknown types, which cannot be filtered.
func classOf(t catalog.FieldType) (class, bool) {
	switch t {
	case catalog.Text, catalog.LongText, catalog.Email, catalog.Phone, catalog.URL:
		return cText, true
	case catalog.Picklist:
		return cPick, true
	case catalog.MultiPicklist:
		return cMulti, true
	case catalog.Integer:
		return cInt, true
	case catalog.Decimal, catalog.Currency, catalog.Percent:
		return cDec, true
	case catalog.Date:
		return cDate, true
	case catalog.DateTime:
		return cDateTime, true
	case catalog.Boolean:
		return cBool, true
	case catalog.Lookup, catalog.MasterDetail, catalog.Owner:
		return cRef, true
	case catalog.UUID:
		return cUUID, true
	}
	return 0, false
}

// allows reports whether op applies to the class.
func (k class) allows(op Op) bool {
	switch op {
	case OpIsNull, OpNotNull:
		return true
	case OpEq, OpNe:
		return true
	case OpIn, OpNotIn:
		return k != cBool
	case OpLt, OpLe, OpGt, OpGe:
		return k == cText || k == cInt || k == cDec || k == cDate || k == cDateTime
	case OpLike, OpNotLike:
		return k == cText
	}
	return false
}

// opsHint lists the operators of a class, for messages.
func (k class) opsHint() string {
	switch k {
	case cText:
		return "= != < <= > >= IN LIKE IS NULL"
	case cInt, cDec, cDate, cDateTime:
		return "= != < <= > >= IN IS NULL"
	case cBool:
		return "= != IS NULL"
	}
	return "= != IN IS NULL"
}

// typeWord names a field's type in messages: "a date field".
func typeWord(f *catalog.Field) string {
	switch f.Type {
	case catalog.Integer:
		return "a whole-number field"
	case catalog.Decimal, catalog.Currency, catalog.Percent:
		return "a number field"
	case catalog.Date:
		return "a date field"
	case catalog.DateTime:
		return "a datetime field"
	case catalog.Boolean:
		return "a true/false field"
	case catalog.Picklist:
		return "a picklist"
	case catalog.MultiPicklist:
		return "a multi-picklist"
	case catalog.Lookup, catalog.MasterDetail, catalog.Owner:
		return fmt.Sprintf("a %s field (it holds the ID of a %s record)", strings.ReplaceAll(string(f.Type), "_", "-"), f.Target)
	case catalog.UUID:
		return "an ID field"
	}
	return "a text field"
}

// lit is a literal as written: its token kind (tString, tNumber, tTime, or
// tWord for true/false) and decoded text.
type lit struct {
	kind tokKind
	text string
}

func (l lit) show() string {
	if l.kind == tString {
		return quoteString(clip(l.text))
	}
	return clip(l.text)
}

// convert checks a literal against field f (of class k) and returns the
// value, or a message saying why it does not fit. like is true for the
// pattern of LIKE.
func (k class) convert(f *catalog.Field, l lit, zone *time.Location, like bool) (value, string) {
	if strings.IndexByte(l.text, 0) >= 0 {
		return value{}, "a value cannot hold a NUL character"
	}
	if like {
		if l.kind != tString {
			return value{}, fmt.Sprintf("LIKE takes a pattern in single quotes, not %s", l.show())
		}
		toks, err := parseLike(l.text)
		if err != "" {
			return value{}, err
		}
		return value{text: l.text, like: toks}, ""
	}
	name := f.APIName
	switch k {
	case cText:
		if l.kind != tString {
			return value{}, fmt.Sprintf("%s is %s: write the value in single quotes ('%s')", name, typeWord(f), clip(l.text))
		}
		return value{text: l.text}, ""
	case cPick, cMulti:
		if l.kind != tString {
			return value{}, fmt.Sprintf("%s is %s: write the option in single quotes ('%s')", name, typeWord(f), clip(l.text))
		}
		if v, ok := option(f, l.text); ok {
			return value{text: v}, ""
		}
		return value{}, fmt.Sprintf("%s is not an option of %s (options: %s)", l.show(), name, clip(optionList(f)))
	case cInt:
		if l.kind != tNumber || !intRE.MatchString(l.text) {
			return value{}, fmt.Sprintf("%s is %s: %s is not a whole number", name, typeWord(f), l.show())
		}
		n, err := strconv.ParseInt(l.text, 10, 64)
		if err != nil {
			return value{}, fmt.Sprintf("%s is out of range for %s", l.show(), name)
		}
		return value{text: canonNumber(l.text), i: n}, ""
	case cDec:
		if l.kind != tNumber {
			return value{}, fmt.Sprintf("%s is %s: %s is not a number (write 1234.5, no quotes or grouping)", name, typeWord(f), l.show())
		}
		if len(l.text) > maxNumber {
			return value{}, fmt.Sprintf("the number %s is longer than %d characters", l.show(), maxNumber)
		}
		r, ok := new(big.Rat).SetString(l.text)
		if !ok {
			return value{}, fmt.Sprintf("%s is not a number", l.show())
		}
		fl, _ := r.Float64()
		return value{text: canonNumber(l.text), rat: r, f: fl}, ""
	case cDate:
		if (l.kind == tTime || l.kind == tString) && dateRE.MatchString(l.text) {
			if _, err := time.Parse(time.DateOnly, l.text); err == nil {
				return value{text: l.text}, ""
			}
			return value{}, fmt.Sprintf("%s is not a date of the calendar", l.show())
		}
		return value{}, fmt.Sprintf("%s is %s: %s is not a date (write 2024-01-31)", name, typeWord(f), l.show())
	case cDateTime:
		if l.kind == tTime || l.kind == tString {
			if t, ok := parseDateTime(l.text, zone); ok {
				t = t.UTC()
				return value{text: t.Format(time.RFC3339Nano), t: t}, ""
			}
		}
		return value{}, fmt.Sprintf("%s is %s: %s is not a datetime (write 2024-01-31T10:00 or 2024-01-31T10:00:00+08:00)", name, typeWord(f), l.show())
	case cBool:
		if l.kind == tWord {
			switch strings.ToLower(l.text) {
			case "true":
				return value{text: "true", b: true}, ""
			case "false":
				return value{text: "false"}, ""
			}
		}
		return value{}, fmt.Sprintf("%s is %s: compare it with true or false, not %s", name, typeWord(f), l.show())
	case cRef, cUUID:
		if l.kind == tString || l.kind == tNumber {
			if id, err := uuid.Parse(l.text); err == nil && len(l.text) == 36 {
				return value{text: id.String()}, ""
			}
			if k == cRef && intRE.MatchString(l.text) && len(l.text) <= 19 {
				if _, err := strconv.ParseInt(l.text, 10, 64); err == nil {
					return value{text: l.text}, ""
				}
			}
		}
		return value{}, fmt.Sprintf("%s is %s: compare it with a record ID in single quotes "+
			"('00000000-0000-0000-0000-000000000001'), not %s", name, typeWord(f), l.show())
	}
	return value{}, "this field cannot be filtered"
}

// canonNumber drops the leading zeros of a number's integer part (007.50 is
// 7.50), so its text is also valid JSON; the fraction is kept as written.
func canonNumber(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole = strings.TrimLeft(whole, "0"); whole == "" {
		whole = "0"
	}
	if hasFrac {
		return sign + whole + "." + frac
	}
	return sign + whole
}

// literal writes v as the filter text of a value of class k.
func (k class) literal(v value) string {
	switch k {
	case cInt, cDec, cDate, cDateTime, cBool:
		if v.like == nil {
			return v.text
		}
	}
	return quoteString(v.text)
}

// parseDateTime reads a date (midnight in zone), an RFC 3339 datetime, or a
// datetime without offset (in zone).
func parseDateTime(s string, zone *time.Location) (time.Time, bool) {
	if dateRE.MatchString(s) {
		t, err := time.ParseInLocation(time.DateOnly, s, zone)
		return t, err == nil
	}
	if !dateTimeRE.MatchString(s) {
		return time.Time{}, false
	}
	s = strings.ToUpper(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// option maps s to the option Value of a picklist: the value itself, else a
// value or English/Chinese label compared case-insensitively.
func option(f *catalog.Field, s string) (string, bool) {
	for _, o := range f.Options {
		if o.Value == s {
			return o.Value, true
		}
	}
	for _, o := range f.Options {
		if strings.EqualFold(o.Value, s) || strings.EqualFold(o.LabelEN, s) || (o.LabelZH != "" && o.LabelZH == s) {
			return o.Value, true
		}
	}
	return "", false
}

func optionList(f *catalog.Field) string {
	vals := make([]string, len(f.Options))
	for i, o := range f.Options {
		vals[i] = o.Value
	}
	if len(vals) == 0 {
		return "none"
	}
	return strings.Join(vals, ", ")
}

// likeTok is one element of a LIKE pattern: a literal run, % or _.
type likeTok struct {
	lit string
	any bool // %
	one bool // _
}

// parseLike splits a LIKE pattern: % any run, _ one character, \ makes the
// next character literal.
func parseLike(p string) ([]likeTok, string) {
	toks := []likeTok{}
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, likeTok{lit: cur.String()})
			cur.Reset()
		}
	}
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '%':
			flush()
			toks = append(toks, likeTok{any: true})
		case '_':
			flush()
			toks = append(toks, likeTok{one: true})
		case '\\':
			if i+1 == len(p) {
				return nil, `a LIKE pattern cannot end with \ (write \\ for a backslash)`
			}
			i++
			cur.WriteByte(p[i])
		default:
			cur.WriteByte(p[i])
		}
	}
	flush()
	return toks, ""
}
