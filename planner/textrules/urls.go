package textrules

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Mastodon's URL extractor follows twitter-text's VALID_URL pattern (Java flavour) and
// its extractURLsWithIndices, with Mastodon's changes: a URL is a scheme, a host that
// ends in a listed top-level domain, an optional port, path and query. It is written
// as a scanner because Go's regexp has neither look-around nor possessive repetition.
// X's links follow the JavaScript library instead (xurls.go).

// span is a URL's place in the scanned text, in bytes.
type span struct{ start, end int }

// urlSyntax is the part of the pattern that differs between networks.
type urlSyntax struct {
	schemes       []string // lower case, with "://"
	requireScheme bool
	pathChar      func(rune) bool
	pathEnd       func(rune) bool
	queryChar     func(rune) bool
	queryEnd      func(rune) bool
	parensEndPath bool
}

// mastodonURLs is Mastodon's variant: a scheme is required, a few more schemes are
// known, and paths and queries may hold any non-space character.
var mastodonURLs = &urlSyntax{
	schemes:       []string{"https://", "http://", "dat://", "dweb://", "ipfs://", "ipns://", "ssb://", "gopher://", "gemini://"},
	requireScheme: true,
	pathChar:      mastodonPathChar,
	pathEnd:       mastodonPathEnd,
	queryChar:     mastodonQueryChar,
	queryEnd:      mastodonQueryEnd,
	parensEndPath: true,
}

const (
	maxURLLength     = 4096 // the longest URL X accepts, counted with its scheme
	maxTcoSlugLength = 40
)

// findURLs appends the URLs of s to dst, in order.
func findURLs(s string, syn *urlSyntax, dst []span) []span {
	// Every URL has a dot in its host; most texts have none.
	if strings.IndexByte(s, '.') < 0 {
		return dst
	}
	sc := scannerPool.Get().(*urlScanner)
	sc.s, sc.syn, sc.labels = s, syn, sc.labels[:0]
	defer func() {
		sc.s, sc.syn = "", nil
		scannerPool.Put(sc)
	}()
	pos := 0
	for pos < len(s) {
		m, ok := sc.next(pos)
		if !ok {
			break
		}
		// The next search starts after this match even when the match is rejected,
		// as a regular expression's find loop would.
		pos = m.end
		if !m.hasScheme {
			if syn.requireScheme {
				continue
			}
			// A bare domain right after "-_./" is part of something else.
			if m.before == '-' || m.before == '_' || m.before == '.' || m.before == '/' {
				continue
			}
		}
		end := m.end
		if m.hasScheme {
			if tcoEnd, slug, ok := matchTco(s[m.start:m.end]); ok {
				if slug > maxTcoSlugLength {
					continue
				}
				end = m.start + tcoEnd
			}
		}
		if !validHostAndLength(s[m.start:end], m.hasScheme, s[m.hostStart:m.hostEnd]) {
			continue
		}
		dst = append(dst, span{m.start, end})
	}
	return dst
}

// urlScanner holds one scan's state. Match attempts start at many places inside one
// run of dotted labels ("a.b.c.d"), so the labels of the last run are kept and later
// attempts inside it are answered from them: scanning stays linear in the text.
type urlScanner struct {
	s   string
	syn *urlSyntax
	// labels are the dotted labels read from some start; the last one ends the run
	// (it is not followed by a dot, or is not a valid label).
	labels []label
}

// scannerPool keeps scanners and their label buffers between counts, which happen on
// every keystroke in the editor.
var scannerPool = sync.Pool{New: func() any { return new(urlScanner) }}

type label struct {
	start, end int
	valid      bool // not empty, starts and ends with a letter, digit or accent
	lastOK     bool // ends with a letter, digit or accent
	dot        bool // a dot follows
	underscore int  // position of the last "_", or -1
	tldEnd     int  // end of the top-level domain after the label's dot, or -1
	best       int  // the last label from this one on that can precede its TLD, or -1
}

type urlMatch struct {
	start, end         int
	hostStart, hostEnd int
	hasScheme          bool
	before             rune // the character before the URL, or -1 at the start of the text
}

// next finds the leftmost match at or after pos. Like the pattern, a match
// consumes the character before the URL, which must not be a letter, digit or one of
// "@＠$#＃"; at the very start of the text the URL may begin at once.
func (sc *urlScanner) next(pos int) (urlMatch, bool) {
	s := sc.s
	starts := newStartFilter(s)
	for p := pos; p < len(s); {
		r, size := rune(s[p]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[p:])
		}
		if validURLPreceding(r) && starts.possible(p+size) {
			if m, ok := sc.matchAt(p + size); ok {
				m.before = r
				return m, true
			}
		}
		if p == 0 && starts.possible(0) {
			if m, ok := sc.matchAt(0); ok {
				m.before = -1
				return m, true
			}
		}
		if starts.noDotLeft() {
			break
		}
		p += size
	}
	return urlMatch{}, false
}

// startFilter tells cheaply where no URL can start: a URL has a dot in its
// host and no space before it, so a start with a space before the next dot
// cannot match. The scanners ask at growing positions, so it keeps the next
// dot and space it found.
type startFilter struct {
	s          string
	dot, space int
}

func newStartFilter(s string) startFilter { return startFilter{s: s, dot: -1, space: -1} }

// possible reports whether a URL may start at q.
func (f *startFilter) possible(q int) bool {
	s := f.s
	if f.dot < q {
		if f.dot = strings.IndexByte(s[q:], '.'); f.dot < 0 {
			f.dot = len(s)
		} else {
			f.dot += q
		}
	}
	if f.space < q {
		f.space = q
		for f.space < len(s) && !isASCIISpace(s[f.space]) {
			f.space++
		}
	}
	return f.dot < len(s) && f.dot < f.space
}

// noDotLeft reports that the text has no dot after the last position asked.
func (f *startFilter) noDotLeft() bool { return f.dot == len(f.s) }

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

func validURLPreceding(r rune) bool {
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

// matchAt matches a URL that starts exactly at q.
func (sc *urlScanner) matchAt(q int) (urlMatch, bool) {
	s, syn := sc.s, sc.syn
	if q >= len(s) {
		return urlMatch{}, false
	}
	m := urlMatch{start: q}
	d := q
	for _, scheme := range syn.schemes {
		if len(s)-q >= len(scheme) && strings.EqualFold(s[q:q+len(scheme)], scheme) {
			d = q + len(scheme)
			m.hasScheme = true
			break
		}
	}
	end, ok := sc.matchDomain(d)
	if !ok && m.hasScheme {
		end, ok = matchUnicodeDomain(s, d)
	}
	if !ok {
		return urlMatch{}, false
	}
	m.hostStart, m.hostEnd = d, end
	m.end, _ = matchTail(s, end, syn)
	return m, true
}

// matchTail matches what may follow a host at end: a port, a path and a
// query. It returns where the URL ends, and whether it has a path.
func matchTail(s string, end int, syn *urlSyntax) (int, bool) {
	// Port.
	if end+1 < len(s) && s[end] == ':' && isDigit(s[end+1]) {
		end++
		for end < len(s) && isDigit(s[end]) {
			end++
		}
	}
	// Path: it ends on the last character that may end one, so "/foo." leaves the dot.
	path := end < len(s) && s[end] == '/'
	if path {
		end = matchPath(s, end+1, syn)
	}
	// Query: likewise it ends on a character that may end one.
	if end < len(s) && s[end] == '?' {
		last := -1
		for i := end + 1; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !syn.queryChar(r) {
				break
			}
			i += size
			if syn.queryEnd(r) {
				last = i
			}
		}
		if last > 0 {
			end = last
		}
	}
	return end, path
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// matchDomain matches twitter-text's main host form at d: labels of letters, digits,
// Latin accents, "-" and "_", a last label before the top-level domain without "_",
// and a listed (or punycode) top-level domain. Like the pattern's greedy repetition it
// prefers the longest host.
func (sc *urlScanner) matchDomain(d int) (end int, ok bool) {
	s := sc.s
	if d >= len(s) {
		return 0, false
	}
	if r, _ := utf8.DecodeRuneInString(s[d:]); !urlLabelChar(r) {
		return 0, false
	}
	ls := sc.labels
	if len(ls) == 0 || d < ls[0].start || d >= ls[len(ls)-1].start {
		// Inside the label that ended the last run, a start fails as that label did
		// when the label's end was to blame.
		if n := len(ls); n > 0 && ls[0].start <= d && d < ls[n-1].end && (!ls[n-1].lastOK || !ls[n-1].dot) {
			return 0, false
		}
		sc.readLabels(d)
		ls = sc.labels
	}
	// d lies in label j; from d that label is a suffix of it, and valid when the label
	// is, for its first character was just checked.
	j := sort.Search(len(ls), func(i int) bool { return ls[i].start > d }) - 1
	if !ls[j].valid || j == len(ls)-1 {
		return 0, false
	}
	if b := ls[j+1].best; b >= 0 {
		return ls[b].tldEnd, true
	}
	if ls[j].underscore < d && ls[j].tldEnd >= 0 {
		return ls[j].tldEnd, true
	}
	return 0, false
}

// readLabels reads the run of dotted labels that starts at d.
func (sc *urlScanner) readLabels(d int) {
	s := sc.s
	sc.labels = sc.labels[:0]
	for i := d; ; {
		l := scanLabel(s, i)
		l.tldEnd = -1
		l.dot = l.end < len(s) && s[l.end] == '.'
		sc.labels = append(sc.labels, l)
		if !l.valid || !l.dot {
			break
		}
		if e, found := matchTLD(s, l.end+1); found {
			l.tldEnd = e
		} else if e, found := matchPunycodeTLD(s, l.end+1); found {
			l.tldEnd = e
		}
		sc.labels[len(sc.labels)-1].tldEnd = l.tldEnd
		i = l.end + 1
	}
	// The run's last label is followed by no dot or is not valid, so it cannot be the
	// domain name; best runs from the right.
	ls := sc.labels
	ls[len(ls)-1].valid = false
	ls[len(ls)-1].best = -1
	for k := len(ls) - 2; k >= 0; k-- {
		ls[k].best = ls[k+1].best
		if ls[k].best < 0 && ls[k].underscore < ls[k].start && ls[k].tldEnd >= 0 {
			ls[k].best = k
		}
	}
}

// scanLabel reads a run of URL label characters, "-" and "_" from i.
func scanLabel(s string, i int) label {
	l := label{start: i, underscore: -1}
	var first, last rune = -1, -1
	for i < len(s) {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if !latinAccent(r) {
				break
			}
		} else if r == '_' {
			l.underscore = i
		} else if r != '-' && !isASCIIAlnum(byte(r)) {
			break
		}
		if first < 0 {
			first = r
		}
		last = r
		i += size
	}
	l.end = i
	l.lastOK = urlLabelChar(last)
	l.valid = i > l.start && urlLabelChar(first) && l.lastOK
	return l
}

// urlLabelChar is twitter-text's URL_VALID_CHARS: ASCII letters and digits and Latin accents.
func urlLabelChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	return latinAccent(r)
}

func latinAccent(r rune) bool {
	switch {
	case 0xC0 <= r && r <= 0xD6, 0xD8 <= r && r <= 0xF6, 0xF8 <= r && r <= 0x24F:
		return true
	case 0x300 <= r && r <= 0x36F, 0x1E00 <= r && r <= 0x1EFF:
		return true
	}
	switch r {
	case 0x253, 0x254, 0x256, 0x257, 0x259, 0x25B, 0x263, 0x268, 0x26F, 0x272, 0x289, 0x28B, 0x2BB:
		return true
	}
	return false
}

// matchUnicodeDomain is the pattern's form for a host after a scheme: one label of any
// non-punctuation characters, then a listed top-level domain.
func matchUnicodeDomain(s string, d int) (end int, ok bool) {
	i := d
	var first, last rune = -1, -1
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != '-' && !unicodeLabelChar(r) {
			break
		}
		if first < 0 {
			first = r
		}
		last = r
		i += size
	}
	if i == d || i >= len(s) || s[i] != '.' || first == '-' || last == '-' {
		return 0, false
	}
	return matchTLD(s, i+1)
}

// unicodeLabelChar is twitter-text's URL_VALID_UNICODE_CHARS: anything but ASCII
// punctuation, spaces, separators and the General Punctuation block.
func unicodeLabelChar(r rune) bool {
	if r < utf8.RuneSelf {
		return strings.IndexByte("-_!\"#$%&'()*+,./:;<=>?@[]^`{|}~ \t\n\v\f\r", byte(r)) < 0
	}
	return r != utf8.RuneError && !unicode.Is(unicode.Z, r) && !(0x2000 <= r && r <= 0x206F)
}

// matchPath returns where the path that starts at i (after its "/") ends. A path is a
// series of steps; a step is either the longest run of path characters and balanced
// parenthesis groups that ends in a character that may end a path (so "/foo." leaves
// the dot), or a lone balanced group. In twitter-text's pattern a group ends a run
// only on its own, a quirk of how the pattern is pieced together; Mastodon's syntax
// lets a group end a run too.
func matchPath(s string, i int, syn *urlSyntax) int {
	// After a run's last ending character the rest of the run, up to runEnd, holds
	// none, so the steps there can only be lone groups; this keeps scanning linear.
	runEnd := -1
	for i < len(s) {
		if i >= runEnd {
			end := i // of the run's last ending character
			j := i
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if r == '(' {
					e, ok := matchBalancedParens(s, j, syn)
					if !ok {
						break
					}
					j = e
					if syn.parensEndPath {
						end = j
					}
					continue
				}
				if !syn.pathChar(r) {
					break
				}
				j += size
				if syn.pathEnd(r) {
					end = j
				}
			}
			runEnd = j
			if end > i {
				i = end
				continue
			}
		}
		if s[i] != '(' {
			return i
		}
		e, ok := matchBalancedParens(s, i, syn)
		if !ok {
			return i
		}
		i = e
	}
	return i
}

// matchBalancedParens matches "(chars)" or "(chars(chars)chars)" at i, the two levels
// of nesting twitter-text allows (Wikipedia's /Primer_(film) and the like).
func matchBalancedParens(s string, i int, syn *urlSyntax) (int, bool) {
	j := skipPathChars(s, i+1, syn)
	if j < len(s) && s[j] == ')' && j > i+1 {
		return j + 1, true
	}
	if j >= len(s) || s[j] != '(' {
		return 0, false
	}
	k := skipPathChars(s, j+1, syn)
	if k == j+1 || k >= len(s) || s[k] != ')' {
		return 0, false
	}
	l := skipPathChars(s, k+1, syn)
	if l >= len(s) || s[l] != ')' {
		return 0, false
	}
	return l + 1, true
}

func skipPathChars(s string, i int, syn *urlSyntax) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !syn.pathChar(r) {
			break
		}
		i += size
	}
	return i
}

// matchTco recognises t.co links, which may carry neither more path nor a slug over
// 40 characters; it returns the end of the t.co link within url and its slug's length.
func matchTco(url string) (end, slug int, ok bool) {
	i := 0
	switch {
	case len(url) >= 13 && strings.EqualFold(url[:13], "https://t.co/"):
		i = 13
	case len(url) >= 12 && strings.EqualFold(url[:12], "http://t.co/"):
		i = 12
	default:
		return 0, 0, false
	}
	start := i
	for i < len(url) && isASCIIAlnum(url[i]) {
		i++
	}
	if i == start {
		return 0, 0, false
	}
	end, slug = i, i-start
	if i < len(url) && url[i] == '?' {
		last := -1
		for j := i + 1; j < len(url); j++ {
			c := rune(url[j])
			if !twitterQueryChar(c) {
				break
			}
			if twitterQueryEnd(c) {
				last = j + 1
			}
		}
		if last > 0 {
			end = last
		}
	}
	return end, slug, true
}

// validHostAndLength is twitter-text's isValidHostAndLength: the host must survive IDN
// conversion and the whole URL, with a scheme added when it has none, must not be
// longer than 4096 UTF-16 code units once the host is in ASCII form.
func validHostAndLength(url string, hasScheme bool, host string) bool {
	asciiHost, ok := asciiHostLength(host)
	if !ok {
		return false
	}
	n := utf16Len(url) + asciiHost - utf16Len(host)
	if !hasScheme {
		n += len("https://")
	}
	return n <= maxURLLength
}

// twitterQueryChar is URL_VALID_URL_QUERY_CHARS.
func twitterQueryChar(r rune) bool {
	return r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || strings.IndexByte("!?*'();:&=+$/%#[]-_.,~|@", byte(r)) >= 0)
}

// twitterQueryEnd is URL_VALID_URL_QUERY_ENDING_CHARS.
func twitterQueryEnd(r rune) bool {
	return r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || strings.IndexByte("-_&=#/", byte(r)) >= 0)
}

func mastodonPathChar(r rune) bool {
	return !unicode.Is(unicode.White_Space, r) && !strings.ContainsRune("<>()?", r)
}

func mastodonPathEnd(r rune) bool {
	return mastodonPathChar(r) && !strings.ContainsRune("!*\"'「」;:=,.$%[]~&|@", r)
}

func mastodonQueryChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || strings.IndexByte("!?*'();:&=+$/%#[]-_.,~|@^", byte(r)) >= 0
	}
	return mastodonUChar(r)
}

func mastodonQueryEnd(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || strings.IndexByte("_&=#/-", byte(r)) >= 0
	}
	return mastodonUChar(r)
}

// mastodonUChar is the ucschar set of RFC 3987 that Mastodon allows in queries.
func mastodonUChar(r rune) bool {
	switch {
	case 0xA0 <= r && r <= 0xD7FF, 0xF900 <= r && r <= 0xFDCF, 0xFDF0 <= r && r <= 0xFFEF, 0xE000 <= r && r <= 0xF8FF:
		return true
	case 0x10000 <= r && r <= 0x10FFFD:
		return r&0xFFFF <= 0xFFFD && !(0xE0000 <= r && r < 0xE1000)
	}
	return false
}

// utf16Len counts s in UTF-16 code units, the unit twitter-text's ranges and limits use;
// invalid bytes count as U+FFFD.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < 0x80:
			i++
		case c >= 0xF0:
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if size == 4 {
				n++
			}
		default:
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		n++
	}
	return n
}
