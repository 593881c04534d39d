package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// stretchMenu offers what a stretch of empty time dragged over can become:
// a post at its start, or a weekly slot of its length in the plan.
func (s *WeekScreen) stretchMenu(from, to time.Time, at fyne.Position) {
	loc := s.zone.loc
	when := weekdayShort(from.In(loc).Weekday()) + " " + clock(from.In(loc))
	write := fyne.NewMenuItem(lang.X("week.drag.write", "Write a post for {{.When}}", map[string]any{"When": when}), func() {
		if s.OnNewPostAt != nil {
			s.OnNewPostAt(from)
		}
	})
	slot := fyne.NewMenuItem(lang.X("week.drag.slot", "Add a weekly slot, {{.When}}–{{.End}}", map[string]any{"When": when, "End": clock(to.In(loc))}), nil)
	var purposes []*fyne.MenuItem
	for _, p := range planner.Purposes() {
		purposes = append(purposes, fyne.NewMenuItem(upperFirst(purposeLabel(p)), func() { s.AddSlot(from, to, p) }))
	}
	slot.ChildMenu = fyne.NewMenu("", purposes...)
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", write, slot), s.win.Canvas(), at)
}

// AddSlot adds to the plan a weekly slot for purpose on from's weekday,
// from its time of day to to's.
func (s *WeekScreen) AddSlot(from, to time.Time, purpose planner.Purpose) {
	loc, now := s.zone.loc, s.deps.now()
	start := from.In(loc)
	sl := planner.Slot{ID: planner.NewID(), Weekday: start.Weekday(), Start: planner.ClockTime{Hour: start.Hour(), Minute: start.Minute()},
		Minutes: int(to.Sub(from).Minutes()), Purpose: purpose, Changed: now}
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		plan, err := planner.ActivePlan(ctx, s.deps.Store, loc)
		if err == nil {
			err = plan.AddSlot(sl)
		}
		if err == nil {
			plan.Updated = now
			err = s.deps.Store.SavePlan(ctx, plan)
		}
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "add slot", err)
				return
			}
			s.changed.emit()
		})
	})
}
