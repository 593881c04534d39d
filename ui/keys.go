package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Fyne's dialogs answer the mouse only. Kaiku's are shown through
// showDialog, which keeps them in a stack per window, so that the window's
// keys reach the one on top: Esc closes it, Enter confirms it (or closes a
// dialog that only informs).
var dialogStacks = struct {
	sync.Mutex
	m map[fyne.Window][]dialog.Dialog
}{m: map[fyne.Window][]dialog.Dialog{}}

// showDialog shows d over win and lets the keyboard answer it; onClosed,
// if set, runs when it closes, however it closes.
func showDialog(win fyne.Window, d dialog.Dialog, onClosed func()) {
	dialogStacks.Lock()
	dialogStacks.m[win] = append(dialogStacks.m[win], d)
	dialogStacks.Unlock()
	d.SetOnClosed(func() {
		dialogStacks.Lock()
		s := dialogStacks.m[win]
		for i := len(s) - 1; i >= 0; i-- {
			if s[i] == d {
				s = append(s[:i], s[i+1:]...)
				break
			}
		}
		if len(s) == 0 {
			delete(dialogStacks.m, win)
		} else {
			dialogStacks.m[win] = s
		}
		dialogStacks.Unlock()
		if onClosed != nil {
			onClosed()
		}
	})
	d.Show()
}

// topDialog is the dialog on top of win, if it was shown by showDialog.
func topDialog(win fyne.Window) dialog.Dialog {
	dialogStacks.Lock()
	defer dialogStacks.Unlock()
	s := dialogStacks.m[win]
	if len(s) == 0 {
		return nil
	}
	return s[len(s)-1]
}

// dialogKey answers the top dialog's keys: Esc dismisses it, Enter confirms
// a confirmation or a form, and closes a dialog that only informs. It
// reports whether the key was for a dialog.
func dialogKey(win fyne.Window, k *fyne.KeyEvent) bool {
	if popUpKey(win, k) {
		return true
	}
	d := topDialog(win)
	if d == nil {
		return overlayKey(win, k)
	}
	switch k.Name {
	case fyne.KeyEscape:
		d.Dismiss()
	case fyne.KeyReturn, fyne.KeyEnter:
		switch x := d.(type) {
		case *dialog.ConfirmDialog:
			x.Confirm()
		case *dialog.FormDialog:
			x.Submit()
		default:
			d.Dismiss()
		}
	default:
		return false
	}
	return true
}

// The focused widget gets the keys before the window, so an entry in a
// dialog would keep Enter and Esc from it. The entries below hand them on:
// Esc dismisses the dialog from any of them; Enter in a one-line entry
// confirms the dialog (a form only while it is valid) unless the entry has
// an OnSubmitted of its own; a multi-line entry keeps Enter for a new line.
// Ctrl+Enter, which an entry would swallow, confirms the dialog from any of
// them.

// dialogEntryKey answers k for e in a dialog over win, and reports whether
// it did.
func dialogEntryKey(win fyne.Window, e *widget.Entry, k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyEscape:
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.MultiLine || e.OnSubmitted != nil {
			return false
		}
	default:
		return false
	}
	return dialogKey(win, k)
}

// dialogEntryShortcut confirms the dialog over win on Ctrl+Enter in e, and
// reports whether it did.
func dialogEntryShortcut(win fyne.Window, e *widget.Entry, s fyne.Shortcut) bool {
	if !isCtrlEnter(s) || (!e.MultiLine && e.OnSubmitted != nil) {
		return false
	}
	return dialogKey(win, &fyne.KeyEvent{Name: fyne.KeyReturn})
}

// popUpKey answers the keys while a select entry's choices or a date
// entry's calendar is open over a dialog, as after a click on its button:
// Esc closes the pop-up and leaves the dialog open, Enter does nothing,
// rather than answer the dialog and leave the pop-up behind. It reports
// whether such a pop-up was open.
func popUpKey(win fyne.Window, k *fyne.KeyEvent) bool {
	var o fyne.CanvasObject
	switch x := win.Canvas().Overlays().Top().(type) {
	case *widget.PopUpMenu:
		o = x
	case *widget.PopUp:
		if _, ok := x.Content.(*widget.Calendar); !ok {
			return false
		}
		o = x
	default:
		return false
	}
	switch k.Name {
	case fyne.KeyEscape:
		o.Hide()
	case fyne.KeyReturn, fyne.KeyEnter:
	default:
		return false
	}
	return true
}

// keyEntry is an entry in a dialog: one-line, multi-line or a password
// (set MultiLine or Password), answering the dialog's keys.
type keyEntry struct {
	widget.Entry
	win fyne.Window
}

func newKeyEntry(win fyne.Window) *keyEntry {
	e := &keyEntry{win: win}
	e.ExtendBaseWidget(e)
	return e
}

func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if !dialogEntryKey(e.win, &e.Entry, k) {
		e.Entry.TypedKey(k)
	}
}

func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if !dialogEntryShortcut(e.win, &e.Entry, s) {
		e.Entry.TypedShortcut(s)
	}
}

// keySelectEntry is a select entry in a dialog, answering its keys.
type keySelectEntry struct {
	widget.SelectEntry
	win fyne.Window
}

func newKeySelectEntry(win fyne.Window, options []string) *keySelectEntry {
	e := &keySelectEntry{win: win}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(options)
	return e
}

func (e *keySelectEntry) TypedKey(k *fyne.KeyEvent) {
	if !dialogEntryKey(e.win, &e.Entry, k) {
		e.SelectEntry.TypedKey(k)
	}
}

func (e *keySelectEntry) TypedShortcut(s fyne.Shortcut) {
	if !dialogEntryShortcut(e.win, &e.Entry, s) {
		e.SelectEntry.TypedShortcut(s)
	}
}

// keyDateEntry is Fyne's date entry in a dialog, answering its keys.
type keyDateEntry struct {
	widget.DateEntry
	win fyne.Window
}

func newKeyDateEntry(win fyne.Window) *keyDateEntry {
	e := &keyDateEntry{win: win}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	return e
}

func (e *keyDateEntry) TypedKey(k *fyne.KeyEvent) {
	if !dialogEntryKey(e.win, &e.Entry, k) {
		e.DateEntry.TypedKey(k)
	}
}

func (e *keyDateEntry) TypedShortcut(s fyne.Shortcut) {
	if !dialogEntryShortcut(e.win, &e.Entry, s) {
		e.DateEntry.TypedShortcut(s)
	}
}

// addressQuestion is what askAddress asks with.
type addressQuestion struct {
	title, confirm, label, hint, placeholder string
	size                                     fyne.Size
}

// askAddress asks for a web address in a form whose field has the focus,
// and hands what was typed to use once confirmed.
func askAddress(win fyne.Window, q addressQuestion, use func(address string)) {
	address := newKeyEntry(win)
	address.PlaceHolder = q.placeholder
	d := dialog.NewForm(q.title, q.confirm, lang.X("dialog.cancel", "Cancel"),
		[]*widget.FormItem{{Text: q.label, Widget: address, HintText: q.hint}}, func(ok bool) {
			if ok {
				use(address.Text)
			}
		}, win)
	d.Resize(q.size)
	showDialog(win, d, nil)
	win.Canvas().Focus(address)
}

// isCtrlEnter reports whether s is Ctrl+Enter (Cmd+Enter on macOS).
func isCtrlEnter(s fyne.Shortcut) bool {
	c, ok := s.(*desktop.CustomShortcut)
	return ok && (c.KeyName == fyne.KeyReturn || c.KeyName == fyne.KeyEnter) && c.Modifier == fyne.KeyModifierShortcutDefault
}

// showInfo tells the user something in a dialog that Enter or Esc closes.
func showInfo(title, message string, win fyne.Window) {
	showDialog(win, dialog.NewInformation(title, message, win), nil)
}

// showForm is dialog.ShowForm answering Enter and Esc.
func showForm(title, confirm, dismiss string, items []*widget.FormItem, callback func(bool), win fyne.Window) {
	showDialog(win, dialog.NewForm(title, confirm, dismiss, items, callback, win), nil)
}

// overlayKey answers Enter and Esc in a dialog shown without showDialog:
// Fyne lays its buttons out in plain containers of the pop-up, so they can
// be found there. Esc taps the button with the cancel icon (or the only
// one), Enter the confirming one (or the only one).
func overlayKey(win fyne.Window, k *fyne.KeyEvent) bool {
	pop, ok := win.Canvas().Overlays().Top().(*widget.PopUp)
	if !ok || pop == nil {
		return false
	}
	var buttons []*widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Button:
			if x.Visible() && !x.Disabled() {
				buttons = append(buttons, x)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(pop.Content)
	var pick *widget.Button
	for _, b := range buttons {
		switch {
		case k.Name == fyne.KeyEscape && b.Icon == theme.CancelIcon():
			pick = b
		case (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && b.Importance == widget.HighImportance:
			pick = b
		}
	}
	if pick == nil && len(buttons) == 1 && (k.Name == fyne.KeyEscape || k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) {
		pick = buttons[0]
	}
	if pick == nil || pick.OnTapped == nil {
		return false
	}
	pick.OnTapped()
	return true
}
