package destination

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanName(t *testing.T) {
	for _, ok := range []string{"a.csv", "sub/a.csv", "客户/数据.csv", "a b/c..d.csv"} {
		if got, err := CleanName(ok); err != nil || got != ok {
			t.Errorf("CleanName(%q) = %q, %v", ok, got, err)
		}
	}
	for _, bad := range []string{"", "/a", "../a", "a/..", "a//b", "./a", "a/", `a\b`, "a\x00b", "\xff"} {
		if _, err := CleanName(bad); err == nil {
			t.Errorf("CleanName(%q) accepted", bad)
		}
	}
}

// FuzzCleanName: an accepted name never climbs out of the destination.
func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"a.csv", "a/b", "../x", "a/./b", "/abs", `a\..\b`, "a/\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := CleanName(s)
		if err != nil {
			return
		}
		if got != s || strings.HasPrefix(got, "/") || !utf8.ValidString(got) || strings.ContainsAny(got, "\x00\\") {
			t.Fatalf("CleanName(%q) = %q", s, got)
		}
		for _, el := range strings.Split(got, "/") {
			if el == ".." || el == "." || el == "" {
				t.Fatalf("CleanName(%q) = %q keeps %q", s, got, el)
			}
		}
	})
}
