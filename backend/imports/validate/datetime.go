package validate

import (
	"strings"
	"time"
)

// stamp is a parsed date or date-time before a zone is applied.
type stamp struct {
	y, mo, d     int
	h, mi, s, ns int
	hasTime      bool
	off          int // seconds east of UTC, when hasOff
	hasOff       bool
}

// parseStamp reads s in format ("" for ISO 8601: 2026-01-31,
// 2026-01-31T10:00, 2026-01-31 10:00:00.5, with Z or ±hh:mm) or one of
// mapping.DateFormats, whose time part " HH:mm[:ss]" is always optional.
// Days and months of the slash patterns may have one digit.
func parseStamp(s, format string) (st stamp, ok bool) {
	s = strings.TrimSpace(s)
	date := format
	if i := strings.IndexByte(date, ' '); i >= 0 {
		date = date[:i]
	}
	var rest string
	switch date {
	case "", "YYYY-MM-DD":
		st.y, rest, ok = digitsN(s, 4, 4)
		if ok {
			rest, ok = sep(rest, '-')
		}
		if ok {
			st.mo, rest, ok = digitsN(rest, 1, 2)
		}
		if ok {
			rest, ok = sep(rest, '-')
		}
		if ok {
			st.d, rest, ok = digitsN(rest, 1, 2)
		}
	case "YYYY/MM/DD":
		st.y, rest, ok = digitsN(s, 4, 4)
		if ok {
			rest, ok = sep(rest, '/')
		}
		if ok {
			st.mo, rest, ok = digitsN(rest, 1, 2)
		}
		if ok {
			rest, ok = sep(rest, '/')
		}
		if ok {
			st.d, rest, ok = digitsN(rest, 1, 2)
		}
	case "DD/MM/YYYY", "MM/DD/YYYY":
		var a, b int
		a, rest, ok = digitsN(s, 1, 2)
		if ok {
			rest, ok = sep(rest, '/')
		}
		if ok {
			b, rest, ok = digitsN(rest, 1, 2)
		}
		if ok {
			rest, ok = sep(rest, '/')
		}
		if ok {
			st.y, rest, ok = digitsN(rest, 4, 4)
		}
		st.d, st.mo = a, b
		if date == "MM/DD/YYYY" {
			st.mo, st.d = a, b
		}
	default:
		return st, false
	}
	if !ok {
		return st, false
	}
	if rest != "" {
		if rest[0] != ' ' && !(rest[0] == 'T' && date == "" || rest[0] == 'T' && date == "YYYY-MM-DD") {
			return st, false
		}
		if rest, ok = parseClock(&st, strings.TrimLeft(rest[1:], " ")); !ok {
			return st, false
		}
		if rest, ok = parseOffset(&st, rest); !ok || rest != "" {
			return st, false
		}
	}
	if st.y < 1 || st.mo < 1 || st.mo > 12 || st.d < 1 || st.d > daysIn(st.y, st.mo) ||
		st.h > 23 || st.mi > 59 || st.s > 59 {
		return st, false
	}
	return st, true
}

func parseClock(st *stamp, s string) (string, bool) {
	var ok bool
	if st.h, s, ok = digitsN(s, 1, 2); !ok {
		return s, false
	}
	if s, ok = sep(s, ':'); !ok {
		return s, false
	}
	if st.mi, s, ok = digitsN(s, 2, 2); !ok {
		return s, false
	}
	st.hasTime = true
	if len(s) > 0 && s[0] == ':' {
		if st.s, s, ok = digitsN(s[1:], 2, 2); !ok {
			return s, false
		}
		if len(s) > 0 && (s[0] == '.' || s[0] == ',') {
			i := 1
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				if i <= 9 {
					st.ns = st.ns*10 + int(s[i]-'0')
				}
				i++
			}
			if i == 1 {
				return s, false
			}
			for k := i; k <= 9; k++ {
				st.ns *= 10
			}
			s = s[i:]
		}
	}
	return s, true
}

func parseOffset(st *stamp, s string) (string, bool) {
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return s, true
	}
	if s == "Z" || s == "z" || s == "UTC" {
		st.hasOff = true
		return "", true
	}
	sign := 1
	switch s[0] {
	case '+':
	case '-':
		sign = -1
	default:
		return s, false
	}
	h, rest, ok := digitsN(s[1:], 2, 2)
	if !ok {
		return s, false
	}
	if len(rest) > 0 && rest[0] == ':' {
		rest = rest[1:]
	}
	m := 0
	if rest != "" {
		if m, rest, ok = digitsN(rest, 2, 2); !ok {
			return s, false
		}
	}
	if h > 14 || m > 59 {
		return s, false
	}
	st.off, st.hasOff = sign*(h*3600+m*60), true
	return rest, true
}

// digitsN reads min..max decimal digits.
func digitsN(s string, lo, hi int) (int, string, bool) {
	v, i := 0, 0
	for i < len(s) && i < hi && s[i] >= '0' && s[i] <= '9' {
		v = v*10 + int(s[i]-'0')
		i++
	}
	if i < lo {
		return 0, s, false
	}
	if i < len(s) && s[i] >= '0' && s[i] <= '9' {
		return 0, s, false // too many digits
	}
	return v, s[i:], true
}

func sep(s string, c byte) (string, bool) {
	if len(s) == 0 || s[0] != c {
		return s, false
	}
	return s[1:], true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civilDate is the date itself, at midnight UTC: what pgtype.Date wants,
// and never shifted by a time zone.
func (st stamp) civilDate() time.Time {
	return time.Date(st.y, time.Month(st.mo), st.d, 0, 0, 0, 0, time.UTC)
}

// instant is the moment: in its own offset if it has one, else in zone.
func (st stamp) instant(zone *time.Location) time.Time {
	loc := zone
	if st.hasOff {
		loc = time.FixedZone("", st.off)
	}
	return time.Date(st.y, time.Month(st.mo), st.d, st.h, st.mi, st.s, st.ns, loc)
}
