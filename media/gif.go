package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"

	"golang.org/x/image/draw"
)

// The application extensions a GIF keeps: looping (Netscape's and its twin)
// and the ICC profile. XMP ("XMP DataXMP") and the rest go.
var gifKeepApps = map[string]bool{"NETSCAPE2.0": true, "ANIMEXTS1.0": true, "ICCRGBG1012": true}

// maxGIFFramePixels bounds the pixels of all of a GIF's frames together,
// which decoding holds at once (a byte each).
const maxGIFFramePixels = 400_000_000

// gifFile is a GIF taken apart; see jpegFile.
type gifFile struct {
	clean         []byte
	width, height int
	removed       Removed
}

// cleanGIF rewrites a GIF without its comments and the application
// extensions gifKeepApps does not name, and stops at the trailer. The frames
// and their timing are copied byte for byte: an animation stays as it is.
func cleanGIF(b []byte) (*gifFile, error) {
	if len(b) < 13 || (string(b[:6]) != "GIF87a" && string(b[:6]) != "GIF89a") {
		return nil, errors.New("no GIF header")
	}
	f := &gifFile{width: int(binary.LittleEndian.Uint16(b[6:])), height: int(binary.LittleEndian.Uint16(b[8:]))}
	i := 13
	if b[10]&0x80 != 0 {
		i += 3 << ((b[10] & 7) + 1)
	}
	if i > len(b) {
		return nil, errNoEOI
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:i]...)
	framePixels := 0
	for {
		if i >= len(b) {
			return nil, errNoEOI
		}
		switch b[i] {
		case 0x3B: // trailer
			if i+1 < len(b) {
				f.removed.Other = true
			}
			f.clean = append(out, 0x3B)
			return f, nil
		case 0x21: // extension: label, then data sub-blocks
			if i+2 > len(b) {
				return nil, errNoEOI
			}
			label := b[i+1]
			end, err := subBlocksEnd(b, i+2)
			if err != nil {
				return nil, err
			}
			keep := true
			switch label {
			case 0xFE: // comment
				keep = false
				f.removed.Other = true
			case 0xFF: // application: an 11-byte identifier first
				id := ""
				if i+3+11 <= len(b) && b[i+2] == 11 {
					id = string(b[i+3 : i+3+11])
				}
				if !gifKeepApps[id] {
					keep = false
					if id == "XMP DataXMP" {
						f.removed = f.removed.with(scanXMP(b[i+2 : end]))
					} else {
						f.removed.Other = true
					}
				}
			case 0xF9, 0x01: // graphic control, plain text: part of the picture
			default:
				keep = false
				f.removed.Other = true
			}
			if keep {
				out = append(out, b[i:end]...)
			}
			i = end
		case 0x2C: // image: descriptor, local colour table, LZW code size, data
			if i+10 > len(b) {
				return nil, errNoEOI
			}
			w, h := int(binary.LittleEndian.Uint16(b[i+5:])), int(binary.LittleEndian.Uint16(b[i+7:]))
			if framePixels += w * h; framePixels > maxGIFFramePixels {
				return nil, tooManyPixels(w, h)
			}
			j := i + 10
			if b[i+9]&0x80 != 0 {
				j += 3 << ((b[i+9] & 7) + 1)
			}
			end, err := subBlocksEnd(b, j+1)
			if err != nil {
				return nil, err
			}
			out = append(out, b[i:end]...)
			i = end
		default:
			return nil, errors.New("an unknown block")
		}
	}
}

// subBlocksEnd is where the data sub-blocks starting at i end: past the
// zero-length block that closes them.
func subBlocksEnd(b []byte, i int) (int, error) {
	for {
		if i >= len(b) {
			return 0, errNoEOI
		}
		n := int(b[i])
		i++
		if n == 0 {
			return i, nil
		}
		i += n
	}
}

// scaleGIF scales every frame of an animation by s: each frame is drawn on
// the canvas as a viewer would show it, the canvas is scaled with
// Catmull-Rom, and the result is mapped back to the frame's palette with
// Floyd-Steinberg dithering. The frames come out whole, so that disposal no
// longer matters; the timing and looping stay.
func scaleGIF(g *gif.GIF, s float64, maxPx int64) (*gif.GIF, int, int) {
	w, h := g.Config.Width, g.Config.Height
	if w == 0 || h == 0 {
		w, h = g.Image[0].Bounds().Dx(), g.Image[0].Bounds().Dy()
	}
	nw, nh := scaled(w, h, s, maxPx)
	canvas := image.NewRGBA(image.Rect(0, 0, w, h))
	small := image.NewRGBA(image.Rect(0, 0, nw, nh))
	out := &gif.GIF{LoopCount: g.LoopCount, Config: image.Config{Width: nw, Height: nh}}
	var saved *image.RGBA
	for i, fr := range g.Image {
		disposal := byte(gif.DisposalNone)
		if i < len(g.Disposal) {
			disposal = g.Disposal[i]
		}
		if disposal == gif.DisposalPrevious {
			saved = image.NewRGBA(canvas.Bounds())
			copy(saved.Pix, canvas.Pix)
		}
		draw.Draw(canvas, fr.Bounds(), fr, fr.Bounds().Min, draw.Over)
		draw.CatmullRom.Scale(small, small.Bounds(), canvas, canvas.Bounds(), draw.Src, nil)
		pal := fr.Palette
		if len(pal) == 0 {
			pal = color.Palette{color.Black, color.White}
		}
		frame := image.NewPaletted(small.Bounds(), pal)
		draw.FloydSteinberg.Draw(frame, frame.Bounds(), small, image.Point{})
		out.Image = append(out.Image, frame)
		delay := 0
		if i < len(g.Delay) {
			delay = g.Delay[i]
		}
		out.Delay = append(out.Delay, delay)
		out.Disposal = append(out.Disposal, gif.DisposalNone)
		switch disposal {
		case gif.DisposalBackground:
			draw.Draw(canvas, fr.Bounds(), image.Transparent, image.Point{}, draw.Src)
		case gif.DisposalPrevious:
			copy(canvas.Pix, saved.Pix)
		}
	}
	return out, nw, nh
}

func encodeGIF(g *gif.GIF) ([]byte, error) {
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
