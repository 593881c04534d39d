package linkedin

import "time"

// WarnBefore is how long before a token ends Kaiku warns that the account
// must soon be linked again.
const WarnBefore = 7 * 24 * time.Hour

// A token ends at an expiry time (Token.Expires, kept with the account);
// the zero time means it is not known, and then none of these say
// anything is wrong.

// DaysLeft is how many days a token ending at expires has at now, a part
// of a day counting as a day: 60 just after linking, 1 on its last day, 0
// once it has ended or when the expiry is not known.
func DaysLeft(expires, now time.Time) int {
	if expires.IsZero() || !now.Before(expires) {
		return 0
	}
	left := expires.Sub(now)
	return int((left + 24*time.Hour - 1) / (24 * time.Hour))
}

// Expired reports whether a token ending at expires has ended at now.
func Expired(expires, now time.Time) bool {
	return !expires.IsZero() && !now.Before(expires)
}

// ExpiresSoon reports whether a token ending at expires is in its last
// week (WarnBefore) at now, and has not ended yet.
func ExpiresSoon(expires, now time.Time) bool {
	return !expires.IsZero() && now.Before(expires) && expires.Sub(now) <= WarnBefore
}

// DueAfterExpiry reports whether a post due at due would find the token
// ending at expires already ended: it cannot go out unless the account is
// linked again first.
func DueAfterExpiry(expires, due time.Time) bool {
	return !expires.IsZero() && !due.Before(expires)
}
