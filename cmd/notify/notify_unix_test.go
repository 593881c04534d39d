//go:build linux || freebsd || openbsd || netbsd || dragonfly

package notify_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/kaiku-app/kaiku/cmd/notify"
	"github.com/kaiku-app/kaiku/internal/dbustest"
)

// server plays the desktop's notification service.
type server struct {
	conn *dbus.Conn
	caps []string
	mu   sync.Mutex
	sent []sent
}

type sent struct {
	app, title, body string
	actions          []string
}

func (s *server) GetCapabilities() ([]string, *dbus.Error) { return s.caps, nil }

func (s *server) Notify(app string, replaces uint32, icon, title, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, sent{app, title, body, actions})
	return uint32(len(s.sent)), nil
}

func startServer(t *testing.T, caps ...string) *server {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	s := &server{conn: conn, caps: caps}
	if err := conn.Export(s, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("request name: %v %v", reply, err)
	}
	return s
}

func (s *server) emit(t *testing.T, signal string, args ...any) {
	t.Helper()
	if err := s.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications."+signal, args...); err != nil {
		t.Fatal(err)
	}
}

func TestAClickOnTheNotificationRunsItsFunction(t *testing.T) {
	dbustest.SessionBus(t)
	srv := startServer(t, "body", "actions")
	n, err := notify.New("Kaiku")
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	clicked := make(chan string, 2)
	if err := n.Send("Share slot now", "30 min", "Write", func() { clicked <- "first" }); err != nil {
		t.Fatal(err)
	}
	if err := n.Send("Write slot now", "20 min", "Write", func() { clicked <- "second" }); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	got := srv.sent
	srv.mu.Unlock()
	if len(got) != 2 || got[0].app != "Kaiku" || got[0].title != "Share slot now" || got[0].body != "30 min" ||
		len(got[0].actions) != 2 || got[0].actions[0] != "default" || got[0].actions[1] != "Write" {
		t.Fatalf("the service got %+v", got)
	}
	// The first is closed unclicked; a click on the second runs its own.
	srv.emit(t, "NotificationClosed", uint32(1), uint32(2))
	srv.emit(t, "ActionInvoked", uint32(1), "default")
	srv.emit(t, "ActionInvoked", uint32(2), "default")
	select {
	case which := <-clicked:
		if which != "second" {
			t.Fatalf("the click ran the %s notification's function", which)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the click ran nothing")
	}
	// A second click on the same notification runs nothing more.
	srv.emit(t, "ActionInvoked", uint32(2), "default")
	select {
	case which := <-clicked:
		t.Fatalf("the %s function ran again", which)
	case <-time.After(200 * time.Millisecond):
	}
}

func TestAServiceWithoutActionsIsNotUsed(t *testing.T) {
	dbustest.SessionBus(t)
	startServer(t, "body")
	if _, err := notify.New("Kaiku"); !errors.Is(err, notify.ErrUnavailable) {
		t.Fatalf("a service without actions: %v, want ErrUnavailable", err)
	}
}

func TestNoServiceIsUnavailable(t *testing.T) {
	dbustest.SessionBus(t)
	if _, err := notify.New("Kaiku"); !errors.Is(err, notify.ErrUnavailable) {
		t.Fatalf("no service: %v, want ErrUnavailable", err)
	}
}
