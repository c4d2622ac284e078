package deletion

import (
	"context"
	"testing"
)

// related finds the entry of obj in rs.
func related(rs []Related, obj string) (Related, bool) {
	for _, r := range rs {
		if r.Object == obj {
			return r, true
		}
	}
	return Related{}, false
}

// TestPreviewDemoCRM checks the preview of deleting accounts and
// opportunities on the demo CRM (PostgreSQL and the sandbox) against counts
// written here in SQL: contacts' account emptied (SET NULL), opportunities
// blocking (NO ACTION), opportunity lines cascading from opportunities.
func TestPreviewDemoCRM(t *testing.T) {
	for name, open := range map[string]func(*testing.T) *fixture{
		"postgres": func(t *testing.T) *fixture { return pgFixture(t, true) },
		"sandbox":  sandboxFixture,
	} {
		t.Run(name, func(t *testing.T) {
			f := open(t)
			withWhere(t)
			ctx := context.Background()
			acc, opp, con, line := f.table("account"), f.table("opportunity"), f.table("contact"), f.table("opportunity_line")

			pv, err := f.svc.Preview(ctx, Request{CRM: f.crm, Object: "Account", All: true})
			if err != nil {
				t.Fatal(err)
			}
			wantAll := f.count("SELECT count(*) FROM " + acc)
			wantBlocked := f.count("SELECT count(*) FROM " + acc + " a WHERE EXISTS (SELECT 1 FROM " + opp + " o WHERE o.account_id = a.id)")
			if pv.Matching != wantAll || pv.Total != wantAll || pv.Blocked != wantBlocked || wantBlocked == 0 {
				t.Errorf("Account --all: matching %d total %d blocked %d; want %d, %d, %d (>0)", pv.Matching, pv.Total, pv.Blocked, wantAll, wantAll, wantBlocked)
			}
			if b, ok := related(pv.Blocking, "Opportunity"); !ok || b.Rows != f.count("SELECT count(*) FROM "+opp) {
				t.Errorf("blocking opportunities = %+v (ok %v)", b, ok)
			}
			if e, ok := related(pv.Emptied, "Contact"); !ok || e.Rows != f.count("SELECT count(*) FROM "+con+" WHERE account_id IS NOT NULL") || e.Rows == 0 {
				t.Errorf("emptied contacts = %+v (ok %v)", e, ok)
			}
			if e, ok := related(pv.Emptied, "Account"); !ok || e.Rows != 0 {
				t.Errorf("parent accounts emptied when every account goes = %+v (ok %v), want 0", e, ok)
			}
			if len(pv.Cascades) != 0 {
				t.Errorf("Account cascades %+v, want none", pv.Cascades)
			}
			if pv.Check != CheckCount {
				t.Errorf("check = %q on a trust server / sandbox, want count", pv.Check)
			}

			where := "%[1]s.industry = 'Technology'"
			pv, err = f.svc.Preview(ctx, Request{CRM: f.crm, Object: "Account", Where: where, SkipBlocked: true})
			if err != nil {
				t.Fatal(err)
			}
			m := f.count("SELECT count(*) FROM " + acc + " a WHERE a.industry = 'Technology'")
			bl := f.count("SELECT count(*) FROM " + acc + " a WHERE a.industry = 'Technology' AND EXISTS (SELECT 1 FROM " + opp + " o WHERE o.account_id = a.id)")
			if pv.Matching != m || pv.Blocked != bl || pv.Total != m-bl || m == 0 {
				t.Errorf("Technology accounts, skip blocked: %d/%d/%d, want %d/%d/%d", pv.Matching, pv.Blocked, pv.Total, m, bl, m-bl)
			}
			wantContacts := f.count("SELECT count(*) FROM " + con + " c WHERE c.account_id IN (SELECT a.id FROM " + acc + " a WHERE a.industry = 'Technology' AND NOT EXISTS (SELECT 1 FROM " + opp + " o WHERE o.account_id = a.id))")
			if e, _ := related(pv.Emptied, "Contact"); e.Rows != wantContacts {
				t.Errorf("contacts emptied with skip-blocked = %d, want %d", e.Rows, wantContacts)
			}

			pv, err = f.svc.Preview(ctx, Request{CRM: f.crm, Object: "Opportunity", All: true})
			if err != nil {
				t.Fatal(err)
			}
			if c, ok := related(pv.Cascades, "OpportunityLine"); !ok || c.Rows != f.count("SELECT count(*) FROM "+line) || c.Rows == 0 {
				t.Errorf("opportunity lines cascading = %+v (ok %v)", c, ok)
			}
			if pv.Blocked != 0 || pv.Total != f.count("SELECT count(*) FROM "+opp) {
				t.Errorf("Opportunity --all: %+v", pv)
			}
		})
	}
}
