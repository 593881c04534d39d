package planner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrPublishingNow: the post is going out as the user asks to delete it;
// deleting it then could publish it with no record left in Kaiku.
var ErrPublishingNow = &publishingNowError{}

type publishingNowError struct{}

func (*publishingNowError) Error() string { return "the post is being published right now" }

// Is makes errors.Is(err, ErrConflict) true.
func (*publishingNowError) Is(target error) bool { return target == ErrConflict }

// Explain says why the post stays, in the user's language.
func (*publishingNowError) Explain(tr Translate) string {
	return tr("error.post.publishing_now", "The post is being published right now. Wait a moment, then delete it if you still want to.")
}

// DeletedPost is a post as it was before DeletePost, with the bytes of its
// images, which the store removes with the last post naming them: enough to
// put it back (RestorePost).
type DeletedPost struct {
	Post   Post
	Images map[string][]byte
}

// DeletePost removes a post from Kaiku, and returns it with its images so
// that an undo can restore it. A published post is removed from Kaiku only,
// never from the network; a post going out right now is not removed
// (ErrPublishingNow).
func DeletePost(ctx context.Context, store interface {
	PostStore
	ImageStore
}, id string) (DeletedPost, error) {
	p, err := store.Post(ctx, id)
	if err != nil {
		return DeletedPost{}, err
	}
	if p.Status == StatusPublishing {
		return DeletedPost{}, fmt.Errorf("delete post %s: %w", id, ErrPublishingNow)
	}
	d := DeletedPost{Post: p}
	for _, h := range p.ImageHashes() {
		data, err := store.ImageData(ctx, h)
		if err != nil {
			return DeletedPost{}, fmt.Errorf("keep image %s of post %s for undo: %w", h, id, err)
		}
		if d.Images == nil {
			d.Images = map[string][]byte{}
		}
		d.Images[h] = data
	}
	if err := store.DeletePost(ctx, id); err != nil {
		return DeletedPost{}, err
	}
	return d, nil
}

// RestorePost puts a deleted post back as it was, images first. A post
// saved under the same ID meanwhile is not overwritten (ErrConflict).
func RestorePost(ctx context.Context, store interface {
	PostStore
	ImageStore
}, d DeletedPost) error {
	if _, err := store.Post(ctx, d.Post.ID); err == nil {
		return fmt.Errorf("restore post %s: %w", d.Post.ID, ErrConflict)
	} else if !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("restore post %s: %w", d.Post.ID, err)
	}
	for _, h := range d.Post.ImageHashes() {
		if _, err := store.SaveImage(ctx, d.Images[h]); err != nil {
			return fmt.Errorf("restore post %s: %w", d.Post.ID, err)
		}
	}
	return store.SavePost(ctx, d.Post)
}

// Duplicate is a copy of p to edit and send again: a new undated draft
// with the same words, targets and images, and none of the original's
// publishing history.
func (p Post) Duplicate(id string, now time.Time) Post {
	c := p
	c.ID, c.Created, c.Updated = id, now, now
	c.Status, c.Time, c.OccurrenceID = StatusDraft, time.Time{}, ""
	c.Attempt, c.Results, c.LastError = "", nil, ""
	c.Parts = slices.Clone(p.Parts)
	c.Targets = slices.Clone(p.Targets)
	c.Images = slices.Clone(p.Images)
	if p.Variants != nil {
		c.Variants = make(map[Network]string, len(p.Variants))
		for k, v := range p.Variants {
			c.Variants[k] = v
		}
	}
	return c
}

// PostQuery picks posts for a list: any of Statuses (all when empty) whose
// text contains Search, ignoring case (all when empty).
type PostQuery struct {
	Statuses []Status
	Search   string
}

// Match reports whether the query picks p.
func (q PostQuery) Match(p Post) bool {
	if len(q.Statuses) > 0 && !slices.Contains(q.Statuses, p.Status) {
		return false
	}
	return q.Search == "" || strings.Contains(SearchText(p), FoldSearch(q.Search))
}

// SearchText is what a search looks in: the post's texts, folded. A list
// that searches often keeps it beside each post.
func SearchText(p Post) string {
	return FoldSearch(strings.Join(p.Texts(), "\n"))
}

// FoldSearch folds s for a search that ignores case.
func FoldSearch(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// AllPosts reads every post: the dated ones in time order, then the
// undated ones, newest first.
func AllPosts(ctx context.Context, store PostStore) ([]Post, error) {
	dated, err := store.PostsBetween(ctx, MinPostTime, MaxPostTime)
	if err != nil {
		return nil, err
	}
	undated, err := store.UndatedPosts(ctx)
	if err != nil {
		return nil, err
	}
	return append(dated, undated...), nil
}
