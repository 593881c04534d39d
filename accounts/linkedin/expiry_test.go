package linkedin_test

import (
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts/linkedin"
)

func TestExpiryHelpers(t *testing.T) {
	linked := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	expires := linked.Add(5183999 * time.Second) // LinkedIn's 60 days
	day := 24 * time.Hour
	for _, tc := range []struct {
		name    string
		now     time.Time
		days    int
		soon    bool
		expired bool
	}{
		{"just linked", linked, 60, false, false},
		{"a month on", linked.Add(30 * day), 30, false, false},
		{"eight days left", expires.Add(-8 * day), 8, false, false},
		{"a week left", expires.Add(-7 * day), 7, true, false},
		{"an hour left", expires.Add(-time.Hour), 1, true, false},
		{"a second left", expires.Add(-time.Second), 1, true, false},
		{"the moment it ends", expires, 0, false, true},
		{"long after", expires.Add(100 * day), 0, false, true},
	} {
		if got := linkedin.DaysLeft(expires, tc.now); got != tc.days {
			t.Errorf("%s: %d days left, want %d", tc.name, got, tc.days)
		}
		if got := linkedin.ExpiresSoon(expires, tc.now); got != tc.soon {
			t.Errorf("%s: ExpiresSoon %v", tc.name, got)
		}
		if got := linkedin.Expired(expires, tc.now); got != tc.expired {
			t.Errorf("%s: Expired %v", tc.name, got)
		}
	}
	if linkedin.DueAfterExpiry(expires, expires.Add(-time.Minute)) {
		t.Error("a post due a minute before the end is flagged")
	}
	if !linkedin.DueAfterExpiry(expires, expires) || !linkedin.DueAfterExpiry(expires, expires.Add(3*day)) {
		t.Error("a post due at or after the end is not flagged")
	}
	// An expiry nobody knows flags nothing.
	var unknown time.Time
	if linkedin.DaysLeft(unknown, linked) != 0 || linkedin.ExpiresSoon(unknown, linked) || linkedin.Expired(unknown, linked) || linkedin.DueAfterExpiry(unknown, linked) {
		t.Error("an unknown expiry says something")
	}
}
