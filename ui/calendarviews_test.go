package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// savePlan stores a plan of one slot: weekday at hh:00 for 30 minutes.
func savePlan(t testing.TB, d *Deps, slots ...planner.Slot) {
	t.Helper()
	if err := d.Store.SavePlan(context.Background(), planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki", Slots: slots}); err != nil {
		t.Fatal(err)
	}
}

func shareSlot(id string, day time.Weekday, hour int) planner.Slot {
	return planner.Slot{ID: id, Weekday: day, Start: planner.ClockTime{Hour: hour}, Minutes: 30, Purpose: planner.PurposeShare}
}

func TestCalendarViewsSwitchWithOneControlAndShortcutsAndAreRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 700))
	s := w.Week
	if s.Mode() != modeWeek || !s.view.Visible() || s.month.Visible() || s.agenda.Visible() {
		t.Fatal("a new install does not open on the week")
	}
	s.modeSel.SetSelectedIndex(int(modeMonth))
	if !s.month.Visible() || s.view.Visible() {
		t.Fatal("choosing Month does not show the month")
	}
	if got := s.title.Text; got != "December 2026" {
		t.Errorf("the month's title is %q", got)
	}
	if s.reviewPane.Visible() {
		t.Error("the week's review stays beside the month")
	}
	sc := w.Canvas().(fyne.Shortcutable)
	sc.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key3, Modifier: fyne.KeyModifierAlt})
	if s.Mode() != modeAgenda || !s.agenda.Visible() || s.modeSel.SelectedIndex() != int(modeAgenda) {
		t.Fatalf("Alt+3 shows mode %d, control at %d", s.Mode(), s.modeSel.SelectedIndex())
	}
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyM})
	if s.Mode() != modeMonth {
		t.Fatalf("M shows mode %d", s.Mode())
	}

	// The next window opens on the month.
	w2 := NewWindow(a, d)
	defer w2.Close()
	if w2.Week.Mode() != modeMonth || !w2.Week.month.Visible() {
		t.Error("the month view was not remembered")
	}
	sc.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key1, Modifier: fyne.KeyModifierAlt})
	if s.Mode() != modeWeek || !s.view.Visible() || !s.reviewPane.Visible() {
		t.Error("Alt+1 does not bring back the week with its review")
	}
}

func TestMonthCountsEachDayAndOpensItsWeek(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	savePlan(t, d, shareSlot("mon", time.Monday, 9))
	p := savePost(t, d, "In the slot", time.Date(2026, 12, 14, 9, 0, 0, 0, helsinki))
	p.OccurrenceID = planner.OccurrenceID("mon", "2026-12-14")
	if err := d.Store.SavePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	draft := planner.Post{ID: planner.NewID(), Text: "A draft", Time: time.Date(2026, 12, 14, 12, 0, 0, 0, helsinki), Status: planner.StatusDraft, Created: now, Updated: now}
	if err := d.Store.SavePost(context.Background(), draft); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 700))
	s := w.Week
	s.SetMode(modeMonth)
	// December 2026 begins on a Tuesday: the grid from Monday 30 November.
	if got := s.month.GridStart(); !got.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, helsinki)) {
		t.Fatalf("grid starts %v", got)
	}
	cell := s.month.cells[14] // Monday 14 December
	if cell.day.Day() != 14 {
		t.Fatalf("cell 14 is day %v", cell.day)
	}
	var lines []string
	for _, l := range cell.count.lines() {
		lines = append(lines, l.text)
	}
	if got := strings.Join(lines, "|"); got != "Slots filled: 1/1|◷ Scheduled: 1|✎ Drafts: 1" {
		t.Errorf("14 December reads %q", got)
	}
	if got := s.month.cells[7].count.lines(); len(got) != 1 || got[0].text != "Slots filled: 0/1" {
		t.Errorf("7 December reads %v", got)
	}
	test.Tap(cell)
	if s.Mode() != modeWeek || !s.Monday().Equal(time.Date(2026, 12, 14, 0, 0, 0, 0, helsinki)) {
		t.Fatalf("tapping 14 December shows mode %d from %v", s.Mode(), s.Monday())
	}
	// Back in the month, Next goes to January.
	s.SetMode(modeMonth)
	s.Next()
	if got := s.title.Text; got != "January 2027" {
		t.Errorf("after Next the month is %q", got)
	}
}

func TestAgendaListsTheComingTwoWeeksInOrderAndOpensWithTheKeyboard(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	savePlan(t, d, shareSlot("thu", time.Thursday, 9))
	savePost(t, d, "Three things about libraries", time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki))
	savePost(t, d, "Too far ahead", time.Date(2026, 12, 16, 9, 0, 0, 0, helsinki))
	savePost(t, d, "Yesterday", time.Date(2026, 12, 1, 9, 0, 0, 0, helsinki))
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(800, 600))
	var opened []string
	w.Week.OnOpenPost = func(p planner.Post) { opened = append(opened, p.Text) }
	w.Week.SetMode(modeAgenda)
	got := w.Week.agenda.Lines()
	want := []string{
		"09:00–09:30 · Share slot · open",
		"09:00 · ◷ Scheduled · Three things about libraries",
		"09:00–09:30 · Share slot · open",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("agenda from 2 December:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	row := w.Week.agenda.rows[1]
	w.Canvas().Focus(row)
	row.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if strings.Join(opened, ",") != "Three things about libraries" {
		t.Errorf("Enter on the post's line opened %q", opened)
	}
	w.Week.Next()
	if got := w.Week.agenda.Lines(); len(got) != 3 || !strings.Contains(got[0], "Too far ahead") {
		t.Errorf("the next fourteen days read %q", got)
	}
}

func TestReviewReadsPlainlyAndSaysWhatFillsASlot(t *testing.T) {
	test.NewTempApp(t)
	p := NewReviewPanel()
	p.Set(planner.WeekReview{Purposes: []planner.PurposeReview{
		{Purpose: planner.PurposeShare, Slots: 2, Filled: 1, Drafted: 1, TargetPercent: 20, ActualPercent: 25},
	}})
	var texts []string
	var m *meter
	for _, o := range p.box.Objects {
		switch x := o.(type) {
		case *widget.Label:
			texts = append(texts, x.Text)
		case *meter:
			if m == nil {
				m = x
			}
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{
		"Sharing: 1 of 2 slots done · 25 % of posts, target 20 %",
		"1 more has only a draft or an idea",
		"drafts and ideas do not count",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the review does not say %q:\n%s", want, all)
		}
	}
	if m == nil || m.target != 0.2 || m.value != 0.25 {
		t.Errorf("the bar shows %+v, want 25 %% with the target at 20 %%", m)
	}
}

func TestASlotThatBeginsIsToldOfAndOpensItsComposer(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	savePlan(t, d, shareSlot("wed", time.Wednesday, 10))
	clock := time.Date(2026, 12, 2, 9, 59, 30, 0, helsinki)
	d.Now = func() time.Time { return clock }
	w := NewWindow(a, d)
	defer w.Close()
	w.remindedUntil = clock
	clock = clock.Add(reminderEvery)
	test.AssertNotificationSent(t, fyne.NewNotification("Share slot now", "30 min"), w.CheckSlotReminders)
	if !w.Week.slotNow.Visible() || w.Week.slotNow.Text != "Share slot now" {
		t.Fatalf("at 10:00 the week offers %q (shown %v)", w.Week.slotNow.Text, w.Week.slotNow.Visible())
	}
	test.Tap(w.Week.slotNow)
	if w.nav.SelectedIndex() != screenCompose || w.Composer().post.OccurrenceID != planner.OccurrenceID("wed", "2026-12-02") {
		t.Errorf("the offer opened screen %d for %q", w.nav.SelectedIndex(), w.Composer().post.OccurrenceID)
	}
	// The same slot is not told of twice, nor when reminders are off.
	clock = clock.Add(reminderEvery)
	w.CheckSlotReminders()
	if w.Week.slotNow.Visible() {
		t.Error("the slot was told of again")
	}
	st, _ := d.Store.Settings(context.Background())
	st.NoSlotReminders = true
	if err := d.Store.SaveSettings(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	savePlan(t, d, shareSlot("wed", time.Wednesday, 10), shareSlot("wed2", time.Wednesday, 11))
	clock = time.Date(2026, 12, 2, 11, 0, 10, 0, helsinki)
	w.remindedUntil = clock.Add(-time.Minute)
	w.CheckSlotReminders()
	if w.Week.slotNow.Visible() {
		t.Error("a reminder came with reminders turned off")
	}
}

func TestASavedFileIsToldByItsWholePathAndItsFolderRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "kaiku-2026-W49.ics")
	out, err := fstorage.Writer(fstorage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	saveTo(d, w, "calendar", []byte("BEGIN:VCALENDAR"), "export calendar", "Calendar saved", func(p string) string { return "Import " + p })(out, nil)
	if b, err := os.ReadFile(path); err != nil || string(b) != "BEGIN:VCALENDAR" {
		t.Fatalf("the file holds %q (%v)", b, err)
	}
	if got := a.Preferences().String(prefSaveFolder + "calendar"); got != dir {
		t.Errorf("the folder remembered is %q, want %q", got, dir)
	}
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no confirmation")
	}
	var said []string
	var open *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			said = append(said, x.Text)
		case *widget.Button:
			if x.Text == "Open folder" {
				open = x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	if !strings.Contains(strings.Join(said, "\n"), "Import "+path) || open == nil {
		t.Errorf("the confirmation says %q, Open folder %v", said, open != nil)
	}
}

func TestTheWizardsNextWaitsForAnAnswerAndIDontKnowStandsAlone(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	r := w.Role()
	r.StartWizard()
	var expect int
	for i, q := range planner.Questions() {
		if q.ID == planner.QuestionExpectations {
			expect = i
		}
	}
	for range expect {
		test.Tap(findButton(t, r.actions, "Skip"))
	}
	next := findButton(t, r.actions, "Next").(*widget.Button)
	if !next.Disabled() {
		t.Fatal("Next is enabled with nothing chosen")
	}
	var cg *widget.CheckGroup
	var find func(o fyne.CanvasObject)
	find = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.CheckGroup:
			cg = x
		case *fyne.Container:
			for _, c := range x.Objects {
				find(c)
			}
		}
	}
	find(r.wizard.Content)
	unknown := cg.Options[len(cg.Options)-1]
	cg.SetSelected([]string{cg.Options[0], cg.Options[1]})
	if next.Disabled() {
		t.Fatal("Next stays disabled after an answer")
	}
	cg.SetSelected(append(cg.Selected, unknown))
	if !slices.Equal(cg.Selected, []string{unknown}) || !slices.Equal(r.answers[planner.QuestionExpectations], []string{"unknown"}) {
		t.Errorf("after I don't know yet: shown %q, answers %q", cg.Selected, r.answers[planner.QuestionExpectations])
	}
	cg.SetSelected(append(cg.Selected, cg.Options[2]))
	if slices.Contains(cg.Selected, unknown) || len(cg.Selected) != 1 {
		t.Errorf("an answer after I don't know yet leaves %q", cg.Selected)
	}
}

func TestAt800x600TheRecommendationsButtonShowsAndThePlanHasColumnHeaders(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(800, 600))
	w.nav.SelectIndex(screenRole)
	r := w.Role()
	r.StartWizard()
	for range planner.Questions() {
		test.Tap(findButton(t, r.actions, "Skip"))
	}
	use := findButton(t, r.actions, "Use this and propose a plan").(*widget.Button)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(use)
	if !use.Visible() || pos.Y+use.Size().Height > w.Canvas().Size().Height || pos.Y <= 0 {
		t.Errorf("the main button is at %v, %v high, in a canvas %v high", pos, use.Size().Height, w.Canvas().Size().Height)
	}
	r.tabs.SelectIndex(1)
	var heads []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			if x.TextStyle.Bold {
				heads = append(heads, x.Text)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(r.tabs.Items[1].Content)
	if got := strings.Join(heads, ","); got != "Day,Time,Length,Purpose,Role" {
		t.Errorf("the plan's column headers are %q", got)
	}
}

func TestMovingASlotInThePlanTakesItsPostsAlong(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	savePlan(t, d, shareSlot("thu", time.Thursday, 9))
	p := savePost(t, d, "Waiting in the slot", time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki))
	p.OccurrenceID = planner.OccurrenceID("thu", "2026-12-03")
	if err := d.Store.SavePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	r := w.Role()
	r.rows[0].at.SetText("15:30")
	r.SavePlan()
	got, _ := d.Store.Post(context.Background(), p.ID)
	if want := time.Date(2026, 12, 3, 15, 30, 0, 0, helsinki); !got.Time.Equal(want) || got.OccurrenceID != p.OccurrenceID {
		t.Errorf("after the slot moved the post is at %v in %q, want %v in its slot", got.Time, got.OccurrenceID, want)
	}
}

func TestGoalsPickedInTheQuestionsAppearInTheGoalsEditor(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	r := w.Role()
	for range 2 { // a second round adds nothing twice
		r.StartWizard()
		r.answers[planner.QuestionGoals] = []string{"recruiting", "reputation"}
		for range planner.Questions() {
			test.Tap(findButton(t, r.actions, "Skip"))
		}
		r.answers[planner.QuestionGoals] = []string{"recruiting", "reputation"}
		test.Tap(findButton(t, r.actions, "Use this and propose a plan"))
	}
	goals, err := d.Store.Goals(context.Background())
	if err != nil || len(goals) != 2 {
		t.Fatalf("goals after the questions: %+v (%v)", goals, err)
	}
	var shown []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			shown = append(shown, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(r.goals)
	if all := strings.Join(shown, "|"); !strings.Contains(all, goals[0].Title) || !strings.Contains(all, goals[1].Title) {
		t.Errorf("the goals editor shows %q", shown)
	}
}

// TestAClickOnASlotsNotificationOpensItsComposer: where the desktop tells
// of a click, the reminder's click brings the window and opens the slot;
// where it cannot, Fyne's notification goes out instead.
func TestAClickOnASlotsNotificationOpensItsComposer(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	savePlan(t, d, shareSlot("wed", time.Wednesday, 10))
	clock := time.Date(2026, 12, 2, 9, 59, 30, 0, helsinki)
	d.Now = func() time.Time { return clock }
	var got []string
	var click func()
	d.Notify = func(title, body, action string, onClick func()) error {
		got = append(got, title+" / "+body+" / "+action)
		click = onClick
		return nil
	}
	w := NewWindow(a, d)
	defer w.Close()
	w.remindedUntil = clock
	clock = clock.Add(reminderEvery)
	w.CheckSlotReminders()
	if len(got) != 1 || got[0] != "Share slot now / 30 min / Open the slot" || click == nil {
		t.Fatalf("notified %q", got)
	}
	if w.nav.SelectedIndex() != screenWeek {
		t.Fatal("the reminder left the week before any click")
	}
	click()
	if w.nav.SelectedIndex() != screenCompose || w.Composer().post.OccurrenceID != planner.OccurrenceID("wed", "2026-12-02") {
		t.Errorf("the click opened screen %d for %q", w.nav.SelectedIndex(), w.Composer().post.OccurrenceID)
	}

	// No service that answers a click: Fyne's notification.
	d2 := newDeps(t)
	savePlan(t, d2, shareSlot("wed", time.Wednesday, 10))
	clock2 := time.Date(2026, 12, 2, 9, 59, 30, 0, helsinki)
	d2.Now = func() time.Time { return clock2 }
	d2.Notify = func(string, string, string, func()) error { return errors.New("no notification service") }
	w2 := NewWindow(a, d2)
	defer w2.Close()
	w2.remindedUntil = clock2
	clock2 = clock2.Add(reminderEvery)
	test.AssertNotificationSent(t, fyne.NewNotification("Share slot now", "30 min"), w2.CheckSlotReminders)
}
