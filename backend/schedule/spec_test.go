package schedule

import (
	"strings"
	"testing"
	"time"

	"batchdesk/backend/apperr"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustParse(t *testing.T, text string) Spec {
	t.Helper()
	s, err := Parse(text, "UTC")
	if err != nil {
		t.Fatalf("Parse(%q): %v", text, err)
	}
	return s
}

// TestNext checks the run-time math against fixed clocks: each case gives
// the spec, the time it is now, and the next runs that must follow (UTC).
func TestNext(t *testing.T) {
	cases := []struct {
		name string
		spec string
		now  string
		want []string
	}{
		// America/New_York: DST starts Sun 8 Mar 2026 (02:00 EST → 03:00 EDT)
		// and ends Sun 1 Nov 2026 (02:00 EDT → 01:00 EST).
		{"New York spring-forward gap runs at the first minute after it", "daily 02:30 America/New_York",
			"2026-03-07T17:00:00Z", []string{"2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"}},
		{"New York gap start itself runs at 03:00", "daily 02:00 America/New_York",
			"2026-03-07T17:00:00Z", []string{"2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z"}},
		{"New York time after the gap is unchanged", "daily 03:00 America/New_York",
			"2026-03-07T17:00:00Z", []string{"2026-03-08T07:00:00Z", "2026-03-09T07:00:00Z"}},
		{"New York fall-back repeated time runs once, at the first", "daily 01:30 America/New_York",
			"2026-10-31T17:00:00Z", []string{"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"}},
		{"New York fall-back, asked between the two 01:30s", "daily 01:30 America/New_York",
			"2026-11-01T06:00:00Z", []string{"2026-11-02T06:30:00Z"}},
		{"New York weekly sun on both change days", "weekly sun 02:30 America/New_York",
			"2026-03-01T12:00:00Z", []string{"2026-03-08T07:00:00Z", "2026-03-15T06:30:00Z"}},
		// Europe/Berlin: DST starts Sun 29 Mar 2026 (02:00 CET → 03:00 CEST)
		// and ends Sun 25 Oct 2026 (03:00 CEST → 02:00 CET).
		{"Berlin spring-forward gap", "daily 02:15 Europe/Berlin",
			"2026-03-28T12:00:00Z", []string{"2026-03-29T01:00:00Z", "2026-03-30T00:15:00Z"}},
		{"Berlin fall-back repeated 02:30 runs once", "daily 02:30 Europe/Berlin",
			"2026-10-24T12:00:00Z", []string{"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"}},
		{"Berlin monthly on the change day", "monthly 29 02:30 Europe/Berlin",
			"2026-03-01T00:00:00Z", []string{"2026-03-29T01:00:00Z", "2026-04-29T00:30:00Z"}},
		// Asia/Shanghai: UTC+8 all year.
		{"Shanghai weekly mon,thu", "weekly mon,thu 02:00 Asia/Shanghai",
			"2026-12-01T00:00:00Z", []string{"2026-12-02T18:00:00Z", "2026-12-06T18:00:00Z", "2026-12-09T18:00:00Z"}},
		{"Shanghai daily just before midnight UTC", "daily 07:59 Asia/Shanghai",
			"2026-06-30T23:58:00Z", []string{"2026-06-30T23:59:00Z", "2026-07-01T23:59:00Z"}},
		{"Shanghai monthly 1 at midnight", "monthly 1 00:00 Asia/Shanghai",
			"2026-12-15T00:00:00Z", []string{"2026-12-31T16:00:00Z", "2027-01-31T16:00:00Z"}},
		// Monthly 29–31 clamp to the month's last day.
		{"monthly 31 across February (2027, not leap)", "monthly 31 02:00 UTC",
			"2027-01-31T03:00:00Z", []string{"2027-02-28T02:00:00Z", "2027-03-31T02:00:00Z", "2027-04-30T02:00:00Z"}},
		{"monthly 31 across February (2028, leap)", "monthly 31 02:00 UTC",
			"2028-01-31T03:00:00Z", []string{"2028-02-29T02:00:00Z", "2028-03-31T02:00:00Z"}},
		{"monthly 30 in a leap February", "monthly 30 02:00 UTC",
			"2028-02-01T00:00:00Z", []string{"2028-02-29T02:00:00Z", "2028-03-30T02:00:00Z"}},
		{"monthly 29 in a common February", "monthly 29 02:00 UTC",
			"2027-02-01T00:00:00Z", []string{"2027-02-28T02:00:00Z", "2027-03-29T02:00:00Z"}},
		{"monthly 29 in February 2100 (not leap)", "monthly 29 02:00 UTC",
			"2100-02-01T00:00:00Z", []string{"2100-02-28T02:00:00Z"}},
		{"monthly 31 in New York over the year's end", "monthly 31 23:30 America/New_York",
			"2026-11-20T00:00:00Z", []string{"2026-12-01T04:30:00Z", "2027-01-01T04:30:00Z", "2027-02-01T04:30:00Z", "2027-03-01T04:30:00Z"}},
		// Weekly across a year boundary.
		{"weekly mon across 2026 → 2027", "weekly mon 09:00 Europe/Berlin",
			"2026-12-28T09:00:00Z", []string{"2027-01-04T08:00:00Z", "2027-01-11T08:00:00Z"}},
		{"weekly fri lands on New Year's Day", "weekly fri 09:00 Europe/Berlin",
			"2026-12-26T00:00:00Z", []string{"2027-01-01T08:00:00Z"}},
		{"weekly sat,sun over the year's end in Shanghai", "weekly sat,sun 10:00 Asia/Shanghai",
			"2026-12-27T03:00:00Z", []string{"2027-01-02T02:00:00Z", "2027-01-03T02:00:00Z"}},
		// Once.
		{"once in the future", "once 2026-12-01T02:00 Asia/Shanghai",
			"2026-11-30T12:00:00Z", []string{"2026-11-30T18:00:00Z"}},
		{"once just passed has no next run", "once 2026-12-01T02:00 UTC",
			"2026-12-01T02:00:00Z", nil},
		{"once in a New York gap", "once 2026-03-08T02:30 America/New_York",
			"2026-01-01T00:00:00Z", []string{"2026-03-08T07:00:00Z"}},
		{"once with seconds", "once 2026-12-01T02:00:05 UTC",
			"2026-12-01T02:00:00Z", []string{"2026-12-01T02:00:05Z"}},
		{"a time with seconds runs at the next whole minute", "daily 02:00 UTC",
			"2026-12-01T02:00:00.5Z", []string{"2026-12-02T02:00:00Z"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := mustParse(t, c.spec)
			got := s.Upcoming(utc(c.now), len(c.want)+1)
			if c.want != nil && s.Kind != Once {
				got = got[:len(c.want)]
			}
			if len(got) != len(c.want) {
				t.Fatalf("runs after %s = %v, want %v", c.now, got, c.want)
			}
			for i, w := range c.want {
				if !got[i].Equal(utc(w)) {
					t.Errorf("run %d after %s = %s (%s), want %s", i+1, c.now, got[i].UTC().Format(time.RFC3339),
						s.FormatRun(got[i]), w)
				}
			}
		})
	}
}

// TestOnceInZoneAheadOfComputer: the computer is in New York, the customer
// in Tokyo (14 hours ahead). A time on a date that has not yet come in New
// York may still be past in Tokyo, and is refused.
func TestOnceInZoneAheadOfComputer(t *testing.T) {
	now := utc("2026-12-01T19:00:00Z") // Tue 1 Dec 14:00 in New York, Wed 2 Dec 04:00 in Tokyo
	past, err := Parse("once 2026-12-02T01:00 Asia/Tokyo", "America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := past.First(now); apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "already passed") {
		t.Errorf("once 01:00 Tokyo (16:00Z yesterday) First = %v, want refused as passed", err)
	}
	ahead, err := Parse("once 2026-12-02T06:00 Asia/Tokyo", "America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ahead.First(now)
	if err != nil || !got.Equal(utc("2026-12-01T21:00:00Z")) {
		t.Errorf("once 06:00 Tokyo First = %v, %v; want 2026-12-01T21:00Z (16:00 in New York)", got, err)
	}
	// Without a zone the computer's (here: the default given) is used.
	local, err := Parse("once 2026-12-02T01:00", "America/New_York")
	if err != nil || local.Zone != "America/New_York" {
		t.Fatalf("zone = %q, %v", local.Zone, err)
	}
	if got, err := local.First(now); err != nil || !got.Equal(utc("2026-12-02T06:00:00Z")) {
		t.Errorf("once 01:00 New York First = %v, %v", got, err)
	}
}

func TestParse(t *testing.T) {
	good := []struct{ in, canonical string }{
		{"once 2026-12-01T02:00", "once 2026-12-01T02:00 UTC"},
		{"daily 02:00", "daily 02:00 UTC"},
		{"  DAILY   7:05  ", "daily 07:05 UTC"},
		{"weekly mon 02:00", "weekly mon 02:00 UTC"},
		{"weekly thu,mon 02:00 Asia/Shanghai", "weekly mon,thu 02:00 Asia/Shanghai"},
		{"weekly mon-fri 18:30 Europe/Berlin", "weekly mon,tue,wed,thu,fri 18:30 Europe/Berlin"},
		{"weekly sun,sat 00:00", "weekly sat,sun 00:00 UTC"},
		{"monthly 1 02:00", "monthly 1 02:00 UTC"},
		{"once 2026-12-01T02:00:05", "once 2026-12-01T02:00:05 UTC"},
		{"daily 02:00:00", "daily 02:00 UTC"},
		{"monthly 31 23:59 America/New_York", "monthly 31 23:59 America/New_York"},
	}
	for _, g := range good {
		s, err := Parse(g.in, "UTC")
		if err != nil {
			t.Errorf("Parse(%q): %v", g.in, err)
			continue
		}
		if s.String() != g.canonical {
			t.Errorf("Parse(%q).String() = %q, want %q", g.in, s.String(), g.canonical)
		}
		again, err := Parse(s.String(), "Asia/Tokyo")
		if err != nil || again.String() != s.String() {
			t.Errorf("re-parse of %q = %q, %v", s.String(), again.String(), err)
		}
	}
	bad := []struct{ in, why string }{
		{"", "empty"},
		{"hourly 02:00", "once, daily, weekly or monthly"},
		{"daily", "daily 02:00"},
		{"daily 24:00", "HH:MM"},
		{"daily 02:60", "HH:MM"},
		{"daily 2:0", "HH:MM"},
		{"daily 02:00:60", "HH:MM"},
		{"daily 02:00:00:00", "HH:MM"},
		{"daily 02:00:5", "HH:MM"},
		{"daily +2:00", "HH:MM"},
		{"daily 02:00 Mars/Olympus", "unknown time zone"},
		{"daily 02:00 ../../etc/passwd", "IANA name"},
		{"daily 02:00 UTC extra", "daily 02:00"},
		{"weekly 02:00", "weekly mon"},
		{"weekly mo 02:00", "mon, tue"},
		{"weekly 1,4 02:00", "mon, tue"},
		{"weekly fri-mon 02:00", "mon, tue"},
		{"weekly mon,,thu 02:00", "mon, tue"},
		{"weekly * 02:00", "mon, tue"},
		{"monthly 0 02:00", "1–31"},
		{"monthly 32 02:00", "1–31"},
		{"monthly 001 02:00", "1–31"},
		{"once 2026-02-30T02:00", "a real day"},
		{"once 2026-12-01 02:00", "once 2026-12-01T02:00"},
		{"once 2026-12-01", "once 2026-12-01T02:00"},
		{"daily " + strings.Repeat("9", 300), "longer than"},
	}
	for _, b := range bad {
		_, err := Parse(b.in, "UTC")
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), b.why) {
			t.Errorf("Parse(%q) = %v, want Invalid mentioning %q", b.in, err, b.why)
		}
		if err != nil && len(err.Error()) > 400 {
			t.Errorf("Parse(%q) message too long: %d characters", b.in, len(err.Error()))
		}
	}
}

func TestDescribe(t *testing.T) {
	cases := []struct{ spec, en, zh string }{
		{"weekly mon,thu 02:00 Asia/Shanghai", "Every Monday and Thursday at 02:00 (Asia/Shanghai)", "每周一、周四 02:00（Asia/Shanghai）"},
		{"weekly mon,wed,fri 08:15 UTC", "Every Monday, Wednesday and Friday at 08:15 (UTC)", "每周一、周三、周五 08:15（UTC）"},
		{"weekly mon-sun 08:15 UTC", "Every day at 08:15 (UTC)", "每天 08:15（UTC）"},
		{"daily 02:00 Europe/Berlin", "Every day at 02:00 (Europe/Berlin)", "每天 02:00（Europe/Berlin）"},
		{"monthly 1 02:00 UTC", "Every month on the 1st at 02:00 (UTC)", "每月1日 02:00（UTC）"},
		{"monthly 22 02:00 UTC", "Every month on the 22nd at 02:00 (UTC)", "每月22日 02:00（UTC）"},
		{"monthly 31 02:00 UTC", "Every month on the 31st (the last day in shorter months) at 02:00 (UTC)", "每月31日（小月为当月最后一天） 02:00（UTC）"},
		{"once 2026-12-01T02:00 Asia/Shanghai", "Once, on Tue 1 Dec 2026 at 02:00 (Asia/Shanghai)", "仅一次：2026年12月1日（周二）02:00（Asia/Shanghai）"},
	}
	for _, c := range cases {
		s := mustParse(t, c.spec)
		if got := s.Describe("en"); got != c.en {
			t.Errorf("%s in English = %q, want %q", c.spec, got, c.en)
		}
		if got := s.Describe("zh-CN"); got != c.zh {
			t.Errorf("%s in Chinese = %q, want %q", c.spec, got, c.zh)
		}
	}
}

func TestFormatRunIn(t *testing.T) {
	s := mustParse(t, "daily 02:00 Asia/Shanghai")
	run := utc("2026-12-06T18:00:00Z") // Mon 7 Dec 02:00 in Shanghai
	for _, c := range []struct{ lang, want string }{
		{"en", "Mon 2026-12-07 02:00 CST"},
		{"", "Mon 2026-12-07 02:00 CST"},
		{"zh", "2026-12-07（周一）02:00 CST"},
		{"zh-CN", "2026-12-07（周一）02:00 CST"},
	} {
		if got := s.FormatRunIn(run, c.lang); got != c.want {
			t.Errorf("FormatRunIn(%q) = %q, want %q", c.lang, got, c.want)
		}
	}
}

func TestMissedNote(t *testing.T) {
	s := mustParse(t, "daily 02:00 UTC")
	now := utc("2026-12-01T09:00:00Z")
	if got, want := s.MissedNote(utc("2026-11-30T02:00:00Z"), 1, utc("2026-11-30T02:00:00Z"), now),
		"missed 02:00 on Mon 30 Nov while the computer was off"; got != want {
		t.Errorf("note = %q, want %q", got, want)
	}
	if got, want := s.MissedNote(utc("2026-11-28T02:00:00Z"), 3, utc("2026-11-30T02:00:00Z"), now),
		"missed 3 runs, 02:00 on Sat 28 Nov to 02:00 on Mon 30 Nov, while the computer was off"; got != want {
		t.Errorf("note = %q, want %q", got, want)
	}
	if got := s.MissedNote(utc("2025-12-30T02:00:00Z"), 1, utc("2025-12-30T02:00:00Z"), now); !strings.Contains(got, "Tue 30 Dec 2025") {
		t.Errorf("note of last year = %q, want the year", got)
	}
}

func TestLocalZoneName(t *testing.T) {
	t.Setenv("TZ", "Asia/Shanghai")
	if got := LocalZoneName(); got != "Asia/Shanghai" {
		t.Errorf("with TZ=Asia/Shanghai: %q", got)
	}
	t.Setenv("TZ", "")
	if _, err := time.LoadLocation(LocalZoneName()); err != nil {
		t.Errorf("LocalZoneName() = %q does not load: %v", LocalZoneName(), err)
	}
	s, err := Parse("daily 02:00", "")
	if err != nil || s.Zone == "" {
		t.Errorf("default zone: %q, %v", s.Zone, err)
	}
}
