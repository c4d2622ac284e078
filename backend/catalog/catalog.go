// Package catalog holds the CRM's metadata model: objects, their fields and
// field types (DESIGN §2). It is pure data; reading it from a database is the
// job of the crm targets (crm/postgres, crm/sandbox), which return these types.
//
// Lookups by name return ErrUnknownObject / ErrUnknownField (use errors.Is).
package catalog

import (
	"errors"
	"fmt"
	"strings"
)

// FieldType is the CRM type of a field. The string values are stable: they
// appear in the catalog tables, in presets and in the UI.
type FieldType string

// The CRM field types of DESIGN §2.
const (
	Text          FieldType = "text"
	LongText      FieldType = "long_text"
	Integer       FieldType = "integer"
	Decimal       FieldType = "decimal"
	Currency      FieldType = "currency"
	Percent       FieldType = "percent"
	Date          FieldType = "date"
	DateTime      FieldType = "datetime"
	Boolean       FieldType = "boolean"
	Picklist      FieldType = "picklist"
	MultiPicklist FieldType = "multi_picklist"
	Email         FieldType = "email"
	Phone         FieldType = "phone"
	URL           FieldType = "url"
	Lookup        FieldType = "lookup"
	MasterDetail  FieldType = "master_detail"
	Owner         FieldType = "owner"
	RelatedTeam   FieldType = "related_team"
	// UUID is an identifier column (the system column id, or a plain table's
	// uuid column that references nothing).
	UUID FieldType = "uuid"
)

// AllTypes lists every field type, in the order the UI shows them.
var AllTypes = []FieldType{Text, LongText, Integer, Decimal, Currency, Percent,
	Date, DateTime, Boolean, Picklist, MultiPicklist, Email, Phone, URL, Lookup,
	MasterDetail, Owner, RelatedTeam, UUID}

// Valid reports whether t is one of the known types.
func (t FieldType) Valid() bool {
	for _, k := range AllTypes {
		if k == t {
			return true
		}
	}
	return false
}

// References reports whether values of this type point at another record.
func (t FieldType) References() bool {
	return t == Lookup || t == MasterDetail || t == Owner
}

// Sentinel errors for lookups by name.
var (
	ErrUnknownObject = errors.New("unknown object")
	ErrUnknownField  = errors.New("unknown field")
)

// Option is one value of a picklist or multi-picklist.
type Option struct {
	Value   string `json:"value"`
	LabelEN string `json:"labelEn"`
	LabelZH string `json:"labelZh"`
}

// Field describes one field of an object.
type Field struct {
	APIName string    `json:"apiName"`
	LabelEN string    `json:"labelEn"`
	LabelZH string    `json:"labelZh"`
	Type    FieldType `json:"type"`
	// Column is the database column ("" for related-team fields, which live
	// in the team-member table).
	Column    string `json:"column"`
	Required  bool   `json:"required"`
	Unique    bool   `json:"unique"`
	System    bool   `json:"system"`
	MaxLength int    `json:"maxLength,omitempty"`
	// Precision and Scale bound decimal/currency/percent values (numeric(p,s)).
	Precision int      `json:"precision,omitempty"`
	Scale     int      `json:"scale,omitempty"`
	Options   []Option `json:"options,omitempty"`
	// Target is the API name of the referenced object for lookup,
	// master-detail and owner fields ("User" for owners).
	Target string `json:"target,omitempty"`
	// TeamRole is "read_write" or "read_only" for related-team fields.
	TeamRole string `json:"teamRole,omitempty"`
	// HasDefault is true when the database fills the column if it is omitted.
	HasDefault bool `json:"hasDefault,omitempty"`
	// DBType is the column's real type in the database as PostgreSQL
	// names it (int2, int4, int8, numeric, varchar, money, inet, _text …;
	// a domain's base type), when the target knows it: validation checks
	// ranges by it. "" when unknown (the sandbox).
	DBType string `json:"dbType,omitempty"`
	// Generated is true when the database always computes the column
	// (GENERATED ALWAYS AS IDENTITY, or a generated column): it cannot be
	// imported into.
	Generated bool `json:"generated,omitempty"`
}

// Object describes one CRM object (one table).
type Object struct {
	APIName string `json:"apiName"`
	LabelEN string `json:"labelEn"`
	LabelZH string `json:"labelZh"`
	// Schema and Table locate the object's table ("" schema on SQLite).
	Schema string `json:"schema"`
	Table  string `json:"table"`
	// Primary is the API name of the primary attribute ("" when none).
	Primary string `json:"primary,omitempty"`
	// Master is the API name of the master object for a detail object.
	Master string  `json:"master,omitempty"`
	Fields []Field `json:"fields"`
	// FromCatalog is true when the metadata came from the CRM's catalog
	// tables, false when it was derived from the database's own catalog.
	FromCatalog bool `json:"fromCatalog"`
}

// Field returns the field with the given API name (case-insensitive).
func (o *Object) Field(apiName string) (*Field, error) {
	for i := range o.Fields {
		if strings.EqualFold(o.Fields[i].APIName, apiName) {
			return &o.Fields[i], nil
		}
	}
	return nil, fmt.Errorf("%s.%s: %w", o.APIName, apiName, ErrUnknownField)
}

// PrimaryField returns the primary attribute, or nil when the object has none.
func (o *Object) PrimaryField() *Field {
	if o.Primary == "" {
		return nil
	}
	f, err := o.Field(o.Primary)
	if err != nil {
		return nil
	}
	return f
}

// Label returns the object's label in lang ("zh" or anything else for English).
func (o *Object) Label(lang string) string {
	if lang == "zh" && o.LabelZH != "" {
		return o.LabelZH
	}
	return o.LabelEN
}

// Label returns the field's label in lang ("zh" or anything else for English).
func (f *Field) Label(lang string) string {
	if lang == "zh" && f.LabelZH != "" {
		return f.LabelZH
	}
	return f.LabelEN
}

// SystemColumns are the columns every CRM object table has (DESIGN §2).
var SystemColumns = []string{"id", "owner_id", "created_by", "created_at",
	"last_modified_by", "last_modified_at", "life_status"}

// Find returns the object with the given API name (case-insensitive), also
// accepting its table name.
func Find(objects []Object, name string) (*Object, error) {
	for i := range objects {
		if strings.EqualFold(objects[i].APIName, name) || strings.EqualFold(objects[i].Table, name) {
			return &objects[i], nil
		}
	}
	return nil, fmt.Errorf("%q: %w", name, ErrUnknownObject)
}
