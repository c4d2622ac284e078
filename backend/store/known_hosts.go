package store

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"strconv"
	"time"

	"batchdesk/backend/apperr"
)

// KnownHost is an SSH server key the user accepted, pinned by address.
type KnownHost struct {
	Host        string
	Port        int
	Key         string // authorized_keys form, "ssh-ed25519 AAAA…"
	Fingerprint string // "SHA256:…"
	AddedAt     time.Time
}

// GetKnownHost returns the pinned key of host:port, or code NotFound.
func (s *Store) GetKnownHost(ctx context.Context, host string, port int) (KnownHost, error) {
	k := KnownHost{Host: host, Port: port}
	var added sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT key, fingerprint, added_at FROM known_hosts WHERE host = ? AND port = ?`, host, port).
		Scan(&k.Key, &k.Fingerprint, &added)
	if err == sql.ErrNoRows {
		return KnownHost{}, notFound("known host key", net.JoinHostPort(host, strconv.Itoa(port)))
	}
	if err != nil {
		return KnownHost{}, fmt.Errorf("get known host %s: %w", host, err)
	}
	if k.AddedAt, err = parseTime(added); err != nil {
		return KnownHost{}, err
	}
	return k, nil
}

// PutKnownHost pins k's key for its address, replacing an older one: only
// call it when the user accepted the key.
func (s *Store) PutKnownHost(ctx context.Context, k KnownHost) error {
	if k.Host == "" || k.Port <= 0 || k.Key == "" || k.Fingerprint == "" {
		return apperr.New(apperr.Invalid, "a known host needs a host, a port and a key")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO known_hosts (host, port, key, fingerprint, added_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (host, port) DO UPDATE SET key = excluded.key, fingerprint = excluded.fingerprint, added_at = excluded.added_at`,
		k.Host, k.Port, k.Key, k.Fingerprint, formatTime(now()))
	if err != nil {
		return fmt.Errorf("pin the host key of %s: %w", k.Host, err)
	}
	return nil
}

// DeleteKnownHost forgets the key of host:port; a missing one is not an
// error.
func (s *Store) DeleteKnownHost(ctx context.Context, host string, port int) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM known_hosts WHERE host = ? AND port = ?`, host, port); err != nil {
		return fmt.Errorf("forget the host key of %s: %w", host, err)
	}
	return nil
}
