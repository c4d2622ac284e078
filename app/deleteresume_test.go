package app

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/deletion"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// The child side of TestResumeKilledDeleteFromThePage: with
// BD_APP_DELETE_CHILD=1 the test binary starts a delete of the 1,000 "Kill"
// accounts of the app's sandbox in batches of 100 and waits for it (the
// failpoint in the environment kills it first).
func init() {
	if os.Getenv("BD_APP_DELETE_CHILD") != "1" {
		return
	}
	err := func() error {
		ws, err := workspace.Open(workspace.Options{})
		if err != nil {
			return err
		}
		defer ws.Close()
		a := New(ws, Options{Version: "test", Mode: "browser"})
		req, conf := deletion.Request{CRM: "sandbox", Object: "Account", Where: "name LIKE 'Kill %'", BatchSize: 100},
			deletion.Confirmation{Object: "Account", Count: 1000}
		if n, err := strconv.ParseInt(os.Getenv("BD_APP_DELETE_OPPS"), 10, 64); err == nil {
			// TestKilledDeleteCascadedNothing: the demo's opportunities with an amount.
			req, conf = deletion.Request{CRM: "sandbox", Object: "Opportunity", Where: "amount > 0"}, deletion.Confirmation{Object: "Opportunity", Count: n}
		}
		id, err := (&DeleteAPI{a}).service().Start(a.ctx, req, conf)
		if err != nil {
			return err
		}
		j, err := a.jobs.Wait(a.ctx, id)
		return fmt.Errorf("the delete was not killed: %s %s %v", j.Status, j.Message, err)
	}()
	fmt.Fprintln(os.Stderr, err)
	os.Exit(3)
}

// TestResumeKilledDeleteFromThePage kills a delete (SIGKILL at a failpoint:
// mid-batch, after a commit, while the backup is written), then resumes it
// with the page's JobsAPI.ResumeJob: every captured record is gone exactly
// once (one audit entry per batch, 1,000 records in all), a record added
// while it was down stays, and the backup holds all 1,000.
func TestResumeKilledDeleteFromThePage(t *testing.T) {
	for _, fp := range []string{deletion.FailMidBatch + ":3", deletion.FailAfterCommit + ":3", deletion.FailDuringBackup + ":0"} {
		t.Run(fp, func(t *testing.T) {
			a := newApp(t)
			tg, err := a.open(context.Background(), "sandbox")
			if err != nil {
				t.Fatal(err)
			}
			db := tg.(*sandbox.Target).DB()
			defer tg.Close()
			cnt := func(q string) (n int64) {
				t.Helper()
				if err := db.QueryRow(q).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			if _, err := db.Exec(`WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < 999)
				INSERT INTO account (name) SELECT printf('Kill %04d', n) FROM g`); err != nil {
				t.Fatal(err)
			}
			others := cnt("SELECT count(*) FROM account WHERE name NOT LIKE 'Kill %'")

			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "BD_APP_DELETE_CHILD=1", deletion.FailpointEnv+"="+fp)
			out, err := cmd.CombinedOutput()
			if ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("the delete was not killed (err %v): %s", err, out)
			}
			if _, err := db.Exec(`INSERT INTO account (name) VALUES ('Kill new')`); err != nil {
				t.Fatal(err)
			}
			// What the app does when it starts again.
			if _, err := a.jobs.Recover(context.Background()); err != nil {
				t.Fatal(err)
			}
			js, err := a.ListJobs(JobFilter{Kind: store.JobDelete})
			if err != nil || len(js) != 1 || js[0].Status != store.StatusInterrupted || !js[0].Resumable {
				t.Fatalf("dashboard = %+v, %v; want one resumable interrupted delete", js, err)
			}
			id, err := a.ResumeJob(js[0].JobID)
			j := waitJob(t, a, id, err)
			if j.Status != store.StatusDone || j.Succeeded != 1000 || j.Failed != 0 {
				t.Fatalf("resumed job = %+v", j)
			}
			if n := cnt("SELECT count(*) FROM account WHERE name LIKE 'Kill %'"); n != 1 {
				t.Errorf("%d Kill records left, want only the one added after the capture", n)
			}
			if n := cnt("SELECT count(*) FROM account WHERE name NOT LIKE 'Kill %'"); n != others {
				t.Errorf("%d other accounts left, want %d", n, others)
			}
			var entries, sum int64
			if err := db.QueryRow(`SELECT count(*), coalesce(sum(record_count), 0) FROM audit_log WHERE action = 'delete' AND job_id = ?`, id).Scan(&entries, &sum); err != nil {
				t.Fatal(err)
			}
			if entries != 10 || sum != 1000 {
				t.Errorf("audit log: %d entries for %d records, want 10 for 1000", entries, sum)
			}
			b, err := (&DeleteAPI{a.App}).GetDeleteBackup(id)
			if err != nil || !b.Restorable {
				t.Fatalf("backup = %+v, %v", b, err)
			}
			if n := backupRows(t, b.Location, "Account"); n != 1000 {
				t.Errorf("the backup holds %d Account rows, want 1000", n)
			}
		})
	}
}

// backupRows counts the records in the backup zip's file of object.
func backupRows(t *testing.T, path, object string) int {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if !strings.HasPrefix(f.Name, object) || !strings.HasSuffix(f.Name, ".csv") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(r).ReadAll()
		r.Close()
		if err != nil && err != io.EOF {
			t.Fatal(err)
		}
		return len(recs) - 1
	}
	t.Fatalf("no %s file in the backup %s", object, path)
	return 0
}

// TestKilledDeleteCascadedNothing: a delete killed before its first batch
// committed took no detail records with it (the rollback undid the batch),
// so its page and the dashboard say 0 cascaded, not the preview's count;
// once resumed and done they say the preview's.
func TestKilledDeleteCascadedNothing(t *testing.T) {
	a := demoApp(t)
	d := &DeleteAPI{a.App}
	pv, err := d.PreviewDelete(DeleteRequest{Connection: "sandbox", Object: "Opportunity", Where: "amount > 0"})
	if err != nil || pv.Total == 0 || len(pv.Cascades) == 0 {
		t.Fatalf("preview %+v, %v", pv, err)
	}
	var cascaded int64
	for _, c := range pv.Cascades {
		cascaded += c.Rows
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BD_APP_DELETE_CHILD=1", "BD_APP_DELETE_OPPS="+strconv.FormatInt(pv.Total, 10),
		deletion.FailpointEnv+"="+deletion.FailMidBatch+":0")
	out, err := cmd.CombinedOutput()
	if ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the delete was not killed (err %v): %s", err, out)
	}
	if _, err := a.jobs.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	js, err := a.ListJobs(JobFilter{Kind: store.JobDelete})
	if err != nil || len(js) != 1 || js[0].Status != store.StatusInterrupted {
		t.Fatalf("dashboard = %+v, %v; want one interrupted delete", js, err)
	}
	if js[0].Cascaded != 0 {
		t.Errorf("dashboard: interrupted delete cascaded %d, want 0 (nothing was deleted)", js[0].Cascaded)
	}
	if page, err := a.GetJob(js[0].JobID); err != nil || page.Cascaded != 0 || page.Succeeded != 0 {
		t.Errorf("job page: %+v, %v; want 0 deleted, 0 cascaded", page.JobSummary, err)
	}
	id, err := a.ResumeJob(js[0].JobID)
	if j := waitJob(t, a, id, err); j.Status != store.StatusDone {
		t.Fatalf("resumed job = %+v", j)
	}
	if page, err := a.GetJob(id); err != nil || page.Cascaded != cascaded {
		t.Errorf("done job page: %+v, %v; want %d cascaded", page.JobSummary, err, cascaded)
	}
}
