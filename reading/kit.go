package reading

import (
	"context"
	"fmt"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
)

// WithKitFeeds is s joined to the reading list for the organization's kit
// (planner.KitFeedAdder and planner.KitFeedLister): importing a kit follows
// its feeds, and an exported kit carries the feeds followed.
func (l *List) WithKitFeeds(s planner.Store) planner.Store { return kitStore{Store: s, list: l} }

type kitStore struct {
	planner.Store
	list *List
}

var (
	_ planner.KitFeedAdder  = kitStore{}
	_ planner.KitFeedLister = kitStore{}
)

// AddKitFeeds follows the kit's feeds without fetching them, as an OPML
// import does: they fill at the next refresh. A feed followed already is
// left as it is.
func (k kitStore) AddKitFeeds(ctx context.Context, feeds []planner.KitFeed) (int, error) {
	l := k.list
	now := l.now().UTC()
	added := 0
	for _, kf := range feeds {
		title := kf.Title
		if title == "" {
			title = hostOf(kf.URL)
		}
		f := planner.Feed{ID: planner.NewID(), Title: title, URL: kf.URL, Folder: kf.Folder, Created: now}
		_, isNew, err := l.store.AddFeed(ctx, f)
		if err != nil {
			return added, fmt.Errorf("follow %s: %w", fetch.Redact(kf.URL), err)
		}
		if isNew {
			added++
		}
	}
	return added, nil
}

// KitFeeds lists the feeds followed, for an exported kit.
func (k kitStore) KitFeeds(ctx context.Context) ([]planner.KitFeed, error) {
	fs, err := k.list.store.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]planner.KitFeed, 0, len(fs))
	for _, f := range fs {
		out = append(out, planner.KitFeed{URL: f.URL, Title: f.Title, Folder: f.Folder})
	}
	return out, nil
}
