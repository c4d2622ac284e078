package deletion

import (
	"context"
	"testing"
)

func TestSampleReadsTheRecordsThatGo(t *testing.T) {
	f := sandboxFixture(t)
	ctx := context.Background()
	before := f.count("SELECT count(*) FROM account")
	s, err := f.svc.Sample(ctx, Request{CRM: f.crm, Object: "Account", All: true}, 3, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rows) != 3 || len(s.Header) == 0 || s.Header[0] != "id" || s.Blocked {
		t.Fatalf("sample = header %v, %d rows, blocked %v; want id first, 3 rows", s.Header, len(s.Rows), s.Blocked)
	}
	for _, r := range s.Rows {
		if len(r) != len(s.Header) || f.count("SELECT count(*) FROM account WHERE id = ?", r[0]) != 1 {
			t.Errorf("row %v is not an account of the CRM", r)
		}
	}
	if n := f.count("SELECT count(*) FROM account"); n != before {
		t.Errorf("a sample changed the CRM: %d accounts, was %d", n, before)
	}

	b, err := f.svc.Sample(ctx, Request{CRM: f.crm, Object: "Account", All: true}, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	want := f.count("SELECT count(*) FROM account a WHERE EXISTS (SELECT 1 FROM opportunity o WHERE o.account_id = a.id)")
	if int64(len(b.Rows)) != min(want, MaxSample) || !b.Blocked {
		t.Errorf("blocked sample has %d rows (blocked %v), want %d", len(b.Rows), b.Blocked, min(want, MaxSample))
	}
}
