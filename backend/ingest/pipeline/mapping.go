package pipeline

// Mapping is the part of a preset the pipeline needs: mode, key and one
// entry per mapped column. (It mirrors the mapping package's preset; the
// importer ignores the error report's _row and _error columns.)
type Mapping struct {
	// Mode is "insert" (default), "update" or "upsert".
	Mode string
	// Key identifies records for update/upsert: "id", "primary" or a field.
	Key string
	// Columns map file columns to fields; unmapped columns are ignored.
	Columns []ColumnMap
	// BlankMeansNull writes blank cells as NULL on update (default: a blank
	// cell leaves the field unchanged … is not supported yet: blank = NULL).
	BlankMeansNull bool
}

// ColumnMap maps one file column to one field.
type ColumnMap struct {
	// Header is the column's header in the file (trimmed, case-insensitive).
	Header string
	// Field is the target field's API name.
	Field string
	// Lookup is how a reference is given: "id", "unique", "primary" or
	// "auto" ("" = auto).
	Lookup string
	// DateFormat is a pattern like "DD/MM/YYYY" ("" = ISO).
	DateFormat string
	// Decimal is "." (default) or "," for numbers like 1.234,56.
	Decimal string
	// Values maps cell values to stored values (picklist value maps).
	Values map[string]string
}
