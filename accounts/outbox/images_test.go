package outbox_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"slices"
	"strings"
	"testing"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/accountstest"
	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/accounts/x"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/media"
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

// A Bluesky post embeds its images with alt text and aspect ratio instead
// of its link's card; a photo over Bluesky's 1,000,000 bytes a blob is
// scaled down to fit, keeping its aspect ratio, and a small one goes as
// it is.
func TestImagesGoToBlueskyWithAltAndAspectRatio(t *testing.T) {
	e := newEnv(t)
	srv := e.Bluesky(blueskytest.Options{})
	acc := e.LinkBluesky(srv)
	p := e.Schedule(acc, e.Clock.Now(), "Kuvat ja linkki "+cardPage(t))
	big, small := accountstest.Photo(t, 1600, 1200, 4), accountstest.Photo(t, 90, 160, 5)
	if len(big) <= 1_000_000 {
		t.Fatalf("the big photo is only %d bytes", len(big))
	}
	p = e.AttachImages(p.ID,
		accountstest.ImageFile{Data: big, Alt: "Iso valokuva salista"},
		accountstest.ImageFile{Data: small, Alt: "Pysty kuva 🌲"})
	published(t, e, p.ID)

	recs := srv.Records()
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	embed, _ := recs[0].Value["embed"].(map[string]any)
	ims, _ := embed["images"].([]any)
	if embed["$type"] != "app.bsky.embed.images" || len(ims) != 2 || embed["external"] != nil {
		t.Fatalf("embed %v", embed)
	}
	blobs := srv.Blobs()
	for i, want := range []struct {
		alt  string
		w, h float64
	}{{"Iso valokuva salista", 1600, 1200}, {"Pysty kuva 🌲", 90, 160}} {
		im, _ := ims[i].(map[string]any)
		ar, _ := im["aspectRatio"].(map[string]any)
		w, _ := ar["width"].(float64)
		h, _ := ar["height"].(float64)
		blob, _ := im["image"].(map[string]any)
		link, _ := blob["ref"].(map[string]any)["$link"].(string)
		size := blobs[link]
		if im["alt"] != want.alt || size == 0 || size > 1_000_000 || blob["mimeType"] != "image/jpeg" {
			t.Errorf("image %d: %v (blob of %d bytes)", i, im, size)
		}
		if ratio := w / h; ratio < want.w/want.h*0.99 || ratio > want.w/want.h*1.01 || w > want.w {
			t.Errorf("image %d is %vx%v, was %vx%v", i, w, h, want.w, want.h)
		}
		if i == 0 && w == want.w {
			t.Errorf("the big photo was not scaled down")
		}
		if i == 1 && (w != want.w || size != len(mustPrepared(t, small))) {
			t.Errorf("the small photo was changed: %vx%v, %d bytes", w, h, size)
		}
	}
}

func mustPrepared(t *testing.T, b []byte) []byte {
	t.Helper()
	prep, err := media.Prepare(b)
	if err != nil {
		t.Fatal(err)
	}
	return prep.Data
}

// gifOf is a two-frame animated GIF of w×h pixels.
func gifOf(t *testing.T, w, h int) []byte {
	t.Helper()
	g := &gif.GIF{}
	for i := range 2 {
		m := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Black, color.White, color.RGBA{R: 200, A: 255}})
		for y := range h {
			for x := range w {
				m.SetColorIndex(x, y, uint8((x+y+i)%3))
			}
		}
		g.Image, g.Delay = append(g.Image, m), append(g.Delay, 10)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// An X post carries its images through the v2 media upload: a small one in
// one request, a large one and a GIF in parts (the GIF waited on while X
// processes it), each with its alt text, in order.
func TestImagesGoToXWithAltText(t *testing.T) {
	e := newEnv(t)
	srv := e.X
	srv.SetProcessLooks(2)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Kolme kuvaa X:ään")
	big := accountstest.Photo(t, 1400, 1000, 6)
	if len(big) <= x.ChunkBytes || len(big) > 5_000_000 {
		t.Fatalf("the big photo is %d bytes", len(big))
	}
	e.AttachImages(p.ID,
		accountstest.ImageFile{Data: accountstest.Photo(t, 40, 30, 7), Alt: "Pieni kuva"},
		accountstest.ImageFile{Data: big, Alt: "Iso kuva: yleisöä salissa"},
		accountstest.ImageFile{Data: gifOf(t, 32, 24), Alt: "Liikkuva kaavio"})
	published(t, e, p.ID)

	tw, media := srv.Tweets(), srv.Media()
	if len(tw) != 1 || len(media) != 3 {
		t.Fatalf("%d posts, %d uploads", len(tw), len(media))
	}
	want := []struct {
		alt, typ string
		chunked  bool
		w, h     int
	}{{"Pieni kuva", "image/jpeg", false, 40, 30}, {"Iso kuva: yleisöä salissa", "image/jpeg", true, 1400, 1000}, {"Liikkuva kaavio", "image/gif", true, 32, 24}}
	for i, m := range media {
		if m.Alt != want[i].alt || m.Type != want[i].typ || m.Chunked != want[i].chunked || m.Width != want[i].w || m.Height != want[i].h || !m.Ready {
			t.Errorf("upload %d: %+v", i, m)
		}
	}
	if !slices.Equal(tw[0].MediaIDs, []string{media[0].ID, media[1].ID, media[2].ID}) {
		t.Errorf("post carries %v", tw[0].MediaIDs)
	}
	if n := srv.Count(xtest.MediaAppend); n != 3 { // the big photo in two parts, the GIF in one
		t.Errorf("%d appends", n)
	}
	if n := srv.Count(xtest.MediaStatus); n != 2 {
		t.Errorf("%d status looks", n)
	}
}

// A post with images whose answer was lost is found on X although X's copy
// ends with a link to its media: it goes out once.
func TestXFindsAPostWithImagesOfUnknownFate(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Kuva ja katkennut yhteys")
	e.AttachImages(p.ID, accountstest.ImageFile{Data: accountstest.Photo(t, 40, 30, 8), Alt: "kuva"})
	e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Drop: true, Created: true})
	got := published(t, e, p.ID)
	if tw := e.X.Tweets(); len(tw) != 1 || len(tw[0].MediaIDs) != 1 || got.Results[0].RemoteID != tw[0].ID {
		t.Fatalf("posts %+v, post %+v", tw, got)
	}
}

// LinkedIn takes a post's images through the Images API: one as
// content.media, several as content.multiImage, each with its alt text; a
// thread, which goes to LinkedIn as one post, carries the images of all
// its parts.
func TestImagesGoToLinkedInWithAltText(t *testing.T) {
	e := newEnv(t)
	srv := e.LinkedIn(linkedintest.Options{})
	acc := e.LinkLinkedIn(srv)
	one := e.Schedule(acc, e.Clock.Now(), "Yksi kuva LinkedIniin")
	e.AttachImages(one.ID, accountstest.ImageFile{Data: accountstest.Photo(t, 50, 40, 9), Alt: "Puhuja lavalla"})
	thread := e.Schedule(acc, e.Clock.Now(), "Ketjun ensimmäinen osa", "Ketjun toinen osa")
	e.AttachImages(thread.ID,
		accountstest.ImageFile{Data: accountstest.Photo(t, 30, 30, 10), Alt: "Ensimmäisen osan kuva", Part: 0},
		accountstest.ImageFile{Data: accountstest.Photo(t, 60, 20, 11), Alt: "Toisen osan kuva", Part: 1})
	ob := e.Outbox(accounts.OutboxOptions{})
	if sum := e.RunDue(ob); sum.Published != 2 {
		t.Fatalf("summary %+v", sum)
	}
	posts, images := srv.Posts(), srv.Images()
	if len(posts) != 2 || len(images) != 3 {
		t.Fatalf("%d posts, %d images", len(posts), len(images))
	}
	for i, im := range images {
		if !im.Uploaded || im.Type != planner.ImageJPEG || im.Owner != srv.AuthorURN() {
			t.Errorf("image %d: %+v", i, im)
		}
	}
	byText := map[string]linkedintest.Post{}
	for _, p := range posts {
		byText[p.Text] = p
	}
	if got := byText["Yksi kuva LinkedIniin"].Images; !slices.Equal(got, []linkedintest.PostImage{{URN: images[0].URN, AltText: "Puhuja lavalla"}}) {
		t.Errorf("the one-image post carries %+v", got)
	}
	want := []linkedintest.PostImage{{URN: images[1].URN, AltText: "Ensimmäisen osan kuva"}, {URN: images[2].URN, AltText: "Toisen osan kuva"}}
	if got := byText["Ketjun ensimmäinen osa\n\nKetjun toinen osa"].Images; !slices.Equal(got, want) {
		t.Errorf("the thread carries %+v", got)
	}
	if srv.Count(linkedintest.ImageUpload) != 3 {
		t.Errorf("%d uploads", srv.Count(linkedintest.ImageUpload))
	}
}

// An image no size of which meets the instance's limit fails the post with
// a message of its own, before anything goes out.
func TestImageTooLargeEvenScaledDown(t *testing.T) {
	e := newEnv(t)
	srv := e.Mastodon(mastodontest.Options{ImageSizeLimit: 300}) // below any JPEG's headers
	acc := e.LinkMastodon(srv, false, "")
	p := e.Schedule(acc, e.Clock.Now(), "Liian iso kuva")
	e.AttachImages(p.ID, accountstest.ImageFile{Data: accountstest.Photo(t, 200, 150, 12), Alt: "kuva"})
	ob := e.Outbox(accounts.OutboxOptions{})
	if sum := e.RunDue(ob); sum.Failed != 1 {
		t.Fatalf("summary %+v", sum)
	}
	got := e.Post(p.ID)
	if got.Status != planner.StatusFailed || got.LastError != "outbox.error.image_too_large.mastodon" || len(got.Results) != 1 || !strings.Contains(got.Results[0].Error, "image 1") {
		t.Fatalf("post %+v", got)
	}
	if srv.Count(mastodontest.Upload) != 0 || len(srv.Statuses()) != 0 {
		t.Fatal("something went out")
	}
}

// An upload the instance never finishes processing is given up on for now:
// no status goes out without its image, and the post stays scheduled, to
// go out when the server has recovered.
func TestMastodonUploadStuckProcessingWaits(t *testing.T) {
	e := newEnv(t)
	srv := e.Mastodon(mastodontest.Options{ProcessPolls: 1000})
	acc := e.LinkMastodon(srv, false, "")
	p := e.Schedule(acc, e.Clock.Now(), "Kuva jää käsittelyyn")
	e.AttachImages(p.ID, accountstest.ImageFile{Data: accountstest.Photo(t, 20, 20, 13), Alt: "kuva"})
	ob := e.Outbox(accounts.OutboxOptions{})
	if sum := e.RunDue(ob); sum.Waiting != 1 {
		t.Fatalf("summary %+v", sum)
	}
	got := e.Post(p.ID)
	if got.Status != planner.StatusScheduled || got.LastError != "outbox.error.server.mastodon" {
		t.Fatalf("post %+v", got)
	}
	if len(srv.Statuses()) != 0 || srv.Count(mastodontest.Upload) == 0 {
		t.Fatalf("%d statuses after %d uploads", len(srv.Statuses()), srv.Count(mastodontest.Upload))
	}
}

// LinkedIn processes uploaded images after the upload and refuses a post
// naming one not yet AVAILABLE: the post waits for them, and goes out once.
func TestLinkedInPostWaitsUntilItsImagesAreAvailable(t *testing.T) {
	e := newEnv(t)
	srv := e.LinkedIn(linkedintest.Options{ProcessingLooks: 3})
	acc := e.LinkLinkedIn(srv)
	p := e.Schedule(acc, e.Clock.Now(), "Kaksi kuvaa, käsittely kestää")
	e.AttachImages(p.ID,
		accountstest.ImageFile{Data: accountstest.Photo(t, 30, 20, 14), Alt: "ensimmäinen"},
		accountstest.ImageFile{Data: accountstest.Photo(t, 20, 30, 15), Alt: "toinen"})
	ob := e.Outbox(accounts.OutboxOptions{})
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("summary %+v (post %+v)", sum, e.Post(p.ID))
	}
	if posts := srv.Posts(); len(posts) != 1 || len(posts[0].Images) != 2 || srv.Count(linkedintest.Posts) != 1 {
		t.Fatalf("posts %+v after %d requests", posts, srv.Count(linkedintest.Posts))
	}
	for _, im := range srv.Images() {
		if im.Looks != 4 {
			t.Errorf("image %s looked at %d times", im.URN, im.Looks)
		}
	}
}

// An image LinkedIn cannot process fails the post, with its own message,
// and nothing goes out.
func TestLinkedInImageProcessingFailedFailsThePost(t *testing.T) {
	e := newEnv(t)
	srv := e.LinkedIn(linkedintest.Options{ProcessingLooks: 1})
	srv.FailProcessing(1)
	acc := e.LinkLinkedIn(srv)
	p := e.Schedule(acc, e.Clock.Now(), "Kuva, jota LinkedIn ei käsittele")
	e.AttachImages(p.ID, accountstest.ImageFile{Data: accountstest.Photo(t, 20, 20, 16), Alt: "kuva"})
	ob := e.Outbox(accounts.OutboxOptions{})
	if sum := e.RunDue(ob); sum.Failed != 1 {
		t.Fatalf("summary %+v", sum)
	}
	got := e.Post(p.ID)
	if got.Status != planner.StatusFailed || got.LastError != "outbox.error.image_failed.linkedin" {
		t.Fatalf("post %+v", got)
	}
	if srv.Count(linkedintest.Posts) != 0 {
		t.Fatalf("%d post requests", srv.Count(linkedintest.Posts))
	}
}

// Images LinkedIn is still processing after the wait's bound leave the
// post scheduled, to be tried again as after LinkedIn's other trouble:
// nothing went out.
func TestLinkedInImagesStillProcessingStayScheduled(t *testing.T) {
	e := newEnv(t)
	srv := e.LinkedIn(linkedintest.Options{ProcessingLooks: 1_000_000})
	acc := e.LinkLinkedIn(srv)
	p := e.Schedule(acc, e.Clock.Now(), "Käsittely ei valmistu")
	e.AttachImages(p.ID, accountstest.ImageFile{Data: accountstest.Photo(t, 20, 20, 17), Alt: "kuva"})
	ob := e.Outbox(accounts.OutboxOptions{})
	if sum := e.RunDue(ob); sum.Waiting != 1 {
		t.Fatalf("summary %+v", sum)
	}
	got := e.Post(p.ID)
	if got.Status != planner.StatusScheduled || got.LastError != "outbox.error.image_busy.linkedin" {
		t.Fatalf("post %+v", got)
	}
	if srv.Count(linkedintest.Posts) != 0 || srv.Count(linkedintest.ImageStatus) < 2 {
		t.Fatalf("%d post requests, %d looks", srv.Count(linkedintest.Posts), srv.Count(linkedintest.ImageStatus))
	}
}
