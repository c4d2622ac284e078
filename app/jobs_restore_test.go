package app

import (
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
