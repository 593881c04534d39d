package linkcard_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kaiku-app/kaiku/linkcard"
)

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestShrinkKeepsWhatFitsAndScalesWhatDoesNot(t *testing.T) {
	small := image.NewRGBA(image.Rect(0, 0, 40, 30))
	b := encodePNG(t, small)
	got, mt, err := linkcard.Shrink(b, "image/png", 1000)
	if err != nil || !bytes.Equal(got, b) || mt != "image/png" {
		t.Fatalf("a small PNG changed: %d bytes %s %v", len(got), mt, err)
	}

	// A half-transparent image that is too large turns into a JPEG within
	// the limit, its transparent part white.
	big := image.NewNRGBA(image.Rect(0, 0, 400, 300))
	for y := range 300 {
		for x := range 400 {
			if x < 200 {
				big.Set(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
			}
		}
	}
	b = encodePNG(t, big)
	limit := len(b) / 2
	got, mt, err = linkcard.Shrink(b, "image/png", limit)
	if err != nil || mt != "image/jpeg" || len(got) > limit {
		t.Fatalf("shrunk to %d bytes %s: %v", len(got), mt, err)
	}
	img, err := jpeg.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	bd := img.Bounds()
	if bd.Dx()*300-bd.Dy()*400 > 400 || bd.Dy()*400-bd.Dx()*300 > 400 {
		t.Errorf("the shape changed: %v", bd)
	}
	if r, g, bl, _ := img.At(bd.Max.X-2, bd.Max.Y/2).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
		t.Errorf("the transparent part is not white: %x %x %x", r, g, bl)
	}
	if _, _, err := linkcard.Shrink([]byte("not an image"), "image/png", limit); err == nil {
		t.Error("garbage was taken as an image")
	}
}

func TestFetchReadsOpenGraphInThePagesCharset(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/latin1":
			w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
			// "Sää" in ISO-8859-1.
			fmt.Fprint(w, "<html><head><meta content='S\xe4\xe4 t\xe4n\xe4\xe4n' property='og:title'><meta name=description content=Ennuste></head></html>")
		case "/title-only":
			fmt.Fprint(w, "<html><head><title>\n  Pelkkä   otsikko </title></head></html>")
		case "/nothing":
			fmt.Fprint(w, "<html><body>tyhjä</body></html>")
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			fmt.Fprint(w, "%PDF-1.7")
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	ctx := context.Background()
	c, err := linkcard.Fetch(ctx, site.URL+"/latin1", linkcard.Options{})
	if err != nil || c.Title != "Sää tänään" || c.Description != "Ennuste" || c.Image != nil {
		t.Errorf("latin1: %+v %v", c, err)
	}
	c, err = linkcard.Fetch(ctx, site.URL+"/title-only", linkcard.Options{})
	if err != nil || c.Title != "Pelkkä otsikko" {
		t.Errorf("title only: %+v %v", c, err)
	}
	for _, p := range []string{"/nothing", "/pdf", "/missing"} {
		if _, err := linkcard.Fetch(ctx, site.URL+p, linkcard.Options{}); !errors.Is(err, linkcard.ErrNoCard) {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := linkcard.Fetch(ctx, "javascript:alert(1)", linkcard.Options{}); !errors.Is(err, linkcard.ErrNoCard) {
		t.Errorf("a javascript: link: %v", err)
	}
}
