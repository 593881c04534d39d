package linkedin_test

import (
	"strings"
	"testing"

	"github.com/kaiku-app/kaiku/accounts/linkedin"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
)

func TestCommentaryEscapesAndKeepsHashtags(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Hei (maailma)!", `Hei \(maailma\)!`},
		{allReserved, `\\ \| \{ \} \@ \[ \] \( \) \< \> \# \* \_ \~`},
		{"#Kaiku", `{hashtag|\#|Kaiku}`},
		{"Moi #Säätö ja #työelämä2026.", `Moi {hashtag|\#|Säätö} ja {hashtag|\#|työelämä2026}.`},
		{"(#sulkeissa)", `\({hashtag|\#|sulkeissa}\)`},
		{"“#lainaus”", `“{hashtag|\#|lainaus}”`},
		{"#2026 on vain numero", `\#2026 on vain numero`},
		{"#my_tag", `{hashtag|\#|my}\_tag`},
		{"a#b ja ##c", `a\#b ja \#\#c`},
		{"#a#b", `{hashtag|\#|a}\#b`},
		{"# yksin", `\# yksin`},
		{"https://example.fi/sivu#osio", `https://example.fi/sivu\#osio`},
		{"https://example.fi/(#a) www.example.fi/#b (https://x.fi/#c)", `https://example.fi/\(\#a\) www.example.fi/\#b \(https://x.fi/\#c\)`},
		{"Kaksi riviä\n#tagi", "Kaksi riviä\n" + `{hashtag|\#|tagi}`},
		{"🇫🇮 #🇫🇮 ＃leveä", `🇫🇮 \#🇫🇮 ＃leveä`},
		{"", ""},
	} {
		if got := linkedin.Commentary(tc.in); got != tc.want {
			t.Errorf("Commentary(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// The fake reads little text as LinkedIn does: what Commentary makes of
// any text shows as that text, uncut.
func TestCommentaryReadsBackAsTheText(t *testing.T) {
	for _, text := range []string{
		"Hyvää päivää 🇫🇮 #Säätö https://example.fi/ä?q=1 @mentioned",
		allReserved + allReserved,
		"\\", "\\\\#", "{hashtag|\\#|x}", "#a #b\n#c", "a\\", "@[Nimi](urn:li:person:1)",
	} {
		got := linkedintest.ParseLittle(linkedin.Commentary(text))
		if got.Cut || got.Text != text {
			t.Errorf("%q reads back as %q (cut %v at %d)", text, got.Text, got.Cut, got.CutAt)
		}
	}
}

// Whatever the text, its commentary reads back as the text, uncut, with a
// hashtag for each template; the escaper never panics.
func FuzzCommentary(f *testing.F) {
	for _, s := range []string{
		"Hyvää päivää 🇫🇮 #Säätö https://example.fi/ä?q=1 @mentioned",
		allReserved,
		"(#tag) #my_tag #2026 ＃全角 #tag\u200Bnext https://x.y/(a))#b 👩‍💻#tag",
		"\\#\\\\#{hashtag|\\#|x}}{",
		"\xff#\xfe https://\xff.fi @\xc3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		// A post's text goes to LinkedIn as JSON, which holds valid UTF-8
		// only.
		text = strings.ToValidUTF8(text, "\uFFFD")
		c := linkedin.Commentary(text)
		got := linkedintest.ParseLittle(c)
		if got.Cut || got.Text != text {
			t.Fatalf("%q became %q, which reads back as %q (cut %v at %d)", text, c, got.Text, got.Cut, got.CutAt)
		}
		if n := strings.Count(c, `{hashtag|\#|`); n != len(got.Hashtags) {
			t.Fatalf("%d templates, %d hashtags read", n, len(got.Hashtags))
		}
		for _, tag := range got.Hashtags {
			if !strings.Contains(text, "#"+tag) {
				t.Fatalf("hashtag %q is not in %q", tag, text)
			}
		}
	})
}
