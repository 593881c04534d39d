package ui

import (
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/rivo/uniseg"

	"github.com/kaiku-app/kaiku/planner"
)

// weekFixture is a week with one slot of each purpose and posts in each status.
func weekFixture() ([]planner.Occurrence, []planner.Post) {
	at := func(day, h, m int) time.Time { return time.Date(2026, 11, 30+day, h, m, 0, 0, helsinki) }
	occ := func(id string, day, h, mins int, p planner.Purpose, r planner.Role) planner.Occurrence {
		s := at(day, h, 0)
		return planner.Occurrence{ID: id, SlotID: id, Start: s, End: s.Add(time.Duration(mins) * time.Minute), Minutes: mins, Purpose: p, Role: r}
	}
	occs := []planner.Occurrence{
		occ("w@mon", 0, 8, 30, planner.PurposeWrite, planner.RoleAdvising),
		occ("s@tue", 1, 10, 20, planner.PurposeShare, planner.RoleNetworking),
		occ("c@wed", 2, 12, 15, planner.PurposeConverse, planner.RoleCurrentAffairs),
		occ("f@thu", 3, 8, 10, planner.PurposeFollow, ""),
	}
	post := func(id string, day, h, m int, st planner.Status, text string) planner.Post {
		return planner.Post{ID: id, Time: at(day, h, m), Status: st, Text: text}
	}
	posts := []planner.Post{
		post("p1", 0, 8, 0, planner.StatusScheduled, "Three things about AI in libraries"),
		post("p2", 1, 14, 30, planner.StatusDraft, "A report worth reading"),
		post("p3", 4, 9, 0, planner.StatusPublished, "Thanks for the great debate"),
		post("p4", 4, 11, 0, planner.StatusFailed, "This one did not go out"),
		post("p5", 5, 10, 0, planner.StatusNeedsAttention, "Check me"),
	}
	posts[0].OccurrenceID = "w@mon"
	return occs, posts
}

func TestWeekViewMarkup(t *testing.T) {
	test.NewTempApp(t)
	occs, posts := weekFixture()
	monday := time.Date(2026, 11, 30, 0, 0, 0, 0, helsinki)
	v := NewWeekView(monday, now, helsinki, "en")
	v.Set(monday, now, occs, posts)
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(760, 520))
	test.AssertRendersToMarkup(t, "week_view.xml", w.Canvas())
}

func TestWeekViewImage(t *testing.T) {
	test.NewTempApp(t)
	test.ApplyTheme(t, lightTheme{theme.DefaultTheme()})
	occs, posts := weekFixture()
	monday := time.Date(2026, 11, 30, 0, 0, 0, 0, helsinki)
	v := NewWeekView(monday, now, helsinki, "en")
	v.Set(monday, now, occs, posts)
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(760, 520))
	test.AssertImageMatches(t, "week_view.png", w.Canvas().Capture())
}

// lightTheme is Fyne's default theme in its light variant, whatever the
// system prefers, so that the snapshot is the same on every machine.
type lightTheme struct{ fyne.Theme }

func (t lightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}

func TestWeekViewTimeAt(t *testing.T) {
	monday := time.Date(2026, 11, 30, 0, 0, 0, 0, helsinki)
	v := NewWeekView(monday, now, helsinki, "en")
	col := float32(100)
	got, ok := v.timeAt(fyne.NewPos(gutterWidth+2*col+10, 10*hourHeight+hourHeight/2+2), col)
	if want := time.Date(2026, 12, 2, 10, 30, 0, 0, helsinki); !ok || !got.Equal(want) {
		t.Errorf("timeAt = %v %v, want %v", got, ok, want)
	}
	if _, ok := v.timeAt(fyne.NewPos(10, 10), col); ok {
		t.Error("a point in the hour gutter gave a time")
	}
}

func TestFitText(t *testing.T) {
	test.NewTempApp(t)
	const size = 12
	width := fyne.MeasureText("Kiitos kaikille", size, fyne.TextStyle{}).Width
	long := strings.Repeat("Kiitos kaikille, jotka osallistuivat! ", 300)
	for _, tc := range []struct {
		name, in string
		whole    bool
	}{
		{"fits", "Kiitos", true},
		{"exactly", "Kiitos kaikille", true},
		{"long", long, false},
		{"emoji", "Hyvää joulua 👨‍👩‍👧‍👦🇫🇮👍🏽 kaikille ja onnellista uutta vuotta", false},
		{"accents", "Åke ja Äiti käyvät kävelyllä sateessa", false},
	} {
		got := fitText(tc.in, size, width)
		if w := fyne.MeasureText(got, size, fyne.TextStyle{}).Width; w > width {
			t.Errorf("%s: %q is %v wide, more than %v", tc.name, got, w, width)
		}
		if tc.whole {
			if got != tc.in {
				t.Errorf("%s: shortened to %q", tc.name, got)
			}
			continue
		}
		short := strings.TrimSuffix(got, "…")
		if short == got || !strings.HasPrefix(tc.in, short) || short == "" {
			t.Errorf("%s: %q is not a prefix with an ellipsis", tc.name, got)
		}
		// The cut falls between graphemes of the original.
		boundary := false
		for g := uniseg.NewGraphemes(tc.in); g.Next(); {
			if _, to := g.Positions(); to == len(short) {
				boundary = true
			}
		}
		if !boundary {
			t.Errorf("%s: cut inside a grapheme: %q", tc.name, got)
		}
	}
	if got := fitText("Kiitos", size, 0); got != "" {
		t.Errorf("no room gave %q", got)
	}
	if got := fitText("Kiitos", size, 1); got != "" {
		t.Errorf("room for nothing gave %q", got)
	}
}
