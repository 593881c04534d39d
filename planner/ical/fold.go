package ical

import (
	"bytes"
	"io"
)

// maxLineOctets is RFC 5545's limit for one physical line, without its CRLF.
const maxLineOctets = 75

// foldWriter folds the content lines written through it (go-ical writes them
// unfolded): a line longer than 75 octets goes on after CRLF and a space, and
// never breaks inside a UTF-8 sequence. It keeps its state between writes, so
// a line may arrive in any number of pieces.
type foldWriter struct {
	w    io.Writer
	col  int // octets on the current physical line
	need int // continuation bytes still due of the current UTF-8 sequence
	buf  []byte
}

func newFoldWriter(w io.Writer) *foldWriter { return &foldWriter{w: w} }

func (f *foldWriter) Write(p []byte) (int, error) {
	// Most content lines come whole and short: they pass as they are.
	if f.col == 0 && f.need == 0 && len(p) <= maxLineOctets+2 && len(p) >= 2 && p[len(p)-2] == '\r' && p[len(p)-1] == '\n' &&
		bytes.IndexByte(p[:len(p)-2], '\n') < 0 {
		return f.w.Write(p)
	}
	f.buf = f.buf[:0]
	for _, c := range p {
		switch {
		case c == '\n':
			f.col, f.need = 0, 0
		case c == '\r':
			// Part of the line end: it neither counts nor is folded before.
		case f.need > 0 && c&0xC0 == 0x80:
			f.need--
			f.col++ // room was made for the whole sequence at its first byte
		default:
			n := seqLen(c)
			if f.col+n > maxLineOctets {
				f.buf = append(f.buf, '\r', '\n', ' ')
				f.col = 1
			}
			f.col++
			f.need = n - 1
		}
		f.buf = append(f.buf, c)
	}
	if _, err := f.w.Write(f.buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

// seqLen is the length of the UTF-8 sequence that c starts; a byte that
// starts none stands alone.
func seqLen(c byte) int {
	switch {
	case c < 0x80:
		return 1
	case c&0xE0 == 0xC0:
		return 2
	case c&0xF0 == 0xE0:
		return 3
	case c&0xF8 == 0xF0:
		return 4
	}
	return 1
}
