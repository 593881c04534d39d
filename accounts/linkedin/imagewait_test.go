package linkedin_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts/linkedin"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
	"github.com/kaiku-app/kaiku/accounts/remote"
)

// photo is a small PNG, different for each seed.
func photo(t *testing.T, seed uint8) []byte {
	t.Helper()
	im := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for i := range im.Pix {
		im.Pix[i] = seed + uint8(i)
	}
	im.Set(0, 0, color.White)
	var b bytes.Buffer
	if err := png.Encode(&b, im); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// uploads uploads n images and gives them as a post carries them.
func uploads(t *testing.T, c *linkedin.Client, ctx context.Context, author string, n int) []linkedin.Image {
	t.Helper()
	var ims []linkedin.Image
	for i := range n {
		urn, err := c.UploadImage(ctx, author, photo(t, uint8(10*i)), "image/png")
		if err != nil {
			t.Fatal(err)
		}
		ims = append(ims, linkedin.Image{URN: urn, Alt: fmt.Sprintf("kuva %d", i+1)})
	}
	return ims
}

func TestPublishWaitsUntilEveryImageIsAvailable(t *testing.T) {
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprintf("%d images", n), func(t *testing.T) {
			// Each image is PROCESSING for its first three looks.
			e := newEnv(t, linkedintest.Options{ProcessingLooks: 3})
			c, linked := e.link()
			author := linked.Member.URN()
			ims := uploads(t, c, e.ctx, author, n)
			post, err := c.Publish(e.ctx, author, "Kuvat valmiina", ims...)
			if err != nil {
				t.Fatal(err)
			}
			posts := e.fake.Posts()
			if len(posts) != 1 || posts[0].URN != post.URN || len(posts[0].Images) != n {
				t.Fatalf("posts %+v", posts)
			}
			for i, im := range e.fake.Images() {
				if im.Status != linkedintest.StatusAvailable || im.Looks != 4 || posts[0].Images[i].URN != im.URN {
					t.Errorf("image %d: %+v", i, im)
				}
			}
			// Three waits, growing, whatever the number of images: each
			// round looks at every image still processing.
			if got, want := e.sleep.waits(), []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}; !slices.Equal(got, want) {
				t.Errorf("waits %v, want %v", got, want)
			}
			if got := e.fake.Count(linkedintest.ImageStatus); got != 4*n {
				t.Errorf("%d looks at %d images", got, n)
			}
		})
	}
}

// An image already processed is looked at once, and the post goes at once.
func TestPublishDoesNotWaitForImagesAlreadyAvailable(t *testing.T) {
	e := newEnv(t, linkedintest.Options{})
	c, linked := e.link()
	ims := uploads(t, c, e.ctx, linked.Member.URN(), 2)
	if _, err := c.Publish(e.ctx, linked.Member.URN(), "Heti", ims...); err != nil {
		t.Fatal(err)
	}
	if w := e.sleep.waits(); len(w) != 0 {
		t.Errorf("waited %v", w)
	}
	if got := e.fake.Count(linkedintest.ImageStatus); got != 2 {
		t.Errorf("%d looks", got)
	}
	// A post without images asks nothing of the Images API.
	if _, err := c.Publish(e.ctx, linked.Member.URN(), "Ilman kuvia"); err != nil || e.fake.Count(linkedintest.ImageStatus) != 2 {
		t.Errorf("a post without images: %v, %d looks", err, e.fake.Count(linkedintest.ImageStatus))
	}
}

func TestImageLinkedInCannotProcessFailsThePostUnsent(t *testing.T) {
	e := newEnv(t, linkedintest.Options{ProcessingLooks: 2})
	c, linked := e.link()
	author := linked.Member.URN()
	e.fake.FailProcessing(2)
	ims := uploads(t, c, e.ctx, author, 3)
	_, err := c.Publish(e.ctx, author, "Yksi kuva on rikki", ims...)
	r, ok := remote.As(err)
	if !ok || r.Kind != remote.KindRejected || r.MaybeSent || !errors.Is(err, linkedin.ErrImageFailed) || !strings.Contains(r.Detail, ims[1].URN) {
		t.Fatalf("error %v", err)
	}
	if !strings.Contains(err.Error(), "could not process an image") || !strings.Contains(err.Error(), "not sent") {
		t.Errorf("the error does not say what happened: %v", err)
	}
	if n := e.fake.Count(linkedintest.Posts); n != 0 {
		t.Errorf("%d post requests", n)
	}
}

func TestImagesStillProcessingAfterTheBoundFailForNowUnsent(t *testing.T) {
	e := newEnv(t, linkedintest.Options{ProcessingLooks: 1_000_000})
	c, linked := e.link()
	author := linked.Member.URN()
	ims := uploads(t, c, e.ctx, author, 2)
	_, err := c.Publish(e.ctx, author, "Käsittely kestää", ims...)
	r, ok := remote.As(err)
	if !ok || r.Kind != remote.KindServer || !r.Transient() || r.MaybeSent || !errors.Is(err, linkedin.ErrImageProcessing) {
		t.Fatalf("error %v", err)
	}
	waits := e.sleep.waits()
	var total time.Duration
	for i, d := range waits {
		total += d
		if i > 0 && d < waits[i-1] && i != len(waits)-1 {
			t.Errorf("the waits shrink: %v", waits)
		}
		if d > 8*time.Second {
			t.Errorf("a wait of %v", d)
		}
	}
	if total != linkedin.MaxImageWait || waits[0] != 500*time.Millisecond {
		t.Errorf("waited %v in all: %v", total, waits)
	}
	// Both images at the start and after each wait, no more.
	if got, want := e.fake.Count(linkedintest.ImageStatus), 2*(len(waits)+1); got != want {
		t.Errorf("%d looks, want %d", got, want)
	}
	if n := e.fake.Count(linkedintest.Posts); n != 0 {
		t.Errorf("%d post requests", n)
	}
}

func TestCancellingStopsTheWaitForImages(t *testing.T) {
	e := newEnv(t, linkedintest.Options{ProcessingLooks: 1_000_000})
	c, linked := e.link()
	author := linked.Member.URN()
	ims := uploads(t, c, e.ctx, author, 1)
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	e.sleep.onSleep = func(n int) {
		if n == 2 {
			cancel() // Kaiku is closing
		}
	}
	_, err := c.Publish(ctx, author, "Keskeytetty odotus", ims...)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
	if r, ok := remote.As(err); !ok || r.MaybeSent {
		t.Errorf("error %#v", err)
	}
	if w := e.sleep.waits(); len(w) != 2 {
		t.Errorf("waits %v", w)
	}
	if got := e.fake.Count(linkedintest.ImageStatus); got != 2 {
		t.Errorf("%d looks", got)
	}
	if n := e.fake.Count(linkedintest.Posts); n != 0 {
		t.Errorf("%d post requests", n)
	}
}

// A failed look at an image is read as any call to LinkedIn's API, and
// nothing is sent.
func TestImageStatusFailuresSayWhatToDo(t *testing.T) {
	e := newEnv(t, linkedintest.Options{ProcessingLooks: 1})
	c, linked := e.link()
	author := linked.Member.URN()
	for _, tc := range []struct {
		fail  linkedintest.Failure
		check func(r *remote.Error, err error) bool
	}{
		{linkedintest.Failure{Status: 401}, func(r *remote.Error, _ error) bool { return r.Kind == remote.KindAuth }},
		{linkedintest.Failure{Status: 403}, func(r *remote.Error, err error) bool {
			return r.Kind == remote.KindAuth && errors.Is(err, linkedin.ErrPermission)
		}},
		{linkedintest.Failure{Status: 429}, func(r *remote.Error, _ error) bool {
			return r.Kind == remote.KindRate && r.Reset.Equal(linkedin.NextUTCMidnight(e.clock.Now()))
		}},
		{linkedintest.Failure{Status: 500}, func(r *remote.Error, _ error) bool { return r.Kind == remote.KindServer }},
		{linkedintest.Failure{Status: 503}, func(r *remote.Error, _ error) bool { return r.Kind == remote.KindServer }},
	} {
		ims := uploads(t, c, e.ctx, author, 1)
		tc.fail.Endpoint = linkedintest.ImageStatus
		e.fake.Fail(tc.fail)
		_, err := c.Publish(e.ctx, author, "Katsotaan kuvaa", ims...)
		r, ok := remote.As(err)
		if !ok || !tc.check(r, err) || r.MaybeSent || r.Op != "wait for an uploaded image" {
			t.Errorf("%+v: %v", tc.fail, err)
		}
	}
	if n := e.fake.Count(linkedintest.Posts); n != 0 {
		t.Errorf("%d post requests", n)
	}
}

// Waiting for images, in every way it ends, says nothing of the token.
func TestImageWaitNeverLeaksTheToken(t *testing.T) {
	e := newEnv(t, linkedintest.Options{ProcessingLooks: 2})
	c, linked := e.link()
	author := linked.Member.URN()
	var said []string
	note := func(err error) {
		if err != nil {
			said = append(said, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	_, err := c.Publish(e.ctx, author, "Odota kuvaa", uploads(t, c, e.ctx, author, 2)...)
	note(err)
	e.fake.FailProcessing(3)
	_, err = c.Publish(e.ctx, author, "Rikki", uploads(t, c, e.ctx, author, 1)...)
	note(err)
	for _, f := range []linkedintest.Failure{{Status: 401}, {Status: 403}, {Status: 429}, {Status: 500}, {Status: 503}} {
		f.Endpoint = linkedintest.ImageStatus
		e.fake.Fail(f)
		_, err = c.Publish(e.ctx, author, "Virhe", uploads(t, c, e.ctx, author, 1)...)
		note(err)
	}
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	_, err = c.Publish(ctx, author, "Peruttu", uploads(t, c, e.ctx, author, 1)...)
	note(err)
	said = append(said, e.tr.said...)
	all := strings.Join(said, "\n")
	if len(said) < 30 || !strings.Contains(all, "/rest/images/") {
		t.Fatalf("too little said to prove anything: %d lines", len(said))
	}
	for _, sec := range e.fake.IssuedSecrets() {
		if strings.Contains(all, sec) {
			t.Errorf("a secret %.6s… leaked", sec)
		}
	}
	if low := strings.ToLower(all); strings.Contains(low, "bearer") || strings.Contains(low, "authorization:") {
		t.Error("a request header leaked")
	}
}
