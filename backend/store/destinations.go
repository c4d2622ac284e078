package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"batchdesk/backend/apperr"
)

// Destination kinds.
const (
	DestinationLocal = "local"
	DestinationOSS   = "oss"
	DestinationFTP   = "ftp"
	DestinationSFTP  = "sftp"
)

// Destination is a saved export destination. Settings is the kind's JSON
// object (folder; endpoint/bucket/prefix; host/port/user/dir/tls; key file) and never
// holds a key or password: those live in the secrets store.
type Destination struct {
	Name      string
	Kind      string          // DestinationLocal, DestinationOSS, DestinationFTP or DestinationSFTP
	Settings  json.RawMessage // a JSON object; "{}" when empty
	CreatedAt time.Time
	UpdatedAt time.Time
}

const destinationCols = `name, kind, settings, created_at, updated_at`

func checkDestination(d *Destination) error {
	if d.Name == "" {
		return apperr.New(apperr.Invalid, "a destination needs a name")
	}
	switch d.Kind {
	case DestinationLocal, DestinationOSS, DestinationFTP, DestinationSFTP:
	default:
		return apperr.New(apperr.Invalid, "destination %q: kind must be local, oss, ftp or sftp, not %q", d.Name, d.Kind)
	}
	if len(d.Settings) == 0 {
		d.Settings = json.RawMessage("{}")
	}
	if !json.Valid(d.Settings) {
		return apperr.New(apperr.Invalid, "destination %q: settings are not valid JSON", d.Name)
	}
	return nil
}

// AddDestination saves a new destination; a taken name gives code Conflict.
func (s *Store) AddDestination(ctx context.Context, d Destination) (Destination, error) {
	if err := checkDestination(&d); err != nil {
		return Destination{}, err
	}
	d.CreatedAt, d.UpdatedAt = now(), now()
	_, err := s.db.ExecContext(ctx, `INSERT INTO destinations (`+destinationCols+`) VALUES (?, ?, ?, ?, ?)`,
		d.Name, d.Kind, string(d.Settings), formatTime(d.CreatedAt), formatTime(d.UpdatedAt))
	if isUnique(err) {
		return Destination{}, apperr.Wrap(err, apperr.Conflict, "a destination named %q already exists", d.Name)
	}
	if err != nil {
		return Destination{}, fmt.Errorf("add destination %q: %w", d.Name, err)
	}
	return d, nil
}

// UpdateDestination replaces the kind and settings of the destination named
// d.Name; an unknown name gives code NotFound.
func (s *Store) UpdateDestination(ctx context.Context, d Destination) error {
	if err := checkDestination(&d); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE destinations SET kind = ?, settings = ?, updated_at = ? WHERE name = ?`,
		d.Kind, string(d.Settings), formatTime(now()), d.Name)
	if err != nil {
		return fmt.Errorf("update destination %q: %w", d.Name, err)
	}
	return affectedOne(res, "destination", d.Name)
}

// GetDestination returns the destination with this name, or code NotFound.
func (s *Store) GetDestination(ctx context.Context, name string) (Destination, error) {
	d, err := scanDestination(s.db.QueryRowContext(ctx, `SELECT `+destinationCols+` FROM destinations WHERE name = ?`, name))
	if err == sql.ErrNoRows {
		return Destination{}, notFound("destination", name)
	}
	if err != nil {
		return Destination{}, fmt.Errorf("get destination %q: %w", name, err)
	}
	return d, nil
}

// ListDestinations returns every destination, sorted by name.
func (s *Store) ListDestinations(ctx context.Context) ([]Destination, error) {
	return queryAll(ctx, s.db, scanDestination, "list destinations", `SELECT `+destinationCols+` FROM destinations ORDER BY name`)
}

// DeleteDestination removes the destination with this name, or gives code
// NotFound.
func (s *Store) DeleteDestination(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM destinations WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("delete destination %q: %w", name, err)
	}
	return affectedOne(res, "destination", name)
}

func scanDestination(r scanner) (Destination, error) {
	var d Destination
	var settings string
	var created, updated sql.NullString
	if err := r.Scan(&d.Name, &d.Kind, &settings, &created, &updated); err != nil {
		return Destination{}, err
	}
	d.Settings = json.RawMessage(settings)
	var err error
	if d.CreatedAt, err = parseTime(created); err != nil {
		return Destination{}, err
	}
	if d.UpdatedAt, err = parseTime(updated); err != nil {
		return Destination{}, err
	}
	return d, nil
}
