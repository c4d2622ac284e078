package mapping

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// PresetVersion is the version of the preset JSON format this package
// reads and writes.
const PresetVersion = 1

// Preset is a named mapping as shared in a JSON file:
//
//	{"version": 1, "name": "Acme accounts", "object": "Account",
//	 "mode": "upsert", "key": "account_no", "zone": "Asia/Shanghai",
//	 "columns": {"Company": {"field": "name"},
//	             "Industry": {"field": "industry", "valueMap": {"Tech": "Technology"}},
//	             "Founded": {"field": "founded_on", "dateFormat": "DD/MM/YYYY"},
//	             "Revenue": {"field": "annual_revenue", "numberLocale": "1.234,56"},
//	             "Owner": {"field": "owner_id", "lookupBy": "email", "blank": "keep"}}}
//
// A master–detail preset also names the master file's key column and each
// detail object's mapping (always inserted) with the column of the detail
// file that holds the master's key; a preset without them reads as before:
//
//	"masterKey": "Opportunity no",
//	"details": [{"object": "OpportunityLine", "masterColumn": "Opportunity no",
//	             "columns": {"SKU": {"field": "product_id", "lookupBy": "sku"}}}]
type Preset struct {
	Name string `json:"name,omitempty"`
	Mapping
	// MasterKey is the master file's column holding each master's key, to
	// which detail rows refer ("" when the preset has no details).
	MasterKey string `json:"masterKey,omitempty"`
	// Details are the detail objects' mappings, in import order.
	Details []DetailPreset `json:"details,omitempty"`
}

// DetailPreset is one detail object of a master–detail preset.
type DetailPreset struct {
	// Object is the detail object's API name.
	Object string `json:"object"`
	// MasterColumn is the detail file's column holding the master's key.
	MasterColumn string `json:"masterColumn"`
	// Columns maps the detail file's header names to its fields.
	Columns map[string]Column `json:"columns"`
}

// presetJSON fixes the field order of the encoded form.
type presetJSON struct {
	Version int               `json:"version"`
	Name    string            `json:"name,omitempty"`
	Object  string            `json:"object"`
	Mode    Mode              `json:"mode"`
	Key     string            `json:"key,omitempty"`
	Zone    string            `json:"zone,omitempty"`
	Columns map[string]Column `json:"columns"`
	// The master–detail part, left out when there are no details.
	MasterKey string         `json:"masterKey,omitempty"`
	Details   []DetailPreset `json:"details,omitempty"`
}

// Encode writes p as indented preset JSON with "version": 1.
func Encode(p Preset) ([]byte, error) {
	out := presetJSON{Version: PresetVersion, Name: p.Name, Object: p.Object,
		Mode: p.Mode, Key: p.Key, Zone: p.Zone, Columns: orEmpty(p.Columns)}
	if len(p.Details) > 0 {
		out.MasterKey = p.MasterKey
		out.Details = make([]DetailPreset, len(p.Details))
		for i, d := range p.Details {
			d.Columns = orEmpty(d.Columns)
			out.Details[i] = d
		}
	}
	return json.MarshalIndent(out, "", "  ")
}

func orEmpty(cols map[string]Column) map[string]Column {
	if cols == nil {
		return map[string]Column{}
	}
	return cols
}

// Decode reads preset JSON strictly: the version must be 1, every key must
// be known and every value of the right type; errors name the JSON path
// ($.columns["Industry"].valueMap). It does not check the mapping against
// an object: call Check for that.
func Decode(data []byte) (Preset, error) {
	var p Preset
	top, err := object(data, "$", "version", "name", "object", "mode", "key", "zone", "columns", "masterKey", "details")
	if err != nil {
		return p, err
	}
	raw, ok := top["version"]
	if !ok {
		return p, fmt.Errorf("$.version is missing: a preset file starts with \"version\": %d", PresetVersion)
	}
	var v int
	if err := scalar(raw, "$.version", &v); err != nil {
		return p, err
	}
	if v != PresetVersion {
		return p, fmt.Errorf("$.version is %d: this Batchdesk reads preset version %d", v, PresetVersion)
	}
	for _, k := range []struct {
		key string
		dst *string
	}{{"name", &p.Name}, {"object", &p.Object}, {"key", &p.Key}, {"zone", &p.Zone}} {
		if raw, ok := top[k.key]; ok {
			if err := scalar(raw, "$."+k.key, k.dst); err != nil {
				return p, err
			}
		}
	}
	if raw, ok := top["mode"]; ok {
		var m string
		if err := scalar(raw, "$.mode", &m); err != nil {
			return p, err
		}
		p.Mode = Mode(m)
		if p.Mode != Insert && p.Mode != Update && p.Mode != Upsert && p.Mode != "" {
			return p, fmt.Errorf("$.mode is %q: use insert, update or upsert", m)
		}
	}
	if p.Object == "" {
		return p, fmt.Errorf("$.object is missing: name the target object, e.g. \"Account\"")
	}
	if p.Columns, err = decodeColumns(top["columns"], "$.columns"); err != nil {
		return p, err
	}
	if raw, ok := top["masterKey"]; ok {
		if err := scalar(raw, "$.masterKey", &p.MasterKey); err != nil {
			return p, err
		}
	}
	if raw, ok := top["details"]; ok {
		if p.Details, err = decodeDetails(raw); err != nil {
			return p, err
		}
	}
	if len(p.Details) > 0 && strings.TrimSpace(p.MasterKey) == "" {
		return p, fmt.Errorf("$.masterKey is missing: a preset with details names the master file's key column")
	}
	return p, nil
}

// decodeColumns reads a "columns" object (nil raw: none).
func decodeColumns(raw json.RawMessage, path string) (map[string]Column, error) {
	out := map[string]Column{}
	if raw == nil {
		return out, nil
	}
	cols, err := object(raw, path)
	if err != nil {
		return nil, err
	}
	for h, raw := range cols {
		cpath := path + "[" + strconv.Quote(h) + "]"
		if strings.TrimSpace(h) == "" {
			return nil, fmt.Errorf("%s: a column needs a header name", cpath)
		}
		c, err := decodeColumn(raw, cpath)
		if err != nil {
			return nil, err
		}
		out[h] = c
	}
	return out, nil
}

// decodeDetails reads the "details" array of a master–detail preset.
func decodeDetails(raw json.RawMessage) ([]DetailPreset, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || items == nil {
		return nil, fmt.Errorf("$.details must be a JSON array, not %s", abbreviate(raw))
	}
	out := make([]DetailPreset, 0, len(items))
	seen := map[string]bool{}
	for i, item := range items {
		path := fmt.Sprintf("$.details[%d]", i)
		m, err := object(item, path, "object", "masterColumn", "columns")
		if err != nil {
			return nil, err
		}
		var d DetailPreset
		for _, k := range []struct {
			key string
			dst *string
		}{{"object", &d.Object}, {"masterColumn", &d.MasterColumn}} {
			if r, ok := m[k.key]; ok {
				if err := scalar(r, path+"."+k.key, k.dst); err != nil {
					return nil, err
				}
			}
		}
		if strings.TrimSpace(d.Object) == "" {
			return nil, fmt.Errorf("%s.object is missing: name the detail object, e.g. \"OpportunityLine\"", path)
		}
		if seen[strings.ToLower(d.Object)] {
			return nil, fmt.Errorf("%s.object %q is named twice: give each detail object once", path, d.Object)
		}
		seen[strings.ToLower(d.Object)] = true
		if strings.TrimSpace(d.MasterColumn) == "" {
			return nil, fmt.Errorf("%s.masterColumn is missing: say which column of the detail file holds the master's key", path)
		}
		if d.Columns, err = decodeColumns(m["columns"], path+".columns"); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func decodeColumn(raw json.RawMessage, path string) (Column, error) {
	var c Column
	m, err := object(raw, path, "field", "valueMap", "dateFormat", "numberLocale", "blank", "lookupBy")
	if err != nil {
		return c, err
	}
	for _, k := range []struct {
		key string
		dst *string
	}{{"field", &c.Field}, {"dateFormat", &c.DateFormat}, {"numberLocale", &c.NumberLocale}, {"blank", &c.Blank}, {"lookupBy", &c.LookupBy}} {
		if r, ok := m[k.key]; ok {
			if err := scalar(r, path+"."+k.key, k.dst); err != nil {
				return c, err
			}
		}
	}
	if c.Field == "" {
		return c, fmt.Errorf("%s.field is missing: say which field the column goes to", path)
	}
	if !ValidDateFormat(c.DateFormat) {
		return c, fmt.Errorf("%s.dateFormat %q is not one of %s (optionally with \" HH:mm\" or \" HH:mm:ss\")", path, c.DateFormat, strings.Join(DateFormats, ", "))
	}
	if c.NumberLocale != "" && c.NumberLocale != NumberDot && c.NumberLocale != NumberComma {
		return c, fmt.Errorf("%s.numberLocale %q: use %q or %q", path, c.NumberLocale, NumberDot, NumberComma)
	}
	if c.Blank != "" && c.Blank != BlankNull && c.Blank != BlankKeep {
		return c, fmt.Errorf("%s.blank %q: use %q or %q", path, c.Blank, BlankNull, BlankKeep)
	}
	if r, ok := m["valueMap"]; ok {
		vm, err := object(r, path+".valueMap")
		if err != nil {
			return c, err
		}
		c.ValueMap = make(map[string]string, len(vm))
		for k, v := range vm {
			var s string
			if err := scalar(v, path+".valueMap["+strconv.Quote(k)+"]", &s); err != nil {
				return c, err
			}
			c.ValueMap[k] = s
		}
	}
	return c, nil
}

// object decodes a JSON object, refusing keys not in allowed (when given).
func object(data []byte, path string, allowed ...string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		if bytes.Equal(bytes.TrimSpace(data), []byte("null")) || err == nil {
			return nil, fmt.Errorf("%s must be a JSON object", path)
		}
		if se, ok := err.(*json.SyntaxError); ok {
			return nil, fmt.Errorf("%s: not valid JSON at byte %d: %v", path, se.Offset, se)
		}
		return nil, fmt.Errorf("%s must be a JSON object", path)
	}
	if len(allowed) > 0 {
		var unknown []string
		for k := range m {
			known := false
			for _, a := range allowed {
				if k == a {
					known = true
				}
			}
			if !known {
				unknown = append(unknown, k)
			}
		}
		if len(unknown) > 0 {
			sort.Strings(unknown)
			return nil, fmt.Errorf("%s.%s is not a preset setting (known: %s)", path, unknown[0], strings.Join(allowed, ", "))
		}
	}
	return m, nil
}

// scalar decodes a string or number at path, naming the type it wanted.
func scalar(raw json.RawMessage, path string, dst any) error {
	if err := json.Unmarshal(raw, dst); err != nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		want := "a string"
		if _, ok := dst.(*int); ok {
			want = "a whole number"
		}
		return fmt.Errorf("%s must be %s, not %s", path, want, abbreviate(raw))
	}
	return nil
}

func abbreviate(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}
