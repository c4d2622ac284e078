package load

import (
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"batchdesk/backend/imports/validate"
)

// This file writes rows for COPY … FROM STDIN in PostgreSQL's text format:
// one line per row, fields separated by tabs, \N for NULL. It is what a
// batch falls back to when a column's type has no binary encoder here
// (text[], bytea, inet, interval, money, tsvector, ranges, extension types
// …): the server then parses each value with the type's own input
// function, and a value it refuses is a row problem with a line number.

// appendCopyText appends s escaped for a COPY text-format field: the one
// escaping function for COPY data (backslash, tab, newline, carriage
// return; a NUL byte becomes \000, which the server refuses as a row
// problem, as it would in binary).
func appendCopyText(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case 0:
			buf = append(buf, '\\', '0', '0', '0')
		default:
			buf = append(buf, c)
		}
	}
	return buf
}

// arrayLiteral writes items as a PostgreSQL array literal with every
// element quoted: {"a","b \"c\""}.
func arrayLiteral(items []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for j := 0; j < len(s); j++ {
			if s[j] == '"' || s[j] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[j])
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// textValue is v as the input function of column c reads it; ok is false
// for a Go value with no text form here.
func textValue(c *pgColumn, v any) (s string, ok bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case int:
		return strconv.Itoa(x), true
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case validate.Decimal:
		return x.String(), true
	case bool:
		if x {
			return "t", true
		}
		return "f", true
	case pgtype.Date:
		switch {
		case !x.Valid:
			return "", false
		case x.InfinityModifier == pgtype.Infinity:
			return "infinity", true
		case x.InfinityModifier == pgtype.NegativeInfinity:
			return "-infinity", true
		}
		return x.Time.Format("2006-01-02"), true
	case time.Time:
		return timeText(c, x), true
	case pgtype.Timestamptz:
		switch {
		case !x.Valid:
			return "", false
		case x.InfinityModifier == pgtype.Infinity:
			return "infinity", true
		case x.InfinityModifier == pgtype.NegativeInfinity:
			return "-infinity", true
		}
		return timeText(c, x.Time), true
	case pgtype.UUID:
		if !x.Valid {
			return "", false
		}
		return uuid.UUID(x.Bytes).String(), true
	case [16]byte:
		return uuid.UUID(x).String(), true
	case uuid.UUID:
		return x.String(), true
	case pgtype.Numeric:
		if !x.Valid || x.Int == nil {
			return "", false
		}
		return numericText(x), true
	case []string:
		if c != nil && c.array {
			return arrayLiteral(x), true
		}
		return strings.Join(x, ";"), true
	case []bool:
		items := make([]string, len(x))
		for i, b := range x {
			items[i] = strconv.FormatBool(b)
		}
		return "{" + strings.Join(items, ",") + "}", true
	}
	return "", false
}

// timeText writes an instant for column c: its wall clock for a timestamp
// without time zone or a date, else with its offset.
func timeText(c *pgColumn, t time.Time) string {
	if c != nil {
		switch c.oid {
		case pgtype.TimestampOID:
			return t.Format("2006-01-02 15:04:05.999999")
		case pgtype.DateOID:
			return t.Format("2006-01-02")
		}
	}
	return t.Format("2006-01-02 15:04:05.999999Z07:00")
}

// appendTextRow appends one row in text format; ok is false (buf is then
// garbage) when a value has no text form, bad being its column.
func appendTextRow(buf []byte, cols []*pgColumn, vals []any) (out []byte, bad int, ok bool) {
	for i, v := range vals {
		if i > 0 {
			buf = append(buf, '\t')
		}
		if v == nil {
			buf = append(buf, '\\', 'N')
			continue
		}
		s, ok := textValue(cols[i], v)
		if !ok {
			if isNullValue(v) {
				buf = append(buf, '\\', 'N')
				continue
			}
			return buf, i, false
		}
		buf = appendCopyText(buf, s)
	}
	return append(buf, '\n'), -1, true
}

// isNullValue reports whether v is a typed NULL (an invalid pgtype value).
func isNullValue(v any) bool {
	switch x := v.(type) {
	case pgtype.Date:
		return !x.Valid
	case pgtype.Timestamptz:
		return !x.Valid
	case pgtype.UUID:
		return !x.Valid
	case pgtype.Numeric:
		return !x.Valid
	}
	return false
}
