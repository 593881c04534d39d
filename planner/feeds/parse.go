// Package feeds reads what the reading list follows: RSS 0.9x, 1.0 and 2.0,
// Atom 1.0 and JSON Feed 1.x documents (through gofeed), the feed links of an
// HTML page, and OPML subscription lists. It turns them into the planner's
// Feed and Item: plain-text titles and summaries, absolute links, instants in
// UTC, and stable item identities. It does no I/O of its own.
package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/kaiku-app/kaiku/planner"
)

// ErrNotAFeed is wrapped by a *NotAFeedError.
var ErrNotAFeed = errors.New("not a feed")

// NotAFeedError is a document that is no feed Kaiku can read.
type NotAFeedError struct {
	// HTML is true when the document is a web page, where Discover may find
	// the feed's address.
	HTML   bool
	Detail string
}

func (e *NotAFeedError) Error() string {
	if e.HTML {
		return "the address is a web page, not a feed"
	}
	if e.Detail == "" {
		return "the document is not an RSS, Atom or JSON feed"
	}
	return "the document is not an RSS, Atom or JSON feed (" + e.Detail + ")"
}

func (e *NotAFeedError) Is(target error) bool { return target == ErrNotAFeed }

// Document is a feed document, read.
type Document struct {
	Title   string
	SiteURL string
	Entries []Entry
}

// Entry is one item of a document, before it belongs to a stored feed.
type Entry struct {
	GUID    string
	Title   string
	URL     string
	Summary string
	// Published is zero when the feed gave no date Kaiku could read.
	Published time.Time
}

// Parse reads a feed document fetched from docURL (its address after
// redirects), whose Content-Type was contentType.
func Parse(body []byte, contentType, docURL string) (Document, error) {
	base, err := url.Parse(docURL)
	if err != nil {
		return Document{}, fmt.Errorf("the feed's address %q: %w", docURL, err)
	}
	text, _ := toUTF8(body, contentType)
	if looksLikeHTML(text) {
		return Document{}, &NotAFeedError{HTML: true}
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(text))
	if err != nil {
		return Document{}, &NotAFeedError{Detail: parseProblem(err)}
	}
	// Any JSON object parses; a JSON Feed says which version it is.
	if f.FeedType == "json" && !strings.Contains(f.FeedVersion, "jsonfeed.org/version/") {
		return Document{}, &NotAFeedError{Detail: "the JSON has no JSON Feed version"}
	}
	doc := Document{
		Title:   Shorten(PlainText(f.Title), titleRunes),
		SiteURL: resolve(base, f.Link),
	}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		doc.Entries = append(doc.Entries, entry(base, it))
	}
	if doc.Title == "" {
		doc.Title = hostTitle(doc.SiteURL, docURL)
	}
	return doc, nil
}

func entry(base *url.URL, it *gofeed.Item) Entry {
	e := Entry{
		GUID:  strings.TrimSpace(it.GUID),
		Title: Shorten(PlainText(it.Title), titleRunes),
		URL:   resolve(base, it.Link),
	}
	if e.URL == "" {
		for _, l := range it.Links {
			if e.URL = resolve(base, l); e.URL != "" {
				break
			}
		}
	}
	// An RSS guid is a permalink unless it says otherwise; use it as the link.
	if e.URL == "" && planner.WebURL(e.GUID) {
		e.URL = e.GUID
	}
	summary := it.Description
	if strings.TrimSpace(PlainText(summary)) == "" {
		summary = it.Content
	}
	e.Summary = Shorten(PlainText(summary), SummaryRunes)
	if e.Title == "" {
		e.Title = Shorten(e.Summary, 100)
	}
	switch {
	case it.PublishedParsed != nil:
		e.Published = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		e.Published = it.UpdatedParsed.UTC()
	}
	return e
}

// resolve makes ref absolute against base (xml:base, where the feed gave
// one, was applied by the parser already); "" for what is not a web link.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	abs := base.ResolveReference(u).String()
	if !planner.WebURL(abs) || len(abs) > planner.MaxFeedURL {
		return ""
	}
	return abs
}

// hostTitle names a feed without a title by its site's host.
func hostTitle(urls ...string) string {
	for _, s := range urls {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			return strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	return ""
}

// looksLikeHTML tells a web page from a feed by its first markup.
func looksLikeHTML(b []byte) bool {
	s := bytes.ToLower(bytes.TrimLeft(b[:min(len(b), 1024)], " \t\r\n"))
	return bytes.HasPrefix(s, []byte("<!doctype html")) || bytes.HasPrefix(s, []byte("<html")) ||
		(bytes.HasPrefix(s, []byte("<!--")) && bytes.Contains(s, []byte("<html")))
}

// parseProblem says in a few words why gofeed refused the document.
func parseProblem(err error) string {
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return "its format was not recognised"
	}
	msg := err.Error()
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return msg
}

// Items turns the document's entries into items of the feed, as first seen
// at now: each gets its ID from its GUID, else its link, else its title and
// text; an entry without a date is dated now, and one dated more than a day
// ahead (a clock or a typing mistake) is dated now, so that it does not stay
// at the top of the list.
func (d Document) Items(feedID string, now time.Time) []planner.Item {
	now = now.UTC()
	out := make([]planner.Item, 0, len(d.Entries))
	seen := map[string]bool{}
	for _, e := range d.Entries {
		key := identity(e)
		if key == "" || (e.Title == "" && e.URL == "") {
			continue // nothing to show or open
		}
		id := planner.ItemID(feedID, key)
		if seen[id] {
			continue // a feed that lists an entry twice
		}
		seen[id] = true
		it := planner.Item{
			ID: id, FeedID: feedID, GUID: e.GUID, Title: e.Title, URL: e.URL,
			Summary: e.Summary, Published: e.Published, Added: now,
		}
		if it.Published.IsZero() || it.Published.After(now.Add(24*time.Hour)) {
			it.Published = now
		}
		if len(it.GUID) > planner.MaxFeedURL {
			it.GUID = ""
		}
		out = append(out, it)
	}
	return out
}

// identity is what makes an entry the same one when fetched again.
func identity(e Entry) string {
	switch {
	case e.GUID != "" && len(e.GUID) <= planner.MaxFeedURL:
		return "guid:" + e.GUID
	case e.URL != "":
		return "link:" + e.URL
	case e.Title != "" || e.Summary != "":
		return "text:" + e.Title + "\x00" + e.Summary
	}
	return ""
}
