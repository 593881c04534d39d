package outbox

import (
	"time"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// failure is a publisher's error as the outbox acts on it.
type failure struct {
	kind      remote.Kind
	key       string // what to tell the user
	detail    string // the network's own words
	status    int
	reset     time.Time // a rate limit's end
	maybeSent bool      // the request may have reached the network
}

// classify reads an error from a network n: its kind from the
// *remote.Error, its message from an *explain.Error around it, else from
// the kind.
func classify(n planner.Network, err error) failure {
	f := failure{kind: remote.KindOther}
	if re, ok := remote.As(err); ok {
		f.kind, f.detail, f.status, f.reset, f.maybeSent = re.Kind, re.Detail, re.Status, re.Reset, re.MaybeSent
	}
	if ee, ok := explain.As(err); ok {
		f.key = ee.Key
		if f.detail == "" {
			f.detail = ee.Detail
		}
	}
	if f.key == "" {
		f.key = kindKey(f.kind, n)
	}
	return f
}

// kindKey is the message of a kind of failure on a network.
func kindKey(k remote.Kind, n planner.Network) string {
	switch k {
	case remote.KindAuth:
		return explain.For(explain.Relink, n)
	case remote.KindRejected:
		return explain.For(explain.Rejected, n)
	case remote.KindRate:
		return explain.For(explain.RateLimited, n)
	case remote.KindServer:
		return explain.For(explain.Server, n)
	case remote.KindNetwork:
		return explain.For(explain.Offline, n)
	case remote.KindUnknownFate:
		return explain.For(explain.Interrupted, n)
	}
	return explain.Unexpected
}

// transient reports whether the failure may pass by itself.
func (f failure) transient() bool {
	switch f.kind {
	case remote.KindNetwork, remote.KindServer, remote.KindRate:
		return true
	}
	return false
}

// unknownFate is a part that may have gone out, and a look could not tell;
// lookAgain says whether a later look may (X's Free tier, for one, may not
// read timelines at all).
type unknownFate struct {
	cause     error
	lookAgain bool
}

func (u *unknownFate) Error() string { return "the part may have gone out: " + u.cause.Error() }

func (u *unknownFate) Unwrap() error { return u.cause }

func backoff(attempt int) time.Duration {
	return min(2*time.Second<<attempt, time.Minute)
}
