package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones work where the OS has no zoneinfo (Windows)

	"github.com/robfig/cron/v3"

	"batchdesk/backend/apperr"
)

// Kind is what repeats: once, daily, weekly or monthly.
type Kind string

// Spec kinds.
const (
	Once    Kind = "once"
	Daily   Kind = "daily"
	Weekly  Kind = "weekly"
	Monthly Kind = "monthly"
)

// Spec is a parsed schedule. Make one with Parse.
type Spec struct {
	Kind Kind
	// Date is the day of a "once" spec (midnight UTC standing for a civil
	// date; only its year, month and day count).
	Date time.Time
	// Hour, Minute and Second are the wall-clock time of every run
	// (Second is 0 unless the spec gives HH:MM:SS).
	Hour, Minute, Second int
	// Weekdays are the days of a weekly spec, Monday first.
	Weekdays []time.Weekday
	// Day is the day of the month of a monthly spec, 1–31.
	Day int
	// Zone is the IANA zone name the times are in ("Local" only when the
	// computer's zone has no name Batchdesk can find).
	Zone string

	loc *time.Location
}

// maxInput bounds a spec's length; longer input is refused.
const maxInput = 200

// Parse reads a spec. A spec without a zone gets defaultZone; "" means the
// computer's zone (LocalZoneName). Errors are code Invalid.
func Parse(text, defaultZone string) (Spec, error) {
	if len(text) > maxInput {
		return Spec{}, invalid(text, "it is longer than %d characters", maxInput)
	}
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return Spec{}, invalid(text, "it is empty")
	}
	s := Spec{Kind: Kind(strings.ToLower(fields[0]))}
	want := map[Kind]int{Once: 2, Daily: 2, Weekly: 3, Monthly: 3}[s.Kind]
	if want == 0 {
		return Spec{}, invalid(text, "it must start with once, daily, weekly or monthly")
	}
	if len(fields) != want && len(fields) != want+1 {
		return Spec{}, invalid(text, "%s", usage(s.Kind))
	}
	zone := defaultZone
	if len(fields) == want+1 {
		zone = fields[want]
	}
	if zone == "" {
		zone = LocalZoneName()
	}
	loc, err := loadZone(zone)
	if err != nil && strings.Contains(zone, ":") {
		return Spec{}, invalid(text, "%s", usage(s.Kind))
	}
	if err != nil {
		return Spec{}, invalid(text, "%s", apperr.MessageOf(err))
	}
	s.Zone, s.loc = zone, loc
	if err := s.parseFields(fields[1:want]); err != nil {
		return Spec{}, invalid(text, "%s", apperr.MessageOf(err))
	}
	return s, nil
}

// usage is the shape of one kind of spec, for error messages.
func usage(k Kind) string {
	switch k {
	case Once:
		return `write it as "once 2026-12-01T02:00", optionally followed by a zone such as Asia/Shanghai`
	case Daily:
		return `write it as "daily 02:00", optionally followed by a zone such as Asia/Shanghai`
	case Weekly:
		return `write it as "weekly mon 02:00" or "weekly mon,thu 02:00", optionally followed by a zone such as Asia/Shanghai`
	}
	return `write it as "monthly 1 02:00" (day 1–31), optionally followed by a zone such as Asia/Shanghai`
}

func (s *Spec) parseFields(f []string) error {
	switch s.Kind {
	case Once:
		date, clock, ok := strings.Cut(f[0], "T")
		if !ok {
			return apperr.New(apperr.Invalid, "%s", usage(Once))
		}
		d, err := time.Parse("2006-01-02", date)
		if err != nil {
			return apperr.New(apperr.Invalid, "the date must be YYYY-MM-DD, a real day")
		}
		s.Date = d
		return s.parseClock(clock)
	case Daily:
		return s.parseClock(f[0])
	case Weekly:
		if err := s.parseWeekdays(f[0]); err != nil {
			return err
		}
		return s.parseClock(f[1])
	}
	day, err := strconv.Atoi(f[0])
	if err != nil || day < 1 || day > 31 || len(f[0]) > 2 {
		return apperr.New(apperr.Invalid, "the day of the month must be 1–31 (29–31 run on the last day of shorter months)")
	}
	s.Day = day
	return s.parseClock(f[1])
}

// parseClock reads H:MM or HH:MM, 00:00–23:59, optionally with :SS.
func (s *Spec) parseClock(c string) error {
	bad := apperr.New(apperr.Invalid, "the time must be HH:MM (or HH:MM:SS) on a 24-hour clock, 00:00–23:59")
	parts := strings.Split(c, ":")
	if len(parts) < 2 || len(parts) > 3 || len(parts[0]) < 1 || len(parts[0]) > 2 {
		return bad
	}
	limits := []int{23, 59, 59}
	vals := make([]int, 3)
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || !digits(p) || (i > 0 && len(p) != 2) || v > limits[i] {
			return bad
		}
		vals[i] = v
	}
	s.Hour, s.Minute, s.Second = vals[0], vals[1], vals[2]
	return nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// parseWeekdays reads a day list such as "mon,thu" or "mon-fri" with cron's
// day-of-week parser (English three-letter names, ranges with '-').
func (s *Spec) parseWeekdays(list string) error {
	bad := apperr.New(apperr.Invalid, "the days must be mon, tue, wed, thu, fri, sat or sun, separated by commas (e.g. mon,thu) or as a range (mon-fri)")
	l := strings.ToLower(list)
	for _, r := range l {
		if (r < 'a' || r > 'z') && r != ',' && r != '-' {
			return bad
		}
	}
	for _, part := range strings.Split(l, ",") {
		for _, name := range strings.Split(part, "-") {
			if _, ok := weekdayNames[name]; !ok {
				return bad
			}
		}
	}
	// cron numbers Sunday 0, so "…-sun" is a range that ends before it
	// starts: say it as "…-sat,sun".
	parts := strings.Split(l, ",")
	for i, p := range parts {
		if from, ok := strings.CutSuffix(p, "-sun"); ok && from != "sun" {
			parts[i] = from + "-sat,sun"
		}
	}
	sched, err := cron.ParseStandard("0 0 * * " + strings.Join(parts, ","))
	if err != nil {
		return bad
	}
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return bad
	}
	for _, d := range mondayFirst {
		if spec.Dow&(1<<uint(d)) != 0 {
			s.Weekdays = append(s.Weekdays, d)
		}
	}
	if len(s.Weekdays) == 0 {
		return bad
	}
	return nil
}

var weekdayNames = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

var mondayFirst = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday,
	time.Saturday, time.Sunday}

// loadZone loads an IANA zone by name; "Local" is the computer's zone.
func loadZone(name string) (*time.Location, error) {
	if len(name) > 64 || !zoneChars(name) || strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
		return nil, apperr.New(apperr.Invalid, "the zone must be an IANA name such as Asia/Shanghai or Europe/Berlin")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "unknown time zone %q: give an IANA name such as Asia/Shanghai or Europe/Berlin", name)
	}
	return loc, nil
}

func zoneChars(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+-", r)
		if !ok {
			return false
		}
	}
	return true
}

// invalid is the error for a bad spec: the input (at most ~100 characters)
// and why.
func invalid(text, format string, args ...any) error {
	q := text
	if len([]rune(q)) > 100 {
		q = string([]rune(q)[:100]) + "…"
	}
	return apperr.New(apperr.Invalid, "schedule %q: %s", q, fmt.Sprintf(format, args...))
}

// Location is the spec's zone.
func (s Spec) Location() *time.Location {
	if s.loc == nil {
		return time.UTC
	}
	return s.loc
}

// String is the canonical text of the spec, zone included, as stored and
// read back by Parse: "weekly mon,thu 02:00 Asia/Shanghai".
func (s Spec) String() string {
	clock := s.clock()
	var body string
	switch s.Kind {
	case Once:
		body = "once " + s.Date.Format("2006-01-02") + "T" + clock
	case Daily:
		body = "daily " + clock
	case Weekly:
		names := make([]string, len(s.Weekdays))
		for i, d := range s.Weekdays {
			names[i] = strings.ToLower(d.String()[:3])
		}
		body = "weekly " + strings.Join(names, ",") + " " + clock
	case Monthly:
		body = fmt.Sprintf("monthly %d %s", s.Day, clock)
	}
	return body + " " + s.Zone
}
