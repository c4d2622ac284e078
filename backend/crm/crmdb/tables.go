package crmdb

import (
	"fmt"

	"batchdesk/backend/catalog"
)

// kind is a dialect-neutral column type; Dialect renders it.
type kind int

const (
	kText kind = iota
	kVarchar
	kInt
	kBigint
	kNumeric
	kDate
	kTimestamp
	kBool
	kUUID
	kJSON
)

// defaultKind says how a column is filled when omitted.
type defaultKind int

const (
	defNone defaultKind = iota
	defNewUUID
	defNow
	defValue // column.defVal, a string, int or bool literal
)

// column is one column of a table, in dialect-neutral form.
type column struct {
	name       string
	kind       kind
	n, p, s    int // varchar length; numeric precision and scale
	notNull    bool
	primaryKey bool
	unique     bool
	def        defaultKind
	defVal     any
	in         []string // CHECK (col IN (...))
	ref        string   // referenced table
	refCol     string   // referenced column ("" for id)
	onDelete   string   // "CASCADE", "SET NULL" or "" (no action)
}

// table is one table: columns, extra multi-column unique keys, indexes.
type table struct {
	name    string
	columns []column
	uniques [][]string
	indexes []string // single-column indexes (foreign keys)
}

// objectTable derives an object's table from its catalog description;
// objects maps object API names to their descriptions, for foreign keys.
//
// The key of a referenced object is its "id" field, else its only unique
// field; a reference column takes that key's column type. System columns
// (Field.System) get the CRM's defaults; the id of a plain table is its
// primary key (a whole-number id becomes SQLite's INTEGER PRIMARY KEY, which
// numbers new rows itself).
func objectTable(o catalog.Object, objects map[string]*catalog.Object) (table, error) {
	t := table{name: o.Table}
	for _, f := range o.Fields {
		if f.Column == "" {
			continue // related-team fields live in team_member
		}
		c := column{name: f.Column, notNull: f.Required || f.System, unique: f.Unique}
		switch f.Type {
		case catalog.UUID:
			c.kind = kUUID
		case catalog.Text, catalog.Email, catalog.Phone, catalog.URL:
			c.kind, c.n = kVarchar, f.MaxLength
			if f.MaxLength == 0 {
				c.kind = kText
			}
		case catalog.LongText, catalog.MultiPicklist:
			c.kind = kText
		case catalog.Integer:
			c.kind = kInt
		case catalog.Decimal, catalog.Currency, catalog.Percent:
			c.kind, c.p, c.s = kNumeric, f.Precision, f.Scale
		case catalog.Date:
			c.kind = kDate
		case catalog.DateTime:
			c.kind = kTimestamp
		case catalog.Boolean:
			c.kind = kBool
		case catalog.Picklist:
			c.kind = kText
			for _, op := range f.Options {
				c.in = append(c.in, op.Value)
			}
		case catalog.Lookup, catalog.Owner, catalog.MasterDetail:
			target, ok := objects[f.Target]
			if !ok {
				return t, fmt.Errorf("%s.%s: unknown target %q", o.APIName, f.APIName, f.Target)
			}
			key := KeyField(target)
			if key == nil {
				return t, fmt.Errorf("%s.%s: target %s has no id or unique field to reference", o.APIName, f.APIName, f.Target)
			}
			c.kind = kUUID
			if key.Type == catalog.Integer {
				c.kind = kBigint
			} else if key.Type != catalog.UUID {
				c.kind = kText
			}
			c.ref = target.Table
			if key.Column != "id" {
				c.refCol = key.Column
			}
			switch {
			case f.Type == catalog.MasterDetail:
				c.onDelete = "CASCADE"
			case !c.notNull:
				c.onDelete = "SET NULL"
			}
			t.indexes = append(t.indexes, f.Column)
		default:
			return t, fmt.Errorf("%s.%s: type %q has no column", o.APIName, f.APIName, f.Type)
		}
		switch {
		case f.Column == "id":
			c.primaryKey, c.unique = true, false
			switch c.kind {
			case kUUID:
				c.def = defNewUUID
			case kInt:
				c.kind = kBigint // INTEGER PRIMARY KEY in SQLite: numbered by the database
			}
		case !f.System:
		case f.Column == "owner_id" || f.Column == "created_by" || f.Column == "last_modified_by":
			c.def, c.defVal = defValue, SystemUserID
		case f.Column == "created_at" || f.Column == "last_modified_at":
			c.def = defNow
		case f.Column == "life_status":
			c.def, c.defVal = defValue, LifeNormal
		}
		t.columns = append(t.columns, c)
	}
	return t, nil
}

// KeyField returns the field other objects reference: "id", else the only
// unique field; nil when there is neither.
func KeyField(o *catalog.Object) *catalog.Field {
	if f, err := o.Field("id"); err == nil && f.Column != "" {
		return f
	}
	var key *catalog.Field
	for i := range o.Fields {
		if f := &o.Fields[i]; f.Unique && f.Column != "" {
			if key != nil {
				return nil
			}
			key = f
		}
	}
	return key
}

// catalogTables are the two catalog tables.
func catalogTables() []table {
	types := make([]string, len(catalog.AllTypes))
	for i, ty := range catalog.AllTypes {
		types[i] = string(ty)
	}
	text := func(name string) column {
		return column{name: name, kind: kText, notNull: true, def: defValue, defVal: ""}
	}
	flag := func(name string) column {
		return column{name: name, kind: kBool, notNull: true, def: defValue, defVal: false}
	}
	num := func(name string) column {
		return column{name: name, kind: kInt, notNull: true, def: defValue, defVal: 0}
	}
	objects := table{name: TableObjects, columns: []column{
		{name: "api_name", kind: kText, notNull: true, primaryKey: true},
		text("label_en"), text("label_zh"),
		{name: "table_name", kind: kText, notNull: true, unique: true},
		text("primary_field"), text("master_object"), num("position"),
	}}
	teamRole := text("team_role")
	teamRole.in = []string{"", RoleReadWrite, RoleReadOnly}
	fields := table{name: TableFields, columns: []column{
		{name: "object", kind: kText, notNull: true, ref: TableObjects, onDelete: "CASCADE"},
		{name: "api_name", kind: kText, notNull: true},
		text("label_en"), text("label_zh"),
		{name: "field_type", kind: kText, notNull: true, in: types},
		text("column_name"),
		flag("is_required"), flag("is_unique"), flag("is_system"), flag("has_default"),
		num("max_length"), num("num_precision"), num("num_scale"),
		{name: "options", kind: kJSON, notNull: true, def: defValue, defVal: "[]"},
		text("target_object"), teamRole, num("position"),
	}, uniques: [][]string{{"object", "api_name"}}}
	return []table{objects, fields}
}

// supportTables are the related-team member and audit log tables.
func supportTables() []table {
	members := table{name: TableTeamMembers, columns: []column{
		{name: "id", kind: kUUID, notNull: true, primaryKey: true, def: defNewUUID},
		{name: "object", kind: kText, notNull: true},
		{name: "record_id", kind: kUUID, notNull: true},
		{name: "user_id", kind: kUUID, notNull: true, ref: TableUsers, onDelete: "CASCADE"},
		{name: "role", kind: kText, notNull: true, in: []string{RoleReadWrite, RoleReadOnly}},
	}, uniques: [][]string{{"object", "record_id", "user_id"}}, indexes: []string{"user_id"}}
	audit := table{name: TableAuditLog, columns: []column{
		{name: "id", kind: kUUID, notNull: true, primaryKey: true, def: defNewUUID},
		{name: "at", kind: kTimestamp, notNull: true, def: defNow},
		{name: "actor_id", kind: kUUID, notNull: true, def: defValue, defVal: SystemUserID, ref: TableUsers},
		{name: "object", kind: kText, notNull: true},
		{name: "action", kind: kText, notNull: true},
		{name: "record_count", kind: kBigint, notNull: true, def: defValue, defVal: 0},
		{name: "job_id", kind: kText, notNull: true, def: defValue, defVal: ""},
		{name: "detail", kind: kText, notNull: true, def: defValue, defVal: ""},
	}, indexes: []string{"at"}}
	return []table{members, audit}
}
