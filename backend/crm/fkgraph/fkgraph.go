// Package fkgraph follows the foreign keys that point at a table, so a
// delete can say before it runs what goes with the records it removes: the
// detail records that cascade (ON DELETE CASCADE, master–detail, followed
// recursively), the lookups that are emptied (ON DELETE SET NULL / SET
// DEFAULT) and the references that block it (RESTRICT / NO ACTION).
//
// In: the foreign keys of a database (read per backend: pg_constraint on
// PostgreSQL, pragma foreign_key_list on SQLite — crm/postgres and
// crm/sandbox), the root table, its key column and a filter Condition. Out:
// SQL text with bound arguments for the root set, its capture (ids in key
// order), and one count per cascading, emptied and blocking reference — the
// same SQL for both dialects but for placeholders and the filter's own
// rendering. Every identifier is quoted; filter values are bound (SQLite) or
// escaped by the filter's one literal function (PostgreSQL).
//
// Errors: Build returns an error naming the problem (a key column the table
// does not have, a filter that cannot be rendered).
package fkgraph

import (
	"strings"

	"batchdesk/backend/crm/crmdb"
)

// Action is what a foreign key does when its referenced row is deleted.
type Action string

// The ON DELETE actions.
const (
	Cascade    Action = "CASCADE"
	SetNull    Action = "SET NULL"
	SetDefault Action = "SET DEFAULT"
	Restrict   Action = "RESTRICT"
	NoAction   Action = "NO ACTION"
)

// Blocks reports whether the action refuses the delete of a referenced row.
func (a Action) Blocks() bool { return a == Restrict || a == NoAction || a == "" }

// Empties reports whether the action rewrites the referencing column.
func (a Action) Empties() bool { return a == SetNull || a == SetDefault }

// Table names a table: Schema is "" on SQLite.
type Table struct {
	Schema string `json:"schema,omitempty"`
	Name   string `json:"name"`
}

// Quoted is the quoted, schema-qualified name.
func (t Table) Quoted() string {
	if t.Schema == "" {
		return crmdb.QuoteIdent(t.Name)
	}
	return crmdb.QuoteIdent(t.Schema, t.Name)
}

// String is the name for people: schema.table or table.
func (t Table) String() string {
	if t.Schema == "" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

// ForeignKey is one foreign key constraint: Child's columns reference
// Parent's columns (in order).
type ForeignKey struct {
	Name       string   `json:"name"`
	Child      Table    `json:"child"`
	ChildCols  []string `json:"childColumns"`
	Parent     Table    `json:"parent"`
	ParentCols []string `json:"parentColumns"`
	OnDelete   Action   `json:"onDelete"`
	// Indexed is true when an index of Child starts with ChildCols, so the
	// database finds the referencing rows of a deleted row without a scan.
	Indexed bool `json:"indexed"`
}

// SuggestedIndex is the CREATE INDEX statement that would let the database
// find fk's referencing rows quickly.
func (fk ForeignKey) SuggestedIndex() string {
	cols := make([]string, len(fk.ChildCols))
	for i, c := range fk.ChildCols {
		cols[i] = crmdb.QuoteIdent(c)
	}
	name := fk.Child.Name + "_" + strings.Join(fk.ChildCols, "_") + "_idx"
	return "CREATE INDEX " + crmdb.QuoteIdent(name) + " ON " + fk.Child.Quoted() + " (" + strings.Join(cols, ", ") + ")"
}

// Condition is a compiled filter (filter.Cond implements it): SQL for each
// dialect with its column references qualified by qualifier.
type Condition interface {
	Postgres(qualifier string) (string, error)
	SQLite(qualifier string) (string, []any, error)
}
