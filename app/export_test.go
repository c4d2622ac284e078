package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"batchdesk/backend/appdir"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmtest"
	"batchdesk/backend/crm/demo"
	"batchdesk/backend/export"
	"batchdesk/backend/filter"
	"batchdesk/backend/store"
)

// filterFixture is where the condition builder's tests read the demo
// Account's fields and filters in both forms, as the Go filter writes them.
const filterFixture = "../frontend/src/shared/filter/testdata/account-filters.json"

// filterCases are filters the builder must show and write back unchanged:
// every class of field, AND/OR nesting one level deep, IN lists.
var filterCases = []string{
	"industry IN ('Manufacturing', 'Retail') AND founded_on < 2010-01-01",
	"name = 'Acme' OR name LIKE 'Ac%'",
	"(industry = 'Finance' OR industry = 'Energy') AND employees >= 100",
	"annual_revenue > 1000000.50 AND is_key_account = true",
	"email IS NULL OR website IS NOT NULL",
	"industry NOT IN ('Other') AND account_no != 'X-1'",
	"parent_account_id = '0190f1a0-0000-7000-8000-000000000001'",
	"employees <= 10 OR (founded_on >= 2020-01-01 AND name NOT LIKE '%test%')",
}

// TestFilterFixture writes the fixture with BATCHDESK_UPDATE=1 and fails
// when it is stale, so the vitest round trip always runs against what Go
// really writes.
func TestFilterFixture(t *testing.T) {
	objs := demo.Objects()
	var obj = &objs[0]
	for i := range objs {
		if objs[i].APIName == "Account" {
			obj = &objs[i]
		}
	}
	type fcase struct {
		Text string          `json:"text"`
		JSON json.RawMessage `json:"json"`
	}
	out := struct {
		Fields any     `json:"fields"`
		Cases  []fcase `json:"cases"`
	}{Fields: obj.Fields}
	for _, text := range filterCases {
		c, err := filter.Compile(text, obj)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		b, err := c.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		// The JSON form reads back to the same canonical text.
		back, err := filter.FromJSON(b, obj)
		if err != nil || back.String() != c.String() {
			t.Fatalf("%s: back %v, %v", text, back, err)
		}
		out.Cases = append(out.Cases, fcase{Text: c.String(), JSON: b})
	}
	want, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if os.Getenv("BATCHDESK_UPDATE") == "1" {
		if err := os.MkdirAll(filepath.Dir(filterFixture), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filterFixture, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(filterFixture)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run BATCHDESK_UPDATE=1 go test ./app -run TestFilterFixture (%v)", filterFixture, err)
	}
}

// demoApp is an app whose sandbox holds the demo CRM.
func demoApp(t *testing.T) *testApp {
	t.Helper()
	a := newApp(t)
	path, _ := appdir.SandboxPath()
	crmtest.Open(t, crm.Spec{Kind: crm.KindSandbox, Path: path})
	return a
}

// TestExportAreaCountsFiltersAndRuns: the page's count agrees with the
// file the export then writes, the filter crosses in both forms, and a bad
// filter is refused with code invalid before anything runs.
func TestExportAreaCountsFiltersAndRuns(t *testing.T) {
	a := demoApp(t)
	ex := &ExportAPI{a.App}
	forms, err := ex.FilterFromText("sandbox", "Account", "industry in ('Retail','Energy') and founded_on < 2015-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if forms.Text != "industry IN ('Retail', 'Energy') AND founded_on < 2015-01-01" {
		t.Fatalf("text %q", forms.Text)
	}
	back, err := ex.FilterFromJSON("sandbox", "Account", forms.JSON)
	if err != nil || back != forms {
		t.Fatalf("back %+v, %v", back, err)
	}
	_, err = ex.FilterFromText("sandbox", "Account", "founded_on < 'yesterday'")
	wantCode(t, err, "invalid")

	req := export.Request{Object: "Account", Where: forms.Text, Fields: []string{"name", "industry", "founded_on"}}
	n, err := ex.CountExport("sandbox", req)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ex.CountExport("sandbox", export.Request{Object: "Account"})
	if err != nil || all.Rows <= n.Rows || n.Rows == 0 {
		t.Fatalf("count %d of %d, %v", n.Rows, all.Rows, err)
	}
	dir := t.TempDir()
	id, err := ex.StartExport("sandbox", req, dir)
	j := waitJob(t, a, id, err)
	if j.Status != store.StatusDone {
		t.Fatalf("job %+v", j)
	}
	info, err := ex.ExportJob(id)
	if err != nil || len(info.Files) != 1 || info.Files[0].Rows != n.Rows || info.Request.Where != forms.Text {
		t.Fatalf("info %+v, %v (count %d)", info, err, n.Rows)
	}
}

// TestSchedulesArea: a spec reads back in words with its next runs, an
// export is scheduled, listed with what it does, paused and removed.
func TestSchedulesArea(t *testing.T) {
	a := demoApp(t)
	sa := &SchedulesAPI{a.App}
	p, err := sa.PreviewSpec("weekly mon,thu 02:00", "Asia/Shanghai", "en", 3)
	if err != nil || p.Words != "Every Monday and Thursday at 02:00 (Asia/Shanghai)" || len(p.Next) != 3 {
		t.Fatalf("preview %+v, %v", p, err)
	}
	// In Chinese the next runs name their weekday in Chinese too.
	zp, err := sa.PreviewSpec("weekly mon 02:00", "Asia/Shanghai", "zh", 1)
	if err != nil || len(zp.NextWords) != 1 || !strings.Contains(zp.NextWords[0], "（周一）") {
		t.Fatalf("preview in Chinese %+v, %v", zp, err)
	}
	if _, err := sa.PreviewSpec("fortnightly", "", "en", 3); err == nil {
		t.Fatal("a bad spec was accepted")
	} else {
		wantCode(t, err, "invalid")
	}
	sc, err := sa.ScheduleExport("sandbox", export.Request{Object: "Product"}, t.TempDir(), "daily 03:00", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	list, err := sa.ListSchedules("zh")
	if err != nil || len(list) != 1 || list[0].Object != "Product" || list[0].NextRun == "" || !list[0].Enabled {
		t.Fatalf("list %+v, %v", list, err)
	}
	if err := sa.PauseSchedule(sc.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ = sa.ListSchedules("en"); list[0].Enabled {
		t.Fatal("still enabled after pause")
	}
	if err := sa.RemoveSchedule(sc.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ = sa.ListSchedules("en"); len(list) != 0 {
		t.Fatalf("still listed: %+v", list)
	}
}
