package filter

import (
	"math/big"
	"strings"
	"time"

	"batchdesk/backend/catalog"
)

// Op is the operator of one node of a Cond.
type Op string

// Operators. OpAnd, OpOr and OpNot join conditions; the others compare one
// field. Their string values are the JSON form's "op".
const (
	OpAnd     Op = "and"
	OpOr      Op = "or"
	OpNot     Op = "not"
	OpEq      Op = "="
	OpNe      Op = "!="
	OpLt      Op = "<"
	OpLe      Op = "<="
	OpGt      Op = ">"
	OpGe      Op = ">="
	OpIn      Op = "in"
	OpNotIn   Op = "not in"
	OpLike    Op = "like"
	OpNotLike Op = "not like"
	OpIsNull  Op = "is null"
	OpNotNull Op = "is not null"
)

// negative reports whether op is the negation of another comparison, and
// which: a negative comparison is rendered as "(positive) IS NOT TRUE", so an
// empty field satisfies it.
func (op Op) negative() (Op, bool) {
	switch op {
	case OpNe:
		return OpEq, true
	case OpNotIn:
		return OpIn, true
	case OpNotLike:
		return OpLike, true
	}
	return "", false
}

// Cond is a parsed filter checked against one object's fields; a nil *Cond
// means "all records". Build one with Compile or FromJSON; the zero value is
// not usable.
type Cond struct {
	op    Op
	args  []*Cond        // and, or: two or more; not: one
	field *catalog.Field // comparisons
	class class
	vals  []value // one for = … >= and LIKE, one or more for IN
}

// Op returns the node's operator.
func (c *Cond) Op() Op { return c.op }

// Args returns the joined conditions of an and/or/not node (nil otherwise).
func (c *Cond) Args() []*Cond { return c.args }

// Field returns the compared field of a comparison (nil for and/or/not).
func (c *Cond) Field() *catalog.Field { return c.field }

// value is one checked literal. text is its canonical text (what String
// writes, without quotes); the typed part depends on the field's class.
type value struct {
	text string
	i    int64     // cInt
	rat  *big.Rat  // cDec
	f    float64   // cDec, bound on SQLite
	b    bool      // cBool
	t    time.Time // cDateTime (UTC)
	like []likeTok // LIKE patterns
}

// Fields returns the API names of the fields c uses, in first-use order,
// each once. It is nil for a nil Cond.
func (c *Cond) Fields() []string {
	if c == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	var walk func(*Cond)
	walk = func(c *Cond) {
		if c.field != nil && !seen[c.field.APIName] {
			seen[c.field.APIName] = true
			out = append(out, c.field.APIName)
		}
		for _, a := range c.args {
			walk(a)
		}
	}
	walk(c)
	return out
}

// String returns the canonical filter text: keywords upper-case, groups in
// parentheses, values in their canonical form (datetimes in UTC). Compiling
// it against the same object gives the same Cond. A nil Cond is "".
func (c *Cond) String() string {
	if c == nil {
		return ""
	}
	var b strings.Builder
	c.write(&b)
	return b.String()
}

func (c *Cond) write(b *strings.Builder) {
	switch c.op {
	case OpAnd, OpOr:
		for i, a := range c.args {
			if i > 0 {
				b.WriteString(" " + strings.ToUpper(string(c.op)) + " ")
			}
			a.writeOperand(b)
		}
		return
	case OpNot:
		b.WriteString("NOT ")
		c.args[0].writeOperand(b)
		return
	}
	b.WriteString(fieldName(c.field.APIName))
	switch c.op {
	case OpIsNull, OpNotNull:
		b.WriteString(" " + strings.ToUpper(string(c.op)))
	case OpIn, OpNotIn:
		b.WriteString(" " + strings.ToUpper(string(c.op)) + " (")
		for i, v := range c.vals {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(c.class.literal(v))
		}
		b.WriteString(")")
	default:
		b.WriteString(" " + strings.ToUpper(string(c.op)) + " " + c.class.literal(c.vals[0]))
	}
}

// writeOperand writes c as an operand of and/or/not: groups in parentheses.
func (c *Cond) writeOperand(b *strings.Builder) {
	if c.field != nil || c.op == OpNot {
		c.write(b)
		return
	}
	b.WriteString("(")
	c.write(b)
	b.WriteString(")")
}

// keywords cannot be written as bare field names.
var keywords = map[string]bool{"and": true, "or": true, "not": true, "in": true, "like": true,
	"is": true, "null": true, "true": true, "false": true}

// fieldName writes an API name bare when it reads back as itself, else in
// double quotes.
func fieldName(name string) string {
	bare := name != "" && !keywords[strings.ToLower(name)]
	for i, r := range name {
		if !(isWordRune(r) && (i > 0 || isWordStart(r))) {
			bare = false
			break
		}
	}
	if bare {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// quoteString writes s as a filter string literal.
func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// And joins conditions with AND, leaving out nil ones (all records): And()
// and And(nil) are nil, And(c) is c. Export and delete use it to add their
// own condition (e.g. leaving out voided records) to the user's filter.
func And(conds ...*Cond) *Cond {
	var args []*Cond
	for _, c := range conds {
		if c != nil {
			args = append(args, c)
		}
	}
	switch len(args) {
	case 0:
		return nil
	case 1:
		return args[0]
	}
	return &Cond{op: OpAnd, args: args}
}
