package load

import (
	"strings"

	"batchdesk/backend/catalog"
)

// objectName names an object inside a sentence: its English label (the
// API name when it has none).
func objectName(o *catalog.Object) string {
	if l := strings.TrimSpace(o.LabelEN); l != "" {
		return l
	}
	return o.APIName
}

// fieldName names a field of another object inside a sentence: its
// English label with the API name when that is not just the label in other case ("Account Name
// (name)", "Email"), the API name alone when it has no label.
func fieldName(f *catalog.Field) string {
	l := strings.TrimSpace(f.LabelEN)
	switch {
	case l == "":
		return f.APIName
	case strings.EqualFold(strings.ReplaceAll(l, " ", "_"), f.APIName):
		return l
	}
	return l + " (" + f.APIName + ")"
}

// fieldLabel names the row's own field inside a sentence whose place
// already names it by API name ("Account No."): its English label, else
// the API name.
func fieldLabel(f *catalog.Field) string {
	if l := strings.TrimSpace(f.LabelEN); l != "" {
		return l
	}
	return f.APIName
}

// fieldNames is fieldName of each of fs, as a list ending in "or".
func fieldNames(fs []*catalog.Field) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = fieldName(f)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
