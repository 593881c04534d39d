package media

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"math"
	"math/rand/v2"
	"testing"
)

// blueskyBlob is Bluesky's limit on an uploaded blob (app.bsky.embed.images).
const blueskyBlob = 1_000_000

func decodeUpload(t *testing.T, u Upload) image.Image {
	t.Helper()
	m, typ, err := image.Decode(bytes.NewReader(u.Data))
	if err != nil {
		t.Fatal(err)
	}
	if "image/"+typ != u.Type {
		t.Errorf("says %s, is %s", u.Type, typ)
	}
	if m.Bounds().Dx() != u.Width || m.Bounds().Dy() != u.Height {
		t.Errorf("says %d×%d, is %v", u.Width, u.Height, m.Bounds().Size())
	}
	return m
}

// sameAspect reports whether w×h has the aspect ratio of ow×oh, within the
// pixel that rounding to whole pixels costs.
func sameAspect(w, h, ow, oh int) bool {
	want := float64(ow) / float64(oh)
	return math.Abs(float64(w)/float64(h)-want) <= want/float64(min(w, h))
}

func TestFitLeavesWhatFitsAsItIs(t *testing.T) {
	p, err := Prepare(jpegOf(t, photo(400, 300, 1)))
	if err != nil {
		t.Fatal(err)
	}
	u, err := Fit(p.Data, Limits{MaxBytes: blueskyBlob, MaxPixels: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(u.Data, p.Data) || u.Type != TypeJPEG || u.Width != 400 || u.Height != 300 {
		t.Errorf("a fitting image was changed: %s %d×%d, %d bytes", u.Type, u.Width, u.Height, len(u.Data))
	}
}

func TestFitBlueskyKeepsTheAspectRatio(t *testing.T) {
	icc := fakeICC("RGB ")
	big := withICC(jpegOf(t, photo(2400, 1350, 2)), icc)
	if len(big) <= blueskyBlob {
		t.Fatalf("the fixture is only %d bytes", len(big))
	}
	u, err := Fit(big, Limits{MaxBytes: blueskyBlob})
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Data) > blueskyBlob {
		t.Errorf("%d bytes, over Bluesky's %d", len(u.Data), blueskyBlob)
	}
	if u.Type != TypeJPEG || !sameAspect(u.Width, u.Height, 2400, 1350) {
		t.Errorf("%s %d×%d, want a JPEG of 16:9", u.Type, u.Width, u.Height)
	}
	if u.Width < 1000 {
		t.Errorf("scaled down to %d px wide, more than the limit asks", u.Width)
	}
	decodeUpload(t, u)
	if f, _ := cleanJPEG(u.Data); !bytes.Equal(f.icc, icc) {
		t.Error("the colour profile was lost")
	}
}

func TestFitPixelLimit(t *testing.T) {
	src := jpegOf(t, photo(900, 500, 3))
	const limit = 200_000 // a Mastodon instance's image_matrix_limit, made small
	u, err := Fit(src, Limits{MaxPixels: limit})
	if err != nil {
		t.Fatal(err)
	}
	if px := u.Width * u.Height; px > limit || px < limit*9/10 {
		t.Errorf("%d×%d = %d pixels, want just under %d", u.Width, u.Height, px, limit)
	}
	if !sameAspect(u.Width, u.Height, 900, 500) {
		t.Errorf("%d×%d is not 9:5", u.Width, u.Height)
	}
	decodeUpload(t, u)
}

func TestFitPNG(t *testing.T) {
	t.Run("a screenshot that fits when smaller stays a PNG", func(t *testing.T) {
		shot := image.NewRGBA(image.Rect(0, 0, 1200, 800))
		for y := range 800 {
			for x := range 1200 {
				shot.Set(x, y, color.RGBA{uint8(x / 100 * 20), uint8(y / 100 * 30), 200, 255})
			}
		}
		src := pngOf(t, shot)
		u, err := Fit(src, Limits{MaxPixels: 400_000})
		if err != nil {
			t.Fatal(err)
		}
		if u.Type != TypePNG || u.Width*u.Height > 400_000 {
			t.Errorf("%s %d×%d", u.Type, u.Width, u.Height)
		}
		decodeUpload(t, u)
	})
	t.Run("an opaque photo as PNG becomes a JPEG", func(t *testing.T) {
		src := pngOf(t, photo(800, 600, 4))
		u, err := Fit(src, Limits{MaxBytes: int64(len(src) / 4)})
		if err != nil {
			t.Fatal(err)
		}
		if u.Type != TypeJPEG || len(u.Data) > len(src)/4 {
			t.Errorf("%s of %d bytes", u.Type, len(u.Data))
		}
		decodeUpload(t, u)
	})
	t.Run("transparency stays a PNG, scaled", func(t *testing.T) {
		m := image.NewNRGBA(image.Rect(0, 0, 600, 400))
		noise := photo(600, 400, 5)
		for i := 0; i < len(m.Pix); i += 4 {
			copy(m.Pix[i:i+3], noise.Pix[i:i+3])
			m.Pix[i+3] = uint8(i / 4 % 256)
		}
		src := pngOf(t, m)
		u, err := Fit(src, Limits{MaxBytes: int64(len(src) / 3)})
		if err != nil {
			t.Fatal(err)
		}
		if u.Type != TypePNG || len(u.Data) > len(src)/3 || !sameAspect(u.Width, u.Height, 600, 400) {
			t.Errorf("%s %d×%d of %d bytes", u.Type, u.Width, u.Height, len(u.Data))
		}
		if opaque(decodeUpload(t, u)) {
			t.Error("the transparency was lost")
		}
	})
}

func TestFitToTheTypesANetworkTakes(t *testing.T) {
	anim := animation(t)
	u, err := Fit(anim, Limits{Types: []string{TypeJPEG, TypePNG}})
	if err != nil {
		t.Fatal(err)
	}
	if u.Type != TypePNG || u.Width != 24 || u.Height != 16 {
		t.Errorf("a GIF for a network without GIF: %s %d×%d, want its first frame as a PNG", u.Type, u.Width, u.Height)
	}
	m := decodeUpload(t, u)
	first, _ := gif.DecodeAll(bytes.NewReader(anim))
	if color.NRGBAModel.Convert(m.At(10, 5)) != color.NRGBAModel.Convert(first.Image[0].At(10, 5)) {
		t.Error("not the first frame")
	}

	u, err = Fit(pngOf(t, photo(64, 64, 6)), Limits{Types: []string{TypeJPEG}})
	if err != nil || u.Type != TypeJPEG {
		t.Fatalf("a PNG for a network of JPEGs only: %s, %v", u.Type, err)
	}
	decodeUpload(t, u)
}

func TestFitShrinksAnAnimatedGIF(t *testing.T) {
	pal := color.Palette{}
	for i := range 256 {
		pal = append(pal, color.RGBA{uint8(i), uint8(255 - i), uint8(i * 7), 255})
	}
	g := &gif.GIF{}
	for f := range 4 {
		fr := image.NewPaletted(image.Rect(0, 0, 300, 200), pal)
		noise := photo(300, 200, uint64(f))
		for i := range fr.Pix {
			fr.Pix[i] = noise.Pix[i*4] ^ noise.Pix[i*4+1]
		}
		g.Image, g.Delay = append(g.Image, fr), append(g.Delay, 8)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	limit := int64(buf.Len() / 3)
	u, err := Fit(buf.Bytes(), Limits{MaxBytes: 1, MaxGIFBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	got, err := gif.DecodeAll(bytes.NewReader(u.Data))
	if err != nil {
		t.Fatal(err)
	}
	if u.Type != TypeGIF || int64(len(u.Data)) > limit || len(got.Image) != 4 || got.Delay[3] != 8 {
		t.Errorf("%s of %d bytes (limit %d), %d frames", u.Type, len(u.Data), limit, len(got.Image))
	}
	if !sameAspect(u.Width, u.Height, 300, 200) {
		t.Errorf("%d×%d is not 3:2", u.Width, u.Height)
	}
}

func TestFitRefuses(t *testing.T) {
	if _, err := Fit([]byte("RIFF\x00\x00\x00\x00WEBP"), Limits{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("a WebP, which Prepare never stores: %v", err)
	}
	if _, err := Fit(jpegOf(t, photo(64, 64, 7)), Limits{MaxBytes: 100}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a limit no picture meets: %v", err)
	}
	if _, err := Fit(jpegOf(t, photo(64, 64, 7)), Limits{Types: []string{"image/heic"}}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a network that takes no type Kaiku writes: %v", err)
	}
}

// photo12MP is a 12-megapixel photo (4000×3000) as a phone's camera saves
// it, about 3 MB, with its EXIF.
func photo12MP(b *testing.B, orientation int) []byte {
	b.Helper()
	jpg := jpegOf(b, natural(4000, 3000, 12))
	return afterSOI(jpg, segment(0xE1, append([]byte("Exif\x00\x00"), buildEXIF(exifSpec{orientation: orientation, gps: true, camera: true})...)))
}

// BenchmarkPrepare12MP: attaching an upright photo copies its compressed
// picture and decodes it once, to prove it.
func BenchmarkPrepare12MP(b *testing.B) {
	file := photo12MP(b, 1)
	b.SetBytes(int64(len(file)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Prepare(file); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepare12MPTurned: a photo taken with the phone on its side is
// decoded, turned and encoded again.
func BenchmarkPrepare12MPTurned(b *testing.B) {
	file := photo12MP(b, 6)
	b.SetBytes(int64(len(file)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Prepare(file); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitBluesky12MP: making a 12-megapixel photo fit Bluesky's blob.
func BenchmarkFitBluesky12MP(b *testing.B) {
	p, err := Prepare(photo12MP(b, 1))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		u, err := Fit(p.Data, Limits{MaxBytes: blueskyBlob})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(u.Width*u.Height)/1e6, "Mpx-out")
	}
}

// TestScaledKeepsThePixelLimitAndTheShape: for sizes and limits of every
// kind, the scaled size is within the limit, and off the exact shape by
// less than the pixel that rounding costs.
func TestScaledKeepsThePixelLimitAndTheShape(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		w, h := 1+r.IntN(12000), 1+r.IntN(12000)
		limit := int64(1 + r.IntN(w*h))
		nw, nh := scaled(w, h, pixelScale(w, h, limit), limit)
		if int64(nw)*int64(nh) > limit {
			t.Fatalf("%d×%d under %d: %d×%d", w, h, limit, nw, nh)
		}
		if nw > 2 && nh > 2 && !sameAspect(nw, nh, w, h) {
			t.Fatalf("%d×%d under %d: %d×%d changes the shape", w, h, limit, nw, nh)
		}
	}
}
