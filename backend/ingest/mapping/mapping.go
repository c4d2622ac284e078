package mapping

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"batchdesk/backend/catalog"
)

// Mode is how rows are written: insert, update or upsert.
type Mode string

// The import modes of DESIGN §1.
const (
	Insert Mode = "insert"
	Update Mode = "update"
	Upsert Mode = "upsert"
)

// Keys with a meaning of their own; any other key is a field API name.
const (
	KeyID      = "id"
	KeyPrimary = "primary"
)

// Blank meanings of a column.
const (
	BlankNull = "null" // a blank cell writes NULL
	BlankKeep = "keep" // a blank cell leaves the stored value alone (update)
)

// Lookup modes of a reference column ("auto" when empty): by record ID, by
// primary attribute, or by any other (preferably unique) field API name.
const (
	LookupAuto    = "auto"
	LookupID      = "id"
	LookupPrimary = "primary"
)

// Number locales.
const (
	NumberDot   = "1,234.56" // the default
	NumberComma = "1.234,56"
)

// DateFormats are the accepted date patterns; each may be followed by
// " HH:mm" or " HH:mm:ss". "" means ISO 8601.
var DateFormats = []string{"YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "YYYY/MM/DD"}

// Mapping is how a file's columns become an object's fields: the shape of a
// preset. Columns not in Columns are ignored.
type Mapping struct {
	// Object is the target object's API name.
	Object string `json:"object"`
	// Mode is insert, update or upsert ("" means insert).
	Mode Mode `json:"mode"`
	// Key identifies records for update and upsert: "id", "primary" or a
	// field API name.
	Key string `json:"key,omitempty"`
	// Zone is the IANA zone datetimes without an offset are read in (""
	// means the connection's zone).
	Zone string `json:"zone,omitempty"`
	// Columns maps a header name (as in the file, trimmed) to its field.
	Columns map[string]Column `json:"columns"`
}

// Column is what one file column means.
type Column struct {
	// Field is the target field's API name.
	Field string `json:"field"`
	// ValueMap replaces cell values before they are checked (e.g. picklist
	// "Tech" → "Technology"); keys match case-insensitively.
	ValueMap map[string]string `json:"valueMap,omitempty"`
	// DateFormat is one of DateFormats, optionally with " HH:mm[:ss]"; ""
	// means ISO 8601.
	DateFormat string `json:"dateFormat,omitempty"`
	// NumberLocale is NumberDot ("" too) or NumberComma.
	NumberLocale string `json:"numberLocale,omitempty"`
	// Blank is BlankNull, BlankKeep or "" (null on insert, keep on update
	// and upsert).
	Blank string `json:"blank,omitempty"`
	// LookupBy says how a reference column finds its record: LookupAuto
	// (""), LookupID, LookupPrimary or a field API name of the target.
	LookupBy string `json:"lookupBy,omitempty"`
}

// BlankMeaning resolves Blank for a mode: BlankNull or BlankKeep.
func (c Column) BlankMeaning(m Mode) string {
	if c.Blank != "" {
		return c.Blank
	}
	if m == Update || m == Upsert {
		return BlankKeep
	}
	return BlankNull
}

// EffectiveMode returns m.Mode, Insert when empty.
func (m *Mapping) EffectiveMode() Mode {
	if m.Mode == "" {
		return Insert
	}
	return m.Mode
}

// Headers returns the mapped header names, sorted.
func (m *Mapping) Headers() []string {
	hs := make([]string, 0, len(m.Columns))
	for h := range m.Columns {
		hs = append(hs, h)
	}
	sort.Strings(hs)
	return hs
}

// ValidDateFormat reports whether f is "" or an accepted date pattern.
func ValidDateFormat(f string) bool {
	if f == "" {
		return true
	}
	date, tm, _ := strings.Cut(f, " ")
	if !slices.Contains(DateFormats, date) {
		return false
	}
	return tm == "" || tm == "HH:mm" || tm == "HH:mm:ss"
}

// Check verifies the mapping against the object: mode, key, each column's
// field, format and blank meaning, and that no field is mapped twice. It
// returns the first problem as a plain-language error.
func (m *Mapping) Check(obj *catalog.Object) error {
	if obj == nil {
		return fmt.Errorf("no target object")
	}
	if m.Object != "" && !strings.EqualFold(m.Object, obj.APIName) {
		return fmt.Errorf("the mapping is for object %s, not %s", m.Object, obj.APIName)
	}
	switch m.EffectiveMode() {
	case Insert:
	case Update, Upsert:
		if m.Key == "" {
			return fmt.Errorf("mode %s needs a key: id, primary or a field name", m.Mode)
		}
	default:
		return fmt.Errorf("unknown mode %q: use insert, update or upsert", m.Mode)
	}
	if err := checkKey(obj, m.Key); err != nil {
		return err
	}
	if m.Zone != "" {
		if _, err := time.LoadLocation(m.Zone); err != nil {
			return fmt.Errorf("unknown time zone %q: use an IANA name such as Asia/Shanghai", m.Zone)
		}
	}
	used := make(map[string]string)
	for _, h := range m.Headers() {
		c := m.Columns[h]
		f, err := obj.Field(c.Field)
		if err != nil {
			return fmt.Errorf("column %q: %w", h, unknownField(obj, c.Field))
		}
		if prev, dup := used[f.APIName]; dup {
			return fmt.Errorf("columns %q and %q are both mapped to field %s: map one of them to another field or leave it unmapped", prev, h, f.APIName)
		}
		used[f.APIName] = h
		if !ValidDateFormat(c.DateFormat) {
			return fmt.Errorf("column %q: unknown date format %q: use one of %s, optionally followed by \" HH:mm\" or \" HH:mm:ss\"", h, c.DateFormat, strings.Join(DateFormats, ", "))
		}
		if c.NumberLocale != "" && c.NumberLocale != NumberDot && c.NumberLocale != NumberComma {
			return fmt.Errorf("column %q: unknown number format %q: use %q or %q", h, c.NumberLocale, NumberDot, NumberComma)
		}
		if c.Blank != "" && c.Blank != BlankNull && c.Blank != BlankKeep {
			return fmt.Errorf("column %q: blank must be %q or %q, not %q", h, BlankNull, BlankKeep, c.Blank)
		}
		if c.LookupBy != "" && c.LookupBy != LookupAuto && !f.Type.References() && f.Type != catalog.RelatedTeam {
			return fmt.Errorf("column %q: lookupBy only applies to lookup, owner and team fields, and %s is %s", h, f.APIName, f.Type)
		}
	}
	return nil
}

func checkKey(obj *catalog.Object, key string) error {
	switch key {
	case "", KeyID:
		return nil
	case KeyPrimary:
		if obj.PrimaryField() == nil {
			return fmt.Errorf("object %s has no primary attribute, so records cannot be identified by it: use --key id or a unique field", obj.APIName)
		}
		return nil
	}
	if _, err := obj.Field(key); err != nil {
		return fmt.Errorf("key: %w", unknownField(obj, key))
	}
	return nil
}

// unknownField says a field does not exist, naming the closest ones.
func unknownField(obj *catalog.Object, name string) error {
	best, bestD := "", 1<<30
	for _, f := range obj.Fields {
		if d := distance(Normalize(name), Normalize(f.APIName)); d < bestD {
			best, bestD = f.APIName, d
		}
	}
	hint := ""
	if best != "" && bestD <= max(2, len([]rune(name))/3) {
		hint = fmt.Sprintf(" (did you mean %s?)", best)
	}
	return fmt.Errorf("%s has no field %q%s: %w", obj.APIName, name, hint, catalog.ErrUnknownField)
}
