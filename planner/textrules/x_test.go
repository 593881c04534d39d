package textrules_test

import (
	"strings"
	"testing"

	"github.com/kaiku-app/kaiku/planner/textrules"
)

func TestParseXWeights(t *testing.T) {
	tests := []struct {
		name string
		text string
		v3   int // weighted length with V3
		v2   int // and with V2
	}{
		// Finnish letters lie in 0-4351, so they weigh 1 like ASCII.
		{"finnish letters", "äöå ÄÖÅ", 7, 7},
		{"finnish sentence", "Hyvää huomenta, Tampere!", 24, 24},
		{"decomposed ä is normalised", "a\u0308iti", 4, 4},
		{"cjk weighs two", "日本語", 6, 6},
		{"em dash and quotes weigh one", "“a” — ‘b’", 9, 9},
		{"euro sign weighs two", "5 €", 4, 4},

		{"emoji", "😀", 2, 2},
		{"emoji with VS16", "❤️", 2, 4},
		{"text-style emoji", "❤", 2, 2},
		{"text presentation selector", "❤\ufe0e", 4, 4},
		{"skin tone", "👍🏽", 2, 4},
		{"skin tone on a non-base counts twice", "😀🏽", 4, 4},
		{"flag", "🇫🇮", 2, 4},
		{"two flags", "🇫🇮🇸🇪", 4, 8},
		{"lone regional indicator", "🇫", 2, 2},
		{"keycap", "1️⃣", 2, 5},
		{"keycap without VS16", "#⃣", 2, 3},
		{"digit with VS16 only", "1️", 3, 3},
		{"zwj family", "👨‍👩‍👧‍👦", 2, 11},
		{"zwj with skin tones", "🧑🏽‍🤝‍🧑🏻", 2, 12},
		{"zwj profession with VS16", "👩‍⚕️", 2, 7},
		{"newer zwj sequence", "🐦‍🔥", 2, 5},
		{"dangling zwj", "😀\u200d", 3, 3},
		{"subdivision flag", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", 2, 14},
		{"copyright alone is text", "©", 1, 1},
		{"copyright with VS16", "©️", 2, 3},
		{"emoji between words", "Kiitos 🙏 kaikille", 18, 18},

		{"url with scheme", "https://kaiku.app/ohjeet?x=1", 23, 23},
		{"url without scheme", "kaiku.app", 23, 23},
		{"url without scheme and path", "Lue kaiku.app/ohjeet nyt", 31, 31},
		{"uppercase scheme", "HTTPS://KAIKU.APP/X", 23, 23},
		{"country domain", "yle.fi/uutiset", 23, 23},
		{"two level country domain", "bbc.co.uk", 23, 23},
		{"unknown tld is text", "kaiku.zzzz", 10, 10},
		{"idn host after scheme", "https://例え.みんな", 23, 23},
		{"idn host without scheme is text", "例え.みんな", 11, 11},
		{"trailing dot stays out", "kaiku.app.", 24, 24},
		{"trailing punctuation stays out", "(https://kaiku.app/a_(b)), ok", 29, 29},
		{"path ending punctuation", "https://kaiku.app/a.", 24, 24},
		{"parenthesised path", "https://fi.wikipedia.org/wiki/Kaiku_(sovellus)", 23, 23},
		{"nested parentheses", "kaiku.app/a_(b_(c))/d", 23, 23},
		{"parentheses after a character that cannot end a path", "kaiku.app/a&(b)", 27, 27},
		{"unbalanced parenthesis", "kaiku.app/a(b", 25, 25},
		{"port", "http://localhost.fi:8080/x", 23, 23},
		{"query", "https://kaiku.app/?q=ä&x=1", 28, 28},
		{"email is text", "anna@kaiku.app", 14, 14},
		{"mention-like is text", "@kaiku.app", 10, 10},
		{"hashtag-like is text", "#kaiku.app", 10, 10},
		{"bare domain after slash is text", "a/kaiku.app", 11, 11},
		{"bare domain after dash is text", "-kaiku.app", 10, 10},
		{"hyphen inside a label", "a-kaiku.app", 23, 23},
		{"bare domain after underscore is text", "a_kaiku.app", 11, 11},
		{"bare domain after accent", "ékaiku.app", 24, 24},
		{"t.co link", "https://t.co/abc123", 23, 23},
		{"t.co link stops before path", "https://t.co/abc/def", 27, 27},
		{"t.co slug too long", "https://t.co/" + strings.Repeat("a", 41), 54, 54},
		{"label of 63", strings.Repeat("a", 63) + ".com", 23, 23},
		{"label of 64", strings.Repeat("a", 64) + ".com", 68, 68},
		{"two urls", "a.fi b.fi", 47, 47},
		{"url at the limit", strings.Repeat("x", 257) + " https://kaiku.app", 281, 281},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textrules.ParseX(tt.text, textrules.V3).WeightedLength; got != tt.v3 {
				t.Errorf("V3: ParseX(%q) = %d, want %d", tt.text, got, tt.v3)
			}
			if got := textrules.ParseX(tt.text, textrules.V2).WeightedLength; got != tt.v2 {
				t.Errorf("V2: ParseX(%q) = %d, want %d", tt.text, got, tt.v2)
			}
		})
	}
}

func TestParseXResult(t *testing.T) {
	tests := []struct {
		name string
		text string
		want textrules.XResult
	}{
		{"empty", "", textrules.XResult{DisplayRange: textrules.Range{Start: -1, End: -1}, ValidRange: textrules.Range{Start: -1, End: -1}}},
		{"blank", " \n\t ", textrules.XResult{DisplayRange: textrules.Range{Start: -1, End: -1}, ValidRange: textrules.Range{Start: -1, End: -1}}},
		{"short", "Moi!", textrules.XResult{WeightedLength: 4, Permillage: 14, Valid: true, DisplayRange: textrules.Range{End: 3}, ValidRange: textrules.Range{End: 3}}},
		{"emoji counts two code units", "😀a", textrules.XResult{WeightedLength: 3, Permillage: 10, Valid: true, DisplayRange: textrules.Range{End: 2}, ValidRange: textrules.Range{End: 2}}},
		{"byte order mark", "a\ufeffb", textrules.XResult{WeightedLength: 4, Permillage: 14, Valid: false, DisplayRange: textrules.Range{End: 2}, ValidRange: textrules.Range{End: 0}}},
		{"exactly 280", strings.Repeat("ä", 280), textrules.XResult{WeightedLength: 280, Permillage: 1000, Valid: true, DisplayRange: textrules.Range{End: 279}, ValidRange: textrules.Range{End: 279}}},
		{"281", strings.Repeat("ö", 281), textrules.XResult{WeightedLength: 281, Permillage: 1003, Valid: false, DisplayRange: textrules.Range{End: 280}, ValidRange: textrules.Range{End: 279}}},
		{"emoji over the limit", strings.Repeat("a", 279) + "😀", textrules.XResult{WeightedLength: 281, Permillage: 1003, Valid: false, DisplayRange: textrules.Range{End: 280}, ValidRange: textrules.Range{End: 278}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textrules.ParseX(tt.text, textrules.V3); got != tt.want {
				t.Errorf("ParseX(%.40q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

// TestParseXPremiumLimit checks a configuration with a longer limit, as X Premium has.
func TestParseXPremiumLimit(t *testing.T) {
	cfg := textrules.V3
	cfg.MaxWeightedTweetLength = 25000
	text := strings.Repeat("Pitkä kirjoitus. ", 1000)
	got := textrules.ParseX(text, cfg)
	if got.WeightedLength != 17000 || !got.Valid || got.Permillage != 680 {
		t.Errorf("ParseX = %+v", got)
	}
}

func TestParseXInvalidUTF8(t *testing.T) {
	// Invalid bytes count as U+FFFD rather than failing.
	got := textrules.ParseX("a\xffb", textrules.V3)
	if got.WeightedLength != 4 || got.DisplayRange.End != 2 {
		t.Errorf("ParseX = %+v", got)
	}
}
