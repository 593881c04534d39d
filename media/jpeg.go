package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"slices"
)

// JPEG markers this file acts on.
const (
	markerSOI   = 0xD8
	markerEOI   = 0xD9
	markerSOS   = 0xDA
	markerRST0  = 0xD0
	markerRST7  = 0xD7
	markerTEM   = 0x01
	markerAPP0  = 0xE0
	markerAPP1  = 0xE1
	markerAPP2  = 0xE2
	markerAPP14 = 0xEE
	markerAPP15 = 0xEF
	markerCOM   = 0xFE
)

// Segment signatures.
var (
	sigJFIF  = []byte("JFIF\x00")
	sigEXIF  = []byte("Exif\x00\x00")
	sigXMP   = []byte("http://ns.adobe.com/xap/1.0/\x00")
	sigXMPX  = []byte("http://ns.adobe.com/xmp/extension/\x00")
	sigICC   = []byte("ICC_PROFILE\x00")
	sigAdobe = []byte("Adobe")
)

// jpegQuality is what Kaiku encodes a JPEG at when it must: high enough that
// a later fitting for a network starts from nearly the original.
const jpegQuality = 90

var errNoEOI = errors.New("the file ends before the image does")

// jpegFile is a JPEG taken apart: clean is the file without its metadata,
// ready to store as it is; the rest is what was found on the way.
type jpegFile struct {
	clean       []byte
	orientation int
	icc         []byte // the ICC profile, its chunks joined; nil when none
	removed     Removed
}

// cleanJPEG rewrites a JPEG without what it tells beyond its pixels: APP1
// (EXIF with its GPS position and camera serials, and XMP), APP3 to APP13
// (IPTC among them), APP15, comments, JFIF thumbnails, APP2 segments other
// than the ICC profile (the multi-picture index), and whatever follows the
// end of the image (the extra pictures phones append). The compressed image
// data, its tables, the ICC profile and Adobe's colour-transform segment are
// copied byte for byte, so the pixels do not change at all.
func cleanJPEG(b []byte) (*jpegFile, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != markerSOI {
		return nil, errors.New("no start-of-image marker")
	}
	f := &jpegFile{orientation: 1}
	out := make([]byte, 0, len(b))
	out = append(out, 0xFF, markerSOI)
	var iccChunks [][]byte
	exifRead := false
	i := 2
	for {
		// A marker is 0xFF, any number of fill bytes 0xFF, and its code.
		// Bytes between segments are a format error libjpeg and Go's decoder
		// forgive with a warning; they are not copied.
		for i < len(b) && b[i] != 0xFF {
			i++
		}
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return nil, errNoEOI
		}
		marker := b[i]
		i++
		switch {
		case marker == markerEOI:
			out = append(out, 0xFF, markerEOI)
			if len(bytes.TrimRight(b[i:], "\x00")) > 0 {
				f.removed.Other = true // the pictures a phone appends, each with its own EXIF
			}
			f.clean = out
			f.icc = joinICC(iccChunks)
			return f, nil
		case marker == markerSOI:
			return nil, errors.New("a second start-of-image marker")
		case marker >= markerRST0 && marker <= markerRST7, marker == markerTEM:
			out = append(out, 0xFF, marker)
			continue
		}
		if i+2 > len(b) {
			return nil, errNoEOI
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 || i+n > len(b) {
			return nil, errNoEOI
		}
		seg := b[i-2 : i+n] // the marker, the length and the payload
		payload := b[i+2 : i+n]
		i += n
		keep := true
		switch {
		case marker == markerAPP0:
			keep = false
			if bytes.HasPrefix(payload, sigJFIF) && len(payload) >= 14 {
				keep = true
				if payload[12] != 0 || payload[13] != 0 || len(payload) > 14 {
					// JFIF's own thumbnail: write the header without it.
					f.removed.Other = true
					jfif := append([]byte{0xFF, markerAPP0, 0, 16}, payload[:12]...)
					out = append(out, append(jfif, 0, 0)...)
					continue
				}
			} else {
				f.removed.Other = true
			}
		case marker == markerAPP1:
			keep = false
			switch {
			case bytes.HasPrefix(payload, sigEXIF) && !exifRead:
				exifRead = true
				if info, err := readEXIF(payload[len(sigEXIF):]); err == nil {
					f.orientation = info.orientation
					f.removed = f.removed.with(info.removed)
				} else {
					f.removed.Other = true
				}
			case bytes.HasPrefix(payload, sigXMP), bytes.HasPrefix(payload, sigXMPX):
				f.removed = f.removed.with(scanXMP(payload))
			default:
				f.removed.Other = true
			}
		case marker == markerAPP2:
			keep = bytes.HasPrefix(payload, sigICC) && len(payload) > len(sigICC)+2
			if keep {
				iccChunks = append(iccChunks, payload[len(sigICC):])
			} else {
				f.removed.Other = true
			}
		case marker == markerAPP14:
			keep = bytes.HasPrefix(payload, sigAdobe)
			if !keep {
				f.removed.Other = true
			}
		case marker > markerAPP2 && marker <= markerAPP15, marker == markerCOM:
			keep = false
			f.removed.Other = true
		}
		if keep {
			out = append(out, seg...)
		}
		if marker == markerSOS {
			// The entropy-coded data runs to the next marker that is not a
			// stuffed 0xFF00 or a restart marker.
			j := i
			for j < len(b) {
				if b[j] == 0xFF && j+1 < len(b) {
					if next := b[j+1]; next == 0 || (next >= markerRST0 && next <= markerRST7) {
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j >= len(b) {
				return nil, errNoEOI
			}
			out = append(out, b[i:j]...)
			i = j
		}
	}
}

// joinICC puts an ICC profile split over APP2 segments back together, in
// their sequence order; nil when they do not make one whole profile.
func joinICC(chunks [][]byte) []byte {
	if len(chunks) == 0 {
		return nil
	}
	// Each chunk: its number from 1, the count, the data.
	count := int(chunks[0][1])
	if count != len(chunks) {
		return nil
	}
	ordered := slices.Clone(chunks)
	slices.SortFunc(ordered, func(a, b []byte) int { return int(a[0]) - int(b[0]) })
	var icc []byte
	for i, c := range ordered {
		if int(c[0]) != i+1 || int(c[1]) != count {
			return nil
		}
		icc = append(icc, c[2:]...)
	}
	return icc
}

// iccChunkData is the most profile data one APP2 segment carries: 65535,
// less the length field, the signature and the two sequence bytes.
const iccChunkData = 65535 - 2 - 12 - 2

// withICC inserts the ICC profile's APP2 segments after the JPEG's start
// marker, where Go's encoder leaves room: it writes none of its own.
func withICC(jpg, icc []byte) []byte {
	if len(icc) == 0 || len(jpg) < 2 {
		return jpg
	}
	count := (len(icc) + iccChunkData - 1) / iccChunkData
	if count > 255 {
		return jpg // a profile over 16 MB is no profile
	}
	out := make([]byte, 0, len(jpg)+len(icc)+count*18)
	out = append(out, jpg[:2]...)
	for seq := 1; seq <= count; seq++ {
		part := icc[(seq-1)*iccChunkData : min(seq*iccChunkData, len(icc))]
		out = append(out, 0xFF, markerAPP2)
		out = binary.BigEndian.AppendUint16(out, uint16(2+len(sigICC)+2+len(part)))
		out = append(out, sigICC...)
		out = append(out, byte(seq), byte(count))
		out = append(out, part...)
	}
	return append(out, jpg[2:]...)
}

// encodeJPEG encodes m at quality q with the ICC profile, when the profile
// describes the colour space the encoder writes (a CMYK profile does not
// describe the RGB the encoder turns CMYK into).
func encodeJPEG(m image.Image, icc []byte, q int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		return nil, err
	}
	if _, gray := m.(*image.Gray); !iccFits(icc, gray) {
		icc = nil
	}
	return withICC(buf.Bytes(), icc), nil
}

// iccFits reports whether the profile's data colour space (bytes 16 to 19 of
// its header) is what an image of that kind is written in.
func iccFits(icc []byte, gray bool) bool {
	if len(icc) < 20 {
		return false
	}
	space := string(icc[16:20])
	if gray {
		return space == "GRAY"
	}
	return space == "RGB "
}
