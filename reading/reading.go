// Package reading is the reading list's use cases, shared by the window and
// the command line: following a feed by its address or its site's, refreshing
// every feed politely, OPML import and export, and sharing an item as a post
// with the user's own comment. It joins the fetcher (package fetch, through
// the Fetcher interface), the parser (planner/feeds) and the store
// (planner.FeedStore and planner.PostStore).
package reading

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/feeds"
)

// Fetcher gets documents from the web; *fetch.Client is the real one.
type Fetcher interface {
	Get(ctx context.Context, req fetch.Request) (fetch.Response, error)
}

// Store is what the reading list keeps its feeds, items and shared posts in.
type Store interface {
	planner.FeedStore
	planner.PostStore
}

// Options configure a List.
type Options struct {
	Store   Store
	Fetcher Fetcher
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Logger gets a line per refreshed feed at debug level and per failed
	// one at info level, never a URL's secrets; nil is logrus's standard logger.
	Logger logrus.FieldLogger
	// Parallel is how many feeds are fetched at once; 0 is 4.
	Parallel int
}

// List is the reading list. It is safe for concurrent use.
type List struct {
	store    Store
	fetcher  Fetcher
	now      func() time.Time
	log      logrus.FieldLogger
	parallel int
}

// New returns the reading list over the options' store and fetcher.
func New(opts Options) *List {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = logrus.StandardLogger()
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 4
	}
	return &List{store: opts.Store, fetcher: opts.Fetcher, now: opts.Now, log: opts.Logger, parallel: opts.Parallel}
}

// acceptFeeds asks for a feed, or the page that names one.
const acceptFeeds = "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, text/html;q=0.5, */*;q=0.1"

// ErrNoFeed is wrapped by Add's error for a web page that names no feed.
var ErrNoFeed = feeds.ErrNoFeedInPage

// Add follows the feed at address, or the feed the page at address names
// (the first of its <link rel="alternate"> feeds). The feed is fetched and
// its items stored, so it is followed only if it can be read. A feed already
// followed at the same address is returned with added false, and nothing
// changes. A page that names no feed is an error wrapping ErrNoFeed, and
// nothing is added. A failure to fetch explains itself (planner.Explain).
func (l *List) Add(ctx context.Context, address, folder string) (feed planner.Feed, added bool, err error) {
	address, err = normalizeAddress(address)
	if err != nil {
		return planner.Feed{}, false, ExplainFetch(err, address, l.now())
	}
	if f, found, err := l.followed(ctx, address); err != nil || found {
		return f, false, err
	}
	feedURL, resp, doc, err := l.fetchFeed(ctx, address)
	if err != nil {
		return planner.Feed{}, false, ExplainFetch(err, address, l.now())
	}
	now := l.now().UTC()
	f := planner.Feed{
		ID: planner.NewID(), Title: doc.Title, URL: feedURL, SiteURL: doc.SiteURL, Folder: strings.TrimSpace(folder),
		ETag: resp.ETag, LastModified: resp.LastModified, Fetched: now, Created: now,
	}
	stored, added, err := l.store.AddFeed(ctx, f)
	if err != nil || !added {
		return stored, false, err
	}
	if _, err := l.store.AddItems(ctx, f.ID, l.valid(doc.Items(f.ID, now)), now); err != nil {
		// The feed is followed; its items come at the next refresh.
		l.log.WithError(err).WithField("feed", f.ID).Warn("storing a new feed's items")
	}
	l.log.WithFields(logrus.Fields{"feed": f.ID, "url": fetch.Redact(f.URL)}).Info("feed added")
	return stored, true, nil
}

// followed finds a feed already followed at the address.
func (l *List) followed(ctx context.Context, address string) (planner.Feed, bool, error) {
	fs, err := l.store.Feeds(ctx)
	if err != nil {
		return planner.Feed{}, false, err
	}
	for _, f := range fs {
		if planner.CanonicalURL(f.URL) == planner.CanonicalURL(address) {
			return f, true, nil
		}
	}
	return planner.Feed{}, false, nil
}

// fetchFeed gets the feed at address, or at the first feed link of the page
// there. feedURL is where to ask for it from now on: the address asked
// for, or where it moved for good.
func (l *List) fetchFeed(ctx context.Context, address string) (feedURL string, resp fetch.Response, doc feeds.Document, err error) {
	get := func(u string) error {
		resp, err = l.fetcher.Get(ctx, fetch.Request{URL: u, Accept: acceptFeeds})
		if err != nil {
			return err
		}
		feedURL = u
		if resp.Moved {
			feedURL = resp.URL
		}
		doc, err = feeds.Parse(resp.Body, resp.ContentType, resp.URL)
		return err
	}
	err = get(address)
	var nf *feeds.NotAFeedError
	if !errors.As(err, &nf) || !nf.HTML {
		return feedURL, resp, doc, err
	}
	links, err := feeds.Discover(resp.Body, resp.ContentType, resp.URL)
	if err != nil {
		return "", resp, feeds.Document{}, fmt.Errorf("%s: %w", fetch.Redact(resp.URL), err)
	}
	err = get(links[0].URL)
	return feedURL, resp, doc, err
}

// normalizeAddress accepts what users type: "kyla.fi" means https://kyla.fi/.
func normalizeAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s != "" && !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", &fetch.AddressError{URL: fetch.Redact(s)}
	}
	return u.String(), nil
}

// Remove stops following the feed; its saved and shared items stay.
func (l *List) Remove(ctx context.Context, feedID string) error {
	return l.store.DeleteFeed(ctx, feedID)
}

// ImportOPML follows the OPML file's feeds, in their folders, without
// fetching them: they fill at the next refresh. Feeds already followed at
// the same address are left as they are, so importing a file twice adds
// nothing the second time.
func (l *List) ImportOPML(ctx context.Context, r io.Reader) (added, existing int, err error) {
	subs, err := feeds.ReadOPML(r)
	if err != nil {
		return 0, 0, err
	}
	now := l.now().UTC()
	for _, s := range subs {
		f := planner.Feed{ID: planner.NewID(), Title: s.Title, URL: s.URL, SiteURL: s.SiteURL, Folder: s.Folder, Created: now}
		_, isNew, err := l.store.AddFeed(ctx, f)
		if err != nil {
			return added, existing, fmt.Errorf("import %s: %w", fetch.Redact(s.URL), err)
		}
		if isNew {
			added++
		} else {
			existing++
		}
	}
	return added, existing, nil
}

// ExportOPML writes the followed feeds as an OPML 2.0 file, in their folders.
func (l *List) ExportOPML(ctx context.Context, w io.Writer) error {
	fs, err := l.store.Feeds(ctx)
	if err != nil {
		return err
	}
	return feeds.WriteOPML(w, "Kaiku", fs, l.now())
}

// Share makes a draft that shares the item with the user's comment: the
// comment, the item's title with a credit to its feed, and its link;
// purpose share, at the time given (zero: undated). The post remembers the
// item, and the item is marked read and shared.
func (l *List) Share(ctx context.Context, itemID, comment string, at time.Time) (planner.Post, error) {
	it, err := l.store.Item(ctx, itemID)
	if err != nil {
		return planner.Post{}, err
	}
	source := hostOf(it.URL)
	if f, err := l.store.Feed(ctx, it.FeedID); err == nil {
		source = f.Title
	} else if !errors.Is(err, planner.ErrNotFound) {
		return planner.Post{}, err
	}
	text, _ := planner.ShareText(comment, it, source)
	now := l.now()
	p := planner.Post{
		ID: planner.NewID(), Text: text, Purpose: planner.PurposeShare, Status: planner.StatusDraft,
		Time: at, SourceItem: it.ID, Created: now, Updated: now,
	}
	if err := l.store.SavePost(ctx, p); err != nil {
		return planner.Post{}, err
	}
	// The post is saved; a failure to mark the item loses nothing the user made.
	if _, err := l.store.UpdateItem(ctx, it.ID, func(x *planner.Item) error {
		if !x.Read {
			x.Read, x.ReadAt = true, now.UTC()
		}
		if x.SharedPostID == "" {
			x.SharedPostID = p.ID
		}
		return nil
	}); err != nil {
		l.log.WithError(err).WithField("item", it.ID).Warn("marking a shared item")
	}
	return p, nil
}

func hostOf(s string) string {
	if u, err := url.Parse(s); err == nil {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return ""
}
