package app

import (
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/connections"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmtest"
	"batchdesk/backend/store"
)

// The window's "Make a sandbox copy": a copy of a saved PostgreSQL
// connection runs as a job, is then usable as sandbox:NAME, and a second
// copy of the same name is refused.
func TestCopyToSandbox(t *testing.T) {
	a := newApp(t)
	dsn := crmtest.Demo(t, crm.KindPostgres).Spec.DSN
	if _, err := a.AddConnection(connections.Input{Name: "pg", DSN: dsn}); err != nil {
		t.Fatal(err)
	}
	id, err := a.CopyToSandbox("pg", "acme", "reference")
	if j := waitJob(t, a, id, err); j.Status != store.StatusDone || j.Total == 0 {
		t.Fatalf("copy job = %+v", j)
	}
	objs, err := a.ListObjects("sandbox:acme")
	if err != nil || len(objs) == 0 {
		t.Fatalf("objects of the copy = %v, %v", objs, err)
	}
	if _, err := a.CopyToSandbox("pg", "acme", "none"); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("a second copy named acme: %v, want a conflict", err)
	}
	if _, err := a.CopyToSandbox("sandbox", "again", "none"); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("a copy of the sandbox: %v, want invalid", err)
	}
}
