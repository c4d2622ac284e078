package schedule

import (
	"fmt"
	"strings"
	"time"
)

// Describe says the spec in words, in English ("en", the default) or
// Chinese ("zh"): "Every Monday and Thursday at 02:00 (Asia/Shanghai)" /
// "每周一、周四 02:00（Asia/Shanghai）".
func (s Spec) Describe(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "zh") {
		return s.chinese()
	}
	return s.english()
}

// clock is the run time as HH:MM, or HH:MM:SS when it has seconds.
func (s Spec) clock() string {
	if s.Second != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", s.Hour, s.Minute, s.Second)
	}
	return fmt.Sprintf("%02d:%02d", s.Hour, s.Minute)
}

func (s Spec) english() string {
	at := " at " + s.clock() + " (" + s.Zone + ")"
	switch s.Kind {
	case Once:
		return "Once, on " + s.Date.Format("Mon 2 Jan 2006") + at
	case Daily:
		return "Every day" + at
	case Weekly:
		if len(s.Weekdays) == 7 {
			return "Every day" + at
		}
		names := make([]string, len(s.Weekdays))
		for i, d := range s.Weekdays {
			names[i] = d.String()
		}
		return "Every " + andList(names) + at
	}
	day := "the " + ordinal(s.Day)
	if s.Day >= 29 {
		day += " (the last day in shorter months)"
	}
	return "Every month on " + day + at
}

func (s Spec) chinese() string {
	zone := "（" + s.Zone + "）"
	switch s.Kind {
	case Once:
		d := s.Date
		return fmt.Sprintf("仅一次：%d年%d月%d日（%s）%s%s", d.Year(), int(d.Month()), d.Day(),
			zhWeekday[d.Weekday()], s.clock(), zone)
	case Daily:
		return "每天 " + s.clock() + zone
	case Weekly:
		if len(s.Weekdays) == 7 {
			return "每天 " + s.clock() + zone
		}
		names := make([]string, len(s.Weekdays))
		for i, d := range s.Weekdays {
			names[i] = zhWeekday[d]
		}
		return "每" + strings.Join(names, "、") + " " + s.clock() + zone
	}
	day := fmt.Sprintf("每月%d日", s.Day)
	if s.Day >= 29 {
		day += "（小月为当月最后一天）"
	}
	return day + " " + s.clock() + zone
}

var zhWeekday = map[time.Weekday]string{time.Monday: "周一", time.Tuesday: "周二", time.Wednesday: "周三",
	time.Thursday: "周四", time.Friday: "周五", time.Saturday: "周六", time.Sunday: "周日"}

// andList joins "a", "a and b", "a, b and c".
func andList(items []string) string {
	if len(items) <= 2 {
		return strings.Join(items, " and ")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// FormatRun shows a run time in the spec's zone for people:
// "Mon 2026-12-07 02:00 CST".
func (s Spec) FormatRun(t time.Time) string {
	return t.In(s.Location()).Format("Mon 2006-01-02 15:04 MST")
}

// FormatRunIn is FormatRun in lang ("en", the default, or "zh"): in
// Chinese "2026-12-07（周一）02:00 CST", the weekday in Chinese.
func (s Spec) FormatRunIn(t time.Time, lang string) string {
	if !strings.HasPrefix(strings.ToLower(lang), "zh") {
		return s.FormatRun(t)
	}
	l := t.In(s.Location())
	return l.Format("2006-01-02") + "（" + zhWeekday[l.Weekday()] + "）" + l.Format("15:04 MST")
}

// MissedNote is the note a caught-up run carries: "missed 02:00 on Mon 30
// Nov while the computer was off", or for several missed runs "missed 3
// runs, 02:00 on Sat 28 Nov to 02:00 on Mon 30 Nov, while the computer was
// off". The year is added when it is not now's.
func (s Spec) MissedNote(first time.Time, count int, last, now time.Time) string {
	loc := s.Location()
	when := func(t time.Time) string {
		l := t.In(loc)
		f := "15:04 on Mon 2 Jan"
		if l.Year() != now.In(loc).Year() {
			f += " 2006"
		}
		return l.Format(f)
	}
	if count <= 1 {
		return "missed " + when(first) + " while the computer was off"
	}
	return fmt.Sprintf("missed %d runs, %s to %s, while the computer was off", count, when(first), when(last))
}
