package ui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// WeekScreen is the week calendar with its toolbar and the week's review.
type WeekScreen struct {
	widget.BaseWidget

	deps    *Deps
	win     fyne.Window
	changed *signal
	zone    *zone

	// OnOpenPost and OnOpenSlot are called when the user taps a post or a slot.
	OnOpenPost func(planner.Post)
	OnOpenSlot func(planner.Occurrence)
	// OnNewPostAt is called when the user taps an empty place of the week.
	OnNewPostAt func(time.Time)

	monday  time.Time      // in loc
	loc     *time.Location // the zone the week was last shown in
	loading int            // generation of the latest load, so a slow old load never wins
	week    planner.Week

	title  *fitLabel
	zoneLn *widget.Label // the zone the week is shown in, with its offset
	view   *WeekView
	review *ReviewPanel
	split  *container.Split

	// mode is the view shown; monthFirst and agendaFrom are where the month
	// and agenda views stand, days what they show.
	mode        calendarMode
	month       *MonthView
	agenda      *AgendaView
	modeSel     *widget.Select
	monthFirst  time.Time
	agendaFrom  time.Time
	days        planner.Days
	reviewShown bool
	reviewPane  fyne.CanvasObject

	// lastMove is the post moved last and where it was, for Undo.
	lastMove *planner.Post
	undo     *widget.Button
	// slotNow offers to write for the slot a reminder told of.
	slotNow *widget.Button
}

// prefReviewShown remembers whether the review shows beside the week.
const prefReviewShown = "calendar.review"

// reviewOffset is the week's share of the width beside the review.
const reviewOffset = 0.74

// NewWeekScreen shows the current week.
func NewWeekScreen(d *Deps, win fyne.Window, changed *signal, z *zone) *WeekScreen {
	s := &WeekScreen{deps: d, win: win, changed: changed, zone: z, monday: planner.WeekStart(z.now(d), z.loc), loc: z.loc}
	s.title = newFitLabel(true)
	s.zoneLn = &widget.Label{SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	s.view = NewWeekView(s.monday, z.now(d), z.loc, d.Lang)
	s.view.OnPostTapped = func(p planner.Post) {
		if s.OnOpenPost != nil {
			s.OnOpenPost(p)
		}
	}
	s.view.OnSlotTapped = func(o planner.Occurrence) {
		if s.OnOpenSlot != nil {
			s.OnOpenSlot(o)
		}
	}
	s.view.OnPostMoved = s.movePost
	s.view.OnEmptyDragged = s.stretchMenu
	s.view.OnEmptyTapped = func(t time.Time) {
		if s.OnNewPostAt != nil {
			s.OnNewPostAt(t)
		}
	}
	s.view.OnPostMenu = s.postMenu
	s.view.OnSlotMenu = s.slotMenu
	s.review = NewReviewPanel()
	s.reviewShown = fyne.CurrentApp().Preferences().BoolWithFallback(prefReviewShown, true)
	s.undo = &widget.Button{Icon: theme.ContentUndoIcon(), Importance: widget.WarningImportance, OnTapped: s.UndoMove}
	s.undo.Hide()
	s.slotNow = &widget.Button{Icon: theme.DocumentCreateIcon(), Importance: widget.HighImportance}
	s.slotNow.Hide()
	s.month = NewMonthView(s.monday, z.now(d), z.loc)
	s.month.OnDayTapped = func(day time.Time) {
		s.monday = planner.WeekStart(day, s.zone.loc)
		s.SetMode(modeWeek)
	}
	s.agenda = NewAgendaView(d.Lang)
	s.agenda.OnPostTapped = s.view.OnPostTapped
	s.agenda.OnSlotTapped = s.view.OnSlotTapped
	s.mode = savedMode(fyne.CurrentApp())
	s.monthFirst = firstOfMonth(s.monday.AddDate(0, 0, 3), z.loc)
	s.agendaFrom = dayStart(z.now(d))
	s.ExtendBaseWidget(s)
	s.showMode()
	s.Reload()
	return s
}

func (s *WeekScreen) CreateRenderer() fyne.WidgetRenderer {
	prev := &widget.Button{Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: s.Previous}
	next := &widget.Button{Icon: theme.NavigateNextIcon(), Importance: widget.LowImportance, OnTapped: s.Next}
	today := &widget.Button{Text: lang.X("week.today", "Today"), OnTapped: s.Today}
	pick := &widget.Button{Icon: theme.CalendarIcon(), Importance: widget.LowImportance, OnTapped: s.pickDate}
	toggle := &widget.Button{Text: lang.X("week.review", "Review"), Icon: theme.InfoIcon(), Importance: widget.LowImportance}
	toggle.OnTapped = s.ToggleReview
	export := &widget.Button{Text: lang.X("week.export", "Export"), Icon: theme.DownloadIcon(), Importance: widget.LowImportance, OnTapped: s.exportDialog}
	s.modeSel = s.newModeSelect()
	header := container.NewBorder(nil, nil, container.NewHBox(prev, today, next, pick), container.NewHBox(s.slotNow, s.undo, s.modeSel, export, toggle), container.NewVBox(s.title, s.zoneLn))
	s.reviewPane = container.NewVScroll(s.review)
	s.split = container.NewHSplit(container.NewStack(s.view, s.month, s.agenda), s.reviewPane)
	s.split.SetOffset(reviewOffset)
	// The new renderer is laid out as it is shown: no refresh of the split
	// now, which would lay out the week and the review once more.
	s.modeShown()
	return widget.NewSimpleRenderer(container.NewBorder(header, nil, nil, nil, s.split))
}

// ToggleReview shows or hides the week's review; hidden, it leaves the
// whole width to the week.
func (s *WeekScreen) ToggleReview() {
	if s.mode != modeWeek {
		s.SetMode(modeWeek)
		s.reviewShown = fyne.CurrentApp().Preferences().BoolWithFallback(prefReviewShown, true)
		s.undo = &widget.Button{Icon: theme.ContentUndoIcon(), Importance: widget.WarningImportance, OnTapped: s.UndoMove}
		s.undo.Hide()
	} else {
		s.reviewShown = !s.reviewShown
	}
	fyne.CurrentApp().Preferences().SetBool(prefReviewShown, s.reviewShown)
	s.showMode()
}

// Monday is the first day of the week shown.
func (s *WeekScreen) Monday() time.Time { return s.monday }

// Posts are the posts of the week shown.
func (s *WeekScreen) Posts() []planner.Post { return s.week.Posts }

// Occurrences are the slot occurrences of the week shown.
func (s *WeekScreen) Occurrences() []planner.Occurrence { return s.week.Occurrences }

// Previous shows the week, month or agenda days before.
func (s *WeekScreen) Previous() { s.step(-1) }

// Next shows the week, month or agenda days after.
func (s *WeekScreen) Next() { s.step(1) }

// Today shows the current week, month, or the agenda from today.
func (s *WeekScreen) Today() { s.ShowDate(s.zone.now(s.deps)) }

// ShowDate moves to the week or month that holds day, or the agenda from it.
func (s *WeekScreen) ShowDate(day time.Time) {
	s.monday, s.loc = planner.WeekStart(day, s.zone.loc), s.zone.loc
	s.monthFirst = firstOfMonth(day, s.zone.loc)
	s.agendaFrom = dayStart(day.In(s.zone.loc))
	s.Reload()
}

func (s *WeekScreen) pickDate() {
	var d dialog.Dialog
	cal := widget.NewCalendar(s.monday, func(t time.Time) {
		d.Hide()
		s.ShowDate(t)
	})
	d = dialog.NewCustom(lang.X("week.pick", "Go to a date"), lang.X("dialog.cancel", "Cancel"), cal, s.win)
	d.Show()
}

// Reload reads the week off the UI goroutine and shows it.
// The week shown stays the same calendar week when the zone changes.
func (s *WeekScreen) Reload() {
	if s.zone.loc != s.loc {
		s.monday, s.loc = time.Date(s.monday.Year(), s.monday.Month(), s.monday.Day(), 0, 0, 0, 0, s.zone.loc), s.zone.loc
	}
	switch s.mode {
	case modeMonth:
		s.loadMonth()
	case modeAgenda:
		s.loadAgenda()
	default:
		s.loadWeek()
	}
}

// loadWeek reads the week off the UI goroutine and shows it.
func (s *WeekScreen) loadWeek() {
	s.loading++
	gen, monday, loc, now := s.loading, s.monday, s.loc, s.zone.now(s.deps)
	s.title.SetTexts(weekTitle(monday), weekTitleShort(monday))
	s.zoneLn.SetText(zoneName(loc, monday.AddDate(0, 0, 3)))
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		wd, err := planner.LoadWeek(ctx, s.deps.Store, monday, loc, now)
		s.deps.do(func() {
			if gen != s.loading {
				return
			}
			if err != nil {
				showError(s.win, s.deps.Log, "load week", err)
				return
			}
			s.week = wd
			s.view.SetZone(loc)
			s.view.SetWorkHours(wd.Settings.WorkHours())
			s.view.SetBusy(wd.Busy, linkEnds(wd.Posts, wd.Accounts))
			s.view.Set(monday, now, wd.Occurrences, wd.Posts)
			s.review.Set(wd.Review)
		})
	})
}

// movePost gives a post a new time, from a drag or the Move to… dialog;
// Undo puts it back.
func (s *WeekScreen) movePost(p planner.Post, to time.Time) {
	before := p
	s.lastMove = &before
	s.undo.SetText(lang.X("week.undo_move", "Undo move to {{.Time}}", map[string]any{"Time": weekdayShort(to.In(s.zone.loc).Weekday()) + " " + clock(to.In(s.zone.loc))}))
	s.undo.Show()
	s.moveTo(p, to, s.week.Occurrences)
}

// offerSlot shows a button that opens the composer for o, which began now.
func (s *WeekScreen) offerSlot(o planner.Occurrence, text string) {
	s.slotNow.SetText(text)
	s.slotNow.OnTapped = func() {
		s.slotNow.Hide()
		if s.OnOpenSlot != nil {
			s.OnOpenSlot(o)
		}
	}
	s.slotNow.Show()
}

// UndoMove puts the post moved last back at its time, in its slot.
func (s *WeekScreen) UndoMove() {
	p := s.lastMove
	if p == nil {
		return
	}
	s.lastMove = nil
	s.undo.Hide()
	var occs []planner.Occurrence
	if p.OccurrenceID != "" {
		// Back in its slot, which the week shown may not hold.
		occs = []planner.Occurrence{{ID: p.OccurrenceID, Start: p.Time}}
	}
	s.moveTo(*p, p.Time, occs)
}

func (s *WeekScreen) moveTo(p planner.Post, to time.Time, occs []planner.Occurrence) {
	now := s.deps.now()
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		_, err := planner.MovePost(ctx, s.deps.Store, p.ID, to, occs, now)
		s.deps.do(func() {
			// A post that went out meanwhile stays; the week shows it so.
			if err != nil && !errors.Is(err, planner.ErrWentOut) {
				showError(s.win, s.deps.Log, "move post", err)
			}
			s.changed.emit()
		})
	})
}

func (s *WeekScreen) postMenu(p planner.Post, at fyne.Position) {
	open := fyne.NewMenuItem(lang.X("week.menu.open", "Open"), func() { s.view.OnPostTapped(p) })
	move := fyne.NewMenuItem(lang.X("week.menu.move", "Move to…"), func() { s.moveDialog(p) })
	move.Disabled = !p.Status.Editable()
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", open, move), s.win.Canvas(), at)
}

// moveDialog asks for a new date and time for p.
func (s *WeekScreen) moveDialog(p planner.Post) {
	t := p.Time.In(s.zone.loc)
	date := newKeyDateEntry(s.win)
	date.SetDate(&t)
	at := newKeyEntry(s.win)
	at.Text = clock(t)
	items := []*widget.FormItem{
		widget.NewFormItem(lang.X("compose.date", "Date"), date),
		widget.NewFormItem(lang.X("compose.clock", "Time of day"), at),
	}
	form := dialog.NewForm(lang.X("week.menu.move", "Move to…"), lang.X("week.move", "Move"), lang.X("dialog.cancel", "Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		to, err := dateAndClock(date.Date, at.Text, s.zone.loc)
		if err != nil {
			showError(s.win, s.deps.Log, "move post", err)
			return
		}
		s.movePost(p, to)
	}, s.win)
	// Wide enough for the whole date and its picker, in a small window too.
	form.Resize(fyne.NewSize(min(420, s.win.Canvas().Size().Width-40), 240))
	showDialog(s.win, form, nil)
}

// dateAndClock combines a picked date and a typed time of day in loc.
func dateAndClock(d *time.Time, hhmm string, loc *time.Location) (time.Time, error) {
	if d == nil {
		return time.Time{}, &planner.InvalidError{Field: "date", Key: "error.ui.no_date", Msg: "choose a date"}
	}
	c, err := planner.ParseClock(hhmm)
	if err != nil {
		return time.Time{}, err
	}
	t, _ := planner.WallTime(d.Year(), d.Month(), d.Day(), c.Hour, c.Minute, loc)
	return t, nil
}

// linkEnds names, by post ID, the networks of the posts due after their
// account's link ends.
func linkEnds(posts []planner.Post, accounts []planner.Account) map[string]string {
	out := map[string]string{}
	for _, p := range posts {
		var names []string
		for _, a := range planner.LinksEndedWhenDue(p, accounts) {
			names = append(names, a.Network.DisplayName())
		}
		if len(names) > 0 {
			out[p.ID] = strings.Join(names, ", ")
		}
	}
	return out
}

// statusLabel names a post's status in the user's language.
func statusLabel(st planner.Status) string {
	return planner.StatusName(st, lang.X)
}
