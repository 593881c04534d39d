package ui

import (
	"bytes"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

var exportWeeks = []int{1, 2, 4, 8, 13, 26, 52}

func translate(key string, data map[string]any) string { return lang.X(key, key, data) }

// composeURL is a network's own composer with text, for the posts the
// calendar file reminds the user to post by hand.
func composeURL(n planner.Network, text string) (string, error) {
	return accounts.ComposeURL(n, text, "")
}

// exportDialog asks for the range and mode, then where to save the .ics file.
func (s *WeekScreen) exportDialog() {
	from := newKeyDateEntry(s.win)
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
		opt := ical.Options{From: s.monday, Weeks: exportWeeks[max(0, weeks.SelectedIndex())], Recurring: recurring.Checked, Now: s.deps.now(), Translate: translate, ComposeURL: composeURL}
		if from.Date != nil {
			opt.From = *from.Date
		}
		s.saveExport(opt)
	}, s.win)
	d.Resize(fyne.NewSize(520, 360))
	showDialog(s.win, d, nil)
}

// saveExport builds the calendar off the UI goroutine, then lets the user
// pick where it goes.
func (s *WeekScreen) saveExport(opt ical.Options) {
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		var buf bytes.Buffer
		err := ical.ExportFrom(ctx, s.deps.Store, &buf, opt)
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "export calendar", err)
				return
			}
			s.chooseExportFile(opt, buf.Bytes())
		})
	})
}

// chooseExportFile asks where the calendar goes, and writes it there.
func (s *WeekScreen) chooseExportFile(opt ical.Options, b []byte) {
	saveFile(s.deps, s.win, "calendar", "kaiku-"+planner.ISOWeekString(opt.From)+".ics", ".ics", b, "export calendar",
		lang.X("export.done_title", "Calendar saved"), func(path string) string {
			return lang.X("export.done", "Import {{.File}} in Outlook or Google Calendar. Importing it again later updates the same events.", map[string]any{"File": path})
		})
}

// writeFile writes b to w off the UI goroutine, then calls done with the
// file's address, or says why it could not.
func writeFile(d *Deps, win fyne.Window, what string, w fyne.URIWriteCloser, b []byte, done func(fyne.URI)) {
	d.background(func() {
		_, err := w.Write(b)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		d.do(func() {
			if err != nil {
				showError(win, d.Log, what, err)
				return
			}
			done(w.URI())
		})
	})
}

// slotMenu offers what can be done with one slot occurrence.
func (s *WeekScreen) slotMenu(o planner.Occurrence, at fyne.Position) {
	write := fyne.NewMenuItem(lang.X("slot.menu.write", "Write a post for this slot"), func() { s.view.OnSlotTapped(o) })
	skip := fyne.NewMenuItem(lang.X("slot.menu.skip", "Skip this time"), func() { s.skipOccurrence(o) })
	google := fyne.NewMenuItem(lang.X("slot.menu.google", "Add to Google Calendar"), func() { s.openEventLink(o, ical.GoogleCalendarURL) })
	outlook := fyne.NewMenuItem(lang.X("slot.menu.outlook", "Add to Outlook"), func() { s.openEventLink(o, ical.OutlookURL) })
	items := []*fyne.MenuItem{write, skip}
	if o.Conflict {
		items = append(items, s.freeTimeItem(o))
	}
	items = append(items, fyne.NewMenuItemSeparator(), google, outlook)
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), s.win.Canvas(), at)
}

func (s *WeekScreen) skipOccurrence(o planner.Occurrence) {
	x := planner.SlotException{OccurrenceID: o.ID, Skip: true, Updated: s.deps.now()}
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		err := s.deps.Store.SaveException(ctx, x)
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "skip slot", err)
				return
			}
			s.changed.emit()
		})
	})
}

// openEventLink opens the provider's "new event" page for the occurrence.
func (s *WeekScreen) openEventLink(o planner.Occurrence, link func(ical.Event) string) {
	week, now := s.week, s.deps.now()
	s.deps.background(func() {
		ev, err := eventFor(s.deps, week, o, now)
		s.deps.do(func() {
			var u *url.URL
			if err == nil {
				u, err = url.Parse(link(ev))
			}
			if err != nil {
				showError(s.win, s.deps.Log, "calendar link", err)
				return
			}
			openInBrowser(s.win, s.deps.Log, u)
		})
	})
}

// eventFor describes one occurrence of the week as the exporter would.
func eventFor(d *Deps, week planner.Week, o planner.Occurrence, now time.Time) (ical.Event, error) {
	ctx, cancel := d.ctx()
	defer cancel()
	xs, err := d.Store.Exceptions(ctx)
	if err != nil {
		return ical.Event{}, err
	}
	evs, err := ical.Events(week.Plan, xs, week.Posts, ical.Options{From: week.Monday, Weeks: 1, Now: now, Translate: translate})
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
