package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

var _ planner.FeedStore = (*Store)(nil)

// itemBatch is how many items one transaction writes or removes: far inside
// Badger's limit for a transaction with these small memtables.
const itemBatch = 100

// AddFeed stores f unless a feed with the same address (planner.CanonicalURL)
// is stored; then it returns that one and false.
func (s *Store) AddFeed(ctx context.Context, f planner.Feed) (planner.Feed, bool, error) {
	what := "add feed " + f.ID
	if err := ctx.Err(); err != nil {
		return planner.Feed{}, false, fmt.Errorf("%s: %w", what, err)
	}
	val, err := value(f)
	if err != nil {
		return planner.Feed{}, false, fmt.Errorf("%s: %w", what, err)
	}
	var out planner.Feed
	var added bool
	err = s.update(ctx, func(txn *badger.Txn) error {
		added = false
		same, found, err := feedWithURL(txn, f.URL, "")
		if err != nil {
			return err
		}
		if found {
			out = same
			return nil
		}
		if _, err := txn.Get(feedKey(f.ID)); err == nil {
			return fmt.Errorf("%w: a feed with this id is stored", planner.ErrConflict)
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		out, added = f, true
		return txn.Set(feedKey(f.ID), val)
	})
	if err != nil {
		return planner.Feed{}, false, fmt.Errorf("%s: %w", what, err)
	}
	return out, added, nil
}

// feedWithURL finds the stored feed, other than the one with ID except, at
// the same address as u.
func feedWithURL(txn *badger.Txn, u, except string) (planner.Feed, bool, error) {
	want := planner.CanonicalURL(u)
	var out planner.Feed
	found := false
	err := eachValue(txn, prefixFeed, func(f planner.Feed) bool {
		if f.ID != except && planner.CanonicalURL(f.URL) == want {
			out, found = f, true
			return false
		}
		return true
	})
	return out, found, err
}

// eachValue decodes the values under prefix in key order until fn returns false.
func eachValue[T any](txn *badger.Txn, prefix string, fn func(T) bool) error {
	opt := badger.DefaultIteratorOptions
	opt.Prefix = []byte(prefix)
	opt.PrefetchSize = 16
	it := txn.NewIterator(opt)
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		var v T
		item := it.Item()
		if err := item.Value(func(b []byte) error { return decode(b, &v) }); err != nil {
			return fmt.Errorf("read %s: %w", item.Key(), err)
		}
		if !fn(v) {
			return nil
		}
	}
	return nil
}

// UpdateFeed reads the feed, lets change edit it and saves it in one
// transaction. A new address that another feed has is a conflict.
func (s *Store) UpdateFeed(ctx context.Context, id string, change func(*planner.Feed) error) (planner.Feed, error) {
	return update(ctx, s, "update feed "+id, feedKey(id), change, func(txn *badger.Txn, prev, f planner.Feed) error {
		if f.ID != id {
			return &planner.InvalidError{Field: "id", Key: "error.id", Msg: "an update cannot change the feed's id"}
		}
		if planner.CanonicalURL(f.URL) != planner.CanonicalURL(prev.URL) {
			if _, found, err := feedWithURL(txn, f.URL, id); err != nil {
				return err
			} else if found {
				return fmt.Errorf("%w: another feed has this address", planner.ErrConflict)
			}
		}
		val, err := value(f)
		if err != nil {
			return err
		}
		return txn.Set(feedKey(id), val)
	})
}

// update reads the record at key, lets change edit it and write store it, in
// one transaction. An error of change's own comes back as it is.
func update[T any](ctx context.Context, s *Store, what string, key []byte, change func(*T) error, write func(txn *badger.Txn, prev, next T) error) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	var out T
	var changeErr error
	err := s.update(ctx, func(txn *badger.Txn) error {
		changeErr = nil
		var prev T
		if err := get(txn, key, &prev); err != nil {
			return err
		}
		// change gets its own copy; the record as stored stays in prev.
		var next T
		if err := get(txn, key, &next); err != nil {
			return err
		}
		if err := change(&next); err != nil {
			changeErr = err
			return err
		}
		out = next
		return write(txn, prev, next)
	})
	switch {
	case err == nil:
		return out, nil
	case changeErr != nil && errors.Is(err, changeErr):
		return zero, changeErr
	}
	return zero, fmt.Errorf("%s: %w", what, err)
}

// Feed returns the feed with the ID.
func (s *Store) Feed(ctx context.Context, id string) (planner.Feed, error) {
	return load[planner.Feed](ctx, s, "load feed "+id, feedKey(id))
}

// Feeds returns every feed, by folder then title (ignoring case) then ID.
func (s *Store) Feeds(ctx context.Context) ([]planner.Feed, error) {
	feeds, err := list[planner.Feed](ctx, s, "list feeds", prefixFeed)
	if err != nil {
		return nil, err
	}
	sortFeeds(feeds)
	return feeds, nil
}

func sortFeeds(feeds []planner.Feed) {
	slices.SortFunc(feeds, func(a, b planner.Feed) int {
		if c := strings.Compare(strings.ToLower(a.Folder), strings.ToLower(b.Folder)); c != 0 {
			return c
		}
		if c := strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// DeleteFeed removes the feed, then its items that are not kept for ever, a
// batch per transaction. Items left by a crash midway belong to no feed,
// and the next PruneItems removes them.
func (s *Store) DeleteFeed(ctx context.Context, id string) error {
	if err := s.remove(ctx, "delete feed "+id, feedKey(id)); err != nil {
		return err
	}
	var ids []string
	err := s.view(func(txn *badger.Txn) error {
		return eachIndexed(txn, itemFeedPrefix(id), false, func(_ uint64, itemID string) bool {
			ids = append(ids, itemID)
			return true
		})
	})
	if err == nil {
		_, err = s.removeItems(ctx, ids)
	}
	if err != nil {
		return fmt.Errorf("delete the items of feed %s: %w", id, err)
	}
	return nil
}

// AddItems stores the feed's new items; see planner.FeedStore.
func (s *Store) AddItems(ctx context.Context, feedID string, items []planner.Item, now time.Time) ([]planner.Item, error) {
	what := fmt.Sprintf("add %d items to feed %s", len(items), feedID)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	vals := make([][]byte, len(items))
	for i, it := range items {
		if it.FeedID != feedID {
			return nil, fmt.Errorf("%s: item %s belongs to feed %s", what, it.ID, it.FeedID)
		}
		val, err := itemValue(it)
		if err != nil {
			return nil, fmt.Errorf("%s: item %s: %w", what, it.ID, err)
		}
		vals[i] = val
	}
	// Which items the retention keeps is decided on a snapshot of the feed's
	// index: an item it would remove at once is not added, so it never comes
	// back as unread each time the feed still lists it.
	var stored []indexed
	err := s.view(func(txn *badger.Txn) error {
		if _, err := txn.Get(feedKey(feedID)); err != nil {
			return notFound(err)
		}
		return eachIndexed(txn, itemFeedPrefix(feedID), false, func(sec uint64, id string) bool {
			stored = append(stored, indexed{sec, id})
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	keep := keptByRetention(stored, items, now)

	var added []planner.Item
	for lo := 0; lo < len(items); lo += itemBatch {
		hi := min(lo+itemBatch, len(items))
		var batch []planner.Item
		err := s.update(ctx, func(txn *badger.Txn) error {
			batch = batch[:0]
			if _, err := txn.Get(feedKey(feedID)); err != nil {
				return notFound(err) // removed meanwhile: its items must not stay behind
			}
			for i := lo; i < hi; i++ {
				isNew, err := addItem(txn, items[i], vals[i], keep[items[i].ID])
				if err != nil {
					return fmt.Errorf("item %s: %w", items[i].ID, err)
				}
				if isNew {
					batch = append(batch, items[i])
				}
			}
			return nil
		})
		if err != nil {
			return added, fmt.Errorf("%s: %w", what, err)
		}
		added = append(added, batch...)
	}
	// The feed may now hold more than the retention keeps.
	if _, err := s.pruneFeeds(ctx, now, feedID); err != nil {
		return added, fmt.Errorf("%s: %w", what, err)
	}
	return added, nil
}

// addItem stores it unless the feed has it (by ID, then by link). A stored
// one takes the feed's title, link and summary and keeps the rest; a new
// one is written only if keep. It reports whether it added the item.
func addItem(txn *badger.Txn, it planner.Item, val []byte, keep bool) (bool, error) {
	var prev planner.Item
	err := get(txn, itemKey(it.ID), &prev)
	if errors.Is(err, planner.ErrNotFound) && it.URL != "" {
		// The same link under another identity (a feed that changed its GUIDs).
		var id []byte
		if item, lerr := txn.Get(itemLinkKey(it.FeedID, it.URL)); lerr == nil {
			if id, lerr = item.ValueCopy(nil); lerr != nil {
				return false, lerr
			}
			err = get(txn, itemKey(string(id)), &prev)
		} else if !errors.Is(lerr, badger.ErrKeyNotFound) {
			return false, lerr
		}
	}
	switch {
	case err == nil:
		if prev.Title == it.Title && prev.URL == it.URL && prev.Summary == it.Summary {
			return false, nil
		}
		next := prev
		next.Title, next.URL, next.Summary = it.Title, it.URL, it.Summary
		val, err := itemValue(next)
		if err != nil {
			return false, err
		}
		return false, putItem(txn, next, val, &prev)
	case !errors.Is(err, planner.ErrNotFound):
		return false, err
	case !keep:
		return false, nil
	}
	return true, putItem(txn, it, val, nil)
}

// putItem writes it (encoded as val) and moves its index entries from where
// prev, the stored version if any, had them.
func putItem(txn *badger.Txn, it planner.Item, val []byte, prev *planner.Item) error {
	times, link := itemIndexKeys(it)
	if prev != nil {
		oldTimes, oldLink := itemIndexKeys(*prev)
		for _, k := range oldTimes {
			if !hasKey(times, k) {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
		}
		if oldLink != nil && !bytes.Equal(oldLink, link) {
			if err := deleteLinkIfOwn(txn, oldLink, prev.ID); err != nil {
				return err
			}
		}
	}
	if err := txn.Set(itemKey(it.ID), val); err != nil {
		return err
	}
	if err := txn.Set(times[0], val); err != nil { // the itemtime copy
		return err
	}
	for _, k := range times[1:] {
		if err := txn.Set(k, nil); err != nil {
			return err
		}
	}
	if link != nil {
		return txn.Set(link, []byte(it.ID))
	}
	return nil
}

// replaceItem writes it over the stored item with its ID, if any, moving its index entries.
func replaceItem(txn *badger.Txn, it planner.Item, val []byte) error {
	var prev planner.Item
	switch err := get(txn, itemKey(it.ID), &prev); {
	case err == nil:
		return putItem(txn, it, val, &prev)
	case !errors.Is(err, planner.ErrNotFound):
		return fmt.Errorf("read the stored item: %w", err)
	}
	return putItem(txn, it, val, nil)
}

// deleteLinkIfOwn removes the link entry if it still names the item: two
// items of a feed can share a link, and the entry names the last written.
func deleteLinkIfOwn(txn *badger.Txn, key []byte, id string) error {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	owner, err := item.ValueCopy(nil)
	if err != nil {
		return err
	}
	if string(owner) != id {
		return nil
	}
	return txn.Delete(key)
}

// deleteItem removes the item and its index entries.
func deleteItem(txn *badger.Txn, it planner.Item) error {
	times, link := itemIndexKeys(it)
	for _, k := range times {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	if link != nil {
		if err := deleteLinkIfOwn(txn, link, it.ID); err != nil {
			return err
		}
	}
	return txn.Delete(itemKey(it.ID))
}

// Item returns the item with the ID.
func (s *Store) Item(ctx context.Context, id string) (planner.Item, error) {
	return load[planner.Item](ctx, s, "load item "+id, itemKey(id))
}

// UpdateItem reads the item, lets change edit it and saves it in one transaction.
func (s *Store) UpdateItem(ctx context.Context, id string, change func(*planner.Item) error) (planner.Item, error) {
	return update(ctx, s, "update item "+id, itemKey(id), change, func(txn *badger.Txn, prev, it planner.Item) error {
		if it.ID != id || it.FeedID != prev.FeedID {
			return &planner.InvalidError{Field: "id", Key: "error.id", Msg: "an update cannot change the item's id or feed"}
		}
		val, err := itemValue(it)
		if err != nil {
			return err
		}
		return putItem(txn, it, val, &prev)
	})
}

// Items returns the items the query picks, newest first. It reads one time
// index from the newest entry (the feed's own when the query names a feed)
// and stops at the limit, so the newest items of a long list cost no more
// than a short one.
func (s *Store) Items(ctx context.Context, q planner.ItemQuery) ([]planner.Item, error) {
	const what = "list items"
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	needle := strings.ToLower(strings.TrimSpace(q.Text))
	out := []planner.Item{}
	err := s.view(func(txn *badger.Txn) error {
		out = out[:0]
		var inFolder map[string]bool
		if q.Folder != "" {
			inFolder = map[string]bool{}
			if err := eachValue(txn, prefixFeed, func(f planner.Feed) bool {
				if f.Folder == q.Folder {
					inFolder[f.ID] = true
				}
				return true
			}); err != nil {
				return err
			}
		}
		n := 0
		pick := func(it planner.Item) bool {
			if n++; n%256 == 0 {
				if err := ctx.Err(); err != nil {
					return false
				}
			}
			switch {
			case q.Unread && it.Read, q.Saved && !it.Saved, q.FeedID != "" && it.FeedID != q.FeedID,
				inFolder != nil && !inFolder[it.FeedID], needle != "" && !matches(it, needle):
				return true
			}
			out = append(out, it)
			return q.Limit <= 0 || len(out) < q.Limit
		}
		if q.FeedID == "" {
			if err := eachValue(txn, prefixItemTime, pick); err != nil {
				return err
			}
			return ctx.Err()
		}
		// One feed's few hundred items: its own index, and each item by its key.
		var ierr error
		err := eachIndexed(txn, itemFeedPrefix(q.FeedID), true, func(_ uint64, id string) bool {
			var it planner.Item
			if err := get(txn, itemKey(id), &it); err != nil {
				if errors.Is(err, planner.ErrNotFound) {
					s.log.WithField("item", id).Warn("the item index names a missing item")
					return true
				}
				ierr = fmt.Errorf("load item %s: %w", id, err)
				return false
			}
			return pick(it)
		})
		if ierr != nil {
			return ierr
		}
		if err != nil {
			return err
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	// The index orders by whole second; this settles items that share one.
	slices.SortStableFunc(out, func(a, b planner.Item) int {
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, nil
}

// matches reports whether the item's title or summary holds needle, which is in lower case.
func matches(it planner.Item, needle string) bool {
	return strings.Contains(strings.ToLower(it.Title), needle) || strings.Contains(strings.ToLower(it.Summary), needle)
}

// indexed is an entry of a time index: the seconds and the item's ID.
type indexed struct {
	sec uint64
	id  string
}

// eachIndexed walks the keys of a time index under prefix (prefix, the
// big-endian seconds, "/", the ID), oldest first or, with newestFirst, newest
// first, until fn returns false.
func eachIndexed(txn *badger.Txn, prefix string, newestFirst bool, fn func(sec uint64, id string) bool) error {
	opt := badger.DefaultIteratorOptions
	opt.PrefetchValues = false
	opt.Prefix = []byte(prefix)
	opt.Reverse = newestFirst
	it := txn.NewIterator(opt)
	defer it.Close()
	start := opt.Prefix
	if newestFirst {
		start = append(append([]byte{}, opt.Prefix...), 0xFF)
	}
	idAt := len(prefix) + unixLen + 1
	for it.Seek(start); it.Valid(); it.Next() {
		k := it.Item().Key()
		if len(k) <= idAt {
			continue // not an entry this index writes
		}
		sec := beUint64(k[len(prefix) : len(prefix)+unixLen])
		if !fn(sec, string(k[idAt:])) {
			return nil
		}
	}
	return nil
}

func beUint64(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// keptByRetention tells, for each new item, whether the retention keeps it
// beside the stored ones: less than planner.ItemMaxAge old at now, and
// among the feed's newest planner.ItemsPerFeed.
func keptByRetention(stored []indexed, items []planner.Item, now time.Time) map[string]bool {
	cutoff := unixSeconds(now.Add(-planner.ItemMaxAge))
	all := make([]indexed, 0, len(stored)+len(items))
	have := make(map[string]bool, len(stored))
	for _, x := range stored {
		all = append(all, x)
		have[x.id] = true
	}
	for _, it := range items {
		if !have[it.ID] {
			all = append(all, indexed{unixSeconds(it.Published), it.ID})
		}
	}
	sortNewestFirst(all)
	keep := make(map[string]bool, len(items))
	for rank, x := range all {
		if rank < planner.ItemsPerFeed && x.sec >= cutoff {
			keep[x.id] = true
		}
	}
	return keep
}

func sortNewestFirst(xs []indexed) {
	slices.SortFunc(xs, func(a, b indexed) int {
		switch {
		case a.sec > b.sec:
			return -1
		case a.sec < b.sec:
			return 1
		}
		return strings.Compare(b.id, a.id)
	})
}

// PruneItems removes the items the retention no longer keeps at now: those
// past a feed's newest planner.ItemsPerFeed or older than
// planner.ItemMaxAge, and those of feeds that are gone, unless saved or
// shared.
func (s *Store) PruneItems(ctx context.Context, now time.Time) (int, error) {
	n, err := s.pruneFeeds(ctx, now, "")
	if err != nil {
		return n, fmt.Errorf("prune items: %w", err)
	}
	return n, nil
}

// pruneFeeds prunes one feed's items, or every feed's when feedID is empty.
func (s *Store) pruneFeeds(ctx context.Context, now time.Time, feedID string) (int, error) {
	cutoff := unixSeconds(now.Add(-planner.ItemMaxAge))
	var victims []string
	err := s.view(func(txn *badger.Txn) error {
		feeds := map[string]bool{}
		if err := eachValue(txn, prefixFeed, func(f planner.Feed) bool {
			feeds[f.ID] = true
			return true
		}); err != nil {
			return err
		}
		prefix := prefixItemFeed
		if feedID != "" {
			prefix = itemFeedPrefix(feedID)
		}
		// The index runs feed by feed, oldest first within each.
		var group []indexed
		current := ""
		flush := func() {
			sortNewestFirst(group)
			for rank, x := range group {
				if !feeds[current] || rank >= planner.ItemsPerFeed || x.sec < cutoff {
					victims = append(victims, x.id)
				}
			}
			group = group[:0]
		}
		opt := badger.DefaultIteratorOptions
		opt.PrefetchValues = false
		opt.Prefix = []byte(prefix)
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			rest := k[len(prefixItemFeed):]
			slash := bytes.IndexByte(rest, '/')
			if slash < 0 || len(rest) <= slash+1+unixLen+1 {
				continue
			}
			f := string(rest[:slash])
			if f != current {
				flush()
				current = f
			}
			at := rest[slash+1:]
			group = append(group, indexed{beUint64(at[:unixLen]), string(at[unixLen+1:])})
		}
		flush()
		return nil
	})
	if err != nil {
		return 0, err
	}
	return s.removeItems(ctx, victims)
}

// removeItems deletes the items that are not kept for ever, a batch per
// transaction, and returns how many it deleted.
func (s *Store) removeItems(ctx context.Context, ids []string) (int, error) {
	removed := 0
	for lo := 0; lo < len(ids); lo += itemBatch {
		hi := min(lo+itemBatch, len(ids))
		n := 0
		err := s.update(ctx, func(txn *badger.Txn) error {
			n = 0
			for _, id := range ids[lo:hi] {
				var it planner.Item
				switch err := get(txn, itemKey(id), &it); {
				case errors.Is(err, planner.ErrNotFound):
					continue
				case err != nil:
					return fmt.Errorf("load item %s: %w", id, err)
				}
				if it.KeptForEver() {
					continue
				}
				if err := deleteItem(txn, it); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return removed, err
		}
		removed += n
	}
	return removed, nil
}
