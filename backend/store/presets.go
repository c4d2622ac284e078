package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"batchdesk/backend/apperr"
)

// Preset is a saved import mapping. Body is the mapping itself (a JSON
// object whose shape backend/imports/mapping owns); HeaderSignature lets a new
// file with the same headers find it.
type Preset struct {
	Name            string
	Object          string          // target object's API name
	HeaderSignature string          // HeaderSignature of the file it was made for
	Body            json.RawMessage // the mapping, a JSON object
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// HeaderSignature is the stable fingerprint of a file's header row used to
// suggest presets: each header trimmed, BOM-stripped, case-folded and with
// inner runs of space collapsed, in order; then hashed. Two files whose
// headers differ only in case or spacing get the same signature.
func HeaderSignature(headers []string) string {
	h := sha256.New()
	for _, s := range headers {
		s = strings.TrimPrefix(s, "\ufeff")
		s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
		h.Write([]byte(strings.ToLower(s)))
		h.Write([]byte{0x1f})
	}
	return hex.EncodeToString(h.Sum(nil))
}

const presetCols = `name, object, header_signature, body, created_at, updated_at`

// SavePreset creates the preset, or replaces the object, signature and body
// of the preset with the same name (keeping its creation time). It returns
// the preset as stored.
func (s *Store) SavePreset(ctx context.Context, p Preset) (Preset, error) {
	if strings.TrimSpace(p.Name) == "" {
		return Preset{}, apperr.New(apperr.Invalid, "a preset needs a name")
	}
	if p.Object == "" {
		return Preset{}, apperr.New(apperr.Invalid, "preset %q: no object given", p.Name)
	}
	if len(p.Body) == 0 {
		p.Body = json.RawMessage("{}")
	}
	if !json.Valid(p.Body) {
		return Preset{}, apperr.New(apperr.Invalid, "preset %q: body is not valid JSON", p.Name)
	}
	t := formatTime(now())
	_, err := s.db.ExecContext(ctx, `INSERT INTO presets (`+presetCols+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET object = excluded.object,
			header_signature = excluded.header_signature, body = excluded.body, updated_at = excluded.updated_at`,
		p.Name, p.Object, p.HeaderSignature, string(p.Body), t, t)
	if err != nil {
		return Preset{}, fmt.Errorf("save preset %q: %w", p.Name, err)
	}
	return s.GetPreset(ctx, p.Name)
}

// GetPreset returns the preset with this name, or code NotFound.
func (s *Store) GetPreset(ctx context.Context, name string) (Preset, error) {
	p, err := scanPreset(s.db.QueryRowContext(ctx, `SELECT `+presetCols+` FROM presets WHERE name = ?`, name))
	if err == sql.ErrNoRows {
		return Preset{}, notFound("preset", name)
	}
	if err != nil {
		return Preset{}, fmt.Errorf("get preset %q: %w", name, err)
	}
	return p, nil
}

// ListPresets returns every preset sorted by name; object, when not empty,
// keeps only that object's presets.
func (s *Store) ListPresets(ctx context.Context, object string) ([]Preset, error) {
	return s.queryPresets(ctx, "list presets",
		`SELECT `+presetCols+` FROM presets WHERE (? = '' OR object = ?) ORDER BY name`, object, object)
}

// FindPresetsByHeaders returns the presets made for files with this header
// signature (see HeaderSignature), most recently updated first.
func (s *Store) FindPresetsByHeaders(ctx context.Context, signature string) ([]Preset, error) {
	if signature == "" {
		return nil, nil
	}
	return s.queryPresets(ctx, "find presets",
		`SELECT `+presetCols+` FROM presets WHERE header_signature = ? ORDER BY updated_at DESC, name`, signature)
}

// RenamePreset renames a preset; an unknown name gives NotFound, a taken new
// name gives Conflict.
func (s *Store) RenamePreset(ctx context.Context, oldName, newName string) error {
	if strings.TrimSpace(newName) == "" {
		return apperr.New(apperr.Invalid, "a preset needs a name")
	}
	res, err := s.db.ExecContext(ctx, `UPDATE presets SET name = ?, updated_at = ? WHERE name = ?`,
		newName, formatTime(now()), oldName)
	if isUnique(err) {
		return apperr.Wrap(err, apperr.Conflict, "a preset named %q already exists", newName)
	}
	if err != nil {
		return fmt.Errorf("rename preset %q: %w", oldName, err)
	}
	return affectedOne(res, "preset", oldName)
}

// DeletePreset removes the preset with this name, or gives code NotFound.
func (s *Store) DeletePreset(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM presets WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("delete preset %q: %w", name, err)
	}
	return affectedOne(res, "preset", name)
}

func (s *Store) queryPresets(ctx context.Context, what, query string, args ...any) ([]Preset, error) {
	return queryAll(ctx, s.db, scanPreset, what, query, args...)
}

func scanPreset(r scanner) (Preset, error) {
	var p Preset
	var body string
	var created, updated sql.NullString
	if err := r.Scan(&p.Name, &p.Object, &p.HeaderSignature, &body, &created, &updated); err != nil {
		return Preset{}, err
	}
	p.Body = json.RawMessage(body)
	var err error
	if p.CreatedAt, err = parseTime(created); err != nil {
		return Preset{}, err
	}
	if p.UpdatedAt, err = parseTime(updated); err != nil {
		return Preset{}, err
	}
	return p, nil
}
