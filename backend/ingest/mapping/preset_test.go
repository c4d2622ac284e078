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
