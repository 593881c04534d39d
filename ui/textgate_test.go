package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Until the faces are in, the gate neither measures nor lays out its
// content; the layout it held back is done as it opens.
func TestTextGateHoldsTheLayoutUntilTheFacesAreIn(t *testing.T) {
	test.NewTempApp(t)
	ready := make(chan struct{})
	gate := &textGate{ready: ready}
	label := widget.NewLabel("Viikko 49")
	c := container.New(gate, label)

	c.Resize(fyne.NewSize(300, 100))
	if got := c.MinSize(); !got.IsZero() {
		t.Errorf("min size before the faces are in = %v, want zero", got)
	}
	if got := label.Size(); !got.IsZero() {
		t.Errorf("the label was laid out at %v before the faces were in", got)
	}

	close(ready)
	if got, want := c.MinSize(), label.MinSize(); got != want {
		t.Errorf("min size once the faces are in = %v, want the label's %v", got, want)
	}
	if got, want := label.Size(), fyne.NewSize(300, 100); got != want {
		t.Errorf("the held layout gave the label %v, want %v", got, want)
	}
	c.Resize(fyne.NewSize(400, 120))
	if got, want := label.Size(), fyne.NewSize(400, 120); got != want {
		t.Errorf("after the gate opened the label got %v, want %v", got, want)
	}
}

// Once the window shows, the first measure waits for the faces instead of
// leaving the window at no size.
func TestTextGateWaitsAsTheWindowShows(t *testing.T) {
	test.NewTempApp(t)
	ready := make(chan struct{})
	gate := &textGate{ready: ready}
	label := widget.NewLabel("Viikko 49")
	c := container.New(gate, label)
	c.Resize(fyne.NewSize(300, 100))

	gate.wait = true
	go func() {
		time.Sleep(20 * time.Millisecond)
		close(ready)
	}()
	if got, want := c.MinSize(), label.MinSize(); got != want {
		t.Errorf("min size as the window shows = %v, want the label's %v", got, want)
	}
	if got, want := label.Size(), fyne.NewSize(300, 100); got != want {
		t.Errorf("the label was laid out at %v, want %v", got, want)
	}
}

// The window is built, sized and given its content while the faces load,
// without laying out a single screen; it shows laid out.
func TestWindowIsBuiltWhileTheFacesLoad(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ready := make(chan struct{})
	d.TextReady = ready
	w := NewWindow(a, d)
	w.Resize(fyne.NewSize(1000, 700))
	screens := w.Content().(*fyne.Container).Objects[0]
	if got := screens.Size(); !got.IsZero() {
		t.Fatalf("the screens were laid out at %v while the faces loaded", got)
	}

	go func() {
		time.Sleep(20 * time.Millisecond)
		close(ready)
	}()
	w.Show()
	w.Resize(fyne.NewSize(1024, 700))
	if got := screens.Size(); got.Width < 900 || got.Height < 600 {
		t.Errorf("the shown window's screens are %v, want about its size", got)
	}
}
