package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kaiku-app/kaiku/planner"
)

// freeTimeItem is the slot menu's "Move to 10:30, the nearest free time"
// for an occurrence that overlaps busy time, disabled when the day has none.
func (s *WeekScreen) freeTimeItem(o planner.Occurrence) *fyne.MenuItem {
	to, ok := planner.NearestFreeTime(o, s.week.Occurrences, planner.MergeBusy(s.week.Busy), s.zone.loc)
	if !ok {
		item := fyne.NewMenuItem(lang.X("slot.menu.no_free", "No free time this day"), nil)
		item.Disabled = true
		return item
	}
	return fyne.NewMenuItem(lang.X("slot.menu.free", "Move to {{.Time}}, the nearest free time", map[string]any{"Time": clock(to.In(s.zone.loc))}), func() {
		s.MoveToFreeTime(o)
	})
}

// MoveToFreeTime moves one occurrence that overlaps busy time to the
// nearest free time of its day, as an exception to the plan; the posts
// written for it at its time move with it, so that they still fill it.
func (s *WeekScreen) MoveToFreeTime(o planner.Occurrence) {
	to, ok := planner.NearestFreeTime(o, s.week.Occurrences, planner.MergeBusy(s.week.Busy), s.zone.loc)
	if !ok {
		return
	}
	var along []planner.Post
	for _, p := range s.week.Posts {
		if p.OccurrenceID == o.ID && p.Time.Equal(o.Start) && p.Status.Editable() {
			along = append(along, p)
		}
	}
	now := s.deps.now()
	x := planner.SlotException{OccurrenceID: o.ID, MoveTo: to, Updated: now}
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		err := s.deps.Store.SaveException(ctx, x)
		moved := o
		moved.Start, moved.End = to, to.Add(o.End.Sub(o.Start))
		for _, p := range along {
			if err != nil {
				break
			}
			_, err = planner.MovePost(ctx, s.deps.Store, p.ID, to, []planner.Occurrence{moved}, now)
		}
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "move slot to free time", err)
			}
			s.changed.emit()
		})
	})
}
