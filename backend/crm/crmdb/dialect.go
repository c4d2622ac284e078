package crmdb

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/catalog"
)

// Dialect renders the neutral table descriptions as SQL for one database.
//
// Storage in SQLite (STRICT tables, every shape enforced by a CHECK so that
// the sandbox rejects what PostgreSQL rejects):
//   - uuid: TEXT, lower-case 8-4-4-4-12 hex; new ids from randomblob (v4).
//   - date: TEXT 'YYYY-MM-DD', CHECK date(x) IS x (so 2025-02-30 is refused).
//   - datetime: TEXT UTC RFC 3339 'YYYY-MM-DDTHH:MM:SS[.fff…]Z'; sorts as time.
//   - boolean: INTEGER 0/1.
//   - decimal, currency, percent: TEXT holding the exact decimal
//     ('-1234.50'), CHECKed against the precision and scale. Not REAL: money
//     must round-trip exactly, like numeric(p,s) in PostgreSQL. Compare or
//     sum them with CAST(x AS REAL) or in Go.
//   - varchar(n): TEXT with CHECK length(x) <= n; picklist: TEXT CHECK IN.
//   - JSON (catalog options): TEXT CHECK json_valid.
type Dialect struct {
	// Name is "postgres" or "sqlite".
	Name string
	// Schema qualifies table names ("" for none).
	Schema string
}

// Postgres is the dialect of a CRM in PostgreSQL, in schema crm.
var Postgres = Dialect{Name: "postgres", Schema: PGSchema}

// SQLite is the dialect of the sandbox.
var SQLite = Dialect{Name: "sqlite"}

func (d Dialect) pg() bool { return d.Name == "postgres" }

// Table returns the quoted, schema-qualified name of a table.
func (d Dialect) Table(name string) string {
	if d.Schema == "" {
		return QuoteIdent(name)
	}
	return QuoteIdent(d.Schema, name)
}

// Param returns the n-th (1-based) bind parameter placeholder.
func (d Dialect) Param(n int) string {
	if d.pg() {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// Time formats t as this dialect stores a datetime: time.Time for PostgreSQL,
// UTC RFC 3339 text for SQLite.
func (d Dialect) Time(t time.Time) any {
	if d.pg() {
		return t
	}
	return FormatTime(t)
}

// FormatTime is the sandbox's text form of a datetime (UTC, RFC 3339, "Z").
func FormatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.999999Z07:00")
}

// FullScale writes a decimal's text ("-1234.5") with at least scale
// decimals ("-1234.50"): the sandbox stores decimals as PostgreSQL's
// numeric(p,s) does, with the column's scale.
func FullScale(s string, scale int) string {
	if scale <= 0 {
		return s
	}
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		return s + "." + strings.Repeat("0", scale)
	}
	if have := len(s) - dot - 1; have < scale {
		return s + strings.Repeat("0", scale-have)
	}
	return s
}

// Bool returns b as this dialect binds a boolean.
func (d Dialect) Bool(b bool) any {
	if d.pg() {
		return b
	}
	if b {
		return 1
	}
	return 0
}

// QuoteIdent quotes an SQL identifier, schema-qualified when given two
// parts ("crm", "account" → "crm"."account"): the one identifier-quoting
// function of both dialects, which quote identifiers alike.
func QuoteIdent(parts ...string) string { return pgx.Identifier(parts).Sanitize() }

// ObjectTable is the quoted table of o, schema-qualified when o has a
// schema (PostgreSQL) and bare when not (the sandbox).
func ObjectTable(o *catalog.Object) string {
	if o.Schema == "" {
		return QuoteIdent(o.Table)
	}
	return QuoteIdent(o.Schema, o.Table)
}

func literal(v any) string {
	switch x := v.(type) {
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case int:
		return strconv.Itoa(x)
	}
	panic(fmt.Sprintf("crmdb: literal of %T", v))
}

// sqliteUUID is a v4 UUID expression for SQLite column defaults.
const sqliteUUID = `(lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||
 substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
 substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))))`

// uuidGlob matches a lower-case 8-4-4-4-12 hex UUID.
var uuidGlob = strings.Join([]string{hexGlob(8), hexGlob(4), hexGlob(4), hexGlob(4), hexGlob(12)}, "-")

func hexGlob(n int) string { return strings.Repeat("[0-9a-f]", n) }

func (d Dialect) columnType(c column) string {
	if d.pg() {
		switch c.kind {
		case kVarchar:
			return fmt.Sprintf("varchar(%d)", c.n)
		case kInt:
			return "integer"
		case kBigint:
			return "bigint"
		case kNumeric:
			return fmt.Sprintf("numeric(%d,%d)", c.p, c.s)
		case kDate:
			return "date"
		case kTimestamp:
			return "timestamptz"
		case kBool:
			return "boolean"
		case kUUID:
			return "uuid"
		case kJSON:
			return "jsonb"
		}
		return "text"
	}
	switch c.kind {
	case kInt, kBigint, kBool:
		return "INTEGER"
	}
	return "TEXT"
}

// shapeCheck is the SQLite CHECK that enforces what PostgreSQL's type does.
func (d Dialect) shapeCheck(c column) string {
	if d.pg() {
		return ""
	}
	x := QuoteIdent(c.name)
	switch c.kind {
	case kVarchar:
		return fmt.Sprintf("length(%s) <= %d", x, c.n)
	case kBool:
		return x + " IN (0, 1)"
	case kUUID:
		return fmt.Sprintf("%s GLOB '%s'", x, uuidGlob)
	case kDate:
		return fmt.Sprintf("date(%s) IS %s", x, x)
	case kTimestamp:
		return fmt.Sprintf("strftime('%%Y-%%m-%%dT%%H:%%M:%%S', %[1]s) IS substr(%[1]s, 1, 19) AND "+
			"(substr(%[1]s, 20) = 'Z' OR (substr(%[1]s, 20) GLOB '.[0-9]*Z' AND "+
			"substr(%[1]s, 21, length(%[1]s) - 21) NOT GLOB '*[^0-9]*'))", x)
	case kJSON:
		return "json_valid(" + x + ")"
	case kNumeric:
		// [-]digits[.digits], at most p-s integer and s fraction digits
		// (any number of digits when the precision is not known: a plain
		// table's numeric, real or double precision).
		u := fmt.Sprintf("ltrim(%s, '-')", x)
		if c.p == 0 {
			return fmt.Sprintf("%[1]s GLOB '[0-9]*' AND %[1]s NOT GLOB '*[^0-9.]*' AND "+
				"%[1]s NOT GLOB '*.*.*' AND %[1]s NOT GLOB '*.' AND %[2]s NOT GLOB '--*'", u, x)
		}
		return fmt.Sprintf("%[1]s GLOB '[0-9]*' AND %[1]s NOT GLOB '*[^0-9.]*' AND "+
			"%[1]s NOT GLOB '*.*.*' AND %[1]s NOT GLOB '*.' AND %[2]s NOT GLOB '--*' AND "+
			"(CASE WHEN instr(%[1]s, '.') = 0 THEN length(ltrim(%[1]s, '0')) "+
			"ELSE length(ltrim(substr(%[1]s, 1, instr(%[1]s, '.') - 1), '0')) END) <= %[3]d AND "+
			"(instr(%[1]s, '.') = 0 OR length(%[1]s) - instr(%[1]s, '.') <= %[4]d)",
			u, x, c.p-c.s, c.s)
	}
	return ""
}

func (d Dialect) defaultExpr(c column) string {
	switch c.def {
	case defNewUUID:
		if d.pg() {
			return "gen_random_uuid()"
		}
		return sqliteUUID
	case defNow:
		if d.pg() {
			return "now()"
		}
		return "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
	case defValue:
		if b, ok := c.defVal.(bool); ok {
			if d.pg() {
				return strconv.FormatBool(b)
			}
			if b {
				return "1"
			}
			return "0"
		}
		if c.kind == kJSON && d.pg() {
			return literal(c.defVal) + "::jsonb"
		}
		return literal(c.defVal)
	}
	return ""
}

// CreateTable renders CREATE TABLE IF NOT EXISTS for t.
func (d Dialect) createTable(t table) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (", d.Table(t.name))
	for i, c := range t.columns {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n  %s %s", QuoteIdent(c.name), d.columnType(c))
		if c.primaryKey {
			b.WriteString(" PRIMARY KEY")
		} else if c.notNull {
			b.WriteString(" NOT NULL")
		}
		if c.unique {
			b.WriteString(" UNIQUE")
		}
		if e := d.defaultExpr(c); e != "" {
			b.WriteString(" DEFAULT " + e)
		}
		var checks []string
		if s := d.shapeCheck(c); s != "" {
			checks = append(checks, s)
		}
		if len(c.in) > 0 {
			vals := make([]string, len(c.in))
			for i, v := range c.in {
				vals[i] = literal(v)
			}
			checks = append(checks, fmt.Sprintf("%s IN (%s)", QuoteIdent(c.name), strings.Join(vals, ", ")))
		}
		if len(checks) > 0 {
			// Named as PostgreSQL would name it, so SQLite reports the name.
			fmt.Fprintf(&b, " CONSTRAINT %s CHECK (%s)", QuoteIdent(t.name+"_"+c.name+"_check"), strings.Join(checks, " AND "))
		}
		if c.ref != "" {
			refCol := "id"
			if c.ref == TableObjects {
				refCol = "api_name"
			}
			if c.refCol != "" {
				refCol = c.refCol
			}
			fmt.Fprintf(&b, " REFERENCES %s (%s)", d.Table(c.ref), QuoteIdent(refCol))
			if c.onDelete != "" {
				b.WriteString(" ON DELETE " + c.onDelete)
			}
		}
	}
	for _, u := range t.uniques {
		cols := make([]string, len(u))
		for i, c := range u {
			cols[i] = QuoteIdent(c)
		}
		fmt.Fprintf(&b, ",\n  UNIQUE (%s)", strings.Join(cols, ", "))
	}
	b.WriteString("\n)")
	if !d.pg() {
		b.WriteString(" STRICT")
	}
	return b.String()
}

// createIndexes renders CREATE INDEX IF NOT EXISTS for t's indexes.
func (d Dialect) createIndexes(t table) []string {
	var out []string
	for _, col := range t.indexes {
		name := QuoteIdent(t.name + "_" + col + "_idx") // an index lives in its table's schema
		out = append(out, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s (%s)",
			name, d.Table(t.name), QuoteIdent(col)))
	}
	return out
}
