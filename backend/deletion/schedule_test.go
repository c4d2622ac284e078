package deletion

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"batchdesk/backend/store"
)

// TestScheduledDeleteCeiling makes a delete schedule on the sandbox (the
// checks run then, the ceiling is today's count), adds one more matching
// record, and runs it: the run refuses with the count and the ceiling and
// deletes nothing; after removing the extra record a run deletes, with a
// backup.
func TestScheduledDeleteCeiling(t *testing.T) {
	f := sandboxFixture(t)
	ctx := context.Background()
	req := Request{CRM: f.crm, Object: "Contact", Where: "lead_source = 'Web'"}
	n := f.count("SELECT count(*) FROM contact WHERE lead_source = 'Web'")
	if _, err := f.svc.Schedule(ctx, req, Confirmation{Object: "Contact", Count: n - 1}, "daily 02:00", "", 0); err == nil {
		t.Fatal("a schedule with the wrong count was made")
	}
	if _, err := f.svc.Schedule(ctx, Request{CRM: f.crm, Object: "Contact", Where: "lead_source = 'Web'", NoBackup: true},
		Confirmation{Object: "Contact", Count: n}, "daily 02:00", "", 0); err == nil {
		t.Fatal("a scheduled delete without backup was made")
	}
	sc, err := f.svc.Schedule(ctx, req, Confirmation{Object: "Contact", Count: n}, "daily 02:00", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sc.JobSettings), "password") {
		t.Errorf("schedule settings hold a password field: %s", sc.JobSettings)
	}
	f.exec(`INSERT INTO contact (name, lead_source) VALUES ('One more', 'Web')`)
	id, err := f.svc.StartScheduled(ctx, sc, "")
	want := fmt.Sprintf("matches %d records, more than the %d allowed when this schedule was made", n+1, n)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("over the ceiling: %v, want %q", err, want)
	}
	if got := f.count("SELECT count(*) FROM contact WHERE lead_source = 'Web'"); got != n+1 {
		t.Errorf("%d Web contacts after the refused run, want %d", got, n+1)
	}
	if j, err := f.ws.Store.GetJob(ctx, id); err != nil || j.Status != store.StatusFailed || !strings.Contains(j.Message, want) {
		t.Errorf("refused run in the history: %+v %v", j, err)
	}
	f.exec(`DELETE FROM contact WHERE name = 'One more'`)
	id, err = f.svc.StartScheduled(ctx, sc, "")
	if err != nil {
		t.Fatal(err)
	}
	if j := f.wait(t, id); j.Status != store.StatusDone || j.Succeeded != n {
		t.Fatalf("scheduled run: %s %d/%d %s", j.Status, j.Succeeded, j.Total, j.Message)
	}
	if got := f.count("SELECT count(*) FROM contact WHERE lead_source = 'Web'"); got != 0 {
		t.Errorf("%d Web contacts left", got)
	}
	if f.svc.BackupOf(id) == "" {
		t.Error("the scheduled run took no backup")
	}
}
