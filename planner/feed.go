package planner

import (
	"crypto/sha256"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Feed is a source the user follows: an RSS, Atom or JSON feed. Besides
// what the user sees, it keeps what a polite refresh needs: the validators
// of the last answer and the backoff of a feed that keeps failing.
type Feed struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// URL is the feed document's address.
	URL string `json:"url"`
	// SiteURL is the address of the site the feed belongs to.
	SiteURL string `json:"site_url,omitempty"`
	// Folder groups feeds, as OPML outlines do; empty is none.
	Folder string `json:"folder,omitempty"`
	// ETag and LastModified are the last answer's validators, sent back
	// so that an unchanged feed answers 304 Not Modified.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Fetched is when the feed was last refreshed, changed or not; zero
	// before its first successful refresh.
	Fetched time.Time `json:"fetched,omitzero"`
	// LastError is why the last refresh failed; nil when it worked.
	LastError *FeedError `json:"last_error,omitempty"`
	// Failures counts failed refreshes since the last success, and
	// BackoffUntil is when the feed may be asked again.
	Failures     int       `json:"failures,omitempty"`
	BackoffUntil time.Time `json:"backoff_until,omitzero"`
	Created      time.Time `json:"created"`
}

// FeedError says why a feed's refresh failed: a code the app translates,
// the HTTP status for code "status", and the details in English for the log.
type FeedError struct {
	Code   FeedErrorCode `json:"code"`
	Status int           `json:"status,omitempty"`
	Text   string        `json:"text"`
	At     time.Time     `json:"at"`
}

// FeedErrorCode names a kind of refresh failure.
type FeedErrorCode string

// The kinds of refresh failure; FeedErrorKey gives each one's translation key.
const (
	FeedErrNetwork   FeedErrorCode = "network"    // no connection, no such host, a bad certificate
	FeedErrTimeout   FeedErrorCode = "timeout"    // no answer in time
	FeedErrStatus    FeedErrorCode = "status"     // the server answered with an error status
	FeedErrTooLarge  FeedErrorCode = "too-large"  // the document is over the size limit
	FeedErrNotAFeed  FeedErrorCode = "not-a-feed" // what came back is no feed Kaiku can read
	FeedErrAddress   FeedErrorCode = "address"    // the address is not a web address
	FeedErrRedirects FeedErrorCode = "redirects"  // too many redirects
)

// FeedErrorCodes lists the codes.
func FeedErrorCodes() []FeedErrorCode {
	return []FeedErrorCode{FeedErrNetwork, FeedErrTimeout, FeedErrStatus, FeedErrTooLarge, FeedErrNotAFeed, FeedErrAddress, FeedErrRedirects}
}

// FeedErrorKey is the translation key of the code's message; the message
// may use {{.Status}} and {{.Detail}}.
func FeedErrorKey(c FeedErrorCode) string { return "feeds.error." + string(c) }

// Item is one entry of a feed, kept for the reading list.
type Item struct {
	ID     string `json:"id"`
	FeedID string `json:"feed_id"`
	// GUID is the feed's own identity for the item (RSS guid, Atom id,
	// JSON Feed id); empty when it gave none and the link identifies it.
	GUID  string `json:"guid,omitempty"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
	// Published is when the feed says the item appeared, or when Kaiku
	// first saw it if the feed does not say.
	Published time.Time `json:"published"`
	// Summary is plain text, bounded; see planner/feeds.
	Summary string `json:"summary,omitempty"`
	Read    bool   `json:"read,omitempty"`
	// ReadAt is when the item was marked read, for the week's review;
	// zero for an item read before Kaiku kept the time.
	ReadAt time.Time `json:"read_at,omitzero"`
	Saved  bool      `json:"saved,omitempty"`
	// SharedPostID names the post that shared the item, if one did.
	SharedPostID string `json:"shared_post_id,omitempty"`
	// Added is when Kaiku first stored the item.
	Added time.Time `json:"added"`
}

// Bounds of what a feed or an item may hold.
const (
	MaxFeedTitle    = 2000
	MaxFeedURL      = 4096
	MaxFolder       = 1000
	MaxItemTitle    = 2000
	MaxItemSummary  = 4000
	MaxErrorText    = 1000
	maxValidatorLen = 1000
)

// Retention: an item is kept while it is among its feed's newest
// ItemsPerFeed and less than ItemMaxAge old; saved items, and items the user
// shared, are kept for ever.
const (
	ItemMaxAge   = 90 * 24 * time.Hour
	ItemsPerFeed = 500
)

// KeptForEver reports whether the retention never removes the item.
func (it Item) KeptForEver() bool { return it.Saved || it.SharedPostID != "" }

// Validate checks the feed.
func (f Feed) Validate() error {
	if !validID(f.ID) {
		return invalid("id", "error.id", "missing or malformed feed id")
	}
	if err := checkText("title", f.Title, MaxFeedTitle); err != nil {
		return err
	}
	if !WebURL(f.URL) || len(f.URL) > MaxFeedURL {
		return invalid("url", "error.feed.url", "the feed's address is not a web address")
	}
	if f.SiteURL != "" && (!WebURL(f.SiteURL) || len(f.SiteURL) > MaxFeedURL) {
		return invalid("site_url", "error.feed.url", "the site's address is not a web address")
	}
	if err := checkText("folder", f.Folder, MaxFolder); err != nil {
		return err
	}
	if len(f.ETag) > maxValidatorLen || len(f.LastModified) > maxValidatorLen {
		return invalid("etag", "error.feed.validator", "the feed's validators are too long")
	}
	if f.Failures < 0 {
		return invalid("failures", "error.feed.failures", "the failure count cannot be negative")
	}
	if e := f.LastError; e != nil {
		known := false
		for _, c := range FeedErrorCodes() {
			known = known || e.Code == c
		}
		if !known {
			return invalid("last_error", "error.feed.error_code", "unknown feed error code "+string(e.Code))
		}
		if err := checkText("last_error", e.Text, MaxErrorText); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks the item.
func (it Item) Validate() error {
	if !validID(it.ID) {
		return invalid("id", "error.id", "missing or malformed item id")
	}
	if !validID(it.FeedID) {
		return invalid("feed_id", "error.id", "missing or malformed feed id")
	}
	if strings.TrimSpace(it.Title) == "" && it.URL == "" {
		return invalid("title", "error.item.empty", "an item needs a title or a link")
	}
	if err := checkText("title", it.Title, MaxItemTitle); err != nil {
		return err
	}
	if err := checkText("summary", it.Summary, MaxItemSummary); err != nil {
		return err
	}
	if err := checkText("guid", it.GUID, MaxFeedURL); err != nil {
		return err
	}
	if it.URL != "" && (!WebURL(it.URL) || len(it.URL) > MaxFeedURL) {
		return invalid("url", "error.item.url", "the item's link is not a web address")
	}
	if it.Published.IsZero() {
		return invalid("published", "error.item.published", "an item needs a time")
	}
	if it.SharedPostID != "" && !validID(it.SharedPostID) {
		return invalid("shared_post_id", "error.id", "malformed post id")
	}
	return nil
}

// checkText refuses text that is not UTF-8 or is longer than limit bytes.
func checkText(field, s string, limit int) error {
	if !utf8.ValidString(s) {
		return invalid(field, "error.text.utf8", "the "+field+" is not valid UTF-8")
	}
	if len(s) > limit {
		return invalid(field, "error.text.too_long", "the "+field+" is too long")
	}
	return nil
}

// WebURL reports whether s is an absolute http or https address with a host.
func WebURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// ItemID is the ID of the feed's item whose identity is key (its GUID, or
// else its link): the same item fetched again gets the same ID.
func ItemID(feedID, key string) string {
	sum := sha256.Sum256([]byte(feedID + "\x00" + key))
	return idEncoding.EncodeToString(sum[:16])
}

// ItemQuery picks items for the reading list; the zero query is every item.
type ItemQuery struct {
	Unread bool   // only items not read
	Saved  bool   // only saved items
	FeedID string // only this feed's items
	Folder string // only items of feeds in this folder
	// Text keeps items whose title or summary holds it, ignoring case.
	Text string
	// Limit is the most items returned, newest first; 0 is no limit.
	Limit int
}

// ShareText is the text of a post that shares the item with the user's
// comment: the comment, then the item's title with a credit to its source,
// then its link. commentEnd is the byte offset where the comment ends, for
// a composer that puts the cursor there.
func ShareText(comment string, it Item, source string) (text string, commentEnd int) {
	comment = strings.TrimSpace(comment)
	var b strings.Builder
	b.WriteString(comment)
	commentEnd = b.Len()
	b.WriteString("\n\n")
	title := strings.TrimSpace(it.Title)
	source = strings.TrimSpace(source)
	switch {
	case title != "" && source != "":
		b.WriteString(title + " (via " + source + ")")
	case title != "":
		b.WriteString(title)
	case source != "":
		b.WriteString("via " + source)
	}
	if it.URL != "" {
		if title != "" || source != "" {
			b.WriteString("\n")
		}
		b.WriteString(it.URL)
	}
	return b.String(), commentEnd
}

// CanonicalURL is the form by which two feed addresses are the same feed:
// the host in lower case without its default port or a "www.", the path
// without a trailing slash, the query kept, the fragment and the scheme
// dropped (a site's feed over http and https is one feed).
func CanonicalURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(s)
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimPrefix(host, "www.")
	if p := u.Port(); p != "" && !(p == "80" && u.Scheme == "http") && !(p == "443" && u.Scheme == "https") {
		host += ":" + p
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	out := "//" + host + path
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}
