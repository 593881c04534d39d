//go:build linux || freebsd || openbsd || netbsd || dragonfly

package trayhost

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/godbus/dbus/v5"
)

// The StatusNotifierWatcher that fyne.io/systray registers its icon with.
const (
	watcherName  = "org.kde.StatusNotifierWatcher"
	watcherPath  = "/StatusNotifierWatcher"
	watcherIface = "org.kde.StatusNotifierWatcher"
)

type watch struct {
	conn     *dbus.Conn
	have     atomic.Bool
	signals  chan *dbus.Signal
	stopOnce sync.Once
	done     chan struct{}
}

func (w *watch) start(onChange func(bool)) {
	w.done = make(chan struct{})
	if !sessionBusKnown() {
		close(w.done)
		return
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		close(w.done)
		return
	}
	w.conn = conn
	// Hear when a watcher comes or goes, and when hosts register with it.
	_ = conn.AddMatchSignal(
		dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"),
		dbus.WithMatchArg(0, watcherName),
	)
	_ = conn.AddMatchSignal(dbus.WithMatchInterface(watcherIface))
	w.signals = make(chan *dbus.Signal, 16)
	conn.Signal(w.signals)
	w.have.Store(check(conn))
	go w.follow(onChange)
}

func (w *watch) follow(onChange func(bool)) {
	defer close(w.done)
	for range w.signals {
		now := check(w.conn)
		if w.have.Swap(now) != now && onChange != nil {
			onChange(now)
		}
	}
}

// check asks the session bus whether a watcher runs with a host registered.
func check(conn *dbus.Conn) bool {
	var owned bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, watcherName).Store(&owned); err != nil || !owned {
		return false
	}
	v, err := conn.Object(watcherName, watcherPath).GetProperty(watcherIface + ".IsStatusNotifierHostRegistered")
	if err != nil {
		return false
	}
	registered, ok := v.Value().(bool)
	return ok && registered
}

// sessionBusKnown reports whether the session bus can be found without
// starting one: godbus would otherwise run dbus-launch, which starts a bus
// nobody else uses.
func sessionBusKnown() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return true
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = fmt.Sprintf("/run/user/%d", os.Getuid())
	}
	_, err := os.Stat(dir + "/bus")
	return err == nil
}

func (w *watch) present() bool  { return w.have.Load() }
func (w *watch) possible() bool { return w.conn != nil }

func (w *watch) close() {
	w.stopOnce.Do(func() {
		if w.conn != nil {
			w.conn.RemoveSignal(w.signals)
			close(w.signals)
			w.conn.Close()
		}
		<-w.done
	})
}
