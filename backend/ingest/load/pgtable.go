package load

import (
	"context"

	"batchdesk/backend/crm/postgres"
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

// readTable reads the table's columns, unique indexes and triggers (the
// SQL is crm/postgres's). It runs on the pool, never inside a batch or
// rehearsal transaction: a failed catalog query must not abort one.
func readTable(ctx context.Context, q postgres.Querier, name string) (*pgTable, error) {
	info, err := postgres.ReadTable(ctx, q, name)
	if err != nil {
		return nil, err
	}
	t := &pgTable{cols: make(map[string]*pgColumn, len(info.Columns)), uniques: info.Uniques, beforeInsert: info.BeforeInsert}
	for n, c := range info.Columns {
		t.cols[n] = &pgColumn{name: c.Name, oid: c.OID, typtype: c.TypType, array: c.Array, cast: c.Cast, notNull: c.NotNull}
	}
	return t, nil
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
