package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmtest"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/pipeline"
)

// Run imports a file into the built-in sandbox CRM: the row with a bad
// number goes to the error report, the others are written.
func ExampleRun() {
	dir, _ := os.MkdirTemp("", "batchdesk-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindSandbox, Path: filepath.Join(dir, "crm.db")})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tg.Close()
	file := filepath.Join(dir, "accounts.csv")
	os.WriteFile(file, []byte("Name,Staff\nAcme,120\nBeta,lots\n"), 0o644)
	res, err := pipeline.Run(ctx, pipeline.Request{Target: tg, Object: "Account", Files: []string{file},
		ErrorsPath: filepath.Join(dir, "errors.csv"),
		Mapping:    mapping.Mapping{Columns: map[string]mapping.Column{"Name": {Field: "name"}, "Staff": {Field: "employees"}}}}, nil)
	fmt.Println(res.Total, res.Succeeded, res.Failed, res.ProblemsByCode, err)
	// Output: 2 1 1 map[not_number:1] <nil>
}

func sandboxTarget(t testing.TB) crm.Target { return crmtest.Demo(t, crm.KindSandbox).Target }

func accountFile(t testing.TB, rows int) string {
	var b strings.Builder
	b.WriteString("Name,No,Staff,Revenue,Founded,Website\n")
	for i := range rows {
		fmt.Fprintf(&b, "Company %d,N-%06d,%d,\"%d,%03d.50\",2001-02-%02d,https://c%d.example\n", i, i, i%900, i%1000, i%1000, 1+i%28, i)
	}
	p := filepath.Join(t.TempDir(), "acc.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var benchMapping = mapping.Mapping{Columns: map[string]mapping.Column{"Name": {Field: "name"}, "No": {Field: "account_no"},
	"Staff": {Field: "employees"}, "Revenue": {Field: "annual_revenue"}, "Founded": {Field: "founded_on"}, "Website": {Field: "website"}}}

// Progress comes at most once per ProgressInterval while the job runs,
// plus a final report with the totals.
func TestProgressThrottled(t *testing.T) {
	tg := sandboxTarget(t)
	file := accountFile(t, 3000)
	var calls []pipeline.Progress
	start := time.Now()
	res, err := pipeline.Run(context.Background(), pipeline.Request{Target: tg, Object: "Account", Files: []string{file},
		Mapping: benchMapping, BatchSize: 200}, func(p pipeline.Progress) { calls = append(calls, p) })
	elapsed := time.Since(start)
	if err != nil || res.Succeeded != 3000 {
		t.Fatalf("run: %+v, %v", res, err)
	}
	if max := int(elapsed/pipeline.ProgressInterval) + 1; len(calls) > max {
		t.Errorf("%d progress calls in %v, want at most %d", len(calls), elapsed, max)
	}
	last := calls[len(calls)-1]
	if last.Phase != pipeline.PhaseDone || last.Rows != 3000 || last.Succeeded != 3000 || last.BytesRead != last.BytesTotal {
		t.Errorf("last progress = %+v", last)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i].Rows < calls[i-1].Rows || calls[i].BytesRead < calls[i-1].BytesRead {
			t.Errorf("progress went back: %+v after %+v", calls[i], calls[i-1])
		}
	}
}

// BenchmarkValidateOnly is the preview's hot path: read, convert and check
// every cell, in-file duplicates included.
func BenchmarkValidateOnly(b *testing.B) {
	tg := sandboxTarget(b)
	file := accountFile(b, 20000)
	st, _ := os.Stat(file)
	b.SetBytes(st.Size())
	for b.Loop() {
		res, err := pipeline.Run(context.Background(), pipeline.Request{Target: tg, Object: "Account", Files: []string{file},
			Mapping: benchMapping, ValidateOnly: true}, nil)
		if err != nil || res.Failed != 0 {
			b.Fatalf("%+v %v", res, err)
		}
	}
}

// BenchmarkInsertPostgres is the import's hot path on PostgreSQL: read,
// validate, COPY in parallel batches.
func BenchmarkInsertPostgres(b *testing.B) {
	file := accountFile(b, 20000)
	st, _ := os.Stat(file)
	b.SetBytes(st.Size())
	for b.Loop() {
		b.StopTimer()
		tg := openPG(b, true)
		b.StartTimer()
		res, err := pipeline.Run(context.Background(), pipeline.Request{Target: tg, Object: "Account", Files: []string{file},
			Mapping: benchMapping}, nil)
		if err != nil || res.Failed != 0 {
			b.Fatalf("%+v %v", res, err)
		}
	}
}
