package filter

import (
	"fmt"
	"strings"
)

// Postgres renders c as a boolean SQL expression for a WHERE clause, with
// every value inlined as a literal (QuoteLiteral for text) and every column
// quoted; qualifier, when not "", is SQL text (an alias or a quoted table
// name) put before each column with a dot. A nil Cond renders as "TRUE".
// Values carry explicit types where the column's own could differ (DATE,
// TIMESTAMPTZ; text columns and enums compared as ::text), and record IDs
// are untyped literals that take the column's type (uuid, integer or text).
// A timestamp-without-time-zone column is compared in the session's
// TimeZone, as PostgreSQL does.
func (c *Cond) Postgres(qualifier string) (string, error) {
	if c == nil {
		return "TRUE", nil
	}
	var b strings.Builder
	if err := c.pg(&b, qualifier); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (c *Cond) pg(b *strings.Builder, q string) error {
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
			if err := a.pg(b, q); err != nil {
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
		if err := c.args[0].pg(b, q); err != nil {
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
		if err := (&Cond{op: pos, field: c.field, class: c.class, vals: c.vals}).pg(b, q); err != nil {
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
		// Contains: ';a;b;' holds ';v;'. IN: contains any.
		b.WriteString("(")
		for i, v := range c.vals {
			if i > 0 {
				b.WriteString(" OR ")
			}
			fmt.Fprintf(b, "strpos(';' || %s::text || ';', %s) > 0", col, QuoteLiteral(";"+v.text+";"))
		}
		b.WriteString(")")
		return nil
	}
	lhs := col
	switch c.class {
	case cText, cPick:
		lhs = col + "::text"
		if c.op == OpLt || c.op == OpLe || c.op == OpGt || c.op == OpGe {
			lhs += ` COLLATE "C"`
		}
	}
	switch c.op {
	case OpIn:
		b.WriteString("(" + lhs + " IN (")
		for i, v := range c.vals {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(c.class.pgLiteral(v))
		}
		b.WriteString("))")
	case OpLike:
		b.WriteString("(" + lhs + " LIKE " + QuoteLiteral(pgLike(c.vals[0].like)) + ")")
	case OpEq, OpLt, OpLe, OpGt, OpGe:
		sqlOp := string(c.op)
		b.WriteString("(" + lhs + " " + sqlOp + " " + c.class.pgLiteral(c.vals[0]) + ")")
	default:
		return fmt.Errorf("filter: unknown operator %q", c.op)
	}
	return nil
}

// pgLiteral renders a value as a PostgreSQL literal. Numbers were checked
// against -?digits[.digits]; everything else goes through QuoteLiteral.
func (k class) pgLiteral(v value) string {
	switch k {
	case cInt, cDec:
		if strings.HasPrefix(v.text, "-") {
			return "(" + v.text + ")"
		}
		return v.text
	case cBool:
		if v.b {
			return "TRUE"
		}
		return "FALSE"
	case cDate:
		return "DATE " + QuoteLiteral(v.text)
	case cDateTime:
		return "TIMESTAMPTZ " + QuoteLiteral(v.text)
	}
	// Text, picklist (also an enum column: cast to text above), and record
	// IDs: an untyped literal takes the column's type (uuid, integer, text).
	return QuoteLiteral(v.text)
}

// pgLike renders a LIKE pattern with PostgreSQL's default escape (\).
func pgLike(toks []likeTok) string {
	var b strings.Builder
	for _, t := range toks {
		switch {
		case t.any:
			b.WriteByte('%')
		case t.one:
			b.WriteByte('_')
		default:
			for i := 0; i < len(t.lit); i++ {
				if ch := t.lit[i]; ch == '%' || ch == '_' || ch == '\\' {
					b.WriteByte('\\')
				}
				b.WriteByte(t.lit[i])
			}
		}
	}
	return b.String()
}
