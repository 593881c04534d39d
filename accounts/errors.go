package accounts

import (
	"errors"
	"time"
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

	kind      kind
	reset     time.Time // when a rate limit lifts
	maybeSent bool      // the request may have reached the network
	lookAgain bool      // kindUnknown: a later look may settle it
}

// kind decides what the outbox does after a failure.
type kind int

const (
	kindOther    kind = iota
	kindAuth          // the account must be linked again; the post waits
	kindRejected      // the network refused this post; it fails
	kindRate          // a rate limit; the post waits for the reset
	kindServer        // the network had trouble; retry with backoff
	kindNetwork       // no answer; retry, and wait while offline
	kindUnknown       // the post may have gone out and Kaiku could not find out
	kindSecrets       // the keyring did not answer; the post waits
)

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

func newError(key string, cause error) *Error {
	return &Error{Key: key, Msg: Message(key), Err: cause}
}

// transient reports whether the failure may pass by itself.
func (e *Error) transient() bool {
	switch e.kind {
	case kindNetwork, kindServer, kindRate, kindSecrets:
		return true
	}
	return false
}

// asError finds the *Error in err, or wraps err as an unexpected failure.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Key: keyUnexpected, Msg: Message(keyUnexpected), Err: err}
}
