package export

import (
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/query"
)

// columns chooses and describes o's columns: the id (WithIDs), the _key
// (ownKey), then the fields — named ones in their order, or the defaults —
// with linkKey, when set, written as the master's _key.
func columns(o *catalog.Object, objs []catalog.Object, req Request, names []string, ownKey bool, linkKey *catalog.Field) ([]query.Column, []string, error) {
	fields, err := chooseFields(o, req, names)
	if err != nil {
		return nil, nil, err
	}
	var cols []query.Column
	var header []string
	if ownKey {
		cols, header = append(cols, query.Column{Kind: query.RowKey}), append(header, KeyColumn)
	}
	for _, f := range fields {
		if linkKey != nil && f.APIName == linkKey.APIName {
			cols, header = append(cols, query.Column{Kind: query.MasterRowKey, Field: f}), append(header, KeyColumn)
			continue
		}
		cols, header = append(cols, column(f, objs, req)), append(header, headerOf(f, req.Headers))
	}
	if len(cols) == 0 {
		return nil, nil, apperr.New(apperr.Invalid, "%s has no field to export", o.APIName)
	}
	return cols, header, nil
}

// chooseFields resolves names against o, or picks the default fields: the
// id with WithIDs, every field that is not a system field, the owner, and
// the other system fields with SystemFields (life_status also with
// IncludeVoided, so a voided record stays voided when re-imported).
func chooseFields(o *catalog.Object, req Request, names []string) ([]*catalog.Field, error) {
	var out []*catalog.Field
	seen := map[string]bool{}
	add := func(f *catalog.Field) {
		if !seen[f.APIName] {
			seen[f.APIName] = true
			out = append(out, f)
		}
	}
	if req.WithIDs {
		if f, err := o.Field("id"); err == nil {
			add(f)
		}
	}
	if len(names) > 0 {
		for _, n := range names {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			f, err := o.Field(n)
			if err != nil {
				return nil, unknownField(o, n, err)
			}
			add(f)
		}
		return out, nil
	}
	for i := range o.Fields {
		f := &o.Fields[i]
		switch {
		case f.APIName == "id":
		case !f.System, f.Type == catalog.Owner, req.SystemFields,
			req.IncludeVoided && f.APIName == "life_status":
			add(f)
		}
	}
	return out, nil
}

// unknownField is the error for a field name o lacks, with the nearest
// names.
func unknownField(o *catalog.Object, name string, err error) error {
	names := make([]string, len(o.Fields))
	for i, f := range o.Fields {
		names[i] = f.APIName
	}
	hint := ""
	if near := nearest(name, names); near != "" {
		hint = fmt.Sprintf(": did you mean %q?", near)
	}
	return apperr.Wrap(err, apperr.Invalid, "%s has no field %q%s (fields: %s)", o.APIName, truncate(name), hint, strings.Join(names, ", "))
}

// nearest is the candidate closest to name (case-insensitive edit
// distance), when it is close enough to be a typo.
func nearest(name string, candidates []string) string {
	best, bestD := "", 0
	n := strings.ToLower(strings.TrimSpace(name))
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(n, strings.ToLower(c))
		if strings.Contains(strings.ToLower(c), n) && len(n) >= 3 {
			d = min(d, 2)
		}
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len([]rune(n))/3) {
		return ""
	}
	return best
}

// column says how field f is written.
func column(f *catalog.Field, objs []catalog.Object, req Request) query.Column {
	c := query.Column{Kind: query.Value, Field: f}
	switch {
	case f.Type == catalog.RelatedTeam:
		c.Kind = query.TeamIDs
		if !req.WithIDs {
			c.Kind, c.ExcelSafe = query.TeamKeys, req.ExcelSafe
			if u := userObject(objs); u != nil {
				c.Target, c.Keys = u, refKeys(u)
			}
		}
	case f.Type.References():
		if req.WithIDs {
			break
		}
		if t, err := catalog.Find(objs, f.Target); err == nil {
			if keys := refKeys(t); len(keys) > 0 {
				c.Kind, c.Target, c.Keys, c.ExcelSafe = query.RefKey, t, keys, req.ExcelSafe
			}
		}
	case textual(f.Type):
		c.ExcelSafe = req.ExcelSafe
	}
	return c
}

// textual reports whether a type's values are free text a spreadsheet
// might take for a formula (numbers, dates and booleans never are).
func textual(t catalog.FieldType) bool {
	switch t {
	case catalog.Text, catalog.LongText, catalog.Email, catalog.Phone, catalog.URL,
		catalog.Picklist, catalog.MultiPicklist:
		return true
	}
	return false
}

// userObject is the CRM's User object (team members are users).
func userObject(objs []catalog.Object) *catalog.Object {
	for i := range objs {
		if objs[i].APIName == "User" && objs[i].FromCatalog {
			return &objs[i]
		}
	}
	return nil
}

// refKeys are the fields a reference to t is written as without IDs: a
// user's email (then employee number, then name); otherwise the primary
// attribute, or the unique fields when there is none. Empty: the ID.
func refKeys(t *catalog.Object) []*catalog.Field {
	var out []*catalog.Field
	pick := func(name string) {
		if f, err := t.Field(name); err == nil && f.Column != "" {
			out = append(out, f)
		}
	}
	if t.APIName == "User" && t.FromCatalog {
		pick("email")
		pick("employee_no")
		pick("name")
		return out
	}
	if p := t.PrimaryField(); p != nil && p.Column != "" {
		return []*catalog.Field{p}
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		if f.Unique && f.APIName != "id" && f.Column != "" && !f.Type.References() {
			out = append(out, f)
		}
	}
	return out
}

// headerOf is a field's column header: its API name, or its label.
func headerOf(f *catalog.Field, headers string) string {
	switch headers {
	case "en":
		if f.LabelEN != "" {
			return f.LabelEN
		}
	case "zh":
		if f.LabelZH != "" {
			return f.LabelZH
		}
		if f.LabelEN != "" {
			return f.LabelEN
		}
	}
	return f.APIName
}
