package filter_test

import (
	"fmt"
	"time"

	"batchdesk/backend/crm/demo"
	"batchdesk/backend/filter"
)

func ExampleCompile() {
	objs := demo.Objects()
	account := &objs[1]
	c, err := filter.Compile(`industry IN ('Finance', '科技') AND (employees >= 100 OR founded_on < 2000-01-01)`,
		account, filter.WithZone(time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c)
	fmt.Println(c.Fields())
	sql, _ := c.Postgres("a")
	fmt.Println(sql)

	_, err = filter.Compile(`industri = 'Finance'`, account)
	fmt.Println(err)
	// Output:
	// industry IN ('Finance', 'Technology') AND (employees >= 100 OR founded_on < 2000-01-01)
	// [industry employees founded_on]
	// ((a."industry"::text IN ('Finance', 'Technology')) AND ((a."employees" >= 100) OR (a."founded_on" < DATE '2000-01-01')))
	// filter, line 1, column 1: Account has no field industri; did you mean industry?
}
