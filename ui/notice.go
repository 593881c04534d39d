package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// noticeTime is how long a notice with an undo stays in view.
const noticeTime = 10 * time.Second

// notice is a line at the foot of a screen that says what was just done,
// with a button to undo it for a few seconds: deleting, scheduling. It is
// not a dialog, so nothing waits for the user to close it.
type notice struct {
	deps   *Deps
	box    *fyne.Container
	label  *widget.Label
	action *widget.Button
	close  *widget.Button

	mu  sync.Mutex // guards gen, which the timer reads on its goroutine
	gen int
}

func newNotice(d *Deps) *notice {
	n := &notice{deps: d, label: &widget.Label{Wrapping: fyne.TextWrapWord}}
	n.action = &widget.Button{Importance: widget.HighImportance}
	n.close = &widget.Button{Icon: theme.CancelIcon(), Importance: widget.LowImportance, OnTapped: n.hide}
	n.box = container.NewBorder(widget.NewSeparator(), nil, nil, container.NewHBox(n.action, n.close), n.label)
	n.box.Hide()
	return n
}

// show says msg; with an action (Undo, Open), its button runs it once and
// the notice goes.
func (n *notice) show(msg, actionLabel string, action func()) {
	n.mu.Lock()
	n.gen++
	gen := n.gen
	n.mu.Unlock()
	n.label.SetText(msg)
	if action == nil {
		n.action.Hide()
	} else {
		n.action.SetText(actionLabel)
		n.action.OnTapped = func() {
			n.hide()
			action()
		}
		n.action.Show()
	}
	n.box.Show()
	time.AfterFunc(noticeTime, func() {
		n.mu.Lock()
		current := n.gen == gen
		n.mu.Unlock()
		if current {
			n.deps.do(func() {
				n.mu.Lock()
				still := n.gen == gen
				n.mu.Unlock()
				if still {
					n.hide()
				}
			})
		}
	})
}

// showUndo says msg with an Undo button.
func (n *notice) showUndo(msg string, undo func()) {
	n.show(msg, lang.X("notice.undo", "Undo"), undo)
}

func (n *notice) hide() {
	n.mu.Lock()
	n.gen++
	n.mu.Unlock()
	n.action.OnTapped = nil
	n.box.Hide()
}

// Text is what the notice says now, empty when it is hidden.
func (n *notice) Text() string {
	if !n.box.Visible() {
		return ""
	}
	return n.label.Text
}
