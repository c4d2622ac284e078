package crm_test

import (
	"fmt"

	"batchdesk/backend/crm"
)

func ExampleParseSpec() {
	for _, s := range []string{"sandbox", "sandbox:/tmp/copy.db", "postgres://me:secret@db.example:5432/crm"} {
		spec, err := crm.ParseSpec(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(spec.Kind, spec)
	}
	_, err := crm.ParseSpec("mysql://me:secret@db/crm")
	fmt.Println(err)
	// Output:
	// sandbox sandbox
	// sandbox sandbox:/tmp/copy.db
	// postgres postgres://me:xxxxx@db.example:5432/crm
	// unknown CRM (not shown: it may contain a password): use "sandbox", "sandbox:PATH" or a postgres://user@host:port/database URL
}
