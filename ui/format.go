package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2/lang"

	"unicode"
	"unicode/utf8"

	"github.com/kaiku-app/kaiku/planner"
)

// weekdayShort names a weekday briefly in the user's language.
func weekdayShort(d time.Weekday) string { return planner.WeekdayShort(d, lang.X) }

// monthName names a month in the user's language.
func monthName(m time.Month) string {
	return lang.X(fmt.Sprintf("month.%d", int(m)), m.String())
}

// dayLabel is a weekday and date as the locale writes it: "ma 30.11." or "Mon 30 Nov".
func dayLabel(t time.Time, language string) string {
	if language == "fi" {
		return fmt.Sprintf("%s %d.%d.", weekdayShort(t.Weekday()), t.Day(), int(t.Month()))
	}
	return fmt.Sprintf("%s %d %s", weekdayShort(t.Weekday()), t.Day(), t.Month().String()[:3])
}

// clock is a time of day on a 24-hour clock, as both languages write it here.
func clock(t time.Time) string { return t.Format("15:04") }

// weekTitle is the header of a week: its ISO number and month(s).
func weekTitle(monday time.Time) string {
	_, wk := monday.ISOWeek()
	sunday := monday.AddDate(0, 0, 6)
	months := monthName(monday.Month())
	if sunday.Month() != monday.Month() {
		months += " – " + monthName(sunday.Month())
	}
	year := sunday.Year()
	return lang.X("week.title", "Week {{.Week}} · {{.Months}} {{.Year}}", map[string]any{"Week": wk, "Months": months, "Year": year})
}

// weekTitleShort is the header of a week in a narrow window: "Wk 49 · Nov – Dec".
func weekTitleShort(monday time.Time) string {
	_, wk := monday.ISOWeek()
	sunday := monday.AddDate(0, 0, 6)
	months := monthShort(monday.Month())
	if sunday.Month() != monday.Month() {
		months += " – " + monthShort(sunday.Month())
	}
	return lang.X("week.title_short", "Wk {{.Week}} · {{.Months}}", map[string]any{"Week": wk, "Months": months})
}

// monthShort names a month briefly: "Nov", "marras".
func monthShort(m time.Month) string {
	return lang.X(fmt.Sprintf("month.short.%d", int(m)), m.String()[:3])
}

// dayShort is a weekday and its day of the month, for narrow columns:
// "Mon 30", "ma 30.".
func dayShort(t time.Time) string {
	return lang.X("week.day_short", "{{.Weekday}} {{.Day}}", map[string]any{"Weekday": weekdayShort(t.Weekday()), "Day": t.Day()})
}

// purposeLabel names a purpose in the user's language.
func purposeLabel(p planner.Purpose) string {
	return planner.PurposeName(p, lang.X)
}

func roleLabel(r planner.Role) string {
	return planner.RoleName(r, lang.X)
}

// occurrenceLabel is "ke 2.12. 10:00 · Share · Advising", in loc.
func occurrenceLabel(o planner.Occurrence, loc *time.Location, language string) string {
	t := o.Start.In(loc)
	s := dayLabel(t, language) + " " + clock(t) + " · " + purposeLabel(o.Purpose)
	if o.Role != "" {
		s += " · " + roleLabel(o.Role)
	}
	return s
}

// zoneName names a time zone with its offset at t: "Europe/Helsinki, UTC+2",
// "Asia/Kolkata, UTC+5:30", "UTC".
func zoneName(loc *time.Location, t time.Time) string {
	name := loc.String()
	if name == "Local" {
		name, _ = t.In(loc).Zone()
	}
	_, off := t.In(loc).Zone()
	if name == "UTC" && off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "−", -off
	}
	h, m := off/3600, off%3600/60
	utc := fmt.Sprintf("UTC%s%d", sign, h)
	if m != 0 {
		utc += fmt.Sprintf(":%02d", m)
	}
	return name + ", " + utc
}

// upperFirst capitalises the first letter: a label that begins a line or a
// block begins with a capital, whatever case the word has mid-sentence.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
