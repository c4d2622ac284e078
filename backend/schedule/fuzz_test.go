package schedule

import (
	"testing"
	"time"
)

// FuzzParse: no input panics; a spec that parses prints a canonical text
// that parses to itself, describes itself in both languages, and its next
// run is after the time asked about.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"once 2026-12-01T02:00", "daily 02:00", "weekly mon 02:00",
		"weekly mon,thu 02:00 Asia/Shanghai", "monthly 1 02:00", "monthly 31 23:59 America/New_York",
		"weekly mon-sun 00:00 Europe/Berlin", "daily 02:30 America/New_York", "once 2026-03-08T02:30 America/New_York",
		"weekly sun-sun 1:00", "daily 02:00 ../x", "monthly 29 02:00 Local", ""} {
		f.Add(s, int64(1796090400))
	}
	f.Fuzz(func(t *testing.T, text string, unix int64) {
		s, err := Parse(text, "UTC")
		if err != nil {
			return
		}
		again, err := Parse(s.String(), "Asia/Tokyo")
		if err != nil || again.String() != s.String() {
			t.Fatalf("%q → %q → %q, %v", text, s.String(), again.String(), err)
		}
		if s.Describe("en") == "" || s.Describe("zh") == "" {
			t.Fatalf("%q has no words", text)
		}
		at := time.Unix(unix%(1<<34), 0)
		if next, ok := s.Next(at); ok && !next.After(at) {
			t.Fatalf("%q: next after %s is %s", text, at, next)
		} else if !ok && s.Kind != Once {
			t.Fatalf("%q: no run after %s", text, at)
		}
	})
}
