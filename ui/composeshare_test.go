package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

func TestShareWithCommentOpensAPostForTheNextShareSlot(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ctx := context.Background()
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		{ID: "thu", Weekday: time.Thursday, Start: planner.ClockTime{Hour: 9}, Minutes: 30, Purpose: planner.PurposeWrite},
		{ID: "fri", Weekday: time.Friday, Start: planner.ClockTime{Hour: 12}, Minutes: 20, Purpose: planner.PurposeShare},
	}}
	if err := d.Store.SavePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	it := planner.Item{ID: "item1", FeedID: "feed1", Title: "Tekoäly kirjastoissa", URL: "https://www.example.org/ai"}
	w.ShareItem(it, "Kirjastolehti")
	c := w.Composer()
	if w.nav.SelectedIndex() != screenCompose || w.Canvas().Focused() != c.text {
		t.Fatal("the composer did not open with the focus in the text")
	}
	if c.text.Text != "\n\nTekoäly kirjastoissa (via Kirjastolehti)\nhttps://www.example.org/ai" {
		t.Fatalf("text %q", c.text.Text)
	}
	if c.text.CursorRow != 0 || c.text.CursorColumn != 0 {
		t.Errorf("the cursor is at %d:%d, not where the comment goes", c.text.CursorRow, c.text.CursorColumn)
	}
	test.Type(c.text, "Hyvä kooste!")
	if c.selectedPurpose() != planner.PurposeShare || !strings.Contains(c.nextLabel.Text, "Fri 4 Dec") {
		t.Fatalf("purpose %q, next %q", c.selectedPurpose(), c.nextLabel.Text)
	}
	c.Save()
	ps, _ := d.Store.PostsBetween(ctx, now, now.AddDate(0, 0, 7))
	if len(ps) != 1 || ps[0].SourceItem != "item1" || !strings.HasPrefix(ps[0].Text, "Hyvä kooste!\n\nTekoäly") {
		t.Fatalf("saved %+v", ps)
	}
}

func TestNextFreeSlotPassesOverBusyTime(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ctx := context.Background()
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		{ID: "thu", Weekday: time.Thursday, Start: planner.ClockTime{Hour: 9}, Minutes: 30, Purpose: planner.PurposeWrite},
	}}
	if err := d.Store.SavePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	src := planner.CalendarSource{ID: "cal1", Kind: planner.CalendarFile, Address: "/home/maija/work.ics", Added: now}
	busy := planner.BusyWindow{SourceID: "cal1", From: now, To: now.AddDate(0, 0, 30), Intervals: []planner.BusyInterval{
		{Start: time.Date(2026, 12, 3, 8, 0, 0, 0, helsinki), End: time.Date(2026, 12, 3, 12, 0, 0, 0, helsinki)},
	}}
	if err := d.Store.SaveCalendarSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := d.Store.SaveCalendarBusy(ctx, src, busy); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	w.newPost()
	c := w.Composer()
	if !strings.Contains(c.nextLabel.Text, "Thu 10 Dec") {
		t.Fatalf("next free slot %q: the busy Thursday was not passed over", c.nextLabel.Text)
	}
	// The preview stays put while the post is typed and saved in that slot.
	test.Type(c.text, "Hei")
	c.networks.SetSelected([]string{"X by hand"})
	c.Save()
	c.changed.emit()
	if !strings.Contains(c.nextLabel.Text, "Thu 10 Dec") {
		t.Fatalf("after saving, the preview moved to %q", c.nextLabel.Text)
	}
}

func TestKitHashtagsAreSuggested(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	kit := planner.OrgKit{Format: planner.OrgKitFormat, Version: planner.OrgKitVersion, Organization: "Kirjasto", Hashtags: []string{"#kirjastot", "#tekoäly"}}
	if _, err := planner.ImportOrgKit(context.Background(), d.Store, kit, "kit.json", now); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	w.newPost()
	c := w.Composer()
	test.Type(c.text, "Uutta")
	if !c.tagsRow.Visible() {
		t.Fatal("no hashtags suggested")
	}
	test.Tap(findButton(t, c.tagsRow, "#tekoäly"))
	if c.text.Text != "Uutta #tekoäly" {
		t.Fatalf("text %q", c.text.Text)
	}
	// A hashtag the text has is not offered again.
	if got := allButtons(c.tagsRow); strings.Contains(got, "#tekoäly") || !strings.Contains(got, "#kirjastot") {
		t.Fatalf("offered %q", got)
	}
}

func TestShortcutsSheet(t *testing.T) {
	w, _ := keyboardFixture(t)
	press(w, fyne.KeySlash, fyne.KeyModifierShortcutDefault)
	o := w.Canvas().Overlays().Top()
	if o == nil {
		t.Fatal("Ctrl+/ showed nothing")
	}
	text := allText(o)
	for _, want := range []string{"Ctrl+Enter", "Schedule the post", "Esc", "Delete", "Tab, Shift+Tab"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}
	press(w, fyne.KeyEscape, 0)
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Esc did not close the sheet")
	}
}

// allButtons is the text of every button under o.
func allButtons(o fyne.CanvasObject) string {
	var b strings.Builder
	walkObjects(o, func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.Button); ok && x.Visible() {
			b.WriteString(x.Text + "\n")
		}
	})
	return b.String()
}
