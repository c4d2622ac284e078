package sandbox

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/query"
)

var _ query.Session = (*readSession)(nil)

// readSession is one read transaction on one connection: SQLite (WAL)
// gives it one snapshot from its first read to its end.
type readSession struct {
	conn *sql.Conn
	zone *time.Location
}

// BeginRead starts a consistent read of the sandbox for an export. Writers
// are not blocked; they are not seen either. Close it.
func (t *Target) BeginRead(ctx context.Context, opt query.Options) (query.Session, error) {
	zone := time.UTC
	if opt.Zone != "" {
		z, err := time.LoadLocation(opt.Zone)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "unknown time zone %q", opt.Zone)
		}
		zone = z
	}
	conn, err := t.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("open the sandbox for the export: %w", err)
	}
	// A deferred transaction: BeginTx would take the write lock (the DSN
	// asks for immediate transactions, which writers need).
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("begin the export's read: %w", err)
	}
	return &readSession{conn: conn, zone: zone}, nil
}

// Close ends the read.
func (s *readSession) Close() error {
	if s.conn == nil {
		return nil
	}
	_, _ = s.conn.ExecContext(context.Background(), "ROLLBACK")
	err := s.conn.Close()
	s.conn = nil
	return err
}

// Estimate counts the object's records (an upper bound of what Copy writes).
func (s *readSession) Estimate(ctx context.Context, r *query.Read) (int64, error) {
	var n int64
	if err := s.conn.QueryRowContext(ctx, "SELECT count(*) FROM "+crmdb.SQLite.Table(r.Object.Table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", r.Object.APIName, err)
	}
	if r.IDs != nil && int64(len(r.IDs)) < n {
		n = int64(len(r.IDs))
	}
	return n, nil
}

// Copy writes r's records in ID order as CSV.
func (s *readSession) Copy(ctx context.Context, r *query.Read, w io.Writer, progress query.Progress) (int64, error) {
	if s.conn == nil {
		return 0, errors.New("the export's read is closed")
	}
	q, args, err := selectSQL(r)
	if err != nil {
		return 0, err
	}
	rows, err := s.conn.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", r.Object.APIName, err)
	}
	defer rows.Close()
	cells := make([]sql.NullString, len(r.Columns))
	dest := make([]any, len(cells))
	for i := range cells {
		dest[i] = &cells[i]
	}
	record := make([]string, len(cells))
	cw := csv.NewWriter(w)
	var n int64
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return n, fmt.Errorf("read %s: %w", r.Object.APIName, err)
		}
		for i, c := range r.Columns {
			if record[i], err = s.cell(c, cells[i]); err != nil {
				return n, fmt.Errorf("read %s: %w", r.Object.APIName, err)
			}
		}
		if err := cw.Write(record); err != nil {
			return n, err
		}
		if n++; n%10000 == 0 {
			if cw.Flush(); cw.Error() != nil {
				return n, cw.Error()
			}
			if progress != nil {
				progress(n)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read %s: %w", r.Object.APIName, err)
	}
	cw.Flush()
	if progress != nil {
		progress(n)
	}
	return n, cw.Error()
}

// cell formats one stored value as the importer reads it back.
func (s *readSession) cell(c query.Column, v sql.NullString) (string, error) {
	if !v.Valid {
		return "", nil
	}
	out := v.String
	if c.Kind == query.Value && c.Field != nil {
		switch c.Field.Type {
		case catalog.DateTime:
			t, err := time.Parse(time.RFC3339Nano, out)
			if err != nil {
				return "", fmt.Errorf("%s: stored datetime %q: %w", c.Field.APIName, out, err)
			}
			return FormatDateTime(t, s.zone), nil
		case catalog.Boolean:
			switch out {
			case "1":
				return "true", nil
			case "0":
				return "false", nil
			}
		case catalog.Decimal, catalog.Currency, catalog.Percent:
			return crmdb.FullScale(out, c.Field.Scale), nil
		}
	}
	if c.ExcelSafe && out != "" && strings.ContainsRune("=+-@", rune(out[0])) {
		out = "'" + out
	}
	return out, nil
}

// FormatDateTime writes t as RFC 3339 in zone: microseconds only when there
// are any, the offset as ±hh:mm. An offset with seconds (local mean time
// before 1900 in some zones) would move the instant: such values are
// written in UTC, with microseconds. The PostgreSQL target writes the same.
func FormatDateTime(t time.Time, zone *time.Location) string {
	t = t.In(zone)
	if _, off := t.Zone(); off%60 != 0 {
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	if t.Nanosecond()/1000 != 0 {
		return t.Format("2006-01-02T15:04:05.000000-07:00")
	}
	return t.Format("2006-01-02T15:04:05-07:00")
}

func col(alias, column string) string { return alias + "." + crmdb.QuoteIdent(column) }

// selectSQL renders r for SQLite, with its parameters.
func selectSQL(r *query.Read) (string, []any, error) {
	sr := &sqlRender{}
	cols := make([]string, len(r.Columns))
	keyed := false
	for i, c := range r.Columns {
		expr, err := sr.column(r, c)
		if err != nil {
			return "", nil, err
		}
		cols[i] = expr
		keyed = keyed || c.Kind == query.MasterRowKey
	}
	var b strings.Builder
	fmt.Fprintf(&b, "SELECT %s FROM %s t%s", strings.Join(cols, ", "), crmdb.SQLite.Table(r.Object.Table), sr.joins.String())
	args := sr.colArgs
	if keyed {
		if r.Master == nil || r.Link == nil {
			return "", nil, fmt.Errorf("%s: a master key column needs the master read", r.Object.APIName)
		}
		inner, innerArgs, err := sr.restriction(r.Master, "mp", true)
		if err != nil {
			return "", nil, err
		}
		fmt.Fprintf(&b, " JOIN (SELECT mp.id, row_number() OVER (ORDER BY mp.id) AS k FROM %s mp WHERE %s) mk ON mk.id = %s",
			crmdb.SQLite.Table(r.Master.Object.Table), inner, col("t", r.Link.Column))
		args = append(args, innerArgs...)
	}
	where, whereArgs, err := sr.restriction(r, "t", !keyed)
	if err != nil {
		return "", nil, err
	}
	b.WriteString(" WHERE " + where)
	if hasColumn(r.Object, "id") {
		b.WriteString(" ORDER BY t.id")
	}
	return b.String(), append(args, whereArgs...), nil
}

// sqlRender collects the joins of one SELECT and the parameters of its
// columns (which come first in the statement).
type sqlRender struct {
	joins   strings.Builder
	colArgs []any
	n       int
}

func (sr *sqlRender) alias(prefix string) string {
	sr.n++
	return prefix + strconv.Itoa(sr.n)
}

func (sr *sqlRender) restriction(r *query.Read, a string, master bool) (string, []any, error) {
	var conds []string
	var args []any
	if r.Where != nil {
		c, cargs, err := r.Where.SQLite(a)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, "("+c+")")
		args = append(args, cargs...)
	}
	if r.SkipVoided && hasColumn(r.Object, "life_status") {
		conds = append(conds, col(a, "life_status")+" IS NOT ?")
		args = append(args, crmdb.LifeInvalid)
	}
	if r.IDs != nil {
		ids := make([]string, len(r.IDs))
		for i, id := range r.IDs {
			u, err := uuid.Parse(id)
			if err != nil {
				return "", nil, fmt.Errorf("record ID %q is not a UUID", id)
			}
			ids[i] = u.String()
		}
		js, err := json.Marshal(ids)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, col(a, "id")+" IN (SELECT value FROM json_each(?))")
		args = append(args, string(js))
	}
	if master && r.Master != nil {
		var links []string
		for _, ml := range append([]query.MasterLink{{Master: r.Master, Link: r.Link}}, r.Also...) {
			if ml.Link == nil || ml.Master == nil {
				return "", nil, fmt.Errorf("%s: a detail read needs its link field", r.Object.APIName)
			}
			pa := sr.alias("p")
			inner, innerArgs, err := sr.restriction(ml.Master, pa, true)
			if err != nil {
				return "", nil, err
			}
			links = append(links, fmt.Sprintf("%s IN (SELECT %s.id FROM %s %s WHERE %s)",
				col(a, ml.Link.Column), pa, crmdb.SQLite.Table(ml.Master.Object.Table), pa, inner))
			args = append(args, innerArgs...)
		}
		conds = append(conds, "("+strings.Join(links, " OR ")+")")
	}
	if len(conds) == 0 {
		return "1", nil, nil
	}
	return strings.Join(conds, " AND "), args, nil
}

func (sr *sqlRender) column(r *query.Read, c query.Column) (string, error) {
	switch c.Kind {
	case query.RowKey:
		return "row_number() OVER (ORDER BY t.id)", nil
	case query.MasterRowKey:
		return "mk.k", nil
	case query.TeamIDs, query.TeamKeys:
		return sr.team(r, c)
	case query.RefKey:
		if c.Field == nil || c.Target == nil {
			return "", errors.New("a lookup key column without its field and target")
		}
		x := col("t", c.Field.Column)
		a := sr.alias("r")
		parts := keyParts(a, c.Keys)
		if len(parts) == 0 {
			return x, nil
		}
		fmt.Fprintf(&sr.joins, " LEFT JOIN %s %s ON %s.id = %s", crmdb.SQLite.Table(c.Target.Table), a, a, x)
		return "COALESCE(" + strings.Join(append(parts, x), ", ") + ")", nil
	}
	if c.Field == nil {
		return "", fmt.Errorf("%s: a value column without a field", r.Object.APIName)
	}
	if c.Field.Type == catalog.RelatedTeam {
		return sr.team(r, query.Column{Kind: query.TeamIDs, Field: c.Field})
	}
	return col("t", c.Field.Column), nil
}

func keyParts(a string, keys []*catalog.Field) []string {
	var parts []string
	for _, k := range keys {
		if k.Column != "" {
			parts = append(parts, "NULLIF(CAST("+col(a, k.Column)+" AS TEXT), '')")
		}
	}
	return parts
}

func (sr *sqlRender) team(r *query.Read, c query.Column) (string, error) {
	if c.Field == nil || c.Field.TeamRole == "" {
		return "", fmt.Errorf("%s: a team column without its role", r.Object.APIName)
	}
	m, u := sr.alias("m"), sr.alias("u")
	val := u + ".id"
	if c.Kind == query.TeamKeys {
		if parts := keyParts(u, c.Keys); len(parts) > 0 {
			val = "COALESCE(" + strings.Join(append(parts, val), ", ") + ")"
		}
	}
	sr.colArgs = append(sr.colArgs, r.Object.APIName, c.Field.TeamRole)
	return fmt.Sprintf("(SELECT group_concat(%[1]s, ';' ORDER BY %[1]s) FROM %[2]s %[3]s JOIN %[4]s %[5]s ON %[5]s.id = %[3]s.user_id "+
		"WHERE %[3]s.object = ? AND %[3]s.record_id = t.id AND %[3]s.role = ?)",
		val, crmdb.SQLite.Table(crmdb.TableTeamMembers), m, crmdb.SQLite.Table(crmdb.TableUsers), u), nil
}

func hasColumn(o *catalog.Object, name string) bool {
	for _, f := range o.Fields {
		if f.Column == name {
			return true
		}
	}
	return false
}
