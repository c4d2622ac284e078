package postgres

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/query"
	"batchdesk/backend/filter"
)

// Rendering of a query.Read as the SELECT inside COPY (…) TO STDOUT. COPY
// runs on the simple protocol and binds no parameters: identifiers are
// quoted by crmdb.QuoteIdent, values are literals made by quoteLiteral (IDs are
// parsed as UUIDs first), and the filter renders its own literals.

// quoteLiteral is the one literal-escaping function (the filter's).
func quoteLiteral(s string) string { return filter.QuoteLiteral(s) }

// tableOf is the quoted, schema-qualified table of an object.
func tableOf(o *catalog.Object) string { return crmdb.ObjectTable(o) }

// col is alias.column, quoted.
func col(alias, column string) string { return alias + "." + crmdb.QuoteIdent(column) }

// colTypes maps column names to their base type names (timestamptz, bool, …).
type colTypes map[string]string

// selectSQL renders r with extra (a condition on alias t, "" for none)
// added to its restriction, ordered by id when ordered.
func (s *readSession) selectSQL(r *query.Read, types colTypes, extra string, ordered bool) (string, error) {
	sr := &sqlRender{s: s, types: types}
	cols := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		expr, err := sr.column(r, c)
		if err != nil {
			return "", err
		}
		cols[i] = expr
	}
	keyed := false
	for _, c := range r.Columns {
		keyed = keyed || c.Kind == query.MasterRowKey
	}
	where, err := sr.restriction(r, "t", !keyed)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "SELECT %s FROM %s t", strings.Join(cols, ", "), tableOf(r.Object))
	b.WriteString(sr.joins.String())
	if keyed {
		if r.Master == nil || r.Link == nil {
			return "", fmt.Errorf("%s: a master key column needs the master read", r.Object.APIName)
		}
		inner, err := sr.restriction(r.Master, "mp", true)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, " JOIN (SELECT mp.id, row_number() OVER (ORDER BY mp.id) AS k FROM %s mp WHERE %s) mk ON mk.id = %s",
			tableOf(r.Master.Object), inner, col("t", r.Link.Column))
	}
	if extra != "" {
		where = "(" + where + ") AND " + extra
	}
	b.WriteString(" WHERE " + where)
	if ordered && hasColumn(r.Object, "id") {
		b.WriteString(" ORDER BY t.id")
	}
	return b.String(), nil
}

// sqlRender collects the joins of one SELECT.
type sqlRender struct {
	s     *readSession
	types colTypes
	joins strings.Builder
	n     int // aliases used
}

func (sr *sqlRender) alias(prefix string) string {
	sr.n++
	return prefix + strconv.Itoa(sr.n)
}

// restriction is r's WHERE condition on alias a: filter, voided, IDs and,
// with master, the link into the master's records.
func (sr *sqlRender) restriction(r *query.Read, a string, master bool) (string, error) {
	var conds []string
	if r.Where != nil {
		c, err := r.Where.Postgres(a)
		if err != nil {
			return "", err
		}
		conds = append(conds, "("+c+")")
	}
	if r.SkipVoided && hasColumn(r.Object, "life_status") {
		conds = append(conds, col(a, "life_status")+" IS DISTINCT FROM "+quoteLiteral(crmdb.LifeInvalid))
	}
	if r.IDs != nil {
		c, err := idList(r.Object, a, r.IDs)
		if err != nil {
			return "", err
		}
		conds = append(conds, c)
	}
	if master && r.Master != nil {
		var links []string
		for _, ml := range append([]query.MasterLink{{Master: r.Master, Link: r.Link}}, r.Also...) {
			if ml.Link == nil || ml.Master == nil {
				return "", fmt.Errorf("%s: a detail read needs its link field", r.Object.APIName)
			}
			pa := sr.alias("p")
			inner, err := sr.restriction(ml.Master, pa, true)
			if err != nil {
				return "", err
			}
			links = append(links, fmt.Sprintf("%s IN (SELECT %s.id FROM %s %s WHERE %s)",
				col(a, ml.Link.Column), pa, tableOf(ml.Master.Object), pa, inner))
		}
		conds = append(conds, "("+strings.Join(links, " OR ")+")")
	}
	if len(conds) == 0 {
		return "TRUE", nil
	}
	return strings.Join(conds, " AND "), nil
}

// uuidArray renders ids as a uuid[] literal; every id must parse.
func uuidArray(ids []string) (string, error) {
	var b strings.Builder
	b.Grow(len(ids)*37 + 16)
	b.WriteString("'{")
	for i, id := range ids {
		u, err := uuid.Parse(id)
		if err != nil {
			return "", fmt.Errorf("record ID %q is not a UUID", truncate(id))
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(u.String())
	}
	b.WriteString("}'::uuid[]")
	return b.String(), nil
}

func truncate(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

// column renders one column's expression.
func (sr *sqlRender) column(r *query.Read, c query.Column) (string, error) {
	switch c.Kind {
	case query.RowKey:
		return "row_number() OVER (ORDER BY t.id)", nil
	case query.MasterRowKey:
		return "mk.k", nil
	case query.TeamIDs, query.TeamKeys:
		return sr.team(r, c)
	case query.RefKey:
		return sr.refKey(c)
	}
	f := c.Field
	if f == nil {
		return "", fmt.Errorf("%s: a value column without a field", r.Object.APIName)
	}
	if f.Type == catalog.RelatedTeam {
		return sr.team(r, query.Column{Kind: query.TeamIDs, Field: f})
	}
	x := col("t", f.Column)
	switch {
	case f.Type == catalog.DateTime:
		return datetime(x, sr.types[f.Column] == "timestamp"), nil
	case f.Type == catalog.Boolean || sr.types[f.Column] == "bool":
		return x + "::text", nil
	}
	if c.ExcelSafe {
		return excelSafe(x+"::text", true), nil
	}
	return x, nil
}

// datetime writes RFC 3339 in the session's zone: seconds, microseconds
// only when there are any, and the offset as ±hh:mm. An offset with
// seconds (local mean time before 1900 in some zones) cannot be written
// as ±hh:mm without moving the instant: such values are written in UTC.
// A timestamp without time zone is written without an offset.
func datetime(x string, naive bool) string {
	if naive {
		return fmt.Sprintf(`CASE WHEN date_trunc('second', %[1]s) = %[1]s THEN to_char(%[1]s, 'YYYY-MM-DD"T"HH24:MI:SS') `+
			`ELSE to_char(%[1]s, 'YYYY-MM-DD"T"HH24:MI:SS.US') END`, x)
	}
	return fmt.Sprintf(`CASE WHEN %[1]s IS NULL THEN NULL `+
		`WHEN extract(timezone FROM %[1]s)::int %% 60 <> 0 THEN to_char(%[1]s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') `+
		`WHEN date_trunc('second', %[1]s) = %[1]s THEN to_char(%[1]s, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') `+
		`ELSE to_char(%[1]s, 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM') END`, x)
}

// excelSafe prefixes a text that a spreadsheet would run as a formula. A
// simple x (a column) is tested with CASE; a computed one once, with a
// regular expression, so it is not evaluated three times.
func excelSafe(x string, simple bool) string {
	if simple {
		return fmt.Sprintf(`CASE WHEN left(%[1]s, 1) IN ('=', '+', '-', '@') THEN '''' || %[1]s ELSE %[1]s END`, x)
	}
	return fmt.Sprintf(`regexp_replace(%s, '^([=+@-])', '''\1')`, x)
}

// keyExpr is the first non-empty key field of alias a, as text.
func keyExpr(a string, keys []*catalog.Field) []string {
	var parts []string
	for _, k := range keys {
		if k.Column != "" {
			parts = append(parts, "NULLIF("+col(a, k.Column)+"::text, '')")
		}
	}
	return parts
}

// refKey joins the referenced table and writes its key, else the ID.
func (sr *sqlRender) refKey(c query.Column) (string, error) {
	f := c.Field
	if f == nil || c.Target == nil {
		return "", fmt.Errorf("a lookup key column without its field and target")
	}
	x := col("t", f.Column)
	if len(keyExpr("", c.Keys)) == 0 || !hasColumn(c.Target, "id") {
		return x, nil
	}
	a := sr.alias("r")
	parts := keyExpr(a, c.Keys)
	fmt.Fprintf(&sr.joins, " LEFT JOIN %s %s ON %s.id = %s", tableOf(c.Target), a, a, x)
	e := "COALESCE(" + strings.Join(append(parts, x+"::text"), ", ") + ")"
	if c.ExcelSafe {
		return excelSafe(e, false), nil
	}
	return e, nil
}

// team aggregates a related-team field's members of one role.
func (sr *sqlRender) team(r *query.Read, c query.Column) (string, error) {
	f := c.Field
	if f == nil || f.TeamRole == "" {
		return "", fmt.Errorf("%s: a team column without its role", r.Object.APIName)
	}
	m, u := sr.alias("m"), sr.alias("u")
	val := u + ".id::text"
	if c.Kind == query.TeamKeys {
		if parts := keyExpr(u, c.Keys); len(parts) > 0 {
			val = "COALESCE(" + strings.Join(append(parts, val), ", ") + ")"
		}
	}
	e := fmt.Sprintf("(SELECT string_agg(%[1]s, ';' ORDER BY %[1]s) FROM %[2]s %[3]s JOIN %[4]s %[5]s ON %[5]s.id = %[3]s.user_id "+
		"WHERE %[3]s.object = %[6]s AND %[3]s.record_id = t.id AND %[3]s.role = %[7]s)",
		val, crmdb.QuoteIdent(crmdb.PGSchema, crmdb.TableTeamMembers), m,
		crmdb.QuoteIdent(crmdb.PGSchema, crmdb.TableUsers), u,
		quoteLiteral(r.Object.APIName), quoteLiteral(f.TeamRole))
	if c.ExcelSafe {
		return excelSafe(e, false), nil
	}
	return e, nil
}

// hasColumn reports whether o has a field stored in column name.
func hasColumn(o *catalog.Object, name string) bool {
	for _, f := range o.Fields {
		if f.Column == name {
			return true
		}
	}
	return false
}
