package mapping

import (
	"fmt"
	"strings"

	"batchdesk/backend/catalog"
)

// ParseMapFlag splits a --map value "Header=field" at its last '=': a
// header may hold '=' ("a=b=name" maps the column "a=b"), a field API name
// never does. Both sides are trimmed; the header must not be empty. An
// empty field ("Header=") leaves the column unmapped.
func ParseMapFlag(s string) (header, field string, err error) {
	i := strings.LastIndexByte(s, '=')
	if i < 0 {
		return "", "", fmt.Errorf("--map %q: write it as \"Header=field\" (no '=' found; \"Header=\" ignores the column)", clip(s))
	}
	header, field = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
	switch {
	case header == "" && field == "":
		return "", "", fmt.Errorf("--map %q: both the header and the field are missing: write \"Header=field\"", clip(s))
	case header == "":
		return "", "", fmt.Errorf("--map %q: the header (before '=') is missing", clip(s))
	}
	return header, field, nil
}

// clip keeps at most 100 characters of a flag value for a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return s
}

// ApplyMapFlags parses each --map value and sets the column in m (keeping
// any value map or format a preset gave it; a header mapped before to
// another field is remapped; "Header=" unmaps it). The field must exist on obj; a header not in
// the file's header row is an error when headers is not nil.
func ApplyMapFlags(m *Mapping, obj *catalog.Object, headers []string, flags []string) error {
	if m.Columns == nil {
		m.Columns = map[string]Column{}
	}
	for _, s := range flags {
		h, field, err := ParseMapFlag(s)
		if err != nil {
			return err
		}
		if field == "" {
			for k := range m.Columns {
				if strings.EqualFold(strings.TrimSpace(k), h) {
					delete(m.Columns, k)
				}
			}
			continue
		}
		f, err := obj.Field(field)
		if err != nil {
			return fmt.Errorf("--map %q: %w", s, unknownField(obj, field))
		}
		if headers != nil {
			found := ""
			for _, fh := range headers {
				if strings.EqualFold(strings.TrimSpace(fh), h) {
					found = fh
					break
				}
			}
			if found == "" {
				return fmt.Errorf("--map %q: the file has no column %q (its columns: %s)", s, h, strings.Join(headers, ", "))
			}
			h = found
		}
		c := m.Columns[h]
		if c.Field != f.APIName {
			c = Column{Field: f.APIName}
		}
		m.Columns[h] = c
	}
	return nil
}
