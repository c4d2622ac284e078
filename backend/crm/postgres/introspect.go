package postgres

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"batchdesk/backend/catalog"
)

// introspect derives objects from PostgreSQL's own catalog for the plain
// tables of schema (DESIGN §2): one object per table, API names as in the
// database, labels prettified. Mapping rules:
//   - text, varchar(n), char(n) → text (MaxLength n); smallint, integer,
//     bigint, oid → integer; numeric(p,s) → decimal (Precision, Scale); real,
//     double → decimal; money → currency; date → date; timestamp[tz] →
//     datetime; boolean; uuid; json[b] → long text; an enum → picklist of
//     its labels; anything else → text. Every field keeps the column's
//     real type in DBType (a domain's base type), so validation knows its
//     range; GENERATED ALWAYS identity and generated columns are Generated.
//   - NOT NULL without a default (or identity/generated) → Required.
//   - a single-column unique index or constraint (incl. the primary key),
//     without predicate or expression → Unique.
//   - a single-column foreign key → lookup (Target = referenced table);
//     ON DELETE CASCADE → master_detail, and the table's Master.
//   - CHECK (col IN (...)) / col = ANY (ARRAY[...]) → picklist of those.
//   - Primary: a text column named "name" (else "title"), if any.
func introspect(ctx context.Context, pool *pgxpool.Pool, schema string) ([]catalog.Object, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s schema: %w", schema, err)
	}
	defer conn.Release()
	objs := map[string]*catalog.Object{}
	var order []string
	err = forRows(ctx, conn, columnsQuery, schema, func(r pgx.Rows) error {
		var table, col, typ, ident, gen string
		var typmod int
		var notNull, hasDef bool
		var enum []string
		if err := r.Scan(&table, &col, &typ, &typmod, &notNull, &hasDef, &enum, &ident, &gen); err != nil {
			return err
		}
		o := objs[table]
		if o == nil {
			o = &catalog.Object{APIName: table, LabelEN: catalog.Prettify(table), Schema: schema,
				Table: table, Fields: []catalog.Field{}}
			objs[table] = o
			order = append(order, table)
		}
		f := catalog.Field{APIName: col, LabelEN: catalog.Prettify(col), Column: col,
			Required: notNull && !hasDef, HasDefault: hasDef, DBType: typ, Generated: ident == "a" || gen != ""}
		setType(&f, typ, typmod, enum)
		o.Fields = append(o.Fields, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read columns of schema %s: %w", schema, err)
	}
	field := func(table, col string) *catalog.Field {
		if o := objs[table]; o != nil {
			if f, err := o.Field(col); err == nil {
				return f
			}
		}
		return nil
	}
	err = forRows(ctx, conn, uniqueQuery, schema, func(r pgx.Rows) error {
		var table, col string
		if err := r.Scan(&table, &col); err != nil {
			return err
		}
		if f := field(table, col); f != nil {
			f.Unique = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read unique indexes of schema %s: %w", schema, err)
	}
	err = forRows(ctx, conn, foreignKeyQuery, schema, func(r pgx.Rows) error {
		var table, col, ref string
		var cascade bool
		if err := r.Scan(&table, &col, &ref, &cascade); err != nil {
			return err
		}
		if f := field(table, col); f != nil {
			f.Type, f.Target, f.Options = catalog.Lookup, ref, nil
			if cascade {
				f.Type = catalog.MasterDetail
				if o := objs[table]; o.Master == "" {
					o.Master = ref
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read foreign keys of schema %s: %w", schema, err)
	}
	err = forRows(ctx, conn, checkQuery, schema, func(r pgx.Rows) error {
		var table, col, def string
		if err := r.Scan(&table, &col, &def); err != nil {
			return err
		}
		if f := field(table, col); f != nil && f.Type == catalog.Text {
			if vals, ok := ParseInCheck(def); ok {
				f.Type, f.MaxLength, f.Options = catalog.Picklist, 0, options(vals)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read check constraints of schema %s: %w", schema, err)
	}
	out := make([]catalog.Object, 0, len(order))
	for _, name := range order {
		o := objs[name]
		for _, p := range []string{"name", "title"} {
			if f, err := o.Field(p); err == nil && f.Type == catalog.Text && o.Primary == "" {
				o.Primary = f.APIName
			}
		}
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].APIName < out[j].APIName })
	return out, nil
}

func forRows(ctx context.Context, conn *pgxpool.Conn, q, schema string, fn func(pgx.Rows) error) error {
	rows, err := conn.Query(ctx, q, schema)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func options(vals []string) []catalog.Option {
	out := make([]catalog.Option, len(vals))
	for i, v := range vals {
		out[i] = catalog.Option{Value: v, LabelEN: v}
	}
	return out
}

// setType maps a PostgreSQL base type name and typmod to a field type.
func setType(f *catalog.Field, typ string, typmod int, enum []string) {
	switch {
	case len(enum) > 0:
		f.Type, f.Options = catalog.Picklist, options(enum)
	case typ == "varchar" || typ == "bpchar":
		f.Type = catalog.Text
		if typmod > 4 {
			f.MaxLength = typmod - 4
		}
	case typ == "int2" || typ == "int4" || typ == "int8" || typ == "oid":
		f.Type = catalog.Integer
	case typ == "money":
		f.Type = catalog.Currency
	case typ == "numeric":
		f.Type = catalog.Decimal
		if typmod > 4 {
			f.Precision, f.Scale = ((typmod-4)>>16)&0xffff, (typmod-4)&0xffff
		}
	case typ == "float4" || typ == "float8":
		f.Type = catalog.Decimal
	case typ == "date":
		f.Type = catalog.Date
	case typ == "timestamp" || typ == "timestamptz":
		f.Type = catalog.DateTime
	case typ == "bool":
		f.Type = catalog.Boolean
	case typ == "uuid":
		f.Type = catalog.UUID
	case typ == "json" || typ == "jsonb":
		f.Type = catalog.LongText
	default:
		f.Type = catalog.Text
	}
}

var (
	// inCheck matches what PostgreSQL stores for CHECK (col IN ('a', 'b')):
	// ((col = ANY (ARRAY['a'::text, 'b'::text]))), with optional casts.
	inCheck = regexp.MustCompile(`^CHECK \(+\(?"?[^"()]+"?\)?(::[a-z ]+)? = ANY \(+ARRAY\[(.*?)\]\)?(::[a-z ]+\[\])?\)+$`)
	// eqCheck matches CHECK (col IN ('a')), stored as ((col = 'a'::text)).
	eqCheck = regexp.MustCompile(`^CHECK \(+\(?"?[^"()]+"?\)?(::[a-z ]+)? = ('(?:[^']|'')*')(::[a-z ]+)?\)+$`)
	literal = regexp.MustCompile(`^'((?:[^']|'')*)'(::[a-z ]+)?$`)
)

// ParseInCheck extracts the allowed values from a CHECK constraint's
// definition (pg_get_constraintdef) of the form col IN (...) or
// col = ANY (ARRAY[...]); ok is false for any other constraint.
func ParseInCheck(def string) (values []string, ok bool) {
	var list string
	if m := inCheck.FindStringSubmatch(def); m != nil {
		list = m[2]
	} else if m := eqCheck.FindStringSubmatch(def); m != nil {
		list = m[2]
	} else {
		return nil, false
	}
	for _, item := range splitLiterals(list) {
		m := literal.FindStringSubmatch(strings.TrimSpace(item))
		if m == nil {
			return nil, false
		}
		values = append(values, strings.ReplaceAll(m[1], "''", "'"))
	}
	return values, len(values) > 0
}

// splitLiterals splits "'a'::text, 'b,c'::text" at the commas outside quotes.
func splitLiterals(s string) []string {
	var out []string
	inQuote, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			inQuote = !inQuote // '' toggles twice: stays inside
		case ',':
			if !inQuote {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

const columnsQuery = `
SELECT c.relname, a.attname,
       CASE WHEN t.typtype = 'd' THEN bt.typname ELSE t.typname END,
       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END,
       a.attnotnull OR (t.typtype = 'd' AND t.typnotnull),
       a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '',
       COALESCE((SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e
                 WHERE e.enumtypid = CASE WHEN t.typtype = 'd' THEN bt.oid ELSE t.oid END), '{}'),
       a.attidentity::text, a.attgenerated::text
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum`

// columnTypes sets DBType and Generated on the fields of objs (read from
// the CRM's catalog tables, which do not say) from PostgreSQL's catalog.
func columnTypes(ctx context.Context, conn *pgxpool.Conn, schema string, objs []catalog.Object) error {
	type key struct{ table, col string }
	type info struct {
		typ       string
		generated bool
	}
	got := map[key]info{}
	err := forRows(ctx, conn, typesQuery, schema, func(r pgx.Rows) error {
		var table, col, typ, ident, gen string
		if err := r.Scan(&table, &col, &typ, &ident, &gen); err != nil {
			return err
		}
		got[key{table, col}] = info{typ, ident == "a" || gen != ""}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read column types of schema %s: %w", schema, err)
	}
	for i := range objs {
		for j := range objs[i].Fields {
			f := &objs[i].Fields[j]
			if in, ok := got[key{objs[i].Table, f.Column}]; ok && f.Column != "" {
				f.DBType, f.Generated = in.typ, in.generated
			}
		}
	}
	return nil
}

const typesQuery = `
SELECT c.relname, a.attname,
       CASE WHEN t.typtype = 'd' THEN bt.typname ELSE t.typname END,
       a.attidentity::text, a.attgenerated::text
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`

const uniqueQuery = `
SELECT c.relname, a.attname
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE n.nspname = $1 AND i.indisunique AND i.indnkeyatts = 1
  AND i.indpred IS NULL AND i.indexprs IS NULL`

const foreignKeyQuery = `
SELECT c.relname, a.attname, rc.relname, con.confdeltype = 'c'
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
WHERE n.nspname = $1 AND con.contype = 'f' AND cardinality(con.conkey) = 1
ORDER BY c.relname, con.conname`

const checkQuery = `
SELECT c.relname, a.attname, pg_catalog.pg_get_constraintdef(con.oid)
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
WHERE n.nspname = $1 AND con.contype = 'c' AND cardinality(con.conkey) = 1
ORDER BY c.relname, con.conname`
