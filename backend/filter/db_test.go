package filter_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/filter"
	"batchdesk/backend/pgtest"
)

// weird is a hostile column (and API) name.
const weird = `we"ird;--col`

// thing is a test object with one field of each filterable class, plus a
// related-team field and a hostile field name.
func thing() *catalog.Object {
	f := func(api string, t catalog.FieldType, mods ...func(*catalog.Field)) catalog.Field {
		fl := catalog.Field{APIName: api, LabelEN: api, Type: t, Column: api}
		for _, m := range mods {
			m(&fl)
		}
		return fl
	}
	opts := func(f *catalog.Field) {
		f.Options = []catalog.Option{{Value: "A", LabelEN: "Alpha", LabelZH: "甲"},
			{Value: "B", LabelEN: "Beta", LabelZH: "乙"}, {Value: "It's", LabelEN: "Its"},
			{Value: "100%", LabelEN: "Full"}}
	}
	return &catalog.Object{APIName: "Thing", Table: "thing", Fields: []catalog.Field{
		f("id", catalog.UUID),
		f("name", catalog.Text, func(f *catalog.Field) { f.MaxLength = 255 }),
		f("note", catalog.LongText),
		f("stage", catalog.Picklist, opts),
		f("tags", catalog.MultiPicklist, opts),
		f("qty", catalog.Integer),
		f("amount", catalog.Decimal, func(f *catalog.Field) { f.Precision, f.Scale = 18, 4 }),
		f("day", catalog.Date),
		f("at", catalog.DateTime),
		f("flag", catalog.Boolean),
		f("ref", catalog.Lookup, func(f *catalog.Field) { f.Target = "Thing" }),
		f(weird, catalog.Text),
		f("team", catalog.RelatedTeam, func(f *catalog.Field) { f.Column = "" }),
	}}
}

func id(n int) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "thing/%d", n)).String()
}

// thingRows are the test records, typed as Match takes them. Values are
// picked so that text sorts, fractions of seconds, negative decimals and
// NULLs all matter.
func thingRows() []map[string]any {
	names := []any{"Alpha", "alpha", "O'Brien", `back\slash`, "100%_done", "日本語", "", "$$x$$",
		"E'x", "a;--b", "Zed", "*?[glob]", nil, "Ünïcode", "tab\there", "Alp"}
	qtys := []any{int64(0), int64(-5), int64(7), int64(1000000), nil, int64(2147483647), int64(7)}
	amounts := []any{"0", "-1.5", "1.5", "12.34", "99999999999.9999", "0.0001", nil, "-0.0001", "12.3400",
		"12345678901234.0001", "12345678901234.0002", "-12345678901234.0001", "-12345678901234.0002", "12345678901234"}
	days := []any{"2024-01-31", "1999-12-31", "2024-02-29", nil, "2024-01-30"}
	ats := []any{time.Date(2024, 1, 31, 10, 0, 0, 0, time.UTC), time.Date(2024, 1, 31, 10, 0, 0, 500000000, time.UTC),
		time.Date(2024, 1, 31, 9, 59, 59, 999999000, time.UTC), nil, time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)}
	flags := []any{true, false, nil}
	stages := []any{"A", "B", "It's", nil, "100%"}
	tags := []any{"A", "A;B", "It's", nil, "B;100%", "100%;A;It's"}
	var rows []map[string]any
	for i := range len(names) {
		var ref any
		if i%3 != 0 {
			ref = id((i * 7) % len(names))
		}
		rows = append(rows, map[string]any{
			"id": id(i), "name": names[i], "note": names[(i+5)%len(names)],
			"stage": stages[i%len(stages)], "tags": tags[i%len(tags)], "qty": qtys[i%len(qtys)],
			"amount": amounts[i%len(amounts)], "day": days[i%len(days)], "at": ats[i%len(ats)],
			"flag": flags[i%len(flags)], "ref": ref, weird: names[(i+3)%len(names)],
		})
	}
	return rows
}

// dbs holds the thing table in PostgreSQL and in SQLite.
type dbs struct {
	pg   *pgxpool.Pool
	lite *sql.DB
	obj  *catalog.Object
	rows []map[string]any
}

var thingCols = []string{"id", "name", "note", "stage", "tags", "qty", "amount", "day", "at", "flag", "ref", weird}

func openDBs(t testing.TB) *dbs {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	q := func(s string) string { return filter.QuoteIdent(s) }
	pgDDL := []string{
		`CREATE TYPE stage_enum AS ENUM ('A', 'B', 'It''s', '100%')`,
		`CREATE TABLE thing (id uuid PRIMARY KEY, name varchar(255), note text, stage stage_enum, tags text,
		  qty integer, amount numeric(18,4), day date, at timestamptz, flag boolean, ref uuid, ` + q(weird) + ` text)`,
	}
	for _, s := range pgDDL {
		if _, err := pool.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	lite, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "thing.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	if _, err := lite.Exec(`CREATE TABLE thing (id TEXT PRIMARY KEY, name TEXT, note TEXT, stage TEXT, tags TEXT,
		qty INTEGER, amount TEXT, day TEXT, at TEXT, flag INTEGER, ref TEXT, ` + q(weird) + ` TEXT) STRICT`); err != nil {
		t.Fatal(err)
	}
	d := &dbs{pg: pool, lite: lite, obj: thing(), rows: thingRows()}
	quoted := make([]string, len(thingCols))
	pgParams, liteParams := make([]string, len(thingCols)), make([]string, len(thingCols))
	for i, c := range thingCols {
		quoted[i] = q(c)
		pgParams[i] = fmt.Sprintf("$%d", i+1)
		liteParams[i] = "?"
	}
	pgIns := fmt.Sprintf("INSERT INTO thing (%s) VALUES (%s)", strings.Join(quoted, ", "), strings.Join(pgParams, ", "))
	liteIns := fmt.Sprintf("INSERT INTO thing (%s) VALUES (%s)", strings.Join(quoted, ", "), strings.Join(liteParams, ", "))
	for _, r := range d.rows {
		pv, lv := make([]any, len(thingCols)), make([]any, len(thingCols))
		for i, c := range thingCols {
			pv[i], lv[i] = r[c], r[c]
			switch x := r[c].(type) {
			case time.Time:
				lv[i] = crmdb.FormatTime(x)
			case bool:
				lv[i] = crmdb.SQLite.Bool(x)
			}
		}
		if _, err := pool.Exec(ctx, pgIns, pv...); err != nil {
			t.Fatalf("insert pg %v: %v", r, err)
		}
		if _, err := lite.Exec(liteIns, lv...); err != nil {
			t.Fatalf("insert sqlite %v: %v", r, err)
		}
	}
	return d
}

// selected runs c on both databases and in Go and returns the three id
// lists, sorted.
func (d *dbs) selected(t testing.TB, c *filter.Cond) (pg, lite, match []string) {
	t.Helper()
	ctx := context.Background()
	where, err := c.Postgres("t")
	if err != nil {
		t.Fatalf("%s: postgres: %v", c, err)
	}
	rows, err := d.pg.Query(ctx, "SELECT id::text FROM thing t WHERE "+where)
	if err != nil {
		t.Fatalf("%s: postgres %s: %v", c, where, err)
	}
	pg, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%s: postgres %s: %v", c, where, err)
	}
	lwhere, args, err := c.SQLite("t")
	if err != nil {
		t.Fatalf("%s: sqlite: %v", c, err)
	}
	lrows, err := d.lite.Query("SELECT id FROM thing t WHERE "+lwhere, args...)
	if err != nil {
		t.Fatalf("%s: sqlite %s: %v", c, lwhere, err)
	}
	defer lrows.Close()
	lite = []string{}
	for lrows.Next() {
		var s string
		if err := lrows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		lite = append(lite, s)
	}
	if err := lrows.Err(); err != nil {
		t.Fatal(err)
	}
	match = []string{}
	for _, r := range d.rows {
		ok, err := c.Match(r)
		if err != nil {
			t.Fatalf("%s: match: %v", c, err)
		}
		if ok {
			match = append(match, r["id"].(string))
		}
	}
	if pg == nil {
		pg = []string{}
	}
	slices.Sort(pg)
	slices.Sort(lite)
	slices.Sort(match)
	return pg, lite, match
}

// check compiles text, checks the round trips and that both databases select
// exactly what Match selects; it returns how many rows matched.
func (d *dbs) check(t *testing.T, text string) int {
	t.Helper()
	c, err := filter.Compile(text, d.obj, filter.WithZone(time.UTC))
	if err != nil {
		t.Fatalf("compile %q: %v", text, err)
	}
	again, err := filter.Compile(c.String(), d.obj, filter.WithZone(time.UTC))
	if err != nil || again.String() != c.String() {
		t.Fatalf("String round trip of %q: %q → %v, %v", text, c.String(), again, err)
	}
	js, err := c.MarshalJSON()
	if err != nil {
		t.Fatalf("json %q: %v", text, err)
	}
	fromJS, err := filter.FromJSON(js, d.obj)
	if err != nil || fromJS.String() != c.String() {
		t.Fatalf("JSON round trip of %q: %s → %v, %v", text, js, fromJS, err)
	}
	pg, lite, match := d.selected(t, c)
	if !slices.Equal(pg, match) || !slices.Equal(lite, match) {
		where, _ := c.Postgres("t")
		lwhere, args, _ := c.SQLite("t")
		t.Fatalf("%s\n postgres %s → %d rows %v\n sqlite %s %v → %d rows %v\n match → %d rows %v",
			text, where, len(pg), pg, lwhere, args, len(lite), lite, len(match), match)
	}
	return len(match)
}

// atoms are comparisons of every field with every operator its type takes,
// against values present in the rows and absent from them.
func atoms(obj *catalog.Object) []string {
	lits := map[string][]string{
		"name":  {`'Alpha'`, `'alpha'`, `'O''Brien'`, `'back\slash'`, `''`, `'日本語'`, `'$$x$$'`, `'E''x'`, `'a;--b'`, `'zzz'`, `'Alp'`},
		"note":  {`'Zed'`, `''`, `'Ünïcode'`},
		"stage": {`'A'`, `'beta'`, `'Its'`, `'甲'`, `'100%'`},
		"tags":  {`'A'`, `'B'`, `'It''s'`, `'100%'`},
		"qty":   {`0`, `-5`, `7`, `1000000`, `2147483647`, `-9223372036854775808`, `9223372036854775807`},
		"amount": {`0`, `-1.5`, `1.5`, `12.34`, `12.340000`, `99999999999.9999`, `0.0001`, `-0.0001`,
			`100000000000000000000000000000`, `12345678901234.0001`, `12345678901234.00015`, `-12345678901234.0001`,
			`-12345678901234.00015`, `12345678901234`, `-12345678901234.0002`, `-0`},
		"day":  {`2024-01-31`, `'1999-12-31'`, `2024-02-29`, `2000-01-01`},
		"at":   {`2024-01-31T10:00:00Z`, `2024-01-31T10:00:00.5Z`, `2024-01-31T10:00`, `'2024-01-31T18:00:00+08:00'`, `2024-01-31T09:59:59.999999Z`, `2024-01-31`},
		"flag": {`true`, `FALSE`},
		"ref":  {`'` + id(1) + `'`, `'` + strings.ToUpper(id(7)) + `'`, `'` + id(99) + `'`},
		"id":   {`'` + id(0) + `'`, `'` + id(5) + `'`},
		weird:  {`'Alpha'`, `'a;--b'`, `'*?[glob]'`},
	}
	likes := []string{`'A%'`, `'%a%'`, `'_lpha'`, `'%\%%'`, `'%\_%'`, `'%*%'`, `'%?%'`, `'[%'`, `'*?[glob]'`,
		`'%\\%'`, `'%''%'`, `'%'`, `''`, `'日%'`, `'%$$%'`, `'alp%'`, `'Alp'`, `'___'`}
	ops := []string{"=", "!=", "<", "<=", ">", ">="}
	var out []string
	for _, f := range obj.Fields {
		name := filter.QuoteIdent(f.APIName)
		if f.APIName != weird {
			name = f.APIName
		}
		vals := lits[f.APIName]
		if len(vals) == 0 {
			continue
		}
		probe := func(s string) bool {
			_, err := filter.Compile(s, obj)
			return err == nil
		}
		out = append(out, name+" IS NULL", name+" IS NOT NULL")
		for _, op := range ops {
			for _, v := range vals {
				if s := name + " " + op + " " + v; probe(s) {
					out = append(out, s)
				}
			}
		}
		if s := name + " IN (" + strings.Join(vals, ", ") + ")"; probe(s) {
			out = append(out, s, name+" NOT IN ("+strings.Join(vals, ", ")+")", name+" IN ("+vals[0]+")")
		}
		if f.Type == catalog.Text || f.Type == catalog.LongText {
			for _, p := range likes {
				out = append(out, name+" LIKE "+p, name+" NOT LIKE "+p)
			}
		}
	}
	return out
}

// TestDatabasesAgree runs every atom and random combinations of them on real
// PostgreSQL and SQLite and compares the selected ids with Match.
func TestDatabasesAgree(t *testing.T) {
	d := openDBs(t)
	as := atoms(d.obj)
	if len(as) < 300 {
		t.Fatalf("only %d atoms", len(as))
	}
	nonTrivial := 0
	for _, a := range as {
		if n := d.check(t, a); n > 0 && n < len(d.rows) {
			nonTrivial++
		}
	}
	t.Logf("%d atoms, %d select some but not all of %d rows", len(as), nonTrivial, len(d.rows))
	if nonTrivial < len(as)/2 {
		t.Errorf("only %d of %d atoms select some but not all rows", nonTrivial, len(as))
	}
	rnd := rand.New(rand.NewSource(1))
	var combo func(depth int) string
	combo = func(depth int) string {
		if depth == 0 || rnd.Intn(3) == 0 {
			return as[rnd.Intn(len(as))]
		}
		switch rnd.Intn(3) {
		case 0:
			return "NOT (" + combo(depth-1) + ")"
		case 1:
			return "(" + combo(depth-1) + " AND " + combo(depth-1) + ")"
		}
		return combo(depth-1) + " or " + combo(depth-1)
	}
	for range 400 {
		d.check(t, combo(4))
	}
}
