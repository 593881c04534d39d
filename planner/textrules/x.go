package textrules

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Config is a twitter-text counting configuration. Its JSON form is that of
// twitter-text's v2.json and v3.json, so a newer one can be loaded with encoding/json.
type Config struct {
	Version                int  `json:"version"`
	MaxWeightedTweetLength int  `json:"maxWeightedTweetLength"`
	Scale                  int  `json:"scale"`
	DefaultWeight          int  `json:"defaultWeight"`
	EmojiParsingEnabled    bool `json:"emojiParsingEnabled"`
	TransformedURLLength   int  `json:"transformedURLLength"`
	// Ranges give code points their weight; a code point in none weighs DefaultWeight.
	Ranges []WeightRange `json:"ranges"`
}

// WeightRange gives the code points Start..End (inclusive) a weight.
type WeightRange struct {
	Start  rune `json:"start"`
	End    rune `json:"end"`
	Weight int  `json:"weight"`
}

// halfWeightRanges are the ranges of v2.json and v3.json: code points 0-4351 (Latin
// through Georgian, so also Greek, Cyrillic, Hebrew, Arabic and the Indic scripts) and
// General Punctuation's spaces, dashes and quotes count 1; everything else counts 2.
var halfWeightRanges = []WeightRange{
	{Start: 0, End: 4351, Weight: 100},
	{Start: 8192, End: 8205, Weight: 100},
	{Start: 8208, End: 8223, Weight: 100},
	{Start: 8242, End: 8247, Weight: 100},
}

// V2 is twitter-text's v2.json: weighted code points, no emoji rule. Treat it as read-only.
var V2 = Config{
	Version:                2,
	MaxWeightedTweetLength: 280,
	Scale:                  100,
	DefaultWeight:          200,
	TransformedURLLength:   23,
	Ranges:                 halfWeightRanges,
}

// V3 is twitter-text's v3.json, the rules X uses today: as V2, and every emoji
// sequence weighs 2 whatever its length. Treat it as read-only.
var V3 = Config{
	Version:                3,
	MaxWeightedTweetLength: 280,
	Scale:                  100,
	DefaultWeight:          200,
	EmojiParsingEnabled:    true,
	TransformedURLLength:   23,
	Ranges:                 halfWeightRanges,
}

// Range is a span of the text in UTF-16 code units with an inclusive end, as
// twitter-text reports it (X's own clients index text that way). An End below Start
// means the range is empty; blank text gets {-1, -1}.
type Range struct {
	Start, End int
}

// XResult is twitter-text's ParseResults.
type XResult struct {
	// WeightedLength is the length X checks against the limit.
	WeightedLength int
	// Permillage is WeightedLength per thousand of the limit; over 1000 is too long.
	Permillage int
	// Valid is true when the text is not blank, fits, and has no character X refuses
	// (U+FFFE, U+FEFF, U+FFFF).
	Valid bool
	// DisplayRange covers the whole text.
	DisplayRange Range
	// ValidRange covers the part of the text that fits, up to the first refused character.
	ValidRange Range
}

var emptyRange = Range{-1, -1}

// ParseX measures text for X with cfg (V3 for X as it is today).
func ParseX(text string, cfg Config) XResult {
	if javaBlank(text) {
		return XResult{DisplayRange: emptyRange, ValidRange: emptyRange}
	}
	scale := max(cfg.Scale, 1)
	maxScaled := cfg.MaxWeightedTweetLength * scale
	urlWeight := cfg.TransformedURLLength * scale

	normalized := norm.NFC.String(text)
	var urlBuf [8]xURL
	urls := findXURLs(normalized, urlBuf[:0])

	c := xCounter{max: maxScaled}
	for i := 0; i < len(normalized); {
		for len(urls) > 0 && urls[0].start < i {
			urls = urls[1:] // only reachable when an emoji swallowed a URL's first character
		}
		r, rsize := utf8.DecodeRuneInString(normalized[i:])
		if len(urls) > 0 && urls[0].start == i {
			u := urls[0]
			urls = urls[1:]
			n16 := utf16Len(normalized[i:u.skip])
			if !u.skipHalf {
				c.step(urlWeight, n16)
				i = u.skip
				continue
			}
			// The link's count ends inside a character, whose low half counts alone.
			r, size := utf8.DecodeRuneInString(normalized[u.skip:])
			c.step(urlWeight, n16+1)
			c.step(cfg.weight(0xDC00|(r-0x10000)&0x3FF), 1)
			i = u.skip + size
			continue
		}
		if cfg.EmojiParsingEnabled && mayStartEmoji(normalized, i, r) {
			if size := emojiLen(normalized[i:]); size > 0 {
				c.step(cfg.DefaultWeight, utf16Len(normalized[i:i+size]))
				i += size
				continue
			}
		}
		n16 := 1
		if r >= 0x10000 {
			n16 = 2
		}
		if r == 0xFFFE || r == 0xFEFF || r == 0xFFFF {
			c.invalid = true
		}
		c.step(cfg.weight(r), n16)
		i += rsize
	}
	weighted, units, validUnits, invalid := c.weighted, c.units, c.validUnits, c.invalid

	// Ranges index the text as given; like twitter-text, shift them by what
	// normalisation added or removed.
	shift := utf16Len(text) - units
	res := XResult{
		WeightedLength: weighted / scale,
		Valid:          !invalid && weighted/scale <= cfg.MaxWeightedTweetLength,
		DisplayRange:   Range{0, units + shift - 1},
		ValidRange:     Range{0, validUnits + shift - 1},
	}
	if cfg.MaxWeightedTweetLength > 0 {
		res.Permillage = res.WeightedLength * 1000 / cfg.MaxWeightedTweetLength
	}
	return res
}

// xCounter adds up what twitter-text weighs one at a time: a link, an emoji
// or a character.
type xCounter struct {
	max                         int // the scaled limit
	weighted, units, validUnits int
	invalid                     bool // a refused character was seen
	over                        bool
}

// step counts one thing of weight w and n16 UTF-16 units. The valid range
// stops at the first refused character or the first unit past the limit, and
// does not resume.
func (c *xCounter) step(w, n16 int) {
	c.weighted += w
	c.units += n16
	if c.invalid || c.weighted > c.max {
		c.over = true
	}
	if !c.over {
		c.validUnits += n16
	}
}

// weight looks up a code point's weight.
func (cfg *Config) weight(r rune) int {
	for _, wr := range cfg.Ranges {
		if wr.Start <= r && r <= wr.End {
			return wr.Weight
		}
	}
	return cfg.DefaultWeight
}

// javaBlank is twitter-text's test for an empty post: nothing but characters up to U+0020.
func javaBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > ' ' {
			return false
		}
	}
	return true
}
