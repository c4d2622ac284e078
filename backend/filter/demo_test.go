package filter_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/filter"
	"batchdesk/backend/pgtest"
)

// TestDemoCRM filters every field of every demo object, with values taken
// from its records, on the demo CRM in PostgreSQL and in a sandbox file, and
// compares both with Match over the PostgreSQL rows.
func TestDemoCRM(t *testing.T) {
	ctx := context.Background()
	pg, err := postgres.Open(ctx, pgtest.NewDatabase(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if err := pg.InstallDemo(ctx); err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.Open(ctx, filepath.Join(t.TempDir(), "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	objs, err := pg.Objects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for i := range objs {
		obj := &objs[i]
		t.Run(obj.APIName, func(t *testing.T) {
			total += agree(t, pg, sb.DB(), obj)
		})
	}
	t.Logf("%d filters agreed on %d objects", total, len(objs))
}

// agree reads obj's records from PostgreSQL, filters them with atoms built
// from their values, and checks that PostgreSQL, the sandbox (when lite is
// not nil) and Match select the same ids. It returns the number of filters.
func agree(t *testing.T, pg *postgres.Target, lite *sql.DB, obj *catalog.Object) int {
	ctx := context.Background()
	var cols []string
	var fields []*catalog.Field
	for j := range obj.Fields {
		f := &obj.Fields[j]
		if f.Column == "" {
			continue
		}
		col := filter.QuoteIdent(f.Column)
		if f.Type == catalog.Text || f.Type == catalog.LongText || f.Type == catalog.Picklist {
			col += "::text" // json, inet, enum …: compared as their text
		}
		cols = append(cols, col)
		fields = append(fields, f)
	}
	table := filter.QuoteIdent(obj.Schema) + "." + filter.QuoteIdent(obj.Table)
	rows, err := pg.Pool().Query(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		rec := map[string]any{}
		for k, f := range fields {
			rec[f.APIName] = vals[k]
		}
		recs = append(recs, rec)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	n := 0
	for _, text := range demoAtoms(obj, fields, recs) {
		c, err := filter.Compile(text, obj, filter.WithZone(time.UTC))
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		where, err := c.Postgres("t")
		if err != nil {
			t.Fatal(err)
		}
		got, err := pgIDs(ctx, pg, table, where)
		if err != nil {
			t.Fatalf("%s: postgres %s: %v", text, where, err)
		}
		match := []string{}
		for _, r := range recs {
			ok, err := c.Match(r)
			if err != nil {
				t.Fatalf("%s: match: %v", text, err)
			}
			if ok {
				match = append(match, fmt.Sprint(uuidText(r["id"])))
			}
		}
		slices.Sort(match)
		if !slices.Equal(got, match) {
			t.Fatalf("%s: postgres %d, match %d rows\n%s", text, len(got), len(match), where)
		}
		n++
		if lite == nil {
			continue
		}
		lwhere, args, err := c.SQLite("t")
		if err != nil {
			t.Fatal(err)
		}
		lrows, err := lite.QueryContext(ctx, "SELECT id FROM "+filter.QuoteIdent(obj.Table)+" t WHERE "+lwhere, args...)
		if err != nil {
			t.Fatalf("%s: sqlite %s: %v", text, lwhere, err)
		}
		ids := []string{}
		for lrows.Next() {
			var s string
			if err := lrows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, s)
		}
		lrows.Close()
		slices.Sort(ids)
		if !slices.Equal(ids, match) {
			t.Fatalf("%s: sqlite %d, match %d rows\n%s %v", text, len(ids), len(match), lwhere, args)
		}
	}
	return n
}

func pgIDs(ctx context.Context, pg *postgres.Target, table, where string) ([]string, error) {
	rows, err := pg.Pool().Query(ctx, "SELECT id::text FROM "+table+" t WHERE "+where)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if ids == nil {
		ids = []string{}
	}
	slices.Sort(ids)
	return ids, err
}

func uuidText(v any) any {
	if b, ok := v.([16]byte); ok {
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	}
	return v
}

// demoAtoms builds comparisons of each field with each operator it takes,
// against up to three values found in the records.
func demoAtoms(obj *catalog.Object, fields []*catalog.Field, recs []map[string]any) []string {
	var out []string
	for _, f := range fields {
		var lits []string
		seen := map[string]bool{}
		for _, r := range recs {
			l := demoLiteral(f, r[f.APIName])
			if l == "" || seen[l] {
				continue
			}
			seen[l] = true
			lits = append(lits, l)
			if len(lits) == 3 {
				break
			}
		}
		out = append(out, f.APIName+" IS NULL", f.APIName+" IS NOT NULL")
		if len(lits) == 0 {
			continue
		}
		for _, op := range []string{"=", "!=", "<", "<=", ">", ">="} {
			for _, l := range lits {
				if s := f.APIName + " " + op + " " + l; compiles(s, obj) {
					out = append(out, s)
				}
			}
		}
		if s := f.APIName + " IN (" + strings.Join(lits, ", ") + ")"; compiles(s, obj) {
			out = append(out, s, f.APIName+" NOT IN ("+strings.Join(lits, ", ")+")")
		}
		if s := f.APIName + " LIKE '%a%'"; compiles(s, obj) {
			out = append(out, s, f.APIName+" NOT LIKE 'A%'", f.APIName+" LIKE '%.%'")
		}
	}
	return out
}

func compiles(s string, obj *catalog.Object) bool {
	_, err := filter.Compile(s, obj, filter.WithZone(time.UTC))
	return err == nil
}

// demoLiteral writes a record's value as a filter literal of the field's type.
func demoLiteral(f *catalog.Field, v any) string {
	if dv, ok := v.(driver.Valuer); ok {
		v, _ = dv.Value()
	}
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return fmt.Sprint(x)
	case time.Time:
		if f.Type == catalog.Date {
			return x.Format(time.DateOnly)
		}
		return x.UTC().Format(time.RFC3339Nano)
	case [16]byte:
		return "'" + fmt.Sprint(uuidText(x)) + "'"
	case string:
		if f.Type == catalog.Decimal || f.Type == catalog.Currency || f.Type == catalog.Percent {
			return x
		}
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case float32, float64:
		return strconv.FormatFloat(reflect.ValueOf(x).Float(), 'f', -1, 64)
	}
	if f.Type.References() {
		return "'" + fmt.Sprint(v) + "'"
	}
	return fmt.Sprint(v)
}

// TestPlainSchema filters a plain PostgreSQL schema (no CRM catalog): the
// types the introspection maps (small and big integers, floats, numeric,
// timestamp without zone, char, enum, CHECK-IN picklist, json, inet, an
// integer primary key and a foreign key to it).
func TestPlainSchema(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	pg, err := postgres.Open(ctx, dsn+"?timezone=UTC", "")
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for _, s := range []string{
		`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
		`CREATE TABLE region (id int PRIMARY KEY, name varchar(20) NOT NULL UNIQUE)`,
		`CREATE TABLE shop (id bigint PRIMARY KEY, title char(5), small int2, big int8, ratio float8, price numeric(10,2),
		  opened timestamp, mood mood, kind text CHECK (kind IN ('a', 'b''s')), meta jsonb, addr inet, active boolean,
		  region_id int REFERENCES region (id), uid uuid)`,
		`INSERT INTO region VALUES (1, 'North'), (2, 'South'), (3, 'O''Hare')`,
		`INSERT INTO shop SELECT g, 'T' || g % 4, (g % 7) - 3, g::int8 * 1000000000, g / 4.0, g * 1.25 - 5,
		  timestamp '2024-01-01 00:00' + g * interval '7 hours 30 minutes 0.25 seconds',
		  (ARRAY['sad','ok','happy'])[g % 3 + 1]::mood, (ARRAY['a','b''s',NULL])[g % 3 + 1],
		  jsonb_build_object('n', g), ('10.0.0.' || g)::inet, g % 2 = 0, NULLIF(g % 4, 0), md5(g::text)::uuid
		  FROM generate_series(1, 40) g`,
		`UPDATE shop SET ratio = NULL, price = NULL, opened = NULL, mood = NULL, meta = NULL WHERE id % 9 = 0`,
	} {
		if _, err := pg.Pool().Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	objs, err := pg.Objects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for i := range objs {
		total += agree(t, pg, nil, &objs[i])
	}
	if total < 100 {
		t.Errorf("only %d filters", total)
	}
	t.Logf("%d filters agreed on %d plain tables", total, len(objs))
}
