package ical

import "bytes"

// Hooks for the external tests.
var (
	CleanText = cleanText
	Truncate  = truncate
)

// Fold writes s through the folding writer in pieces of chunk bytes.
func Fold(s string, chunk int) string {
	var out bytes.Buffer
	f := newFoldWriter(&out)
	b := []byte(s)
	for len(b) > 0 {
		n := min(chunk, len(b))
		_, _ = f.Write(b[:n])
		b = b[n:]
	}
	return out.String()
}
