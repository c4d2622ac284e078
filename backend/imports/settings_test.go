package imports

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestSettingsShape checks that a job saved by the command line before
// Settings moved here still decodes, and that a command-line import saves
// the same keys as before (the fields added for the window are optional).
func TestSettingsShape(t *testing.T) {
	old := `{"crm":"sandbox","object":"Account","mode":"upsert","key":"account_no","maps":["Nom=name"],` +
		`"encoding":"gb18030","delimiter":";","batchSize":100,"rehearse":true,"errors":"e.csv",` +
		`"masterKey":"k","details":["OpportunityLine=l.csv"],"files":["a.csv"]}`
	var s Settings
	if err := json.Unmarshal([]byte(old), &s); err != nil {
		t.Fatal(err)
	}
	want := Settings{CRM: "sandbox", Object: "Account", Mode: "upsert", Key: "account_no", Maps: []string{"Nom=name"},
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
