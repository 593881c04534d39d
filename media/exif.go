package media

import (
	"encoding/binary"
	"errors"
)

// EXIF is a TIFF structure: a byte-order mark, the offset of the first image
// file directory (IFD), and IFDs of 12-byte entries (tag, type, count, and
// the value or its offset), with pointers to the Exif and GPS sub-IFDs.
// readEXIF reads only what Kaiku needs: the orientation, and which kinds of
// personal detail the block holds, so that the composer can say what was
// removed. Everything in it is dropped anyway.

// Tags readEXIF looks at.
const (
	tagOrientation   = 0x0112
	tagMake          = 0x010F
	tagModel         = 0x0110
	tagExifIFD       = 0x8769
	tagGPSIFD        = 0x8825
	tagInteropIFD    = 0xA005
	tagMakerNote     = 0x927C
	tagOwnerName     = 0xA430
	tagBodySerial    = 0xA431
	tagLensMake      = 0xA433
	tagLensModel     = 0xA434
	tagLensSerial    = 0xA435
	tagCameraSerial  = 0xC62F // DNG's camera serial number
	tagGPSVersionID  = 0x0000
	typeShort        = 3
	typeLong         = 4
	typeIFD          = 13
	maxIFDs          = 16 // IFD0, its thumbnail IFD, sub-IFDs: a real file has five at most
	exifEntryBytes   = 12
	exifHeaderBytes  = 8
	orientationUpper = 8
)

// exifInfo is what readEXIF found.
type exifInfo struct {
	// orientation is 1 (upright) to 8; 1 when the tag is missing or out of range.
	orientation int
	removed     Removed
}

var errNotEXIF = errors.New("not an EXIF (TIFF) block")

// readEXIF reads a TIFF-structured EXIF block (after JPEG's "Exif\0\0").
// It never reads outside b and follows at most maxIFDs directories, each
// once, so that a hostile block can neither crash it nor loop it; what it
// cannot read it leaves out.
func readEXIF(b []byte) (exifInfo, error) {
	info := exifInfo{orientation: 1}
	if len(b) < exifHeaderBytes {
		return info, errNotEXIF
	}
	var bo binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return info, errNotEXIF
	}
	r := exifReader{b: b, bo: bo, seen: map[uint32]bool{}}
	// Every block that is there says something: a date, a program's name.
	info.removed.Other = true
	r.walk(bo.Uint32(b[4:8]), ifdMain, &info)
	return info, nil
}

type ifdKind int

const (
	ifdMain ifdKind = iota // IFD0 and the IFDs chained after it (the thumbnail's)
	ifdExif
	ifdGPS
	ifdOther
)

type exifReader struct {
	b    []byte
	bo   binary.ByteOrder
	seen map[uint32]bool
}

// walk reads the IFD at off and those it points to.
func (r *exifReader) walk(off uint32, kind ifdKind, info *exifInfo) {
	first := kind == ifdMain
	for off != 0 && !r.seen[off] && len(r.seen) < maxIFDs {
		r.seen[off] = true
		if uint64(off)+2 > uint64(len(r.b)) {
			return
		}
		n := int(r.bo.Uint16(r.b[off:]))
		start := int(off) + 2
		// Entries that run past the end are not there.
		n = min(n, (len(r.b)-start)/exifEntryBytes)
		for i := range n {
			e := r.b[start+i*exifEntryBytes : start+(i+1)*exifEntryBytes]
			r.entry(e, kind, first, info)
		}
		first = false
		next := start + n*exifEntryBytes
		if kind != ifdMain || next+4 > len(r.b) {
			return
		}
		off = r.bo.Uint32(r.b[next:])
	}
}

// entry reads one 12-byte IFD entry; first says it is in IFD0, the image's own.
func (r *exifReader) entry(e []byte, kind ifdKind, first bool, info *exifInfo) {
	tag, typ, count := r.bo.Uint16(e[0:]), r.bo.Uint16(e[2:]), r.bo.Uint32(e[4:])
	switch kind {
	case ifdGPS:
		if tag != tagGPSVersionID {
			info.removed.Location = true
		}
		return
	case ifdOther:
		return
	}
	switch tag {
	case tagOrientation:
		if !first || count != 1 {
			return // a thumbnail's orientation is not the image's
		}
		var v uint32
		switch typ {
		case typeShort:
			v = uint32(r.bo.Uint16(e[8:]))
		case typeLong:
			v = r.bo.Uint32(e[8:])
		default:
			return
		}
		if v >= 1 && v <= orientationUpper {
			info.orientation = int(v)
		}
	case tagMake, tagModel, tagMakerNote, tagOwnerName, tagBodySerial, tagLensMake, tagLensModel, tagLensSerial, tagCameraSerial:
		info.removed.Camera = true
	case tagExifIFD, tagGPSIFD, tagInteropIFD:
		if typ != typeLong && typ != typeIFD || count != 1 {
			return
		}
		sub := ifdExif
		switch tag {
		case tagGPSIFD:
			sub = ifdGPS
		case tagInteropIFD:
			sub = ifdOther
		}
		r.walk(r.bo.Uint32(e[8:]), sub, info)
	}
}
