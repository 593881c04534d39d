package accounts

import (
	"context"
	"html"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/kaiku-app/kaiku/planner"
)

// Publisher sends posts through one linked account. The outbox sends a
// thread one part at a time, each replying to the part before, and records
// each part before it sends the next.
type Publisher interface {
	// Publish sends one post, or one part of a thread when replyTo names the
	// part it continues. A failure is an *Error.
	Publish(ctx context.Context, text, replyTo string) (Remote, error)
	// Recent lists the account's own posts since a time, newest first, so
	// that a post whose fate is unknown can be looked for before it is sent
	// again.
	Recent(ctx context.Context, since time.Time) ([]Remote, error)
}

// Remote is a post as the network has it.
type Remote struct {
	ID      string    // the network's ID of the post
	URL     string    // where people see it
	Text    string    // as the network returns it (it may shorten links)
	ReplyTo string    // the ID of the post it replies to, if any
	At      time.Time // when it was posted, if known
}

// PostTexts is what a post says on a network, in order: a thread's parts, or
// the network's own variant of the text, or the text.
func PostTexts(p planner.Post, n planner.Network) []string {
	if len(p.Parts) > 0 {
		return p.Parts
	}
	if v := p.Variants[n]; strings.TrimSpace(v) != "" {
		return []string{v}
	}
	return []string{p.Text}
}

var (
	linkPattern  = regexp.MustCompile(`https?://\S+`)
	spacePattern = regexp.MustCompile(`\s+`)
)

// sameText compares a text Kaiku sent with the network's copy, which has
// HTML entities, shortened links and NFC normalisation of its own.
func sameText(sent, remote string) bool {
	return normalizeText(sent) == normalizeText(html.UnescapeString(remote))
}

func normalizeText(s string) string {
	s = norm.NFC.String(s)
	s = linkPattern.ReplaceAllString(s, "<link>")
	return strings.TrimSpace(spacePattern.ReplaceAllString(s, " "))
}

// findSent looks among the account's recent posts for text sent as a reply
// to replyTo ("" for a thread's first part) since a time.
func findSent(ctx context.Context, pub Publisher, text, replyTo string, since time.Time) (Remote, bool, error) {
	recent, err := pub.Recent(ctx, since)
	if err != nil {
		return Remote{}, false, err
	}
	// Oldest first: a part found twice went out the first time.
	for i := len(recent) - 1; i >= 0; i-- {
		r := recent[i]
		if r.ReplyTo == replyTo && sameText(text, r.Text) {
			return r, true, nil
		}
	}
	return Remote{}, false, nil
}
