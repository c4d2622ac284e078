package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"batchdesk/backend/apperr"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "batchdesk.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error with code %s, got nil", code)
	}
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("want code %s, got %s (%v)", code, got, err)
	}
}

func TestMigrateFromEmpty(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v != LatestSchemaVersion() || v < 1 {
		t.Fatalf("schema version %d, want %d", v, LatestSchemaVersion())
	}
	for _, table := range []string{"connections", "destinations", "presets", "jobs", "job_events", "schedules", "settings"} {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: n=%d err=%v", table, n, err)
		}
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q (%v), want wal", mode, err)
	}
	var fk int
	if err := s.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys %d (%v), want 1", fk, err)
	}
}

func TestReopenIsNoOp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a?b#c.db") // URI-special characters in the path
	ctx := context.Background()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddConnection(ctx, Connection{Name: "prod", Kind: "postgres", Host: "db"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	var rows int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_version`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != LatestSchemaVersion() {
		t.Fatalf("schema_version has %d rows after reopen, want %d", rows, LatestSchemaVersion())
	}
	if _, err := s.GetConnection(ctx, "prod"); err != nil {
		t.Fatalf("data lost on reopen: %v", err)
	}
}

func TestRefuseNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "batchdesk.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	future := LatestSchemaVersion() + 1
	if _, err := s.db.Exec(`INSERT INTO schema_version (version, applied_at) VALUES (?, '2099-01-01T00:00:00.000Z')`, future); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("want ErrSchemaTooNew, got %v", err)
	}
	wantCode(t, err, apperr.Conflict)
	t.Logf("message: %s", apperr.MessageOf(err))
}

func TestConnectionsCRUD(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	in := Connection{Name: "prod", Kind: "postgres", Host: "db.example.com", Port: 5432,
		Database: "crm", User: "loader", Schema: "crm", SSLMode: "require"}
	got, err := s.AddConnection(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.CreatedAt.IsZero() {
		t.Error("CreatedAt not set")
	}
	_, err = s.AddConnection(ctx, in)
	wantCode(t, err, apperr.Conflict)
	if _, err := s.AddConnection(ctx, Connection{Name: "copy", Kind: "sandbox", Path: "/tmp/x.db"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.AddConnection(ctx, Connection{Name: "bad", Kind: "mysql"})
	wantCode(t, err, apperr.Invalid)

	back, err := s.GetConnection(ctx, "prod")
	if err != nil {
		t.Fatal(err)
	}
	if back != got {
		t.Fatalf("round trip:\n got %+v\nwant %+v", back, got)
	}
	list, err := s.ListConnections(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "copy" || list[1].Name != "prod" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	back.Port = 6543
	if err := s.UpdateConnection(ctx, back); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.GetConnection(ctx, "prod"); c.Port != 6543 {
		t.Fatalf("update not kept: %+v", c)
	}
	wantCode(t, s.UpdateConnection(ctx, Connection{Name: "nope", Kind: "postgres"}), apperr.NotFound)
	if err := s.DeleteConnection(ctx, "prod"); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetConnection(ctx, "prod")
	wantCode(t, err, apperr.NotFound)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("want ErrNotFound in chain: %v", err)
	}
	wantCode(t, s.DeleteConnection(ctx, "prod"), apperr.NotFound)
}

func TestDestinationsCRUD(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	d, err := s.AddDestination(ctx, Destination{Name: "nightly", Kind: DestinationOSS,
		Settings: []byte(`{"endpoint":"http://127.0.0.1:9000","bucket":"b","prefix":"exports/"}`)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.AddDestination(ctx, Destination{Name: "nightly", Kind: DestinationLocal})
	wantCode(t, err, apperr.Conflict)
	_, err = s.AddDestination(ctx, Destination{Name: "x", Kind: "s3"})
	wantCode(t, err, apperr.Invalid)
	_, err = s.AddDestination(ctx, Destination{Name: "x", Kind: DestinationFTP, Settings: []byte(`{`)})
	wantCode(t, err, apperr.Invalid)
	local, err := s.AddDestination(ctx, Destination{Name: "desk", Kind: DestinationLocal})
	if err != nil || string(local.Settings) != "{}" {
		t.Fatalf("empty settings: %s %v", local.Settings, err)
	}

	back, err := s.GetDestination(ctx, "nightly")
	if err != nil || string(back.Settings) != string(d.Settings) || back.Kind != DestinationOSS {
		t.Fatalf("get = %+v, %v", back, err)
	}
	back.Settings = []byte(`{"bucket":"other"}`)
	if err := s.UpdateDestination(ctx, back); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListDestinations(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "desk" || string(list[1].Settings) != `{"bucket":"other"}` {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if err := s.DeleteDestination(ctx, "nightly"); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetDestination(ctx, "nightly")
	wantCode(t, err, apperr.NotFound)
}

func TestSettings(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if v, ok, err := s.GetSetting(ctx, "theme"); v != "" || ok || err != nil {
		t.Fatalf("unset setting: %q %v %v", v, ok, err)
	}
	if err := s.SetSetting(ctx, "theme", "dark"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "theme", "light"); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := s.GetSetting(ctx, "theme"); v != "light" || !ok {
		t.Fatalf("theme = %q", v)
	}

	// Defaults.
	if l, _ := s.Language(ctx); l != "en" {
		t.Errorf("default language %q", l)
	}
	if n, _ := s.MaxFileMB(ctx); n != 100 {
		t.Errorf("default max file MB %d", n)
	}
	if b, _ := s.MaxFileBytes(ctx); b != 104_857_600 {
		t.Errorf("default max file bytes %d", b)
	}
	if n, _ := s.BatchSize(ctx); n != 5000 {
		t.Errorf("default batch size %d", n)
	}

	tests := []struct {
		name string
		set  func() error
		code string // "" = accepted
	}{
		{"language zh", func() error { return s.SetLanguage(ctx, "zh") }, ""},
		{"language fr", func() error { return s.SetLanguage(ctx, "fr") }, apperr.Invalid},
		{"max file 250", func() error { return s.SetMaxFileMB(ctx, 250) }, ""},
		{"max file 0", func() error { return s.SetMaxFileMB(ctx, 0) }, apperr.Invalid},
		{"batch 1000", func() error { return s.SetBatchSize(ctx, 1000) }, ""},
		{"batch -1", func() error { return s.SetBatchSize(ctx, -1) }, apperr.Invalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.set()
			if tc.code == "" && err != nil {
				t.Fatal(err)
			}
			if tc.code != "" {
				wantCode(t, err, tc.code)
			}
		})
	}
	if l, _ := s.Language(ctx); l != "zh" {
		t.Errorf("language %q", l)
	}
	if n, _ := s.MaxFileMB(ctx); n != 250 {
		t.Errorf("max file MB %d", n)
	}
	if n, _ := s.BatchSize(ctx); n != 1000 {
		t.Errorf("batch size %d", n)
	}
}

func TestSchedulesCRUD(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	next := now().Add(-1e9)
	sc, err := s.SaveSchedule(ctx, Schedule{Kind: JobExport, Spec: "daily 02:00", Zone: "Asia/Shanghai",
		JobSettings: []byte(`{"object":"Account"}`), NextRun: next, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if sc.ID == "" || !sc.NextRun.Equal(next) || !sc.LastRun.IsZero() || !sc.Enabled {
		t.Fatalf("saved %+v", sc)
	}
	due, err := s.DueSchedules(ctx, now())
	if err != nil || len(due) != 1 {
		t.Fatalf("due = %+v, %v", due, err)
	}
	if err := s.SetScheduleRuns(ctx, sc.ID, now(), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueSchedules(ctx, now()); len(due) != 0 {
		t.Fatalf("still due: %+v", due)
	}
	sc.Enabled = false
	if _, err := s.SaveSchedule(ctx, sc); err != nil {
		t.Fatal(err)
	}
	list, _ := s.ListSchedules(ctx)
	if len(list) != 1 || list[0].Enabled {
		t.Fatalf("list %+v", list)
	}
	if err := s.DeleteSchedule(ctx, sc.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetSchedule(ctx, sc.ID)
	wantCode(t, err, apperr.NotFound)
}
