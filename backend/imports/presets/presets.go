// Package presets keeps saved mappings (presets): in the app store, by
// name, with the header signature that suggests a preset for files like the
// one it was made for; and as shared JSON files ("version": 1). There is one
// shape, mapping.Preset: every preset body and file is read by
// mapping.Decode (strict, versioned) and written by mapping.Encode.
//
// In: the app store, names, mapping.Preset values, JSON text or a file
// path. Out: mapping.Preset values, and the saved store.Preset row.
//
// Errors (*apperr.Error): an unknown name gives NotFound; text, a file or a
// stored body that is not a usable preset gives Invalid (naming the JSON
// path at fault); a file that cannot be read gives NotFound or Invalid.
package presets

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/store"
)

// Parse reads preset JSON text (mapping.Decode), coding its errors Invalid.
func Parse(data []byte) (mapping.Preset, error) {
	p, err := mapping.Decode(data)
	if err != nil {
		return mapping.Preset{}, apperr.Wrap(err, apperr.Invalid, "not a Batchdesk preset: %v", err)
	}
	return p, nil
}

// FromRow decodes a saved preset; the row's name is the preset's name.
func FromRow(row store.Preset) (mapping.Preset, error) {
	p, err := mapping.Decode(row.Body)
	if err != nil {
		return mapping.Preset{}, apperr.Wrap(err, apperr.Invalid, "preset %q cannot be read: %v", row.Name, err)
	}
	p.Name = row.Name
	return p, nil
}

// Get returns the saved preset name.
func Get(ctx context.Context, st *store.Store, name string) (mapping.Preset, error) {
	row, err := st.GetPreset(ctx, name)
	if err != nil {
		return mapping.Preset{}, err
	}
	return FromRow(row)
}

// Save stores p under p.Name, creating or replacing it. headers (the
// file's) give the signature that lets later files with the same headers
// find it; nil keeps the signature of the preset it replaces.
func Save(ctx context.Context, st *store.Store, p mapping.Preset, headers []string) (store.Preset, error) {
	body, err := mapping.Encode(p)
	if err != nil {
		return store.Preset{}, err
	}
	sig := ""
	if len(headers) > 0 {
		sig = mapping.Signature(headers)
	} else if old, err := st.GetPreset(ctx, p.Name); err == nil {
		sig = old.HeaderSignature
	}
	return st.SavePreset(ctx, store.Preset{Name: p.Name, Object: p.Object, HeaderSignature: sig, Body: body})
}

// Rename renames a saved preset; the name inside its body follows.
func Rename(ctx context.Context, st *store.Store, oldName, newName string) error {
	if err := st.RenamePreset(ctx, oldName, newName); err != nil {
		return err
	}
	row, err := st.GetPreset(ctx, newName)
	if err != nil {
		return err
	}
	p, err := FromRow(row)
	if err != nil {
		return nil // an unreadable body keeps its old name inside; the row is renamed
	}
	body, err := mapping.Encode(p)
	if err != nil {
		return err
	}
	row.Body = body
	_, err = st.SavePreset(ctx, row)
	return err
}

// File renders p as its shareable JSON file (mapping.Encode, with a final
// newline).
func File(p mapping.Preset) ([]byte, error) {
	b, err := mapping.Encode(p)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ReadFile reads a preset JSON file.
func ReadFile(path string) (mapping.Preset, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return mapping.Preset{}, apperr.Wrap(err, apperr.NotFound, "%s: no such file", path)
	}
	if err != nil {
		return mapping.Preset{}, apperr.Wrap(err, apperr.Invalid, "%s: cannot read the file: %v", path, unwrapPath(err))
	}
	p, err := mapping.Decode(b)
	if err != nil {
		return mapping.Preset{}, apperr.Wrap(err, apperr.Invalid, "%s is not a usable preset file: %v", path, err)
	}
	return p, nil
}

// Load returns a preset given as a JSON file (a path ending in .json, or an
// existing file) or by a saved preset's name.
func Load(ctx context.Context, st *store.Store, nameOrFile string) (mapping.Preset, error) {
	if strings.HasSuffix(strings.ToLower(nameOrFile), ".json") || isFile(nameOrFile) {
		return ReadFile(nameOrFile)
	}
	p, err := Get(ctx, st, nameOrFile)
	if apperr.CodeOf(err) == apperr.NotFound {
		return mapping.Preset{}, apperr.Wrap(err, apperr.NotFound, "no preset named %q (see 'batchdesk presets list'; a preset file must end in .json)", nameOrFile)
	}
	return p, err
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// unwrapPath drops the path from an *fs.PathError (the message names it).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
