package sandboxcopy

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// mappedTypes are the PostgreSQL types a plain table's column keeps its
// meaning in the sandbox with (see crm/postgres's introspection).
var mappedTypes = []string{"varchar", "bpchar", "text", "int2", "int4", "int8", "numeric", "float4", "float8",
	"date", "timestamp", "timestamptz", "bool", "uuid"}

// typeNotes names the columns of a plain schema whose type the sandbox has
// no equivalent for: they are copied as their text, and the sandbox checks
// them as text (json, inet, arrays, intervals …).
func typeNotes(ctx context.Context, tx pgx.Tx, schema string, tables []string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
		FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
		WHERE n.nspname = $1 AND c.relname = ANY($2) AND a.attnum > 0 AND NOT a.attisdropped
		  AND t.typtype <> 'e' AND NOT (t.typname = ANY($3))
		ORDER BY c.relname, a.attnum`, schema, tables, mappedTypes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var notes []string
	for rows.Next() {
		var table, col, typ string
		if err := rows.Scan(&table, &col, &typ); err != nil {
			return nil, err
		}
		notes = append(notes, fmt.Sprintf("%s.%s (%s) has no sandbox type: it is copied and checked as text", table, col, typ))
	}
	return notes, rows.Err()
}
