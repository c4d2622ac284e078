package imports

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestSettingsShape checks that a job saved by the command line in its
// form (before the command line sent complete requests) still decodes,
// and that the form keeps the same keys (the fields added for the window
// are optional).
func TestSettingsShape(t *testing.T) {
	old := `{"crm":"sandbox","object":"Account","mode":"upsert","key":"account_no","maps":["Nom=name"],` +
		`"encoding":"gb18030","delimiter":";","batchSize":100,"rehearse":true,"errors":"e.csv",` +
		`"masterKey":"k","details":["OpportunityLine=l.csv"],"files":["a.csv"]}`
	var s Form
	if err := json.Unmarshal([]byte(old), &s); err != nil {
		t.Fatal(err)
	}
	want := Form{CRM: "sandbox", Object: "Account", Mode: "upsert", Key: "account_no", Maps: []string{"Nom=name"},
		Encoding: "gb18030", Delimiter: ";", BatchSize: 100, Rehearse: true, Errors: "e.csv", MasterKey: "k",
		Details: []string{"OpportunityLine=l.csv"}, Files: []string{"a.csv"}}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("decoded %+v", s)
	}
	b, _ := json.Marshal(want)
	var back, orig map[string]any
	_ = json.Unmarshal(b, &back)
	_ = json.Unmarshal([]byte(old), &orig)
	if !reflect.DeepEqual(back, orig) {
		t.Fatalf("re-encoded %s, want %s", b, old)
	}
	if d := s.details(); len(d) != 1 || d[0].Object != "OpportunityLine" || d[0].Files[0] != "l.csv" || d[0].MasterColumn != "k" {
		t.Fatalf("details = %+v", d)
	}
}

// TestDecodeSaved: a job saved with a mapping runs again as the Request it
// saved; one saved in the command line's form (by an older Batchdesk)
// comes back as that form, to be completed, with its files and delimiter.
func TestDecodeSaved(t *testing.T) {
	req, form, ok := decodeSaved([]byte(`{"crm":"sandbox","object":"Account","mapping":{"object":"Account","mode":"upsert","key":"account_no",` +
		`"columns":{"Nom":{"field":"name"}}},"files":["a.csv"],"formats":{"a.csv":{"delimiter":"tab"}},` +
		`"detailFiles":[{"object":"OpportunityLine","files":["l.csv"],"mapping":{"columns":{}},"masterColumn":"k"}]}`))
	if !ok || form != nil || req.Mapping.Columns["Nom"].Field != "name" || req.Mapping.Key != "account_no" ||
		req.Formats["a.csv"].Delimiter != '\t' || len(req.Details) != 1 || req.Details[0].MasterColumn != "k" {
		t.Fatalf("request %+v, form %+v, ok %v", req, form, ok)
	}
	req, form, ok = decodeSaved([]byte(`{"crm":"sandbox","object":"Account","maps":["Nom=name"],"delimiter":";","files":["a.csv"]}`))
	if !ok || form == nil || form.Maps[0] != "Nom=name" || req.Files[0] != "a.csv" || req.Formats["a.csv"].Delimiter != ';' {
		t.Fatalf("request %+v, form %+v, ok %v", req, form, ok)
	}
	if _, _, ok := decodeSaved([]byte(`{"crm":"sandbox"}`)); ok {
		t.Fatal("settings without files decoded")
	}
}
