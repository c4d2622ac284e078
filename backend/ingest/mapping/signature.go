package mapping

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// Signature identifies a header row regardless of column order, case,
// spacing and full-width characters: a hex SHA-256 (first 16 bytes) of the
// sorted normalised names. Files with equal signatures can share a preset.
func Signature(headers []string) string {
	names := make([]string, 0, len(headers))
	for _, h := range headers {
		if n := compact(Normalize(h)); n != "" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	sum := sha256.Sum256([]byte(strings.Join(names, "\x1f")))
	return hex.EncodeToString(sum[:16])
}
