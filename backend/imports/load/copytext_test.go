package load

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// unescapeCopyText reads a COPY text-format field as the server does
// (backslash escapes; \ooo octal).
func unescapeCopyText(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			return "", false // a raw delimiter would split the field
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '0':
			if i+2 >= len(s) || s[i+1] != '0' || s[i+2] != '0' {
				return "", false
			}
			b.WriteByte(0)
			i += 2
		default:
			return "", false
		}
	}
	return b.String(), true
}

// parseArrayLiteral reads a one-dimensional array of quoted elements.
func parseArrayLiteral(s string) ([]string, bool) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	s = s[1 : len(s)-1]
	out := []string{}
	for len(s) > 0 {
		if s[0] != '"' {
			return nil, false
		}
		var b strings.Builder
		i := 1
		for ; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\\' {
				i++
				if i >= len(s) {
					return nil, false
				}
			}
			b.WriteByte(s[i])
		}
		if i >= len(s) {
			return nil, false
		}
		out = append(out, b.String())
		s = s[i+1:]
		if len(s) > 0 {
			if s[0] != ',' {
				return nil, false
			}
			s = s[1:]
		}
	}
	return out, true
}

func FuzzCopyText(f *testing.F) {
	for _, s := range []string{"", "plain", "tab\there", "line\nbreak\r\n", `back\slash`, "\\N", "nul\x00byte", "客户 🚀", `{"a","b"}`, "a;b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := string(appendCopyText(nil, s))
		if strings.ContainsAny(enc, "\t\n\r") || strings.IndexByte(enc, 0) >= 0 {
			t.Fatalf("%q escaped to %q, which holds a raw delimiter or NUL", s, enc)
		}
		if enc == `\N` {
			t.Fatalf("%q escaped to the NULL marker", s)
		}
		back, ok := unescapeCopyText(enc)
		if !ok || back != s {
			t.Fatalf("%q → %q → %q (%v)", s, enc, back, ok)
		}
		if utf8.ValidString(s) && !utf8.ValidString(enc) {
			t.Fatalf("valid UTF-8 %q escaped to invalid %q", s, enc)
		}
		items := strings.Split(s, ";")
		lit := arrayLiteral(items)
		got, ok := parseArrayLiteral(lit)
		if !ok || strings.Join(got, ";") != s || len(got) != len(items) {
			t.Fatalf("%q → %s → %q (%v)", items, lit, got, ok)
		}
	})
}
