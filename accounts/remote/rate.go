package remote

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultRateWait is how long Kaiku waits after a rate limit whose answer
// did not say when it lifts.
const DefaultRateWait = 5 * time.Minute

// RateReset reads when a rate limit lifts from an answer's headers:
// X-RateLimit-Reset or RateLimit-Reset (an ISO 8601 time, as Mastodon
// sends, or Unix seconds, as Bluesky sends), else Retry-After (seconds or
// an HTTP date), else DefaultRateWait from now. A reset in the past means
// now.
func RateReset(h http.Header, now time.Time) time.Time {
	for _, name := range []string{"X-RateLimit-Reset", "RateLimit-Reset"} {
		if t, ok := parseReset(h.Get(name), now); ok {
			return later(t, now)
		}
	}
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if sec, err := strconv.ParseInt(v, 10, 64); err == nil && sec >= 0 {
			return now.Add(time.Duration(sec) * time.Second)
		}
		if t, err := http.ParseTime(v); err == nil {
			return later(t, now)
		}
	}
	return now.Add(DefaultRateWait)
}

func parseReset(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		// The IETF draft's RateLimit-Reset is seconds from now; Bluesky's
		// and X's are Unix times. A Unix time is far larger than any wait.
		if n < 1_000_000_000 {
			return now.Add(time.Duration(n) * time.Second), true
		}
		return time.Unix(n, 0), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00", "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func later(t, now time.Time) time.Time {
	if t.Before(now) {
		return now
	}
	return t
}

// Sleep waits d, or until ctx ends, and returns ctx's error then: the
// clients' and the outbox's waits between tries, which tests replace.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
