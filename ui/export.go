package ui

import (
	"bytes"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

var exportWeeks = []int{1, 2, 4, 8, 13, 26, 52}

func translate(key string, data map[string]any) string { return lang.X(key, key, data) }

// exportDialog asks for the range and mode, then where to save the .ics file.
func (s *WeekScreen) exportDialog() {
	from := widget.NewDateEntry()
	start := s.monday
	from.SetDate(&start)
	var labels []string
	for _, w := range exportWeeks {
		labels = append(labels, lang.X("export.weeks", "{{.N}} weeks", map[string]any{"N": w}))
	}
	weeks := widget.NewSelect(labels, nil)
	weeks.SetSelectedIndex(2)
	recurring := widget.NewCheck(lang.X("export.recurring", "As weekly recurring events"), nil)
	note := &widget.Label{Text: lang.X("export.note", "Outlook shows the reminders in the file. Google Calendar ignores them on import and uses its own notification settings."), Wrapping: fyne.TextWrapWord, SizeName: "captionText"}
	items := []*widget.FormItem{
		widget.NewFormItem(lang.X("export.from", "From"), from),
		widget.NewFormItem(lang.X("export.range", "Range"), weeks),
		widget.NewFormItem("", recurring),
		widget.NewFormItem("", note),
	}
	d := dialog.NewForm(lang.X("export.title", "Export slots to a calendar"), lang.X("export.choose_file", "Choose file…"), lang.X("dialog.cancel", "Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		opt := ical.Options{From: s.monday, Weeks: exportWeeks[max(0, weeks.SelectedIndex())], Recurring: recurring.Checked, Now: s.deps.now(), Translate: translate}
		if from.Date != nil {
			opt.From = *from.Date
		}
		s.saveExport(opt)
	}, s.win)
	d.Resize(fyne.NewSize(520, 360))
	d.Show()
}

// saveExport builds the calendar, then lets the user pick where it goes.
func (s *WeekScreen) saveExport(opt ical.Options) {
	ctx, cancel := s.deps.ctx()
	defer cancel()
	var buf bytes.Buffer
	err := ical.ExportFrom(ctx, s.deps.Store, &buf, opt)
	if err != nil {
		showError(s.win, s.deps.Log, "export calendar", err)
		return
	}
	save := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(s.win, s.deps.Log, "export calendar", err)
			return
		}
		if w == nil {
			return // cancelled
		}
		_, werr := w.Write(buf.Bytes())
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			showError(s.win, s.deps.Log, "export calendar", werr)
			return
		}
		dialog.ShowInformation(lang.X("export.done_title", "Calendar saved"), lang.X("export.done", "Import {{.File}} in Outlook or Google Calendar. Importing it again later updates the same events.", map[string]any{"File": w.URI().Name()}), s.win)
	}, s.win)
	save.SetFileName("kaiku-" + planner.ISOWeekString(opt.From) + ".ics")
	save.SetFilter(storage.NewExtensionFileFilter([]string{".ics"}))
	save.Show()
}

// slotMenu offers what can be done with one slot occurrence.
func (s *WeekScreen) slotMenu(o planner.Occurrence, at fyne.Position) {
	write := fyne.NewMenuItem(lang.X("slot.menu.write", "Write a post for this slot"), func() { s.view.OnSlotTapped(o) })
	skip := fyne.NewMenuItem(lang.X("slot.menu.skip", "Skip this time"), func() { s.skipOccurrence(o) })
	google := fyne.NewMenuItem(lang.X("slot.menu.google", "Add to Google Calendar"), func() { s.openEventLink(o, ical.GoogleCalendarURL) })
	outlook := fyne.NewMenuItem(lang.X("slot.menu.outlook", "Add to Outlook"), func() { s.openEventLink(o, ical.OutlookURL) })
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", write, skip, fyne.NewMenuItemSeparator(), google, outlook), s.win.Canvas(), at)
}

func (s *WeekScreen) skipOccurrence(o planner.Occurrence) {
	ctx, cancel := s.deps.ctx()
	defer cancel()
	x := planner.SlotException{OccurrenceID: o.ID, Skip: true, Updated: s.deps.now()}
	if err := s.deps.Store.SaveException(ctx, x); err != nil {
		showError(s.win, s.deps.Log, "skip slot", err)
		return
	}
	s.changed.emit()
}

// openEventLink opens the provider's "new event" page for the occurrence.
func (s *WeekScreen) openEventLink(o planner.Occurrence, link func(ical.Event) string) {
	ev, err := s.eventFor(o)
	if err != nil {
		showError(s.win, s.deps.Log, "calendar link", err)
		return
	}
	u, err := url.Parse(link(ev))
	if err == nil {
		err = fyne.CurrentApp().OpenURL(u)
	}
	if err != nil {
		showError(s.win, s.deps.Log, "calendar link", err)
	}
}

// eventFor describes one occurrence as the exporter would.
func (s *WeekScreen) eventFor(o planner.Occurrence) (ical.Event, error) {
	ctx, cancel := s.deps.ctx()
	defer cancel()
	xs, err := s.deps.Store.Exceptions(ctx)
	if err != nil {
		return ical.Event{}, err
	}
	evs, err := ical.Events(s.week.Plan, xs, s.week.Posts, ical.Options{From: s.week.Monday, Weeks: 1, Now: s.deps.now(), Translate: translate})
	if err != nil {
		return ical.Event{}, err
	}
	for _, ev := range evs {
		if ev.OccurrenceID == o.ID {
			return ev, nil
		}
	}
	return ical.Event{}, planner.ErrNotFound
}
