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
// The error report's own columns (_row, _error) do not count, so a fixed
// error report finds the presets of the file it came from.
func Signature(headers []string) string {
	names := make([]string, 0, len(headers))
	for _, h := range headers {
		if ReportColumn(h) {
			continue
		}
		if n := compact(Normalize(h)); n != "" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	sum := sha256.Sum256([]byte(strings.Join(names, "\x1f")))
	return hex.EncodeToString(sum[:16])
}

// ReportColumn reports whether h is one of the columns an error report adds
// to the input's (_row, _error): they are the report's, not data, and are
// ignored when matching presets and fields.
func ReportColumn(h string) bool {
	h = strings.ToLower(strings.TrimSpace(h))
	return h == "_row" || h == "_error"
}
