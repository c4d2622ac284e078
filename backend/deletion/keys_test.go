package deletion

import (
	"archive/zip"
	"context"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/store"
)

// backupLines counts the records of each file of job id's backup.
func backupLines(t *testing.T, f *fixture, id string) map[string]int64 {
	t.Helper()
	zr, err := zip.OpenReader(f.svc.BackupOf(id))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	lines := map[string]int64{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		buf := new(strings.Builder)
		_, _ = copyAll(buf, rc)
		rc.Close()
		lines[strings.TrimSuffix(zf.Name, ".csv")] = int64(strings.Count(strings.TrimRight(buf.String(), "\n"), "\n"))
	}
	return lines
}

// TestBackupIntegerAndTextKeys deletes, with the backup on, from plain
// PostgreSQL tables keyed by an identity bigint, by text and by uuid,
// cascading three levels deep (shop → shelf → item): the backup holds exactly the records that go
// at every level and they are gone. Before, a backup needed UUID keys.
func TestBackupIntegerAndTextKeys(t *testing.T) {
	for name, key := range map[string][2]string{
		"bigint": {"bigint GENERATED ALWAYS AS IDENTITY", "bigint"},
		"text":   {"text DEFAULT 'k-' || md5(random()::text) || ''''", "text"},
		"uuid":   {"uuid DEFAULT gen_random_uuid()", "uuid"},
	} {
		t.Run(name, func(t *testing.T) {
			f := pgFixture(t, false)
			withWhere(t)
			def, typ := key[0], key[1]
			f.exec(`CREATE TABLE shop (id ` + def + ` PRIMARY KEY, name text, odd boolean);
				CREATE TABLE shelf (id ` + def + ` PRIMARY KEY, shop_id ` + typ + ` NOT NULL REFERENCES shop ON DELETE CASCADE, label text);
				CREATE TABLE item (id ` + def + ` PRIMARY KEY, shelf_id ` + typ + ` NOT NULL REFERENCES shelf ON DELETE CASCADE, sku text);
				CREATE TABLE keep (id ` + def + ` PRIMARY KEY, shop_id ` + typ + ` REFERENCES shop ON DELETE SET NULL);
				INSERT INTO shop (name, odd) SELECT 'shop ' || g, g % 2 = 1 FROM generate_series(1, 10) g;
				INSERT INTO shelf (shop_id, label) SELECT s.id, 'shelf ' || g FROM shop s, generate_series(1, 3) g;
				INSERT INTO item (shelf_id, sku) SELECT s.id, 'sku ' || g FROM shelf s, generate_series(1, 2) g;
				INSERT INTO keep (shop_id) SELECT id FROM shop`)
			odd := "SELECT id FROM shop WHERE odd"
			want := map[string]int64{
				"shop":  5,
				"shelf": f.count("SELECT count(*) FROM shelf WHERE shop_id IN (" + odd + ")"),
				"item":  f.count("SELECT count(*) FROM item WHERE shelf_id IN (SELECT id FROM shelf WHERE shop_id IN (" + odd + "))"),
			}
			ctx := context.Background()
			req := Request{CRM: f.crm, Object: "shop", Where: "%[1]s.odd", BatchSize: 2}
			pv, err := f.svc.Preview(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			id, err := f.svc.Start(ctx, req, Confirmation{Object: pv.Object, Count: pv.Total})
			if err != nil {
				t.Fatal(err)
			}
			if j := f.wait(t, id); j.Status != store.StatusDone || j.Succeeded != 5 {
				t.Fatalf("job %s %d %q", j.Status, j.Succeeded, j.Message)
			}
			got := backupLines(t, f, id)
			for obj, n := range want {
				if got[obj] != n {
					t.Errorf("backup holds %d %s records, want %d (%v)", got[obj], obj, n, got)
				}
			}
			if got["keep"] != 0 {
				t.Errorf("backup holds %d keep records, which stay", got["keep"])
			}
			if n := f.count("SELECT count(*) FROM shop WHERE odd"); n != 0 {
				t.Errorf("%d odd shops left", n)
			}
			if n := f.count("SELECT count(*) FROM item"); n != 10*3*2-want["item"] {
				t.Errorf("%d items left, want %d", n, 10*3*2-want["item"])
			}
		})
	}
}

// TestCascadeCycleRefused: where a cascading key closes a cycle — a tree
// of records deleted with their parent, or two tables cascading into each
// other — the database deletes at any depth, more than the preview counts
// and the backup holds. The delete is refused with the key named, and
// nothing goes. (Before, the tree's 3 roots were "deleted" as promised and
// the database took their 9 descendants with them, none backed up.)
func TestCascadeCycleRefused(t *testing.T) {
	for name, schema := range map[string]string{
		"tree": `CREATE TABLE node (id bigint PRIMARY KEY, top boolean, parent_id bigint REFERENCES node ON DELETE CASCADE);
			INSERT INTO node SELECT g, g <= 3, CASE WHEN g > 3 THEN 1 + g % 3 END FROM generate_series(1, 12) g;`,
		"two tables": `CREATE TABLE node (id bigint PRIMARY KEY, top boolean, other_id bigint);
			CREATE TABLE other (id bigint PRIMARY KEY, node_id bigint NOT NULL REFERENCES node ON DELETE CASCADE);
			ALTER TABLE node ADD FOREIGN KEY (other_id) REFERENCES other ON DELETE CASCADE;
			INSERT INTO node SELECT g, g <= 3, NULL FROM generate_series(1, 12) g;
			INSERT INTO other SELECT g, g FROM generate_series(1, 12) g;
			UPDATE node SET other_id = id - 3 WHERE id > 3;`,
	} {
		t.Run(name, func(t *testing.T) {
			f := pgFixture(t, false)
			withWhere(t)
			f.exec(schema)
			ctx := context.Background()
			req := Request{CRM: f.crm, Object: "node", Where: "%[1]s.top"}
			_, err := f.svc.Preview(ctx, req)
			if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(apperr.MessageOf(err), "cycle") || !strings.Contains(apperr.MessageOf(err), "_fkey") {
				t.Fatalf("preview: %v, want a refusal naming the key", err)
			}
			if _, err := f.svc.Start(ctx, req, Confirmation{Object: "node", Count: 3}); apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("start: %v, want the refusal", err)
			}
			if n := f.count("SELECT count(*) FROM node"); n != 12 {
				t.Errorf("%d nodes left, want all 12", n)
			}
		})
	}
}

// TestBackupDetailOfTwoMasters: item cascades both from shelf (which
// cascades from shop) and straight from shop; the backup holds every item
// that goes, through either key. Before, the backup read item under its
// first master only, and the check refused the delete ("the backup holds
// 15 item records, not the 45 that go").
func TestBackupDetailOfTwoMasters(t *testing.T) {
	f := pgFixture(t, false)
	withWhere(t)
	f.exec(`CREATE TABLE shop (id bigint PRIMARY KEY, odd boolean);
		CREATE TABLE shelf (id bigint PRIMARY KEY, shop_id bigint NOT NULL REFERENCES shop ON DELETE CASCADE);
		CREATE TABLE item (id bigint PRIMARY KEY, shelf_id bigint NOT NULL REFERENCES shelf ON DELETE CASCADE,
			shop_id bigint REFERENCES shop ON DELETE CASCADE);
		INSERT INTO shop SELECT g, g % 2 = 1 FROM generate_series(1, 10) g;
		INSERT INTO shelf SELECT g, 1 + g % 10 FROM generate_series(1, 30) g;
		INSERT INTO item SELECT g, 1 + g % 30, NULL FROM generate_series(1, 60) g;
		INSERT INTO item SELECT 100 + s.id, s.id, 1 FROM shelf s JOIN shop p ON p.id = s.shop_id WHERE NOT p.odd`)
	odd := "SELECT id FROM shop WHERE odd"
	want := map[string]int64{
		"shop":  5,
		"shelf": f.count("SELECT count(*) FROM shelf WHERE shop_id IN (" + odd + ")"),
		"item":  f.count("SELECT count(*) FROM item WHERE shop_id IN (" + odd + ") OR shelf_id IN (SELECT id FROM shelf WHERE shop_id IN (" + odd + "))"),
	}
	items := f.count("SELECT count(*) FROM item")
	ctx := context.Background()
	req := Request{CRM: f.crm, Object: "shop", Where: "%[1]s.odd", BatchSize: 2}
	pv, err := f.svc.Preview(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := related(pv.Cascades, "item"); c.Rows != want["item"] {
		t.Fatalf("preview counts %d items, want %d", c.Rows, want["item"])
	}
	id, err := f.svc.Start(ctx, req, Confirmation{Object: pv.Object, Count: pv.Total})
	if err != nil {
		t.Fatal(err)
	}
	if j := f.wait(t, id); j.Status != store.StatusDone || j.Succeeded != 5 {
		t.Fatalf("job %s %d %q", j.Status, j.Succeeded, j.Message)
	}
	got := backupLines(t, f, id)
	for obj, n := range want {
		if got[obj] != n {
			t.Errorf("backup holds %d %s records, want %d (%v)", got[obj], obj, n, got)
		}
	}
	if n := f.count("SELECT count(*) FROM item"); n != items-want["item"] {
		t.Errorf("%d items left, want %d", n, items-want["item"])
	}
}

// TestCheckBackupSaysWhichCascadeIsMissing: a backup without the records
// that cascade is refused, saying which object is missing and why.
func TestCheckBackupSaysWhichCascadeIsMissing(t *testing.T) {
	err := checkBackup(BackupInfo{Location: "b.zip", Files: []BackupFile{{Object: "shop", Rows: 5}}},
		Preview{Object: "shop", Total: 5, Cascades: []Related{{Object: "item", Rows: 3}}})
	if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(apperr.MessageOf(err), "0 item records, not the 3 that go (item records cascade with the shop records") {
		t.Errorf("check: %v", err)
	}
}
