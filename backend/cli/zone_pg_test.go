package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/pgtest"
)

// A connection saved with --zone reads datetimes written without a zone
// in that zone; one saved without reads them in the computer's.
func TestConnectionZone(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	isolateHome(t)
	ctx := context.Background()
	t.Setenv("TZ", "UTC")
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TABLE meetings (name text NOT NULL, at timestamptz)"); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, ctx, "connections", "add", "bad", dsn, "--zone", "Mars/Olympus"); r.code == 0 || !strings.Contains(r.stderr, "not a time zone") {
		t.Fatalf("a bad zone: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "connections", "add", "sh", dsn, "--zone", "Asia/Shanghai"); r.code != 0 || !strings.Contains(r.stdout, "time zone Asia/Shanghai") {
		t.Fatalf("add: %d %s %s", r.code, r.stdout, r.stderr)
	}
	data := writeFile(t, "m.csv", "name,at\nkickoff,2026-03-01 09:00:00\n")
	if r := runCLI(t, ctx, "import", "--crm", "sh", "--object", "meetings", data); r.code != 0 {
		t.Fatalf("import: %d %s %s", r.code, r.stderr, r.stdout)
	}
	var got string
	if err := conn.QueryRow(ctx, "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM meetings").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "2026-03-01 01:00" {
		t.Fatalf("09:00 in Shanghai stored as %s UTC, want 01:00", got)
	}
	r := runCLI(t, ctx, "connections", "list", "--json")
	if !strings.Contains(r.stdout, `"zone": "Asia/Shanghai"`) && !strings.Contains(r.stdout, `"zone":"Asia/Shanghai"`) {
		t.Fatalf("list lacks the zone: %s", r.stdout)
	}
}
