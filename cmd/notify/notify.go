// Package notify shows desktop notifications that answer a click. Fyne's
// notifications cannot tell when one is clicked; where the desktop has the
// freedesktop.org notification service (Linux and the BSDs), this one asks
// for a default action and runs a function when the user clicks it.
package notify

import "errors"

// ErrUnavailable: the desktop has no notification service that answers a
// click; show the notification another way.
var ErrUnavailable = errors.New("notify: no notification service that answers a click")

// Notifier sends notifications; Send and Close may be called from any
// goroutine.
type Notifier struct {
	impl
}

// New connects to the desktop's notification service, or returns
// ErrUnavailable (wrapped) when there is none that takes actions.
func New(appName string) (*Notifier, error) {
	n := &Notifier{}
	if err := n.open(appName); err != nil {
		return nil, err
	}
	return n, nil
}

// Send shows a notification; a click on it, or on its button labelled
// action, runs onClick on the service's own goroutine. onClick may be nil.
func (n *Notifier) Send(title, body, action string, onClick func()) error {
	return n.send(title, body, action, onClick)
}

// Close disconnects; clicks after it are not answered.
func (n *Notifier) Close() error { return n.close() }
