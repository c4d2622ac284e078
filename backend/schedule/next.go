package schedule

import (
	"os"
	"strings"
	"time"

	"batchdesk/backend/apperr"
)

// Next returns the first run strictly after t, in the spec's zone; ok is
// false when there is none (a "once" whose time is not after t).
func (s Spec) Next(t time.Time) (next time.Time, ok bool) {
	loc := s.Location()
	if s.Kind == Once {
		r := resolve(s.Date.Year(), s.Date.Month(), s.Date.Day(), s.Hour, s.Minute, s.Second, loc)
		if !r.After(t) {
			return time.Time{}, false
		}
		return r, true
	}
	// Start a day early: a run of yesterday's date can fall after t only
	// when a gap pushes it past midnight, but checking costs nothing.
	y, m, d := t.In(loc).Date()
	for i := -1; i < 400; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC)
		if !s.runsOn(day) {
			continue
		}
		if r := resolve(day.Year(), day.Month(), day.Day(), s.Hour, s.Minute, s.Second, loc); r.After(t) {
			return r, true
		}
	}
	return time.Time{}, false
}

// First is the first run after now, for a new schedule: a "once" whose time
// is not after now is refused (code Invalid).
func (s Spec) First(now time.Time) (time.Time, error) {
	next, ok := s.Next(now)
	if !ok {
		return time.Time{}, apperr.New(apperr.Invalid, "schedule %q: %s %s has already passed (it is now %s there)",
			s.String(), s.Date.Format("2006-01-02"), s.clock(), now.In(s.Location()).Format("2006-01-02 15:04:05"))
	}
	return next, nil
}

// Upcoming lists up to n runs after t, soonest first.
func (s Spec) Upcoming(t time.Time, n int) []time.Time {
	var out []time.Time
	for len(out) < n {
		next, ok := s.Next(t)
		if !ok {
			break
		}
		out = append(out, next)
		t = next
	}
	return out
}

// runsOn reports whether the spec runs on this civil date (a time.Time in
// UTC standing for the date).
func (s Spec) runsOn(day time.Time) bool {
	switch s.Kind {
	case Daily:
		return true
	case Weekly:
		for _, w := range s.Weekdays {
			if day.Weekday() == w {
				return true
			}
		}
		return false
	case Monthly:
		return day.Day() == min(s.Day, daysIn(day.Year(), day.Month()))
	}
	return false
}

// daysIn is the number of days of a month.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// resolve turns a wall-clock time in loc into an instant: a time that
// occurs twice (fall-back) gives the first; one that does not exist
// (spring-forward gap) gives the first whole minute after the gap.
func resolve(y int, mo time.Month, d, hh, mm, ss int, loc *time.Location) time.Time {
	wall := time.Date(y, mo, d, hh, mm, ss, 0, time.UTC)
	var best time.Time
	for _, probe := range []time.Time{wall.Add(-36 * time.Hour), wall, wall.Add(36 * time.Hour)} {
		_, off := probe.In(loc).Zone()
		c := wall.Add(-time.Duration(off) * time.Second)
		if civil(c, loc).Equal(wall) && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	if !best.IsZero() {
		return best
	}
	// In a gap: the instant where the wall clock first passes the wanted
	// time, found between the two readings with the offsets either side.
	lo, hi := wall.Add(-14*time.Hour), wall.Add(14*time.Hour)
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
		if civil(mid, loc).After(wall) {
			hi = mid
		} else {
			lo = mid
		}
	}
	if t := hi.Truncate(time.Minute); !t.Equal(hi) {
		return t.Add(time.Minute)
	}
	return hi
}

// civil is the wall-clock reading of t in loc, as a UTC time.
func civil(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	y, m, d := l.Date()
	return time.Date(y, m, d, l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// LocalZoneName is the computer's IANA zone name: from TZ, the
// /etc/localtime link, /etc/timezone, or Go's own name for it; "Local" when
// none is found (then runs follow the computer's zone of the moment).
func LocalZoneName() string {
	try := func(name string) (string, bool) {
		name = strings.TrimSpace(strings.TrimPrefix(name, ":"))
		if name == "" || name == "Local" || strings.HasPrefix(name, "/") {
			return "", false
		}
		if _, err := loadZone(name); err != nil {
			return "", false
		}
		return name, true
	}
	if n, ok := try(os.Getenv("TZ")); ok {
		return n
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if i := strings.LastIndex(target, "zoneinfo/"); i >= 0 {
			if n, ok := try(target[i+len("zoneinfo/"):]); ok {
				return n
			}
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		if n, ok := try(string(b)); ok {
			return n
		}
	}
	if n, ok := try(time.Local.String()); ok {
		return n
	}
	return "Local"
}
