package export

import (
	"context"
	"path/filepath"
	"testing"

	"batchdesk/backend/crm"
	"batchdesk/backend/destination/local"
	"batchdesk/backend/pgtest"
)

// eachTarget runs fn against the demo CRM on PostgreSQL (a throwaway
// database) and in a sandbox file.
func eachTarget(t *testing.T, fn func(t *testing.T, tg crm.Target)) {
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, openDemo(t, crm.Spec{Kind: crm.KindPostgres, DSN: pgtest.NewDatabase(t)}))
	})
	t.Run("sandbox", func(t *testing.T) {
		t.Parallel()
		fn(t, openDemo(t, crm.Spec{Kind: crm.KindSandbox, Path: filepath.Join(t.TempDir(), "crm.db")}))
	})
}

// openDemo opens spec with the demo CRM installed.
func openDemo(t *testing.T, spec crm.Spec) crm.Target {
	t.Helper()
	ctx := context.Background()
	tg, err := crm.Open(ctx, spec)
	if err != nil {
		t.Fatalf("open %s: %v", spec, err)
	}
	t.Cleanup(func() { tg.Close() })
	if err := crm.InstallDemo(ctx, tg); err != nil {
		t.Fatal(err)
	}
	return tg
}

// folder is a local destination in a new temporary folder.
func folder(t *testing.T) (*local.Dest, string) {
	t.Helper()
	dir := t.TempDir()
	d, err := local.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d, dir
}
