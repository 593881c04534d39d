package ui

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/rivo/uniseg"
)

// advances caches the widths of single graphemes by text size. Fyne shapes
// every string it has not seen from scratch, at about a millisecond each,
// and a week's chips would have it shape hundreds of trial prefixes.
var advances = struct {
	sync.Mutex
	m map[advanceKey]float32
}{m: map[advanceKey]float32{}}

type advanceKey struct {
	g    string
	size float32
}

func advance(g string, size float32) float32 {
	advances.Lock()
	defer advances.Unlock()
	k := advanceKey{g, size}
	w, ok := advances.m[k]
	if !ok {
		w = fyne.MeasureText(g, size, fyne.TextStyle{}).Width
		advances.m[k] = w
	}
	return w
}

// fitText shortens s with an ellipsis until it fits width, cutting between
// graphemes so that an emoji or a letter with its accent stays whole. It
// picks the cut from the graphemes' cached widths, then measures the one
// string it returns (which Fyne then has cached for drawing it), stepping
// back a grapheme while kerning or shaping make it too wide.
func fitText(s string, size, width float32) string {
	if width <= 0 || s == "" {
		return ""
	}
	fits := func(t string) bool { return fyne.MeasureText(t, size, fyne.TextStyle{}).Width <= width }
	room := width - advance("…", size)
	var ends []int // ends[i]: the byte after grapheme i, of those that fit room
	var sum float32
	whole := true
	for g := uniseg.NewGraphemes(s); g.Next(); {
		sum += advance(g.Str(), size)
		if sum > width {
			whole = false
			break
		}
		if sum <= room {
			_, to := g.Positions()
			ends = append(ends, to)
		}
	}
	if whole && fits(s) {
		return s
	}
	for n := len(ends); n > 0; n-- {
		t := strings.TrimRight(s[:ends[n-1]], " ") + "…"
		if fits(t) {
			return t
		}
	}
	return ""
}

// wrapText breaks s into at most maxLines lines that fit width, between
// words where it can and between graphemes where a word alone is too wide;
// what does not fit ends the last line with an ellipsis (fitText). It sums
// the graphemes' cached widths rather than measuring each line, so a week
// of blocks wraps without shaping any text.
func wrapText(s string, size, width float32, maxLines int) []string {
	if maxLines <= 0 || width <= 0 || s == "" {
		return nil
	}
	var lines []string
	start, lastSpace := 0, -1 // byte offsets in s: the line's start, after its last space
	var sum, atSpace float32  // the line's width, and its width up to lastSpace
	for g := uniseg.NewGraphemes(s); g.Next(); {
		from, to := g.Positions()
		if g.Str() == "\n" {
			lines = append(lines, strings.TrimRight(s[start:from], " "))
			start, lastSpace, sum = to, -1, 0
			if len(lines) == maxLines {
				break
			}
			continue
		}
		w := advance(g.Str(), size)
		if sum+w > width && from > start {
			cut := from
			if lastSpace > start {
				cut = lastSpace
			}
			lines = append(lines, strings.TrimRight(s[start:cut], " "))
			if cut == lastSpace {
				sum -= atSpace
			} else {
				sum = 0
			}
			start, lastSpace = cut, -1
			if len(lines) == maxLines {
				break
			}
		}
		sum += w
		if g.Str() == " " {
			lastSpace, atSpace = to, sum
		}
	}
	if len(lines) < maxLines {
		if start < len(s) {
			lines = append(lines, s[start:])
		}
		return lines
	}
	if start < len(s) {
		// The text goes on past the last line: it ends with an ellipsis.
		lines[maxLines-1] = fitText(lines[maxLines-1]+" "+s[start:], size, width)
	}
	return lines
}

// textWidth is about how wide s is at size, from the graphemes' cached
// widths: a choice between a long and a short text needs no shaping.
func textWidth(s string, size float32, bold bool) float32 {
	var sum float32
	for g := uniseg.NewGraphemes(s); g.Next(); {
		sum += advance(g.Str(), size)
	}
	if bold {
		sum *= 1.08
	}
	return sum
}

// fitLabel is a label that shows its short text where the long one would
// not fit: "Wk 49 · Nov – Dec" for "Week 49 · November – December 2026".
type fitLabel struct {
	widget.Label
	long, short string
}

func newFitLabel(bold bool) *fitLabel {
	l := &fitLabel{}
	l.TextStyle.Bold = bold
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// SetTexts sets the long text and the short one.
func (l *fitLabel) SetTexts(long, short string) {
	l.long, l.short = long, short
	l.choose(l.Size().Width)
}

func (l *fitLabel) Resize(s fyne.Size) {
	l.choose(s.Width)
	l.Label.Resize(s)
}

func (l *fitLabel) choose(width float32) {
	text := l.long
	if l.short != "" && width > 0 && textWidth(l.long, theme.TextSize(), l.TextStyle.Bold)+2*theme.InnerPadding() > width {
		text = l.short
	}
	if text != l.Text {
		l.SetText(text)
	}
}
