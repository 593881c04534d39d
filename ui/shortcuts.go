package ui

import (
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// shortcut is one line of the shortcuts sheet: the keys and what they do.
type shortcut struct {
	keys, does string
}

// shortcuts lists every key Kaiku answers, as the sheet shows them.
func shortcuts() []shortcut {
	ctrl := "Ctrl"
	if runtime.GOOS == "darwin" {
		ctrl = "⌘"
	}
	k := func(s string) string { return strings.ReplaceAll(s, "Ctrl", ctrl) }
	return []shortcut{
		{k("Ctrl+N"), lang.X("keys.new", "New post")},
		{k("Ctrl+S"), lang.X("keys.save", "Save the post")},
		{k("Ctrl+Enter"), lang.X("keys.schedule", "Schedule the post")},
		{k("Ctrl+1 … Ctrl+7"), lang.X("keys.screens", "Week, Compose, Posts, Reading, Role, Accounts, Settings")},
		{k("Ctrl+T"), lang.X("keys.today", "This week")},
		{k("Ctrl+F"), lang.X("keys.find", "Search the posts; in the reading list, its items")},
		{"← → PgUp PgDn", lang.X("keys.weeks", "Previous and next week, in the week")},
		{"W M A, Alt+1 … Alt+3", lang.X("keys.views", "The calendar as a week, a month or an agenda")},
		{"Tab, Shift+Tab", lang.X("keys.tab", "Next and previous control; out of the text too")},
		{lang.X("keys.space", "Space"), lang.X("keys.press", "Press the button or tick the box in focus")},
		{"↑ ↓ Enter", lang.X("keys.list", "Move in the list of posts and open one")},
		{"1 … 9, Enter", lang.X("keys.role", "In the role questions: choose an answer, then the next question")},
		{"j k ↑ ↓ Enter s m", lang.X("keys.reading", "In the reading list: next and previous item, open it, save it for later, mark it read")},
		{"Delete", lang.X("keys.delete", "Delete the post in focus in the list, with an undo")},
		{"Enter", lang.X("keys.confirm", "Confirm a dialog")},
		{"Esc", lang.X("keys.close", "Close a dialog")},
		{k("Ctrl+Z, Ctrl+Y"), lang.X("keys.undo", "Undo and redo in the text; in the week, Ctrl+Z takes back a post's move")},
		{k("Ctrl+/"), lang.X("keys.sheet", "This list")},
	}
}

// showShortcuts shows the sheet of keyboard shortcuts.
func (w *Window) showShortcuts() {
	var rows []fyne.CanvasObject
	for _, s := range shortcuts() {
		rows = append(rows, &widget.Label{Text: s.keys, TextStyle: fyne.TextStyle{Bold: true}}, &widget.Label{Text: s.does})
	}
	grid := container.New(&shortcutsLayout{}, rows...)
	d := dialog.NewCustom(lang.X("keys.title", "Keyboard shortcuts"), lang.X("dialog.close", "Close"), container.NewVScroll(grid), w)
	d.Resize(fyne.NewSize(640, 560))
	showDialog(w, d, nil)
}

// shortcutsLayout puts the keys in a column as wide as the widest and what
// they do beside them.
type shortcutsLayout struct{}

func (shortcutsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	keys, rows := float32(0), float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		keys = max(keys, objs[i].MinSize().Width)
		rows += max(objs[i].MinSize().Height, objs[i+1].MinSize().Height)
	}
	return fyne.NewSize(keys+200, rows)
}

func (shortcutsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	keys := float32(0)
	for i := 0; i < len(objs); i += 2 {
		keys = max(keys, objs[i].MinSize().Width)
	}
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		does := objs[i+1]
		does.Resize(fyne.NewSize(size.Width-keys, does.MinSize().Height))
		h := max(objs[i].MinSize().Height, does.MinSize().Height)
		objs[i].Move(fyne.NewPos(0, y))
		objs[i].Resize(fyne.NewSize(keys, h))
		does.Move(fyne.NewPos(keys, y))
		y += h
	}
}
