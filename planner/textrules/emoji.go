package textrules

import (
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Emoji sequences follow UTS #51, as twitter-text's emoji pattern does, but from the
// Unicode data rather than a list of known sequences, so emoji newer than that list
// still count once: a keycap (#, *, 0-9 with an optional VS16 and U+20E3), a pair of
// regional indicators (a flag) or a lone one, or an emoji with an optional VS16 or
// skin tone, an optional tag sequence (subdivision flags) and up to three more such
// emoji joined by ZWJ. A sequence never reaches past its grapheme cluster.

const (
	vs15 = 0xFE0E // text presentation selector
	vs16 = 0xFE0F // emoji presentation selector
	zwj  = 0x200D

	maxZWJElements = 4
)

// mayStartEmoji is a cheap test that lets most text skip the emoji parser.
func mayStartEmoji(s string, i int, r rune) bool {
	if r < utf8.RuneSelf {
		// Only a keycap starts with ASCII, and its next character is never ASCII.
		return (r == '#' || r == '*' || '0' <= r && r <= '9') && i+1 < len(s) && s[i+1] >= utf8.RuneSelf
	}
	return r == 0xA9 || r == 0xAE || r >= 0x2000 && inTable(emojiTable, r)
}

// emojiLen returns the byte length of the emoji sequence at the start of s, or 0.
func emojiLen(s string) int {
	cluster := s
	if r0, size := utf8.DecodeRuneInString(s); size < len(s) {
		next, _ := utf8.DecodeRuneInString(s[size:])
		if !extendsEmoji(next) || isRegionalIndicator(next) && !isRegionalIndicator(r0) ||
			isSkinTone(next) && !inTable(emojiModifierBaseTable, r0) {
			cluster = s[:size] // the common case: nothing follows that could join
		} else {
			// No emoji sequence is near 64 bytes long; looking no further keeps a cluster
			// of thousands of marks from being measured again at each of its emoji.
			if len(cluster) > 64 {
				cut := 64
				for !utf8.RuneStart(cluster[cut]) {
					cut--
				}
				cluster = cluster[:cut]
			}
			cluster, _, _, _ = uniseg.FirstGraphemeClusterInString(cluster, -1)
		}
	}
	r, n := utf8.DecodeRuneInString(cluster)
	next := func() rune {
		if n >= len(cluster) {
			return -1
		}
		r, _ := utf8.DecodeRuneInString(cluster[n:])
		return r
	}
	skip := func() { _, size := utf8.DecodeRuneInString(cluster[n:]); n += size }

	switch {
	case r == '#' || r == '*' || '0' <= r && r <= '9':
		if next() == vs16 {
			skip()
		}
		if next() != 0x20E3 {
			return 0
		}
		skip()
		return n
	case isRegionalIndicator(r):
		if isRegionalIndicator(next()) {
			skip()
		}
		return n
	}
	if !emojiElement(r, &n, cluster) {
		return 0
	}
	// Tag sequence: tag characters closed by CANCEL TAG, as in the flags of England,
	// Scotland and Wales. Without the closing tag the tags are not part of the emoji.
	if t := n; isTag(next()) {
		for isTag(next()) {
			skip()
		}
		if next() == 0xE007F {
			skip()
		} else {
			n = t
		}
	}
	// The longest sequences Unicode recommends join four emoji (families, kisses);
	// longer chains are not emoji that X knows, and count element by element.
	for elements := 1; elements < maxZWJElements && next() == zwj; elements++ {
		t := n
		skip()
		r2 := next()
		if r2 < utf8.RuneSelf || isRegionalIndicator(r2) || isSkinTone(r2) {
			n = t
			break
		}
		skip()
		if !emojiElement(r2, &n, cluster) {
			n = t
			break
		}
	}
	return n
}

// extendsEmoji reports whether r can continue an emoji sequence.
func extendsEmoji(r rune) bool {
	return r == vs15 || r == vs16 || r == zwj || r == 0x20E3 || r == 0xE007F ||
		isSkinTone(r) || isRegionalIndicator(r) || isTag(r)
}

// emojiElement decides whether r, already consumed up to *n in cluster, is an emoji
// and consumes its presentation selector or skin tone.
func emojiElement(r rune, n *int, cluster string) bool {
	if r < utf8.RuneSelf || !inTable(emojiTable, r) {
		return false
	}
	var next rune = -1
	size := 0
	if *n < len(cluster) {
		next, size = utf8.DecodeRuneInString(cluster[*n:])
	}
	switch {
	case next == vs15:
		return false // the writer asked for the text form
	case next == vs16:
		*n += size
	case isSkinTone(next) && inTable(emojiModifierBaseTable, r):
		*n += size
	case textByDefault(r):
		return false
	}
	return true
}

// textByDefault lists the symbols that X counts as emoji only with VS16: © ® ™ ♟.
func textByDefault(r rune) bool {
	return r == 0xA9 || r == 0xAE || r == 0x2122 || r == 0x265F
}

func isRegionalIndicator(r rune) bool { return 0x1F1E6 <= r && r <= 0x1F1FF }
func isSkinTone(r rune) bool          { return 0x1F3FB <= r && r <= 0x1F3FF }
func isTag(r rune) bool               { return 0xE0020 <= r && r <= 0xE007E }

// inTable searches sorted inclusive ranges.
func inTable(table [][2]rune, r rune) bool {
	lo, hi := 0, len(table)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case r < table[m][0]:
			hi = m
		case r > table[m][1]:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}
