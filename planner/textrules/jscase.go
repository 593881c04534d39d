package textrules

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// twitter-text's JavaScript patterns carry the "i" flag without "u": a
// character then matches a pattern character when both canonicalise to the
// same code unit, where canonicalising takes the full upper case of a UTF-16
// code unit, keeps the character when that is not one code unit, and never
// turns a non-ASCII character into an ASCII one (ECMAScript's Canonicalize).
// So "ι" (U+03B9) is a Latin accent, through U+0345 in the combining marks,
// and "ДЕТИ" is the top-level domain "дети".

// jsUpperExceptions are the BMP characters whose full upper case is not their
// simple one, with their canonical form: themselves when the full upper case
// is longer than one code unit ("ß" is "SS").
var jsUpperExceptions = sync.OnceValue(func() map[rune]rune {
	upper := cases.Upper(language.Und)
	out := map[rune]rune{}
	for r := rune(0x80); r <= 0xFFFF; r++ {
		if unicode.ToUpper(r) == r || r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		u := upper.String(string(r))
		switch first, size := utf8.DecodeRuneInString(u); {
		case size != len(u) || first > 0xFFFF:
			out[r] = r
		case first != unicode.ToUpper(r):
			out[r] = first
		}
	}
	return out
})

// jsCanon is ECMAScript's Canonicalize of a code unit for a pattern with the
// "i" flag; a supplementary character stands for its two surrogates, which
// have no case.
func jsCanon(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	if r > 0xFFFF {
		return r
	}
	u := unicode.ToUpper(r)
	if x, ok := jsUpperExceptions()[r]; ok {
		u = x
	}
	if u < utf8.RuneSelf || u > 0xFFFF {
		return r
	}
	return u
}

// runeSet is a set of BMP characters.
type runeSet [0x10000 / 64]uint64

func (s *runeSet) add(r rune) { s[r>>6] |= 1 << (r & 63) }

func (s *runeSet) has(r rune) bool { return r <= 0xFFFF && s[r>>6]&(1<<(r&63)) != 0 }

// caseClosure is the set of characters that a character class holding the
// given ranges matches under the "i" flag: those whose canonical form is the
// canonical form of a member.
func caseClosure(ranges ...[2]rune) *runeSet {
	canon := map[rune]bool{}
	var candidates []rune
	for _, rg := range ranges {
		for r := rg[0]; r <= rg[1]; r++ {
			c := jsCanon(r)
			canon[c] = true
			// Two characters with one upper case lie in one case orbit.
			for _, x := range []rune{r, c} {
				candidates = append(candidates, x)
				for f := unicode.SimpleFold(x); f != x; f = unicode.SimpleFold(f) {
					candidates = append(candidates, f)
				}
			}
		}
	}
	set := new(runeSet)
	for _, r := range candidates {
		if canon[jsCanon(r)] {
			set.add(r)
		}
	}
	return set
}

// latinAccentRanges are twitter-text's latinAccentChars; cyrillicRanges its
// cyrillicLettersAndMarks.
var (
	latinAccentRanges = [][2]rune{{0xC0, 0xD6}, {0xD8, 0xF6}, {0xF8, 0xFF}, {0x100, 0x24F},
		{0x253, 0x254}, {0x256, 0x257}, {0x259, 0x259}, {0x25B, 0x25B}, {0x263, 0x263}, {0x268, 0x268},
		{0x26F, 0x26F}, {0x272, 0x272}, {0x289, 0x289}, {0x28B, 0x28B}, {0x2BB, 0x2BB},
		{0x300, 0x36F}, {0x1E00, 0x1EFF}}
	cyrillicRanges = [][2]rune{{0x400, 0x4FF}}
)

// jsLatin and jsCyrillic are those classes as an "i" pattern matches them.
var (
	jsLatin    = sync.OnceValue(func() *runeSet { return caseClosure(latinAccentRanges...) })
	jsCyrillic = sync.OnceValue(func() *runeSet { return caseClosure(cyrillicRanges...) })
)
