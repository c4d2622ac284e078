package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"batchdesk/backend/store"
)

// TestRestoreJobNamesItsDelete: a restore's import job says which delete
// it restores (RestoreOf, on the dashboard and its page, from its
// settings, not from the delete's log), and a delete's summary carries
// the detail records it took with it.
func TestRestoreJobNamesItsDelete(t *testing.T) {
	a := demoApp(t)
	d := &DeleteAPI{a.App}
	req := DeleteRequest{Connection: "sandbox", Object: "Opportunity", Where: "amount > 0"}
	pv, err := d.PreviewDelete(req)
	if err != nil || pv.Total == 0 || len(pv.Cascades) == 0 {
		t.Fatalf("preview %+v, %v", pv, err)
	}
	var cascaded int64
	for _, c := range pv.Cascades {
		cascaded += c.Rows
	}
	id, err := d.StartDelete(req, DeleteConfirmation{Object: "Opportunity", Count: pv.Total})
	if j := waitJob(t, a, id, err); j.Status != store.StatusDone {
		t.Fatalf("delete job %+v", j)
	}
	rid, err := d.RestoreDelete(id)
	waitJob(t, a, rid, err)
	page, err := a.GetJob(id)
	if err != nil || page.Cascaded != cascaded || page.RestoreOf != "" || len(page.Restores) == 0 || page.Restores[0].JobID != rid {
		t.Fatalf("delete page %+v restores %+v (want %d cascaded, restore %s), %v", page.JobSummary, page.Restores, cascaded, rid, err)
	}
	rp, err := a.GetJob(rid)
	if err != nil || rp.Kind != store.JobImport || rp.RestoreOf != id || rp.Cascaded != 0 {
		t.Fatalf("restore page %+v, %v", rp.JobSummary, err)
	}
	list, err := a.ListJobs(JobFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range list {
		if want := map[bool]string{true: id}[j.JobID == rid]; j.RestoreOf != want {
			t.Errorf("job %s (%s) restoreOf %q, want %q", j.JobID, j.Kind, j.RestoreOf, want)
		}
	}
}

// TestOldRestoreJobFoundByItsLog: a restore made before imports.Settings
// had restoreOf left an import whose settings do not name the delete; the
// delete's log ("restore: import job ID") and the import's file (in the
// delete's restore folder) still do. Its delete lists it among its
// restores and the import reads as a restore, not a plain import.
func TestOldRestoreJobFoundByItsLog(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	st := a.ws.Store
	del, err := st.CreateJob(ctx, store.Job{Kind: store.JobDelete, Status: store.StatusDone, Connection: "sandbox", Object: "Opportunity",
		Settings: json.RawMessage(`{"crm":"sandbox","object":"Opportunity","all":true}`)})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(a.ws.Home, "reports", del.ID, "restore", "Opportunity.csv")
	old, err := st.CreateJob(ctx, store.Job{Kind: store.JobImport, Status: store.StatusDone, Connection: "sandbox", Object: "Opportunity",
		Settings: json.RawMessage(`{"crm":"sandbox","object":"Opportunity","mode":"insert"}`), Files: []store.JobFile{{Path: file}},
		Total: 3, Succeeded: 3})
	if err != nil {
		t.Fatal(err)
	}
	// A plain import of a file in some other "restore" folder is not one.
	plain, err := st.CreateJob(ctx, store.Job{Kind: store.JobImport, Status: store.StatusDone, Connection: "sandbox", Object: "Opportunity",
		Files: []store.JobFile{{Path: filepath.Join(a.ws.Home, "reports", del.ID+"x", "restore", "Opportunity.csv")}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddJobEvent(ctx, del.ID, store.LevelInfo, "restore: import job "+old.ID); err != nil {
		t.Fatal(err)
	}

	page, err := a.GetJob(del.ID)
	if err != nil || len(page.Restores) != 1 || page.Restores[0].JobID != old.ID || page.Restores[0].Succeeded != 3 {
		t.Fatalf("delete page restores %+v, %v; want the old restore %s", page.Restores, err, old.ID)
	}
	rp, err := a.GetJob(old.ID)
	if err != nil || rp.RestoreOf != del.ID {
		t.Fatalf("old restore page restoreOf %q, %v; want %s", rp.RestoreOf, err, del.ID)
	}
	list, err := a.ListJobs(JobFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range list {
		if want := map[bool]string{true: del.ID}[j.JobID == old.ID]; j.RestoreOf != want {
			t.Errorf("job %s (%s) restoreOf %q, want %q", j.JobID, j.Kind, j.RestoreOf, want)
		}
	}
	if pp, err := a.GetJob(plain.ID); err != nil || pp.RestoreOf != "" {
		t.Fatalf("plain import restoreOf %q, %v", pp.RestoreOf, err)
	}
}
