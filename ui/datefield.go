package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// dateField is a date typed as text: the whole date in the locale's way
// (10.12.2026 in Finnish, 2026-12-10 in English, whose locales disagree on
// the order of day and month), and ISO 2026-12-10 in either. It says
// nothing of a date being wrong until the user has typed one.
type dateField struct {
	widget.Entry
	language string
	// win, when the field is in a dialog, lets Enter and Esc answer it.
	win fyne.Window
}

func (f *dateField) TypedKey(k *fyne.KeyEvent) {
	if f.win == nil || !dialogEntryKey(f.win, &f.Entry, k) {
		f.Entry.TypedKey(k)
	}
}

func (f *dateField) TypedShortcut(s fyne.Shortcut) {
	if f.win == nil || !dialogEntryShortcut(f.win, &f.Entry, s) {
		f.Entry.TypedShortcut(s)
	}
}

func newDateField(language string) *dateField {
	f := &dateField{language: language}
	f.PlaceHolder = dateHint(language)
	f.ExtendBaseWidget(f)
	return f
}

func dateHint(language string) string {
	if language == "fi" {
		return "pp.kk.vvvv"
	}
	return "yyyy-mm-dd"
}

// SetDate shows d, or empties the field for nil.
func (f *dateField) SetDate(d *time.Time) {
	if d == nil {
		f.SetText("")
		return
	}
	f.SetText(formatDate(*d, f.language))
}

// Value is the date typed, at midnight UTC; nil for an empty field.
func (f *dateField) Value() (*time.Time, error) {
	if strings.TrimSpace(f.Text) == "" {
		return nil, nil
	}
	d, err := parseDate(f.Text, time.Now().Year())
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// formatDate writes a whole date as the language does.
func formatDate(d time.Time, language string) string {
	if language == "fi" {
		return fmt.Sprintf("%d.%d.%d", d.Day(), int(d.Month()), d.Year())
	}
	return d.Format("2006-01-02")
}

// parseDate reads a date as ISO (2026-12-10) or day first with dots
// (10.12.2026, 10.12.26, or 10.12. in year); a weekday before it is
// allowed (ti 10.12.2026), as the field may show one.
func parseDate(s string, year int) (time.Time, error) {
	bad := &planner.InvalidError{Field: "date", Key: "error.ui.bad_date", Msg: "not a date: write it as 2026-12-10 or 10.12.2026"}
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ' '); i > 0 && !strings.ContainsAny(s[:i], "0123456789") {
		s = strings.TrimSpace(s[i+1:])
	}
	var y, m, d int
	var err error
	switch {
	case strings.Count(s, "-") == 2:
		parts := strings.Split(s, "-")
		y, err = atoi(parts[0], err)
		m, err = atoi(parts[1], err)
		d, err = atoi(parts[2], err)
	case strings.Count(s, ".") >= 1:
		parts := strings.Split(strings.TrimSuffix(s, "."), ".")
		if len(parts) < 2 || len(parts) > 3 {
			return time.Time{}, bad
		}
		d, err = atoi(parts[0], err)
		m, err = atoi(parts[1], err)
		y = year
		if len(parts) == 3 {
			y, err = atoi(parts[2], err)
			if len(parts[2]) == 2 {
				y += 2000
			}
		}
	default:
		return time.Time{}, bad
	}
	if err != nil || m < 1 || m > 12 || d < 1 || y < 2000 || y > 2199 {
		return time.Time{}, bad
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, &planner.InvalidError{Field: "date", Key: "error.ui.no_such_date", Msg: "there is no such day in that month"}
	}
	return t, nil
}

func atoi(s string, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(s))
}

// dateProblem says what is wrong with a typed date, or "" when it is fine
// or nothing is typed yet.
func dateProblem(f *dateField) string {
	if _, err := f.Value(); err != nil {
		return errorText(err)
	}
	return ""
}

// weekdayOf names the day of a typed date ("Thu 10 Dec"), to check it by.
func weekdayOf(f *dateField) string {
	d, err := f.Value()
	if err != nil || d == nil {
		return ""
	}
	return dayLabel(*d, f.language)
}
