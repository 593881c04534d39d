package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"testing"
)

// The fixtures are made here, byte by byte, rather than kept as files, so
// that each test says what its file holds: an EXIF block with a GPS position
// and a camera's serial number, a JPEG or PNG around it, an ICC profile.

// exifSpec is what buildEXIF writes.
type exifSpec struct {
	orientation int  // 0: no orientation tag
	gps         bool // a GPS position (60° 10′ N, 24° 56′ E)
	camera      bool // make, model and the body's serial number
	thumbOrient int  // an IFD1 (thumbnail) with its own orientation; 0: none
	bigEndian   bool
}

type tiffEntry struct {
	tag, typ uint16
	count    uint32
	val      []byte
}

func ascii(s string) tiffEntry {
	return tiffEntry{typ: 2, count: uint32(len(s) + 1), val: append([]byte(s), 0)}
}

// buildEXIF writes a TIFF-structured EXIF block: IFD0 (the camera, the
// orientation, pointers to the Exif and GPS IFDs), optionally IFD1, the Exif
// IFD (a date, the serial number) and the GPS IFD.
func buildEXIF(s exifSpec) []byte {
	var bo binary.AppendByteOrder = binary.LittleEndian
	head := []byte("II*\x00")
	if s.bigEndian {
		bo, head = binary.BigEndian, []byte("MM\x00*")
	}
	u16 := func(v int) []byte { return bo.AppendUint16(nil, uint16(v)) }
	u32 := func(v int) []byte { return bo.AppendUint32(nil, uint32(v)) }
	named := func(tag uint16, e tiffEntry) tiffEntry { e.tag = tag; return e }
	rationals := func(vs ...int) []byte {
		var b []byte
		for _, v := range vs {
			b = append(b, u32(v)...)
			b = append(b, u32(1)...)
		}
		return b
	}
	var ifd0, ifd1, exifIFD, gpsIFD []tiffEntry
	if s.camera {
		ifd0 = append(ifd0, named(0x010F, ascii("Kaikutech")), named(0x0110, ascii("K-1 Mark II")))
	}
	if s.orientation != 0 {
		ifd0 = append(ifd0, tiffEntry{0x0112, 3, 1, u16(s.orientation)})
	}
	ifd0 = append(ifd0, named(0x0131, ascii("Kaiku test")))
	exifIFD = append(exifIFD, named(0x9003, ascii("2026:12:01 09:00:00")))
	if s.camera {
		exifIFD = append(exifIFD, named(0xA431, ascii("SN-4242-1717")))
	}
	if s.gps {
		gpsIFD = []tiffEntry{
			{0x0000, 1, 4, []byte{2, 3, 0, 0}},
			named(0x0001, ascii("N")),
			{0x0002, 5, 3, rationals(60, 10, 0)},
			named(0x0003, ascii("E")),
			{0x0004, 5, 3, rationals(24, 56, 0)},
		}
	}
	if s.thumbOrient != 0 {
		ifd1 = []tiffEntry{{0x0112, 3, 1, u16(s.thumbOrient)}}
	}
	// Pointers hold 4-byte placeholders until the offsets are known.
	ifd0 = append(ifd0, tiffEntry{0x8769, 4, 1, u32(0)})
	if s.gps {
		ifd0 = append(ifd0, tiffEntry{0x8825, 4, 1, u32(0)})
	}
	size := func(es []tiffEntry) int {
		n := 2 + 12*len(es) + 4
		for _, e := range es {
			if len(e.val) > 4 {
				n += len(e.val) + len(e.val)&1
			}
		}
		return n
	}
	off0 := 8
	off1 := off0 + size(ifd0)
	offExif := off1
	if ifd1 != nil {
		offExif += size(ifd1)
	}
	offGPS := offExif + size(exifIFD)
	for i := range ifd0 {
		switch ifd0[i].tag {
		case 0x8769:
			ifd0[i].val = u32(offExif)
		case 0x8825:
			ifd0[i].val = u32(offGPS)
		}
	}
	out := append(head, u32(off0)...)
	write := func(es []tiffEntry, next int) {
		start := len(out)
		data := start + 2 + 12*len(es) + 4
		var tail []byte
		out = append(out, u16(len(es))...)
		for _, e := range es {
			out = append(out, u16(int(e.tag))...)
			out = append(out, u16(int(e.typ))...)
			out = append(out, u32(int(e.count))...)
			if len(e.val) <= 4 {
				out = append(out, append(e.val, make([]byte, 4-len(e.val))...)...)
				continue
			}
			out = append(out, u32(data+len(tail))...)
			tail = append(tail, e.val...)
			if len(e.val)&1 == 1 {
				tail = append(tail, 0)
			}
		}
		out = append(out, u32(next)...)
		out = append(out, tail...)
	}
	next := 0
	if ifd1 != nil {
		next = off1
	}
	write(ifd0, next)
	if ifd1 != nil {
		write(ifd1, 0)
	}
	write(exifIFD, 0)
	if s.gps {
		write(gpsIFD, 0)
	}
	return out
}

// segment is a JPEG marker segment.
func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker}
	s = binary.BigEndian.AppendUint16(s, uint16(len(payload)+2))
	return append(s, payload...)
}

// afterSOI puts segments right after a JPEG's start marker.
func afterSOI(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// fakeICC is a well-formed ICC profile header of the colour space
// ("RGB ", "GRAY", "CMYK") and a tag table with no tags.
func fakeICC(space string) []byte {
	p := make([]byte, 132)
	binary.BigEndian.PutUint32(p, uint32(len(p)))
	copy(p[4:], "kaik")
	copy(p[12:], "mntr")
	copy(p[16:], space)
	copy(p[20:], "XYZ ")
	copy(p[36:], "acsp")
	return p
}

// iccSegments splits a profile over APP2 segments of at most per bytes of data each.
func iccSegments(icc []byte, per int) [][]byte {
	count := (len(icc) + per - 1) / per
	var segs [][]byte
	for i := range count {
		part := icc[i*per : min((i+1)*per, len(icc))]
		payload := append([]byte("ICC_PROFILE\x00"), byte(i+1), byte(count))
		segs = append(segs, segment(0xE2, append(payload, part...)))
	}
	return segs
}

// Corner marks: a picture whose three corners tell its orientation. The
// stored picture's first row starts red and ends green; its first column
// ends blue; the rest is gray.
var (
	markRed   = color.RGBA{220, 20, 20, 255}
	markGreen = color.RGBA{20, 200, 20, 255}
	markBlue  = color.RGBA{20, 20, 220, 255}
	markGray  = color.RGBA{128, 128, 128, 255}
)

// marked draws the corner marks, each a block×block square.
func marked(w, h, block int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := markGray
			switch {
			case x < block && y < block:
				c = markRed
			case x >= w-block && y < block:
				c = markGreen
			case x < block && y >= h-block:
				c = markBlue
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func jpegOf(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pngOf(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngWithChunks puts chunks right after a PNG's IHDR and, in late, before its IEND.
func pngWithChunks(p []byte, early, late [][]byte) []byte {
	const ihdrEnd = 8 + 12 + 13
	out := append([]byte{}, p[:ihdrEnd]...)
	for _, c := range early {
		out = append(out, c...)
	}
	body := p[ihdrEnd : len(p)-12]
	out = append(out, body...)
	for _, c := range late {
		out = append(out, c...)
	}
	return append(out, p[len(p)-12:]...)
}

// animation is a three-frame GIF that loops, with a comment and an XMP
// packet that names a camera before its trailer.
func animation(t testing.TB) []byte {
	t.Helper()
	pal := color.Palette{color.Black, color.White, markRed, markGreen}
	g := &gif.GIF{LoopCount: 0, Config: image.Config{Width: 24, Height: 16, ColorModel: pal}}
	for i := range 3 {
		fr := image.NewPaletted(image.Rect(0, 0, 24, 16), pal)
		for y := range 16 {
			for x := range 24 {
				fr.SetColorIndex(x, y, uint8((x/8+i)%4))
			}
		}
		g.Image = append(g.Image, fr)
		g.Delay = append(g.Delay, 10*(i+1))
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	b = b[:len(b)-1] // the trailer comes back last
	b = append(b, 0x21, 0xFE, 13)
	b = append(b, "Taken by Anna"...)
	b = append(b, 0)
	xmp := []byte(`<x:xmpmeta><rdf:Description tiff:Model="K-1"/></x:xmpmeta>`)
	b = append(b, 0x21, 0xFF, 11)
	b = append(b, "XMP DataXMP"...)
	b = append(b, byte(len(xmp)))
	b = append(b, xmp...)
	return append(b, 0, 0x3B)
}

// webpFixture reads one of golang.org/x/image's test images (testdata/README.md).
func webpFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// riffChunk is one WebP chunk, padded to an even length.
func riffChunk(id string, data []byte) []byte {
	c := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	c = append(c, data...)
	if len(data)&1 == 1 {
		c = append(c, 0)
	}
	return c
}

// extendedWebP wraps a simple lossy WebP (a VP8 chunk) of w×h in the
// extended format with an ICC profile and an EXIF block, and sets the
// animation flag when animated.
func extendedWebP(simple []byte, w, h int, icc, exif []byte, animated bool) []byte {
	vp8 := simple[12:] // the VP8 chunk, whole
	var flags byte
	if icc != nil {
		flags |= 0x20
	}
	if exif != nil {
		flags |= 0x08
	}
	if animated {
		flags |= 0x02
	}
	x := []byte{flags, 0, 0, 0}
	x = append(x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16))
	x = append(x, byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	body := []byte("WEBP")
	body = append(body, riffChunk("VP8X", x)...)
	if icc != nil {
		body = append(body, riffChunk("ICCP", icc)...)
	}
	body = append(body, vp8...)
	if exif != nil {
		body = append(body, riffChunk("EXIF", exif)...)
	}
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

// photo is a picture that compresses like a photograph: smooth light and
// colour with a grain of noise, so that a JPEG of it is about as large as a
// camera's.
func photo(w, h int, seed uint64) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 1))
	for y := range h {
		for x := range w {
			i := m.PixOffset(x, y)
			n := int(r.IntN(48)) - 24
			clamp := func(v int) uint8 { return uint8(max(0, min(255, v))) }
			m.Pix[i] = clamp(x*255/w + n)
			m.Pix[i+1] = clamp(y*255/h + n)
			m.Pix[i+2] = clamp((x+y)*128/(w+h) + 64 + n)
			m.Pix[i+3] = 255
		}
	}
	return m
}

// natural is a picture with the 1/f detail of a photograph: octaves of
// smooth noise, the coarse ones strong, the fine ones faint.
func natural(w, h int, seed uint64) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 7))
	acc := make([]float32, w*h*3)
	for cell := 1024; cell >= 1; cell /= 2 {
		amp := float32(cell) / 1024 * 90
		if cell < 8 {
			amp = 6 / float32(cell)
		}
		gw, gh := w/cell+2, h/cell+2
		grid := make([]float32, gw*gh*3)
		for i := range grid {
			grid[i] = (r.Float32()*2 - 1) * amp
		}
		for y := range h {
			gy := y / cell
			fy := float32(y%cell) / float32(cell)
			for x := range w {
				gx := x / cell
				fx := float32(x%cell) / float32(cell)
				for c := range 3 {
					a := grid[(gy*gw+gx)*3+c]
					b := grid[(gy*gw+gx+1)*3+c]
					cc := grid[((gy+1)*gw+gx)*3+c]
					d := grid[((gy+1)*gw+gx+1)*3+c]
					acc[(y*w+x)*3+c] += (a*(1-fx)+b*fx)*(1-fy) + (cc*(1-fx)+d*fx)*fy
				}
			}
		}
	}
	for i := 0; i < w*h; i++ {
		for c := range 3 {
			m.Pix[i*4+c] = uint8(max(0, min(255, 128+acc[i*3+c])))
		}
		m.Pix[i*4+3] = 255
	}
	return m
}
