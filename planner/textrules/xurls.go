package textrules

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// X's URLs are found as twitter-text 3.1.0's JavaScript extractUrlsWithIndices
// finds them, which X's own composer runs. It differs from the library's Java
// pattern in three ways that change counts: a host may hold any character but
// punctuation and spaces; a host without a scheme becomes a link only in its
// ASCII-looking part (validAsciiDomain: "caféwww.yle.fi" in "📅caféwww.yle.fi",
// "hs.fi" in "日.hs.fi"), and that link keeps a path but drops a port or a query
// that follows the host directly; and the patterns read UTF-16 code units and
// ignore case as JavaScript does (see jscase.go), so the character before a
// link may be the high half of an emoji. The scanner below follows each rule;
// testdata/twitter-text-js holds the library's own answers for a few thousand
// texts, which the tests compare with.

// xURL is a link in X's text.
type xURL struct {
	start, end int // where twitter-text says the link is, in bytes
	// skip is where counting goes on after the link: twitter-text steps over as
	// many code units as the link's text has, which for a host without a scheme
	// and with a path is its ASCII part and the path, and may be fewer than the
	// link spans. When skipHalf is set, the step ends between the two halves of
	// the character at skip, and its low half counts as a character of its own.
	skip     int
	skipHalf bool
}

// jsSyntax is the JavaScript pattern's path and query.
var jsSyntax = &urlSyntax{pathChar: jsPathChar, pathEnd: jsPathEnd, queryChar: twitterQueryChar, queryEnd: twitterQueryEnd}

// xMatch is one match of twitter-text's extractUrl pattern.
type xMatch struct {
	start, end       int  // the link: scheme, host, port, path and query
	half             bool // the link starts with the low half of the character at start
	scheme           int  // the scheme's length; 0 without one
	domStart, domEnd int
	path             bool // a path follows the host (and port)
	before           rune // the character matched before the link; -1 at the start, 0xD800 a high half
}

// findXURLs appends X's links in s to dst, in order.
func findXURLs(s string, dst []xURL) []xURL {
	if strings.IndexByte(s, '.') < 0 {
		return dst
	}
	sc := xScannerPool.Get().(*xScanner)
	sc.s, sc.labels = s, sc.labels[:0]
	defer func() {
		sc.s = ""
		xScannerPool.Put(sc)
	}()
	for pos := 0; pos < len(s); {
		m, ok := sc.exec(pos)
		if !ok {
			break
		}
		// The search goes on after the whole match, used or not.
		pos = m.end
		if !jsValidURL(s, m) {
			continue
		}
		if m.scheme > 0 {
			end := m.end
			if tcoEnd, slug, ok := matchTco(s[m.start:m.end]); ok {
				if slug > maxTcoSlugLength {
					continue
				}
				end = m.start + tcoEnd
			}
			dst = append(dst, xURL{start: m.start, end: end, skip: end})
			continue
		}
		switch m.before {
		case '-', '_', '.', '/':
			continue
		}
		// Each ASCII part of the host is a link; the last takes the path along.
		// twitter-text places each with indexOf from the end of the one before,
		// which finds an earlier copy of the same text if there is one.
		last, from := -1, m.domStart
		for q := m.domStart; ; {
			a, b, ok := nextASCIIDomain(s, q, m.domEnd)
			if !ok {
				break
			}
			q = b
			start := from + strings.Index(s[from:m.domEnd], s[a:b])
			from = start + (b - a)
			dst = append(dst, xURL{start: start, end: from, skip: from})
			last = len(dst) - 1
		}
		if last >= 0 && m.path {
			u := &dst[last]
			units := utf16Len(s[u.start:u.end]) + utf16Len(s[m.domEnd:m.end])
			u.end = m.end
			u.skip, u.skipHalf = advanceUTF16(s, u.start, units)
		}
	}
	return dst
}

// advanceUTF16 moves n UTF-16 code units on from i; half reports that it stops
// inside a supplementary character, which then starts at the returned position.
func advanceUTF16(s string, i, n int) (pos int, half bool) {
	for n > 0 && i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r > 0xFFFF {
			if n == 1 {
				return i, true
			}
			n--
		}
		n--
		i += size
	}
	return i, false
}

// xScanner holds one scan's state; like urlScanner it keeps the dotted labels
// read from the last start, so that starts inside them cost nothing more.
type xScanner struct {
	s      string
	labels []xLabel
}

var xScannerPool = sync.Pool{New: func() any { return new(xScanner) }}

type xLabel struct {
	start, end int
	valid      bool // starts and ends with a host character (not "-" or "_")
	dot        bool // a dot follows
	underscore int  // position of the last "_", or -1
	tldEnd     int  // end of the top-level domain after the label's dot, or -1
	best       int  // the last label from this one on that can precede its TLD, or -1
}

// exec finds the leftmost match at or after pos, as the pattern's global
// search does. The pattern reads a character before the link unless the link
// starts the text; that character reads as one code unit, so a supplementary
// character before a link is read in halves.
func (sc *xScanner) exec(pos int) (xMatch, bool) {
	s := sc.s
	starts := newStartFilter(s)
	for p := pos; p < len(s); {
		r, size := rune(s[p]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[p:])
		}
		if jsPreceding(r) {
			if size == 4 {
				// Its high half is read before a link that starts with its low half.
				if starts.possible(p) {
					if m, ok := sc.matchAt(p, true); ok {
						m.before = 0xD800
						return m, true
					}
				}
			} else if starts.possible(p + size) {
				if m, ok := sc.matchAt(p+size, false); ok {
					m.before = r
					return m, true
				}
			}
		}
		if p == 0 && starts.possible(0) {
			if m, ok := sc.matchAt(0, false); ok {
				m.before = -1
				return m, true
			}
		}
		if size == 4 && starts.possible(p+size) {
			// Its low half is read before a link right after it.
			if m, ok := sc.matchAt(p+size, false); ok {
				m.before = 0xDC00
				return m, true
			}
		}
		if starts.noDotLeft() {
			break
		}
		p += size
	}
	return xMatch{}, false
}

// jsPreceding is validUrlPrecedingChars: not an ASCII letter or digit, "@＠$#＃"
// or a character X refuses.
func jsPreceding(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return !isASCIIAlnum(c) && c != '@' && c != '$' && c != '#'
	}
	switch r {
	case '＠', '＃', 0xFFFE, 0xFEFF, 0xFFFF:
		return false
	}
	return true
}

// jsHostChar is validDomainChars: anything but ASCII punctuation (bar '"' and
// '`'), spaces, the characters X refuses and the directional marks.
func jsHostChar(r rune) bool {
	if r < utf8.RuneSelf {
		if r <= ' ' {
			return r < '\t' || r > '\r' && r != ' '
		}
		return strings.IndexByte("!'#%&()*+,\\-./:;<=>?@[]^_{|}~$", byte(r)) < 0
	}
	switch {
	case r == 0x85, r == 0xA0, r == 0x1680, r == 0x180E, 0x2000 <= r && r <= 0x200A, r == 0x2028, r == 0x2029,
		r == 0x202F, r == 0x205F, r == 0x3000:
		return false
	case r == 0xFFFE, r == 0xFEFF, r == 0xFFFF:
		return false
	case 0x202A <= r && r <= 0x202E, r == 0x061C, r == 0x200E, r == 0x200F, 0x2066 <= r && r <= 0x2069:
		return false
	}
	return true
}

// matchAt matches the link at u: a scheme, a host, a port, a path and a query.
// half: it starts with the low half of the character at u, and so has no scheme.
func (sc *xScanner) matchAt(u int, half bool) (xMatch, bool) {
	s := sc.s
	m := xMatch{start: u, half: half}
	d := u
	if !half {
		m.scheme = schemeLength(s[u:])
		d += m.scheme
	}
	// Without the scheme the host would start with "http:", which no host does.
	end, ok := sc.matchHost(d)
	if !ok {
		return xMatch{}, false
	}
	m.domStart, m.domEnd = d, end
	m.end, m.path = matchTail(s, end, jsSyntax)
	return m, true
}

// schemeLength is the length of an "http://" or "https://" that s starts
// with, in any case of ASCII letters, or 0.
func schemeLength(s string) int {
	for _, scheme := range []string{"https://", "http://"} {
		if len(s) >= len(scheme) && asciiEqualFold(s[:len(scheme)], scheme) {
			return len(scheme)
		}
	}
	return 0
}

func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// matchHost matches validDomain at d: labels ending in a dot, of which the
// last before the top-level domain holds no "_", then the top-level domain.
// Like the pattern's greedy repetition it prefers the longest host.
func (sc *xScanner) matchHost(d int) (end int, ok bool) {
	s := sc.s
	if d >= len(s) {
		return 0, false
	}
	if r, _ := utf8.DecodeRuneInString(s[d:]); !jsHostChar(r) {
		return 0, false
	}
	ls := sc.labels
	if len(ls) == 0 || d < ls[0].start || d >= ls[len(ls)-1].start {
		// Inside the label that ended the last run, a start fails as that label
		// did when its end was to blame.
		if n := len(ls); n > 0 && ls[0].start <= d && d < ls[n-1].end && !ls[n-1].dot {
			return 0, false
		}
		sc.readLabels(d)
		ls = sc.labels
	}
	// From d, label j is a suffix of itself, valid as long as its end is.
	j := sort.Search(len(ls), func(i int) bool { return ls[i].start > d }) - 1
	if j == len(ls)-1 {
		return 0, false // the last label has no dot or a bad end
	}
	if b := ls[j+1].best; b >= 0 {
		return ls[b].tldEnd, true
	}
	if l := ls[j]; l.underscore < d && l.tldEnd >= 0 {
		return l.tldEnd, true
	}
	return 0, false
}

// readLabels reads the run of dotted labels that starts at d.
func (sc *xScanner) readLabels(d int) {
	s := sc.s
	sc.labels = sc.labels[:0]
	for i := d; ; {
		l := xLabel{start: i, underscore: -1, tldEnd: -1, best: -1}
		var first, last rune = -1, -1
		for i < len(s) {
			r, size := rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[i:])
			}
			if r == '_' {
				l.underscore = i
			} else if r != '-' && !jsHostChar(r) {
				break
			}
			if first < 0 {
				first = r
			}
			last = r
			i += size
		}
		l.end = i
		l.valid = first >= 0 && first != '-' && first != '_' && last != '-' && last != '_'
		l.dot = l.end < len(s) && s[l.end] == '.'
		if l.valid && l.dot {
			l.tldEnd = jsTLD(s, l.end+1, len(s))
		}
		sc.labels = append(sc.labels, l)
		if !l.valid || !l.dot {
			break
		}
		i = l.end + 1
	}
	// The last label has no dot or is not valid, so it never precedes a TLD
	// (a start inside it is read anew); best runs from the right.
	ls := sc.labels
	for k := len(ls) - 2; k >= 0; k-- {
		ls[k].best = ls[k+1].best
		if ls[k].best < 0 && ls[k].underscore < ls[k].start && ls[k].tldEnd >= 0 {
			ls[k].best = k
		}
	}
}

// jsTLD matches a top-level domain at s[t:limit]: a listed one (in any case
// as jsCanon sees it) followed by neither an ASCII letter or digit nor "@+-",
// or else "xn--" and punycode. It returns the end, or -1.
func jsTLD(s string, t, limit int) int {
	idx := jsTLDs()
	var buf [128]byte
	n, end := 0, -1
	for i := t; i < limit && n < idx.maxBytes; {
		r, size := utf8.DecodeRuneInString(s[i:limit])
		if !tldRune(r) {
			break
		}
		n += utf8.EncodeRune(buf[n:], jsCanon(r))
		i += size
		if i < limit && !tldFollowerOK(s, i) {
			continue
		}
		if _, found := idx.set[string(buf[:n])]; found {
			end = i
		}
	}
	if end >= 0 {
		return end
	}
	if limit-t >= 5 && asciiEqualFold(s[t:t+4], "xn--") {
		i := t + 4
		for i < limit && (isASCIIAlnum(s[i]) || s[i] == '-') {
			i++
		}
		if i > t+4 {
			return i
		}
	}
	return -1
}

// jsTLDs is the list of top-level domains in jsCanon's form.
var jsTLDs = sync.OnceValue(func() tldIndex {
	idx := tldIndex{set: map[string]struct{}{}}
	for tld := range tlds().set {
		var b strings.Builder
		for _, r := range tld {
			b.WriteRune(jsCanon(r))
		}
		idx.set[b.String()] = struct{}{}
		idx.maxBytes = max(idx.maxBytes, b.Len())
	}
	return idx
})

// nextASCIIDomain finds the next match of validAsciiDomain in the host
// s[:to] from q: a dotted run of ASCII letters, digits, "-" and Latin letters
// that ends in a top-level domain.
func nextASCIIDomain(s string, q, to int) (start, end int, ok bool) {
	for q < to {
		r, size := utf8.DecodeRuneInString(s[q:to])
		if !asciiDomainChar(r) {
			q += size
			continue
		}
		// The longest chain of runs that ends in a TLD wins; a later start in
		// the first run sees the same chain, so on failure the search moves past it.
		var dotBuf [8]int
		dots := dotBuf[:0] // where each run of the chain ends in a dot
		firstEnd := -1
		for i := q; ; {
			for i < to {
				r, size := utf8.DecodeRuneInString(s[i:to])
				if !asciiDomainChar(r) {
					break
				}
				i += size
			}
			if firstEnd < 0 {
				firstEnd = i
			}
			if i >= to || s[i] != '.' || len(dots) > 0 && i == dots[len(dots)-1]+1 {
				break
			}
			dots = append(dots, i)
			i++
		}
		for k := len(dots) - 1; k >= 0; k-- {
			if end := jsTLD(s, dots[k]+1, to); end >= 0 {
				return q, end, true
			}
		}
		q = firstEnd
		if q < to && s[q] == '.' {
			q++
		}
	}
	return 0, 0, false
}

// asciiDomainChar is validAsciiDomain's [\-a-z0-9latinAccentChars] with "i".
func asciiDomainChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || r == '-'
	}
	return jsLatin().has(r)
}

// jsPathChar is validGeneralUrlPathChars with "i".
func jsPathChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || strings.IndexByte("!*';:=+,.$/%#[]-_~@|&", byte(r)) >= 0
	}
	return r == 0x2013 || jsLatin().has(r) || jsCyrillic().has(r)
}

// jsPathEnd is validUrlPathEndingChars (without the parenthesis groups) with "i".
func jsPathEnd(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || strings.IndexByte("=_#/-+", byte(r)) >= 0
	}
	return jsLatin().has(r) || jsCyrillic().has(r)
}

// jsValidURL is twitter-text's isValidUrl: the link with its scheme (or
// "https://") is at most 4096 code units long; every label of the host is 1
// to 63 characters in punycode's ASCII form (the "xn--" form of a label that
// is not plain printable ASCII, after splitting it at the ideographic full
// stops punycode also divides at); and a host that starts with "xn--" holds
// an ASCII domain.
func jsValidURL(s string, m xMatch) bool {
	n := m.scheme
	if n == 0 {
		n = len("https://")
	}
	n += utf16Len(s[m.start:m.end])
	if m.half {
		n-- // the high half is not in the link
	}
	if n > maxURLLength {
		return false
	}
	host := s[m.domStart:m.domEnd]
	if !m.half && strings.HasPrefix(host, "xn--") {
		if _, _, found := nextASCIIDomain(s, m.domStart, m.domEnd); !found {
			return false
		}
	}
	var buf [maxLabelLength]rune
	for first := true; ; first = false {
		part, rest, more := strings.Cut(host, ".")
		// Every code point gives at least one character of the ASCII form.
		if utf8.RuneCountInString(part) > maxLabelLength {
			return false
		}
		label := buf[:0]
		for _, r := range part {
			label = append(label, r)
		}
		if first && m.half && len(label) > 0 {
			// The label starts with the low half of its first character.
			label[0] = 0xDC00 | (label[0]-0x10000)&0x3FF
		}
		if l := jsASCIILabelLength(label); l < 1 || l > maxLabelLength {
			return false
		}
		if !more {
			return true
		}
		host = rest
	}
}

// jsASCIILabelLength is the length of punycode.js's toASCII of a label,
// given as code points (a lone surrogate stands for itself).
func jsASCIILabelLength(label []rune) int {
	n, start := 0, 0
	for i := 0; i <= len(label); i++ {
		if i < len(label) {
			switch label[i] {
			case '.', 0x3002, 0xFF0E, 0xFF61:
			default:
				continue
			}
			n++ // the dot it becomes
		}
		part := label[start:i]
		plain := true
		for _, r := range part {
			if r < 0x20 || r > 0x7E {
				plain = false
				break
			}
		}
		if plain {
			n += len(part)
		} else {
			n += len("xn--") + len(punycodeOf(part))
		}
		start = i + 1
	}
	return n
}
