package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// calendarMode is how the calendar screen shows time: a week, a month, or
// the coming days as a list.
type calendarMode int

const (
	modeWeek calendarMode = iota
	modeMonth
	modeAgenda
)

// prefCalendarView remembers the calendar's view on this computer.
const prefCalendarView = "calendar.view"

var modeNames = []string{"week", "month", "agenda"}

func savedMode(a fyne.App) calendarMode {
	v := a.Preferences().StringWithFallback(prefCalendarView, modeNames[modeWeek])
	for i, n := range modeNames {
		if n == v {
			return calendarMode(i)
		}
	}
	return modeWeek
}

// newModeSelect is the one control that switches the views.
func (s *WeekScreen) newModeSelect() *widget.Select {
	sel := widget.NewSelect([]string{
		lang.X("calendar.view.week", "Week"), lang.X("calendar.view.month", "Month"), lang.X("calendar.view.agenda", "Agenda"),
	}, nil)
	sel.SetSelectedIndex(int(s.mode))
	sel.OnChanged = func(string) { s.SetMode(calendarMode(sel.SelectedIndex())) }
	return sel
}

// Mode is the view shown.
func (s *WeekScreen) Mode() calendarMode { return s.mode }

// SetMode shows the calendar as a week, a month or an agenda, around the
// time shown now, and remembers the choice.
func (s *WeekScreen) SetMode(m calendarMode) {
	if m < modeWeek || m > modeAgenda || m == s.mode {
		return
	}
	switch m {
	case modeMonth:
		s.monthFirst = firstOfMonth(s.monday.AddDate(0, 0, 3), s.zone.loc)
	case modeAgenda:
		s.agendaFrom = dayStart(s.zone.now(s.deps))
	case modeWeek:
		if s.mode == modeMonth && !sameMonth(s.monday.AddDate(0, 0, 3), s.monthFirst) {
			s.monday = planner.WeekStart(s.monthFirst, s.zone.loc)
		}
	}
	s.mode = m
	fyne.CurrentApp().Preferences().SetString(prefCalendarView, modeNames[m])
	if s.modeSel != nil && s.modeSel.SelectedIndex() != int(m) {
		s.modeSel.SetSelectedIndex(int(m))
	}
	s.showMode()
	s.Reload()
}

// showMode shows the view of the mode; the review belongs to the week.
func (s *WeekScreen) showMode() {
	if s.modeShown() {
		s.split.Refresh()
	}
}

// modeShown shows the view of the mode and hides the others, and the
// review beside the week when it is asked for; it reports whether the split
// exists and so needs a refresh to give a hidden side's space to the other.
func (s *WeekScreen) modeShown() bool {
	for i, o := range []fyne.CanvasObject{s.view, s.month, s.agenda} {
		if calendarMode(i) == s.mode {
			o.Show()
		} else {
			o.Hide()
		}
	}
	if s.split == nil {
		return false
	}
	// A hidden side of a split leaves the other all of its space.
	if s.mode == modeWeek && s.reviewShown {
		s.reviewPane.Show()
	} else {
		s.reviewPane.Hide()
	}
	return true
}

func sameMonth(a, b time.Time) bool { return a.Year() == b.Year() && a.Month() == b.Month() }

func dayStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// step moves the view n of its own lengths: weeks, months, or the agenda's days.
func (s *WeekScreen) step(n int) {
	switch s.mode {
	case modeMonth:
		s.monthFirst = s.monthFirst.AddDate(0, n, 0)
		s.Reload()
	case modeAgenda:
		s.agendaFrom = s.agendaFrom.AddDate(0, 0, n*agendaDays)
		s.Reload()
	default:
		s.ShowDate(s.monday.AddDate(0, 0, 7*n))
	}
}

// loadMonth reads the month's six weeks off the UI goroutine and shows them.
func (s *WeekScreen) loadMonth() {
	s.loading++
	gen, loc, now := s.loading, s.loc, s.zone.now(s.deps)
	first := firstOfMonth(s.monthFirst, loc)
	s.monthFirst = first
	s.title.SetTexts(monthTitle(first), "")
	s.zoneLn.SetText(zoneName(loc, first.AddDate(0, 0, 14)))
	from := planner.WeekStart(first, loc)
	to := from.AddDate(0, 0, 7*monthWeeks)
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		days, err := planner.LoadDays(ctx, s.deps.Store, from, to, loc)
		s.deps.do(func() {
			if gen != s.loading {
				return
			}
			if err != nil {
				showError(s.win, s.deps.Log, "load month", err)
				return
			}
			s.days = days
			s.month.Set(first, now, loc, days.Occurrences, days.Posts)
		})
	})
}

// loadAgenda reads the agenda's days off the UI goroutine and shows them.
func (s *WeekScreen) loadAgenda() {
	s.loading++
	gen, loc, now := s.loading, s.loc, s.zone.now(s.deps)
	from := time.Date(s.agendaFrom.Year(), s.agendaFrom.Month(), s.agendaFrom.Day(), 0, 0, 0, 0, loc)
	s.agendaFrom = from
	to := from.AddDate(0, 0, agendaDays)
	s.title.SetTexts(lang.X("agenda.title", "{{.From}} – {{.To}}", map[string]any{"From": dayLabel(from, s.deps.Lang), "To": dayLabel(to.AddDate(0, 0, -1), s.deps.Lang)}), "")
	s.zoneLn.SetText(zoneName(loc, from))
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		days, err := planner.LoadDays(ctx, s.deps.Store, from, to, loc)
		s.deps.do(func() {
			if gen != s.loading {
				return
			}
			if err != nil {
				showError(s.win, s.deps.Log, "load agenda", err)
				return
			}
			s.days = days
			s.agenda.Set(from, now, loc, days.Occurrences, days.Posts)
		})
	})
}
