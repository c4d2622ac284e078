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
