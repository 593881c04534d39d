// Command hello is the smallest Fyne app: one window with one label. It is
// built the same way as Kaiku, and scripts/perf.sh measures Kaiku's start
// and memory against it, so the figures are Kaiku's own cost, not Fyne's or
// the machine's.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.kaiku_app.perf-hello")
	w := a.NewWindow("Hello")
	w.SetContent(widget.NewLabel("Hello"))
	// Kaiku's window opens at this size in the measurement too.
	w.Resize(fyne.NewSize(1024, 700))
	w.ShowAndRun()
}
