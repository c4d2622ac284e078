package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"batchdesk/backend/appdir"
	"batchdesk/backend/crm"
	"batchdesk/backend/export"
	"batchdesk/backend/schedule"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// TestAppRunsSchedules: the window and `batchdesk serve` run due schedules
// while the app runs, as jobs of the app's own registry.
func TestAppRunsSchedules(t *testing.T) {
	t.Setenv("BATCHDESK_HOME", t.TempDir())
	t.Setenv("BATCHDESK_SECRETS", "file")
	t.Setenv("BATCHDESK_PASSPHRASE", "app-test")
	ctx := context.Background()
	path, _ := appdir.SandboxPath()
	tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindSandbox, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := crm.InstallDemo(ctx, tg); err != nil {
		t.Fatal(err)
	}
	tg.Close()
	ws, err := workspace.Open(workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	out := t.TempDir()
	set, _ := json.Marshal(export.Settings{CRM: "sandbox", Request: export.Request{Object: "Product"}, Destination: out})
	when := time.Now().Add(time.Second).UTC().Format("2006-01-02T15:04:05")
	sc, _, err := schedule.Create(ctx, ws.Store, schedule.New{Kind: store.JobExport, Spec: "once " + when + " UTC", Settings: set}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	a := New(ws, Options{Version: "test", Mode: "browser", Scheduler: true})
	defer a.shutdown()
	deadline := time.Now().Add(time.Minute)
	for {
		runs, err := ws.Store.ScheduleRuns(ctx, sc.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 1 && runs[0].JobID != "" {
			j, err := a.jobs.Wait(ctx, runs[0].JobID)
			if err != nil || j.Status != store.StatusDone {
				t.Fatalf("scheduled job %+v, %v", j, err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the app did not run the due schedule")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if files, _ := filepath.Glob(filepath.Join(out, "*.csv")); len(files) != 1 {
		t.Errorf("exported files: %v", files)
	}
}
