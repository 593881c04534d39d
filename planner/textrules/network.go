package textrules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Network is a social network Kaiku posts to.
type Network string

// The networks.
const (
	X        Network = "x"
	Mastodon Network = "mastodon"
	Bluesky  Network = "bluesky"
	LinkedIn Network = "linkedin"
)

// ErrUnknownNetwork is returned, wrapped, by ParseNetwork.
var ErrUnknownNetwork = errors.New("textrules: unknown network")

// Networks lists the networks in Kaiku's display order.
func Networks() []Network { return []Network{X, Mastodon, Bluesky, LinkedIn} }

// ParseNetwork reads a network's name, ignoring case and surrounding space; it also
// knows "twitter" and "bsky".
func ParseNetwork(s string) (Network, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "x", "twitter":
		return X, nil
	case "mastodon":
		return Mastodon, nil
	case "bluesky", "bsky":
		return Bluesky, nil
	case "linkedin":
		return LinkedIn, nil
	}
	return "", fmt.Errorf("%w %q", ErrUnknownNetwork, s)
}

// Limit is a network's default length limit, in its own unit (see Count); 0 for an
// unknown network.
func Limit(n Network) int {
	switch n {
	case X:
		return V3.MaxWeightedTweetLength
	case Mastodon:
		return 500
	case Bluesky:
		return 300
	case LinkedIn:
		return 3000
	}
	return 0
}

// Result is a text's length on a network.
type Result struct {
	Network Network
	// Length is in the network's unit: X's weighted length, grapheme clusters on
	// Mastodon (URLs count 23) and Bluesky, UTF-16 code units on LinkedIn.
	Length int
	Limit  int
	// Valid is true when the text is not blank and the network would take it.
	Valid bool
}

// Count measures text for network n against its default limit. For an unknown
// network the limit is 0, the length counts code points, and the text is never valid.
func Count(n Network, text string) Result {
	return CountWithLimit(n, text, 0)
}

// CountWithLimit measures text against limit, such as a Mastodon instance's own
// (or X Premium's); a limit of 0 or less means the network's default.
func CountWithLimit(n Network, text string, limit int) Result {
	if limit <= 0 {
		limit = Limit(n)
	}
	res, _ := measure(n, text, limit)
	return res
}

// measure counts text; fits reports whether it is within the limit, whether or not it
// is otherwise valid, which is what the splitter needs.
func measure(n Network, text string, limit int) (res Result, fits bool) {
	res = Result{Network: n, Limit: limit}
	switch n {
	case X:
		cfg := V3
		cfg.MaxWeightedTweetLength = limit
		x := ParseX(text, cfg)
		// ParseX only treats ASCII space and controls as blank, as twitter-text does.
		res.Length, res.Valid = x.WeightedLength, x.Valid && strings.TrimSpace(text) != ""
		return res, res.Length <= limit
	case Mastodon:
		res.Length = mastodonLength(text)
		fits = res.Length <= limit
	case Bluesky:
		res.Length = uniseg.GraphemeClusterCount(text)
		// Bluesky's post record also caps the text's UTF-8 size, at ten bytes a grapheme.
		fits = res.Length <= limit && len(text) <= blueskyBytesPerGrapheme*limit
	case LinkedIn:
		res.Length = utf16Len(text)
		fits = res.Length <= limit
	default:
		res.Length = utf8.RuneCountInString(text)
		return res, false
	}
	res.Valid = fits && strings.TrimSpace(text) != ""
	return res, fits
}

// blueskyBytesPerGrapheme is the ratio of the post lexicon's maxLength (3000 bytes)
// to its maxGraphemes (300).
const blueskyBytesPerGrapheme = 10

// mastodonURLLength is what Mastodon counts for any link.
const mastodonURLLength = 23

// remoteMention finds user@domain mentions, which Mastodon counts as @user only.
var remoteMention = regexp.MustCompile(`(?i)(^|[^/\w])@([a-z0-9_]+)@[a-z0-9.\-]+[a-z0-9]+`)

// mastodonLength counts like Mastodon's compose form: links become 23 characters,
// remote mentions lose their domain, then grapheme clusters are counted.
func mastodonLength(text string) int { return mastodonLengthWith(text, mastodonURLLength) }

// mastodonLengthWith counts as mastodonLength does, each link counting urlWeight.
func mastodonLengthWith(text string, urlWeight int) int {
	var buf [8]span
	urls := findURLs(text, mastodonURLs, buf[:0])
	if len(urls) == 0 && strings.IndexByte(text, '@') < 0 {
		return uniseg.GraphemeClusterCount(text)
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, u := range urls {
		b.WriteString(text[last:u.start])
		b.WriteString(strings.Repeat("x", urlWeight))
		last = u.end
	}
	b.WriteString(text[last:])
	countable := b.String()
	if strings.IndexByte(countable, '@') >= 0 {
		countable = remoteMention.ReplaceAllString(countable, "$1@$2")
	}
	return uniseg.GraphemeClusterCount(countable)
}
