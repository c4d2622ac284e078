package crmdb

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"batchdesk/backend/catalog"
)

// Rows is what pgx.Rows and *sql.Rows have in common.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// QueryFunc runs one query on the connection the catalog is read over and
// returns its rows with the function that closes them.
type QueryFunc func(ctx context.Context, q string) (Rows, func(), error)

// ReadCatalog reads both catalog tables through query, one after the other on
// the same connection, and returns the objects with their fields sorted by
// API name; schema is set on every object. Errors are wrapped with which
// catalog table failed.
func (d Dialect) ReadCatalog(ctx context.Context, schema string, query QueryFunc) ([]catalog.Object, error) {
	rows, closeRows, err := query(ctx, d.ObjectsQuery())
	if err != nil {
		return nil, fmt.Errorf("read objects catalog: %w", err)
	}
	objs, err := ScanObjects(rows, schema)
	closeRows()
	if err != nil {
		return nil, err
	}
	if rows, closeRows, err = query(ctx, d.FieldsQuery()); err != nil {
		return nil, fmt.Errorf("read fields catalog: %w", err)
	}
	defer closeRows()
	return ScanFields(rows, objs)
}

// ObjectsQuery selects the objects catalog table, for ScanObjects.
func (d Dialect) ObjectsQuery() string {
	return "SELECT api_name, label_en, label_zh, table_name, primary_field, master_object FROM " +
		d.Table(TableObjects) + " ORDER BY api_name"
}

// FieldsQuery selects the fields catalog table, for ScanFields.
func (d Dialect) FieldsQuery() string {
	opts := "options"
	if d.pg() {
		opts = "options::text"
	}
	return "SELECT object, api_name, label_en, label_zh, field_type, column_name, is_required, " +
		"is_unique, is_system, has_default, max_length, num_precision, num_scale, " + opts +
		", target_object, team_role FROM " + d.Table(TableFields) + " ORDER BY object, position, api_name"
}

// ScanObjects builds catalog objects, without fields, from the rows of
// ObjectsQuery; schema is set on every object. It does not close the rows.
// Read them to the end before running FieldsQuery on the same connection.
func ScanObjects(objRows Rows, schema string) ([]catalog.Object, error) {
	objects := []catalog.Object{}
	for objRows.Next() {
		o := catalog.Object{Schema: schema, FromCatalog: true, Fields: []catalog.Field{}}
		if err := objRows.Scan(&o.APIName, &o.LabelEN, &o.LabelZH, &o.Table, &o.Primary, &o.Master); err != nil {
			return nil, fmt.Errorf("read objects catalog: %w", err)
		}
		objects = append(objects, o)
	}
	if err := objRows.Err(); err != nil {
		return nil, fmt.Errorf("read objects catalog: %w", err)
	}
	return objects, nil
}

// ScanFields adds the fields from the rows of FieldsQuery to objects and
// returns them sorted by API name. It does not close the rows.
func ScanFields(fieldRows Rows, objects []catalog.Object) ([]catalog.Object, error) {
	index := map[string]int{}
	for i, o := range objects {
		index[o.APIName] = i
	}
	for fieldRows.Next() {
		var f catalog.Field
		var object, ftype, opts string
		if err := fieldRows.Scan(&object, &f.APIName, &f.LabelEN, &f.LabelZH, &ftype, &f.Column,
			&f.Required, &f.Unique, &f.System, &f.HasDefault, &f.MaxLength, &f.Precision, &f.Scale,
			&opts, &f.Target, &f.TeamRole); err != nil {
			return nil, fmt.Errorf("read fields catalog: %w", err)
		}
		f.Type = catalog.FieldType(ftype)
		if opts != "" && opts != "[]" {
			if err := json.Unmarshal([]byte(opts), &f.Options); err != nil {
				return nil, fmt.Errorf("read fields catalog: options of %s.%s: %w", object, f.APIName, err)
			}
		}
		i, ok := index[object]
		if !ok {
			continue // a field of no object: the foreign key forbids it
		}
		objects[i].Fields = append(objects[i].Fields, f)
	}
	if err := fieldRows.Err(); err != nil {
		return nil, fmt.Errorf("read fields catalog: %w", err)
	}
	sort.Slice(objects, func(i, j int) bool { return objects[i].APIName < objects[j].APIName })
	return objects, nil
}
