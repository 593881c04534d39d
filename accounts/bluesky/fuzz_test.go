package bluesky_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kaiku-app/kaiku/accounts/bluesky"
)

// Whatever the text, facets lie on its characters' boundaries, in order,
// without overlapping, and say what their bytes say.
func FuzzDetectFacets(f *testing.F) {
	for _, s := range []string{
		"Hyvää päivää 🇫🇮 #Säätö https://example.fi/ä?q=1 @mentioned.test",
		"(https://example.fi/sivu) #️⃣ #123 #a#b @a.b.c. x@y.z",
		"＃全角 #tag\u200Bnext https://x.y/(a)) 👩‍💻#tag",
		"\xff#\xfe https://\xff.fi @\xc3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		// A record's text is JSON, which holds valid UTF-8 only; Compose
		// makes it so before it looks for facets.
		text = strings.ToValidUTF8(text, "\uFFFD")
		facets, err := bluesky.DetectFacets(text, func(h string) (string, error) { return "did:plc:" + h, nil })
		if err != nil {
			t.Fatal(err)
		}
		end := 0
		for _, fc := range facets {
			s, e := fc.Index.ByteStart, fc.Index.ByteEnd
			if s < end || e <= s || e > len(text) {
				t.Fatalf("facet %d-%d after %d in %d bytes", s, e, end, len(text))
			}
			if !utf8.RuneStart(text[s]) || (e < len(text) && !utf8.RuneStart(text[e])) {
				t.Fatalf("facet %d-%d splits a character of %q", s, e, text)
			}
			got, ft := text[s:e], fc.Features[0]
			switch ft.Type {
			case bluesky.FeatureLink:
				if got != ft.URI {
					t.Fatalf("link %q covers %q", ft.URI, got)
				}
			case bluesky.FeatureTag:
				if strings.TrimLeft(got, "#＃") != ft.Tag || ft.Tag == "" {
					t.Fatalf("tag %q covers %q", ft.Tag, got)
				}
			case bluesky.FeatureMention:
				if "did:plc:"+strings.ToLower(got[1:]) != ft.DID {
					t.Fatalf("mention %q covers %q", ft.DID, got)
				}
			}
			end = e
		}
	})
}
