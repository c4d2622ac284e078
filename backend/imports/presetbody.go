package imports

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/store"
)

// ReadPresetFile reads and checks a preset JSON file (mapping.Decode:
// strict, versioned) and returns it re-encoded.
func ReadPresetFile(path string) (json.RawMessage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, FileError(path, err)
	}
	p, err := mapping.Decode(b)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "%s is not a usable preset file: %v", path, err)
	}
	if p.Object == "" {
		return nil, apperr.New(apperr.Invalid, `%s: the preset names no "object"`, path)
	}
	return mapping.Encode(p)
}

// LoadPresetBody returns the mapping of a preset given as a JSON file (a
// path ending in .json, or an existing file) or a saved preset's name.
func LoadPresetBody(ctx context.Context, st *store.Store, nameOrFile string) (json.RawMessage, error) {
	if strings.HasSuffix(strings.ToLower(nameOrFile), ".json") || fileExists(nameOrFile) {
		return ReadPresetFile(nameOrFile)
	}
	p, err := st.GetPreset(ctx, nameOrFile)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.NotFound, "no preset named %q (see 'batchdesk presets list'; a preset file must end in .json)", nameOrFile)
	}
	return SetPresetFields(p.Body, map[string]any{"version": mapping.PresetVersion, "name": p.Name, "object": p.Object})
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// PresetString reads a top-level string field of a preset body ("object",
// "name" …; "" when absent).
func PresetString(body json.RawMessage, key string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	var s string
	_ = json.Unmarshal(m[key], &s)
	return s
}

// SetPresetFields sets top-level fields of a preset body, keeping the rest.
func SetPresetFields(body json.RawMessage, fields map[string]any) (json.RawMessage, error) {
	m := map[string]any{}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "the preset is not a JSON object: %v", err)
		}
	}
	for k, v := range fields {
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode preset: %w", err)
	}
	return b, nil
}
