package source_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"batchdesk/backend/imports/source"
)

func ExampleOpen() {
	path := filepath.Join(os.TempDir(), "batchdesk-example.csv")
	os.WriteFile(path, []byte("Name;Note\r\nAcme;\"two\r\nlines\"\r\nGlobex;ok\r\n"), 0o600)
	defer os.Remove(path)

	f, err := source.Open(path, source.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	fmt.Printf("%s %q %q\n", f.Encoding(), f.Delimiter(), f.Header())
	for {
		rec, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("line %d at byte %d: %q\n", rec.Line, rec.Offset, rec.Fields)
	}
	// Output:
	// utf-8 ';' ["Name" "Note"]
	// line 2 at byte 11: ["Acme" "two\nlines"]
	// line 4 at byte 30: ["Globex" "ok"]
}
