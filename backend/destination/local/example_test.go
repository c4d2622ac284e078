package local_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"batchdesk/backend/destination/local"
)

func ExampleDest_Put() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	d, _ := local.New(dir)
	p, err := d.Put(context.Background(), "crm/accounts.csv", strings.NewReader("id,name\n1,Acme\n"))
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Name, p.Bytes)
	// Output: crm/accounts.csv 15
}
