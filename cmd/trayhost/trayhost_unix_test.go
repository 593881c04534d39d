//go:build linux || freebsd || openbsd || netbsd || dragonfly

package trayhost_test

import (
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"

	"github.com/kaiku-app/kaiku/cmd/trayhost"
	"github.com/kaiku-app/kaiku/internal/dbustest"
)

// fakeWatcher plays a panel's StatusNotifierWatcher.
type fakeWatcher struct {
	conn  *dbus.Conn
	props *prop.Properties
}

func startWatcher(t *testing.T, hostRegistered bool) *fakeWatcher {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	props, err := prop.Export(conn, "/StatusNotifierWatcher", prop.Map{
		"org.kde.StatusNotifierWatcher": {
			"IsStatusNotifierHostRegistered": {Value: hostRegistered, Writable: false, Emit: prop.EmitTrue},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("request name: %v %v", reply, err)
	}
	return &fakeWatcher{conn: conn, props: props}
}

func (f *fakeWatcher) registerHost(t *testing.T) {
	t.Helper()
	f.props.SetMust("org.kde.StatusNotifierWatcher", "IsStatusNotifierHostRegistered", true)
	if err := f.conn.Emit("/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher.StatusNotifierHostRegistered"); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, what string, changes <-chan bool, want bool) {
	t.Helper()
	select {
	case got := <-changes:
		if got != want {
			t.Fatalf("%s: heard %v, want %v", what, got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no change heard", what)
	}
}

func TestNoTrayWithoutAWatcherAndAHost(t *testing.T) {
	dbustest.SessionBus(t)
	changes := make(chan bool, 4)
	w := trayhost.Watch(func(present bool) { changes <- present })
	defer w.Close()
	if !w.Possible() {
		t.Fatal("a session with a bus could have a tray")
	}
	if w.Present() {
		t.Fatal("a tray was reported on a bus without a StatusNotifierWatcher")
	}

	// A watcher without a host shows no icons either.
	f := startWatcher(t, false)
	time.Sleep(200 * time.Millisecond)
	if w.Present() {
		t.Fatal("a watcher with no host registered was taken for a tray")
	}
	f.registerHost(t)
	waitFor(t, "a host registered", changes, true)
	if !w.Present() {
		t.Fatal("the host was not seen")
	}

	// The panel quits: its watcher goes, and with it the tray.
	f.conn.Close()
	waitFor(t, "the watcher left", changes, false)
	if w.Present() {
		t.Fatal("the tray outlived its watcher")
	}
}

func TestATrayThatIsThereAtStart(t *testing.T) {
	dbustest.SessionBus(t)
	startWatcher(t, true)
	w := trayhost.Watch(nil)
	defer w.Close()
	if !w.Present() {
		t.Fatal("the running tray was not seen")
	}
}

func TestNoSessionBusNoTray(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	w := trayhost.Watch(nil)
	defer w.Close()
	if w.Possible() || w.Present() {
		t.Fatal("a session without a bus was said to have a tray")
	}
}
