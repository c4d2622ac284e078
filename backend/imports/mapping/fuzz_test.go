package mapping

import (
	"strings"
	"testing"
)

// FuzzParseMapFlag: never panics; a success has a non-empty trimmed
// header, a trimmed field (empty: unmapped) without '=', and header=field
// parses back to the same pair.
func FuzzParseMapFlag(f *testing.F) {
	for _, s := range []string{"Company=name", "a=b=c", "=", "x=", "=y", "", "公司=name", " \t= \n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, field, err := ParseMapFlag(s)
		if err != nil {
			return
		}
		if h == "" || strings.Contains(field, "=") || h != strings.TrimSpace(h) || field != strings.TrimSpace(field) {
			t.Fatalf("ParseMapFlag(%q) = %q, %q", s, h, field)
		}
		if h2, f2, err := ParseMapFlag(h + "=" + field); err != nil || h2 != h || f2 != field {
			t.Fatalf("ParseMapFlag(%q) = %q, %q; again: %q, %q, %v", s, h, field, h2, f2, err)
		}
	})
}

// FuzzPresetDecode: never panics; what decodes re-encodes and decodes to
// the same preset.
func FuzzPresetDecode(f *testing.F) {
	for _, s := range []string{`{"version":1,"object":"Account","columns":{"A":{"field":"name","valueMap":{"x":"y"}}}}`,
		`{"version":1}`, `[]`, `null`, `{"version":1,"object":"A","mode":"upsert","key":"id","zone":"UTC","columns":{}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(data)
		if err != nil {
			return
		}
		out, err := Encode(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := Decode(out)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", out, err)
		}
		a, _ := Encode(q)
		if string(a) != string(out) {
			t.Fatalf("not stable:\n%s\n%s", out, a)
		}
	})
}
