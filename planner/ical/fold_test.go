package ical_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

// checkFolded holds folded text to the rules: physical lines of at most 75
// octets, each valid UTF-8 when the input was, unfolding to the input.
func checkFolded(t *testing.T, in, out string) {
	t.Helper()
	if unfold(out) != in {
		t.Fatalf("unfolds to %q, want %q", unfold(out), in)
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		if utf8.ValidString(in) && !utf8.ValidString(line) {
			t.Errorf("a fold splits a character: %q", line)
		}
	}
}

func TestFold(t *testing.T) {
	for _, tc := range []struct {
		name string
		line string
		want string // the folded form; "" to check the rules only
	}{
		{"short", "SUMMARY:Hei", "SUMMARY:Hei\r\n"},
		{"exactly 75", "X:" + strings.Repeat("a", 73), ""},
		{"76 folds", "X:" + strings.Repeat("a", 74), "X:" + strings.Repeat("a", 73) + "\r\n a\r\n"},
		{"ä across the fold", "X:" + strings.Repeat("a", 72) + "äb", "X:" + strings.Repeat("a", 72) + "\r\n äb\r\n"},
		{"ä ends at 75", "X:" + strings.Repeat("a", 71) + "äb", "X:" + strings.Repeat("a", 71) + "ä\r\n b\r\n"},
		{"euro across", "X:" + strings.Repeat("a", 71) + "€", "X:" + strings.Repeat("a", 71) + "\r\n €\r\n"},
		{"emoji across", "X:" + strings.Repeat("a", 70) + "😀z", "X:" + strings.Repeat("a", 70) + "\r\n 😀z\r\n"},
		{"emoji fits", "X:" + strings.Repeat("a", 69) + "😀z", "X:" + strings.Repeat("a", 69) + "😀\r\n z\r\n"},
		{"finnish", "DESCRIPTION:" + strings.Repeat("Hyvää huomenta, äiti ja öljynporaajat! ", 6), ""},
		{"zwj family", "DESCRIPTION:" + strings.Repeat("👨‍👩‍👧‍👦", 30), ""},
		{"all multibyte", "X:" + strings.Repeat("ÅÄÖ€😀", 40), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.line + "\r\n"
			for _, chunk := range []int{1, 2, 3, 7, 64, len(in)} {
				out := ical.Fold(in, chunk)
				checkFolded(t, in, out)
				if tc.want != "" && out != tc.want {
					t.Errorf("chunk %d: %q, want %q", chunk, out, tc.want)
				}
			}
		})
	}
	// Lines after a folded one start counting afresh.
	in := "A:" + strings.Repeat("x", 100) + "\r\nB:" + strings.Repeat("y", 73) + "\r\n"
	out := ical.Fold(in, 5)
	checkFolded(t, in, out)
	if !strings.HasSuffix(out, "\r\nB:"+strings.Repeat("y", 73)+"\r\n") {
		t.Errorf("the second line was folded: %q", out)
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "a", "SUMMARY:" + strings.Repeat("ä", 50), strings.Repeat("😀", 30), "x\xff\xfe" + strings.Repeat("€", 40),
		strings.Repeat("a", 73) + "ä", strings.Repeat("a", 74) + "😀", "\xe2\x82" + strings.Repeat("b", 80)} {
		f.Add(s, uint8(1))
		f.Add(s, uint8(13))
	}
	f.Fuzz(func(t *testing.T, s string, chunk uint8) {
		// One content line: go-ical never writes a CR or LF inside one.
		line := strings.NewReplacer("\r", "", "\n", "").Replace(s)
		in := "X:" + line + "\r\n"
		out := ical.Fold(in, int(chunk%16)+1)
		checkFolded(t, in, out)
		if out != ical.Fold(in, len(in)) {
			t.Errorf("the fold depends on how the line is written")
		}
	})
}

// escapeRoundTrip exports a post with the text and reads the description back.
func escapeRoundTrip(t *testing.T, s string) (string, string) {
	t.Helper()
	posts := []planner.Post{{ID: "p", OccurrenceID: "tue-write@2026-12-01", Text: s, Status: planner.StatusDraft}}
	plan := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: plan5().Slots[1:2]}
	var b bytes.Buffer
	if err := ical.Export(&b, plan, nil, posts, options(t, "en")); err != nil {
		t.Fatal(err)
	}
	checkRaw(t, b.String())
	cal := decode(t, b.String())
	var ev *goical.Component
	for _, c := range cal.Children {
		if c.Name == goical.CompEvent && c.Props.Get(goical.PropUID).Value == "tue-write@2026-12-01@kaiku" {
			ev = c
		}
	}
	if ev == nil {
		t.Fatal("no event")
	}
	return text(t, ev.Props, goical.PropDescription), text(t, ev.Props, goical.PropSummary)
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{`a\b;c,d` + "\ne", `\n\,\;\\`, "rivi\r\ntoinen\r", "ä😀,;\\", "\x00\x01\x7f\t", "\xff\xfe",
		strings.Repeat(`\;,`, 40), "Hyvää päivää,\nkiitos; 🙏 \\o/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		desc, summary := escapeRoundTrip(t, s)
		want := strings.TrimSpace(ical.CleanText(s))
		if want == "" {
			if !strings.HasPrefix(desc, "Time to write") {
				t.Errorf("empty post: description %q", desc)
			}
			return
		}
		if desc != want {
			t.Errorf("DESCRIPTION %q, want %q", desc, want)
		}
		if !utf8.ValidString(summary) || strings.ContainsAny(summary, "\r\n") {
			t.Errorf("SUMMARY %q", summary)
		}
		// Clean text is left as it is.
		if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f }) &&
			ical.CleanText(s) != s {
			t.Errorf("CleanText changed clean text %q", s)
		}
	})
}

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"lyhyt", 10, "lyhyt"},
		{"täsmälleen", 10, "täsmälleen"},
		{"vähän pidempi teksti", 10, "vähän pid…"},
		{"perhe 👨‍👩‍👧‍👦 lomalla", 7, "perhe…"},
		{"perhe 👨‍👩‍👧‍👦 lomalla", 8, "perhe 👨‍👩‍👧‍👦…"},
		{"e\u0301e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301…"},
		{"e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301e\u0301"},
	} {
		if got := ical.Truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
