package media

import (
	"image"
	"image/draw"
)

// orient turns m upright as EXIF orientation o (1 to 8) says. It moves the
// pixels of the common decoded types as they are (a JPEG's Y, Cb and Cr
// planes, gray, paletted and RGBA images), so that a photo turned upright
// loses nothing before it is encoded again; other types are converted to
// NRGBA first.
//
// The orientations, by what the stored picture's first row and column are:
// 1 top, left (upright); 2 mirrored left to right; 3 turned 180°; 4 mirrored
// top to bottom; 5 mirrored along the top-left to bottom-right diagonal;
// 6 turned 90° counter-clockwise (shown turned back clockwise); 7 mirrored
// along the other diagonal; 8 turned 90° clockwise.
func orient(m image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return m
	}
	if !m.Bounds().Min.Eq(image.Point{}) {
		m = toNRGBA(m)
	}
	switch src := m.(type) {
	case *image.YCbCr:
		if out, ok := orientYCbCr(src, o); ok {
			return out
		}
	case *image.Gray:
		pix, stride, r := orientPlane(src.Pix, src.Stride, src.Rect.Dx(), src.Rect.Dy(), 1, o)
		return &image.Gray{Pix: pix, Stride: stride, Rect: r}
	case *image.Gray16:
		pix, stride, r := orientPlane(src.Pix, src.Stride, src.Rect.Dx(), src.Rect.Dy(), 2, o)
		return &image.Gray16{Pix: pix, Stride: stride, Rect: r}
	case *image.Paletted:
		pix, stride, r := orientPlane(src.Pix, src.Stride, src.Rect.Dx(), src.Rect.Dy(), 1, o)
		return &image.Paletted{Pix: pix, Stride: stride, Rect: r, Palette: src.Palette}
	case *image.RGBA:
		pix, stride, r := orientPlane(src.Pix, src.Stride, src.Rect.Dx(), src.Rect.Dy(), 4, o)
		return &image.RGBA{Pix: pix, Stride: stride, Rect: r}
	case *image.NRGBA:
		pix, stride, r := orientPlane(src.Pix, src.Stride, src.Rect.Dx(), src.Rect.Dy(), 4, o)
		return &image.NRGBA{Pix: pix, Stride: stride, Rect: r}
	case *image.RGBA64:
		pix, stride, r := orientPlane(src.Pix, src.Stride, src.Rect.Dx(), src.Rect.Dy(), 8, o)
		return &image.RGBA64{Pix: pix, Stride: stride, Rect: r}
	case *image.NRGBA64:
		pix, stride, r := orientPlane(src.Pix, src.Stride, src.Rect.Dx(), src.Rect.Dy(), 8, o)
		return &image.NRGBA64{Pix: pix, Stride: stride, Rect: r}
	}
	return orient(toNRGBA(m), o)
}

// toNRGBA converts m to an NRGBA image at the origin.
func toNRGBA(m image.Image) *image.NRGBA {
	b := m.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, m, b.Min, draw.Src)
	return out
}

// orientYCbCr turns the three planes of a JPEG's image. Chroma subsampled
// along an axis must cover it exactly (an even size), or the chroma samples
// would shift against the luma; turning by 90° swaps 4:2:2 and 4:4:0.
func orientYCbCr(src *image.YCbCr, o int) (*image.YCbCr, bool) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	var cx, cy int
	ratio := src.SubsampleRatio
	switch ratio {
	case image.YCbCrSubsampleRatio444:
		cx, cy = 1, 1
	case image.YCbCrSubsampleRatio422:
		cx, cy = 2, 1
	case image.YCbCrSubsampleRatio420:
		cx, cy = 2, 2
	case image.YCbCrSubsampleRatio440:
		cx, cy = 1, 2
	default:
		return nil, false
	}
	if w%cx != 0 || h%cy != 0 {
		return nil, false
	}
	if o >= 5 {
		switch ratio {
		case image.YCbCrSubsampleRatio422:
			ratio = image.YCbCrSubsampleRatio440
		case image.YCbCrSubsampleRatio440:
			ratio = image.YCbCrSubsampleRatio422
		}
	}
	y, ys, r := orientPlane(src.Y, src.YStride, w, h, 1, o)
	cb, cs, _ := orientPlane(src.Cb, src.CStride, w/cx, h/cy, 1, o)
	cr, _, _ := orientPlane(src.Cr, src.CStride, w/cx, h/cy, 1, o)
	return &image.YCbCr{Y: y, Cb: cb, Cr: cr, YStride: ys, CStride: cs, SubsampleRatio: ratio, Rect: r}, true
}

// orientPlane turns one plane of w×h pixels of bpp bytes each. Each source
// row is walked once; where its pixels land in the output moves by a fixed
// step, so the loop is a copy with a stride.
func orientPlane(pix []byte, stride, w, h, bpp, o int) ([]byte, int, image.Rectangle) {
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	out := make([]byte, dw*dh*bpp)
	for sy := range h {
		var start, step int // in pixels
		switch o {
		case 2:
			start, step = sy*dw+w-1, -1
		case 3:
			start, step = (h-1-sy)*dw+w-1, -1
		case 4:
			start, step = (h-1-sy)*dw, 1
		case 5:
			start, step = sy, dw
		case 6:
			start, step = h-1-sy, dw
		case 7:
			start, step = (w-1)*dw+h-1-sy, -dw
		case 8:
			start, step = (w-1)*dw+sy, -dw
		}
		row := pix[sy*stride : sy*stride+w*bpp]
		d := start * bpp
		step *= bpp
		switch bpp {
		case 1:
			for _, v := range row {
				out[d] = v
				d += step
			}
		case 4:
			for s := 0; s < len(row); s += 4 {
				p := out[d : d+4 : d+4]
				p[0], p[1], p[2], p[3] = row[s], row[s+1], row[s+2], row[s+3]
				d += step
			}
		default:
			for s := 0; s < len(row); s += bpp {
				copy(out[d:d+bpp], row[s:s+bpp])
				d += step
			}
		}
	}
	return out, dw * bpp, image.Rect(0, 0, dw, dh)
}

// halve averages each 2×2 block of m, planes of a JPEG's picture as they
// are. An odd last row or column is averaged with itself.
func halve(m image.Image) image.Image {
	b := m.Bounds()
	w, h := b.Dx()/2, b.Dy()/2
	if !b.Min.Eq(image.Point{}) {
		return halve(toNRGBA(m))
	}
	switch src := m.(type) {
	case *image.YCbCr:
		if _, ok := chromaSize(src.SubsampleRatio, 1, 1); ok {
			out := image.NewYCbCr(image.Rect(0, 0, w, h), src.SubsampleRatio)
			halvePlane(out.Y, out.YStride, w, h, src.Y, src.YStride, b.Dx(), b.Dy(), 1)
			c, _ := chromaSize(src.SubsampleRatio, w, h)
			sc, _ := chromaSize(src.SubsampleRatio, b.Dx(), b.Dy())
			halvePlane(out.Cb, out.CStride, c.X, c.Y, src.Cb, src.CStride, sc.X, sc.Y, 1)
			halvePlane(out.Cr, out.CStride, c.X, c.Y, src.Cr, src.CStride, sc.X, sc.Y, 1)
			return out
		}
	case *image.RGBA:
		out := image.NewRGBA(image.Rect(0, 0, w, h))
		halvePlane(out.Pix, out.Stride, w, h, src.Pix, src.Stride, b.Dx(), b.Dy(), 4)
		return out
	case *image.NRGBA:
		out := image.NewNRGBA(image.Rect(0, 0, w, h))
		halvePlane(out.Pix, out.Stride, w, h, src.Pix, src.Stride, b.Dx(), b.Dy(), 4)
		return out
	case *image.Gray:
		out := image.NewGray(image.Rect(0, 0, w, h))
		halvePlane(out.Pix, out.Stride, w, h, src.Pix, src.Stride, b.Dx(), b.Dy(), 1)
		return out
	}
	return halve(toNRGBA(m))
}

// chromaSize is the size of a w×h picture's chroma planes, as
// image.NewYCbCr makes them.
func chromaSize(r image.YCbCrSubsampleRatio, w, h int) (image.Point, bool) {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return image.Pt(w, h), true
	case image.YCbCrSubsampleRatio422:
		return image.Pt((w+1)/2, h), true
	case image.YCbCrSubsampleRatio420:
		return image.Pt((w+1)/2, (h+1)/2), true
	case image.YCbCrSubsampleRatio440:
		return image.Pt(w, (h+1)/2), true
	}
	return image.Point{}, false
}

// halvePlane fills the dw×dh plane dst with the 2×2 averages of the sw×sh plane src.
func halvePlane(dst []byte, dstride, dw, dh int, src []byte, sstride, sw, sh, bpp int) {
	for y := range dh {
		r0 := src[min(2*y, sh-1)*sstride:]
		r1 := src[min(2*y+1, sh-1)*sstride:]
		d := dst[y*dstride:]
		for x := range dw {
			a, b := min(2*x, sw-1)*bpp, min(2*x+1, sw-1)*bpp
			for c := range bpp {
				d[x*bpp+c] = uint8((int(r0[a+c]) + int(r0[b+c]) + int(r1[a+c]) + int(r1[b+c]) + 2) / 4)
			}
		}
	}
}
