// Package trayhost tells whether the desktop shows tray icons, so that
// Kaiku keeps running in the tray only where the user can reach it there.
//
// On Linux and the BSDs a tray icon is a StatusNotifierItem (what Fyne's
// tray, fyne.io/systray, publishes): it shows only while a
// StatusNotifierWatcher owns org.kde.StatusNotifierWatcher on the session
// bus and a host (a panel that draws the icons) has registered with it. A
// desktop without one, say GNOME without its AppIndicator extension, shows
// nothing, and closing the window must then quit as it always did. Windows
// and macOS always have a notification area or menu bar.
package trayhost

// Watcher follows whether a tray host is there.
type Watcher struct {
	watch
}

// Watch starts following the tray host; onChange, if not nil, hears of
// each change, from another goroutine. Close stops it.
func Watch(onChange func(present bool)) *Watcher {
	w := &Watcher{}
	w.start(onChange)
	return w
}

// Present reports whether a tray host shows icons now.
func (w *Watcher) Present() bool { return w.present() }

// Possible reports whether this session could have a tray at all, now or
// later: on Linux, whether it has a session bus. Fyne's tray must be set up
// before the app runs, so it is set up wherever a host might appear.
func (w *Watcher) Possible() bool { return w.possible() }

// Close stops following.
func (w *Watcher) Close() { w.close() }
