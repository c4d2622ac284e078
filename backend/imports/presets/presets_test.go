package presets

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "batchdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func acme() mapping.Preset {
	return mapping.Preset{Name: "acme", Mapping: mapping.Mapping{Object: "Account", Mode: mapping.Upsert, Key: "id",
		Columns: map[string]mapping.Column{"Company": {Field: "name"}, "Industry": {Field: "industry", ValueMap: map[string]string{"Tech": "Technology"}}}}}
}

func TestSaveGetRenameRoundTrip(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	row, err := Save(ctx, st, acme(), []string{"Company", "Industry"})
	if err != nil || row.Object != "Account" || row.HeaderSignature == "" {
		t.Fatalf("save = %+v, %v", row, err)
	}
	got, err := Get(ctx, st, "acme")
	if err != nil || got.Name != "acme" || got.Columns["Industry"].ValueMap["Tech"] != "Technology" || got.Mode != mapping.Upsert {
		t.Fatalf("get = %+v, %v", got, err)
	}
	// Saving again without headers keeps the signature.
	if row2, err := Save(ctx, st, got, nil); err != nil || row2.HeaderSignature != row.HeaderSignature {
		t.Fatalf("resave = %+v, %v", row2, err)
	}
	if err := Rename(ctx, st, "acme", "acme 2"); err != nil {
		t.Fatal(err)
	}
	row3, _ := st.GetPreset(ctx, "acme 2")
	if p, err := mapping.Decode(row3.Body); err != nil || p.Name != "acme 2" {
		t.Fatalf("the body's name does not follow the rename: %+v, %v", p, err)
	}
	if _, err := Get(ctx, st, "acme"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("old name: %v", err)
	}
}

func TestFilesAndLoad(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	b, err := File(acme())
	if err != nil || !strings.HasPrefix(string(b), "{\n  \"version\": 1,") || !strings.HasSuffix(string(b), "}\n") {
		t.Fatalf("file = %q, %v", b, err)
	}
	path := filepath.Join(t.TempDir(), "acme.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Load(ctx, st, path)
	if err != nil || p.Name != "acme" || p.Object != "Account" {
		t.Fatalf("load file = %+v, %v", p, err)
	}
	if _, err := Save(ctx, st, p, nil); err != nil {
		t.Fatal(err)
	}
	if p, err := Load(ctx, st, "acme"); err != nil || p.Columns["Company"].Field != "name" {
		t.Fatalf("load by name = %+v, %v", p, err)
	}
	cases := []struct {
		name, arg, code, msg string
	}{
		{"unknown name", "nope", apperr.NotFound, "no preset named"},
		{"missing file", filepath.Join(t.TempDir(), "gone.json"), apperr.NotFound, "no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(ctx, st, c.arg)
			if apperr.CodeOf(err) != c.code || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("%v", err)
			}
		})
	}
	for name, text := range map[string]string{
		"no version":  `{"object":"Account","columns":{}}`,
		"unknown key": `{"version":1,"object":"Account","colums":{}}`,
		"not JSON":    `{`,
	} {
		if _, err := Parse([]byte(text)); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestMasterDetailPresetKeepsItsDetails(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := mapping.Preset{Name: "opps", Mapping: mapping.Mapping{Object: "Opportunity", Mode: mapping.Insert,
		Columns: map[string]mapping.Column{"Opp no": {Field: "opportunity_no"}, "Name": {Field: "name"}}},
		MasterKey: "Opp no",
		Details: []mapping.DetailPreset{{Object: "OpportunityLine", MasterColumn: "Opportunity",
			Columns: map[string]mapping.Column{"SKU": {Field: "product_id", LookupBy: "sku"}, "Qty": {Field: "quantity"}}}}}
	if _, err := Save(ctx, st, p, []string{"Opp no", "Name"}); err != nil {
		t.Fatal(err)
	}
	if err := Rename(ctx, st, "opps", "opps 2"); err != nil {
		t.Fatal(err)
	}
	got, err := Get(ctx, st, "opps 2")
	if err != nil {
		t.Fatal(err)
	}
	p.Name = "opps 2"
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("saved, renamed and read back:\n got %+v\nwant %+v", got, p)
	}
	// Its shared file carries the details as well.
	b, err := File(got)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(b)
	if err != nil || !reflect.DeepEqual(back, p) {
		t.Fatalf("file round trip = %+v, %v", back, err)
	}
}
