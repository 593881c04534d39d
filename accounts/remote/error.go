package remote

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaiku-app/kaiku/planner"
)

// Kind says what the outbox does after a failure.
type Kind int

// The kinds of failure.
const (
	// KindOther is a failure nobody planned for: a bug, or an answer that
	// made no sense. Nothing was published.
	KindOther Kind = iota
	// KindAuth: the network no longer accepts Kaiku's access; the account
	// must be linked again and the post waits.
	KindAuth
	// KindRejected: the network refused this request (too long, a
	// duplicate, a reply to a post that is gone); sending it again as it is
	// fails again.
	KindRejected
	// KindRate: a rate limit; Reset says when to try again.
	KindRate
	// KindServer: the network had trouble; try again later.
	KindServer
	// KindNetwork: no answer at all, as when the computer is offline.
	KindNetwork
	// KindUnknownFate: the request may have gone through and a look at the
	// network could not settle it. The clients never return it themselves
	// (they say MaybeSent); the caller that looked and could not tell does.
	KindUnknownFate
)

var kindNames = [...]string{"failed", "needs relinking", "rejected", "rate limited", "server trouble", "no answer", "fate unknown"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// DetailLimit is how many bytes of the network's own words an Error keeps.
const DetailLimit = 300

// Error is a failed request to a network. It never holds a secret: Detail
// and Code come from the message fields of the network's answer, never from
// a request.
type Error struct {
	Network planner.Network
	Op      string // what was being done, as "publish a post"
	Kind    Kind
	Status  int    // the HTTP status; 0 when there was no answer
	Code    string // the network's own error name, as "InvalidToken" or "invalid_client"
	Detail  string // the network's own words, at most DetailLimit bytes
	// Reset is when a rate limit lifts (KindRate).
	Reset time.Time
	// MaybeSent is true when the request may have reached the network and
	// taken effect although no good answer came back.
	MaybeSent bool
	Err       error // the cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Network))
	if e.Op != "" {
		b.WriteString(": ")
		b.WriteString(e.Op)
	}
	b.WriteString(": ")
	b.WriteString(e.Kind.String())
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Kind == KindRate && !e.Reset.IsZero() {
		b.WriteString("; try again after ")
		b.WriteString(e.Reset.UTC().Format(time.RFC3339))
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Transient reports whether the failure may pass by itself.
func (e *Error) Transient() bool {
	switch e.Kind {
	case KindNetwork, KindServer, KindRate:
		return true
	}
	return false
}

// As finds the *Error in err.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// KindOf is the kind of err: KindOther when it is not an *Error.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return KindOther
}

// Cut shortens s to at most n bytes, ending in "…" when it was cut, without
// splitting a character; its white space folds to single spaces so that it
// reads as one line.
func Cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	s = s[:max(n-len("…"), 0)]
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if r != utf8.RuneError || size > 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s + "…"
}
