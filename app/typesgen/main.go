// Command typesgen writes the frontend's API types (app.TypesFile) from the
// Go types bound to the page. Run it from the module root: `make types`.
package main

import (
	"fmt"
	"os"

	"batchdesk/app"
)

func main() {
	ts, err := app.TypeScript(".")
	if err != nil {
		fmt.Fprintf(os.Stderr, "typesgen: %v\n", err)
		os.Exit(1)
	}
	if err := os.WriteFile(app.TypesFile, []byte(ts), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "typesgen: %v\n", err)
		os.Exit(1)
	}
}
