package app

import (
	"errors"
	"os"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/presets"
	"batchdesk/backend/store"
)

func init() { addArea("presets", false, func(a *App) any { return &PresetsAPI{a} }) }

// PresetsAPI is the presets area of the surface: saved mappings, and
// sharing them as JSON files.
type PresetsAPI struct{ *App }

func presetSummary(p store.Preset) PresetSummary {
	s := PresetSummary{Name: p.Name, Object: p.Object, UpdatedAt: p.UpdatedAt.UTC().Format(time.RFC3339)}
	if mp, err := presets.FromRow(p); err == nil {
		s.Mode = string(mp.EffectiveMode())
		s.Columns = len(mp.Columns)
	}
	return s
}

// ListPresets lists saved presets ("" object: all).
func (a *PresetsAPI) ListPresets(object string) ([]PresetSummary, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	ps, err := a.ws.Store.ListPresets(ctx, object)
	if err != nil {
		return nil, fail(err)
	}
	out := make([]PresetSummary, 0, len(ps))
	for _, p := range ps {
		out = append(out, presetSummary(p))
	}
	return out, nil
}

// GetPreset returns a preset's mapping (name, object, mode, key, zone,
// columns; a master–detail preset's master key column and details too).
func (a *PresetsAPI) GetPreset(name string) (mapping.Preset, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	p, err := presets.Get(ctx, a.ws.Store, name)
	return p, fail(err)
}

// SavePreset creates or replaces preset name with p (a mapping, and on a
// master–detail import its master key column and details); headers (the
// master file's) let later files with the same headers find it.
func (a *PresetsAPI) SavePreset(name string, p mapping.Preset, headers []string) (PresetSummary, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	p.Name = name
	row, err := presets.Save(ctx, a.ws.Store, p, headers)
	if err != nil {
		return PresetSummary{}, fail(err)
	}
	return presetSummary(row), nil
}

// RenamePreset renames a preset.
func (a *PresetsAPI) RenamePreset(oldName, newName string) error {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	return fail(presets.Rename(ctx, a.ws.Store, oldName, newName))
}

// DeletePreset deletes a preset.
func (a *PresetsAPI) DeletePreset(name string) error {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	return fail(a.ws.Store.DeletePreset(ctx, name))
}

// ExportPreset returns the preset as its shareable JSON text ("version": 1).
func (a *PresetsAPI) ExportPreset(name string) (string, error) {
	p, err := a.GetPreset(name)
	if err != nil {
		return "", err
	}
	b, err := mapping.Encode(p)
	return string(b), fail(err)
}

// ImportPreset reads preset JSON (strictly) and saves it under its name.
func (a *PresetsAPI) ImportPreset(text string) (PresetSummary, error) {
	p, err := presets.Parse([]byte(text))
	if err != nil {
		return PresetSummary{}, fail(err)
	}
	if p.Name == "" {
		return PresetSummary{}, fail(apperr.New(apperr.Invalid, "the preset file has no \"name\""))
	}
	return a.SavePreset(p.Name, p, nil)
}

// SaveTextFile asks where to save and writes content there (window only);
// "" when the user cancels.
func (a *PresetsAPI) SaveTextFile(defaultName, content string) (string, error) {
	d := a.dialogs()
	if d == nil {
		return "", fail(apperr.New(apperr.Invalid, "there is no save dialog in the browser"))
	}
	path, err := d.SaveFile("Save", defaultName)
	if err != nil || path == "" {
		return "", fail(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		return "", fail(apperr.Wrap(err, apperr.Invalid, "cannot write %s: %v", path, errors.Unwrap(err)))
	}
	return path, nil
}
