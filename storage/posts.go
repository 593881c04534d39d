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

// SavePost creates or replaces the post; its index entries change in the same transaction.
func (s *Store) SavePost(ctx context.Context, p planner.Post) error {
	what := "save post " + p.ID
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	val, err := postValue(p)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := s.update(ctx, func(txn *badger.Txn) error { return putPost(txn, p, val) }); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// UpdatePost reads the post, lets change edit it and saves it in one
// transaction; see planner.PostStore.
func (s *Store) UpdatePost(ctx context.Context, id string, change func(*planner.Post) error) (planner.Post, error) {
	what := "update post " + id
	if err := ctx.Err(); err != nil {
		return planner.Post{}, fmt.Errorf("%s: %w", what, err)
	}
	var out planner.Post
	var changeErr error
	err := s.update(ctx, func(txn *badger.Txn) error {
		var p planner.Post
		if err := get(txn, postKey(id), &p); err != nil {
			return err
		}
		if err := change(&p); err != nil {
			changeErr = err
			return err
		}
		if p.ID != id {
			return &planner.InvalidError{Field: "id", Key: "error.id", Msg: "an update cannot change the post's id"}
		}
		val, err := postValue(p)
		if err != nil {
			return err
		}
		out = p
		return putPost(txn, p, val)
	})
	switch {
	case err == nil:
		return out, nil
	case changeErr != nil && errors.Is(err, changeErr):
		return planner.Post{}, changeErr
	}
	return planner.Post{}, fmt.Errorf("%s: %w", what, err)
}

// postValue validates p and encodes it for storing.
func postValue(p planner.Post) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	val := encodePost(p)
	if len(val) > maxValueBytes {
		// Validate bounds the text, not the variants and results.
		return nil, &planner.InvalidError{Field: "text", Key: "error.post.too_long", Msg: "the post is too large to store"}
	}
	return val, nil
}

// putPost writes p (encoded as val) and moves its index entries from where the
// stored version had them, and counts the images it gains and loses, within
// txn. An image it gains must be stored (SaveImage) before.
func putPost(txn *badger.Txn, p planner.Post, val []byte) error {
	keys := postIndexKeys(p)
	var old [][]byte
	var prev planner.Post
	switch err := get(txn, postKey(p.ID), &prev); {
	case err == nil:
		old = postIndexKeys(prev)
	case !errors.Is(err, planner.ErrNotFound):
		return fmt.Errorf("read the stored post: %w", err)
	}
	if err := moveImageRefs(txn, prev.ImageHashes(), p.ImageHashes(), false, time.Now()); err != nil {
		return err
	}
	for _, k := range old {
		if !hasKey(keys, k) {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
	}
	if err := txn.Set(postKey(p.ID), val); err != nil {
		return err
	}
	for _, k := range keys {
		if !hasKey(old, k) {
			if err := txn.Set(k, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// Post returns the post with the ID; ErrNotFound when there is none.
func (s *Store) Post(ctx context.Context, id string) (planner.Post, error) {
	return load[planner.Post](ctx, s, "load post "+id, postKey(id))
}

// DeletePost removes the post and its index entries, and the images no
// other post names; ErrNotFound when there is none.
func (s *Store) DeletePost(ctx context.Context, id string) error {
	what := "delete post " + id
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	err := s.update(ctx, func(txn *badger.Txn) error {
		var p planner.Post
		if err := get(txn, postKey(id), &p); err != nil {
			return err
		}
		for _, k := range postIndexKeys(p) {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		if err := moveImageRefs(txn, p.ImageHashes(), nil, true, time.Now()); err != nil {
			return err
		}
		return txn.Delete(postKey(id))
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// PostsBetween returns the dated posts with from <= Time < to, by time then
// ID, reading only that stretch of the time index.
func (s *Store) PostsBetween(ctx context.Context, from, to time.Time) ([]planner.Post, error) {
	what := "list posts from " + from.Format(time.RFC3339) + " to " + to.Format(time.RFC3339)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	posts := []planner.Post{}
	if !from.Before(to) {
		return posts, nil
	}
	// The index holds whole seconds: scan every second that can hold a match
	// and let the exact times decide at the edges.
	end := unixSeconds(to)
	if to.Nanosecond() > 0 {
		end++
	}
	start := timeKey(prefixPostTime, unixSeconds(from), "")
	stop := timeKey(prefixPostTime, end, "")
	err := s.view(func(txn *badger.Txn) error {
		return s.scanPosts(ctx, txn, prefixPostTime, start, stop, func(p planner.Post) {
			if !p.Time.Before(from) && p.Time.Before(to) {
				posts = append(posts, p)
			}
		})
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	sortByTime(posts)
	return posts, nil
}

// UndatedPosts returns the posts without a time, newest (by Created) first.
func (s *Store) UndatedPosts(ctx context.Context) ([]planner.Post, error) {
	const what = "list undated posts"
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	posts := []planner.Post{}
	err := s.view(func(txn *badger.Txn) error {
		return s.scanPosts(ctx, txn, prefixPostUndated, nil, nil, func(p planner.Post) {
			posts = append(posts, p)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	slices.SortFunc(posts, func(a, b planner.Post) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return posts, nil
}

// PostsWithStatus returns the posts in any of the statuses, by time then ID;
// undated ones come first.
func (s *Store) PostsWithStatus(ctx context.Context, statuses ...planner.Status) ([]planner.Post, error) {
	what := fmt.Sprintf("list posts with status %v", statuses)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var wanted []planner.Status
	for _, st := range statuses {
		if _, err := planner.ParseStatus(string(st)); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if !slices.Contains(wanted, st) {
			wanted = append(wanted, st)
		}
	}
	posts := []planner.Post{}
	err := s.view(func(txn *badger.Txn) error {
		for _, st := range wanted {
			err := s.scanPosts(ctx, txn, statusPrefix(st), nil, nil, func(p planner.Post) {
				posts = append(posts, p)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	sortByTime(posts)
	return posts, nil
}

// scanPosts walks the index entries under prefix from start (nil: the first)
// up to stop (nil: the last), keys only, and loads the post each names. The
// post's ID is what follows the prefix (and, in time-ordered indexes, the
// Unix seconds and a slash).
func (s *Store) scanPosts(ctx context.Context, txn *badger.Txn, prefix string, start, stop []byte, fn func(planner.Post)) error {
	idAt := len(prefix)
	if prefix != prefixPostUndated {
		idAt += unixLen + 1
	}
	opt := badger.DefaultIteratorOptions
	// The index holds no values; each post is read by its key.
	opt.PrefetchValues = false
	opt.Prefix = []byte(prefix)
	it := txn.NewIterator(opt)
	defer it.Close()
	if start == nil {
		start = opt.Prefix
	}
	n := 0
	for it.Seek(start); it.Valid(); it.Next() {
		k := it.Item().Key()
		if stop != nil && bytes.Compare(k, stop) >= 0 {
			break
		}
		if n++; n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if len(k) <= idAt {
			s.log.WithField("key", string(k)).Warn("skipping a malformed post index entry")
			continue
		}
		id := string(k[idAt:])
		var p planner.Post
		if err := get(txn, postKey(id), &p); err != nil {
			if errors.Is(err, planner.ErrNotFound) {
				// A post and its index change together, so a missing post is
				// most likely an unreadable table, which Badger reports as no
				// post at all.
				if verr := s.verify(); verr != nil {
					return verr
				}
				// Otherwise a dangling entry must not hide the rest of the week.
				s.log.WithField("post", id).Warn("the post index names a missing post")
				continue
			}
			return fmt.Errorf("load post %s: %w", id, err)
		}
		fn(p)
	}
	return nil
}

// sortByTime orders posts by time then ID. The index already orders them by
// whole second; this settles posts that share a second.
func sortByTime(posts []planner.Post) {
	slices.SortStableFunc(posts, func(a, b planner.Post) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
