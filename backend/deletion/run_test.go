package deletion

import (
	"archive/zip"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"batchdesk/backend/store"
)

// TestDeleteWithBackup deletes won opportunities (with their lines, which
// cascade) on PostgreSQL and the sandbox with the backup on: the backup zip
// holds exactly the opportunities and lines that went, checked against
// the preview; exactly those rows are gone; one audit entry per batch.
func TestDeleteWithBackup(t *testing.T) {
	for name, open := range map[string]func(*testing.T) *fixture{
		"postgres": func(t *testing.T) *fixture { return pgFixture(t, true) },
		"sandbox":  sandboxFixture,
	} {
		t.Run(name, func(t *testing.T) {
			f := open(t)
			ctx := context.Background()
			opp, line, audit := f.table("opportunity"), f.table("opportunity_line"), f.table("audit_log")
			wantOpp := f.count("SELECT count(*) FROM " + opp + " WHERE stage = 'Won'")
			wantLines := f.count("SELECT count(*) FROM " + line + " WHERE opportunity_id IN (SELECT id FROM " + opp + " WHERE stage = 'Won')")
			allOpp, allLines := f.count("SELECT count(*) FROM "+opp), f.count("SELECT count(*) FROM "+line)
			if wantOpp == 0 || wantLines == 0 {
				t.Fatalf("demo data has %d won opportunities with %d lines", wantOpp, wantLines)
			}
			req := Request{CRM: f.crm, Object: "Opportunity", Where: "stage = 'Won'", BatchSize: 2}
			pv, err := f.svc.Preview(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if c, _ := related(pv.Cascades, "OpportunityLine"); pv.Total != wantOpp || c.Rows != wantLines {
				t.Fatalf("preview %d opportunities, %d lines; want %d, %d", pv.Total, c.Rows, wantOpp, wantLines)
			}
			id, err := f.svc.Start(ctx, req, Confirmation{Object: "Opportunity", Count: pv.Total})
			if err != nil {
				t.Fatal(err)
			}
			j := f.wait(t, id)
			if j.Status != store.StatusDone || j.Succeeded != wantOpp || j.Failed != 0 {
				t.Fatalf("job %s: %d/%d/%d %s", j.Status, j.Total, j.Succeeded, j.Failed, j.Message)
			}
			if n := f.count("SELECT count(*) FROM " + opp); n != allOpp-wantOpp {
				t.Errorf("%d opportunities left, want %d", n, allOpp-wantOpp)
			}
			if n := f.count("SELECT count(*) FROM " + line); n != allLines-wantLines {
				t.Errorf("%d lines left, want %d", n, allLines-wantLines)
			}
			if n := f.count("SELECT count(*) FROM "+audit+" WHERE job_id = $1 AND action = 'delete'", id); !f.pg && n == 0 || f.pg && n != (wantOpp+1)/2 {
				t.Errorf("%d audit entries for %d batches", n, (wantOpp+1)/2)
			}
			loc := f.svc.BackupOf(id)
			if !strings.HasSuffix(loc, id+"/backup.zip") {
				t.Fatalf("backup at %q", loc)
			}
			zr, err := zip.OpenReader(loc)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			lines := map[string]int64{}
			for _, zf := range zr.File {
				rc, err := zf.Open()
				if err != nil {
					t.Fatal(err)
				}
				buf := new(strings.Builder)
				_, _ = copyAll(buf, rc)
				rc.Close()
				lines[zf.Name] = int64(strings.Count(strings.TrimRight(buf.String(), "\n"), "\n")) // header excluded
			}
			if lines["Opportunity.csv"] != wantOpp || lines["OpportunityLine.csv"] != wantLines {
				t.Errorf("backup files %v; want %d opportunities and %d lines", lines, wantOpp, wantLines)
			}
		})
	}
}

// TestBackupTo writes the backup to another folder, as <jobId>-backup.zip.
func TestBackupTo(t *testing.T) {
	f := sandboxFixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	n := f.count("SELECT count(*) FROM contact")
	id, err := f.svc.Start(ctx, Request{CRM: f.crm, Object: "Contact", Where: "lead_source = 'Event'", BackupTo: dir},
		Confirmation{Object: "Contact", Count: f.count("SELECT count(*) FROM contact WHERE lead_source = 'Event'")})
	if err != nil {
		t.Fatal(err)
	}
	j := f.wait(t, id)
	if want := filepath.Join(dir, id+"-backup.zip"); j.Status != store.StatusDone || f.svc.BackupOf(id) != want {
		t.Errorf("job %s %s, backup at %q, want %q", j.Status, j.Message, f.svc.BackupOf(id), want)
	}
	if left := f.count("SELECT count(*) FROM contact"); left != n-j.Succeeded || j.Succeeded == 0 {
		t.Errorf("%d contacts left of %d, %d deleted", left, n, j.Succeeded)
	}
}
