package imports

import (
	"context"

	"batchdesk/backend/catalog"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/store"
)

// Suggestion is the mapping step's starting point: the auto-accepted
// mapping, one suggestion per header and the saved presets whose headers
// match the file's.
type Suggestion struct {
	Mapping     mapping.Mapping
	Suggestions []mapping.Suggestion
	Presets     []store.Preset
}

// Suggest matches headers to obj's fields and finds matching presets.
func Suggest(ctx context.Context, st *store.Store, obj *catalog.Object, headers []string) (Suggestion, error) {
	presets, err := st.FindPresetsByHeaders(ctx, mapping.Signature(headers))
	if err != nil {
		return Suggestion{}, err
	}
	sugg := mapping.Match(obj, headers)
	m := mapping.Mapping{Object: obj.APIName, Mode: mapping.Insert, Columns: map[string]mapping.Column{}}
	for _, s := range sugg {
		if s.Auto {
			m.Columns[s.Header] = mapping.Column{Field: s.Field}
		}
	}
	return Suggestion{Mapping: m, Suggestions: sugg, Presets: presets}, nil
}
