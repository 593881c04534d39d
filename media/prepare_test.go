package media

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/image/webp"
)

// jpegSegments lists a JPEG's marker segments up to its first scan, as
// marker and payload.
func jpegSegments(t *testing.T, b []byte) map[byte][][]byte {
	t.Helper()
	segs := map[byte][][]byte{}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		m := b[i+1]
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		segs[m] = append(segs[m], b[i+4:i+2+n])
		if m == 0xDA {
			break
		}
		i += 2 + n
	}
	return segs
}

// corner is the mean colour of the block×block square at a corner of m.
func corner(m image.Image, right, bottom bool, block int) color.RGBA {
	b := m.Bounds()
	x0, y0 := b.Min.X, b.Min.Y
	if right {
		x0 = b.Max.X - block
	}
	if bottom {
		y0 = b.Max.Y - block
	}
	var r, g, bl, n int
	// The middle of the square, away from where JPEG blurs its edge.
	lo, hi := block/4, max(block*3/4, block/4+1)
	for y := y0 + lo; y < y0+hi; y++ {
		for x := x0 + lo; x < x0+hi; x++ {
			c := color.RGBAModel.Convert(m.At(x, y)).(color.RGBA)
			r, g, bl, n = r+int(c.R), g+int(c.G), bl+int(c.B), n+1
		}
	}
	return color.RGBA{uint8(r / n), uint8(g / n), uint8(bl / n), 255}
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol
}

// Where the marks land, by the EXIF specification's own words for each
// orientation: which side of the upright picture the stored first row is
// on, and which side its first column is on.
var orientationSides = map[int]struct{ row, col string }{
	1: {"top", "left"}, 2: {"top", "right"}, 3: {"bottom", "right"}, 4: {"bottom", "left"},
	5: {"left", "top"}, 6: {"right", "top"}, 7: {"right", "bottom"}, 8: {"left", "bottom"},
}

func opposite(side string) string {
	return map[string]string{"top": "bottom", "bottom": "top", "left": "right", "right": "left"}[side]
}

// cornerOf is the corner where two sides meet, as (right, bottom).
func cornerOf(a, b string) (bool, bool) {
	return a == "right" || b == "right", a == "bottom" || b == "bottom"
}

// checkUpright checks that the marks of a w×h stored picture with
// orientation o stand where the upright picture has them.
func checkUpright(t *testing.T, m image.Image, w, h, o, block, tol int) {
	t.Helper()
	want := image.Pt(w, h)
	if o >= 5 {
		want = image.Pt(h, w)
	}
	if got := m.Bounds().Size(); got != want {
		t.Fatalf("size %v, want %v", got, want)
	}
	s := orientationSides[o]
	// Red is where the first row and column meet; green ends the first row;
	// blue ends the first column.
	for _, mark := range []struct {
		name     string
		c        color.RGBA
		row, col string
	}{
		{"red", markRed, s.row, s.col},
		{"green", markGreen, s.row, opposite(s.col)},
		{"blue", markBlue, opposite(s.row), s.col},
	} {
		right, bottom := cornerOf(mark.row, mark.col)
		if got := corner(m, right, bottom, block); !near(got, mark.c, tol) {
			t.Errorf("orientation %d: the %s mark should be at right=%v bottom=%v, found %v there", o, mark.name, right, bottom, got)
		}
	}
}

func TestPrepareJPEGArrivesUprightWithoutGPS(t *testing.T) {
	icc := fakeICC("RGB ")
	exif := buildEXIF(exifSpec{orientation: 6, gps: true, camera: true})
	stored := jpegOf(t, marked(64, 32, 16))
	file := afterSOI(stored,
		segment(0xE1, append([]byte("Exif\x00\x00"), exif...)),
		segment(0xE1, []byte(`http://ns.adobe.com/xap/1.0/`+"\x00"+`<x:xmpmeta><rdf:Description exif:GPSLatitude="60,10N"/></x:xmpmeta>`)),
		iccSegments(icc, 100)[0], iccSegments(icc, 100)[1],
		segment(0xFE, []byte("Photo by Anna at the summer cottage")))

	p, err := Prepare(file)
	if err != nil {
		t.Fatal(err)
	}
	if p.Type != TypeJPEG || p.From != TypeJPEG || p.Width != 32 || p.Height != 64 {
		t.Errorf("prepared %s (from %s) %d×%d, want image/jpeg 32×64", p.Type, p.From, p.Width, p.Height)
	}
	if p.Removed != (Removed{Location: true, Camera: true, Other: true}) {
		t.Errorf("removed %+v, want location, camera and other", p.Removed)
	}
	segs := jpegSegments(t, p.Data)
	if len(segs[0xE1]) != 0 {
		t.Errorf("the output keeps %d APP1 segments (EXIF or XMP)", len(segs[0xE1]))
	}
	if len(segs[0xFE]) != 0 {
		t.Error("the output keeps the comment")
	}
	for _, leak := range []string{"Exif", "Kaikutech", "SN-4242", "GPSLatitude", "Anna"} {
		if bytes.Contains(p.Data, []byte(leak)) {
			t.Errorf("the output still holds %q", leak)
		}
	}
	var gotICC []byte
	for _, s := range segs[0xE2] {
		if !bytes.HasPrefix(s, []byte("ICC_PROFILE\x00")) {
			t.Errorf("an APP2 segment that is no ICC profile: %q", s[:min(12, len(s))])
			continue
		}
		gotICC = append(gotICC, s[14:]...)
	}
	if !bytes.Equal(gotICC, icc) {
		t.Errorf("the ICC profile was not kept whole (%d bytes, want %d)", len(gotICC), len(icc))
	}
	m, err := jpeg.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	checkUpright(t, m, 64, 32, 6, 16, 40)
}

func TestPrepareJPEGEveryOrientation(t *testing.T) {
	// 64×32 takes the fast path through the Y, Cb and Cr planes; 63×33 (odd,
	// so 4:2:0 chroma cannot be turned exactly) the one through RGBA.
	for _, size := range []image.Point{{64, 32}, {63, 33}} {
		stored := jpegOf(t, marked(size.X, size.Y, 16))
		for o := 1; o <= 8; o++ {
			file := afterSOI(stored, segment(0xE1, append([]byte("Exif\x00\x00"), buildEXIF(exifSpec{orientation: o})...)))
			p, err := Prepare(file)
			if err != nil {
				t.Fatalf("%v, orientation %d: %v", size, o, err)
			}
			m, err := jpeg.Decode(bytes.NewReader(p.Data))
			if err != nil {
				t.Fatal(err)
			}
			if p.Width != m.Bounds().Dx() || p.Height != m.Bounds().Dy() {
				t.Errorf("reported %d×%d, decoded %v", p.Width, p.Height, m.Bounds().Size())
			}
			checkUpright(t, m, size.X, size.Y, o, 16, 40)
		}
	}
}

func TestPrepareUprightJPEGKeepsItsPictureByteForByte(t *testing.T) {
	stored := jpegOf(t, photo(96, 64, 1))
	jfif := append([]byte("JFIF\x00\x01\x02\x01\x00\x48\x00\x48\x01\x01"), 0, 0, 0) // with a 1×1 thumbnail
	file := afterSOI(stored,
		segment(0xE0, jfif),
		segment(0xE1, append([]byte("Exif\x00\x00"), buildEXIF(exifSpec{orientation: 1, gps: true})...)),
		segment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04 IPTC city: Helsinki")),
		segment(0xE2, []byte("MPF\x00 the index of pictures that follow")))
	file = append(file, jpegOf(t, photo(8, 8, 2))...) // the picture a phone appends

	p, err := Prepare(file)
	if err != nil {
		t.Fatal(err)
	}
	if p.Removed != (Removed{Location: true, Other: true}) {
		t.Errorf("removed %+v", p.Removed)
	}
	segs := jpegSegments(t, p.Data)
	if len(segs[0xE1])+len(segs[0xED])+len(segs[0xE2]) != 0 {
		t.Errorf("metadata segments left: %d APP1, %d APP13, %d APP2", len(segs[0xE1]), len(segs[0xED]), len(segs[0xE2]))
	}
	if app0 := segs[0xE0]; len(app0) != 1 || len(app0[0]) != 14 || app0[0][12] != 0 || app0[0][13] != 0 {
		t.Errorf("JFIF should stay without its thumbnail: %q", app0)
	}
	if bytes.Count(p.Data, []byte{0xFF, 0xD8}) != 1 || !bytes.HasSuffix(p.Data, []byte{0xFF, 0xD9}) {
		t.Error("the appended picture is still there")
	}
	// The compressed picture is the same: it decodes to the same pixels.
	want, _ := jpeg.Decode(bytes.NewReader(stored))
	got, err := jpeg.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	wy, gy := want.(*image.YCbCr), got.(*image.YCbCr)
	if !bytes.Equal(wy.Y, gy.Y) || !bytes.Equal(wy.Cb, gy.Cb) || !bytes.Equal(wy.Cr, gy.Cr) {
		t.Error("the pixels changed")
	}
	// A file with nothing to remove comes back as it was.
	again, err := Prepare(p.Data)
	if err != nil || !bytes.Equal(again.Data, p.Data) || again.Removed.Any() {
		t.Errorf("preparing a clean file changed it (%v, removed %+v)", err, again.Removed)
	}
}

func TestPrepareJPEGDropsACMYKProfileWhenEncodingAgain(t *testing.T) {
	file := afterSOI(jpegOf(t, marked(32, 32, 8)),
		segment(0xE1, append([]byte("Exif\x00\x00"), buildEXIF(exifSpec{orientation: 3})...)),
		iccSegments(fakeICC("CMYK"), 1000)[0])
	p, err := Prepare(file)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(p.Data, []byte("ICC_PROFILE")) {
		t.Error("a CMYK profile now describes an RGB picture")
	}
}

// pngChunks lists a PNG's chunk types in order.
func pngChunks(t *testing.T, b []byte) []string {
	t.Helper()
	var types []string
	for i := 8; i+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		types = append(types, string(b[i+4:i+8]))
		i += 12 + n
	}
	return types
}

func TestPreparePNGKeepsColourDropsText(t *testing.T) {
	exif := buildEXIF(exifSpec{orientation: 8, gps: true, camera: true})
	icc := fakeICC("RGB ")
	src := marked(7, 5, 1) // odd sizes, single pixels: PNG is exact
	file := pngWithChunks(pngOf(t, src),
		[][]byte{iccpChunk(icc), pngChunk("eXIf", exif), pngChunk("tEXt", []byte("Author\x00Anna Virtanen")),
			pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<rdf:Description photoshop:City=\"Espoo\"/>"))},
		[][]byte{pngChunk("tIME", []byte{7, 234, 12, 1, 9, 0, 0}), pngChunk("prVt", []byte("private"))})
	p, err := Prepare(file)
	if err != nil {
		t.Fatal(err)
	}
	if p.Type != TypePNG || p.Width != 5 || p.Height != 7 {
		t.Errorf("prepared %s %d×%d, want image/png 5×7", p.Type, p.Width, p.Height)
	}
	if p.Removed != (Removed{Location: true, Camera: true, Other: true}) {
		t.Errorf("removed %+v", p.Removed)
	}
	got := strings.Join(pngChunks(t, p.Data), " ")
	if strings.Contains(got, "eXIf") || strings.Contains(got, "tEXt") || strings.Contains(got, "iTXt") || strings.Contains(got, "tIME") || strings.Contains(got, "prVt") {
		t.Errorf("chunks %s", got)
	}
	if !strings.HasPrefix(got, "IHDR iCCP") {
		t.Errorf("the profile should follow IHDR: %s", got)
	}
	m, err := png.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	checkUpright(t, m, 7, 5, 8, 1, 0)
	f, _ := cleanPNG(p.Data)
	if !bytes.Equal(f.icc, icc) {
		t.Error("the profile changed")
	}
}

func TestPreparePNGWithEXIFAfterTheImageDataIsNotTurned(t *testing.T) {
	file := pngWithChunks(pngOf(t, marked(6, 4, 1)), nil, [][]byte{pngChunk("eXIf", buildEXIF(exifSpec{orientation: 6}))})
	p, err := Prepare(file)
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 6 || p.Height != 4 || !p.Removed.Other {
		t.Errorf("%d×%d, removed %+v: an eXIf after IDAT is ignored for orientation, as browsers do, but removed", p.Width, p.Height, p.Removed)
	}
}

func TestPrepareGIFKeepsTheAnimation(t *testing.T) {
	file := animation(t)
	p, err := Prepare(file)
	if err != nil {
		t.Fatal(err)
	}
	if p.Type != TypeGIF || p.Width != 24 || p.Height != 16 {
		t.Errorf("prepared %s %d×%d", p.Type, p.Width, p.Height)
	}
	if p.Removed != (Removed{Camera: true, Other: true}) {
		t.Errorf("removed %+v", p.Removed)
	}
	if bytes.Contains(p.Data, []byte("Anna")) || bytes.Contains(p.Data, []byte("XMP")) {
		t.Error("the comment or the XMP is still there")
	}
	want, _ := gif.DecodeAll(bytes.NewReader(file))
	got, err := gif.DecodeAll(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Image) != 3 || got.LoopCount != want.LoopCount || got.Delay[2] != 30 {
		t.Errorf("%d frames, loop %d, delays %v", len(got.Image), got.LoopCount, got.Delay)
	}
	for i := range want.Image {
		if !bytes.Equal(want.Image[i].Pix, got.Image[i].Pix) {
			t.Errorf("frame %d changed", i)
		}
	}
}

func TestPrepareWebP(t *testing.T) {
	lossy := webpFixture(t, "blue-purple-pink.lossy.webp") // 150×100
	icc := fakeICC("RGB ")
	t.Run("a lossy photo becomes a JPEG, upright, with its profile", func(t *testing.T) {
		file := extendedWebP(lossy, 150, 100, icc, buildEXIF(exifSpec{orientation: 6, gps: true}), false)
		p, err := Prepare(file)
		if err != nil {
			t.Fatal(err)
		}
		if p.Type != TypeJPEG || p.From != TypeWebP || p.Width != 100 || p.Height != 150 {
			t.Errorf("prepared %s from %s, %d×%d; want a 100×150 JPEG", p.Type, p.From, p.Width, p.Height)
		}
		if !p.Removed.Location {
			t.Errorf("removed %+v", p.Removed)
		}
		var gotICC []byte
		for _, s := range jpegSegments(t, p.Data)[0xE2] {
			gotICC = append(gotICC, s[14:]...)
		}
		if !bytes.Equal(gotICC, icc) {
			t.Error("the profile was lost")
		}
		orig, _ := webp.Decode(bytes.NewReader(lossy))
		m, err := jpeg.Decode(bytes.NewReader(p.Data))
		if err != nil {
			t.Fatal(err)
		}
		// Turned clockwise: the original's bottom-left corner is now top-left.
		o := color.RGBAModel.Convert(orig.At(2, 97)).(color.RGBA)
		g := color.RGBAModel.Convert(m.At(2, 2)).(color.RGBA)
		if !near(o, g, 24) {
			t.Errorf("top-left %v, want the original's bottom-left %v", g, o)
		}
	})
	t.Run("a lossless picture becomes a PNG with the same pixels", func(t *testing.T) {
		file := webpFixture(t, "gopher-doc.8bpp.lossless.webp")
		p, err := Prepare(file)
		if err != nil {
			t.Fatal(err)
		}
		if p.Type != TypePNG {
			t.Fatalf("type %s", p.Type)
		}
		want, _ := webp.Decode(bytes.NewReader(file))
		got, _ := png.Decode(bytes.NewReader(p.Data))
		for y := range want.Bounds().Dy() {
			for x := range want.Bounds().Dx() {
				if color.NRGBAModel.Convert(want.At(x, y)) != color.NRGBAModel.Convert(got.At(x, y)) {
					t.Fatalf("pixel %d,%d differs", x, y)
				}
			}
		}
	})
	t.Run("transparency stays, as a PNG", func(t *testing.T) {
		p, err := Prepare(webpFixture(t, "yellow_rose.lossy-with-alpha.webp"))
		if err != nil {
			t.Fatal(err)
		}
		m, _ := png.Decode(bytes.NewReader(p.Data))
		if p.Type != TypePNG || opaque(m) {
			t.Errorf("type %s, opaque %v", p.Type, opaque(m))
		}
	})
}

func TestPrepareRefuses(t *testing.T) {
	good := jpegOf(t, marked(32, 32, 8))
	goodPNG := pngOf(t, marked(32, 32, 8))
	huge := pngOf(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(huge[16:], 20000) // IHDR says 20000×20000
	binary.BigEndian.PutUint32(huge[20:], 20000)
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29]))
	badCRC := bytes.Clone(goodPNG)
	badCRC[40] ^= 0xFF
	lossy := webpFixture(t, "blue-purple-pink.lossy.webp")
	// SOF9, arithmetic coding, which Go's decoder does not read.
	arithmetic := bytes.Replace(bytes.Clone(good), []byte{0xFF, 0xC0}, []byte{0xFF, 0xC9}, 1)
	tests := []struct {
		name string
		file []byte
		kind error
		key  string
	}{
		{"empty", nil, ErrUnsupported, "image.error.unsupported"},
		{"text", []byte("Hello, this is not a picture."), ErrUnsupported, "image.error.unsupported"},
		{"BMP", append([]byte("BM"), make([]byte, 64)...), ErrUnsupported, "image.error.unsupported"},
		{"HEIC", append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 64)...), ErrUnsupported, "image.error.heic"},
		{"animated WebP", extendedWebP(lossy, 150, 100, nil, nil, true), ErrUnsupported, "image.error.animated_webp"},
		{"JPEG cut short", good[:len(good)/2], ErrDamaged, "image.error.damaged"},
		{"JPEG header only", good[:200], ErrDamaged, "image.error.damaged"},
		{"PNG cut short", goodPNG[:len(goodPNG)-20], ErrDamaged, "image.error.damaged"},
		{"PNG with a bad checksum", badCRC, ErrDamaged, "image.error.damaged"},
		{"GIF cut short", animation(t)[:100], ErrDamaged, "image.error.damaged"},
		{"WebP cut short", lossy[:len(lossy)/2], ErrDamaged, "image.error.damaged"},
		{"too many pixels", huge, ErrTooLarge, "image.error.pixels"},
		{"too many bytes", make([]byte, MaxFileBytes+1), ErrTooLarge, "image.error.bytes"},
		{"an arithmetic-coded JPEG", arithmetic, ErrUnsupported, "image.error.variant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Prepare(tt.file)
			var e *Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &e) || e.Key != tt.key {
				t.Errorf("err %v, want %v with key %s", err, tt.kind, tt.key)
			}
		})
	}
}

func TestRemovedMessage(t *testing.T) {
	tests := []struct {
		r   Removed
		key string
	}{
		{Removed{}, ""},
		{Removed{Location: true, Camera: true, Other: true}, "image.removed.location_camera"},
		{Removed{Location: true}, "image.removed.location"},
		{Removed{Camera: true, Other: true}, "image.removed.camera"},
		{Removed{Other: true}, "image.removed.other"},
	}
	for _, tt := range tests {
		if key, _ := tt.r.Message(); key != tt.key {
			t.Errorf("%+v: %q, want %q", tt.r, key, tt.key)
		}
	}
}

// FuzzPrepare: no file crashes Prepare, and what it accepts is an image of
// the type it says, that decodes.
func FuzzPrepare(f *testing.F) {
	f.Add(afterSOI(jpegOf(f, marked(16, 16, 4)), segment(0xE1, append([]byte("Exif\x00\x00"), buildEXIF(exifSpec{orientation: 6, gps: true})...))))
	f.Add(pngWithChunks(pngOf(f, marked(5, 3, 1)), [][]byte{pngChunk("eXIf", buildEXIF(exifSpec{orientation: 5}))}, nil))
	f.Add(animation(f))
	f.Add(extendedWebP(webpFixture(f, "blue-purple-pink.lossy.webp"), 150, 100, fakeICC("RGB "), buildEXIF(exifSpec{orientation: 2}), false))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		// Keep the fuzzer to small pictures: decoding is the standard library's.
		if c, _, err := image.DecodeConfig(bytes.NewReader(b)); err == nil && c.Width*c.Height > 1<<16 {
			return
		}
		p, err := Prepare(b)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Key == "" {
				t.Fatalf("an error without a message for the user: %v", err)
			}
			return
		}
		if sniff(p.Data) != p.Type {
			t.Fatalf("says %s, is %q", p.Type, sniff(p.Data))
		}
		c, _, err := image.DecodeConfig(bytes.NewReader(p.Data))
		if err != nil || c.Width != p.Width || c.Height != p.Height {
			t.Fatalf("output %v %d×%d, says %d×%d", err, c.Width, c.Height, p.Width, p.Height)
		}
	})
}

// TestMessagesAreTranslated: every sentence media hands the app is in both
// languages, with no placeholder its data does not fill.
func TestMessagesAreTranslated(t *testing.T) {
	type message struct {
		key  string
		data map[string]any
	}
	var msgs []message
	for _, e := range []*Error{unsupported(""), heicError("HEIC"), animatedWebP(), damaged("JPEG", nil), damaged("JPEG", jpeg.UnsupportedError("arithmetic coding")),
		tooManyPixels(1, 1), tooManyBytes(1), cannotFit("")} {
		msgs = append(msgs, message{e.Key, e.Data})
	}
	for _, r := range []Removed{{Location: true, Camera: true}, {Location: true}, {Camera: true}, {Other: true}} {
		key, _ := r.Message()
		msgs = append(msgs, message{key, nil})
	}
	placeholder := regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)
	for _, lang := range []string{"en", "fi"} {
		b, err := os.ReadFile("../assets/translations/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var tr map[string]string
		if err := json.Unmarshal(b, &tr); err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			text, ok := tr[m.key]
			if !ok {
				t.Errorf("%s.json lacks %s", lang, m.key)
			}
			for _, ph := range placeholder.FindAllStringSubmatch(text, -1) {
				if _, ok := m.data[ph[1]]; !ok {
					t.Errorf("%s.json: %s uses {{.%s}}, which its data lacks", lang, m.key, ph[1])
				}
			}
		}
	}
}
