package export

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"batchdesk/backend/destination"
	"batchdesk/backend/jobs"
	"batchdesk/backend/pgtest"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// newService opens a workspace in a temporary data folder and an export
// service whose destinations come from open (nil: folders).
func newService(t *testing.T, open OpenDestination) (*Service, *jobs.Registry) {
	t.Helper()
	t.Setenv("BATCHDESK_HOME", t.TempDir())
	t.Setenv("BATCHDESK_SECRETS", "file")
	t.Setenv("BATCHDESK_PASSPHRASE", "test")
	ws, err := workspace.Open(workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	reg := jobs.New(ws.Store, nil, jobs.Options{})
	return NewService(ws, reg, open), reg
}

// TestJobRecordsFiles: an export job keeps its files (rows, bytes,
// SHA-256, location) and settings without a password, and RunJob runs the
// saved settings again as a new job.
func TestJobRecordsFiles(t *testing.T) {
	svc, reg := newService(t, nil)
	ctx := context.Background()
	dsn := strings.Replace(pgtest.NewDatabase(t), "postgres@", "postgres:hunter2@", 1)
	if err := openDemoErr(dsn); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	id, err := svc.Start(ctx, dsn, Request{Object: "Opportunity", Related: true}, dir)
	if err != nil {
		t.Fatal(err)
	}
	j, err := reg.Wait(ctx, id)
	if err != nil || j.Status != store.StatusDone {
		t.Fatalf("job %+v: %v", j, err)
	}
	if j.Kind != store.JobExport || j.Object != "Opportunity" || j.Succeeded != 45 || len(j.Files) != 3 {
		t.Fatalf("job %+v", j)
	}
	files := FilesOf(j.Files)
	if f := files[1]; f.Name != "Opportunity.csv" || f.Rows != 15 || len(f.SHA256) != 64 || f.Archive != files[0].Name ||
		!strings.HasPrefix(f.Location, dir) {
		t.Errorf("recorded file %+v", f)
	}
	raw, _ := json.Marshal(j)
	if strings.Contains(string(raw), "hunter2") {
		t.Fatalf("the job keeps the password: %s", raw)
	}
	var set Settings
	if err := json.Unmarshal(j.Settings, &set); err != nil || set.Destination != dir || set.DestinationDescription != dir || !set.Request.Related {
		t.Fatalf("settings %s: %v", j.Settings, err)
	}
	// A scheduled run: the saved settings as a new job (the CRM needs its
	// password back, as a schedule's saved connection would give it).
	set.CRM = dsn
	id2, err := RunJob(ctx, svc.ws, reg, set)
	if err != nil {
		t.Fatal(err)
	}
	if j2, err := reg.Wait(ctx, id2); err != nil || j2.Status != store.StatusDone || id2 == id || len(j2.Files) != 3 {
		t.Fatalf("second run %+v: %v", j2, err)
	}
	if err := svc.Resume(ctx, id, ""); err == nil || !strings.Contains(err.Error(), "is done") {
		t.Errorf("resume of a done job: %v", err)
	}
}

// TestJobFailsWithTheDestination: a destination that fails fails the job
// with its message, and no file is recorded.
func TestJobFailsWithTheDestination(t *testing.T) {
	svc, reg := newService(t, func(context.Context, string) (destination.Destination, error) { return &failing{}, nil })
	ctx := context.Background()
	id, err := svc.Start(ctx, "sandbox:"+filepath.Join(t.TempDir(), "crm.db"), Request{Object: "Account"}, "ftp://me@files.example.com/exports")
	if err != nil {
		t.Fatal(err)
	}
	j, err := reg.Wait(ctx, id)
	if j.Status != store.StatusFailed || !strings.Contains(j.Message, "closed the connection during the upload") || len(j.Files) != 0 {
		t.Fatalf("job %+v (%v)", j, err)
	}
	if err == nil || !strings.Contains(err.Error(), "ftp://me@files.example.com:21/exports") {
		t.Errorf("error %v", err)
	}
}
