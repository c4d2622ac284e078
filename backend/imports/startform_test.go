package imports

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// TestStartFormOpensOnce: a command-line import started with StartForm
// opens the CRM once (Start after Complete opened it twice) and saves the
// same settings as Start(Complete(form)).
func TestStartFormOpensOnce(t *testing.T) {
	t.Setenv("BATCHDESK_HOME", t.TempDir())
	t.Setenv("BATCHDESK_SECRETS", "file")
	t.Setenv("BATCHDESK_PASSPHRASE", "test")
	ws, err := workspace.Open(workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	reg := jobs.New(ws.Store, nil, jobs.Options{})
	svc := New(ws, reg, Options{})
	dir := t.TempDir()
	file := filepath.Join(dir, "accounts.csv")
	if err := os.WriteFile(file, []byte("Account No,Name,Staff\nS-1,Seams One,10\nS-2,Seams Two,20\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	form := Form{CRM: "sandbox:" + filepath.Join(dir, "crm.db"), Object: "account", Mode: "Upsert", Key: "account_no",
		Maps: []string{"Staff=employees"}, Delimiter: ",", Files: []string{file}}
	opens := 0
	crmOpened = func() { opens++ }
	t.Cleanup(func() { crmOpened = nil })
	ctx := context.Background()
	wait := func(id string) store.Job {
		t.Helper()
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		j, err := reg.Wait(wctx, id)
		if err != nil || j.Status != store.StatusDone || j.Failed != 0 {
			t.Fatalf("job %s: %+v %v", id, j, err)
		}
		return j
	}

	opps := filepath.Join(dir, "opps.csv")
	lines := filepath.Join(dir, "lines.csv")
	os.WriteFile(opps, []byte("Ref,Opportunity Name,Account,Stage\nK1,Seams Deal,A-0001,Prospecting\n"), 0o600)
	os.WriteFile(lines, []byte("Ref,Product,Quantity\nK1,SKU-1001,2\n"), 0o600)
	md := Form{CRM: form.CRM, Object: "Opportunity", MasterKey: "Ref", Details: []string{"OpportunityLine=" + lines}, Files: []string{opps}}
	for _, f := range []Form{form, md} {
		opens = 0
		req, err := svc.Complete(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		id, err := svc.Start(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		before := wait(id)
		if opens != 2 {
			t.Fatalf("Complete and Start opened the CRM %d times", opens)
		}
		opens = 0
		id, err = svc.StartForm(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		after := wait(id)
		if opens != 1 {
			t.Errorf("%s: StartForm opened the CRM %d times, want once", f.Object, opens)
		}
		if len(after.Settings) < 100 || string(after.Settings) != string(before.Settings) {
			t.Errorf("settings differ:\n StartForm:       %s\n Start(Complete): %s", after.Settings, before.Settings)
		}
		if after.Object != before.Object || after.Connection != before.Connection || len(after.Files) != len(before.Files) {
			t.Errorf("job %+v, want like %+v", after, before)
		}
	}

	// A problem Start finds is found the same: a batch size out of range.
	bad := form
	bad.BatchSize = -1
	if _, err := svc.StartForm(ctx, bad); err == nil {
		t.Error("a negative batch size started")
	}
}
