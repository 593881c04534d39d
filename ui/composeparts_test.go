package ui

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/planner"
)

func TestThreadPartsAreBoxes(t *testing.T) {
	w, d := keyboardFixture(t)
	w.newPost()
	c := w.Composer()
	c.networks.SetSelected([]string{"X by hand"})
	test.Type(c.text, "Ensimmäinen")
	test.Tap(c.addPart)
	if len(c.boxes) != 2 || w.Canvas().Focused() != c.boxes[1].entry {
		t.Fatalf("%d boxes, focus on %T", len(c.boxes), w.Canvas().Focused())
	}
	test.Type(c.boxes[1].entry, "Toinen")
	c.AddPart()
	test.Type(c.boxes[2].entry, "Kolmas")
	if got := strings.Join(c.parts(), "|"); got != "Ensimmäinen|Toinen|Kolmas" {
		t.Fatalf("parts %q", got)
	}
	// Each part counts on its own.
	if got := c.boxes[1].counter.Text; got != "X 6/280" {
		t.Errorf("part 2 counter %q", got)
	}
	test.Tap(c.boxes[2].up)
	if got := strings.Join(c.parts(), "|"); got != "Ensimmäinen|Kolmas|Toinen" {
		t.Fatalf("after moving up %q", got)
	}
	if c.boxes[0].up.Visible() || !c.boxes[0].down.Visible() || c.boxes[2].down.Visible() {
		t.Error("the first part moves up or the last down")
	}
	// Removing a part keeps its text, in the part before it.
	test.Tap(c.boxes[2].remove)
	if got := strings.Join(c.parts(), "|"); got != "Ensimmäinen|Kolmas\n\nToinen" {
		t.Fatalf("after removing %q", got)
	}
	c.saveAs(planner.StatusDraft)
	ps, _ := d.Store.PostsWithStatus(context.Background(), planner.StatusDraft)
	if len(ps) != 1 || strings.Join(ps[0].Parts, "|") != "Ensimmäinen|Kolmas\n\nToinen" {
		t.Fatalf("saved %+v", ps)
	}
	// The thread opens as boxes again.
	c.New()
	w.openPost(ps[0])
	if len(c.boxes) != 2 || c.boxes[1].entry.Text != "Kolmas\n\nToinen" {
		t.Fatalf("reopened as %d boxes", len(c.boxes))
	}
}

func TestTheOverflowIsShown(t *testing.T) {
	w, _ := keyboardFixture(t)
	w.newPost()
	c := w.Composer()
	c.networks.SetSelected([]string{"X by hand"})
	c.text.SetText(strings.Repeat("a", 270) + " tämä menee yli rajan")
	b := c.boxes[0]
	if !b.over.Visible() || !strings.Contains(b.over.Text, "yli rajan") || strings.Contains(b.over.Text, "aaaa") {
		t.Fatalf("overflow %q (shown %v)", b.over.Text, b.over.Visible())
	}
	if b.counter.Text != "X 291/280" {
		t.Fatalf("counter %q", b.counter.Text)
	}
}

func TestALongTextIsCapped(t *testing.T) {
	w, _ := keyboardFixture(t)
	w.newPost()
	c := w.Composer()
	c.text.TypedShortcut(&fyne.ShortcutPaste{Clipboard: textClipboard(strings.Repeat("ä", MaxComposerChars+500))})
	if n := utf8.RuneCountInString(c.text.Text); n != MaxComposerChars {
		t.Fatalf("kept %d characters", n)
	}
	if !c.capNote.Visible() || !strings.Contains(c.capNote.Text, "25000") {
		t.Fatalf("cap note %q", c.capNote.Text)
	}
	// Past what a frame can wrap, the lines are not wrapped while editing.
	if c.text.Wrapping != fyne.TextWrapOff {
		t.Error("a 25,000-character text is wrapped at every keystroke")
	}
	c.text.SetText("lyhyt")
	if c.text.Wrapping != fyne.TextWrapWord || c.capNote.Visible() {
		t.Error("a short text is not wrapped again")
	}
}

func TestAPromptNeverDestroysTextAndUndoTakesItBack(t *testing.T) {
	w, _ := keyboardFixture(t)
	w.newPost()
	c := w.Composer()
	test.Type(c.text, "Oma ajatus")
	c.prompts.SetSelectedIndex(0)
	prompt := c.prompts.Options[0]
	if !strings.HasPrefix(c.text.Text, "Oma ajatus") || !strings.Contains(c.text.Text, prompt) {
		t.Fatalf("text %q", c.text.Text)
	}
	c.text.TypedShortcut(&fyne.ShortcutUndo{})
	if c.text.Text != "Oma ajatus" {
		t.Fatalf("Ctrl+Z left %q", c.text.Text)
	}
}
