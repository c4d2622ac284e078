package deletion

import (
	"strings"
	"testing"
)

// FuzzIDs: any id survives a trip through the ids file, one per line.
func FuzzIDs(f *testing.F) {
	for _, s := range []string{"6f1c0f1e-0000-4000-8000-000000000001", "42", "", " lead", "a\nb", `q"uote`, "\r", "tab\t", "ünï"} {
		f.Add(s, "other")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		w := newIDWriter()
		for _, id := range []string{a, b, a} {
			_ = w.add(id)
		}
		got, err := decodeIDs(w.Bytes())
		if err != nil {
			t.Fatalf("decode %q: %v", w.Bytes(), err)
		}
		if strings.Join(got, "\x00") != strings.Join([]string{a, b, a}, "\x00") || w.n != 3 {
			t.Fatalf("round trip of %q, %q gave %q", a, b, got)
		}
	})
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 5000: "5,000", 5210: "5,210", 1234567: "1,234,567", -5000: "-5,000"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
