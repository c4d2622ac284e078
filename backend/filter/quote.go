package filter

import "strings"

// QuoteIdent quotes a PostgreSQL identifier: "name" with " doubled.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteLiteral is the one PostgreSQL string-literal escaping function of
// Batchdesk. It is safe whatever standard_conforming_strings is: a value
// without backslashes becomes '…' with ' doubled (read the same under both
// settings); a value with backslashes becomes E'…' with \ and ' doubled
// (escape syntax is read the same under both settings). A NUL byte cannot be
// in a PostgreSQL text value; Compile refuses it before this is reached, and
// QuoteLiteral drops it rather than produce a literal the server rejects.
func QuoteLiteral(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if strings.IndexByte(s, '\\') < 0 {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	b.WriteString(" E'")
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`''`)
		default:
			b.WriteByte(s[i])
		}
	}
	b.WriteString("'")
	return b.String()
}
