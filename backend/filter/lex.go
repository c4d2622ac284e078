package filter

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind int

const (
	tEOF    tokKind = iota
	tWord           // a bare word: field name or keyword
	tQuoted         // a "double quoted" field name
	tString         // a 'single quoted' string
	tNumber         // -?digits[.digits]
	tTime           // a bare date or datetime
	tOp             // = != <> < <= > >=
	tLParen
	tRParen
	tComma
)

// token is one lexical token; text is the decoded text (quotes removed) and
// off its byte offset in the input.
type token struct {
	kind tokKind
	text string
	off  int
}

// lexer splits a filter into tokens.
type lexer struct {
	src string
	pos int
}

func isWordStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isWordRune(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// timeRune reports whether b can continue a bare number, date or datetime.
func timeRune(b byte) bool {
	return isDigit(b) || strings.IndexByte(".:+-TZtz", b) >= 0
}

// next returns the next token, or an *Error for text that is no token.
func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) {
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if !unicode.IsSpace(r) {
			break
		}
		l.pos += n
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tEOF, off: start}, nil
	}
	c := l.src[start]
	switch {
	case c == '(':
		l.pos++
		return token{tLParen, "(", start}, nil
	case c == ')':
		l.pos++
		return token{tRParen, ")", start}, nil
	case c == ',':
		l.pos++
		return token{tComma, ",", start}, nil
	case c == '=':
		l.pos++
		return token{tOp, "=", start}, nil
	case c == '!':
		if strings.HasPrefix(l.src[start:], "!=") {
			l.pos += 2
			return token{tOp, "!=", start}, nil
		}
	case c == '<':
		for _, op := range []string{"<=", "<>", "<"} {
			if strings.HasPrefix(l.src[start:], op) {
				l.pos += len(op)
				if op == "<>" {
					op = "!="
				}
				return token{tOp, op, start}, nil
			}
		}
	case c == '>':
		if strings.HasPrefix(l.src[start:], ">=") {
			l.pos += 2
			return token{tOp, ">=", start}, nil
		}
		l.pos++
		return token{tOp, ">", start}, nil
	case c == '\'' || c == '"':
		return l.quoted(c)
	case isDigit(c) || (c == '-' && start+1 < len(l.src) && isDigit(l.src[start+1])):
		l.pos++
		for l.pos < len(l.src) && timeRune(l.src[l.pos]) {
			l.pos++
		}
		for l.pos < len(l.src) { // 12abc is one bad token, not 12 then abc
			r, n := utf8.DecodeRuneInString(l.src[l.pos:])
			if !isWordRune(r) {
				break
			}
			l.pos += n
		}
		text := l.src[start:l.pos]
		if numberRE.MatchString(text) {
			return token{tNumber, text, start}, nil
		}
		if c != '-' && (dateRE.MatchString(text) || dateTimeRE.MatchString(text)) {
			return token{tTime, text, start}, nil
		}
		return token{}, errAt(l.src, start, ErrSyntax,
			"%s is not a number (write 1234.5), a date (2024-01-31) or a datetime (2024-01-31T10:00)", clip(text))
	}
	r, n := utf8.DecodeRuneInString(l.src[start:])
	if isWordStart(r) {
		l.pos += n
		for l.pos < len(l.src) {
			r, n := utf8.DecodeRuneInString(l.src[l.pos:])
			if !isWordRune(r) {
				break
			}
			l.pos += n
		}
		return token{tWord, l.src[start:l.pos], start}, nil
	}
	if r == utf8.RuneError && n == 1 {
		return token{}, errAt(l.src, start, ErrSyntax, "the filter is not valid UTF-8 text")
	}
	return token{}, errAt(l.src, start, ErrSyntax, "unexpected %q", string(r))
}

// quoted reads a string ('…') or quoted field name ("…"), where a doubled
// quote stands for one.
func (l *lexer) quoted(q byte) (token, error) {
	start := l.pos
	var b strings.Builder
	i := start + 1
	for {
		j := strings.IndexByte(l.src[i:], q)
		if j < 0 {
			what := "string"
			if q == '"' {
				what = "quoted field name"
			}
			return token{}, errAt(l.src, start, ErrSyntax, "the %s that starts here is not closed (a %c is missing)", what, q)
		}
		b.WriteString(l.src[i : i+j])
		i += j + 1
		if i < len(l.src) && l.src[i] == q {
			b.WriteByte(q)
			i++
			continue
		}
		break
	}
	l.pos = i
	kind := tString
	if q == '"' {
		kind = tQuoted
	}
	if !utf8.ValidString(b.String()) {
		return token{}, errAt(l.src, start, ErrSyntax, "the quoted text is not valid UTF-8")
	}
	return token{kind, b.String(), start}, nil
}

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }
