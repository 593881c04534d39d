package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// press sends one key to the window as the desktop driver does: a key with
// Ctrl is a shortcut for the focused widget, else for the window; Tab moves
// the focus unless the focused widget takes Tabs; other keys go to the
// focused widget, else to the window; the space bar types a space too.
func press(w fyne.Window, name fyne.KeyName, mod fyne.KeyModifier) {
	c := w.Canvas()
	if mod != 0 {
		s := &desktop.CustomShortcut{KeyName: name, Modifier: mod}
		if f, ok := c.Focused().(fyne.Shortcutable); ok {
			f.TypedShortcut(s)
			return
		}
		c.(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(s)
		return
	}
	ev := &fyne.KeyEvent{Name: name}
	if name == fyne.KeyTab {
		if t, ok := c.Focused().(fyne.Tabbable); ok && t.AcceptsTab() {
			c.Focused().TypedKey(ev)
		} else {
			c.FocusNext()
		}
		return
	}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
		if name == fyne.KeySpace { // the space bar types a character too
			f.TypedRune(' ')
		}
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

// tabTo presses Tab until the focus is on what want accepts.
func tabTo(t *testing.T, w fyne.Window, what string, want func(fyne.Focusable) bool) {
	t.Helper()
	for range 60 {
		press(w, fyne.KeyTab, 0)
		if f := w.Canvas().Focused(); f != nil && want(f) {
			return
		}
	}
	t.Fatalf("Tab never reached %s", what)
}

func keyboardFixture(t *testing.T) (*Window, *Deps) {
	t.Helper()
	a := test.NewTempApp(t)
	d := newDeps(t)
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		{ID: "thu", Weekday: time.Thursday, Start: planner.ClockTime{Hour: 9}, Minutes: 30, Purpose: planner.PurposeWrite, Role: planner.RoleInforming},
	}}
	if err := d.Store.SavePlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1100, 740))
	return w, d
}

// The journey new post → text → network → next free slot → schedule, with
// the keyboard alone.
func TestKeyboardOnlyJourney(t *testing.T) {
	w, d := keyboardFixture(t)
	press(w, fyne.KeyN, fyne.KeyModifierShortcutDefault)
	c := w.Composer()
	if w.Canvas().Focused() != c.text {
		t.Fatalf("Ctrl+N left the focus on %T", w.Canvas().Focused())
	}
	test.Type(w.Canvas().Focused(), "Kolme havaintoa kirjastojen tekoälystä")
	// Tab leaves the text, and types no Tab into it.
	tabTo(t, w, "X by hand", func(f fyne.Focusable) bool {
		ch, ok := f.(*widget.Check)
		return ok && ch.Text == "X by hand"
	})
	if strings.Contains(c.text.Text, "\t") {
		t.Fatalf("a Tab was typed into the post: %q", c.text.Text)
	}
	press(w, fyne.KeySpace, 0)
	if len(c.selectedTargets()) != 1 {
		t.Fatalf("Space did not choose X: %v", c.selectedTargets())
	}
	// The time is the next free slot, as a new post starts.
	if got := c.timeMode.Selected; got != c.timeMode.Options[timeNextFree] || !strings.Contains(c.nextLabel.Text, "Thu 3 Dec") {
		t.Fatalf("time mode %q, next %q", got, c.nextLabel.Text)
	}
	press(w, fyne.KeyReturn, fyne.KeyModifierShortcutDefault)
	ps, err := d.Store.PostsWithStatus(context.Background(), planner.StatusScheduled)
	if err != nil || len(ps) != 1 {
		t.Fatalf("scheduled %v, %v; the composer says %q", ps, err, c.Refusals())
	}
	p := ps[0]
	if p.Text != "Kolme havaintoa kirjastojen tekoälystä" || !p.Time.Equal(time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki)) || p.OccurrenceID != "thu@2026-12-03" || p.Purpose != planner.PurposeWrite {
		t.Fatalf("scheduled %+v", p)
	}
	if got := c.notice.Text(); got != "Scheduled for Thu 3 Dec 09:00 on X." {
		t.Fatalf("notice %q", got)
	}
}

func TestCtrlEnterInTheTextSchedules(t *testing.T) {
	w, d := keyboardFixture(t)
	w.newPost()
	c := w.Composer()
	c.networks.SetSelected([]string{"LinkedIn by hand", "X by hand"})
	test.Type(c.text, "Hei")
	press(w, fyne.KeyReturn, fyne.KeyModifierShortcutDefault)
	if got := c.notice.Text(); got != "Scheduled for Thu 3 Dec 09:00 on X and LinkedIn." && got != "Scheduled for Thu 3 Dec 09:00 on LinkedIn and X." {
		t.Fatalf("notice %q; refusals %q", got, c.Refusals())
	}
	// Undo makes it a draft again.
	test.Tap(c.notice.action)
	ps, _ := d.Store.PostsWithStatus(context.Background(), planner.StatusDraft)
	if len(ps) != 1 || ps[0].Text != "Hei" {
		t.Fatalf("after undo the drafts are %v", ps)
	}
}

func TestScheduleRefusesInTheComposer(t *testing.T) {
	w, d := keyboardFixture(t)
	ctx := context.Background()
	w.newPost()
	c := w.Composer()

	// Ctrl+N, Schedule, then type: the empty Schedule was refused and a
	// later autosave keeps the post a draft.
	test.Tap(c.schedule)
	if r := c.Refusals(); len(r) != 2 || !strings.Contains(r[0], "nothing to post") || !strings.Contains(r[1], "Choose where") {
		t.Fatalf("refusals %q", r)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("a refusal opened a dialog")
	}
	test.Type(c.text, "Myöhemmin kirjoitettu")
	c.Autosave()
	if ps, _ := d.Store.PostsWithStatus(ctx, planner.StatusScheduled); len(ps) != 0 {
		t.Fatalf("the refused Schedule armed the autosave: %v", ps)
	}
	if ps, _ := d.Store.PostsWithStatus(ctx, planner.StatusDraft); len(ps) != 1 {
		t.Fatalf("drafts %v", ps)
	}
	if r := c.Refusals(); len(r) != 1 || !strings.Contains(r[0], "Choose where") {
		t.Fatalf("after typing the refusals are %q", r)
	}
	c.networks.SetSelected([]string{"X by hand"})
	if len(c.Refusals()) != 0 {
		t.Fatalf("fixed, yet %q", c.Refusals())
	}

	// A time that has passed: the way out is the next free slot.
	yesterday := now.AddDate(0, 0, -1)
	c.timeMode.SetSelected(c.timeMode.Options[timeExact])
	c.date.SetDate(&yesterday)
	c.clock.SetText("09:00")
	test.Tap(c.schedule)
	if r := c.Refusals(); len(r) != 1 || !strings.Contains(r[0], "has passed") {
		t.Fatalf("refusals %q", r)
	}
	test.Tap(findButton(t, c.refusals, "Use the next free slot"))
	ps, _ := d.Store.PostsWithStatus(ctx, planner.StatusScheduled)
	if len(ps) != 1 || !ps[0].Time.Equal(time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki)) {
		t.Fatalf("scheduled %v; refusals %q", ps, c.Refusals())
	}

	// Too long for X, and no thread: a split is offered.
	w.newPost()
	c.networks.SetSelected([]string{"X by hand"})
	c.text.SetText(strings.Repeat("Sana ", 80))
	test.Tap(c.schedule)
	if r := c.Refusals(); len(r) != 1 || !strings.Contains(r[0], "too long for X (400/280)") {
		t.Fatalf("refusals %q", r)
	}
	findButton(t, c.refusals, "Split into a thread")
}

func TestDialogsAnswerEnterAndEsc(t *testing.T) {
	w, d := keyboardFixture(t)
	ctx := context.Background()
	p := savePostAs(t, d, planner.Post{Text: "Out", Time: now.Add(-time.Hour), Status: planner.StatusPublished})
	s := w.Posts()
	s.Delete(p)
	press(w, fyne.KeyEscape, 0)
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Esc left the dialog open")
	}
	if _, err := d.Store.Post(ctx, p.ID); err != nil {
		t.Fatal("Esc deleted the post")
	}
	s.Delete(p)
	press(w, fyne.KeyReturn, 0)
	if _, err := d.Store.Post(ctx, p.ID); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("Enter did not confirm: %v", err)
	}
	// An error's dialog closes with Enter as well.
	showError(w, d.Log, "test", planner.ErrNotFound)
	press(w, fyne.KeyReturn, 0)
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Enter left the error open")
	}
}

func TestNewPostTakesItsDefaultsFromTheProfileAndTheSlot(t *testing.T) {
	w, d := keyboardFixture(t)
	ctx := context.Background()
	if err := d.Store.SaveProfile(ctx, planner.RoleProfile{Primary: planner.RoleAdvising, Mix: planner.ContentMix{Own: 50, Shared: 30, Conversation: 20}, Scope: planner.ScopeWork, WeeklyMinutes: 60, Networks: []planner.Network{planner.NetworkLinkedIn}, Updated: now}); err != nil {
		t.Fatal(err)
	}
	acc := planner.Account{ID: "li1", Network: planner.NetworkLinkedIn, Handle: "maija", Name: "Maija", Status: planner.AccountLinked, Created: now, Updated: now}
	if err := d.Store.SaveAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	w.newPost()
	c := w.Composer()
	if got := c.selectedTargets(); len(got) != 1 || got[0].AccountID != "li1" {
		t.Errorf("targets %v, want the linked LinkedIn account", got)
	}
	// The next free slot is a write slot in the informing role.
	if c.selectedPurpose() != planner.PurposeWrite || c.selectedRole() != planner.RoleInforming {
		t.Errorf("purpose %q role %q", c.selectedPurpose(), c.selectedRole())
	}
	if c.Dirty() {
		t.Error("the defaults count as an edit")
	}
	// Without a slot to take, the role is the profile's.
	c.timeMode.SetSelected(c.timeMode.Options[timeExact])
	c.New()
	c.timeMode.SetSelected(c.timeMode.Options[timeExact])
	if c.selectedRole() != planner.RoleInforming && c.selectedRole() != planner.RoleAdvising {
		t.Errorf("role %q", c.selectedRole())
	}
}

// The date field says nothing until a date is typed, reads ISO and the
// locale's own, and names the weekday.
func TestComposerDateField(t *testing.T) {
	w, _ := keyboardFixture(t)
	w.newPost()
	c := w.Composer()
	c.timeMode.SetSelected(c.timeMode.Options[timeExact])
	if c.dateCheck.Text != "" {
		t.Fatalf("before typing: %q", c.dateCheck.Text)
	}
	c.date.SetText("2026-12-10")
	if c.dateCheck.Text != "Thu 10 Dec" {
		t.Fatalf("ISO: %q", c.dateCheck.Text)
	}
	c.date.SetText("31.11.2026")
	if !strings.Contains(c.dateCheck.Text, "no such day") || c.dateCheck.Importance != widget.DangerImportance {
		t.Fatalf("a day that does not exist: %q", c.dateCheck.Text)
	}
	day := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	c.date.SetDate(&day)
	if c.date.Text != "2026-12-10" {
		t.Fatalf("shown as %q", c.date.Text)
	}
}

func TestAnAddressNoBrowserOpenedCanBeCopied(t *testing.T) {
	w, _ := keyboardFixture(t)
	showAddress(w, "https://x.com/intent/post?text=Hei", "")
	o := w.Canvas().Overlays().Top()
	if o == nil || !strings.Contains(allText(o), "https://x.com/intent/post?text=Hei") || strings.Contains(allText(o), "xdg-open") {
		t.Fatalf("the dialog says %q", allText(o))
	}
	test.Tap(findButton(t, o, "Copy"))
	if got := fyne.CurrentApp().Clipboard().Content(); got != "https://x.com/intent/post?text=Hei" {
		t.Fatalf("clipboard %q", got)
	}
	press(w, fyne.KeyEscape, 0)
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Esc left it open")
	}
}

// For a post sent by hand the address goes with a text to paste there:
// without a browser, both can be copied, one after the other.
func TestNoBrowserForAPostByHandOffersTheTextToo(t *testing.T) {
	w, _ := keyboardFixture(t)
	showAddress(w, "https://x.com/intent/post?text=Hei", "Hei maailma")
	o := w.Canvas().Overlays().Top()
	test.Tap(findButton(t, o, "Copy address"))
	if got := fyne.CurrentApp().Clipboard().Content(); got != "https://x.com/intent/post?text=Hei" {
		t.Fatalf("clipboard %q after Copy address", got)
	}
	test.Tap(findButton(t, o, "Copy the text"))
	if got := fyne.CurrentApp().Clipboard().Content(); got != "Hei maailma" {
		t.Fatalf("clipboard %q after Copy the text", got)
	}
	if !strings.Contains(allText(o), "The text is copied.") {
		t.Errorf("the dialog says %q", allText(o))
	}
}

func TestAnIdeaFromTheComposerBecomesADraftInOneClick(t *testing.T) {
	w, d := keyboardFixture(t)
	ctx := context.Background()
	w.newPost()
	c := w.Composer()
	test.Type(c.text, "Ajatus myöhemmäksi")
	c.SaveIdea()
	ps, _ := d.Store.PostsWithStatus(ctx, planner.StatusIdea)
	if len(ps) != 1 || !ps[0].Time.IsZero() {
		t.Fatalf("ideas %+v", ps)
	}
	if !c.toDraft.Visible() {
		t.Fatal("no way to make the idea a draft")
	}
	test.Tap(c.toDraft)
	p, _ := d.Store.Post(ctx, ps[0].ID)
	if p.Status != planner.StatusDraft || !p.Time.Equal(time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki)) {
		t.Fatalf("became %+v", p)
	}
}

// A dialog any screen shows with Fyne's own functions answers the keys too.
func TestEveryDialogAnswersEnterAndEsc(t *testing.T) {
	w, _ := keyboardFixture(t)
	answer := ""
	dialog.ShowConfirm("Sure?", "Really?", func(ok bool) {
		if ok {
			answer = "yes"
		} else {
			answer = "no"
		}
	}, w)
	press(w, fyne.KeyEscape, 0)
	if answer != "no" || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("Esc: %q", answer)
	}
	dialog.ShowConfirm("Sure?", "Really?", func(ok bool) {
		if ok {
			answer = "yes"
		}
	}, w)
	press(w, fyne.KeyReturn, 0)
	if answer != "yes" || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("Enter: %q", answer)
	}
	dialog.ShowInformation("Done", "It is done.", w)
	press(w, fyne.KeyReturn, 0)
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Enter left the information open")
	}
}

func TestAPostDueAfterTheLinkedInLinkEndsIsFlagged(t *testing.T) {
	w, d := keyboardFixture(t)
	acc := planner.Account{ID: "li1", Network: planner.NetworkLinkedIn, Handle: "maija", Name: "Maija Meikäläinen", Status: planner.AccountLinked,
		Expires: now.Add(12 * time.Hour), Created: now, Updated: now}
	if err := d.Store.SaveAccount(context.Background(), acc); err != nil {
		t.Fatal(err)
	}
	w.newPost()
	c := w.Composer()
	c.networks.SetSelected([]string{"LinkedIn @maija"})
	test.Type(c.text, "Hei")
	// The next free slot, Thursday 09:00, is after the link ends.
	if got := allText(c.warnings); !strings.Contains(got, "LinkedIn link of Maija Meikäläinen ends before this post is due") {
		t.Fatalf("warnings %q", got)
	}
	if got := c.counters.Objects[0].(*canvas.Text).Text; got != "LinkedIn Maija Meikäläinen 3/3000" {
		t.Errorf("counter %q", got)
	}
}

// The role questions go by keyboard alone: a digit picks an answer (ticks
// or unticks one where several may be chosen), Enter goes on, and Enter
// without an answer stays.
func TestRoleQuestionsByKeyboard(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	press(w, fyne.Key5, fyne.KeyModifierShortcutDefault)
	s := w.Role()
	typeRune := func(r rune) { w.Canvas().(interface{ OnTypedRune() func(rune) }).OnTypedRune()(r) }
	qs := planner.Questions()

	press(w, fyne.KeyReturn, 0)
	if s.step != 0 {
		t.Fatalf("Enter without an answer went on to question %d", s.step+1)
	}
	typeRune('9') // there is no ninth answer
	typeRune('2')
	press(w, fyne.KeyReturn, 0)
	if s.step != 1 || !slices.Equal(s.answers[qs[0].ID], []string{qs[0].Options[1].ID}) {
		t.Fatalf("after 2 and Enter: question %d, answers %v", s.step+1, s.answers[qs[0].ID])
	}

	for s.step < len(qs) && qs[s.step].Kind != planner.MultiChoice {
		typeRune('1')
		press(w, fyne.KeyReturn, 0)
	}
	if s.step == len(qs) {
		t.Fatal("no question of several answers")
	}
	q := qs[s.step]
	typeRune('1')
	typeRune('2')
	typeRune('1') // untick
	press(w, fyne.KeyReturn, 0)
	if got := s.answers[q.ID]; !slices.Equal(got, []string{q.Options[1].ID}) {
		t.Errorf("after 1, 2, 1 and Enter the answers are %v, want [%s]", got, q.Options[1].ID)
	}
}
