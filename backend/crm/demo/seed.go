package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"batchdesk/backend/crm/crmdb"
)

// demoNamespace is the UUID v5 namespace of the demo CRM's record ids.
var demoNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://batchdesk.example/demo-crm"))

// ID is the fixed id of the n-th demo record of an object (e.g.
// ID("Account", 1)): a UUID v5, the same on every install.
func ID(object string, n int) string {
	return uuid.NewSHA1(demoNamespace, fmt.Appendf(nil, "%s/%d", object, n)).String()
}

// Sizes of the demo data set.
const (
	Users         = 5 // plus System
	Accounts      = 60
	Contacts      = 80
	Products      = 10
	Opportunities = 15
)

var demoEpoch = time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)

// audit returns the system column values of the n-th record of object.
// Users are owned by System; other records by the demo users in turn.
func audit(object string, n int) ([]string, []any) {
	at := demoEpoch.Add(time.Duration(n) * time.Hour)
	owner := ID("User", 1+n%Users)
	if object == "User" {
		owner = crmdb.SystemUserID
	}
	return []string{"owner_id", "created_by", "created_at", "last_modified_by", "last_modified_at"},
		[]any{owner, crmdb.SystemUserID, at, crmdb.SystemUserID, at}
}

func row(table, object string, n int, cols []string, vals ...any) crmdb.Row {
	sc, sv := audit(object, n)
	return crmdb.Row{Table: table,
		Cols: append(append([]string{"id"}, cols...), sc...),
		Vals: append(append([]any{ID(object, n)}, vals...), sv...)}
}

func slug(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "&", "", ".", "", ",", "", "'", "").Replace(s))
}

// Rows returns the demo CRM's seed data, in insert order.
func Rows() []crmdb.Row {
	var rows []crmdb.Row
	users := [][3]string{{"Alice Wang", "alice.wang@demo.example", "E001"},
		{"Bruno Silva", "bruno.silva@demo.example", "E002"}, {"Chen Jing", "chen.jing@demo.example", "E003"},
		{"Dana Müller", "dana.mueller@demo.example", "E004"}, {"Li Wei", "li.wei@demo.example", "E005"}}
	rows = append(rows, crmdb.Row{Table: crmdb.TableUsers, Cols: []string{"id", "name", "email", "employee_no", "created_at", "last_modified_at"},
		Vals: []any{crmdb.SystemUserID, "System", "system@batchdesk.local", "SYSTEM", demoEpoch, demoEpoch}})
	for i, u := range users {
		rows = append(rows, row(crmdb.TableUsers, "User", i+1, []string{"name", "email", "employee_no"}, u[0], u[1], u[2]))
	}

	first := []string{"Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Adventure", "Blue Yonder",
		"Proseware", "Wingtip", "Coho", "Alpine", "Margie's", "Trey", "Lucerne", "Humongous"}
	second := []string{"Trading", "Systems", "Holdings", "Logistics"}
	industries := []string{"Technology", "Finance", "Manufacturing", "Retail", "Healthcare",
		"Education", "Energy", "Logistics", "Media", "Other"}
	accountCols := []string{"name", "account_no", "industry", "annual_revenue", "employees", "phone",
		"email", "website", "founded_on", "is_key_account", "parent_account_id"}
	for n := 1; n <= Accounts; n++ {
		name := first[(n-1)%len(first)] + " " + second[(n-1)/len(first)%len(second)]
		host := slug(name) + ".example.com"
		var parent any
		if n > 50 {
			parent = ID("Account", n-50)
		}
		rows = append(rows, row("account", "Account", n, accountCols,
			name, fmt.Sprintf("A-%04d", n), industries[(n-1)%len(industries)],
			fmt.Sprintf("%d.00", 125000*n), 10+(n*37)%5000, fmt.Sprintf("+86 21 5555 %04d", n),
			"info@"+host, "https://www."+host,
			fmt.Sprintf("%04d-%02d-%02d", 1980+n%40, 1+n%12, 1+n%28), n%7 == 0, parent))
	}

	products := []struct{ name, cat, price string }{
		{"Laptop Pro 14", "Hardware", "1299.00"}, {"Dock Station", "Hardware", "189.00"},
		{"Monitor 27\"", "Hardware", "349.50"}, {"CRM Suite", "Software", "990.00"},
		{"Analytics Add-on", "Software", "450.00"}, {"Onboarding", "Service", "2500.00"},
		{"Premium Support", "Service", "1200.00"}, {"Cloud Storage 1 TB", "Subscription", "9.99"},
		{"Security Pack", "Subscription", "19.90"}, {"Legacy Connector", "Software", "75.00"}}
	for i, p := range products {
		n := i + 1
		rows = append(rows, row("product", "Product", n, []string{"name", "sku", "category", "unit_price", "active"},
			p.name, fmt.Sprintf("SKU-%04d", 1000+n), p.cat, p.price, n != Products))
	}

	givens := []string{"Wei", "Anna", "Jun", "Maria", "Hao", "Lena", "Tao", "Omar", "Yan", "Sara"}
	families := []string{"Zhang", "Smith", "Liu", "Garcia", "Huang", "Novak", "Zhao", "Khan"}
	sources := []string{"Web", "Referral", "Event", "Partner", "Cold Call"}
	titles := []string{"CEO", "CFO", "Purchasing Manager", "IT Director", "Sales Lead"}
	for n := 1; n <= Contacts; n++ {
		g, f := givens[(n-1)%len(givens)], families[(n-1)/len(givens)%len(families)]
		rows = append(rows, row("contact", "Contact", n,
			[]string{"name", "account_id", "email", "phone", "title", "birthday", "lead_source"},
			g+" "+f, ID("Account", 1+(n-1)%Accounts),
			fmt.Sprintf("%s.%s.%d@customer.example", strings.ToLower(g), strings.ToLower(f), n),
			fmt.Sprintf("+86 138 0000 %04d", n), titles[n%len(titles)],
			fmt.Sprintf("%04d-%02d-%02d", 1960+n%35, 1+n%12, 1+n%28), sources[n%len(sources)]))
	}

	stages := []string{"Prospecting", "Qualification", "Proposal", "Negotiation", "Won", "Lost"}
	probability := []string{"10.00", "25.00", "50.00", "75.00", "100.00", "0.00"}
	line := 0
	for n := 1; n <= Opportunities; n++ {
		acct := 1 + (n*7)%Accounts
		rows = append(rows, row("opportunity", "Opportunity", n,
			[]string{"name", "account_id", "stage", "amount", "close_date", "probability"},
			fmt.Sprintf("Deal %02d", n), ID("Account", acct), stages[n%len(stages)],
			fmt.Sprintf("%d.00", 5000*n), fmt.Sprintf("2025-%02d-15", 1+n%12), probability[n%len(stages)]))
		for j := 0; j < 1+n%3; j++ {
			line++
			p := products[(n+j)%Products]
			rows = append(rows, row("opportunity_line", "OpportunityLine", line,
				[]string{"opportunity_id", "product_id", "quantity", "unit_price", "discount"},
				ID("Opportunity", n), ID("Product", 1+(n+j)%Products),
				fmt.Sprintf("%d", 1+j*2), p.price, fmt.Sprintf("%d.00", 5*(j%3))))
		}
	}

	for n := 1; n <= 12; n++ {
		role := crmdb.RoleReadWrite
		if n%3 == 0 {
			role = crmdb.RoleReadOnly
		}
		rows = append(rows, crmdb.Row{Table: crmdb.TableTeamMembers, Cols: []string{"id", "object", "record_id", "user_id", "role"},
			Vals: []any{ID("TeamMember", n), "Account", ID("Account", 1+(n-1)/2),
				ID("User", 1+n%Users), role}})
	}
	return rows
}
