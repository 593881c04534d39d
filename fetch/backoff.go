package fetch

import (
	"errors"
	"net/http"
	"time"
)

// Backoff is how a source that keeps failing is left alone for longer each
// time: 15 minutes after the first failure, doubling to at most a day, and
// never before the server's own Retry-After. The caller stores it beside the
// source; the zero Backoff is a source in good health.
type Backoff struct {
	// Failures counts the failures since the last success.
	Failures int
	// Until is when the source may be asked again.
	Until time.Time
}

// The backoff schedule.
const (
	FirstBackoff = 15 * time.Minute
	MaxBackoff   = 24 * time.Hour
	// MaxRetryAfter caps a server's Retry-After: a source is never left for longer.
	MaxRetryAfter = 7 * 24 * time.Hour
)

// Ready reports whether the source may be asked at now.
func (b Backoff) Ready(now time.Time) bool { return !now.Before(b.Until) }

// Failed is the backoff after the request at now failed with err. A server
// that answered 429 or 503 with Retry-After is not asked before then; a
// rate limit without Retry-After counts like any other failure.
func (b Backoff) Failed(now time.Time, err error) Backoff {
	b.Failures++
	wait := FirstBackoff
	for i := 1; i < b.Failures && wait < MaxBackoff; i++ {
		wait *= 2
	}
	wait = min(wait, MaxBackoff)
	until := now.Add(wait)
	if ra := RetryAfter(err); !ra.IsZero() {
		if ra.After(now.Add(MaxRetryAfter)) {
			ra = now.Add(MaxRetryAfter)
		}
		if ra.After(until) {
			until = ra
		}
	}
	b.Until = until
	return b
}

// Succeeded is the backoff after a request that worked: none.
func (b Backoff) Succeeded() Backoff { return Backoff{} }

// RetryAfter is when the server behind err asked to be asked again: the
// Retry-After of a 429, a 503 or a 3xx the client did not follow. Zero when
// err says nothing of it.
func RetryAfter(err error) time.Time {
	var se *StatusError
	if !errors.As(err, &se) {
		return time.Time{}
	}
	// RFC 9110 gives Retry-After meaning on these; RFC 6585 adds 429.
	if se.Status == http.StatusTooManyRequests || se.Status == http.StatusServiceUnavailable ||
		(se.Status >= 300 && se.Status < 400) {
		return se.RetryAfter
	}
	return time.Time{}
}
