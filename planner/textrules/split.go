package textrules

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Split cuts text into a thread of posts that each fit network n's default limit.
// See SplitWithLimit.
func Split(n Network, text string) []string {
	return SplitWithLimit(n, text, 0)
}

// SplitWithLimit cuts text into posts that each fit limit (0 or less: the network's
// default). A text that fits comes back as one post, without a number; a longer one
// comes back as posts ending in " 1/3", " 2/3", " 3/3", whose length includes the
// number. Blank text gives no posts, and an unknown network gives the text as it is.
//
// A post ends at the last place where a line may wrap (between words, after a
// hyphen, between CJK characters) that fits, or at an earlier end of a sentence or
// line if that still fills at least half of it, so that a thread does not grow for
// the sake of a sentence end. Only a word too long for a post is cut between grapheme
// clusters, and a URL only when it alone is too long. The text is kept whole and in
// order; only the whitespace at each cut is dropped. Posts fit any limit that can
// hold a character and the number.
func SplitWithLimit(n Network, text string, limit int) []string {
	if limit <= 0 {
		limit = Limit(n)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	whole, fits := measure(n, text, limit)
	if fits || limit <= 0 {
		return []string{text}
	}
	sp := splitters.Get().(*splitter)
	defer splitters.Put(sp)
	sp.network, sp.limit, sp.text = n, limit, text
	sp.bytesPerUnit = float64(len(text)) / float64(max(whole.Length, 1))
	sp.findCuts()
	var parts []string
	// Reserve room for the widest number, " 99/99" for two digits; when the thread
	// needs more digits than reserved, reserve more and cut again. The thread has at
	// least length/limit parts, which gives the first guess.
	for digits := len(strconv.Itoa((whole.Length + limit - 1) / limit)); ; digits++ {
		nines := strings.Repeat("9", digits)
		parts = sp.pack(" " + nines + "/" + nines)
		if len(strconv.Itoa(len(parts))) > digits {
			continue
		}
		total := "/" + strconv.Itoa(len(parts))
		ok := true
		for i := range parts {
			parts[i] += " " + strconv.Itoa(i+1) + total
			// Cuts that fit with the widest number fit with a narrower one: only a
			// part that had to take a character too long for it needs measuring.
			if sp.forced {
				if _, fits := measure(n, parts[i], limit); !fits {
					ok = false
				}
			}
		}
		// So this only gives up on limits too small for a single character and a number.
		if ok || digits >= 9 {
			return parts
		}
	}
}

// cut is a place where a post may end, with how good a place it is. A text
// has one at nearly every character, so it is kept small: a post's text is
// far shorter than 2 GB.
type cut struct {
	pos  int32
	rank int8
}

const (
	rankInURL    int8 = -1 // only when a URL alone is too long
	rankCluster  int8 = 0  // between grapheme clusters
	rankWrap     int8 = 2  // where a line may wrap
	rankSentence int8 = 3  // after a sentence or a line
)

type splitter struct {
	network Network
	limit   int
	text    string
	// good are the places where a line may wrap or a sentence ends, outside
	// URLs, ending with the end of the text; all positions are before a
	// non-space character. Cuts between grapheme clusters are found only for
	// a part where none of these fits (a word or a URL longer than a post).
	good []cut
	urls []span // the text's URLs, disjoint and in order
	// stretch holds the cuts between clusters last found; cps is scratch
	// for the cuts between code points.
	stretch stretch
	cps     []cut
	// bytesPerUnit is the text's bytes per unit of its length, for guessing
	// where a part fills up.
	bytesPerUnit float64
	// forced: the last pack had to end a part after a character that does not
	// fit with the suffix.
	forced bool
}

// stretch is the cuts between grapheme clusters from one place in the text
// to the next good cut: all of them, and those outside URLs.
type stretch struct {
	from, to  int
	all, good []cut
}

// splitters keeps splitters and their cut lists between splits: a long text's
// cuts are tens of kilobytes, and the composer splits as the user asks.
var splitters = sync.Pool{New: func() any { return new(splitter) }}

// findCuts finds the text's URLs and its good cuts. The line breaks and the
// sentence ends come from two of uniseg's segmenters rather than from its
// step through every grapheme cluster, which also works out word boundaries
// that a split does not use and took most of a split's time.
func (sp *splitter) findCuts() {
	// URLs as X or Mastodon finds them, merged into disjoint spans.
	urls := sp.urls[:0]
	for _, u := range findXURLs(sp.text, nil) {
		urls = append(urls, span{u.start, u.end})
	}
	urls = findURLs(sp.text, mastodonURLs, urls)
	sort.Slice(urls, func(i, j int) bool { return urls[i].start < urls[j].start })
	merged := urls[:0]
	for _, u := range urls {
		if k := len(merged) - 1; k >= 0 && u.start < merged[k].end {
			merged[k].end = max(merged[k].end, u.end)
			continue
		}
		merged = append(merged, u)
	}
	sp.urls = merged

	// Sentence ends, then line breaks, merged by position; a place that is
	// both takes the better rank.
	sentences := sp.cps[:0]
	state := -1
	for rest, pos := sp.text, 0; len(rest) > 0; {
		var sentence string
		sentence, rest, state = uniseg.FirstSentenceInString(rest, state)
		pos += len(sentence)
		if rest != "" {
			sentences = append(sentences, cut{pos: int32(pos), rank: rankSentence})
		}
	}
	sp.cps = sentences
	good := sp.good[:0]
	urlsLeft := sp.urls
	add := func(c cut) {
		if r, _ := utf8.DecodeRuneInString(sp.text[c.pos:]); unicode.IsSpace(r) {
			return // a cut inside a run of spaces is the one after the run
		}
		for len(urlsLeft) > 0 && urlsLeft[0].end <= int(c.pos) {
			urlsLeft = urlsLeft[1:]
		}
		if len(urlsLeft) > 0 && urlsLeft[0].start < int(c.pos) {
			return // inside a URL
		}
		if k := len(good) - 1; k >= 0 && good[k].pos == c.pos {
			good[k].rank = max(good[k].rank, c.rank)
			return
		}
		good = append(good, c)
	}
	state = -1
	for rest, pos := sp.text, 0; len(rest) > 0; {
		var segment string
		var must bool
		segment, rest, must, state = uniseg.FirstLineSegmentInString(rest, state)
		pos += len(segment)
		if rest == "" {
			break
		}
		for len(sentences) > 0 && int(sentences[0].pos) < pos {
			add(sentences[0])
			sentences = sentences[1:]
		}
		c := cut{pos: int32(pos), rank: rankWrap}
		if must {
			c.rank = rankSentence
		}
		if len(sentences) > 0 && int(sentences[0].pos) == pos {
			c.rank = rankSentence
			sentences = sentences[1:]
		}
		add(c)
	}
	for _, c := range sentences {
		add(c)
	}
	sp.good = append(good, cut{pos: int32(len(sp.text)), rank: rankSentence})
	sp.stretch.to = -1
}

// clustersAfter returns the cuts between grapheme clusters past s up to and
// including the good cut after s; with urls false, only those outside URLs.
// A word longer than a post takes many parts, so the cuts of its stretch are
// found once, for its first part, and kept for the parts after it: a cut is
// a cluster boundary, where finding them again would start the same way.
func (sp *splitter) clustersAfter(s int, urls bool) []cut {
	end := int(sp.after(sp.good, s)[0].pos)
	if sp.stretch.to != end || sp.stretch.from > s {
		all, good := sp.stretch.all[:0], sp.stretch.good[:0]
		urlsLeft := sp.urls
		state := -1
		for rest, pos := sp.text[s:end], s; len(rest) > 0; {
			var cluster string
			cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
			pos += len(cluster)
			if r, _ := utf8.DecodeRuneInString(sp.text[pos:]); pos < end && unicode.IsSpace(r) {
				continue
			}
			for len(urlsLeft) > 0 && urlsLeft[0].end <= pos {
				urlsLeft = urlsLeft[1:]
			}
			c := cut{pos: int32(pos), rank: rankCluster}
			all = append(all, c)
			if pos == end || len(urlsLeft) == 0 || urlsLeft[0].start >= pos {
				good = append(good, c)
			}
		}
		sp.stretch = stretch{from: s, to: end, all: all, good: good}
	}
	if urls {
		return sp.after(sp.stretch.all, s)
	}
	return sp.after(sp.stretch.good, s)
}

// pack cuts the text greedily into parts that fit with suffix appended.
func (sp *splitter) pack(suffix string) []string {
	sp.forced = false
	var parts []string
	for s := 0; s < len(sp.text); {
		c := sp.next(s, suffix)
		parts = append(parts, strings.TrimRightFunc(sp.text[s:c], unicode.IsSpace))
		s = c
	}
	return parts
}

func (sp *splitter) fits(s, c int, suffix string) bool {
	part := strings.TrimRightFunc(sp.text[s:c], unicode.IsSpace)
	_, ok := measure(sp.network, part+suffix, sp.limit)
	return ok
}

// next returns where the part that starts at s should end.
func (sp *splitter) next(s int, suffix string) int {
	good := sp.after(sp.good, s)
	// Far past where a part fills up, the first good cut is not measured: the
	// cuts between clusters up to it are, and whether the last of them, the
	// good cut itself, fits says which way to go. Measuring it from each part
	// of a long word or URL would take time in the square of its length.
	if float64(int(good[0].pos)-s) > 4*sp.room(suffix)+64 {
		cuts := sp.clustersAfter(s, false)
		if k, ok := sp.furthest(cuts, s, suffix); !ok || k < len(cuts)-1 {
			return sp.inWord(s, suffix)
		}
	}
	if w, ok := sp.furthest(good, s, suffix); ok {
		// Prefer the end of a sentence, but only one that keeps at least half of the part.
		best := w
		half := s + (int(good[w].pos)-s)/2
		for j := w - 1; j >= 0 && int(good[j].pos) >= half; j-- {
			if good[j].rank > good[best].rank {
				best = j
			}
		}
		if best != w && !sp.fits(s, int(good[best].pos), suffix) {
			best = w
		}
		return int(good[best].pos)
	}
	return sp.inWord(s, suffix)
}

// inWord returns where the part that starts at s ends when no place to wrap
// fits: between grapheme clusters, and inside a URL only when it alone is
// too long. Lengths only grow, so the cuts past the first good one cannot fit
// either.
func (sp *splitter) inWord(s int, suffix string) int {
	for _, urls := range []bool{false, true} {
		cuts := sp.clustersAfter(s, urls)
		if k, ok := sp.furthest(cuts, s, suffix); ok {
			return int(cuts[k].pos)
		}
	}
	// Even one grapheme cluster is too long: cut it between code points, keeping at
	// least one.
	clusterEnd := int(sp.clustersAfter(s, true)[0].pos)
	cps := sp.cps[:0]
	for i := s; i < clusterEnd; {
		_, size := utf8.DecodeRuneInString(sp.text[i:])
		i += size
		cps = append(cps, cut{pos: int32(i)})
	}
	sp.cps = cps
	if k, ok := sp.furthest(cps, s, suffix); ok {
		return int(cps[k].pos)
	}
	sp.forced = true
	return int(cps[0].pos)
}

// room is how many bytes of the text a part holds besides suffix, by the
// text's average.
func (sp *splitter) room(suffix string) float64 {
	return float64(sp.limit)*sp.bytesPerUnit - float64(len(suffix))
}

// after returns the cuts past s.
func (sp *splitter) after(cuts []cut, s int) []cut {
	i := sort.Search(len(cuts), func(i int) bool { return int(cuts[i].pos) > s })
	return cuts[i:]
}

// furthest finds the last of cuts at which the part from s still fits. As length
// grows with the cut, it gallops from a guess (the cut where the text's average
// bytes per unit say the part is full) up or down to a cut that fits and one that
// does not, and bisects between them: two or three measures for a part where a
// search from its first cut took a dozen.
func (sp *splitter) furthest(cuts []cut, s int, suffix string) (int, bool) {
	if len(cuts) == 0 {
		return 0, false
	}
	room := sp.room(suffix)
	g := sort.Search(len(cuts), func(i int) bool { return float64(int(cuts[i].pos)-s) > room })
	g = min(max(g-1, 0), len(cuts)-1)
	lo, hi := g, len(cuts) // cuts[lo] fits; cuts[hi] does not, or is past the end
	if sp.fits(s, int(cuts[g].pos), suffix) {
		for step := 1; lo+step < len(cuts); step *= 2 {
			if !sp.fits(s, int(cuts[lo+step].pos), suffix) {
				hi = lo + step
				break
			}
			lo += step
		}
	} else {
		hi, lo = g, -1
		for step := 1; hi > 0; step *= 2 {
			i := max(hi-step, 0)
			if sp.fits(s, int(cuts[i].pos), suffix) {
				lo = i
				break
			}
			hi = i
		}
		if lo < 0 {
			return 0, false
		}
	}
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if sp.fits(s, int(cuts[mid].pos), suffix) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, true
}
