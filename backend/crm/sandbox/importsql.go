package sandbox

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
)

// Querier runs a query: a *sql.DB or *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// LookupRecords returns, for each of values, the idColumn values of the
// records of obj whose field f holds it (an ID field compared without
// case, as PostgreSQL compares UUIDs), 500 values per query.
func LookupRecords(ctx context.Context, q Querier, obj *catalog.Object, f *catalog.Field, idColumn string, values []string) (map[string][]string, error) {
	id := idColumn
	out := map[string][]string{}
	for start := 0; start < len(values); start += 500 {
		chunk := values[start:min(start+500, len(values))]
		args := make([]any, len(chunk))
		for i, v := range chunk {
			args[i] = v
		}
		col := crmdb.QuoteIdent(f.Column)
		match := col
		if f.Type == catalog.UUID || f.Type.References() {
			match = "lower(" + col + ")"
		}
		rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT CAST(%s AS TEXT), CAST(%s AS TEXT) FROM %s WHERE %s IN (?%s)",
			match, crmdb.QuoteIdent(id), crmdb.QuoteIdent(obj.Table), match, strings.Repeat(", ?", len(chunk)-1)), args...)
		if err != nil {
			return nil, fmt.Errorf("look up %s by %s: %w", obj.APIName, f.APIName, err)
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = append(out[k], v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReplaceTeam writes the related team of one record of object in tx: its
// team is emptied first when replace, then members are added.
func ReplaceTeam(ctx context.Context, tx Execer, object, recordID string, replace bool, members []crmdb.TeamMember) error {
	tm := crmdb.QuoteIdent(crmdb.TableTeamMembers)
	if replace {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+tm+" WHERE object = ? AND record_id = ?", object, recordID); err != nil {
			return err
		}
	}
	for _, m := range members {
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+tm+" (id, object, record_id, user_id, role) VALUES (?, ?, ?, ?, ?)",
			uuid.NewString(), object, m.RecordID, m.UserID, m.Role); err != nil {
			return err
		}
	}
	return nil
}

// InsertSQL is the INSERT of one record into table with cols, one ?
// parameter each.
func InsertSQL(table string, cols []string) string {
	if len(cols) == 0 {
		return ""
	}
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = crmdb.QuoteIdent(c)
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (?%s)", crmdb.QuoteIdent(table), strings.Join(q, ", "), strings.Repeat(", ?", len(cols)-1))
}

// UpdateSQL is the UPDATE of the record of table whose idCol is the last
// parameter: column i of cols takes one parameter, or two when keepable[i]
// (a boolean "keep the stored value", then the value).
func UpdateSQL(table, idCol string, cols []string, keepable []bool) string {
	set := make([]string, len(cols))
	for i, c := range cols {
		set[i] = crmdb.QuoteIdent(c) + " = ?"
		if keepable[i] {
			set[i] = fmt.Sprintf("%s = CASE WHEN ? THEN %s ELSE ? END", crmdb.QuoteIdent(c), crmdb.QuoteIdent(c))
		}
	}
	return fmt.Sprintf("UPDATE %s SET %s WHERE %s = ?", crmdb.QuoteIdent(table), strings.Join(set, ", "), crmdb.QuoteIdent(idCol))
}
