package textrules

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestXAgreesWithTwitterTextJS compares the count and the links of every
// text in testdata/twitter-text-js with twitter-text 3.1.0's own answers.
func TestXAgreesWithTwitterTextJS(t *testing.T) {
	raw, err := os.ReadFile("testdata/twitter-text-js/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Text           string   `json:"text"`
		WeightedLength int      `json:"weightedLength"`
		Valid          bool     `json:"valid"`
		URLs           [][2]int `json:"urls"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 2500 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		got := ParseX(c.Text, V3)
		if got.WeightedLength != c.WeightedLength || got.Valid != c.Valid {
			t.Errorf("ParseX(%.80q) = %d, valid %v; twitter-text says %d, valid %v", c.Text, got.WeightedLength, got.Valid, c.WeightedLength, c.Valid)
		}
		text := norm.NFC.String(c.Text)
		urls := [][2]int{}
		for _, u := range findXURLs(text, nil) {
			urls = append(urls, [2]int{utf16Len(text[:u.start]), utf16Len(text[:u.end])})
		}
		if want := append([][2]int{}, c.URLs...); !reflect.DeepEqual(urls, want) {
			t.Errorf("links of %.80q at %v; twitter-text finds them at %v", c.Text, urls, want)
		}
	}
}

// The cases the old Java-flavoured scanner got wrong, by name.
func TestXLinksTheJavaScriptWay(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"only the ASCII part of a bare host", "äänestys📅caféwww.yle.fi", []string{"caféwww.yle.fi"}},
		{"a bare host keeps no port", "…äänestys📅caféwww.yle.fi:80", []string{"caféwww.yle.fi"}},
		{"a bare host keeps no query", "kaiku.app?ref=some", []string{"kaiku.app"}},
		{"a bare host keeps its path", "1️⃣hs.fi/talous", []string{"hs.fi/talous"}},
		{"ftp is no scheme, and what follows its slashes is skipped", "😀ftp://example.com日kaiku.app", nil},
		{"a host of any letters before a dot", "Katso日.hs.fi", []string{"hs.fi"}},
		{"the low half of an emoji precedes a hyphen", "😀-hs.fi", []string{"-hs.fi"}},
		{"case as JavaScript ignores it", "https://пример.ДЕТИ", []string{"https://пример.ДЕТИ"}},
		{"Greek iota is a Latin accent", "https://example.gr/ιστορία", []string{"https://example.gr/ι"}},
		{"no long s in a scheme", "httpſ://hs.fi/x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, u := range findXURLs(tt.text, nil) {
				got = append(got, tt.text[u.start:u.end])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("links of %q: %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// A link whose count ends inside an emoji leaves its low half to count alone,
// as twitter-text's step by code units does.
func TestXLinkCountEndsInsideEmoji(t *testing.T) {
	// "a.com/p" is the link's text; its seven units end in the middle of 😀.
	text := "a.com日😀.fi/p"
	u := findXURLs(text, nil)
	if len(u) != 1 || !u[0].skipHalf || u[0].end != len(text) {
		t.Fatalf("links %+v", u)
	}
	// 23 for the link, 2 for the low half of 😀, 5 for ".fi/p" counted again.
	if got := ParseX(text, V3).WeightedLength; got != 30 {
		t.Errorf("weighs %d, want 30", got)
	}
}
