package media

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/image/draw"
)

// Limits are what one network takes of one image. Zero means no limit.
type Limits struct {
	// MaxBytes bounds the file's size (Bluesky: 1,000,000 a blob; X: 5 MB).
	MaxBytes int64
	// MaxGIFBytes bounds a GIF's size where it differs (X: 15 MB); 0 is MaxBytes.
	MaxGIFBytes int64
	// MaxPixels bounds width × height (Mastodon's image_matrix_limit).
	MaxPixels int64
	// Types are the types it takes; empty takes JPEG, PNG and GIF.
	Types []string
}

func (l Limits) takes(typ string) bool {
	if len(l.Types) == 0 {
		return typ == TypeJPEG || typ == TypePNG || typ == TypeGIF
	}
	return slices.Contains(l.Types, typ)
}

func (l Limits) maxBytes(typ string) int64 {
	if typ == TypeGIF && l.MaxGIFBytes > 0 {
		return l.MaxGIFBytes
	}
	return l.MaxBytes
}

func (l Limits) fits(typ string, size int, w, h int) bool {
	mb := l.maxBytes(typ)
	return l.takes(typ) && (mb == 0 || int64(size) <= mb) && (l.MaxPixels == 0 || int64(w)*int64(h) <= l.MaxPixels)
}

// Upload is an image made for one network.
type Upload struct {
	Data          []byte
	Type          string
	Width, Height int
}

// The JPEG quality Fit encodes at: the networks compress again anyway.
const fitQuality = 85

// maxFitTries bounds the encode-and-measure rounds: each round scales by
// what the last one measured, so two or three do in practice.
const maxFitTries = 8

// Fit makes a prepared image (JPEG, PNG or GIF, as Prepare writes them) fit
// the limits. An image that fits is returned as it is, byte for byte.
// Otherwise it is scaled down with Catmull-Rom, keeping its aspect ratio,
// and encoded again, with its colour profile:
//
//   - a JPEG as a JPEG;
//   - a PNG as a PNG while that fits (screenshots and charts stay crisp),
//     else, when it has no transparency, as a JPEG;
//   - an animated GIF as a GIF, every frame scaled; for a network that takes
//     no GIF, its first frame as a PNG;
//   - to a type the network takes, when it does not take the image's own.
//
// It returns the bytes to upload, their type and the size in pixels, or an
// *Error wrapping ErrTooLarge when no size fits.
func Fit(b []byte, l Limits) (Upload, error) {
	typ := sniff(b)
	var cfg image.Config
	var err error
	switch typ {
	case TypeJPEG:
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(b))
	case TypePNG:
		cfg, err = png.DecodeConfig(bytes.NewReader(b))
	case TypeGIF:
		cfg, err = gif.DecodeConfig(bytes.NewReader(b))
	default:
		return Upload{}, unsupported("Fit takes a prepared JPEG, PNG or GIF")
	}
	if err != nil {
		return Upload{}, damaged(typ, err)
	}
	if err := checkPixels(cfg.Width, cfg.Height); err != nil {
		return Upload{}, err
	}
	if l.fits(typ, len(b), cfg.Width, cfg.Height) {
		return Upload{Data: b, Type: typ, Width: cfg.Width, Height: cfg.Height}, nil
	}
	if typ == TypeGIF && l.takes(TypeGIF) {
		return fitAnimation(b, l)
	}
	return fitStill(b, typ, l)
}

// pixelScale is the linear scale that brings w×h within max pixels.
func pixelScale(w, h int, max int64) float64 {
	if max <= 0 || int64(w)*int64(h) <= max {
		return 1
	}
	return math.Sqrt(float64(max) / (float64(w) * float64(h)))
}

// scaled is w×h scaled by s, rounded down so that a pixel limit (maxPx,
// 0 for none) holds, and at least one pixel each way.
func scaled(w, h int, s float64, maxPx int64) (int, int) {
	if s >= 1 {
		return w, h
	}
	nw, nh := max(1, int(float64(w)*s)), max(1, int(float64(h)*s))
	// Rounding may leave a pixel too many; the longer side gives it up.
	for maxPx > 0 && int64(nw)*int64(nh) > maxPx && nw*nh > 1 {
		if nw >= nh {
			nw--
		} else {
			nh--
		}
	}
	return nw, nh
}

// shrink is the next scale after an encoding of size bytes missed max.
func shrink(s float64, size int, max int64) float64 {
	// Bytes go roughly with pixels, so with the square of the scale; aim a
	// little low, and shrink by a tenth at least so that the rounds end.
	return s * min(0.9, math.Sqrt(float64(max)/float64(size))*0.95)
}

// still is a picture to encode anew, with what it needs to keep its colours.
type still struct {
	m      image.Image
	colour [][]byte // PNG colour chunks
	icc    []byte
}

func decodeStill(b []byte, typ string) (still, error) {
	var st still
	var err error
	switch typ {
	case TypeJPEG:
		var f *jpegFile
		if f, err = cleanJPEG(b); err == nil {
			st.icc = f.icc
			st.m, err = jpeg.Decode(bytes.NewReader(b))
		}
	case TypePNG:
		var f *pngFile
		if f, err = cleanPNG(b); err == nil {
			st.colour, st.icc = f.colour, f.icc
			st.m, err = png.Decode(bytes.NewReader(b))
		}
	case TypeGIF:
		// A network that takes no GIF gets the first frame as shown.
		var g *gif.GIF
		if g, err = gif.DecodeAll(bytes.NewReader(b)); err == nil {
			canvas := image.NewNRGBA(image.Rect(0, 0, g.Config.Width, g.Config.Height))
			draw.Draw(canvas, g.Image[0].Bounds(), g.Image[0], g.Image[0].Bounds().Min, draw.Over)
			st.m = canvas
		}
	}
	if err != nil {
		return st, damaged(typ, err)
	}
	return st, nil
}

func fitStill(b []byte, typ string, l Limits) (Upload, error) {
	st, err := decodeStill(b, typ)
	if err != nil {
		return Upload{}, err
	}
	w, h := st.m.Bounds().Dx(), st.m.Bounds().Dy()
	clear := opaque(st.m)
	out := typ
	if typ == TypeGIF {
		out = TypePNG
	}
	if !l.takes(out) {
		out = map[string]string{TypeJPEG: TypePNG, TypePNG: TypeJPEG}[out]
		if !l.takes(out) {
			return Upload{}, cannotFit("the network takes neither JPEG nor PNG")
		}
	}
	py := pyramid{st.m}
	// render draws the picture at scale s, with Catmull-Rom, or for a
	// preview with a quick bilinear blend, and encodes it.
	render := func(s float64, preview bool) (Upload, error) {
		nw, nh := scaled(w, h, s, l.MaxPixels)
		m := st.m
		if nw != w || nh != h {
			m = py.scale(s, nw, nh, preview)
		}
		var data []byte
		var err error
		if out == TypeJPEG {
			if !clear {
				m = onWhite(m)
			}
			data, err = encodeJPEG(m, st.icc, fitQuality)
		} else {
			data, err = encodePNG(m, st.colour, st.icc)
		}
		if err != nil {
			return Upload{}, damaged(typ, err)
		}
		return Upload{Data: data, Type: out, Width: nw, Height: nh}, nil
	}
	top := pixelScale(w, h, l.MaxPixels)
	maxBytes := l.maxBytes(out)
	if maxBytes == 0 {
		return render(top, false)
	}
	if out == TypePNG && clear && l.takes(TypeJPEG) {
		// A screenshot stays a crisp PNG if it fits at the size the pixel
		// limit allows; an opaque picture as a JPEG is a fraction of its PNG.
		if u, err := render(top, false); err != nil || int64(len(u.Data)) <= maxBytes {
			return u, err
		}
		out, maxBytes = TypeJPEG, l.maxBytes(TypeJPEG)
	}
	guess := top
	if typ == TypeJPEG && out == TypeJPEG {
		// A JPEG encoded again keeps about its bytes a pixel: start there.
		guess = min(top, math.Sqrt(float64(maxBytes)/float64(len(b))))
	}
	s, err := fitScale(func(s float64) (int, error) {
		u, err := render(s, true)
		return len(u.Data), err
	}, top, guess, maxBytes)
	if err != nil {
		return Upload{}, err
	}
	for range maxFitTries {
		u, err := render(s, false)
		if err != nil {
			return Upload{}, err
		}
		if int64(len(u.Data)) <= maxBytes {
			return u, nil
		}
		if u.Width == 1 && u.Height == 1 {
			break
		}
		s = shrink(s, len(u.Data), maxBytes)
	}
	return Upload{}, cannotFit("no size met the byte limit")
}

// fitScale finds about the largest scale up to top whose picture fits max
// bytes, from quick previews: Catmull-Rom over a whole photo is what costs,
// so that it runs once, at the scale found. Bytes go roughly with pixels,
// so with the square of the scale; each round corrects by what it measured.
func fitScale(preview func(float64) (int, error), top, guess float64, max int64) (float64, error) {
	// The previews blend where Catmull-Rom sharpens: its pictures come out
	// some tenth larger.
	const margin = 0.85
	target := float64(max) * margin
	// lo is the largest scale seen to fit, hi the smallest seen not to.
	type point struct{ s, size float64 }
	var lo, hi *point
	s := min(top, guess)
	if s > 0.35 {
		// A quarter-size preview costs a sixteenth; it tells the bytes a
		// pixel that the next guess scales up from.
		s = 0.25
	}
	for range 6 {
		size, err := preview(s)
		if err != nil {
			return 0, err
		}
		p := &point{s, float64(size)}
		if p.size <= target {
			lo = p
			if s >= top || p.size >= target*0.85 {
				break
			}
		} else {
			hi = p
		}
		var next float64
		switch {
		case lo != nil && hi != nil:
			// Between the two, bytes go as the scale to some power k.
			k := math.Log(hi.size/lo.size) / math.Log(hi.s/lo.s)
			if !(k > 0) {
				k = 2
			}
			next = lo.s * math.Pow(target/lo.size, 1/k)
			if next <= lo.s || next >= hi.s {
				next = (lo.s + hi.s) / 2
			}
		case lo != nil:
			// Smaller pictures hold more detail a pixel: bytes grow a
			// little faster than the pixels do (photos: as the scale to 2.3).
			next = min(top, lo.s*math.Pow(target/lo.size, 1/2.3))
		default:
			next = hi.s * math.Sqrt(target/hi.size)
		}
		if lo != nil && next-lo.s < lo.s/100 {
			break
		}
		s = next
	}
	if lo != nil {
		return lo.s, nil
	}
	return s, nil
}

// pyramid is a picture and its halvings, made as a scale needs them.
type pyramid []image.Image

// scale draws the picture at scale s (nw×nh) with Catmull-Rom, or for a
// preview with ApproxBiLinear, from the smallest halving still at least
// twice the size asked: averaging 2×2 blocks takes a large photo most of
// the way down at a fraction of what Catmull-Rom costs over all its pixels,
// and looks the same.
func (p *pyramid) scale(s float64, nw, nh int, preview bool) *image.RGBA {
	level, ls := 0, 1.0
	for s <= ls/2 {
		if level+1 == len(*p) {
			top := (*p)[level]
			if top.Bounds().Dx() < 4 || top.Bounds().Dy() < 4 {
				break
			}
			*p = append(*p, halve(top))
		}
		level, ls = level+1, ls/2
	}
	if preview {
		dst := image.NewRGBA(image.Rect(0, 0, nw, nh))
		draw.ApproxBiLinear.Scale(dst, dst.Rect, (*p)[level], (*p)[level].Bounds(), draw.Src, nil)
		return dst
	}
	return scale((*p)[level], nw, nh)
}

// onWhite lays a picture with transparency on white, for a JPEG, which has none.
func onWhite(m image.Image) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, m.Bounds().Dx(), m.Bounds().Dy()))
	draw.Draw(dst, dst.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Rect, m, m.Bounds().Min, draw.Over)
	return dst
}

// scale draws m at nw×nh with Catmull-Rom, in two passes, across and then
// down, each cut into narrow bands that the processors share. The kernel is
// separable, and a pass that keeps one direction's size takes each band's
// pixels from that band alone, so the bands meet without a seam. Narrow
// bands also keep x/image/draw's working buffer (32 bytes a pixel of the
// pass) small enough for the processor's cache.
func scale(m image.Image, nw, nh int) *image.RGBA {
	b := m.Bounds()
	sw, sh := b.Dx(), b.Dy()
	wide := image.NewRGBA(image.Rect(0, 0, nw, sh))
	// A scaler made for the bands' size keeps its weights and buffers for
	// them all (the last, smaller band gets its own).
	across := draw.CatmullRom.NewScaler(nw, bandSize, sw, bandSize)
	inBands(sh, func(y0, y1 int) {
		band := wide.SubImage(image.Rect(0, y0, nw, y1)).(*image.RGBA)
		across.Scale(band, band.Rect, m, image.Rect(b.Min.X, b.Min.Y+y0, b.Max.X, b.Min.Y+y1), draw.Src, nil)
	})
	if nh == sh {
		return wide
	}
	out := image.NewRGBA(image.Rect(0, 0, nw, nh))
	down := draw.CatmullRom.NewScaler(bandSize, nh, bandSize, sh)
	inBands(nw, func(x0, x1 int) {
		band := out.SubImage(image.Rect(x0, 0, x1, nh)).(*image.RGBA)
		down.Scale(band, band.Rect, wide, image.Rect(x0, 0, x1, sh), draw.Src, nil)
	})
	return out
}

// bandSize is the rows or columns of one band of a scaling pass.
const bandSize = 16

// inBands runs fn over [0, n) in bands of bandSize, on as many goroutines
// as there are processors.
func inBands(n int, fn func(lo, hi int)) {
	bands := (n + bandSize - 1) / bandSize
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), bands) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= bands {
					return
				}
				fn(i*bandSize, min(n, (i+1)*bandSize))
			}
		})
	}
	wg.Wait()
}

func fitAnimation(b []byte, l Limits) (Upload, error) {
	g, err := gif.DecodeAll(bytes.NewReader(b))
	if err != nil {
		return Upload{}, damaged(TypeGIF, err)
	}
	w, h := g.Config.Width, g.Config.Height
	maxBytes := l.maxBytes(TypeGIF)
	s := pixelScale(w, h, l.MaxPixels)
	if maxBytes > 0 && int64(len(b)) > maxBytes {
		s = min(s, math.Sqrt(float64(maxBytes)/float64(len(b)))*0.95)
	}
	for range maxFitTries {
		sg, nw, nh := scaleGIF(g, s, l.MaxPixels)
		data, err := encodeGIF(sg)
		if err != nil {
			return Upload{}, damaged(TypeGIF, err)
		}
		if maxBytes == 0 || int64(len(data)) <= maxBytes {
			return Upload{Data: data, Type: TypeGIF, Width: nw, Height: nh}, nil
		}
		if nw == 1 && nh == 1 {
			break
		}
		s = shrink(s, len(data), maxBytes)
	}
	return Upload{}, cannotFit("no size met the byte limit")
}
