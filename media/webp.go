package media

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// webpFile is what Kaiku reads of a WebP's RIFF chunks before decoding it.
type webpFile struct {
	animated    bool
	lossless    bool // a VP8L image: its pixels are exact
	orientation int
	icc         []byte
	removed     Removed
}

// scanWebP reads the chunks of a WebP file: VP8X's flags, the ICC profile,
// EXIF and XMP. golang.org/x/image/webp decodes the picture; it reads still
// images only, so an animation is told apart here, to say so.
func scanWebP(b []byte) (*webpFile, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, errors.New("no WebP header")
	}
	f := &webpFile{orientation: 1}
	end := min(len(b), 8+int(binary.LittleEndian.Uint32(b[4:])))
	for i := 12; i+8 <= end; {
		id := string(b[i : i+4])
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		if n < 0 || n > end-i-8 {
			return nil, errNoEOI
		}
		data := b[i+8 : i+8+n]
		i += 8 + n + n&1 // chunks are padded to an even length
		switch id {
		case "VP8X":
			if len(data) >= 1 && data[0]&0x02 != 0 {
				f.animated = true
			}
		case "ANIM", "ANMF":
			f.animated = true
		case "VP8L":
			f.lossless = true
		case "ICCP":
			f.icc = data
		case "EXIF":
			// Some writers keep JPEG's "Exif\0\0" before the TIFF header.
			data = bytes.TrimPrefix(data, sigEXIF)
			if info, err := readEXIF(data); err == nil {
				f.orientation = info.orientation
				f.removed = f.removed.with(info.removed)
			} else {
				f.removed.Other = true
			}
		case "XMP ":
			f.removed = f.removed.with(scanXMP(data))
		}
	}
	return f, nil
}
