package load_test

import (
	"reflect"
	"strings"
	"testing"

	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/ingest/load"
)

func TestInsertDefaultsAndAudit(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg tgt) {
		p := plan(t, tg, "Account", load.Insert, "", "name", "account_no", "employees", "owner_id:auto", "parent_account_id:primary")
		p.JobID = "job-insert"
		res := run(t, tg, p, rows(
			[]any{"Zeta One", "Z-1", int64(10), nil, nil},
			[]any{"Zeta Two", "Z-2", nil, "System", "Zeta One"}, // Zeta One is not there yet in this batch
			[]any{"Zeta Three", "Z-3", nil, "nobody@example.com", nil},
		), rows([]any{"Zeta Four", "Z-4", nil, nil, "Zeta One"}))
		got := errs(res)
		if len(got) != 2 || !strings.HasPrefix(got[0], "3 no_match parent_account_id") || !strings.Contains(got[1], "nobody@example.com") {
			t.Fatalf("errors = %q", got)
		}
		if res[0].Written != 1 || res[1].Written != 1 {
			t.Fatalf("written = %d, %d", res[0].Written, res[1].Written)
		}
		owners := tg.Strings("SELECT owner_id::text FROM " + tg.Table("account") + " WHERE name LIKE 'Zeta%'")
		if !reflect.DeepEqual(owners, []string{crmdb.SystemUserID, crmdb.SystemUserID}) { // line 2 mapped but blank; line 5 not mapped
			t.Fatalf("owners = %q", owners)
		}
		parent := tg.Strings("SELECT p.name FROM " + tg.Table("account") + " a JOIN " + tg.Table("account") + " p ON p.id = a.parent_account_id WHERE a.name = 'Zeta Four'")
		if !reflect.DeepEqual(parent, []string{"Zeta One"}) {
			t.Fatalf("parent = %q", parent)
		}
		audit := tg.Strings("SELECT actor_id::text FROM " + tg.Table("audit_log") + " WHERE job_id = 'job-insert'")
		if len(audit) != 2 || audit[0] != crmdb.SystemUserID {
			t.Fatalf("audit = %q", audit)
		}
	})
}
