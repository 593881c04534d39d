package media

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"io"
)

const pngSignature = "\x89PNG\r\n\x1a\n"

// pngKeep lists the chunks that make the picture: the critical ones, colour
// (iCCP, sRGB, gAMA, cHRM, cICP and the HDR ones, sBIT), transparency and
// background, the pixel size, and APNG's animation. Everything else goes:
// eXIf, the text chunks (tEXt, zTXt, iTXt, where XMP lives too), tIME, and
// chunks no one here knows, which may carry anything.
var pngKeep = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true,
	"tRNS": true, "bKGD": true, "hIST": true, "sPLT": true, "pHYs": true,
	"iCCP": true, "sRGB": true, "gAMA": true, "cHRM": true, "cICP": true, "mDCV": true, "cLLI": true, "sBIT": true,
	"acTL": true, "fcTL": true, "fdAT": true,
}

// pngColour are the chunks that say how to read the colours, which an image
// encoded anew carries over.
var pngColour = map[string]bool{"iCCP": true, "sRGB": true, "gAMA": true, "cHRM": true, "cICP": true}

// pngFile is a PNG taken apart; see jpegFile.
type pngFile struct {
	clean       []byte
	orientation int
	colour      [][]byte // whole colour chunks (length, type, data, CRC), in order
	icc         []byte   // the iCCP profile, inflated; nil when none
	removed     Removed
}

// cleanPNG rewrites a PNG with the chunks in pngKeep only, and stops at
// IEND. An eXIf chunk before the image data gives the orientation (one after
// it is ignored, as browsers do).
func cleanPNG(b []byte) (*pngFile, error) {
	if len(b) < len(pngSignature) || string(b[:len(pngSignature)]) != pngSignature {
		return nil, errors.New("no PNG signature")
	}
	f := &pngFile{orientation: 1}
	out := make([]byte, 0, len(b))
	out = append(out, pngSignature...)
	seenIDAT := false
	for i := len(pngSignature); ; {
		if i+12 > len(b) {
			return nil, errNoEOI
		}
		n := binary.BigEndian.Uint32(b[i:])
		if uint64(n) > uint64(len(b)-i-12) {
			return nil, errNoEOI
		}
		typ := string(b[i+4 : i+8])
		data := b[i+8 : i+8+int(n)]
		chunk := b[i : i+12+int(n)]
		i += 12 + int(n)
		switch typ {
		case "IDAT":
			seenIDAT = true
		case "eXIf":
			if info, err := readEXIF(data); err == nil {
				if !seenIDAT {
					f.orientation = info.orientation
				}
				f.removed = f.removed.with(info.removed)
			} else {
				f.removed.Other = true
			}
		case "tEXt", "zTXt", "iTXt":
			// XMP travels in iTXt "XML:com.adobe.xmp"; compressed text is
			// counted as other, unread.
			f.removed = f.removed.with(scanXMP(data))
		case "iCCP":
			f.icc = inflateICCP(data)
		}
		if pngColour[typ] {
			f.colour = append(f.colour, chunk)
		}
		if !pngKeep[typ] {
			f.removed.Other = true
			continue
		}
		out = append(out, chunk...)
		if typ == "IEND" {
			f.clean = out
			return f, nil
		}
	}
}

// inflateICCP reads the profile out of an iCCP chunk: a name, a zero byte,
// the compression method (0, zlib) and the compressed profile.
func inflateICCP(data []byte) []byte {
	nul := bytes.IndexByte(data, 0)
	if nul < 0 || nul+2 > len(data) || data[nul+1] != 0 {
		return nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(data[nul+2:]))
	if err != nil {
		return nil
	}
	defer zr.Close()
	// A profile is kilobytes; a few megabytes is the most any is.
	icc, err := io.ReadAll(io.LimitReader(zr, 16<<20))
	if err != nil {
		return nil
	}
	return icc
}

// pngChunk is one whole chunk: its length, type, data and CRC.
func pngChunk(typ string, data []byte) []byte {
	c := make([]byte, 0, 12+len(data))
	c = binary.BigEndian.AppendUint32(c, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// iccpChunk wraps a profile in an iCCP chunk.
func iccpChunk(icc []byte) []byte {
	var buf bytes.Buffer
	buf.WriteString("ICC profile\x00\x00")
	zw := zlib.NewWriter(&buf)
	zw.Write(icc)
	zw.Close()
	return pngChunk("iCCP", buf.Bytes())
}

// encodePNG encodes m with the colour chunks (or, failing them, the ICC
// profile) right after IHDR, where the format wants them: Go's encoder
// writes none. A profile for another colour space than m's is left out.
func encodePNG(m image.Image, colour [][]byte, icc []byte) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, m); err != nil {
		return nil, err
	}
	gray := false
	switch m.(type) {
	case *image.Gray, *image.Gray16:
		gray = true
	}
	if len(colour) == 0 && iccFits(icc, gray) {
		colour = [][]byte{iccpChunk(icc)}
	} else if !iccFits(icc, gray) {
		// Keep what is not a profile (sRGB, gAMA, cHRM); drop a profile that does not fit.
		var kept [][]byte
		for _, c := range colour {
			if string(c[4:8]) != "iCCP" {
				kept = append(kept, c)
			}
		}
		colour = kept
	}
	out := buf.Bytes()
	if len(colour) == 0 {
		return out, nil
	}
	// The signature (8) and IHDR (12 + 13) come first.
	const ihdrEnd = 8 + 12 + 13
	res := make([]byte, 0, len(out)+len(colour)*64)
	res = append(res, out[:ihdrEnd]...)
	for _, c := range colour {
		res = append(res, c...)
	}
	return append(res, out[ihdrEnd:]...), nil
}
