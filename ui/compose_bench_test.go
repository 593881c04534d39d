package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// BenchmarkComposerKeystroke10k measures the composer's whole reaction to
// one keystroke in a 10,000-character post, laid out in a window as the
// user sees it: the entry's own edit, the counters, the checks and the
// autosave's timer. The budget is 16 ms, one frame at 60 Hz.
func BenchmarkComposerKeystroke10k(b *testing.B) {
	a := test.NewTempApp(b)
	d := newDepsTB(b)
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 740))
	w.newPost()
	c := w.Composer()
	c.networks.SetSelected([]string{"X by hand", "Mastodon by hand", "LinkedIn by hand"})
	// An article pasted whole: paragraphs of about 400 characters.
	para := strings.Repeat("Kirjastot ja tekoäly: kolme havaintoa vuodelta 2026, ja linkki https://example.org/raportti #kirjastot. ", 4) + "\n\n"
	text := strings.Repeat(para, 10000/len([]rune(para))+1)
	c.text.SetText(string([]rune(text)[:10000]))
	focused := fyne.Focusable(c.text)
	w.Canvas().Focus(focused)
	for b.Loop() {
		focused.TypedRune('a')
	}
}
