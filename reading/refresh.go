package reading

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/feeds"
)

// Report says what a refresh did, feed by feed.
type Report struct {
	// Refreshed are the feeds asked, in the store's order, changed or not.
	Refreshed []planner.Feed
	// New counts the items added.
	New int
	// Waiting are the feeds left alone: backing off after failures, or
	// asked by their server to wait (Retry-After).
	Waiting []planner.Feed
	// Failed are the feeds whose refresh failed, each with its error.
	Failed []Failure
	// Pruned counts the items the retention removed.
	Pruned int
}

// Failure is one feed that could not be refreshed.
type Failure struct {
	Feed planner.Feed
	Err  error
}

// Refresh refreshes every feed that is not waiting, a few at a time: a
// conditional GET, the new items stored, the feed's validators, error and
// backoff saved. One failing feed never stops the others; it is in the
// report with its error. The retention runs at the end. The error is only
// for what stops the whole refresh: the store failing or ctx ending.
func (l *List) Refresh(ctx context.Context) (Report, error) {
	var rep Report
	all, err := l.store.Feeds(ctx)
	if err != nil {
		return rep, err
	}
	now := l.now()
	var due []planner.Feed
	for _, f := range all {
		if f.BackoffUntil.After(now) {
			rep.Waiting = append(rep.Waiting, f)
			continue
		}
		due = append(due, f)
	}
	type result struct {
		feed  planner.Feed
		added int
		err   error
	}
	results := make([]result, len(due))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(l.parallel, len(due)) {
		wg.Go(func() {
			for i := range work {
				f, added, err := l.RefreshFeed(ctx, due[i])
				results[i] = result{f, added, err}
			}
		})
	}
	for i := range due {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	for i, r := range results {
		var se storeError
		switch {
		case errors.As(r.err, &se):
			return rep, se.err
		case r.err != nil:
			rep.Failed = append(rep.Failed, Failure{Feed: due[i], Err: r.err})
		default:
			rep.Refreshed = append(rep.Refreshed, r.feed)
			rep.New += r.added
		}
	}
	if rep.Pruned, err = l.store.PruneItems(ctx, l.now()); err != nil {
		return rep, err
	}
	return rep, nil
}

// storeError is a failure of the store during one feed's refresh: it stops
// the whole refresh, since the next feed would meet it too.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

// RefreshFeed refreshes one feed now, whatever its backoff, and returns the
// feed as saved and how many items were new. A failure of the fetch or of
// the document is saved on the feed (its error and backoff) and returned.
func (l *List) RefreshFeed(ctx context.Context, f planner.Feed) (planner.Feed, int, error) {
	log := l.log.WithFields(logrus.Fields{"feed": f.ID, "url": fetch.Redact(f.URL)})
	resp, err := l.fetcher.Get(ctx, fetch.Request{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified, Accept: acceptFeeds})
	var doc feeds.Document
	if err == nil && !resp.NotModified {
		doc, err = feeds.Parse(resp.Body, resp.ContentType, resp.URL)
	}
	now := l.now()
	if err != nil {
		if ctx.Err() != nil {
			return f, 0, ctx.Err()
		}
		problem, _ := Problem(err, now)
		saved, serr := l.store.UpdateFeed(ctx, f.ID, func(x *planner.Feed) error {
			b := fetch.Backoff{Failures: x.Failures, Until: x.BackoffUntil}.Failed(now, err)
			x.Failures, x.BackoffUntil, x.LastError = b.Failures, b.Until, &problem
			return nil
		})
		if serr != nil && !errors.Is(serr, planner.ErrNotFound) {
			return f, 0, storeError{fmt.Errorf("save the error of feed %s: %w", f.ID, serr)}
		}
		log.WithField("problem", problem.Text).WithField("until", saved.BackoffUntil).Info("feed refresh failed")
		if serr == nil {
			f = saved
		}
		return f, 0, err
	}
	added := 0
	if !resp.NotModified {
		items, err := l.store.AddItems(ctx, f.ID, l.valid(doc.Items(f.ID, now)), now)
		if errors.Is(err, planner.ErrNotFound) {
			return f, 0, nil // removed while it was being fetched
		}
		if err != nil {
			return f, 0, storeError{err}
		}
		added = len(items)
	}
	saved, err := l.store.UpdateFeed(ctx, f.ID, func(x *planner.Feed) error {
		x.ETag, x.LastModified, x.Fetched = resp.ETag, resp.LastModified, now.UTC()
		x.LastError, x.Failures, x.BackoffUntil = nil, 0, time.Time{}
		if (x.Title == "" || x.Title == hostOf(x.URL)) && doc.Title != "" {
			x.Title = doc.Title // an OPML outline without a name, named now
		}
		if x.SiteURL == "" {
			x.SiteURL = doc.SiteURL
		}
		if resp.Moved && resp.URL != x.URL {
			x.URL = resp.URL
		}
		return nil
	})
	if errors.Is(err, planner.ErrConflict) {
		// It moved to the address of another feed followed already; keep the old one.
		saved, err = l.store.UpdateFeed(ctx, f.ID, func(x *planner.Feed) error {
			x.ETag, x.LastModified, x.Fetched = resp.ETag, resp.LastModified, now.UTC()
			x.LastError, x.Failures, x.BackoffUntil = nil, 0, time.Time{}
			return nil
		})
	}
	switch {
	case errors.Is(err, planner.ErrNotFound):
		return f, added, nil
	case err != nil:
		return f, added, storeError{fmt.Errorf("save feed %s: %w", f.ID, err)}
	}
	log.WithFields(logrus.Fields{"new": added, "not_modified": resp.NotModified}).Debug("feed refreshed")
	return saved, added, nil
}

// Problem describes a failure to fetch or read a feed for the feed's record:
// a code the app translates, the HTTP status, and the details in English,
// without a URL's secrets. known is false for an error that is neither
// (the store's, say); its record says network.
func Problem(err error, now time.Time) (p planner.FeedError, known bool) {
	p = planner.FeedError{Code: planner.FeedErrNetwork, Text: err.Error(), At: now.UTC()}
	known = true
	var se *fetch.StatusError
	var ne *fetch.NetError
	var re *fetch.RedirectError
	var sch *fetch.SchemeError
	var ae *fetch.AddressError
	var tl *fetch.TooLargeError
	switch {
	case errors.As(err, &se):
		p.Code, p.Status = planner.FeedErrStatus, se.Status
		p.Text = fmt.Sprintf("%d %s", se.Status, http.StatusText(se.Status))
	case errors.As(err, &ne) && ne.Timeout():
		p.Code, p.Text = planner.FeedErrTimeout, ne.Reason()
	case errors.As(err, &ne):
		p.Text = ne.Reason()
	case errors.As(err, &re):
		p.Code = planner.FeedErrRedirects
	case errors.As(err, &sch), errors.As(err, &ae):
		p.Code = planner.FeedErrAddress
	case errors.As(err, &tl):
		p.Code = planner.FeedErrTooLarge
	case errors.Is(err, feeds.ErrNotAFeed), errors.Is(err, feeds.ErrNoFeedInPage):
		p.Code = planner.FeedErrNotAFeed
	default:
		known = false
	}
	if len(p.Text) > planner.MaxErrorText {
		p.Text = strings.ToValidUTF8(p.Text[:planner.MaxErrorText], "")
	}
	return p, known
}

// RefreshEvery refreshes the feeds at once and then every interval until
// ctx ends, handing each refresh's report to done (on this goroutine, which
// the caller runs in the background). A refresh that fails as a whole is
// tried again at the next turn.
func (l *List) RefreshEvery(ctx context.Context, interval time.Duration, done func(Report, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		rep, err := l.Refresh(ctx)
		if ctx.Err() != nil {
			return
		}
		if done != nil {
			done(rep, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// valid keeps the items the store takes; one odd item must not cost the
// feed all the others.
func (l *List) valid(items []planner.Item) []planner.Item {
	out := items[:0]
	for _, it := range items {
		if err := it.Validate(); err != nil {
			l.log.WithError(err).WithField("item", it.ID).Info("skipping an item the reading list cannot keep")
			continue
		}
		out = append(out, it)
	}
	return out
}

// RefreshAll is Refresh for the window, which reads each feed's state from
// its record: the report goes to the log.
func (l *List) RefreshAll(ctx context.Context) error {
	rep, err := l.Refresh(ctx)
	l.logReport(rep, err)
	return err
}

// RefreshAllEvery is RefreshEvery for the window: each report goes to the
// log, and done hears only whether the refresh as a whole failed.
func (l *List) RefreshAllEvery(ctx context.Context, interval time.Duration, done func(error)) {
	l.RefreshEvery(ctx, interval, func(rep Report, err error) {
		l.logReport(rep, err)
		if done != nil {
			done(err)
		}
	})
}

func (l *List) logReport(rep Report, err error) {
	if err != nil {
		l.log.WithError(err).Warn("refreshing the feeds")
		return
	}
	l.log.WithFields(logrus.Fields{"feeds": len(rep.Refreshed), "new": rep.New, "failed": len(rep.Failed), "waiting": len(rep.Waiting)}).Info("feeds refreshed")
}
