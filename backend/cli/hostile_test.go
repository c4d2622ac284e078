package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInspectHostile: inspect reports text invalid in the file's encoding
// as a positioned problem and exits 1; what is not a regular file, or
// holds a value over the limit, exits 2 with one short line at once.
func TestInspectHostile(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	// FF FE BOM, "a,b\n1,x<D800>y\n": an unpaired surrogate.
	utf16 := writeFile(t, "bad16.csv", "\xFF\xFEa\x00,\x00b\x00\n\x001\x00,\x00x\x00\x00\xD8y\x00\n\x00")
	r := runCLI(t, ctx, "inspect", utf16, "--json")
	var out struct {
		Encoding string `json:"encoding"`
		RowCount int    `json:"rowCount"`
		Problems []struct {
			Line, Column int
			Message      string
		} `json:"problems"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("stdout %q: %v", r.stdout, err)
	}
	if r.code != ExitRowsFail || out.Encoding != "utf-16le" || out.RowCount != 1 || len(out.Problems) != 1 ||
		out.Problems[0].Line != 2 || out.Problems[0].Column != 2 || !strings.Contains(out.Problems[0].Message, "not valid UTF-16") {
		t.Fatalf("exit %d, %+v, stderr %s", r.code, out, r.stderr)
	}

	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err == nil {
		r = runCLI(t, ctx, "inspect", fifo)
		if r.code != ExitCannot || !strings.Contains(r.stderr, "named pipe") {
			t.Errorf("fifo: exit %d, stderr %s", r.code, r.stderr)
		}
	}
	r = runCLI(t, ctx, "inspect", "/dev/zero")
	if r.code != ExitCannot || !strings.Contains(r.stderr, "a device") {
		t.Errorf("/dev/zero: exit %d, stderr %s", r.code, r.stderr)
	}
	long := filepath.Join(dir, "long.csv")
	if err := os.WriteFile(long, []byte("a,b\n1,"+strings.Repeat("z", 3<<20)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, ctx, "inspect", long)
	if r.code != ExitCannot || !strings.Contains(r.stderr, "line 2, column 2") || len(r.stderr) > 400 {
		t.Errorf("long value: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestImportHostile: messages quote at most ~100 characters of a giant
// header; a header-only file and an unmapped required field are refused
// before any row is read; a malformed row keeps its text in the error
// report; trailing blank rows are skipped, not reported.
func TestImportHostile(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	c := sandboxCRM(t)
	wide := make([]string, 5000)
	for i := range wide {
		wide[i] = fmt.Sprintf("column_with_a_long_name_%d", i)
	}
	wideFile := writeFile(t, "wide.csv", strings.Join(wide, ",")+"\n"+strings.Repeat(",", 4999)+"1\n")
	r := runCLI(t, ctx, "import", "--crm", c, "--object", "Account", "--map", "a=a", wideFile)
	if r.code != ExitCannot || !strings.Contains(r.stderr, "no column") || len(r.stderr) > 400 {
		t.Errorf("--map a=a on a wide header: exit %d, stderr %q", r.code, r.stderr[:min(len(r.stderr), 400)])
	}
	giant := writeFile(t, "giant.csv", strings.Repeat("h", 5<<20)+"\n")
	r = runCLI(t, ctx, "validate", "--crm", c, "--object", "Account", "--map", "h=name", giant)
	if r.code != ExitCannot || len(r.stderr) > 400 {
		t.Errorf("giant header cell: exit %d, stderr %q", r.code, r.stderr[:min(len(r.stderr), 400)])
	}
	headerOnly := writeFile(t, "h.csv", "Name,Industry\n,\n")
	r = runCLI(t, ctx, "validate", "--crm", c, "--object", "Account", headerOnly)
	if r.code != ExitCannot || !strings.Contains(r.stderr, "no data rows") {
		t.Errorf("header only: exit %d, stderr %s", r.code, r.stderr)
	}
	noName := writeFile(t, "p.csv", "Phone,Industry\n123,Technology\n")
	for _, mode := range []string{"insert", "upsert"} {
		r = runCLI(t, ctx, "validate", "--crm", c, "--object", "Account", "--mode", mode, "--key", "account_no", "--map", "Phone=phone", noName)
		if r.code != ExitCannot || !strings.Contains(r.stderr, "(name) is required") {
			t.Errorf("%s without the name: exit %d, stderr %s", mode, r.code, r.stderr)
		}
	}

	report := filepath.Join(t.TempDir(), "errors.csv")
	data := writeFile(t, "q.csv", "Name,Industry,Employees\nAc\"me,Technology,5\nGood Co,Finance,7\n,,\n,,\n")
	r = runCLI(t, ctx, "import", "--crm", c, "--object", "Account", "--errors", report, "--json", data)
	s := decodeSummary(t, r.lastLine())
	if r.code != ExitRowsFail || s.Total != 2 || s.Succeeded != 1 || s.Failed != 1 {
		t.Fatalf("exit %d, summary %+v, stderr %s", r.code, s, r.stderr)
	}
	f, err := os.Open(report)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || strings.TrimPrefix(rows[1][0], "\ufeff") != "Ac\"me" || rows[1][1] != "Technology" || rows[1][2] != "5" || rows[1][3] != "2" {
		t.Errorf("error report = %q", rows)
	}
}
