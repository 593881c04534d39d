package textrules_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/kaiku-app/kaiku/planner/textrules"
)

// checkThread verifies Split's promises: every part fits, numbered parts end in
// " i/n", and the parts without their numbers are the input in order, apart from
// whitespace.
func checkThread(t *testing.T, n textrules.Network, limit int, input string, parts []string) {
	t.Helper()
	if limit <= 0 {
		limit = textrules.Limit(n)
	}
	if strings.TrimSpace(input) == "" {
		if len(parts) != 0 {
			t.Fatalf("blank input gave %q", parts)
		}
		return
	}
	if len(parts) == 0 {
		t.Fatalf("no parts for %q", input)
	}
	rest := input
	var joined strings.Builder
	for i, p := range parts {
		if got := textrules.CountWithLimit(n, p, limit); got.Length > limit {
			t.Errorf("part %d of %d is %d long, over %d: %q", i+1, len(parts), got.Length, limit, p)
		}
		content := p
		if len(parts) > 1 {
			num := fmt.Sprintf(" %d/%d", i+1, len(parts))
			if !strings.HasSuffix(p, num) {
				t.Fatalf("part %d does not end in %q: %q", i+1, num, p)
			}
			content = strings.TrimSuffix(p, num)
		}
		if content == "" || content != strings.TrimSpace(content) {
			t.Errorf("part %d has no text or untrimmed space: %q", i+1, content)
		}
		at := strings.Index(rest, content)
		if at < 0 || strings.TrimSpace(rest[:at]) != "" {
			t.Fatalf("part %d is not the next text of the input: %q", i+1, content)
		}
		rest = rest[at+len(content):]
		joined.WriteString(content)
	}
	if strings.TrimSpace(rest) != "" {
		t.Errorf("text lost at the end: %q", rest)
	}
	if noSpace(joined.String()) != noSpace(input) {
		t.Errorf("parts do not add up to the input")
	}
}

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestSplitTable(t *testing.T) {
	sentence := "Tämä on lause, jossa on muutama sana. " // 38 characters
	longURL := "https://kaiku.app/ohjeet/" + strings.Repeat("pitka-polku-", 5) + "loppu"
	tests := []struct {
		name    string
		network textrules.Network
		limit   int
		text    string
		want    []string // nil: only the properties are checked
	}{
		{"empty", textrules.X, 0, "", nil},
		{"blank", textrules.X, 0, " \n\t ", nil},
		{"fits", textrules.X, 0, "Moi maailma!", []string{"Moi maailma!"}},
		{"fits after trimming", textrules.Mastodon, 0, "\n  Moi maailma!  \n", []string{"Moi maailma!"}},
		{"exactly the limit", textrules.Bluesky, 0, strings.Repeat("ä", 300), []string{strings.Repeat("ä", 300)}},
		{"unknown network", textrules.Network("myspace"), 0, strings.Repeat("a ", 5000), []string{strings.TrimSpace(strings.Repeat("a ", 5000))}},
		{
			"sentence boundary", textrules.Bluesky, 100,
			"Ensimmäinen lause on tässä, ja se on hieman pidempi kuin puolet osasta. Toinen lause jatkaa vielä hetken, kunnes loppuu.",
			[]string{"Ensimmäinen lause on tässä, ja se on hieman pidempi kuin puolet osasta. 1/2", "Toinen lause jatkaa vielä hetken, kunnes loppuu. 2/2"},
		},
		{
			"sentence too early", textrules.Bluesky, 100,
			"Ensimmäinen lause on tässä. Toinen lause on vähän pidempi kuin ensimmäinen ja jatkuu vielä hetken, kunnes loppuu.",
			[]string{"Ensimmäinen lause on tässä. Toinen lause on vähän pidempi kuin ensimmäinen ja jatkuu vielä 1/2", "hetken, kunnes loppuu. 2/2"},
		},
		{
			"sentence too early, word boundary instead", textrules.Bluesky, 60,
			"Lyhyt. Sitten tulee pitkä virke, joka ei mahdu yhteen osaan millään tavalla, joten se katkeaa.",
			[]string{"Lyhyt. Sitten tulee pitkä virke, joka ei mahdu yhteen 1/2", "osaan millään tavalla, joten se katkeaa. 2/2"},
		},
		{
			"paragraphs", textrules.LinkedIn, 50,
			"Ensimmäinen kappale kertoo asian.\n\nToinen kappale jatkaa siitä.",
			[]string{"Ensimmäinen kappale kertoo asian. 1/2", "Toinen kappale jatkaa siitä. 2/2"},
		},
		{
			"hyphenated compound wraps at the hyphen", textrules.Bluesky, 20,
			"kansainvälinen vaihto-oppilasohjelma",
			[]string{"kansainvälinen 1/3", "vaihto- 2/3", "oppilasohjelma 3/3"},
		},
		{
			"long word cut between graphemes", textrules.Bluesky, 20,
			strings.Repeat("ä", 40),
			[]string{strings.Repeat("ä", 16) + " 1/3", strings.Repeat("ä", 16) + " 2/3", strings.Repeat("ä", 8) + " 3/3"},
		},
		{
			"url kept whole", textrules.Bluesky, 100,
			"Lue ohjeet täältä: " + longURL + " ja kerro mitä mieltä olet.",
			[]string{"Lue ohjeet täältä: 1/3", longURL + " ja 2/3", "kerro mitä mieltä olet. 3/3"},
		},
		{"url longer than a post", textrules.Bluesky, 30, "Katso " + longURL, nil},
		{"url counts 23 on X", textrules.X, 0, strings.Repeat("Sana ", 50) + longURL + strings.Repeat(" sana", 10), nil},
		{"mastodon instance limit", textrules.Mastodon, 1000, strings.Repeat(sentence, 40), nil},
		{"cjk without spaces", textrules.X, 0, strings.Repeat("故人西辞黄鹤楼，烟花三月下扬州。", 20), nil},
		{"emoji sequences stay whole", textrules.X, 0, strings.Repeat("👨‍👩‍👧‍👦", 200), nil},
		{"combining marks", textrules.X, 0, "a" + strings.Repeat("\u0301", 400), nil},
		{"linkedin long post", textrules.LinkedIn, 0, strings.Repeat(sentence, 100), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := textrules.SplitWithLimit(tt.network, tt.text, tt.limit)
			if tt.want != nil && !equal(got, tt.want) {
				t.Errorf("SplitWithLimit =\n%q\nwant\n%q", got, tt.want)
			}
			if textrules.Limit(tt.network) > 0 {
				checkThread(t, tt.network, tt.limit, tt.text, got)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSplitEmojiWhole(t *testing.T) {
	family := "👨‍👩‍👧‍👦"
	parts := textrules.Split(textrules.X, strings.Repeat(family, 200))
	total := 0
	for _, p := range parts {
		content := p[:strings.LastIndexByte(p, ' ')]
		if strings.ReplaceAll(content, family, "") != "" {
			t.Errorf("a family emoji was cut: %q", content)
		}
		total += strings.Count(content, family)
	}
	if total != 200 {
		t.Errorf("%d family emoji in the parts, want 200", total)
	}
}

// TestSplitNumberWidth checks the step from 9 to 10 parts, where every number grows.
func TestSplitNumberWidth(t *testing.T) {
	word := "sana "
	for words := 400; words <= 700; words += 7 {
		text := strings.Repeat(word, words)
		parts := textrules.Split(textrules.X, text)
		checkThread(t, textrules.X, 0, text, parts)
		if t.Failed() {
			t.Fatalf("with %d words", words)
		}
	}
	// 2500 weighs under nine posts, but ten parts are needed once numbers take room,
	// and then each number is wider than first reserved.
	text := strings.Repeat("x", 2500)
	parts := textrules.Split(textrules.X, text)
	checkThread(t, textrules.X, 0, text, parts)
	if len(parts) != 10 || !strings.HasSuffix(parts[9], " 10/10") || !strings.HasSuffix(parts[0], " 1/10") {
		t.Errorf("got %d parts, first %q", len(parts), parts[0][len(parts[0])-8:])
	}
}

func TestSplitDefaultLimits(t *testing.T) {
	text := strings.Repeat("Kaiku suunnittelee viikon julkaisut. Se muistuttaa, kun on aika kirjoittaa. ", 60)
	for _, n := range textrules.Networks() {
		t.Run(string(n), func(t *testing.T) {
			parts := textrules.Split(n, text)
			checkThread(t, n, 0, text, parts)
			if len(parts) < 2 {
				t.Errorf("only %d part", len(parts))
			}
			for _, p := range parts[:len(parts)-1] {
				// Each full part ends a sentence.
				content := p[:strings.LastIndexByte(p, ' ')]
				if !strings.HasSuffix(content, ".") {
					t.Errorf("part does not end a sentence: %q", content[max(0, len(content)-30):])
				}
			}
		})
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("", uint8(0))
	f.Add("Moi!", uint8(1))
	f.Add(strings.Repeat("Tämä on lause. ", 40), uint8(0))
	f.Add(strings.Repeat("Tämä on lause. ", 40), uint8(1))
	f.Add(strings.Repeat("Tämä on lause. ", 40), uint8(2))
	f.Add(strings.Repeat("Tämä on lause. ", 250), uint8(3))
	f.Add(strings.Repeat("ä", 700), uint8(2))
	f.Add("Katso https://kaiku.app/"+strings.Repeat("x", 400)+" nyt", uint8(2))
	f.Add(strings.Repeat("kaiku.app ", 60), uint8(0))
	f.Add(strings.Repeat("😀🇫🇮👍🏽", 100), uint8(0))
	f.Add("a"+strings.Repeat("\u0301", 600), uint8(0))
	f.Add(strings.Repeat("a.", 300), uint8(1))
	f.Add(strings.Repeat("@anna@kaiku.app ", 60), uint8(1))
	f.Add(strings.Repeat("\n\n", 100)+strings.Repeat("x ", 400), uint8(0))
	f.Fuzz(func(t *testing.T, text string, which uint8) {
		nets := textrules.Networks()
		n := nets[int(which)%len(nets)]
		checkThread(t, n, 0, text, textrules.Split(n, text))
	})
}
