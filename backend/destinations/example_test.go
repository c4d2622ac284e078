package destinations_test

import (
	"fmt"

	"batchdesk/backend/destinations"
)

func ExampleParseSpec() {
	sp, err := destinations.ParseSpec("ftp://me@files.example:2121/exports/crm?tls=explicit&epsv=off")
	if err != nil {
		panic(err)
	}
	fmt.Println(sp.Kind, sp.User, sp.Host, sp.Port, sp.Dir, sp.TLS, sp.DisableEPSV)
	_, err = destinations.ParseSpec("ftp://me:hunter2@files.example/exports")
	fmt.Println(err)
	// Output:
	// ftp me files.example 2121 exports/crm true true
	// do not put a password in the destination URL: use --password-stdin, a saved destination or the BATCHDESK_*_PASSWORD variable
}
