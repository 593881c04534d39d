package media

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// The types a prepared image has, and WebP, which Prepare reads.
const (
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
)

// Bounds on what Prepare reads, against files that would exhaust memory: a
// decoded image holds 1.5 to 8 bytes a pixel.
const (
	// MaxFileBytes is the largest file Prepare takes.
	MaxFileBytes = 100 << 20
	// MaxPixels is the most pixels an image may have: above the 108
	// megapixels of the largest phone photos, far above any network's limit.
	MaxPixels = 120_000_000
)

// Prepared is an image ready to store: upright, without what its file told
// beyond the picture.
type Prepared struct {
	Data []byte
	// Type is TypeJPEG, TypePNG or TypeGIF.
	Type          string
	Width, Height int
	// Removed says what kinds of detail were taken out.
	Removed Removed
	// From is the type of the file as given; it differs from Type for a
	// WebP, which is encoded anew (Go has no WebP encoder).
	From string
}

// Prepare reads an image file and makes it safe and ready to store:
//
//   - JPEG: written anew without its metadata segments (EXIF with the GPS
//     position and the camera's serial numbers, XMP, IPTC, comments,
//     thumbnails, the pictures phones append), keeping the ICC profile. The
//     compressed picture is copied as it is, so it loses nothing; only a
//     photo whose EXIF orientation is not upright is decoded, turned and
//     encoded again (quality 90), since the orientation goes with the EXIF.
//   - PNG: the same with chunks: eXIf, tEXt, zTXt, iTXt, tIME and unknown
//     chunks go, iCCP, sRGB, gAMA and cHRM stay; encoded again only when an
//     eXIf orientation must be applied.
//   - GIF: kept as it is, animation and all, less comments and XMP.
//   - WebP: decoded and encoded as PNG when it has transparency or is
//     lossless (PNG keeps both exactly), else as JPEG (quality 90; a lossy
//     photo as PNG would be several times larger). Go has no WebP encoder,
//     and not every network takes WebP. An animated WebP is refused.
//
// Anything else is refused with an *Error wrapping ErrUnsupported; a file
// that cannot be read whole, with one wrapping ErrDamaged; one over
// MaxFileBytes or MaxPixels, with one wrapping ErrTooLarge.
func Prepare(b []byte) (Prepared, error) {
	if len(b) > MaxFileBytes {
		return Prepared{}, tooManyBytes(len(b))
	}
	switch sniff(b) {
	case TypeJPEG:
		return prepareJPEG(b)
	case TypePNG:
		return preparePNG(b)
	case TypeGIF:
		return prepareGIF(b)
	case TypeWebP:
		return prepareWebP(b)
	}
	if f := isoFormat(b); f != "" {
		return Prepared{}, heicError(f)
	}
	return Prepared{}, unsupported("unknown signature")
}

// sniff tells the type by the file's first bytes, never by its name.
func sniff(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == markerSOI && b[2] == 0xFF:
		return TypeJPEG
	case bytes.HasPrefix(b, []byte(pngSignature)):
		return TypePNG
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return TypeGIF
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return TypeWebP
	}
	return ""
}

// isoFormat names the ISO base media formats phones save photos in (HEIC,
// AVIF), from the brand of their ftyp box.
func isoFormat(b []byte) string {
	if len(b) < 12 || string(b[4:8]) != "ftyp" {
		return ""
	}
	switch string(b[8:12]) {
	case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1":
		return "HEIC"
	case "avif", "avis":
		return "AVIF"
	}
	return ""
}

func checkPixels(w, h int) error {
	if w <= 0 || h <= 0 {
		return damaged("image", nil)
	}
	if int64(w)*int64(h) > MaxPixels {
		return tooManyPixels(w, h)
	}
	return nil
}

func prepareJPEG(b []byte) (Prepared, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return Prepared{}, damaged("JPEG", err)
	}
	if err := checkPixels(cfg.Width, cfg.Height); err != nil {
		return Prepared{}, err
	}
	f, err := cleanJPEG(b)
	if err != nil {
		return Prepared{}, damaged("JPEG", err)
	}
	// Decoding what is stored proves both the file and the rewrite.
	m, err := jpeg.Decode(bytes.NewReader(f.clean))
	if err != nil {
		return Prepared{}, damaged("JPEG", err)
	}
	out := f.clean
	if f.orientation != 1 {
		m = orient(m, f.orientation)
		if out, err = encodeJPEG(m, f.icc, jpegQuality); err != nil {
			return Prepared{}, damaged("JPEG", err)
		}
	}
	return Prepared{Data: out, Type: TypeJPEG, Width: m.Bounds().Dx(), Height: m.Bounds().Dy(), Removed: f.removed, From: TypeJPEG}, nil
}

func preparePNG(b []byte) (Prepared, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return Prepared{}, damaged("PNG", err)
	}
	if err := checkPixels(cfg.Width, cfg.Height); err != nil {
		return Prepared{}, err
	}
	f, err := cleanPNG(b)
	if err != nil {
		return Prepared{}, damaged("PNG", err)
	}
	m, err := png.Decode(bytes.NewReader(f.clean))
	if err != nil {
		return Prepared{}, damaged("PNG", err)
	}
	out := f.clean
	if f.orientation != 1 {
		// An APNG turned this way keeps its first frame only; a turned
		// animation is rare enough not to carry frame by frame.
		m = orient(m, f.orientation)
		if out, err = encodePNG(m, f.colour, f.icc); err != nil {
			return Prepared{}, damaged("PNG", err)
		}
	}
	return Prepared{Data: out, Type: TypePNG, Width: m.Bounds().Dx(), Height: m.Bounds().Dy(), Removed: f.removed, From: TypePNG}, nil
}

func prepareGIF(b []byte) (Prepared, error) {
	f, err := cleanGIF(b)
	if err != nil {
		if e, ok := err.(*Error); ok {
			return Prepared{}, e
		}
		return Prepared{}, damaged("GIF", err)
	}
	if err := checkPixels(f.width, f.height); err != nil {
		return Prepared{}, err
	}
	// Decoding every frame proves the picture data.
	if _, err := gif.DecodeAll(bytes.NewReader(f.clean)); err != nil {
		return Prepared{}, damaged("GIF", err)
	}
	return Prepared{Data: f.clean, Type: TypeGIF, Width: f.width, Height: f.height, Removed: f.removed, From: TypeGIF}, nil
}

func prepareWebP(b []byte) (Prepared, error) {
	f, err := scanWebP(b)
	if err != nil {
		return Prepared{}, damaged("WebP", err)
	}
	if f.animated {
		return Prepared{}, animatedWebP()
	}
	cfg, err := webp.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return Prepared{}, damaged("WebP", err)
	}
	if err := checkPixels(cfg.Width, cfg.Height); err != nil {
		return Prepared{}, err
	}
	m, err := webp.Decode(bytes.NewReader(b))
	if err != nil {
		return Prepared{}, damaged("WebP", err)
	}
	m = orient(m, f.orientation)
	p := Prepared{Width: m.Bounds().Dx(), Height: m.Bounds().Dy(), Removed: f.removed, From: TypeWebP}
	if f.lossless || !opaque(m) {
		p.Type = TypePNG
		p.Data, err = encodePNG(m, nil, f.icc)
	} else {
		p.Type = TypeJPEG
		p.Data, err = encodeJPEG(m, f.icc, jpegQuality)
	}
	if err != nil {
		return Prepared{}, damaged("WebP", err)
	}
	return p, nil
}

// opaque reports whether every pixel of m is fully opaque.
func opaque(m image.Image) bool {
	if o, ok := m.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := m.At(x, y).RGBA(); a != 0xFFFF {
				return false
			}
		}
	}
	return true
}
