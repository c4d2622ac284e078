package mapping

import (
	"strings"
	"testing"
)

// FuzzParseMapFlag: never panics; a success has non-empty trimmed sides
// and the field holds no '='.
func FuzzParseMapFlag(f *testing.F) {
	for _, s := range []string{"Company=name", "a=b=c", "=", "x=", "=y", "", "公司=name", " \t= \n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, field, err := ParseMapFlag(s)
		if err != nil {
			return
		}
		if h == "" || field == "" || strings.Contains(field, "=") || h != strings.TrimSpace(h) || field != strings.TrimSpace(field) {
			t.Fatalf("ParseMapFlag(%q) = %q, %q", s, h, field)
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
