//go:build linux || freebsd || openbsd || netbsd || dragonfly

package notify

import (
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/godbus/dbus/v5"
)

// The freedesktop.org Desktop Notifications service
// (specifications.freedesktop.org/notification-spec).
const (
	service = "org.freedesktop.Notifications"
	path    = "/org/freedesktop/Notifications"
	iface   = "org.freedesktop.Notifications"
)

type impl struct {
	conn    *dbus.Conn
	appName string
	mu      sync.Mutex
	clicks  map[uint32]func() // by notification ID, until it closes
	signals chan *dbus.Signal
	done    chan struct{}
}

func (n *impl) open(appName string) error {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" && os.Getenv("XDG_RUNTIME_DIR") == "" {
		return ErrUnavailable
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	var caps []string
	if err := conn.Object(service, path).Call(iface+".GetCapabilities", 0).Store(&caps); err != nil || !slices.Contains(caps, "actions") {
		conn.Close()
		if err == nil {
			err = fmt.Errorf("the service does not take actions")
		}
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	if err := conn.AddMatchSignal(dbus.WithMatchObjectPath(path), dbus.WithMatchInterface(iface)); err != nil {
		conn.Close()
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	n.conn, n.appName = conn, appName
	n.clicks = map[uint32]func(){}
	n.signals = make(chan *dbus.Signal, 16)
	n.done = make(chan struct{})
	conn.Signal(n.signals)
	go n.listen()
	return nil
}

func (n *impl) listen() {
	defer close(n.done)
	for s := range n.signals {
		if len(s.Body) < 1 {
			continue
		}
		id, ok := s.Body[0].(uint32)
		if !ok {
			continue
		}
		switch s.Name {
		case iface + ".ActionInvoked":
			n.mu.Lock()
			click := n.clicks[id]
			delete(n.clicks, id)
			n.mu.Unlock()
			if click != nil {
				click()
			}
		case iface + ".NotificationClosed":
			n.mu.Lock()
			delete(n.clicks, id)
			n.mu.Unlock()
		}
	}
}

func (n *impl) send(title, body, action string, onClick func()) error {
	// "default" is the action of a click on the notification itself; the
	// label shows where the service draws a button for it.
	actions := []string{"default", action}
	hints := map[string]dbus.Variant{}
	var id uint32
	// The lock is held across the call so that a click on the new
	// notification, however quick, finds its function.
	n.mu.Lock()
	defer n.mu.Unlock()
	err := n.conn.Object(service, path).Call(iface+".Notify", 0,
		n.appName, uint32(0), "", title, body, actions, hints, int32(-1)).Store(&id)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if onClick != nil {
		n.clicks[id] = onClick
	}
	return nil
}

func (n *impl) close() error {
	if n.conn == nil {
		return nil
	}
	n.conn.RemoveSignal(n.signals)
	close(n.signals)
	<-n.done
	return n.conn.Close()
}
