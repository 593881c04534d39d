package ui

import (
	"context"
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// dialogEntryKind makes one kind of entry a dialog can hold, for win, with
// a valid value in it.
type dialogEntryKind struct {
	name string
	make func(win fyne.Window) (fyne.Focusable, *widget.Entry)
}

var dialogEntryKinds = []dialogEntryKind{
	{"one-line", func(win fyne.Window) (fyne.Focusable, *widget.Entry) {
		e := newKeyEntry(win)
		e.PlaceHolder = "https://…"
		e.SetText("https://example.org")
		return e, &e.Entry
	}},
	{"password", func(win fyne.Window) (fyne.Focusable, *widget.Entry) {
		e := newKeyEntry(win)
		e.Password = true
		e.SetText("salasana")
		return e, &e.Entry
	}},
	{"multi-line", func(win fyne.Window) (fyne.Focusable, *widget.Entry) {
		e := newKeyEntry(win)
		e.MultiLine = true
		e.SetText("rivi")
		return e, &e.Entry
	}},
	{"select", func(win fyne.Window) (fyne.Focusable, *widget.Entry) {
		e := newKeySelectEntry(win, []string{"Työ", "Koti"})
		e.SetText("Työ")
		return e, &e.Entry
	}},
	{"date", func(win fyne.Window) (fyne.Focusable, *widget.Entry) {
		e := newKeyDateEntry(win)
		d := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
		e.SetDate(&d)
		return e, &e.Entry
	}},
	{"typed date", func(win fyne.Window) (fyne.Focusable, *widget.Entry) {
		e := newDateField("en")
		e.win = win
		e.SetText("2026-12-10")
		return e, &e.Entry
	}},
}

// formWith shows a form holding f, focused, and records its answer.
func formWith(w fyne.Window, f fyne.Focusable, answer *string) {
	*answer = ""
	showForm("Form", "Apply", "Cancel", []*widget.FormItem{widget.NewFormItem("Field", f.(fyne.CanvasObject))}, func(ok bool) {
		if ok {
			*answer = "applied"
		} else {
			*answer = "cancelled"
		}
	}, w)
	w.Canvas().Focus(f)
}

func TestEscInAnyDialogEntryDismissesTheDialogWithoutApplyingIt(t *testing.T) {
	w, _ := keyboardFixture(t)
	for _, k := range dialogEntryKinds {
		f, _ := k.make(w)
		var answer string
		formWith(w, f, &answer)
		if w.Canvas().Focused() != f {
			t.Fatalf("%s: the entry has no focus", k.name)
		}
		press(w, fyne.KeyEscape, 0)
		if answer != "cancelled" || w.Canvas().Overlays().Top() != nil || topDialog(w) != nil {
			t.Errorf("%s: Esc answered %q, the dialog open: %v", k.name, answer, w.Canvas().Overlays().Top() != nil)
		}
	}
}

func TestEnterInAOneLineDialogEntryAppliesTheForm(t *testing.T) {
	w, _ := keyboardFixture(t)
	for _, k := range dialogEntryKinds {
		f, e := k.make(w)
		if e.MultiLine {
			continue
		}
		var answer string
		formWith(w, f, &answer)
		press(w, fyne.KeyReturn, 0)
		if answer != "applied" || w.Canvas().Overlays().Top() != nil {
			t.Errorf("%s: Enter answered %q", k.name, answer)
		}
		// The keypad's Enter too.
		formWith(w, f, &answer)
		press(w, fyne.KeyEnter, 0)
		if answer != "applied" || w.Canvas().Overlays().Top() != nil {
			t.Errorf("%s: keypad Enter answered %q", k.name, answer)
		}
	}
}

func TestEnterDoesNotApplyAnInvalidForm(t *testing.T) {
	w, _ := keyboardFixture(t)
	for _, k := range dialogEntryKinds {
		f, e := k.make(w)
		if e.MultiLine {
			continue
		}
		e.Validator = func(s string) error {
			if s == "" {
				return errors.New("give something")
			}
			return nil
		}
		e.SetText("")
		var answer string
		formWith(w, f, &answer)
		press(w, fyne.KeyReturn, 0)
		if answer != "" || topDialog(w) == nil {
			t.Fatalf("%s: Enter in an invalid form answered %q", k.name, answer)
		}
		test.Type(f, "2026-12-11")
		press(w, fyne.KeyReturn, 0)
		if answer != "applied" || topDialog(w) != nil {
			t.Errorf("%s: Enter once valid answered %q", k.name, answer)
		}
	}
}

func TestEnterInAMultiLineDialogEntryIsANewLineAndCtrlEnterApplies(t *testing.T) {
	w, _ := keyboardFixture(t)
	e := newKeyEntry(w)
	e.MultiLine = true
	var answer string
	formWith(w, e, &answer)
	test.Type(e, "yksi")
	press(w, fyne.KeyReturn, 0)
	test.Type(e, "kaksi")
	if e.Text != "yksi\nkaksi" || answer != "" || topDialog(w) == nil {
		t.Fatalf("after Enter the text is %q and the dialog answered %q", e.Text, answer)
	}
	press(w, fyne.KeyReturn, fyne.KeyModifierShortcutDefault)
	if answer != "applied" || topDialog(w) != nil {
		t.Errorf("Ctrl+Enter answered %q", answer)
	}
}

func TestEnterRunsADialogEntrysOwnOnSubmitted(t *testing.T) {
	w, _ := keyboardFixture(t)
	e := newKeyEntry(w)
	submitted := ""
	e.OnSubmitted = func(s string) { submitted = s }
	var answer string
	formWith(w, e, &answer)
	test.Type(e, "oma")
	press(w, fyne.KeyReturn, 0)
	if submitted != "oma" || answer != "" || topDialog(w) == nil {
		t.Fatalf("submitted %q, the dialog answered %q", submitted, answer)
	}
	press(w, fyne.KeyEscape, 0)
	if answer != "cancelled" {
		t.Errorf("Esc answered %q", answer)
	}
}

// The Follow a feed dialog, by keyboard: Esc from the address leaves the
// feeds as they were, Enter from the folder follows the feed in it.
func TestFollowAFeedAnswersEscAndEnterFromItsFields(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	w, s := openReading(t, d)
	ctx := context.Background()
	s.askAdd()
	address, ok := w.Canvas().Focused().(*keyEntry)
	if !ok {
		t.Fatalf("the address has no focus: %T", w.Canvas().Focused())
	}
	test.Type(address, "https://avoindata.fi/rss")
	press(w, fyne.KeyEscape, 0)
	if fs, _ := d.Reading.Feeds(ctx); len(fs) != 0 || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("Esc followed %v, or left the dialog open", fs)
	}
	s.askAdd()
	test.Type(w.Canvas().Focused(), "https://avoindata.fi/rss")
	var folder *keySelectEntry
	walkObjects(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if f, ok := o.(*keySelectEntry); ok {
			folder = f
		}
	})
	if folder == nil {
		t.Fatal("no folder in the dialog")
	}
	w.Canvas().Focus(folder)
	test.Type(folder, "Data")
	press(w, fyne.KeyReturn, 0)
	fs, _ := d.Reading.Feeds(ctx)
	if len(fs) != 1 || fs[0].Folder != "Data" || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("Enter followed %+v", fs)
	}
}

// The week's Move to… dialog: Esc from the time leaves the post, Enter
// moves it.
func TestWeeksMoveDialogAnswersEscAndEnterFromTheTime(t *testing.T) {
	w, d := keyboardFixture(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki)
	p := savePost(t, d, "Siirrettävä", at)
	clockOf := func() *keyEntry {
		var found *keyEntry
		walkObjects(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
			if e, ok := o.(*keyEntry); ok {
				found = e
			}
		})
		if found == nil {
			t.Fatal("no time of day in the dialog")
		}
		return found
	}
	w.Week.moveDialog(p)
	at2 := clockOf()
	w.Canvas().Focus(at2)
	at2.SetText("13:00")
	press(w, fyne.KeyEscape, 0)
	if got, _ := d.Store.Post(ctx, p.ID); !got.Time.Equal(at) || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("Esc moved it to %v", got.Time)
	}
	w.Week.moveDialog(p)
	at2 = clockOf()
	w.Canvas().Focus(at2)
	at2.SetText("13:00")
	press(w, fyne.KeyReturn, 0)
	if got, _ := d.Store.Post(ctx, p.ID); !got.Time.Equal(at.Add(4 * time.Hour)) {
		t.Fatalf("Enter moved it to %v", got.Time)
	}
}

// With the date entry's calendar open, as after a click on its button,
// Esc closes the calendar and leaves the dialog; Enter does not answer the
// dialog under it.
func TestEscClosesADateEntrysCalendarBeforeItsDialog(t *testing.T) {
	w, _ := keyboardFixture(t)
	e := newKeyDateEntry(w)
	var answer string
	formWith(w, e, &answer)
	form := w.Canvas().Overlays().Top()
	test.WidgetRenderer(e)
	test.Tap(e.ActionItem.(*widget.Button))
	if _, ok := w.Canvas().Overlays().Top().(*widget.PopUp).Content.(*widget.Calendar); !ok {
		t.Fatal("no calendar opened")
	}
	w.Canvas().Unfocus()
	press(w, fyne.KeyReturn, 0)
	if answer != "" || w.Canvas().Overlays().Top() == form {
		t.Fatalf("Enter answered %q under the calendar", answer)
	}
	press(w, fyne.KeyEscape, 0)
	if answer != "" || w.Canvas().Overlays().Top() != form {
		t.Fatalf("Esc answered %q; the calendar stays: %v", answer, w.Canvas().Overlays().Top() != form)
	}
	press(w, fyne.KeyEscape, 0)
	if answer != "cancelled" || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("the second Esc answered %q", answer)
	}
}
