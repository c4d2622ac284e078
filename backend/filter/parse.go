package filter

import (
	"strings"
	"time"

	"github.com/agnivade/levenshtein"

	"batchdesk/backend/catalog"
)

// Option configures Compile and FromJSON.
type Option func(*options)

type options struct {
	zone *time.Location
}

// WithZone sets the zone of datetime literals written without an offset
// (and of dates compared with datetime fields). The default is time.Local.
func WithZone(loc *time.Location) Option {
	return func(o *options) {
		if loc != nil {
			o.zone = loc
		}
	}
}

func makeOptions(opts []Option) options {
	o := options{zone: time.Local}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// Compile parses text and checks it against obj's fields. Blank text gives
// (nil, nil): all records. Problems are *Error values (see the package doc).
func Compile(text string, obj *catalog.Object, opts ...Option) (*Cond, error) {
	if len(text) > MaxLength {
		return nil, errAt(text, MaxLength, ErrLimit, "the filter is longer than %d KiB", MaxLength>>10)
	}
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	if i := strings.IndexByte(text, 0); i >= 0 {
		return nil, errAt(text, i, ErrSyntax, "the filter holds a NUL character")
	}
	p := &parser{lex: lexer{src: text}, obj: obj, opt: makeOptions(opts)}
	if err := p.advance(); err != nil {
		return nil, err
	}
	c, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, p.fail(p.tok.off, ErrSyntax, "unexpected %s after a complete condition (join conditions with AND or OR)", p.show())
	}
	return c, nil
}

// parser is a recursive-descent parser over the lexer's tokens.
type parser struct {
	lex lexer
	tok token
	obj *catalog.Object
	opt options
}

func (p *parser) fail(off int, code error, format string, args ...any) error {
	return errAt(p.lex.src, off, code, format, args...)
}

func (p *parser) advance() error {
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

// keyword reports whether the current token is the keyword kw.
func (p *parser) keyword(kw string) bool {
	return p.tok.kind == tWord && strings.EqualFold(p.tok.text, kw)
}

// show describes the current token for messages.
func (p *parser) show() string {
	switch p.tok.kind {
	case tEOF:
		return "end of filter"
	case tString:
		return quoteString(clip(p.tok.text))
	case tQuoted:
		return fieldName(clip(p.tok.text))
	}
	return `"` + clip(p.tok.text) + `"`
}

func (p *parser) or(depth int) (*Cond, error) {
	return p.join(depth, OpOr, p.and)
}

func (p *parser) and(depth int) (*Cond, error) {
	return p.join(depth, OpAnd, p.unary)
}

// join parses operand { kw operand } into one n-ary node.
func (p *parser) join(depth int, op Op, operand func(int) (*Cond, error)) (*Cond, error) {
	first, err := operand(depth)
	if err != nil {
		return nil, err
	}
	args := []*Cond{first}
	for p.keyword(string(op)) {
		if err := p.advance(); err != nil {
			return nil, err
		}
		next, err := operand(depth)
		if err != nil {
			return nil, err
		}
		args = append(args, next)
	}
	if len(args) == 1 {
		return first, nil
	}
	return &Cond{op: op, args: args}, nil
}

func (p *parser) unary(depth int) (*Cond, error) {
	if depth >= MaxDepth {
		return nil, p.fail(p.tok.off, ErrLimit, "the filter is nested more than %d levels deep", MaxDepth)
	}
	switch {
	case p.keyword("not"):
		if err := p.advance(); err != nil {
			return nil, err
		}
		c, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Cond{op: OpNot, args: []*Cond{c}}, nil
	case p.tok.kind == tLParen:
		open := p.tok.off
		if err := p.advance(); err != nil {
			return nil, err
		}
		c, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tRParen {
			if p.tok.kind == tEOF {
				return nil, p.fail(open, ErrSyntax, "the parenthesis opened here is not closed")
			}
			return nil, p.fail(p.tok.off, ErrSyntax, "expected ) or AND/OR, found %s", p.show())
		}
		return c, p.advance()
	}
	return p.comparison()
}

// comparison parses field op value | field [NOT] IN (…) | field [NOT] LIKE
// 'p' | field IS [NOT] NULL.
func (p *parser) comparison() (*Cond, error) {
	if p.tok.kind != tWord && p.tok.kind != tQuoted {
		return nil, p.fail(p.tok.off, ErrSyntax, "expected a field name, found %s", p.show())
	}
	if p.tok.kind == tWord && keywords[strings.ToLower(p.tok.text)] {
		return nil, p.fail(p.tok.off, ErrSyntax, "expected a field name, found the keyword %s", strings.ToUpper(p.tok.text))
	}
	fieldOff := p.tok.off
	f, k, err := p.lookup(p.tok.text, func(code error, format string, args ...any) error {
		return p.fail(fieldOff, code, format, args...)
	})
	if err != nil {
		return nil, err
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	opOff := p.tok.off
	var op Op
	switch {
	case p.tok.kind == tOp:
		op = Op(p.tok.text)
	case p.keyword("in"):
		op = OpIn
	case p.keyword("like"):
		op = OpLike
	case p.keyword("is"):
		if err := p.advance(); err != nil {
			return nil, err
		}
		op = OpIsNull
		if p.keyword("not") {
			op = OpNotNull
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		if !p.keyword("null") {
			return nil, p.fail(p.tok.off, ErrSyntax, "expected NULL after IS, found %s", p.show())
		}
		return &Cond{op: op, field: f, class: k}, p.advance()
	case p.keyword("not"):
		if err := p.advance(); err != nil {
			return nil, err
		}
		switch {
		case p.keyword("in"):
			op = OpNotIn
		case p.keyword("like"):
			op = OpNotLike
		default:
			return nil, p.fail(p.tok.off, ErrSyntax, "expected IN or LIKE after NOT, found %s", p.show())
		}
	default:
		return nil, p.fail(p.tok.off, ErrSyntax, "expected an operator (= != < <= > >= IN LIKE IS NULL) after %s, found %s",
			fieldName(f.APIName), p.show())
	}
	if !k.allows(op) {
		return nil, p.fail(opOff, ErrOperator, "%s cannot be used on %s, which is %s (use %s)",
			strings.ToUpper(string(op)), fieldName(f.APIName), typeWord(f), k.opsHint())
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	c := &Cond{op: op, field: f, class: k}
	if op != OpIn && op != OpNotIn {
		v, err := p.value(f, k, op == OpLike || op == OpNotLike)
		if err != nil {
			return nil, err
		}
		c.vals = []value{v}
		return c, nil
	}
	if p.tok.kind != tLParen {
		return nil, p.fail(p.tok.off, ErrSyntax, "expected ( after IN, found %s", p.show())
	}
	open := p.tok.off
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tRParen {
		return nil, p.fail(p.tok.off, ErrValue, "the IN list is empty: give at least one value")
	}
	for {
		v, err := p.value(f, k, false)
		if err != nil {
			return nil, err
		}
		c.vals = append(c.vals, v)
		if p.tok.kind == tRParen {
			return c, p.advance()
		}
		if p.tok.kind != tComma {
			if p.tok.kind == tEOF {
				return nil, p.fail(open, ErrSyntax, "the IN list opened here is not closed")
			}
			return nil, p.fail(p.tok.off, ErrSyntax, "expected , or ) in the IN list, found %s", p.show())
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
}

// value reads one literal and checks it against the field.
func (p *parser) value(f *catalog.Field, k class, like bool) (value, error) {
	t := p.tok
	switch {
	case t.kind == tString || t.kind == tNumber || t.kind == tTime:
	case t.kind == tWord && (strings.EqualFold(t.text, "true") || strings.EqualFold(t.text, "false")):
	case t.kind == tWord && strings.EqualFold(t.text, "null"):
		return value{}, p.fail(t.off, ErrSyntax, "compare with NULL using IS NULL or IS NOT NULL")
	case t.kind == tEOF:
		return value{}, p.fail(t.off, ErrSyntax, "a value is missing at the end of the filter")
	default:
		return value{}, p.fail(t.off, ErrSyntax, "expected a value ('text', a number, a date, true or false), found %s", p.show())
	}
	v, msg := k.convert(f, lit{t.kind, t.text}, p.opt.zone, like)
	if msg != "" {
		return value{}, p.fail(t.off, ErrValue, "%s", msg)
	}
	return v, p.advance()
}

// failFunc makes a positioned error.
type failFunc func(code error, format string, args ...any) error

// lookup finds a filterable field by API name.
func (p *parser) lookup(name string, fail failFunc) (*catalog.Field, class, error) {
	return lookupField(p.obj, name, fail)
}

func lookupField(obj *catalog.Object, name string, fail failFunc) (*catalog.Field, class, error) {
	f, err := obj.Field(name)
	if err != nil {
		if near := nearest(obj, name); near != "" {
			return nil, 0, fail(ErrField, "%s has no field %s; did you mean %s?", obj.APIName, fieldName(clip(name)), fieldName(near))
		}
		return nil, 0, fail(ErrField, "%s has no field %s", obj.APIName, fieldName(clip(name)))
	}
	k, ok := classOf(f.Type)
	if !ok || f.Column == "" {
		if f.Type == catalog.RelatedTeam {
			return nil, 0, fail(ErrField, "%s is a related-team field; team members cannot be filtered", fieldName(f.APIName))
		}
		return nil, 0, fail(ErrField, "%s (type %s) cannot be filtered", fieldName(f.APIName), f.Type)
	}
	if k == cRef && obj.FromCatalog {
		k = cUUID // a CRM's record IDs are UUIDs; only a plain table's keys may be numbers
	}
	return f, k, nil
}

// nearest returns the API name closest to name, if close enough to be a
// likely typo.
func nearest(obj *catalog.Object, name string) string {
	best, bestD := "", 0
	low := strings.ToLower(name)
	for _, f := range obj.Fields {
		d := levenshtein.ComputeDistance(low, strings.ToLower(f.APIName))
		if best == "" || d < bestD {
			best, bestD = f.APIName, d
		}
	}
	limit := len([]rune(name))/3 + 1
	if limit > 3 {
		limit = 3
	}
	if bestD > limit {
		return ""
	}
	return best
}
