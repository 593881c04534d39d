package textrules

import (
	"slices"
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
	// good are the cuts outside URLs; all adds those inside URLs. Both end with the
	// end of the text and hold only positions before a non-space character.
	good, all []cut
	cps       []cut // scratch for cuts between code points
	// bytesPerUnit is the text's bytes per unit of its length, for guessing
	// where a part fills up.
	bytesPerUnit float64
	// forced: the last pack had to end a part after a character that does not
	// fit with the suffix.
	forced bool
}

// splitters keeps splitters and their cut lists between splits: a long text's
// cuts are tens of kilobytes, and the composer splits as the user asks.
var splitters = sync.Pool{New: func() any { return new(splitter) }}

func (sp *splitter) findCuts() {
	// URLs as X or Mastodon finds them, merged into disjoint spans.
	var urls []span
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
	urls = merged
	// Positions only grow, so the spans that end before one are done with.
	inURL := func(p int) bool {
		for len(urls) > 0 && urls[0].end <= p {
			urls = urls[1:]
		}
		return len(urls) > 0 && urls[0].start < p
	}
	// A cut at most per character, and the end.
	n := utf8.RuneCountInString(sp.text) + 1
	sp.all, sp.good = slices.Grow(sp.all[:0], n), slices.Grow(sp.good[:0], n)
	state := -1
	pos := 0
	for rest := sp.text; len(rest) > 0; {
		var cluster string
		var boundaries int
		cluster, rest, boundaries, state = uniseg.StepString(rest, state)
		pos += len(cluster)
		if rest == "" {
			break
		}
		// A cut inside a run of spaces is the same cut as the one after the run.
		if r, _ := utf8.DecodeRuneInString(rest); unicode.IsSpace(r) {
			continue
		}
		c := cut{pos: int32(pos), rank: rankCluster}
		switch {
		case inURL(pos):
			c.rank = rankInURL
		case boundaries&uniseg.MaskSentence != 0, boundaries&uniseg.MaskLine == uniseg.LineMustBreak:
			c.rank = rankSentence
		case boundaries&uniseg.MaskLine == uniseg.LineCanBreak:
			c.rank = rankWrap
		}
		sp.all = append(sp.all, c)
		if c.rank != rankInURL {
			sp.good = append(sp.good, c)
		}
	}
	end := cut{pos: int32(len(sp.text)), rank: rankSentence}
	sp.all = append(sp.all, end)
	sp.good = append(sp.good, end)
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
	if k, ok := sp.furthest(good, s, suffix); ok {
		// Cut inside a word only when no place to wrap fits at all.
		w := k
		for w >= 0 && good[w].rank < rankWrap {
			w--
		}
		if w < 0 {
			return int(good[k].pos)
		}
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
	// The first piece alone is too long: a URL, or a word or cluster longer than a post.
	if k, ok := sp.furthest(sp.after(sp.all, s), s, suffix); ok {
		return int(sp.after(sp.all, s)[k].pos)
	}
	// Even one grapheme cluster is too long: cut it between code points, keeping at
	// least one.
	clusterEnd := int(sp.after(sp.all, s)[0].pos)
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
	room := float64(sp.limit)*sp.bytesPerUnit - float64(len(suffix))
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
