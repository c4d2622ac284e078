package load_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"batchdesk/backend/crm"
	"batchdesk/backend/ingest/load"
	"batchdesk/backend/ingest/validate"
	"batchdesk/backend/pgtest"
)

func TestUpdateByKeys(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg tgt) {
		// Two accounts share a name: updating by that (non-unique) primary
		// attribute is a row error, never a guess.
		ins := plan(t, tg, "Account", load.Insert, "", "name", "account_no")
		run(t, tg, ins, rows([]any{"Twin", "T-1"}, []any{"Twin", "T-2"}, []any{"Solo", "S-1"}))
		upd := plan(t, tg, "Account", load.Update, load.KeyPrimary, "name", "employees")
		res := run(t, tg, upd, rows([]any{"Twin", int64(5)}, []any{"Solo", int64(7)}, []any{"Nobody", int64(1)}))
		got := errs(res)
		if len(got) != 2 || !strings.Contains(got[0], "several_matches") || !strings.Contains(got[1], "no_match") {
			t.Fatalf("errors = %q", got)
		}
		byField := plan(t, tg, "Account", load.Upsert, "account_no", "account_no", "name")
		res = run(t, tg, byField, rows([]any{"T-1", "Twin One"}, []any{"N-1", "New One"}))
		if len(errs(res)) != 0 || res[0].Written != 2 {
			t.Fatalf("upsert: %+v", res)
		}
		names := tg.Strings("SELECT name FROM " + tg.Table("account") + " WHERE account_no IN ('T-1','N-1','S-1')")
		if !reflect.DeepEqual(names, []string{"New One", "Solo", "Twin One"}) {
			t.Fatalf("names = %q", names)
		}
		emp := tg.Strings("SELECT employees::text FROM " + tg.Table("account") + " WHERE account_no = 'S-1'")
		if !reflect.DeepEqual(emp, []string{"7"}) {
			t.Fatalf("employees = %q", emp)
		}
	})
}

func TestPrimaryKeyRefusedWithoutPrimary(t *testing.T) {
	tg := openTarget(t, crm.Spec{Kind: crm.KindSandbox, Path: t.TempDir() + "/crm.db"})
	obj, err := tg.Object(context.Background(), "OpportunityLine")
	if err != nil {
		t.Fatal(err)
	}
	_, err = load.New(context.Background(), tg.Target, load.Plan{Object: obj, Mode: load.Update, Key: load.KeyPrimary})
	if err == nil || !strings.Contains(err.Error(), "no primary attribute") {
		t.Fatalf("err = %v", err)
	}
}

// TestBisectIsolatesBadRows: 3 bad rows in one 5,000-row batch are found,
// with the server's reasons; the 4,997 others land.
func TestBisectIsolatesBadRows(t *testing.T) {
	tg := openTarget(t, crm.Spec{Kind: crm.KindPostgres, DSN: pgtest.NewDatabase(t)})
	tg.MustExec("CREATE TABLE items (code varchar(10) PRIMARY KEY, qty integer NOT NULL CHECK (qty >= 0))")
	p := plan(t, tg, "items", load.Insert, "", "code", "qty")
	var rs []load.Row
	for i := range 5000 {
		code, qty := any(fmt.Sprintf("C%05d", i)), any(int64(i%9))
		switch i {
		case 1200:
			qty = int64(-3) // check
		case 2500:
			code = "C00007" // duplicate of row 7
		case 4999:
			code = "TOO-LONG-CODE" // varchar(10)
		}
		rs = append(rs, load.Row{Line: int64(i + 2), Values: []any{code, qty}})
	}
	res := run(t, tg, p, rs)
	got := errs(res)
	want := []string{"1202 check_violation", "2502 unique_violation", "5001 value_too_long"}
	if len(got) != 3 || res[0].Written != 4997 {
		t.Fatalf("written %d, errors %q", res[0].Written, got)
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("error %d = %q, want %s…", i, got[i], w)
		}
	}
	if n := tg.Strings("SELECT count(*)::text FROM items"); n[0] != "4997" {
		t.Fatalf("count = %s", n)
	}
}

func TestRehearsalLeavesNothing(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg tgt) {
		before := tg.Strings("SELECT count(*)::text FROM " + tg.Table("account"))
		p := plan(t, tg, "Account", load.Insert, "", "name", "account_no")
		p.Rehearse = true
		res := run(t, tg, p, rows([]any{"R1", "R-1"}, []any{"R2", "R-1"}), rows([]any{"R3", "R-3"}))
		if got := errs(res); len(got) != 1 || !strings.Contains(got[0], "unique_violation") {
			t.Fatalf("errors = %q", got)
		}
		after := tg.Strings("SELECT count(*)::text FROM " + tg.Table("account"))
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("rehearsal left rows: %v → %v", before, after)
		}
	})
}

// TestUpsertSplitsAddedFromUpdated: an upsert batch says how many records
// it inserted and how many it updated (a failed row is neither), and the
// resume ledger keeps the split for a batch a later run skips.
func TestUpsertSplitsAddedFromUpdated(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg tgt) {
		ctx := context.Background()
		run(t, tg, plan(t, tg, "Account", load.Insert, "", "name", "account_no"),
			rows([]any{"Old One", "U-1"}, []any{"Old Two", "U-2"}))
		p := plan(t, tg, "Account", load.Upsert, "account_no", "account_no", "name")
		p.JobID, p.Stage = "job-split-"+tg.Kind(), "Account"
		// U-1 and U-2 exist; U-3, U-4 are new; the last row's name is
		// missing (name is required) so it is neither added nor updated.
		res := run(t, tg, p, rows([]any{"U-1", "One"}, []any{"U-3", "Three"}, []any{"U-2", "Two"}, []any{"U-4", "Four"}, []any{"U-5", nil}))
		r := res[0]
		if r.Written != 4 || r.Added != 2 || r.Updated != 2 || len(r.Errors) != 1 {
			t.Fatalf("written %d added %d updated %d errors %v", r.Written, r.Added, r.Updated, r.Errors)
		}
		l, err := load.New(ctx, tg.Target, p)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close(ctx)
		done, err := l.Ledger(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if e := done[1]; e.Written != 4 || e.Added != 2 {
			t.Fatalf("ledger entry = %+v", e)
		}
		ins := run(t, tg, plan(t, tg, "Account", load.Insert, "", "name", "account_no"), rows([]any{"Six", "U-6"}))[0]
		upd := run(t, tg, plan(t, tg, "Account", load.Update, "account_no", "account_no", "name"), rows([]any{"U-6", "Six!"}))[0]
		if ins.Added != 1 || ins.Updated != 0 || upd.Added != 0 || upd.Updated != 1 {
			t.Fatalf("insert %+v, update %+v", ins, upd)
		}
	})
}

// TestCurrencyKeepsScale: a currency is stored with its field's scale in
// the sandbox, as PostgreSQL's numeric(p,2) stores it ("9232314492.90",
// "12.00"), whatever the digits the file gave.
func TestCurrencyKeepsScale(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg tgt) {
		p := plan(t, tg, "Account", load.Insert, "", "name", "account_no", "annual_revenue")
		res := run(t, tg, p, rows(
			[]any{"Scale A", "SC-1", validate.Decimal{Int: 92323144929, Scale: 1}}, // 9232314492.90 as validation trims it
			[]any{"Scale B", "SC-2", validate.Decimal{Int: 12}},
			[]any{"Scale C", "SC-3", validate.Decimal{Int: -5, Scale: 2}},
		))
		if len(errs(res)) != 0 {
			t.Fatal(errs(res))
		}
		got := tg.Strings("SELECT annual_revenue::text FROM " + tg.Table("account") + " WHERE account_no LIKE 'SC-%'")
		if want := []string{"-0.05", "12.00", "9232314492.90"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("stored %q, want %q", got, want)
		}
	})
}

// TestBlankTeamOnlyRowChangesNothing: in update and upsert mode, a row
// whose only mapped columns (besides the key) are team columns, all blank,
// leaves the record alone — its team and its last_modified_at/by too.
func TestBlankTeamOnlyRowChangesNothing(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg tgt) {
		stamp := func() []string {
			return tg.Strings("SELECT account_no || '|' || last_modified_at::text || '|' || last_modified_by::text FROM " +
				tg.Table("account") + " WHERE account_no IN ('A-0001', 'A-0002')")
		}
		team := func() []string {
			return tg.Strings("SELECT m.user_id::text || ':' || m.role FROM " + tg.Table("team_member") + " m JOIN " +
				tg.Table("account") + " a ON a.id = m.record_id WHERE m.object = 'Account' AND a.account_no = 'A-0001'")
		}
		audits := func() []string { return tg.Strings("SELECT count(*)::text FROM " + tg.Table("audit_log")) }
		before, teamBefore, auditBefore := stamp(), team(), audits()
		for _, mode := range []load.Mode{load.Update, load.Upsert} {
			p := plan(t, tg, "Account", mode, "account_no", "account_no", "team_read_write", "team_read_only")
			p.Now = time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
			res := run(t, tg, p, rows([]any{"A-0001", nil, nil}, []any{"A-0002", "", nil}))
			if len(errs(res)) != 0 || res[0].Written != 2 {
				t.Fatalf("%s: %+v", mode, res)
			}
			if after := stamp(); !reflect.DeepEqual(after, before) {
				t.Fatalf("%s changed the records: %q → %q", mode, before, after)
			}
			if after := team(); !reflect.DeepEqual(after, teamBefore) || len(after) == 0 {
				t.Fatalf("%s changed the team: %q → %q", mode, teamBefore, after)
			}
			if after := audits(); !reflect.DeepEqual(after, auditBefore) {
				t.Fatalf("%s wrote an audit entry for rows that changed nothing: %q → %q", mode, auditBefore, after)
			}
		}
	})
}
