package export

import (
	"archive/zip"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/crm"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/destination/local"
	"batchdesk/backend/pgtest"
)

// demoCRM is a demo CRM under test with raw SQL access; in statements,
// "$S." stands for the schema of the CRM's tables.
type demoCRM struct {
	crm.Target
	name string
	exec func(t *testing.T, q string)
}

// eachTarget runs fn against the demo CRM on PostgreSQL (a throwaway
// database) and in a sandbox file.
func eachTarget(t *testing.T, fn func(t *testing.T, c demoCRM)) {
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, pgDemo(t))
	})
	t.Run("sandbox", func(t *testing.T) {
		t.Parallel()
		fn(t, sandboxDemo(t))
	})
}

func pgDemo(t *testing.T) demoCRM {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	c := demoCRM{Target: openDemo(t, crm.Spec{Kind: crm.KindPostgres, DSN: dsn}), name: "postgres"}
	c.exec = func(t *testing.T, q string) {
		t.Helper()
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, strings.ReplaceAll(q, "$S.", "crm.")); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return c
}

func sandboxDemo(t *testing.T) demoCRM {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crm.db")
	c := demoCRM{Target: openDemo(t, crm.Spec{Kind: crm.KindSandbox, Path: path}), name: "sandbox"}
	c.exec = func(t *testing.T, q string) {
		t.Helper()
		db, err := sql.Open("sqlite", sandbox.DSN(path))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(strings.ReplaceAll(q, "$S.", "")); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return c
}

// openDemo opens spec with the demo CRM installed.
func openDemo(t *testing.T, spec crm.Spec) crm.Target {
	t.Helper()
	ctx := context.Background()
	tg, err := crm.Open(ctx, spec)
	if err != nil {
		t.Fatalf("open %s: %v", spec, err)
	}
	t.Cleanup(func() { tg.Close() })
	if err := crm.InstallDemo(ctx, tg); err != nil {
		t.Fatal(err)
	}
	return tg
}

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
	if c, ok := tg.(demoCRM); ok {
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
