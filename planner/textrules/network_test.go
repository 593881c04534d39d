package textrules_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/kaiku-app/kaiku/planner/textrules"
)

func TestParseNetwork(t *testing.T) {
	tests := []struct {
		in   string
		want textrules.Network
		err  bool
	}{
		{"x", textrules.X, false},
		{" Twitter ", textrules.X, false},
		{"Mastodon", textrules.Mastodon, false},
		{"bluesky", textrules.Bluesky, false},
		{"BSKY", textrules.Bluesky, false},
		{"linkedin", textrules.LinkedIn, false},
		{"", "", true},
		{"myspace", "", true},
	}
	for _, tt := range tests {
		got, err := textrules.ParseNetwork(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("ParseNetwork(%q) = %q, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, textrules.ErrUnknownNetwork) {
			t.Errorf("ParseNetwork(%q) error %v is not ErrUnknownNetwork", tt.in, err)
		}
	}
	for _, n := range textrules.Networks() {
		if got, err := textrules.ParseNetwork(string(n)); got != n || err != nil {
			t.Errorf("ParseNetwork(%q) = %q, %v", n, got, err)
		}
	}
}

func TestLimit(t *testing.T) {
	want := map[textrules.Network]int{
		textrules.X: 280, textrules.Mastodon: 500, textrules.Bluesky: 300, textrules.LinkedIn: 3000,
		textrules.Network("myspace"): 0,
	}
	for n, l := range want {
		if got := textrules.Limit(n); got != l {
			t.Errorf("Limit(%q) = %d, want %d", n, got, l)
		}
	}
}

func TestCount(t *testing.T) {
	url := "https://kaiku.app/ohjeet/ketjujen-pilkkominen?lahde=kaiku"
	tests := []struct {
		name    string
		network textrules.Network
		text    string
		length  int
		valid   bool
	}{
		{"x finnish", textrules.X, "Hyvää päivää, Åland!", 20, true},
		{"x emoji and url", textrules.X, "Katso 👀 " + url, 6 + 2 + 1 + 23, true},
		{"x too long", textrules.X, strings.Repeat("ö", 281), 281, false},
		{"x blank", textrules.X, "   ", 0, false},

		{"mastodon graphemes", textrules.Mastodon, "Hyvää päivää 👨‍👩‍👧‍👦🇫🇮", 15, true},
		{"mastodon url with scheme counts 23", textrules.Mastodon, "Lue " + url, 4 + 23, true},
		{"mastodon url without scheme is text", textrules.Mastodon, "Lue kaiku.app/ohjeet", 20, true},
		{"mastodon gemini url", textrules.Mastodon, "gemini://kaiku.app/" + strings.Repeat("a", 40), 23, true},
		{"mastodon remote mention counts the user only", textrules.Mastodon, "Moi @anna@mastodon.example!", 10, true},
		{"mastodon local mention", textrules.Mastodon, "Moi @anna!", 10, true},
		{"mastodon mention in url is the url", textrules.Mastodon, "https://mastodon.social/@anna@toinen.fi", 23, true},
		{"mastodon at the limit", textrules.Mastodon, strings.Repeat("ä", 500), 500, true},
		{"mastodon over the limit", textrules.Mastodon, strings.Repeat("ä", 501), 501, false},
		{"mastodon blank", textrules.Mastodon, "\n", 1, false},

		{"bluesky graphemes", textrules.Bluesky, "Hyvää päivää 👨‍👩‍👧‍👦🇫🇮", 15, true},
		{"bluesky decomposed letters", textrules.Bluesky, "a\u0308iti", 4, true},
		{"bluesky url counts in full", textrules.Bluesky, url, len(url), true},
		{"bluesky at the limit", textrules.Bluesky, strings.Repeat("å", 300), 300, true},
		{"bluesky over the limit", textrules.Bluesky, strings.Repeat("å", 301), 301, false},
		{"bluesky too many bytes", textrules.Bluesky, strings.Repeat("a\u0301\u0301\u0301\u0301\u0301", 300), 300, false},

		{"linkedin utf-16", textrules.LinkedIn, "Hyvää päivää 😀", 15, true},
		{"linkedin at the limit", textrules.LinkedIn, strings.Repeat("x", 3000), 3000, true},
		{"linkedin over the limit", textrules.LinkedIn, strings.Repeat("😀", 1501), 3002, false},

		{"unknown network", textrules.Network("myspace"), "moi", 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := textrules.Count(tt.network, tt.text)
			want := textrules.Result{Network: tt.network, Length: tt.length, Limit: textrules.Limit(tt.network), Valid: tt.valid}
			if got != want {
				t.Errorf("Count(%q, %.40q) = %+v, want %+v", tt.network, tt.text, got, want)
			}
		})
	}
}

func TestCountWithLimit(t *testing.T) {
	text := strings.Repeat("ä", 700)
	if got := textrules.CountWithLimit(textrules.Mastodon, text, 1000); got.Limit != 1000 || !got.Valid || got.Length != 700 {
		t.Errorf("Mastodon with 1000: %+v", got)
	}
	if got := textrules.CountWithLimit(textrules.Mastodon, text, 0); got.Limit != 500 || got.Valid {
		t.Errorf("Mastodon with the default: %+v", got)
	}
	if got := textrules.CountWithLimit(textrules.X, text, 25000); got.Limit != 25000 || !got.Valid {
		t.Errorf("X with 25000: %+v", got)
	}
}

func FuzzCount(f *testing.F) {
	f.Add("")
	f.Add("Hyvää päivää! 👋")
	f.Add("äöå ÄÖÅ kaiku.app https://kaiku.app/a_(b)?c=d#e t.co/x http://t.co/abc")
	f.Add("👨‍👩‍👧‍👦🇫🇮1️⃣🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F❤︎©️")
	f.Add("\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069 ABC\uFFFFABC\uFEFF")
	f.Add("https://あいうえおかきくけこ.com xn--p1ai.xn--p1ai a.b.c.d.e.f.com")
	f.Add("@anna@mastodon.example gemini://kaiku.app/x")
	f.Add("a\xffb\xc3")
	f.Add(strings.Repeat("a.", 200))
	f.Fuzz(func(t *testing.T, text string) {
		for _, n := range textrules.Networks() {
			got := textrules.Count(n, text)
			if got.Length < 0 || got.Limit != textrules.Limit(n) {
				t.Fatalf("Count(%q) = %+v", n, got)
			}
			if got.Valid && (got.Length > got.Limit || strings.TrimSpace(text) == "") {
				t.Fatalf("Count(%q) = %+v is valid", n, got)
			}
		}
		for _, cfg := range []textrules.Config{textrules.V2, textrules.V3} {
			r := textrules.ParseX(text, cfg)
			if r.WeightedLength < 0 || r.ValidRange.End > r.DisplayRange.End {
				t.Fatalf("ParseX = %+v", r)
			}
			if r.DisplayRange.End >= 0 && r.DisplayRange.End != len(utf16.Encode([]rune(text)))-1 {
				t.Fatalf("ParseX = %+v for %d UTF-16 units", r, len(utf16.Encode([]rune(text))))
			}
			if r.Valid && r.ValidRange != r.DisplayRange {
				t.Fatalf("valid but ranges differ: %+v", r)
			}
		}
		if x := textrules.ParseX(text, textrules.V3); x.WeightedLength != textrules.Count(textrules.X, text).Length {
			t.Fatalf("Count and ParseX disagree")
		}
	})
}
