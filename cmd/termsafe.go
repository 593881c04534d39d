package cmd

import (
	"fmt"
	"strings"
	"unicode"
)

// termSafe makes text from a post, a file or a network harmless to print on
// a terminal: a control character (an escape sequence could clear the
// screen, set the window title or fake a prompt) and a bidirectional
// override (which can make text read other than it is) show as escapes
// like \x1b; a tab, which breaks the table's columns, is a space. JSON output
// keeps the text exact instead.
func termSafe(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case r == unicode.ReplacementChar:
			b.WriteRune(r)
		case unsafeRune(r) && r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || // C0, DEL and C1
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || // bidi embeddings, overrides, isolates
		r == 0x200e || r == 0x200f || r == 0x061c // bidi marks
}
