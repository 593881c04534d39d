package outbox_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/accountstest"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/planner"
)

// published runs the outbox once and wants the post published.
func published(t *testing.T, e *accountstest.Env, id string) planner.Post {
	t.Helper()
	ob := e.Outbox(accounts.OutboxOptions{})
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("summary %+v (post %+v)", sum, e.Post(id))
	}
	return e.Post(id)
}

// A Mastodon status carries its images with their alt text, in order,
// each uploaded and processed before the status names it.
func TestImagesGoToMastodonWithAltText(t *testing.T) {
	e := newEnv(t)
	srv := e.Mastodon(mastodontest.Options{ProcessPolls: 2})
	acc := e.LinkMastodon(srv, false, "")
	p := e.Schedule(acc, e.Clock.Now(), "Kuvia tapahtumasta 📷")
	e.AttachImages(p.ID,
		accountstest.ImageFile{Data: accountstest.Photo(t, 64, 48, 1), Alt: "Lava ja yleisö, kuvattu takarivistä"},
		accountstest.ImageFile{Data: accountstest.Photo(t, 30, 60, 2), Alt: "Diagrammi: jäsenmäärä kasvoi 12 %"})
	published(t, e, p.ID)

	st, media := srv.Statuses(), srv.Media()
	if len(st) != 1 || len(media) != 2 {
		t.Fatalf("%d statuses, %d uploads", len(st), len(media))
	}
	want := []struct {
		alt  string
		w, h int
	}{{"Lava ja yleisö, kuvattu takarivistä", 64, 48}, {"Diagrammi: jäsenmäärä kasvoi 12 %", 30, 60}}
	for i, m := range media {
		if m.Description != want[i].alt || m.Type != planner.ImageJPEG || m.Width != want[i].w || m.Height != want[i].h || m.StatusID != st[0].ID {
			t.Errorf("upload %d: %+v", i, m)
		}
	}
	if !slices.Equal(st[0].MediaIDs, []string{media[0].ID, media[1].ID}) || st[0].Text != "Kuvia tapahtumasta 📷" {
		t.Errorf("status %+v", st[0])
	}
	// Each upload was looked at until processed: twice 206, then 200.
	if n := srv.Count(mastodontest.MediaGet); n != 6 {
		t.Errorf("%d looks at uploads, want 6", n)
	}
}

// An instance that takes fewer images than the post carries refuses the
// post before anything goes out: the instance's own limit counts.
func TestMastodonInstanceImageLimit(t *testing.T) {
	e := newEnv(t)
	srv := e.Mastodon(mastodontest.Options{MaxMedia: 2})
	acc := e.LinkMastodon(srv, false, "")
	p := e.Schedule(acc, e.Clock.Now(), "Kolme kuvaa")
	var files []accountstest.ImageFile
	for i := range 3 {
		files = append(files, accountstest.ImageFile{Data: accountstest.Photo(t, 20, 20, uint64(i)), Alt: fmt.Sprint("kuva ", i+1)})
	}
	e.AttachImages(p.ID, files...)
	ob := e.Outbox(accounts.OutboxOptions{})
	if sum := e.RunDue(ob); sum.Failed != 1 {
		t.Fatalf("summary %+v", sum)
	}
	got := e.Post(p.ID)
	if got.Status != planner.StatusFailed || got.LastError != "outbox.error.images.mastodon" || len(got.Results) != 1 || got.Results[0].Error == "" {
		t.Fatalf("post %+v", got)
	}
	if srv.Count(mastodontest.Upload) != 0 || len(srv.Statuses()) != 0 {
		t.Fatal("something went out")
	}
}

// missingImages is an image source that has lost every image.
type missingImages struct{}

func (missingImages) ImageData(_ context.Context, hash string) ([]byte, error) {
	return nil, fmt.Errorf("load image %s: %w", hash, planner.ErrNotFound)
}

// An image the store cannot give fails the post with a message of its
// own, before anything goes out; the post and its text stay.
func TestMissingImageFailsThePostClearly(t *testing.T) {
	e := newEnv(t)
	srv := e.Mastodon(mastodontest.Options{})
	acc := e.LinkMastodon(srv, false, "")
	p := e.Schedule(acc, e.Clock.Now(), "Kuva katosi")
	e.AttachImages(p.ID, accountstest.ImageFile{Data: accountstest.Photo(t, 20, 20, 3), Alt: "kuva"})
	ob := e.Outbox(accounts.OutboxOptions{Images: missingImages{}})
	if sum := e.RunDue(ob); sum.Failed != 1 {
		t.Fatalf("summary %+v", sum)
	}
	got := e.Post(p.ID)
	if got.Status != planner.StatusFailed || got.LastError != "outbox.error.image_missing" || got.Text != "Kuva katosi" || len(got.Images) != 1 {
		t.Fatalf("post %+v", got)
	}
	if srv.Count(mastodontest.Upload) != 0 || len(srv.Statuses()) != 0 {
		t.Fatal("something went out")
	}
}
