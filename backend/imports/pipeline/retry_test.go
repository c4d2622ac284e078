package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/imports/load"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/pipeline"
)

// cutConnections terminates every other backend of the database, as a
// server restart or a dropped network would.
func cutConnections(t *testing.T, dsn string) {
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(),
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"); err != nil {
		t.Error(err)
	}
}

// A connection lost mid-COPY is retried with backoff and the job ends with
// every row once; when the server stays away the job ends interrupted,
// and resuming it completes the file exactly.
func TestLostConnection(t *testing.T) {
	defer load.SetRetryDelays([]time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond})()
	for _, persistent := range []bool{false, true} {
		t.Run(fmt.Sprintf("persistent=%v", persistent), func(t *testing.T) {
			tg := openPG(t, false)
			dsn := killDSN[tg.Describe()]
			ctx := context.Background()
			if _, err := tg.Pool().Exec(ctx, "CREATE TABLE events (name text NOT NULL, qty integer)"); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			b.WriteString("name,qty\n")
			for i := range 1000 {
				fmt.Fprintf(&b, "row%04d,%d\n", i, i)
			}
			file := write(t, "events.csv", b.String())
			req := pipeline.Request{Target: tg, Object: "events", Files: []string{file}, JobID: "lost", BatchSize: 100, Workers: 1,
				Mapping: mapping.Mapping{Columns: map[string]mapping.Column{"name": {Field: "name"}, "qty": {Field: "qty"}}}}
			var cuts atomic.Int32
			restore := load.SetFailpointHook(func(name string, seq int) {
				if name == load.FailMidCopy && seq == 3 && (persistent || cuts.Load() == 0) {
					cuts.Add(1)
					cutConnections(t, dsn)
				}
			})
			res, err := pipeline.Run(ctx, req, nil)
			restore()
			if persistent {
				if !errors.Is(err, load.ErrInterrupted) || !res.Interrupted {
					t.Fatalf("run = %+v, %v; want interrupted", res, err)
				}
				if cuts.Load() < 2 {
					t.Errorf("the batch was tried %d times, want retries", cuts.Load())
				}
				if res, err = pipeline.Resume(ctx, req, nil); err != nil {
					t.Fatalf("resume: %v", err)
				}
			} else if err != nil {
				t.Fatalf("run: %v", err)
			}
			if res.Succeeded != 1000 || res.Failed != 0 {
				t.Errorf("result %+v", res)
			}
			var n, distinct int
			if err := tg.Pool().QueryRow(ctx, "SELECT count(*), count(DISTINCT name) FROM events").Scan(&n, &distinct); err != nil {
				t.Fatal(err)
			}
			if n != 1000 || distinct != 1000 {
				t.Errorf("%d rows, %d distinct; want 1000 each", n, distinct)
			}
		})
	}
}
