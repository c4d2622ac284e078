package cli

import (
	"context"
	"strings"
	"testing"

	"batchdesk/backend/pgtest"
)

// TestImportPostgres runs an import with a failing row, the report's
// re-import and an update by a unique field against a real PostgreSQL.
func TestImportPostgres(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	isolateHome(t)
	ctx := context.Background()
	if r := runCLI(t, ctx, "demo-crm", "--crm", dsn); r.code != 0 {
		t.Fatalf("demo-crm: %d %s", r.code, r.stderr)
	}
	data := writeFile(t, "acc.csv", "name,account_no,industry\nPG One,PG-1,Technology\nPG Two,PG-2,Nope\n")
	r := runCLI(t, ctx, "import", "--crm", dsn, "--object", "Account", data, "--json")
	if r.code != ExitRowsFail {
		t.Fatalf("import: %d %s %s", r.code, r.stderr, r.stdout)
	}
	s := decodeSummary(t, r.lastLine())
	if s.Succeeded != 1 || s.Failed != 1 || s.ErrorsFile == nil {
		t.Fatalf("summary = %+v", s)
	}
	upd := writeFile(t, "upd.csv", "account_no,industry\nPG-1,Finance\nPG-404,Finance\n")
	r = runCLI(t, ctx, "import", "--crm", dsn, "--object", "Account", "--mode", "update", "--key", "account_no", upd, "--json")
	if r.code != ExitRowsFail {
		t.Fatalf("update: %d %s %s", r.code, r.stderr, r.stdout)
	}
	if s := decodeSummary(t, r.lastLine()); s.Succeeded != 1 || s.Failed != 1 {
		t.Fatalf("update summary = %+v", s)
	}
	r = runCLI(t, ctx, "import", "--crm", strings.Replace(dsn, "postgres@", "nobody@", 1)+"x", "--object", "Account", data)
	if r.code != ExitCannot {
		t.Fatalf("bad database: %d %s", r.code, r.stderr)
	}
}
