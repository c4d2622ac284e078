package catalog

import (
	"strings"
	"unicode"
)

// initialisms are words Prettify writes in capitals.
var initialisms = map[string]string{"id": "ID", "url": "URL", "uuid": "UUID",
	"sku": "SKU", "api": "API", "ip": "IP", "no": "No."}

// Prettify turns a database name into an English label: "parent_account_id"
// and "parentAccountId" both become "Parent Account ID". It is used for the
// labels of plain tables and columns, which have no labels of their own.
func Prettify(name string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	runes := []rune(name)
	for i, r := range runes {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 &&
			(unicode.IsLower(cur[len(cur)-1]) || unicode.IsDigit(cur[len(cur)-1]) ||
				(i+1 < len(runes) && unicode.IsLower(runes[i+1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	for i, w := range words {
		lw := strings.ToLower(w)
		if up, ok := initialisms[lw]; ok {
			words[i] = up
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}
