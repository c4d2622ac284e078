package sandbox_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"batchdesk/backend/crm/sandbox"
)

// TestPragmasOnEveryConnection: foreign keys, WAL and the busy timeout hold
// on every pooled connection, not only the first.
func TestPragmasOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	tg, err := sandbox.Open(ctx, filepath.Join(t.TempDir(), "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	db := tg.DB()
	db.SetMaxIdleConns(4)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			var fk, busy int
			var mode string
			if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
				t.Error(err)
			}
			if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
				t.Error(err)
			}
			if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
				t.Error(err)
			}
			if fk != 1 || busy < 1000 || mode != "wal" {
				t.Errorf("foreign_keys=%d busy_timeout=%d journal_mode=%s", fk, busy, mode)
			}
		}()
	}
	wg.Wait()
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crm.db")
	tg, err := sandbox.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tg.DB().ExecContext(ctx, `INSERT INTO account (name) VALUES ('Kept')`); err != nil {
		t.Fatal(err)
	}
	tg.Close()
	tg, err = sandbox.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	var n int
	if err := tg.DB().QueryRowContext(ctx, `SELECT count(*) FROM account WHERE name = 'Kept'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("row lost on reopen: %d %v", n, err)
	}
}
