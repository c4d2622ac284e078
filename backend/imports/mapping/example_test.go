package mapping_test

import (
	"fmt"

	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/mapping/mappingtest"
)

func ExampleMatch() {
	account := mappingtest.Object("Account")
	for _, s := range mapping.Match(account, []string{"Company", "E-mail Address", "Indsutry Type", "年收入", "Billing City"}) {
		fmt.Printf("%s → %q %.2f auto=%v (%s)\n", s.Header, s.Field, s.Confidence, s.Auto, s.Reason)
	}
	// Output:
	// Company → "name" 0.95 auto=true (synonym)
	// E-mail Address → "email" 0.93 auto=true (synonym)
	// Indsutry Type → "industry" 0.77 auto=false (similar spelling to "industry type")
	// 年收入 → "annual_revenue" 0.97 auto=true (Chinese label)
	// Billing City → "" 0.00 auto=false ()
}
