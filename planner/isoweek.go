package planner

import (
	"fmt"
	"time"
)

// ISOWeeksIn is the number of ISO weeks in the ISO year: 52 or 53.
func ISOWeeksIn(year int) int {
	// December 28 always lies in the year's last ISO week.
	_, w := time.Date(year, time.December, 28, 12, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// ParseISOWeek reads an ISO week such as "2026-W49" and returns its Monday
// 00:00 in loc (UTC when loc is nil). Week 53 is accepted only in the years
// that have it.
func ParseISOWeek(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	bad := func(msg string) (time.Time, error) {
		return time.Time{}, invalid("week", "error.week", msg)
	}
	if len(s) != 8 || s[4] != '-' || s[5] != 'W' {
		return bad("a week is written like 2026-W49")
	}
	year, ok1 := parseDigits(s[0:4])
	week, ok2 := parseDigits(s[6:8])
	if !ok1 || !ok2 {
		return bad("a week is written like 2026-W49")
	}
	if year < 1 {
		return bad("the year is out of range")
	}
	if week < 1 || week > ISOWeeksIn(year) {
		return bad(fmt.Sprintf("%04d has no week %d", year, week))
	}
	// January 4 is always in week 1.
	jan4 := time.Date(year, time.January, 4, 12, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -weekOrder(jan4.Weekday())+7*(week-1))
	start, _ := WallTime(monday.Year(), monday.Month(), monday.Day(), 0, 0, loc)
	return start, nil
}

func parseDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// ISOWeekString writes t's ISO week, in t's own zone, as "2026-W49".
func ISOWeekString(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// WeekStart is Monday 00:00 of t's ISO week in loc (t's own zone when loc is nil).
func WeekStart(t time.Time, loc *time.Location) time.Time {
	if loc != nil {
		t = t.In(loc)
	}
	d := t.AddDate(0, 0, -weekOrder(t.Weekday()))
	start, _ := WallTime(d.Year(), d.Month(), d.Day(), 0, 0, t.Location())
	return start
}

// WeekdayShort is the weekday's short name in the user's language: "ma", "Mon".
func WeekdayShort(d time.Weekday, tr Translate) string {
	return tr("weekday.short."+weekdayKeys[d], d.String()[:3])
}

var weekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
