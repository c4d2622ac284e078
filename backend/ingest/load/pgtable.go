package load

import (
	"context"
	"fmt"
)

// pgColumn is one column of the target table as PostgreSQL's catalog has
// it: what COPY must send and what the loader can check before sending.
type pgColumn struct {
	name    string
	oid     uint32 // the type (a domain's base type)
	typtype byte   // 'b' base, 'e' enum, 'r' range, …
	array   bool   // an array type
	cast    string // the type to cast a text value to, e.g. "integer"
	notNull bool
}

// pgTable is what the loader reads once about the target table.
type pgTable struct {
	cols map[string]*pgColumn
	// uniques are the column lists of its unique indexes (constraints and
	// the primary key included) without a predicate or an expression.
	uniques [][]string
	// beforeInsert: a BEFORE INSERT row trigger may fill a NULL, so NOT
	// NULL is left to the server.
	beforeInsert bool
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

// readTable reads the table's columns, unique indexes and triggers. It
// runs on the pool, never inside a batch or rehearsal transaction: a
// failed catalog query must not abort one.
func readTable(ctx context.Context, q querier, name string) (*pgTable, error) {
	t := &pgTable{cols: map[string]*pgColumn{}}
	rows, err := q.Query(ctx, pgColumnsQuery, name)
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", name, err)
	}
	for rows.Next() {
		var c pgColumn
		var oid int64
		var typtype string
		if err := rows.Scan(&c.name, &oid, &typtype, &c.array, &c.cast, &c.notNull); err != nil {
			rows.Close()
			return nil, err
		}
		c.oid = uint32(oid)
		if typtype != "" {
			c.typtype = typtype[0]
		}
		t.cols[c.name] = &c
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
		t.uniques = append(t.uniques, cols)
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
		if err := rows.Scan(&t.beforeInsert); err != nil {
			rows.Close()
			return nil, err
		}
	}
	rows.Close()
	return t, rows.Err()
}

// types returns the columns named, in order; nil when one is unknown.
func (t *pgTable) types(names []string) []*pgColumn {
	out := make([]*pgColumn, len(names))
	for i, n := range names {
		if out[i] = t.cols[n]; out[i] == nil {
			return nil
		}
	}
	return out
}
