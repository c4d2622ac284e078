package app

import (
	"reflect"
	"testing"

	"batchdesk/backend/ingest/mapping"
)

// A preset saved on a master–detail import comes back with its details and
// key columns, and the shared file carries them (issue 9.3).
func TestSavePresetKeepsMasterDetail(t *testing.T) {
	a := newApp(t)
	in := mapping.Preset{Mapping: mapping.Mapping{Object: "Opportunity", Mode: mapping.Insert,
		Columns: map[string]mapping.Column{"Opp no": {Field: "opportunity_no"}}},
		MasterKey: "Opp no",
		Details: []mapping.DetailPreset{{Object: "OpportunityLine", MasterColumn: "Opportunity",
			Columns: map[string]mapping.Column{"SKU": {Field: "product_id"}}}}}
	s, err := a.SavePreset("opps", in, []string{"Opp no"})
	if err != nil || s.Name != "opps" || s.Object != "Opportunity" {
		t.Fatalf("save = %+v, %v", s, err)
	}
	got, err := a.GetPreset("opps")
	in.Name = "opps"
	if err != nil || !reflect.DeepEqual(got, in) {
		t.Fatalf("get:\n got %+v, %v\nwant %+v", got, err, in)
	}
	text, err := a.ExportPreset("opps")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DeletePreset("opps"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportPreset(text); err != nil {
		t.Fatal(err)
	}
	if got, err := a.GetPreset("opps"); err != nil || !reflect.DeepEqual(got, in) {
		t.Fatalf("after export and import:\n got %+v, %v\nwant %+v", got, err, in)
	}
}
