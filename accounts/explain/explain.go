// Package explain says, in the user's words, what became of linking an
// account or publishing a post: the translation keys the accounts packages
// hand to the app, their English text (the fallback where no translation is
// loaded), and Error, a failure with such a key. Every message about a
// network names it and says what to do.
package explain

import (
	"errors"
	"sort"

	"github.com/kaiku-app/kaiku/planner"
)

// Error is a failure Kaiku can explain to the user. Key names the translation
// of what happened and what to do; Msg is its English text, for logs and as
// the translation's fallback. No field ever holds a token or a secret.
type Error struct {
	Key    string
	Msg    string
	Detail string // the network's own words, when it gave any
	Status int    // the HTTP status, 0 when there was no answer
	Err    error  // the cause
}

func (e *Error) Error() string {
	msg := e.Msg
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// New is the error of a key, caused by cause (which may be nil).
func New(key string, cause error) *Error {
	return &Error{Key: key, Msg: Message(key), Err: cause}
}

// As finds the *Error in err.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// For is the key of a message about a network: base as it is for X, whose
// messages came first, else base + "." + the network, as
// "outbox.error.relink.mastodon".
func For(base string, n planner.Network) string {
	if n == planner.NetworkX || n == "" {
		return base
	}
	return base + "." + string(n)
}

// Message returns the English text of a key, for use as the fallback of a
// translation; an unknown key comes back as is.
func Message(key string) string {
	if m, ok := messages[key]; ok {
		return m
	}
	return key
}

// Keys lists, sorted, every translation key the accounts packages can hand
// to the app: errors, post states and notifications.
func Keys() []string {
	keys := make([]string, 0, len(messages))
	for k := range messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Relinking reports whether a post held back with this key waits until its
// account is linked again.
func Relinking(key string) bool {
	switch key {
	case SecretsDamaged, Project:
		return true
	}
	for _, n := range planner.Networks() {
		switch key {
		case For(Relink, n), For(Permission, n), For(Expired, n):
			return true
		}
	}
	return false
}
