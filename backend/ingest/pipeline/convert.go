package pipeline

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"batchdesk/backend/catalog"
)

// Problem codes of local validation (load's codes cover server rejections).
const (
	CodeRequired = "required"
	CodeType     = "invalid_value"
	CodeTooLong  = "value_too_long"
	CodePicklist = "not_in_picklist"
	CodeFormat   = "invalid_format"
	CodeRecord   = "bad_record"
	CodeMaster   = "master_failed"
)

// problem is one bad cell (or record) found locally.
type problem struct {
	column string // field API name or header
	code   string
	msg    string
}

// converter turns one cell of a mapped column into a typed value.
type converter struct {
	field    catalog.Field
	header   string
	m        ColumnMap
	zone     *time.Location
	required bool // blank is a problem (insert of a required, non-defaulted field)
	layout   string
	options  map[string]string // lower-case option → stored value
}

func newConverter(f catalog.Field, cm ColumnMap, zone *time.Location, insert bool) *converter {
	c := &converter{field: f, header: cm.Header, m: cm, zone: zone,
		required: insert && f.Required && !f.HasDefault && !f.System}
	if cm.DateFormat != "" {
		r := strings.NewReplacer("YYYY", "2006", "MM", "01", "DD", "02", "HH", "15", "mm", "04", "ss", "05")
		c.layout = r.Replace(cm.DateFormat)
	}
	if len(f.Options) > 0 {
		c.options = map[string]string{}
		for _, o := range f.Options {
			for _, s := range []string{o.Value, o.LabelEN, o.LabelZH} {
				if s != "" {
					c.options[strings.ToLower(s)] = o.Value
				}
			}
		}
	}
	return c
}

func (c *converter) bad(code, format string, args ...any) *problem {
	return &problem{column: c.field.APIName, code: code, msg: c.field.APIName + ": " + fmt.Sprintf(format, args...)}
}

// convert returns the value to load, or a problem.
func (c *converter) convert(cell string) (any, *problem) {
	s := strings.TrimSpace(cell)
	if v, ok := c.m.Values[s]; ok {
		s = v
	}
	if s == "" {
		if c.required {
			return nil, c.bad(CodeRequired, "a value is required")
		}
		return nil, nil
	}
	f := &c.field
	switch f.Type {
	case catalog.Text, catalog.LongText, catalog.Phone, catalog.URL, catalog.Email:
		if f.MaxLength > 0 && len(s) > f.MaxLength && utf8.RuneCountInString(s) > f.MaxLength {
			return nil, c.bad(CodeTooLong, "%d characters, at most %d allowed", utf8.RuneCountInString(s), f.MaxLength)
		}
		if f.Type == catalog.Email && (!strings.Contains(s, "@") || strings.ContainsAny(s, " ,;")) {
			return nil, c.bad(CodeFormat, "%q is not an email address", s)
		}
		return s, nil
	case catalog.Integer:
		n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
		if err != nil {
			return nil, c.bad(CodeType, "%q is not a whole number", s)
		}
		return n, nil
	case catalog.Decimal, catalog.Currency, catalog.Percent:
		n, ok := parseDecimal(strings.TrimSuffix(s, "%"), c.m.Decimal == ",")
		if !ok {
			return nil, c.bad(CodeType, "%q is not a number", s)
		}
		return n, nil
	case catalog.Date:
		layout := c.layout
		if layout == "" {
			layout = "2006-01-02"
		}
		t, err := time.Parse(layout, s)
		if err != nil {
			return nil, c.bad(CodeType, "%q is not a date (%s)", s, nonEmpty(c.m.DateFormat, "YYYY-MM-DD"))
		}
		return pgtype.Date{Time: t, Valid: true}, nil
	case catalog.DateTime:
		t, ok := c.parseTime(s)
		if !ok {
			return nil, c.bad(CodeType, "%q is not a date and time", s)
		}
		return t, nil
	case catalog.Boolean:
		switch strings.ToLower(s) {
		case "true", "yes", "y", "1", "是", "t":
			return true, nil
		case "false", "no", "n", "0", "否", "f":
			return false, nil
		}
		return nil, c.bad(CodeType, "%q is not yes/no", s)
	case catalog.Picklist:
		if c.options != nil {
			v, ok := c.options[strings.ToLower(s)]
			if !ok {
				return nil, c.bad(CodePicklist, "%q is not one of the allowed values", s)
			}
			return v, nil
		}
		return s, nil
	case catalog.MultiPicklist:
		items := strings.Split(s, ";")
		for i, it := range items {
			it = strings.TrimSpace(it)
			if c.options != nil {
				v, ok := c.options[strings.ToLower(it)]
				if !ok {
					return nil, c.bad(CodePicklist, "%q is not one of the allowed values", it)
				}
				it = v
			}
			items[i] = it
		}
		return strings.Join(items, ";"), nil
	case catalog.UUID:
		u, err := uuid.Parse(s)
		if err != nil {
			return nil, c.bad(CodeType, "%q is not a record ID", s)
		}
		return u.String(), nil
	}
	return s, nil // references and teams: text, resolved by load
}

func (c *converter) parseTime(s string) (time.Time, bool) {
	if c.layout != "" {
		t, err := time.ParseInLocation(c.layout, s, c.zone)
		return t, err == nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, l := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(l, s, c.zone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseDecimal reads "-1,234.56" (or "-1.234,56" with comma) into a
// numeric without math/big for up to 18 digits: the hot path of loading.
func parseDecimal(s string, comma bool) (pgtype.Numeric, bool) {
	dot, group := byte('.'), byte(',')
	if comma {
		dot, group = ',', '.'
	}
	var digits [40]byte
	nd, exp, seenDot := 0, int32(0), false
	neg := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			if nd == len(digits) {
				return pgtype.Numeric{}, false
			}
			digits[nd] = ch
			nd++
			if seenDot {
				exp--
			}
		case ch == dot && !seenDot:
			seenDot = true
		case ch == group && !seenDot:
		case (ch == '-' || ch == '+') && i == 0:
			neg = ch == '-'
		default:
			return pgtype.Numeric{}, false
		}
	}
	if nd == 0 {
		return pgtype.Numeric{}, false
	}
	var n *big.Int
	if nd <= 18 {
		v, _ := strconv.ParseInt(string(digits[:nd]), 10, 64)
		if neg {
			v = -v
		}
		n = big.NewInt(v)
	} else {
		n, _ = new(big.Int).SetString(string(digits[:nd]), 10)
		if neg {
			n.Neg(n)
		}
	}
	return pgtype.Numeric{Int: n, Exp: exp, Valid: true}, true
}

func nonEmpty(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
