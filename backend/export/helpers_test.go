package export

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmtest"
	"batchdesk/backend/destination/local"
	"batchdesk/backend/pgtest"
)

// folder is a local destination in a new temporary folder.
func folder(t *testing.T) (*local.Dest, string) {
	t.Helper()
	dir := t.TempDir()
	d, err := local.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d, dir
}

// run exports req from tg into a new folder; it fails the test on error.
func run(t *testing.T, tg crm.Target, req Request) (Result, string) {
	t.Helper()
	if c, ok := tg.(*crmtest.Target); ok {
		tg = c.Target
	}
	d, dir := folder(t)
	res, err := Run(context.Background(), tg, req, d, nil)
	if err != nil {
		t.Fatalf("export %+v: %v", req, err)
	}
	return res, dir
}

// content returns the published files' contents by name: each CSV, and
// the CSVs inside a zip.
func content(t *testing.T, res Result) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range res.Files {
		if f.Archive != "" {
			continue
		}
		if !strings.HasSuffix(f.Name, ".zip") {
			b, err := os.ReadFile(f.Location)
			if err != nil {
				t.Fatal(err)
			}
			out[f.Name] = string(b)
			continue
		}
		zr, err := zip.OpenReader(f.Location)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range zr.File {
			rc, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			out[e.Name] = string(b)
		}
		zr.Close()
	}
	return out
}

// lines are a CSV's lines without the BOM and the final newline.
func lines(s string) []string {
	return strings.Split(strings.TrimSuffix(strings.TrimPrefix(s, bom), "\n"), "\n")
}

// pgDSNWith is a new database holding what ddl makes.
func pgDSNWith(t *testing.T, ddl string) string {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, ddl); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// openDemoErr installs the demo CRM at a PostgreSQL URL.
func openDemoErr(dsn string) error {
	ctx := context.Background()
	tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: dsn})
	if err != nil {
		return err
	}
	defer tg.Close()
	return crm.InstallDemo(ctx, tg)
}
