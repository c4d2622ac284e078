package validate_test

import (
	"fmt"
	"time"

	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/mapping/mappingtest"
	"batchdesk/backend/ingest/source"
	"batchdesk/backend/ingest/validate"
)

func ExampleValidator_Validate() {
	account := mappingtest.Object("Account")
	m := mapping.Mapping{Object: "Account", Columns: map[string]mapping.Column{
		"Company": {Field: "name"}, "Industry": {Field: "industry"}, "Revenue": {Field: "annual_revenue"}}}
	v, err := validate.New(account, &m, []string{"Company", "Industry", "Revenue"}, time.UTC)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, rec := range []source.Record{
		{Line: 2, Fields: []string{"Acme", "technology", "1,234.50"}},
		{Line: 3, Fields: []string{"Globex", "Tech", "12.345"}},
	} {
		row := v.Validate(rec)
		fmt.Println(row.Line, row.Values)
		for _, p := range row.Problems {
			fmt.Printf("  %s %s: %s\n", p.Header, p.Code, p.Message)
		}
	}
	// Output:
	// 2 [Acme Technology 1234.5]
	// 3 []
	//   Industry bad_picklist: "Tech" is not one of the options of Industry: Technology, Finance, Manufacturing, Retail, Healthcare, Education, Energy, Logistics, Media, Other
	//   Revenue too_many_digits: "12.345" has 3 decimals; Annual Revenue allows at most 2 (round the value first)
}
