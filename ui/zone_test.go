package ui

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/planner"
)

// textsUnder collects every text drawn under o.
func textsUnder(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *canvas.Text:
			out = append(out, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// The settings change the time zone while the week and the composer load
// in the background; the race detector watches (go test -race).
func TestZoneChangeWhileScreensLoad(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	// The test driver has no UI goroutine: one lock stands in for it.
	var ui sync.Mutex
	onUI := func(f func()) { ui.Lock(); defer ui.Unlock(); f() }
	var loads sync.WaitGroup
	d.Background = func(f func()) {
		loads.Add(1)
		go func() { defer loads.Done(); f() }()
	}
	d.Do = onUI
	var w *Window
	onUI(func() {
		w = NewWindow(a, d)
		w.Composer()
	})
	for i := range 10 {
		onUI(func() {
			s := w.Settings()
			s.zone.SetText([]string{"UTC", "Europe/Helsinki", "America/New_York"}[i%3])
			s.Save()
		})
	}
	loads.Wait()
	onUI(func() { w.Close() })
}

// After the zone changes, the week and the composer show the same post at
// the same new time, at once.
func TestZoneChangeReachesWeekAndComposer(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	p := savePost(t, d, "Aamun julkaisu", time.Date(2026, 12, 2, 9, 0, 0, 0, helsinki)) // 07:00 UTC
	w := NewWindow(a, d)
	defer w.Close()
	eventually(t, "the post in the week", func() bool { return len(shown(w.Week)) == 1 })
	// The post's chip begins with its status mark, then its time.
	chip := func() string {
		for _, s := range textsUnder(w.Week.view) {
			if strings.HasPrefix(s, statusMark(planner.StatusScheduled)+" ") {
				return s
			}
		}
		return ""
	}
	if got := chip(); !strings.Contains(got, "09:00") {
		t.Fatalf("in Helsinki the week shows %q", got)
	}

	s := w.Settings()
	s.zone.SetText("UTC")
	s.Save()
	if got := chip(); !strings.Contains(got, "07:00") {
		t.Errorf("in UTC the week shows %q", got)
	}
	if want := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC); !w.Week.Monday().Equal(want) || w.Week.Monday().Location().String() != "UTC" {
		t.Errorf("the week starts %v, want %v", w.Week.Monday(), want)
	}
	c := w.Composer()
	c.Edit(p)
	if c.clock.Text != "07:00" {
		t.Errorf("the composer shows %q", c.clock.Text)
	}
	// A time typed now is read in the new zone.
	c.clock.SetText("12:00")
	saved, err := c.collect()
	if err != nil || !saved.Time.Equal(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("12:00 became %v %v", saved.Time, err)
	}
}

// An open composer shows its post's time in the new zone when the zone
// changes, unless the user is changing it.
func TestZoneChangeReachesOpenComposer(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	p := savePost(t, d, "Auki", time.Date(2026, 12, 2, 9, 0, 0, 0, helsinki))
	w := NewWindow(a, d)
	defer w.Close()
	c := w.Composer()
	c.Edit(p)
	s := w.Settings()
	s.zone.SetText("UTC")
	s.Save()
	if c.clock.Text != "07:00" || c.Dirty() {
		t.Errorf("the open composer shows %q, dirty %v", c.clock.Text, c.Dirty())
	}
}
