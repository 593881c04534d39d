package textrules

import (
	"sort"
	"strconv"
	"strings"
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
	sp := splitter{network: n, limit: limit, text: text}
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
			if _, fits := measure(n, parts[i], limit); !fits {
				ok = false
			}
		}
		// Cuts that fit with the widest number fit with a narrower one, so this only
		// gives up on limits too small for a single character and a number.
		if ok || digits >= 9 {
			return parts
		}
	}
}

// cut is a place where a post may end, with how good a place it is.
type cut struct {
	pos  int
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
}

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
		c := cut{pos: pos, rank: rankCluster}
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
	end := cut{pos: len(sp.text), rank: rankSentence}
	sp.all = append(sp.all, end)
	sp.good = append(sp.good, end)
}

// pack cuts the text greedily into parts that fit with suffix appended.
func (sp *splitter) pack(suffix string) []string {
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
			return good[k].pos
		}
		// Prefer the end of a sentence, but only one that keeps at least half of the part.
		best := w
		half := s + (good[w].pos-s)/2
		for j := w - 1; j >= 0 && good[j].pos >= half; j-- {
			if good[j].rank > good[best].rank {
				best = j
			}
		}
		if best != w && !sp.fits(s, good[best].pos, suffix) {
			best = w
		}
		return good[best].pos
	}
	// The first piece alone is too long: a URL, or a word or cluster longer than a post.
	if k, ok := sp.furthest(sp.after(sp.all, s), s, suffix); ok {
		return sp.after(sp.all, s)[k].pos
	}
	// Even one grapheme cluster is too long: cut it between code points, keeping at
	// least one.
	clusterEnd := sp.after(sp.all, s)[0].pos
	cps := sp.cps[:0]
	for i := s; i < clusterEnd; {
		_, size := utf8.DecodeRuneInString(sp.text[i:])
		i += size
		cps = append(cps, cut{pos: i})
	}
	sp.cps = cps
	if k, ok := sp.furthest(cps, s, suffix); ok {
		return cps[k].pos
	}
	return cps[0].pos
}

// after returns the cuts past s.
func (sp *splitter) after(cuts []cut, s int) []cut {
	i := sort.Search(len(cuts), func(i int) bool { return cuts[i].pos > s })
	return cuts[i:]
}

// furthest finds the last of cuts at which the part from s still fits. It gallops and
// then bisects, as length grows with the cut.
func (sp *splitter) furthest(cuts []cut, s int, suffix string) (int, bool) {
	if len(cuts) == 0 || !sp.fits(s, cuts[0].pos, suffix) {
		return 0, false
	}
	lo, hi := 0, len(cuts)
	for step := 1; lo+step < len(cuts); step *= 2 {
		if !sp.fits(s, cuts[lo+step].pos, suffix) {
			hi = lo + step
			break
		}
		lo += step
	}
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if sp.fits(s, cuts[mid].pos, suffix) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, true
}
