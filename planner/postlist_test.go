package planner_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// imageMemStore adds images to memStore, removed with the last post naming
// them, as the real store removes them on delete.
type imageMemStore struct {
	*memStore
	images map[string][]byte
}

func newImageMemStore() *imageMemStore {
	return &imageMemStore{memStore: newMemStore(), images: map[string][]byte{}}
}

func (m *imageMemStore) SaveImage(_ context.Context, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	m.images[h] = data
	return h, nil
}

func (m *imageMemStore) ImageData(_ context.Context, h string) ([]byte, error) {
	d, ok := m.images[h]
	if !ok {
		return nil, fmt.Errorf("load image %s: %w", h, planner.ErrNotFound)
	}
	return d, nil
}

func (m *imageMemStore) DeletePost(_ context.Context, id string) error {
	p, ok := m.posts[id]
	if !ok {
		return fmt.Errorf("delete post %s: %w", id, planner.ErrNotFound)
	}
	delete(m.posts, id)
	for _, h := range p.ImageHashes() {
		delete(m.images, h)
	}
	return nil
}

func TestDeletedPostComesBackWithItsImages(t *testing.T) {
	ctx := context.Background()
	s := newImageMemStore()
	h, _ := s.SaveImage(ctx, []byte("a picture"))
	p := planner.Post{ID: "p1", Text: "hello", Status: planner.StatusScheduled, Time: time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC),
		Images: []planner.Image{{Hash: h, Alt: "a cat", Type: planner.ImagePNG, Width: 10, Height: 10}}}
	if err := s.SavePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	d, err := planner.DeletePost(ctx, s, "p1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Post(ctx, "p1"); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("the post is still there: %v", err)
	}
	if _, ok := s.images[h]; ok {
		t.Fatal("the fake should have removed the image with its last post")
	}
	if err := planner.RestorePost(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	back, err := s.Post(ctx, "p1")
	if err != nil || back.Text != "hello" || back.Status != planner.StatusScheduled || !back.Time.Equal(p.Time) {
		t.Fatalf("restored %+v, %v", back, err)
	}
	if string(s.images[h]) != "a picture" {
		t.Fatal("the image did not come back")
	}
}

func TestRestoreDoesNotOverwriteAPostSavedMeanwhile(t *testing.T) {
	ctx := context.Background()
	s := newImageMemStore()
	p := planner.Post{ID: "p1", Text: "old", Status: planner.StatusDraft}
	_ = s.SavePost(ctx, p)
	d, err := planner.DeletePost(ctx, s, "p1")
	if err != nil {
		t.Fatal(err)
	}
	p.Text = "new"
	_ = s.SavePost(ctx, p)
	if err := planner.RestorePost(ctx, s, d); !errors.Is(err, planner.ErrConflict) {
		t.Fatalf("got %v, want a conflict", err)
	}
	if got, _ := s.Post(ctx, "p1"); got.Text != "new" {
		t.Fatalf("the newer post was overwritten: %q", got.Text)
	}
}

func TestAPostGoingOutIsNotDeleted(t *testing.T) {
	ctx := context.Background()
	s := newImageMemStore()
	_ = s.SavePost(ctx, planner.Post{ID: "p1", Text: "x", Status: planner.StatusPublishing, Time: time.Now()})
	if _, err := planner.DeletePost(ctx, s, "p1"); !errors.Is(err, planner.ErrPublishingNow) || !errors.Is(err, planner.ErrConflict) {
		t.Fatalf("got %v", err)
	}
	if _, err := s.Post(ctx, "p1"); err != nil {
		t.Fatal("the post went")
	}
}

func TestDuplicateIsAFreshUndatedDraft(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	p := planner.Post{ID: "p1", Parts: []string{"a", "b"}, Status: planner.StatusPublished, Time: now.Add(-time.Hour), OccurrenceID: "s@2026-12-02",
		Targets: []planner.Target{{Network: planner.NetworkX}}, Results: []planner.PublishResult{{Network: planner.NetworkX, URL: "https://x.com/1"}}, Attempt: "a1"}
	c := p.Duplicate("p2", now)
	if c.ID != "p2" || c.Status != planner.StatusDraft || !c.Time.IsZero() || c.OccurrenceID != "" || c.Results != nil || c.Attempt != "" {
		t.Fatalf("duplicate %+v", c)
	}
	c.Parts[0] = "changed"
	if p.Parts[0] != "a" {
		t.Fatal("the duplicate shares its parts with the original")
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestPostQuery(t *testing.T) {
	p := planner.Post{ID: "p1", Parts: []string{"Hello", "Kaiku Helps"}, Status: planner.StatusDraft}
	for _, tc := range []struct {
		q    planner.PostQuery
		want bool
	}{
		{planner.PostQuery{}, true},
		{planner.PostQuery{Search: "kaiku help"}, true},
		{planner.PostQuery{Search: "  HELLO "}, true},
		{planner.PostQuery{Search: "goodbye"}, false},
		{planner.PostQuery{Statuses: []planner.Status{planner.StatusIdea}}, false},
		{planner.PostQuery{Statuses: []planner.Status{planner.StatusIdea, planner.StatusDraft}, Search: "hel"}, true},
	} {
		if got := tc.q.Match(p); got != tc.want {
			t.Errorf("%+v: got %v", tc.q, got)
		}
	}
}

func TestCheckScheduleRefusesWhatCannotGoOut(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	ok := planner.Post{ID: "p1", Text: "hi", Status: planner.StatusDraft, Time: now.Add(time.Hour), Targets: []planner.Target{{Network: planner.NetworkX}}}
	kinds := func(p planner.Post, accs ...planner.Account) []planner.RefusalKind {
		var out []planner.RefusalKind
		for _, r := range planner.CheckSchedule(p, accs, now) {
			out = append(out, r.Kind)
		}
		return out
	}
	if k := kinds(ok); len(k) != 0 {
		t.Fatalf("a good post refused: %v", k)
	}
	empty := ok
	empty.Text = "  "
	past := ok
	past.Time = now.Add(-time.Minute)
	none := ok
	none.Targets, none.Time = nil, time.Time{}
	long := ok
	long.Text = strings.Repeat("a", 300)
	for name, tc := range map[string]struct {
		p    planner.Post
		want []planner.RefusalKind
	}{
		"empty":    {empty, []planner.RefusalKind{planner.RefusedEmpty}},
		"past":     {past, []planner.RefusalKind{planner.RefusedPast}},
		"nowhere":  {none, []planner.RefusalKind{planner.RefusedNoTarget, planner.RefusedNoTime}},
		"too long": {long, []planner.RefusalKind{planner.RefusedTooLong}},
	} {
		if got := kinds(tc.p); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", name, got, tc.want)
		}
	}
	// A Mastodon instance's own limit counts, not the network's default.
	toot := ok
	toot.Text = strings.Repeat("a", 600)
	toot.Targets = []planner.Target{{AccountID: "m1", Network: planner.NetworkMastodon}}
	if k := kinds(toot, planner.Account{ID: "m1", Network: planner.NetworkMastodon, TextLimit: 1000}); len(k) != 0 {
		t.Fatalf("the instance's limit was not used: %v", k)
	}
	if k := kinds(toot); !slices.Equal(k, []planner.RefusalKind{planner.RefusedTooLong}) {
		t.Fatalf("got %v", k)
	}
}
