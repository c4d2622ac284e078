package app

import (
	"encoding/json"
	"strings"
	"testing"

	"batchdesk/backend/destinations"
	"batchdesk/backend/export"
	"batchdesk/backend/store"
)

// TestEditScheduleAndDestination: an export schedule that ran is edited
// (spec, zone, filter) and keeps its ID and last run; a bad filter changes
// nothing; renaming its saved destination carries the schedule along, and
// it still runs.
func TestEditScheduleAndDestination(t *testing.T) {
	a := demoApp(t)
	sa, da := &SchedulesAPI{a.App}, &DestinationsAPI{a.App}
	dir := t.TempDir()
	if _, err := da.AddDestination(destinations.Input{Name: "out", URL: dir}); err != nil {
		t.Fatal(err)
	}
	sc, err := sa.ScheduleExport("sandbox", export.Request{Object: "Account"}, "out", "daily 03:00", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Connection != "sandbox" {
		t.Errorf("schedule connection %q, want sandbox (the page names its object by that CRM's labels)", sc.Connection)
	}
	first, err := sa.RunScheduleNow(sc.ID)
	waitJob(t, a, first, err)

	got, err := sa.UpdateSchedule(sc.ID, ScheduleEdit{Spec: "weekly mon 04:30", Zone: "Asia/Shanghai", Where: "industry = 'Retail'"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != sc.ID || got.Spec != "weekly mon 04:30 Asia/Shanghai" || got.Words != "Every Monday at 04:30 (Asia/Shanghai)" ||
		got.Where != "industry = 'Retail'" || got.Destination != "out" || got.NextRun == "" || got.NextRun == sc.NextRun {
		t.Fatalf("edited %+v (was %+v)", got, sc)
	}
	_, err = sa.UpdateSchedule(sc.ID, ScheduleEdit{Spec: "daily 05:00", Zone: "UTC", Where: "no_such_field = 1"}, "en")
	wantCode(t, err, "invalid")
	_, err = sa.UpdateSchedule(sc.ID, ScheduleEdit{Spec: "daily 05:00", Zone: "UTC", Where: "industry = 'Retail'", Destination: "ftp://me:pw@host/x"}, "en")
	wantCode(t, err, "invalid")
	_, err = sa.UpdateSchedule("nope", ScheduleEdit{Spec: "daily 05:00"}, "en")
	wantCode(t, err, "not_found")

	if _, err := da.UpdateDestination("out", destinations.Input{Name: "exports", URL: dir}); err != nil {
		t.Fatal(err)
	}
	list, err := sa.ListSchedules("en")
	if err != nil || len(list) != 1 {
		t.Fatalf("%+v %v", list, err)
	}
	s := list[0]
	if s.ID != sc.ID || s.Spec != got.Spec || s.Where != "industry = 'Retail'" || s.Destination != "exports" ||
		s.LastJobID != first || !strings.HasSuffix(s.Title, " to exports") {
		t.Fatalf("after the edits: %+v", s)
	}
	again, err := sa.RunScheduleNow(sc.ID)
	if j := waitJob(t, a, again, err); j.Status != store.StatusDone {
		t.Fatalf("the edited schedule's job: %+v", j)
	}
	info, err := (&ExportAPI{a.App}).ExportJob(again)
	if err != nil || info.Request.Where != "industry = 'Retail'" || !strings.HasPrefix(info.Destination, "exports (") || info.ScheduleID != sc.ID {
		t.Fatalf("info %+v, %v", info, err)
	}

	// The dashboard and the job page say where it went and which schedule
	// started it; a person's export has no schedule.
	byHand, err := (&ExportAPI{a.App}).StartExport("sandbox", export.Request{Object: "Product"}, "exports")
	waitJob(t, a, byHand, err)
	js, err := a.ListJobs(JobFilter{Kind: store.JobExport})
	if err != nil || len(js) != 3 {
		t.Fatalf("%+v %v", js, err)
	}
	for _, j := range js {
		if j.DestinationKind != "local" || !strings.Contains(j.Destination, dir) {
			t.Errorf("job %s: destination %q kind %q", j.JobID, j.Destination, j.DestinationKind)
		}
		if scheduled := j.JobID != byHand; scheduled != (j.ScheduleID == sc.ID) || scheduled != (j.ScheduleTitle == "export Account to exports") {
			t.Errorf("job %s: schedule %q %q", j.JobID, j.ScheduleID, j.ScheduleTitle)
		}
	}
	if d, err := a.GetJob(again); err != nil || d.ScheduleID != sc.ID || d.DestinationKind != "local" || len(d.Restores) != 0 {
		t.Fatalf("job page %+v, %v", d.JobSummary, err)
	}
}

func TestExportDestinationKinds(t *testing.T) {
	for _, c := range []struct{ dest, desc, want string }{
		{"nightly", "nightly (ftp://me@files.example/out)", "ftp"},
		{"bucket", "bucket (oss://bkt/p at oss-cn-hangzhou.aliyuncs.com)", "oss"},
		{"sftp://me@host/x", "sftp://me@host:22/x", "sftp"},
		{"/tmp/out", "", "local"},
	} {
		set, _ := json.Marshal(export.Settings{Destination: c.dest, DestinationDescription: c.desc})
		desc, kind := exportDestination(set)
		if kind != c.want || (c.desc != "" && desc != c.desc) || (c.desc == "" && desc != c.dest) {
			t.Errorf("%q %q: %q %q, want kind %s", c.dest, c.desc, desc, kind, c.want)
		}
	}
}

// TestDeleteJobPageRestoreState: a scheduled delete's job page links its
// schedule, and after a restore lists the restore's import job and how it
// ended, so the page says "Restored at" instead of offering Restore again.
func TestDeleteJobPageRestoreState(t *testing.T) {
	a := demoApp(t)
	sa, d := &SchedulesAPI{a.App}, &DeleteAPI{a.App}
	req := DeleteRequest{Connection: "sandbox", Object: "Opportunity", Where: "amount > 0"}
	pv, err := d.PreviewDelete(req)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := d.ScheduleDelete(req, DeleteConfirmation{Object: "Opportunity", Count: pv.Total}, DeleteSchedule{Spec: "daily 01:00", Zone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	if list, err := sa.ListSchedules("en"); err != nil || len(list) != 1 || list[0].Connection != "sandbox" || list[0].Object != "Opportunity" {
		t.Errorf("schedules %+v, %v; want the delete's on sandbox", list, err)
	}
	id, err := sa.RunScheduleNow(ds.ScheduleID)
	if j := waitJob(t, a, id, err); j.Status != store.StatusDone {
		t.Fatalf("delete job %+v", j)
	}
	page, err := a.GetJob(id)
	if err != nil || page.ScheduleID != ds.ScheduleID || page.ScheduleTitle == "" || page.Destination != "" || len(page.Restores) != 0 {
		t.Fatalf("before the restore: %+v %+v, %v", page.JobSummary, page.Restores, err)
	}
	rid, err := d.RestoreDelete(id)
	waitJob(t, a, rid, err)
	page, err = a.GetJob(id)
	if err != nil || len(page.Restores) != 1 {
		t.Fatalf("restores %+v, %v", page.Restores, err)
	}
	if r := page.Restores[0]; r.JobID != rid || r.Status != store.StatusDone || r.FinishedAt == "" || r.Succeeded < pv.Total || r.Failed != 0 {
		t.Fatalf("restore %+v, want job %s done with at least %d", r, rid, pv.Total)
	}
}

// TestEditDeleteScheduleCeiling: a delete schedule's ceiling may go down,
// never up (that needs the checks again).
func TestEditDeleteScheduleCeiling(t *testing.T) {
	a := demoApp(t)
	sa, d := &SchedulesAPI{a.App}, &DeleteAPI{a.App}
	req := DeleteRequest{Connection: "sandbox", Object: "Opportunity", Where: "amount > 0"}
	pv, err := d.PreviewDelete(req)
	if err != nil || pv.Total < 2 {
		t.Fatalf("preview %+v, %v", pv, err)
	}
	ds, err := d.ScheduleDelete(req, DeleteConfirmation{Object: "Opportunity", Count: pv.Total}, DeleteSchedule{Spec: "daily 01:00", Zone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sa.UpdateSchedule(ds.ScheduleID, ScheduleEdit{Spec: "daily 02:00", Zone: "UTC", MaxCount: pv.Total + 1}, "en")
	wantCode(t, err, "invalid")
	got, err := sa.UpdateSchedule(ds.ScheduleID, ScheduleEdit{Spec: "daily 02:00", Zone: "UTC", MaxCount: pv.Total - 1}, "en")
	if err != nil || got.MaxCount != pv.Total-1 || got.Spec != "daily 02:00 UTC" || got.Where != "amount > 0" || !strings.Contains(got.Title, "at most") {
		t.Fatalf("%+v %v", got, err)
	}
	// 0 keeps the ceiling.
	if got, err = sa.UpdateSchedule(ds.ScheduleID, ScheduleEdit{Spec: "daily 03:00", Zone: "UTC"}, "en"); err != nil || got.MaxCount != pv.Total-1 {
		t.Fatalf("%+v %v", got, err)
	}
}
