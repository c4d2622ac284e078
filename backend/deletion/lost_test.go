package deletion

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"batchdesk/backend/store"
)

// TestLostConnectionInterrupts terminates the delete's server session
// (pg_terminate_backend) inside batch 3, before its commit: the job ends
// interrupted (resumable), not failed, with batches 0–2 gone; a resume
// deletes the rest, each record once, one audit entry per batch.
func TestLostConnectionInterrupts(t *testing.T) {
	f := pgFixture(t, true)
	ctx := context.Background()
	f.exec(`INSERT INTO crm.account (name) SELECT 'Lost ' || lpad(g::text, 4, '0') FROM generate_series(0, 999) g`)
	others := f.count(`SELECT count(*) FROM crm.account WHERE name NOT LIKE 'Lost %'`)
	withWhere(t)
	terminated := false
	beforeCommit = func(seq int) {
		if seq != 3 || terminated {
			return
		}
		terminated = true
		// Every other session on the database: the delete's.
		if n := f.count(`SELECT count(*) FROM (SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()) t`); n == 0 {
			t.Error("no session to terminate")
		}
	}
	t.Cleanup(func() { beforeCommit = nil })
	req := Request{CRM: f.crm, Object: "Account", Where: "%[1]s.name LIKE 'Lost %%'", BatchSize: 100}
	id, err := f.svc.Start(ctx, req, Confirmation{Object: "Account", Count: 1000})
	if err != nil {
		t.Fatal(err)
	}
	j := f.wait(t, id)
	if j.Status != store.StatusInterrupted {
		t.Fatalf("job after the lost connection: %s %q, want interrupted", j.Status, j.Message)
	}
	if n := f.count(`SELECT count(*) FROM crm.account WHERE name LIKE 'Lost %'`); n != 700 {
		t.Errorf("%d records left after the lost connection in batch 3, want 700", n)
	}
	if err := f.svc.Resume(ctx, id, ""); err != nil {
		t.Fatal(err)
	}
	j = f.wait(t, id)
	if j.Status != store.StatusDone || j.Succeeded != 1000 || j.Failed != 0 {
		t.Fatalf("resumed job: %s %d/%d %q", j.Status, j.Succeeded, j.Failed, j.Message)
	}
	if n := f.count(`SELECT count(*) FROM crm.account WHERE name LIKE 'Lost %'`); n != 0 {
		t.Errorf("%d records left after the resume", n)
	}
	if n := f.count(`SELECT count(*) FROM crm.account WHERE name NOT LIKE 'Lost %'`); n != others {
		t.Errorf("%d other accounts, want %d", n, others)
	}
	var entries, sum int64
	entries = f.count(`SELECT count(*) FROM crm.audit_log WHERE job_id = $1 AND action = 'delete'`, id)
	sum = f.count(`SELECT coalesce(sum(record_count), 0) FROM crm.audit_log WHERE job_id = $1 AND action = 'delete'`, id)
	if entries != 10 || sum != 1000 {
		t.Errorf("audit log: %d entries for %d records, want 10 for 1000", entries, sum)
	}
}

func TestConnectionLost(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "57P01"}, true},
		{&pgconn.PgError{Code: "08006"}, true},
		{&pgconn.PgError{Code: "08P01"}, false},
		{&pgconn.PgError{Code: "23503"}, false},
		{fmt.Errorf("commit delete batch 3: %w", io.ErrUnexpectedEOF), true},
		{errors.New("conn closed"), true},
		{errors.New("the backup holds 3 records"), false},
		{nil, false},
	} {
		if got := connectionLost(c.err); got != c.want {
			t.Errorf("connectionLost(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
