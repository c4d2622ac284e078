package imports

import (
	"context"

	"batchdesk/backend/catalog"
	"batchdesk/backend/ingest/mapping"
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

// SavePreset stores m under name (creating or replacing it) with the header
// signature that lets a later file with the same headers find it.
func SavePreset(ctx context.Context, st *store.Store, name string, m mapping.Mapping, headers []string) (store.Preset, error) {
	body, err := mapping.Encode(mapping.Preset{Name: name, Mapping: m})
	if err != nil {
		return store.Preset{}, err
	}
	sig := ""
	if len(headers) > 0 {
		sig = mapping.Signature(headers)
	} else if old, err := st.GetPreset(ctx, name); err == nil {
		sig = old.HeaderSignature
	}
	return st.SavePreset(ctx, store.Preset{Name: name, Object: m.Object, HeaderSignature: sig, Body: body})
}
