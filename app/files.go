package app

import (
	"context"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/imports"
)

func init() { addArea("import", false, func(a *App) any { return &ImportAPI{a} }) }

// ImportAPI is the import area of the surface: reading files, the mapping
// step's suggestions, and starting validations, rehearsals and imports.
type ImportAPI struct{ *App }

// sampleRows is how many first rows the files step shows.
const sampleRows = 20

// InspectFile reads a file's encoding, delimiter, header, row count and
// first rows. The file is read by Go from its path: nothing large passes
// through the page.
func (a *ImportAPI) InspectFile(ref FileRef) (imports.FileInfo, error) {
	if err := a.files.check(ref.Path); err != nil {
		return imports.FileInfo{}, fail(err)
	}
	f, err := ref.format()
	if err != nil {
		return imports.FileInfo{}, fail(err)
	}
	ctx, cancel := a.call(5 * time.Minute)
	defer cancel()
	fi, err := imports.InspectFile(ctx, a.ws.Store, ref.Path, f, sampleRows)
	if err != nil {
		return imports.FileInfo{}, fail(err)
	}
	return fi, nil
}

// SuggestMapping auto-matches headers to the object's fields and finds
// saved presets made for files with the same headers.
func (a *ImportAPI) SuggestMapping(connection, object string, headers []string) (MappingSuggestion, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	obj, err := a.describe(ctx, connection, object)
	if err != nil {
		return MappingSuggestion{}, fail(err)
	}
	s, err := imports.Suggest(ctx, a.ws.Store, obj, headers)
	if err != nil {
		return MappingSuggestion{}, fail(err)
	}
	out := MappingSuggestion{Mapping: s.Mapping, Suggestions: s.Suggestions, Presets: []PresetSummary{}}
	for _, p := range s.Presets {
		out.Presets = append(out.Presets, presetSummary(p))
	}
	return out, nil
}

// ColumnValues lists the distinct values of a column, most frequent first,
// for the value-map editor. Cells are split on ";" (the multi-picklist
// separator, which no option can contain).
func (a *ImportAPI) ColumnValues(ref FileRef, header string, limit int) ([]imports.ValueCount, error) {
	if err := a.files.check(ref.Path); err != nil {
		return nil, fail(err)
	}
	f, err := ref.format()
	if err != nil {
		return nil, fail(err)
	}
	ctx, cancel := a.call(5 * time.Minute)
	defer cancel()
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	vals, err := imports.FileColumnValues(ctx, a.ws.Store, ref.Path, f, header, limit)
	if err != nil {
		return nil, fail(err)
	}
	return vals, nil
}

// GuessObject names the object of the connection that a file with these
// headers most likely belongs to ("" when none fits), so files opened with
// the app start on the mapping step.
func (a *ImportAPI) GuessObject(connection string, headers []string) (string, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	objs, err := a.objects(ctx, connection)
	if err != nil {
		return "", fail(err)
	}
	return imports.GuessObject(objs, headers), nil
}

// PickFiles opens the native file dialog (window only).
func (a *ImportAPI) PickFiles() ([]string, error) {
	d := a.dialogs()
	if d == nil {
		return nil, fail(apperr.New(apperr.Invalid, "there is no file dialog in the browser: upload the files instead"))
	}
	paths, err := d.OpenFiles("Choose CSV files")
	if err != nil {
		return nil, fail(err)
	}
	if paths == nil {
		paths = []string{}
	}
	return paths, nil
}

// describe opens a connection and returns one object's metadata.
func (a *App) describe(ctx context.Context, connection, object string) (*catalog.Object, error) {
	t, err := a.open(ctx, connection)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	obj, err := t.Object(ctx, object)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.NotFound, "%s has no object %q", connection, object)
	}
	return obj, nil
}
