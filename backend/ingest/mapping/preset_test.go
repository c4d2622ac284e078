package mapping

import (
	"reflect"
	"strings"
	"testing"
)

func TestPresetRoundTrip(t *testing.T) {
	p := Preset{Name: "Acme", Mapping: Mapping{Object: "Account", Mode: Upsert, Key: "account_no", Zone: "Asia/Shanghai",
		Columns: map[string]Column{
			"Company":  {Field: "name"},
			"Industry": {Field: "industry", ValueMap: map[string]string{"Tech": "Technology"}},
			"Founded":  {Field: "founded_on", DateFormat: "DD/MM/YYYY"},
			"Revenue":  {Field: "annual_revenue", NumberLocale: NumberComma, Blank: BlankKeep},
			"Owner":    {Field: "owner_id", LookupBy: "email"},
		}}}
	data, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "{\n  \"version\": 1,") {
		t.Errorf("encoded preset does not start with the version:\n%s", data)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, p)
	}
}

func TestPresetDecodeErrors(t *testing.T) {
	tests := []struct{ name, in, err string }{
		{"not json", `{"version":1,`, "not valid JSON"},
		{"array", `[]`, "$ must be a JSON object"},
		{"null", `null`, "$ must be a JSON object"},
		{"no version", `{"object":"Account"}`, "$.version is missing"},
		{"wrong version", `{"version":2,"object":"Account"}`, "$.version is 2"},
		{"version string", `{"version":"1","object":"Account"}`, "$.version must be a whole number"},
		{"unknown key", `{"version":1,"object":"Account","colums":{}}`, "$.colums is not a preset setting"},
		{"no object", `{"version":1}`, "$.object is missing"},
		{"bad mode", `{"version":1,"object":"Account","mode":"merge"}`, `$.mode is "merge"`},
		{"mode number", `{"version":1,"object":"Account","mode":3}`, "$.mode must be a string"},
		{"columns array", `{"version":1,"object":"Account","columns":[]}`, "$.columns must be a JSON object"},
		{"column unknown key", `{"version":1,"object":"Account","columns":{"A":{"field":"name","fmt":"x"}}}`, `$.columns["A"].fmt is not a preset setting`},
		{"column no field", `{"version":1,"object":"Account","columns":{"A":{}}}`, `$.columns["A"].field is missing`},
		{"value map type", `{"version":1,"object":"Account","columns":{"Industry":{"field":"industry","valueMap":{"Tech":1}}}}`, `$.columns["Industry"].valueMap["Tech"] must be a string`},
		{"bad date", `{"version":1,"object":"Account","columns":{"A":{"field":"founded_on","dateFormat":"YY"}}}`, `$.columns["A"].dateFormat "YY"`},
		{"bad blank", `{"version":1,"object":"Account","columns":{"A":{"field":"name","blank":true}}}`, `$.columns["A"].blank must be a string`},
		{"blank header", `{"version":1,"object":"Account","columns":{" ":{"field":"name"}}}`, "needs a header name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error = %v; want %q", err, tt.err)
			}
		})
	}
}

func TestMasterDetailPresetRoundTrip(t *testing.T) {
	p := Preset{Name: "Opps with lines", Mapping: Mapping{Object: "Opportunity", Mode: Insert,
		Columns: map[string]Column{"Opp no": {Field: "opportunity_no"}, "Name": {Field: "name"}}},
		MasterKey: "Opp no",
		Details: []DetailPreset{{Object: "OpportunityLine", MasterColumn: "Opportunity",
			Columns: map[string]Column{"SKU": {Field: "product_id", LookupBy: "sku"}, "Qty": {Field: "quantity", NumberLocale: NumberComma}}}}}
	data, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"masterKey": "Opp no"`, `"masterColumn": "Opportunity"`, `"lookupBy": "sku"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("encoded preset lacks %s:\n%s", want, data)
		}
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, p)
	}
}

func TestPresetWithoutDetailsKeepsItsFormat(t *testing.T) {
	// A version-1 preset written before master–detail presets existed reads
	// as before, and one without details is written without the new keys.
	old := `{"version": 1, "name": "Acme", "object": "Account", "mode": "insert", "columns": {"Company": {"field": "name"}}}`
	p, err := Decode([]byte(old))
	if err != nil || p.MasterKey != "" || p.Details != nil || p.Columns["Company"].Field != "name" {
		t.Fatalf("old preset = %+v, %v", p, err)
	}
	data, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "masterKey") || strings.Contains(string(data), "details") {
		t.Errorf("a preset without details gained master–detail keys:\n%s", data)
	}
}

func TestMasterDetailPresetDecodeErrors(t *testing.T) {
	const head = `{"version":1,"object":"Opportunity","columns":{},`
	tests := []struct{ name, in, err string }{
		{"details object", head + `"masterKey":"K","details":{}}`, "$.details must be a JSON array"},
		{"no master key", head + `"details":[{"object":"OpportunityLine","masterColumn":"K","columns":{}}]}`, "$.masterKey is missing"},
		{"master key number", head + `"masterKey":1}`, "$.masterKey must be a string"},
		{"detail no object", head + `"masterKey":"K","details":[{"masterColumn":"K"}]}`, "$.details[0].object is missing"},
		{"detail no master column", head + `"masterKey":"K","details":[{"object":"OpportunityLine"}]}`, "$.details[0].masterColumn is missing"},
		{"detail twice", head + `"masterKey":"K","details":[{"object":"L","masterColumn":"K"},{"object":"l","masterColumn":"K"}]}`, `$.details[1].object "l" is named twice`},
		{"detail unknown key", head + `"masterKey":"K","details":[{"object":"L","masterColumn":"K","mode":"upsert"}]}`, "$.details[0].mode is not a preset setting"},
		{"detail column no field", head + `"masterKey":"K","details":[{"object":"L","masterColumn":"K","columns":{"SKU":{}}}]}`, `$.details[0].columns["SKU"].field is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error = %v; want %q", err, tt.err)
			}
		})
	}
}
