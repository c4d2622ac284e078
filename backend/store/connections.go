package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"batchdesk/backend/apperr"
)

// Connection is a saved CRM connection, without its password (the secrets
// store holds that, keyed by the connection's name).
type Connection struct {
	Name      string    // unique, chosen by the user
	Kind      string    // "postgres" or "sandbox"
	Host      string    // postgres: server host
	Port      int       // postgres: server port
	Database  string    // postgres: database name
	User      string    // postgres: login role
	Schema    string    // postgres: search_path ("" = the server's default)
	SSLMode   string    // postgres: libpq sslmode ("" = the driver's default)
	Path      string    // sandbox: SQLite file
	Zone      string    // IANA time zone for datetimes without one ("" = the computer's)
	CreatedAt time.Time // set by AddConnection
}

const connectionCols = `name, kind, host, port, db_name, db_user, db_schema, ssl_mode, path, zone, created_at`

func checkConnection(c Connection) error {
	if c.Name == "" {
		return apperr.New(apperr.Invalid, "a connection needs a name")
	}
	if c.Kind != "postgres" && c.Kind != "sandbox" {
		return apperr.New(apperr.Invalid, "connection %q: kind must be postgres or sandbox, not %q", c.Name, c.Kind)
	}
	return nil
}

// AddConnection saves a new connection; a taken name gives code Conflict.
// CreatedAt is set to now when zero.
func (s *Store) AddConnection(ctx context.Context, c Connection) (Connection, error) {
	if err := checkConnection(c); err != nil {
		return Connection{}, err
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO connections (`+connectionCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Name, c.Kind, c.Host, c.Port, c.Database, c.User, c.Schema, c.SSLMode, c.Path, c.Zone, formatTime(c.CreatedAt))
	if isUnique(err) {
		return Connection{}, apperr.Wrap(err, apperr.Conflict, "a connection named %q already exists", c.Name)
	}
	if err != nil {
		return Connection{}, fmt.Errorf("add connection %q: %w", c.Name, err)
	}
	return c, nil
}

// UpdateConnection replaces every field of the connection named c.Name but
// its creation time; an unknown name gives code NotFound.
func (s *Store) UpdateConnection(ctx context.Context, c Connection) error {
	if err := checkConnection(c); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE connections
		SET kind = ?, host = ?, port = ?, db_name = ?, db_user = ?, db_schema = ?, ssl_mode = ?, path = ?, zone = ?
		WHERE name = ?`,
		c.Kind, c.Host, c.Port, c.Database, c.User, c.Schema, c.SSLMode, c.Path, c.Zone, c.Name)
	if err != nil {
		return fmt.Errorf("update connection %q: %w", c.Name, err)
	}
	return affectedOne(res, "connection", c.Name)
}

// GetConnection returns the connection with this name, or code NotFound.
func (s *Store) GetConnection(ctx context.Context, name string) (Connection, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+connectionCols+` FROM connections WHERE name = ?`, name)
	c, err := scanConnection(row)
	if err == sql.ErrNoRows {
		return Connection{}, notFound("connection", name)
	}
	if err != nil {
		return Connection{}, fmt.Errorf("get connection %q: %w", name, err)
	}
	return c, nil
}

// ListConnections returns every saved connection, sorted by name.
func (s *Store) ListConnections(ctx context.Context) ([]Connection, error) {
	return queryAll(ctx, s.db, scanConnection, "list connections", `SELECT `+connectionCols+` FROM connections ORDER BY name`)
}

// DeleteConnection removes the connection with this name, or gives code
// NotFound.
func (s *Store) DeleteConnection(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM connections WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("delete connection %q: %w", name, err)
	}
	return affectedOne(res, "connection", name)
}

func scanConnection(r scanner) (Connection, error) {
	var c Connection
	var created sql.NullString
	if err := r.Scan(&c.Name, &c.Kind, &c.Host, &c.Port, &c.Database, &c.User, &c.Schema, &c.SSLMode, &c.Path, &c.Zone, &created); err != nil {
		return Connection{}, err
	}
	t, err := parseTime(created)
	if err != nil {
		return Connection{}, err
	}
	c.CreatedAt = t
	return c, nil
}
