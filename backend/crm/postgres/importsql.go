package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
)

// The SQL an import runs on PostgreSQL besides writing its batches: bulk
// lookups of records by a field, and what the loader reads once about the
// target table. The loader (backend/ingest/load) calls these on its pool or
// its rehearsal transaction.

// Querier runs a query: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// LookupRecords returns, for each of values, the idColumn values (as text)
// of the records of obj whose field f holds it; values must already have
// the column's shape (UUIDs for an ID field, integers for an integer).
func LookupRecords(ctx context.Context, q Querier, obj *catalog.Object, f *catalog.Field, idColumn string, values []string) (map[string][]string, error) {
	sql := fmt.Sprintf("SELECT %s::text, %s::text FROM %s WHERE %s = ANY($1::%s)",
		crmdb.QuoteIdent(f.Column), crmdb.QuoteIdent(idColumn), crmdb.ObjectTable(obj),
		crmdb.QuoteIdent(f.Column), arrayType(f))
	rows, err := q.Query(ctx, sql, values)
	if err != nil {
		return nil, fmt.Errorf("look up %s by %s: %w", obj.APIName, f.APIName, err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = append(out[k], v)
	}
	return out, rows.Err()
}

// arrayType is the array type a field's values are bound as in
// `col = ANY($1::T)`.
func arrayType(f *catalog.Field) string {
	switch {
	case f.Type == catalog.UUID || f.Type.References():
		return "uuid[]"
	case f.Type == catalog.Integer:
		return "bigint[]"
	}
	return "text[]"
}

// Column is one column of a table as PostgreSQL's catalog has it: what a
// COPY must send and what can be checked before sending.
type Column struct {
	Name    string
	OID     uint32 // the type (a domain's base type)
	TypType byte   // 'b' base, 'e' enum, 'r' range, …
	Array   bool   // an array type
	Cast    string // the type to cast a text value to, e.g. "integer"
	NotNull bool
}

// TableInfo is what ReadTable reads about a table.
type TableInfo struct {
	Columns map[string]*Column
	// Uniques are the column lists of its unique indexes (constraints and
	// the primary key included) without a predicate or an expression.
	Uniques [][]string
	// BeforeInsert: a BEFORE INSERT row trigger may fill a NULL, so NOT
	// NULL is left to the server.
	BeforeInsert bool
}

const pgColumnsQuery = `
SELECT a.attname::text, bt.oid::int8, bt.typtype::text, bt.typcategory = 'A',
       format_type(bt.oid, NULL), a.attnotnull
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`

const pgUniquesQuery = `
SELECT array_agg(a.attname::text ORDER BY k.ord)
FROM pg_catalog.pg_index i
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = $1::regclass AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
  AND k.ord <= i.indnkeyatts
GROUP BY i.indexrelid`

// pgBeforeInsertQuery: row (1) + before (2) + insert (4) triggers.
const pgBeforeInsertQuery = `
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
               WHERE tgrelid = $1::regclass AND NOT tgisinternal AND tgtype & 7 = 7)`

// ReadTable reads the columns, unique indexes and triggers of the table
// name (quoted, schema-qualified). Run it on the pool, never inside a batch
// or rehearsal transaction: a failed catalog query must not abort one.
func ReadTable(ctx context.Context, q Querier, name string) (*TableInfo, error) {
	t := &TableInfo{Columns: map[string]*Column{}}
	rows, err := q.Query(ctx, pgColumnsQuery, name)
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", name, err)
	}
	for rows.Next() {
		var c Column
		var oid int64
		var typtype string
		if err := rows.Scan(&c.Name, &oid, &typtype, &c.Array, &c.Cast, &c.NotNull); err != nil {
			rows.Close()
			return nil, err
		}
		c.OID = uint32(oid)
		if typtype != "" {
			c.TypType = typtype[0]
		}
		t.Columns[c.Name] = &c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, pgUniquesQuery, name)
	if err != nil {
		return nil, fmt.Errorf("read the unique indexes of %s: %w", name, err)
	}
	for rows.Next() {
		var cols []string
		if err := rows.Scan(&cols); err != nil {
			rows.Close()
			return nil, err
		}
		t.Uniques = append(t.Uniques, cols)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, pgBeforeInsertQuery, name)
	if err != nil {
		return nil, fmt.Errorf("read the triggers of %s: %w", name, err)
	}
	for rows.Next() {
		if err := rows.Scan(&t.BeforeInsert); err != nil {
			rows.Close()
			return nil, err
		}
	}
	rows.Close()
	return t, rows.Err()
}

// ReplaceTeams writes related teams of object's records in tx: the teams of
// the records replace are emptied first, then members are added (by one
// COPY). schema is the CRM's schema ("" = crm).
func ReplaceTeams(ctx context.Context, tx pgx.Tx, schema, object string, replace []string, members []crmdb.TeamMember) error {
	if schema == "" {
		schema = crmdb.PGSchema
	}
	if len(replace) > 0 {
		if _, err := tx.Exec(ctx, "DELETE FROM "+crmdb.QuoteIdent(schema, crmdb.TableTeamMembers)+
			" WHERE object = $1 AND record_id = ANY($2::uuid[])", object, replace); err != nil {
			return err
		}
	}
	if len(members) == 0 {
		return nil
	}
	rows := make([][]any, len(members))
	for i, m := range members {
		rows[i] = []any{object, uuidValue(m.RecordID), uuidValue(m.UserID), m.Role}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{schema, crmdb.TableTeamMembers},
		[]string{"object", "record_id", "user_id", "role"}, pgx.CopyFromRows(rows))
	return err
}

// uuidValue binds s as a uuid (as text when it is not one: the server then
// says why).
func uuidValue(s string) any {
	u, err := uuid.Parse(s)
	if err != nil {
		return s
	}
	return pgtype.UUID{Bytes: u, Valid: true}
}

// StagingSQL creates (once per transaction) the temporary staging table
// stage of updates into table (quoted): the columns cols (the record's
// identity first) as table has them, bd_keep, an array marking per row the
// columns whose blank cell leaves the stored value alone, and bd_ord, the
// row's place in its batch.
func StagingSQL(stage, table string, cols []string) string {
	return fmt.Sprintf("CREATE TEMP TABLE IF NOT EXISTS %s ON COMMIT DROP AS SELECT %s, NULL::boolean[] AS bd_keep, NULL::int4 AS bd_ord FROM %s WITH NO DATA",
		crmdb.QuoteIdent(stage), quoteAll(cols), table)
}

// UpdateFromSQL applies the rows of the staging table stage to table
// (quoted) with one UPDATE … FROM, matching idCol: column i of cols keeps
// the stored value where the row's bd_keep[i+1] says so, when keepable[i].
// picked: only the staged rows whose bd_ord is in $1 (int4[]).
func UpdateFromSQL(table, stage, idCol string, cols []string, keepable []bool, picked bool) string {
	id := crmdb.QuoteIdent(idCol)
	set := make([]string, len(cols))
	for i, c := range cols {
		q := crmdb.QuoteIdent(c)
		if keepable[i] {
			set[i] = fmt.Sprintf("%s = CASE WHEN s.bd_keep[%d] THEN t.%s ELSE s.%s END", q, i+1, q, q)
		} else {
			set[i] = fmt.Sprintf("%s = s.%s", q, q)
		}
	}
	from := crmdb.QuoteIdent(stage) + " AS s"
	if picked {
		from = fmt.Sprintf("(SELECT s.* FROM %s AS s JOIN unnest($1::int4[]) AS p(o) ON s.bd_ord = p.o) AS s", crmdb.QuoteIdent(stage))
	}
	return fmt.Sprintf("UPDATE %s AS t SET %s FROM %s WHERE t.%s = s.%s", table, strings.Join(set, ", "), from, id, id)
}

// quoteAll quotes each column, joined by ", ".
func quoteAll(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = crmdb.QuoteIdent(c)
	}
	return strings.Join(q, ", ")
}
