package filter

import (
	"fmt"
	"strings"
)

// SQLite renders c as a boolean SQL expression for the sandbox, with ?
// parameters and their values in order; columns are quoted and prefixed by
// qualifier (SQL text) when it is not "". A nil Cond renders as "1". The
// expression follows the sandbox's storage (see crmdb.Dialect): decimals
// (exact text) are compared exactly (as REAL, and by their digits where REAL
// cannot tell them apart), datetimes by a key that orders their UTC text as
// time, booleans as 0/1, LIKE as a case-sensitive GLOB.
func (c *Cond) SQLite(qualifier string) (string, []any, error) {
	if c == nil {
		return "1", nil, nil
	}
	var b strings.Builder
	args := []any{}
	if err := c.lite(&b, &args, qualifier); err != nil {
		return "", nil, err
	}
	return b.String(), args, nil
}

func (c *Cond) lite(b *strings.Builder, args *[]any, q string) error {
	switch c.op {
	case OpAnd, OpOr:
		if len(c.args) == 0 {
			return fmt.Errorf("filter: empty %s", c.op)
		}
		b.WriteString("(")
		for i, a := range c.args {
			if i > 0 {
				b.WriteString(" " + strings.ToUpper(string(c.op)) + " ")
			}
			if err := a.lite(b, args, q); err != nil {
				return err
			}
		}
		b.WriteString(")")
		return nil
	case OpNot:
		if len(c.args) != 1 {
			return fmt.Errorf("filter: malformed not")
		}
		b.WriteString("((")
		if err := c.args[0].lite(b, args, q); err != nil {
			return err
		}
		b.WriteString(") IS NOT TRUE)")
		return nil
	}
	if c.field == nil || c.field.Column == "" {
		return fmt.Errorf("filter: a comparison without a column")
	}
	col := QuoteIdent(c.field.Column)
	if q != "" {
		col = q + "." + col
	}
	if pos, neg := c.op.negative(); neg {
		b.WriteString("(")
		if err := (&Cond{op: pos, field: c.field, class: c.class, vals: c.vals}).lite(b, args, q); err != nil {
			return err
		}
		b.WriteString(" IS NOT TRUE)")
		return nil
	}
	switch c.op {
	case OpIsNull:
		b.WriteString("(" + col + " IS NULL)")
		return nil
	case OpNotNull:
		b.WriteString("(" + col + " IS NOT NULL)")
		return nil
	}
	if len(c.vals) == 0 {
		return fmt.Errorf("filter: %s without a value", c.op)
	}
	if c.class == cMulti {
		b.WriteString("(")
		for i, v := range c.vals {
			if i > 0 {
				b.WriteString(" OR ")
			}
			fmt.Fprintf(b, "instr(';' || %s || ';', ?) > 0", col)
			*args = append(*args, ";"+v.text+";")
		}
		b.WriteString(")")
		return nil
	}
	if c.class == cDec {
		return liteDecimal(b, args, col, c.op, c.vals)
	}
	lhs := col
	switch c.class {
	case cDateTime:
		lhs = sqliteTimeKey(col)
	}
	switch c.op {
	case OpIn:
		b.WriteString("(" + lhs + " IN (")
		for i, v := range c.vals {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("?")
			*args = append(*args, c.class.liteArg(v))
		}
		b.WriteString("))")
	case OpLike:
		b.WriteString("(" + lhs + " GLOB ?)")
		*args = append(*args, globPattern(c.vals[0].like))
	case OpEq, OpLt, OpLe, OpGt, OpGe:
		b.WriteString("(" + lhs + " " + string(c.op) + " ?)")
		*args = append(*args, c.class.liteArg(c.vals[0]))
	default:
		return fmt.Errorf("filter: unknown operator %q", c.op)
	}
	return nil
}

// liteDecimal compares a decimal column (exact TEXT in the sandbox) exactly:
// as REAL where the two REALs differ (rounding keeps the order), else — two
// values closer than REAL can tell — by a fixed-width text key of their
// digits (reversed for negative values, which then share the sign).
func liteDecimal(b *strings.Builder, args *[]any, col string, op Op, vals []value) error {
	real := "CAST(" + col + " AS REAL)"
	one := func(sqlOp string, v value) {
		fmt.Fprintf(b, "(CASE WHEN %s <> ? THEN %s %s ? WHEN %s GLOB '-*' THEN ? %s %s ELSE %s %s ? END)",
			real, real, sqlOp, col, sqlOp, sqliteDecimalKey(col), sqliteDecimalKey(col), sqlOp)
		k := decimalKey(v.text)
		*args = append(*args, v.f, v.f, k, k)
	}
	if op == OpIn {
		b.WriteString("(")
		for i, v := range vals {
			if i > 0 {
				b.WriteString(" OR ")
			}
			one("=", v)
		}
		b.WriteString(")")
		return nil
	}
	switch op {
	case OpEq, OpLt, OpLe, OpGt, OpGe:
		one(string(op), vals[0])
		return nil
	}
	return fmt.Errorf("filter: operator %q on a decimal", op)
}

// decimalWidth is the width of each part of a decimal key; a literal has at
// most maxNumber characters.
const decimalWidth = maxNumber

// sqliteDecimalKey is an expression giving decimalKey of a decimal column.
func sqliteDecimalKey(col string) string {
	u := "ltrim(" + col + ", '-')"
	dot := "instr(" + u + ", '.')"
	intPart := fmt.Sprintf("ltrim(CASE WHEN %[2]s = 0 THEN %[1]s ELSE substr(%[1]s, 1, %[2]s - 1) END, '0')", u, dot)
	frac := fmt.Sprintf("CASE WHEN %[2]s = 0 THEN '' ELSE substr(%[1]s, %[2]s + 1) END", u, dot)
	return fmt.Sprintf("(printf('%%%ds', %s) || substr(%s || '%s', 1, %d))",
		decimalWidth, intPart, frac, strings.Repeat("0", decimalWidth), decimalWidth)
}

// decimalKey is the magnitude of a decimal as fixed-width text that sorts
// like the number: the integer digits right-aligned in spaces, the fraction
// padded with zeros.
func decimalKey(s string) string {
	u := strings.TrimLeft(s, "-")
	intPart, frac, _ := strings.Cut(u, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) < decimalWidth {
		intPart = strings.Repeat(" ", decimalWidth-len(intPart)) + intPart
	}
	frac += strings.Repeat("0", decimalWidth)
	return intPart + frac[:decimalWidth]
}

// liteArg is the bound value of v as the sandbox stores the class.
func (k class) liteArg(v value) any {
	switch k {
	case cInt:
		return v.i
	case cDec:
		return v.f
	case cBool:
		if v.b {
			return int64(1)
		}
		return int64(0)
	case cDateTime:
		return timeKey(v.t.UTC().Format("2006-01-02T15:04:05.999999999Z"))
	}
	return v.text
}

// sqliteTimeKey is an expression that orders the sandbox's datetime text
// ('YYYY-MM-DDTHH:MM:SS[.fff]Z', UTC) as time: the seconds, then the
// fraction without trailing zeros, so ".5" and ".50" are equal and "00Z"
// sorts before "00.5Z". timeKey computes the same in Go.
func sqliteTimeKey(col string) string {
	return fmt.Sprintf("(substr(%[1]s, 1, 19) || rtrim(rtrim(rtrim(substr(%[1]s, 20), 'Z'), '0'), '.'))", col)
}

// timeKey is sqliteTimeKey for a value in Go.
func timeKey(s string) string {
	if len(s) < 19 {
		return s
	}
	frac := strings.TrimRight(strings.TrimRight(strings.TrimRight(s[19:], "Z"), "0"), ".")
	return s[:19] + frac
}

// globPattern renders a LIKE pattern as a case-sensitive SQLite GLOB: % is *,
// _ is ?, and a literal *, ? or [ is written as a one-character class.
func globPattern(toks []likeTok) string {
	var b strings.Builder
	for _, t := range toks {
		switch {
		case t.any:
			b.WriteByte('*')
		case t.one:
			b.WriteByte('?')
		default:
			for i := 0; i < len(t.lit); i++ {
				switch ch := t.lit[i]; ch {
				case '*', '?', '[':
					b.WriteString("[" + string(ch) + "]")
				default:
					b.WriteByte(ch)
				}
			}
		}
	}
	return b.String()
}
