package textrules

import "strings"

// Rules are one account's own limits on its network, where they differ from
// the network's defaults: a Mastodon instance sets its own length and what a
// link counts. Zero fields keep the defaults.
type Rules struct {
	Limit     int // the longest post, in the network's unit (see Count)
	URLWeight int // Mastodon: the characters a link counts
}

// CountWith measures text for network n under an account's rules.
func CountWith(n Network, text string, r Rules) Result {
	if n != Mastodon || r.URLWeight <= 0 || r.URLWeight == mastodonURLLength {
		return CountWithLimit(n, text, r.Limit)
	}
	limit := r.Limit
	if limit <= 0 {
		limit = Limit(n)
	}
	length := mastodonLengthWith(text, r.URLWeight)
	return Result{Network: n, Length: length, Limit: limit, Valid: length <= limit && strings.TrimSpace(text) != ""}
}
