package ui

import "fyne.io/fyne/v2"

// textGate lays out the window's content only once the text faces have
// loaded. The start loads them on another goroutine while the window is
// built and while the windowing system makes the window: until the window
// shows, the content neither measures nor lays out text (Fyne's caches of
// faces and sizes are not safe for two goroutines at once), and as it
// shows, the first measure waits for the faces.
type textGate struct {
	ready <-chan struct{} // nil once the faces are in
	wait  bool            // the window is showing: wait for the faces
	// held is the size of a layout held back, done as the gate opens.
	held    fyne.Size
	holding bool
}

func (g *textGate) open() bool {
	if g.ready == nil {
		return true
	}
	if g.wait {
		<-g.ready
	} else {
		select {
		case <-g.ready:
		default:
			return false
		}
	}
	g.ready = nil
	return true
}

func (g *textGate) MinSize(objects []fyne.CanvasObject) fyne.Size {
	if !g.open() {
		return fyne.Size{}
	}
	if g.holding {
		g.Layout(objects, g.held)
	}
	return objects[0].MinSize()
}

func (g *textGate) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	if !g.open() {
		g.held, g.holding = size, true
		return
	}
	g.holding = false
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
}
