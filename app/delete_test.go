package app

import (
	"context"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/store"
)

// sandboxRows counts the rows of a table of the built-in sandbox.
func sandboxRows(t *testing.T, a *testApp, table string) int {
	t.Helper()
	tg, err := a.open(context.Background(), "sandbox")
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	var n int
	if err := tg.(*sandbox.Target).DB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDeletePreviewConfirmBackupRestore(t *testing.T) {
	a := newApp(t)
	d := &DeleteAPI{a.App}
	req := DeleteRequest{Connection: "sandbox", Object: "Opportunity", All: true}
	opps, lines := sandboxRows(t, a, "opportunity"), sandboxRows(t, a, "opportunity_line")

	pv, err := d.PreviewDelete(req)
	if err != nil {
		t.Fatal(err)
	}
	if pv.Total != int64(opps) || pv.Check != "count" || pv.CheckNote == "" {
		t.Fatalf("preview = %+v, want %d records and the count check", pv, opps)
	}
	s, err := d.SampleDelete(req, 5, false)
	if err != nil || len(s.Rows) != 5 || s.Header[0] != "id" {
		t.Fatalf("sample = %+v, %v", s, err)
	}

	// A wrong count is refused and deletes nothing.
	_, err = d.StartDelete(req, DeleteConfirmation{Object: "Opportunity", Count: pv.Total - 1})
	if apperr.CodeOf(err) != apperr.Conflict || sandboxRows(t, a, "opportunity") != opps {
		t.Fatalf("wrong count: err %v, %d opportunities left of %d", err, sandboxRows(t, a, "opportunity"), opps)
	}

	id, err := d.StartDelete(req, DeleteConfirmation{Object: "Opportunity", Count: pv.Total})
	j := waitJob(t, a, id, err)
	if j.Status != store.StatusDone || sandboxRows(t, a, "opportunity") != 0 || sandboxRows(t, a, "opportunity_line") != 0 {
		t.Fatalf("delete job = %+v; %d opportunities left", j, sandboxRows(t, a, "opportunity"))
	}
	b, err := d.GetDeleteBackup(id)
	if err != nil || !b.Restorable || b.Location == "" {
		t.Fatalf("backup = %+v, %v", b, err)
	}

	js, err := a.ListJobs(JobFilter{Kind: store.JobDelete})
	if err != nil || len(js) == 0 || js[0].JobID != id || js[0].Backup != b.Location {
		t.Fatalf("dashboard = %+v, %v; want job %s with backup %s", js, err, id, b.Location)
	}

	rid, err := d.RestoreDelete(id)
	rj := waitJob(t, a, rid, err)
	if rj.Status != store.StatusDone || rj.Kind != store.JobImport {
		t.Fatalf("restore job = %+v", rj)
	}
	if got := sandboxRows(t, a, "opportunity"); got != opps {
		t.Errorf("after restore %d opportunities, want %d", got, opps)
	}
	if got := sandboxRows(t, a, "opportunity_line"); got != lines {
		t.Errorf("after restore %d lines, want %d", got, lines)
	}
}
