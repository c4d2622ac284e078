package mapping

import (
	"strings"
	"unicode"

	"github.com/agnivade/levenshtein"
	"golang.org/x/text/width"
)

// Normalize folds a header or field name for comparison: full-width
// characters to their ASCII forms, lower case, every run of spaces,
// underscores, hyphens and punctuation to one space, trimmed.
// "ＥＭＡＩＬ" → "email", "E-mail_Address " → "e mail address",
// "Account  Name:" → "account name", "AnnualRevenue" → "annual revenue".
func Normalize(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	var prev rune
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// Camel case splits words too: "AnnualRevenue".
			if (space || unicode.IsUpper(r) && unicode.IsLower(prev)) && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			prev = r
			b.WriteRune(unicode.ToLower(r))
		case r == '#' || r == '＃':
			// "Account #" reads "Account No".
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("no")
			space, prev = true, r
		default:
			space = true
			prev = r
		}
	}
	return b.String()
}

// compact removes the spaces of a normalised name: "e mail" → "email".
func compact(s string) string { return strings.ReplaceAll(s, " ", "") }

// distance is the rune-wise Levenshtein distance, counting a swap of two
// neighbouring runes ("Emial") as one edit.
func distance(a, b string) int {
	d := levenshtein.ComputeDistance(a, b)
	if d == 2 && len(a) == len(b) {
		ra, rb := []rune(a), []rune(b)
		if len(ra) == len(rb) {
			for i := 0; i+1 < len(ra); i++ {
				if ra[i] != rb[i] {
					if ra[i] == rb[i+1] && ra[i+1] == rb[i] && string(ra[i+2:]) == string(rb[i+2:]) {
						return 1
					}
					break
				}
			}
		}
	}
	return d
}

// similarity is 1 − distance / longer length, in runes.
func similarity(a, b string) float64 {
	la, lb := len([]rune(a)), len([]rune(b))
	n := max(la, lb)
	if n == 0 {
		return 0
	}
	return 1 - float64(distance(a, b))/float64(n)
}
