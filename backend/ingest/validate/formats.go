package validate

import (
	"net/url"
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
	for _, r := range local {
		if r <= ' ' || r == 0x7F || strings.ContainsRune(`<>()[]\,;:"`, r) {
			return false
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
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 && r != utf8.RuneError) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if r >= '0' && r <= '9' || r == '-' {
			return strings.HasPrefix(tld, "xn--")
		}
	}
	return true
}

// validPhone allows digits, spaces, + (at the start), ( ) - . / and an
// extension ("ext", "ext.", "x" or "#" then digits); it needs 5–20 digits.
func validPhone(s string) bool {
	main, ext := s, ""
	low := strings.ToLower(s)
	for _, mark := range []string{"ext.", "ext", "x", "#", "转"} {
		if i := strings.LastIndex(low, mark); i > 0 {
			main, ext = s[:i], strings.TrimSpace(s[i+len(mark):])
			if ext == "" {
				return false
			}
			for _, c := range []byte(ext) {
				if c < '0' || c > '9' {
					return false
				}
			}
			break
		}
	}
	digits := 0
	for i := 0; i < len(main); i++ {
		switch c := main[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '+':
			if strings.TrimSpace(main[:i]) != "" {
				return false
			}
		case c == ' ' || c == '(' || c == ')' || c == '-' || c == '.' || c == '/':
		default:
			return false
		}
	}
	digits += len(ext)
	return digits >= 5 && digits <= 20
}

// validURL accepts an http or https URL with a host name (or IP address),
// or a bare domain with an optional path ("www.example.com",
// "example.com/about"). The value is stored as given: a bare domain gets no
// scheme added. Other schemes (ftp:, mailto:, javascript:) are refused.
func validURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	low := strings.ToLower(s)
	if !strings.HasPrefix(low, "http://") && !strings.HasPrefix(low, "https://") {
		if strings.Contains(s, "://") || strings.HasPrefix(low, "mailto:") || strings.HasPrefix(low, "javascript:") {
			return false
		}
		host := s
		if i := strings.IndexAny(host, "/?#"); i >= 0 {
			host = host[:i]
		}
		if i := strings.LastIndexByte(host, ':'); i >= 0 {
			host = host[:i]
		}
		return validHost(host)
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	h := u.Hostname()
	return validHost(h) || h == "localhost" || isIPv4(h) || strings.Contains(h, ":")
}

func isIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		v, rest, ok := digitsN(p, 1, 3)
		if !ok || rest != "" || v > 255 {
			return false
		}
	}
	return true
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
