package textrules

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// tldData is twitter-text's list of top-level domains, one a line; gen.go writes it.
//
//go:embed tlds.txt
var tldData string

type tldIndex struct {
	set map[string]struct{}
	// maxBytes bounds how far a match attempt reads.
	maxBytes int
}

// tlds parses the embedded list on first use, so programs that never count X text pay nothing.
var tlds = sync.OnceValue(func() tldIndex {
	idx := tldIndex{set: make(map[string]struct{}, 1600)}
	for line := range strings.Lines(tldData) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		idx.set[line] = struct{}{}
		idx.maxBytes = max(idx.maxBytes, len(line))
	}
	return idx
})

// matchTLD returns the end of the longest listed top-level domain at s[t:] that is
// followed by neither an ASCII letter or digit nor one of "@+-", as twitter-text's
// URL pattern requires.
func matchTLD(s string, t int) (end int, ok bool) {
	idx := tlds()
	var buf [64]byte // ASCII letters are compared in lower case, as the pattern ignores ASCII case
	n := 0
	for i := t; i < len(s) && i-t < idx.maxBytes; {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !tldRune(r) {
			break
		}
		for k := 0; k < size; k++ {
			c := s[i+k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n] = c
			n++
		}
		i += size
		if !tldFollowerOK(s, i) {
			continue
		}
		if _, found := idx.set[string(buf[:n])]; found {
			end, ok = i, true
		}
	}
	return end, ok
}

// tldRune reports whether r may appear in a top-level domain; it stops a match
// attempt at dots, spaces and punctuation; the listed domains hold only letters, marks and digits.
func tldRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || r == '-'
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.Nd)
}

// tldFollowerOK is the pattern's lookahead (?=[^a-z0-9@+-]|$).
func tldFollowerOK(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	c := s[i]
	return !(isASCIIAlnum(c) || c == '@' || c == '+' || c == '-')
}

// matchPunycodeTLD matches twitter-text's fallback for unlisted IDN top-level domains: xn--[-0-9a-z]+.
func matchPunycodeTLD(s string, t int) (end int, ok bool) {
	if len(s)-t < 5 || !strings.EqualFold(s[t:t+4], "xn--") {
		return 0, false
	}
	i := t + 4
	for i < len(s) && (isASCIIAlnum(s[i]) || s[i] == '-') {
		i++
	}
	return i, i > t+4
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
