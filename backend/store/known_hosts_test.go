package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"

	"batchdesk/backend/apperr"

	_ "modernc.org/sqlite"
)

// TestMigration0002KeepsDestinations writes a destination under schema 1
// only, then opens the file: the row survives the table rebuild and the
// kind sftp is now allowed.
func TestMigration0002KeepsDestinations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
		ms[0].sql,
		`INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00.000Z')`,
		`INSERT INTO destinations (name, kind, settings, created_at, updated_at) VALUES ('nas', 'ftp', '{"host":"nas"}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO destinations (name, kind, created_at, updated_at) VALUES ('x', 'sftp', '', '')`); err == nil {
		t.Fatal("schema 1 accepted kind sftp")
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := s.GetDestination(ctx, "nas")
	if err != nil || d.Kind != DestinationFTP || string(d.Settings) != `{"host":"nas"}` {
		t.Fatalf("after migration: %+v %v", d, err)
	}
	if _, err := s.AddDestination(ctx, Destination{Name: "box", Kind: DestinationSFTP, Settings: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
}

func TestKnownHosts(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	_, err := s.GetKnownHost(ctx, "h", 22)
	wantCode(t, err, apperr.NotFound)
	k := KnownHost{Host: "h", Port: 22, Key: "ssh-ed25519 AAAA1", Fingerprint: "SHA256:one"}
	if err := s.PutKnownHost(ctx, k); err != nil {
		t.Fatal(err)
	}
	k.Key, k.Fingerprint = "ssh-ed25519 AAAA2", "SHA256:two"
	if err := s.PutKnownHost(ctx, k); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetKnownHost(ctx, "h", 22)
	if err != nil || got.Fingerprint != "SHA256:two" || got.Key != "ssh-ed25519 AAAA2" || got.AddedAt.IsZero() {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := s.GetKnownHost(ctx, "h", 2222); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("other port: %v", err)
	}
	wantCode(t, s.PutKnownHost(ctx, KnownHost{Host: "h"}), apperr.Invalid)
	if err := s.DeleteKnownHost(ctx, "h", 22); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetKnownHost(ctx, "h", 22)
	wantCode(t, err, apperr.NotFound)
}
