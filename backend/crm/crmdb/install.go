package crmdb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"batchdesk/backend/catalog"
)

// ExecFunc runs one statement with bound parameters (inside the caller's
// transaction).
type ExecFunc func(ctx context.Context, query string, args ...any) error

// Statements returns the DDL of the whole demo CRM for d, in order: schema,
// catalog tables, object tables, team members, audit log, indexes. Every
// statement is idempotent (IF NOT EXISTS).
func (d Dialect) Statements() ([]string, error) {
	return d.ObjectStatements(DemoObjects())
}

// ObjectStatements returns the DDL of a CRM holding objects, in order: schema,
// catalog tables, object tables, team members, audit log, indexes. objects
// must come in install order (every object after the objects it references,
// self-references aside) and include User (table users), which the team
// members and the audit log reference. Every statement is idempotent.
func (d Dialect) ObjectStatements(objects []catalog.Object) ([]string, error) {
	var out []string
	if d.Schema != "" {
		out = append(out, "CREATE SCHEMA IF NOT EXISTS "+QuoteIdent(d.Schema))
	}
	byName := map[string]*catalog.Object{}
	for i := range objects {
		byName[objects[i].APIName] = &objects[i]
	}
	all := catalogTables()
	for _, o := range objects {
		t, err := objectTable(o, byName)
		if err != nil {
			return nil, err
		}
		all = append(all, t)
	}
	all = append(all, supportTables()...)
	for _, t := range all {
		out = append(out, d.createTable(t))
	}
	for _, t := range all {
		out = append(out, d.createIndexes(t)...)
	}
	return out, nil
}

// Install creates the demo CRM's tables, catalog rows and seed data through
// exec. Running it again changes nothing: tables are created IF NOT EXISTS
// and rows inserted ON CONFLICT DO NOTHING (also when a seed row clashes with
// a user's row on a unique field). Run it inside one transaction.
func Install(ctx context.Context, d Dialect, exec ExecFunc) error {
	stmts, err := d.Statements()
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if err := exec(ctx, s); err != nil {
			return fmt.Errorf("create demo tables: %w", err)
		}
	}
	for _, r := range catalogRows() {
		if err := d.insert(ctx, exec, r); err != nil {
			return fmt.Errorf("write demo catalog: %w", err)
		}
	}
	for _, r := range DemoRows() {
		if err := d.insert(ctx, exec, r); err != nil {
			return fmt.Errorf("write demo data (%s): %w", r.Table, err)
		}
	}
	return nil
}

func (d Dialect) insert(ctx context.Context, exec ExecFunc, r Row) error {
	cols := make([]string, len(r.Cols))
	params := make([]string, len(r.Cols))
	args := make([]any, len(r.Vals))
	for i, c := range r.Cols {
		cols[i], params[i] = QuoteIdent(c), d.Param(i+1)
	}
	for i, v := range r.Vals {
		switch x := v.(type) {
		case time.Time:
			args[i] = d.Time(x)
		case bool:
			args[i] = d.Bool(x)
		default:
			args[i] = v
		}
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT DO NOTHING",
		d.Table(r.Table), strings.Join(cols, ", "), strings.Join(params, ", "))
	return exec(ctx, q, args...)
}

// InstallObjects creates the tables of a CRM holding objects (see
// ObjectStatements) and describes them in its catalog tables, without any
// records. Run it inside one transaction.
func InstallObjects(ctx context.Context, d Dialect, exec ExecFunc, objects []catalog.Object) error {
	stmts, err := d.ObjectStatements(objects)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if err := exec(ctx, s); err != nil {
			return fmt.Errorf("create tables: %w", err)
		}
	}
	for _, r := range CatalogRows(objects) {
		if err := d.insert(ctx, exec, r); err != nil {
			return fmt.Errorf("write catalog: %w", err)
		}
	}
	return nil
}

// InsertRow writes one row through exec (ON CONFLICT DO NOTHING).
func (d Dialect) InsertRow(ctx context.Context, exec ExecFunc, r Row) error {
	return d.insert(ctx, exec, r)
}

// catalogRows describes the demo objects as rows of the catalog tables.
func catalogRows() []Row { return CatalogRows(DemoObjects()) }

// CatalogRows describes objects as rows of the catalog tables, positions in
// the given order.
func CatalogRows(objects []catalog.Object) []Row {
	var rows []Row
	for i, o := range objects {
		rows = append(rows, Row{Table: TableObjects,
			Cols: []string{"api_name", "label_en", "label_zh", "table_name", "primary_field", "master_object", "position"},
			Vals: []any{o.APIName, o.LabelEN, o.LabelZH, o.Table, o.Primary, o.Master, i}})
		for j, f := range o.Fields {
			rows = append(rows, fieldRow(o.APIName, j, f))
		}
	}
	return rows
}

// FieldCols are the columns of the fields catalog table, in the order
// FieldValues returns them.
var FieldCols = []string{"object", "api_name", "label_en", "label_zh", "field_type", "column_name",
	"is_required", "is_unique", "is_system", "has_default", "max_length", "num_precision",
	"num_scale", "options", "target_object", "team_role", "position"}

func fieldRow(object string, pos int, f catalog.Field) Row {
	opts := f.Options
	if opts == nil {
		opts = []catalog.Option{}
	}
	js, _ := json.Marshal(opts) // options are plain strings: cannot fail
	return Row{Table: TableFields, Cols: FieldCols, Vals: []any{object, f.APIName, f.LabelEN, f.LabelZH,
		string(f.Type), f.Column, f.Required, f.Unique, f.System, f.HasDefault, f.MaxLength,
		f.Precision, f.Scale, string(js), f.Target, f.TeamRole, pos}}
}
