package imports

import (
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/imports/mapping"
)

// MapColumns is the mapping of a file with header: its headers
// auto-matched to obj's fields, with "Header=field" maps on top (checked
// against the header and the object).
func MapColumns(obj *catalog.Object, header, maps []string, mode, key string) (mapping.Mapping, error) {
	if err := checkMaps(obj, header, maps); err != nil {
		return mapping.Mapping{}, err
	}
	return buildMapping(obj, header, nil, maps, mode, key)
}

// checkMaps checks each "Header=field" against the file's header and the
// object.
func checkMaps(obj *catalog.Object, header []string, maps []string) error {
	for _, m := range maps {
		h, fld, _ := parseMap(m)
		found := false
		for _, col := range header {
			if strings.EqualFold(strings.TrimSpace(col), h) {
				found = true
			}
		}
		if !found {
			return apperr.New(apperr.Invalid, "--map %q: the file has no column %q (columns: %s)", m, h, listColumns(header))
		}
		if fld == "" {
			continue
		}
		if _, err := obj.Field(fld); err != nil {
			return apperr.Wrap(err, apperr.Invalid, "--map %q: %s has no field %q (fields: %s)", m, obj.APIName, fld, fieldNames(obj))
		}
	}
	return nil
}

func fieldNames(obj *catalog.Object) string {
	names := make([]string, 0, len(obj.Fields))
	for _, f := range obj.Fields {
		names = append(names, f.APIName)
	}
	return strings.Join(names, ", ")
}

// buildMapping makes the mapping of one object's files: the preset's
// columns (or auto-matched headers), then maps on top; mode and key as
// given, else the preset's. Its columns are keyed by the file's own header
// names.
func buildMapping(obj *catalog.Object, header []string, from *mapping.Preset, maps []string, mode, key string) (mapping.Mapping, error) {
	var preset mapping.Mapping
	if from != nil {
		preset = from.Mapping
	}
	cols := map[string]mapping.Column{} // by normalized header
	if preset.Columns != nil {
		for h, c := range preset.Columns {
			cols[mapping.Normalize(h)] = c
		}
	} else {
		for h, f := range autoMatch(obj, header) {
			cols[mapping.Normalize(h)] = mapping.Column{Field: f}
		}
	}
	for _, m := range maps {
		h, f, _ := parseMap(m)
		if f == "" {
			delete(cols, mapping.Normalize(h))
			continue
		}
		fld, err := obj.Field(f)
		if err != nil {
			return mapping.Mapping{}, apperr.Wrap(err, apperr.Invalid, "--map %q: %s has no field %q", m, obj.APIName, f)
		}
		cols[mapping.Normalize(h)] = mapping.Column{Field: fld.APIName}
	}
	if mode == "" {
		mode = string(preset.Mode)
	}
	if key == "" {
		key = preset.Key
	}
	out := mapping.Mapping{Object: obj.APIName, Mode: mapping.Mode(mode), Key: key, Zone: preset.Zone,
		Columns: map[string]mapping.Column{}}
	for _, h := range header {
		if c, ok := cols[mapping.Normalize(h)]; ok && c.Field != "" {
			out.Columns[h] = c
		}
	}
	if len(out.Columns) == 0 {
		return out, apperr.New(apperr.Invalid, "no column of the file matches a field of %s: map the columns (Header=field) or use a preset", obj.APIName)
	}
	return out, checkMapping(obj, out)
}

// exactMapping is a complete mapping given by the window, keyed by the
// file's own header names: each of its columns must be in the header.
func exactMapping(obj *catalog.Object, header []string, m mapping.Mapping, mode, key string) (mapping.Mapping, error) {
	byNorm := make(map[string]string, len(header))
	for _, h := range header {
		byNorm[mapping.Normalize(h)] = h
	}
	out := mapping.Mapping{Object: obj.APIName, Mode: mapping.Mode(mode), Key: key, Zone: m.Zone,
		Columns: make(map[string]mapping.Column, len(m.Columns))}
	for h, c := range m.Columns {
		if c.Field == "" {
			continue
		}
		fh, ok := byNorm[mapping.Normalize(h)]
		if !ok {
			return out, apperr.New(apperr.Invalid, "the mapping names a column %q that the file does not have (columns: %s)", h, listColumns(header))
		}
		out.Columns[fh] = c
	}
	if len(out.Columns) == 0 {
		return out, apperr.New(apperr.Invalid, "no column is mapped to a field of %s: map at least one", obj.APIName)
	}
	return out, checkMapping(obj, out)
}

func checkMapping(obj *catalog.Object, m mapping.Mapping) error {
	if err := m.Check(obj); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "the mapping does not fit %s: %v", obj.APIName, err)
	}
	return nil
}

// autoMatch is mapping.AutoMapping's header → field pairs; the error
// report's _row and _error columns never match.
func autoMatch(obj *catalog.Object, header []string) map[string]string {
	var hs []string
	for _, h := range header {
		if h != "_row" && h != "_error" {
			hs = append(hs, h)
		}
	}
	out := map[string]string{}
	for h, c := range mapping.AutoMapping(obj, hs).Columns {
		if f, err := obj.Field(c.Field); err == nil && f.Generated {
			continue // the database computes it: never offered
		}
		out[h] = c.Field
	}
	return out
}
