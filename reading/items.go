package reading

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
)

// Feeds returns the followed feeds, by folder then title.
func (l *List) Feeds(ctx context.Context) ([]planner.Feed, error) { return l.store.Feeds(ctx) }

// Items returns the items the query picks, newest first.
func (l *List) Items(ctx context.Context, q planner.ItemQuery) ([]planner.Item, error) {
	return l.store.Items(ctx, q)
}

// MarkRead marks the item read now, or unread again.
func (l *List) MarkRead(ctx context.Context, itemID string, read bool) (planner.Item, error) {
	now := l.now().UTC()
	return l.store.UpdateItem(ctx, itemID, func(it *planner.Item) error {
		switch {
		case !read:
			it.Read, it.ReadAt = false, time.Time{}
		case !it.Read:
			it.Read, it.ReadAt = true, now
		}
		return nil
	})
}

// SetSaved keeps the item for later (saved items stay for ever), or lets it go.
func (l *List) SetSaved(ctx context.Context, itemID string, saved bool) (planner.Item, error) {
	return l.store.UpdateItem(ctx, itemID, func(it *planner.Item) error {
		it.Saved = saved
		return nil
	})
}

// MarkShared notes that the post shares the item: the item is read, and
// kept for ever with the post's ID. An item shared before keeps its first post.
func (l *List) MarkShared(ctx context.Context, itemID, postID string) (planner.Item, error) {
	now := l.now().UTC()
	return l.store.UpdateItem(ctx, itemID, func(it *planner.Item) error {
		if !it.Read {
			it.Read, it.ReadAt = true, now
		}
		if it.SharedPostID == "" {
			it.SharedPostID = postID
		}
		return nil
	})
}

// explainedError is a failure to fetch or read a feed that can tell the
// user what happened, in their language (planner.Explainer).
type explainedError struct {
	err     error
	explain func(planner.Translate) string
}

func (e *explainedError) Error() string                       { return e.err.Error() }
func (e *explainedError) Unwrap() error                       { return e.err }
func (e *explainedError) Explain(tr planner.Translate) string { return e.explain(tr) }

// ExplainFetch gives a failure to fetch a feed, a page or a kit the words
// the user reads (planner.Explain finds them): a page with no feed, or the
// refresh's problem codes. Other errors come back as they are.
func ExplainFetch(err error, address string, now time.Time) error {
	if err == nil {
		return nil
	}
	var ex planner.Explainer
	if errors.As(err, &ex) {
		return err
	}
	if errors.Is(err, ErrNoFeed) {
		return &explainedError{err: err, explain: func(tr planner.Translate) string {
			return tr("feeds.error.no_feed", "{{.URL}} is a web page that names no feed; give the feed's own address", map[string]any{"URL": fetch.Redact(address)})
		}}
	}
	if p, known := Problem(err, now); known {
		return &explainedError{err: err, explain: p.Explain}
	}
	return err
}

// WeekCounts is what the reading list adds to a week's review, from from
// to to (a week's Monday and the next, in the user's zone): the items read
// in it, and the posts made in it that share an item of the reading list,
// whatever became of them.
func (l *List) WeekCounts(ctx context.Context, from, to time.Time) (read, shared int, err error) {
	items, err := l.store.Items(ctx, planner.ItemQuery{})
	if err != nil {
		return 0, 0, fmt.Errorf("count the items read: %w", err)
	}
	for _, it := range items {
		if it.Read && !it.ReadAt.Before(from) && it.ReadAt.Before(to) {
			read++
		}
	}
	posts, err := l.store.PostsWithStatus(ctx, planner.Statuses()...)
	if err != nil {
		return read, 0, fmt.Errorf("count the items shared: %w", err)
	}
	for _, p := range posts {
		if p.SourceItem != "" && !p.Created.Before(from) && p.Created.Before(to) {
			shared++
		}
	}
	return read, shared, nil
}
