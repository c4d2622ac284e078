package validate

import (
	"strings"
	"unicode/utf8"
)

// parseBool reads true/false, yes/no, y/n, 1/0, 是/否 (case-insensitive).
func parseBool(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "y", "1", "是":
		return true, true
	case "false", "no", "n", "0", "否":
		return false, true
	}
	return false, false
}

// validEmail checks the shape local@domain.tld: one '@', a local part of
// 1–64 printable characters without spaces or <>()[]\,;:", and a domain of
// dot-separated labels (letters, digits, '-', not at either end) ending in
// a label of two or more letters. Non-ASCII letters are allowed
// (internationalised addresses). At most 254 bytes.
func validEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at > 64 || strings.IndexByte(s[:at], '@') >= 0 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		switch c := local[i]; c {
		case '<', '>', '(', ')', '[', ']', '\\', ',', ';', ':', '"', 0x7F:
			return false
		default:
			if c <= ' ' {
				return false
			}
		}
	}
	return validHost(domain)
}

// validHost checks a DNS name with at least two labels and a letter TLD.
func validHost(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if len(h) == 0 || len(h) > 253 {
		return false
	}
	labels, start, ascii := 0, 0, true
	for i := 0; i <= len(h); i++ {
		if i < len(h) && h[i] != '.' {
			continue
		}
		l := h[start:i]
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for j := 0; j < len(l); j++ {
			c := l[j]
			if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80) {
				return false
			}
			ascii = ascii && c < 0x80
		}
		labels++
		start = i + 1
	}
	if labels < 2 || !ascii && !utf8.ValidString(h) {
		return false
	}
	tld := h[strings.LastIndexByte(h, '.')+1:]
	if len(tld) < 2 || !ascii && utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if c := tld[i]; c >= '0' && c <= '9' || c == '-' {
			return strings.HasPrefix(tld, "xn--")
		}
	}
	return true
}

// validPhone allows digits, spaces, + (at the start), ( ) - . / and an
// extension ("ext", "ext.", "x", "#" or "转", then digits); it needs 5–20
// digits in all.
func validPhone(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '+':
			if strings.TrimSpace(s[:i]) != "" {
				return false
			}
		case c == ' ' || c == '(' || c == ')' || c == '-' || c == '.' || c == '/':
		default:
			ext, ok := phoneExtension(s[i:])
			if !ok || digits == 0 {
				return false
			}
			digits += ext
			return digits >= 5 && digits <= 20
		}
	}
	return digits >= 5 && digits <= 20
}

// phoneExtension reads "ext 12", "x12", "#12", "转12": the digits' count.
func phoneExtension(s string) (int, bool) {
	for _, mark := range []string{"ext.", "ext", "x", "#", "转"} {
		if hasPrefixFold(s, mark) {
			rest := strings.TrimSpace(s[len(mark):])
			if rest == "" {
				return 0, false
			}
			for i := 0; i < len(rest); i++ {
				if rest[i] < '0' || rest[i] > '9' {
					return 0, false
				}
			}
			return len(rest), true
		}
	}
	return 0, false
}

// validURL accepts an http or https URL with a host name (or IP address),
// or a bare domain with an optional path ("www.example.com",
// "example.com/about"). The value is stored as given: a bare domain gets no
// scheme added. Other schemes (ftp:, mailto:, javascript:) are refused.
func validURL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' {
			return false
		}
	}
	rest := s
	switch {
	case len(s) > 8 && strings.EqualFold(s[:8], "https://"):
		rest = s[8:]
	case len(s) > 7 && strings.EqualFold(s[:7], "http://"):
		rest = s[7:]
	case strings.IndexByte(s, ':') >= 0 && (strings.Contains(s, ":/") || hasPrefixFold(s, "mailto:") || hasPrefixFold(s, "javascript:")):
		return false
	}
	host := rest
	for i := 0; i < len(host); i++ {
		if c := host[i]; c == '/' || c == '?' || c == '#' {
			host = host[:i]
			break
		}
	}
	if rest != s {
		if i := strings.LastIndexByte(host, '@'); i >= 0 {
			host = host[i+1:]
		}
		if strings.HasPrefix(host, "[") {
			return strings.Contains(host, "]") // an IPv6 address
		}
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		port, tail, ok := digitsN(host[i+1:], 1, 5)
		if !ok || tail != "" || port > 65535 {
			return false
		}
		host = host[:i]
	}
	if rest != s && (host == "localhost" || isIPv4(host)) {
		return true
	}
	return validHost(host)
}

func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

func isIPv4(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for part := 0; part < 4; part++ {
		v, rest, ok := digitsN(s, 1, 3)
		if !ok || v > 255 {
			return false
		}
		if part == 3 {
			return rest == ""
		}
		if rest, ok = sep(rest, '.'); !ok {
			return false
		}
		s = rest
	}
	return false
}

// parseUUID reads 8-4-4-4-12 hex, 32 hex digits, or either in braces.
func parseUUID(s string) (u [16]byte, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}' {
		s = s[1 : len(s)-1]
	}
	switch len(s) {
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return u, false
		}
		s = s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	case 32:
	default:
		return u, false
	}
	for i := range 16 {
		hi, ok1 := hexVal(s[2*i])
		lo, ok2 := hexVal(s[2*i+1])
		if !ok1 || !ok2 {
			return u, false
		}
		u[i] = hi<<4 | lo
	}
	return u, true
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
