package ui

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

func photo(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, x%48, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAttachImagesWithAltTextToParts(t *testing.T) {
	w, d := keyboardFixture(t)
	ctx := context.Background()
	w.newPost()
	c := w.Composer()
	test.Type(c.text, "Kuvia syksyn kokeilusta")
	c.attachImage(c.boxes[0], "kaavio.jpg", io.NopCloser(bytes.NewReader(photo(t))))
	if len(c.boxes[0].images) != 1 {
		t.Fatalf("images %d; info %q", len(c.boxes[0].images), c.info.Text)
	}
	pi := c.boxes[0].images[0]
	if w.Canvas().Focused() != pi.alt || pi.thumb.Resource == nil {
		t.Fatal("the alt text does not wait beside a thumbnail")
	}
	test.Type(pi.alt, "Kaavio lainoista")
	// A second part with a picture of its own.
	c.AddPart()
	test.Type(c.boxes[1].entry, "Toinen osa")
	c.attachImage(c.boxes[1], "kuva.jpg", io.NopCloser(bytes.NewReader(photo(t))))
	c.saveAs(planner.StatusDraft)
	ps, _ := d.Store.PostsWithStatus(ctx, planner.StatusDraft)
	if len(ps) != 1 || len(ps[0].Images) != 2 {
		t.Fatalf("saved %+v", ps)
	}
	got := ps[0].Images
	if got[0].Alt != "Kaavio lainoista" || got[0].Part != 0 || got[1].Part != 1 || got[0].Type != planner.ImageJPEG || got[0].Width != 64 {
		t.Fatalf("images %+v", got)
	}
	if _, err := d.Store.ImageData(ctx, got[0].Hash); err != nil {
		t.Fatal(err)
	}
	// Reopened, each picture is in its part with a thumbnail.
	c.New()
	w.openPost(ps[0])
	if len(c.boxes) != 2 || len(c.boxes[0].images) != 1 || len(c.boxes[1].images) != 1 || c.boxes[1].images[0].thumb.Resource == nil {
		t.Fatal("reopened without its pictures")
	}
	if c.boxes[0].images[0].alt.Text != "Kaavio lainoista" {
		t.Fatalf("alt %q", c.boxes[0].images[0].alt.Text)
	}
	// Removing one: the next save leaves it out.
	test.Tap(findButtonByIcon(t, c.boxes[1].images[0].row))
	c.Save()
	p, _ := d.Store.Post(ctx, ps[0].ID)
	if len(p.Images) != 1 {
		t.Fatalf("after removing: %+v", p.Images)
	}
}

func TestAPictureAloneIsAPost(t *testing.T) {
	w, d := keyboardFixture(t)
	w.newPost()
	c := w.Composer()
	c.attachImage(c.boxes[0], "kuva.jpg", io.NopCloser(bytes.NewReader(photo(t))))
	c.Save()
	ps, _ := d.Store.PostsWithStatus(context.Background(), planner.StatusDraft)
	if len(ps) != 1 || len(ps[0].Images) != 1 {
		t.Fatalf("saved %+v", ps)
	}
}

func TestABrokenImageIsRefusedClearly(t *testing.T) {
	w, _ := keyboardFixture(t)
	w.newPost()
	c := w.Composer()
	c.attachImage(c.boxes[0], "/home/maija/rikki.png", io.NopCloser(strings.NewReader("\x89PNG\r\n\x1a\nnot really")))
	o := w.Canvas().Overlays().Top()
	if o == nil || !strings.Contains(allText(o), "rikki.png") || len(c.boxes[0].images) != 0 {
		t.Fatalf("the refusal says %q", allText(o))
	}
}

// findButtonByIcon finds the one button without text under o.
func findButtonByIcon(t *testing.T, o fyne.CanvasObject) *widget.Button {
	t.Helper()
	var found *widget.Button
	walkObjects(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "" && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatal("no icon button")
	}
	return found
}

func TestTooManyPicturesForANetworkAreFlagged(t *testing.T) {
	w, _ := keyboardFixture(t)
	w.newPost()
	c := w.Composer()
	c.networks.SetSelected([]string{"LinkedIn by hand"})
	test.Type(c.text, "Kuvia")
	for range 4 {
		c.attachImage(c.boxes[0], "kuva.jpg", io.NopCloser(bytes.NewReader(photo(t))))
	}
	if !c.boxes[0].addImage.Disabled() {
		t.Error("a fifth picture can be added")
	}
	// The alt texts are missing: the checks say so before publishing.
	if got := allText(c.warnings); !strings.Contains(strings.ToLower(got), "alt") && !strings.Contains(got, "describ") {
		t.Errorf("warnings %q", got)
	}
}
