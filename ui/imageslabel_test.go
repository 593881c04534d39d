package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/planner"
)

// TestAPostsImagesAreNamedInTheListsAndTheCalendar: the posts list, the
// week's chips and the agenda say how many pictures a post carries.
func TestAPostsImagesAreNamedInTheListsAndTheCalendar(t *testing.T) {
	test.NewTempApp(t)
	img := planner.Image{Hash: planner.ImageHash([]byte("kuva")), Type: planner.ImageJPEG, Width: 4, Height: 3}
	p := planner.Post{ID: "p", Text: "Kuvia tapahtumasta", Status: planner.StatusScheduled, Time: time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki)}
	if got := imagesLabel(p); got != "" {
		t.Errorf("a post without images is labelled %q", got)
	}
	p.Images = []planner.Image{img}
	if got := imagesLabel(p); got != "1 image" {
		t.Errorf("one image: %q", got)
	}
	p.Images = append(p.Images, img)
	if got := imagesLabel(p); got != "2 images" {
		t.Errorf("two images: %q", got)
	}
	if line := postLine(p, helsinki); !strings.Contains(line, "2 images") {
		t.Errorf("the agenda's line %q does not name the images", line)
	}
}

// TestTheMonthNamesTheFirstOfTheNextMonth: a month's grid shows the days
// of the months around it; the first of such a month carries its name.
func TestTheMonthNamesTheFirstOfTheNextMonth(t *testing.T) {
	test.NewTempApp(t)
	if got := monthDayLabel(time.Date(2027, 1, 1, 0, 0, 0, 0, helsinki), false); got != "1 January" {
		t.Errorf("the first of January outside December's grid reads %q", got)
	}
	if got := monthDayLabel(time.Date(2026, 12, 1, 0, 0, 0, 0, helsinki), true); got != "1" {
		t.Errorf("the first of the month shown reads %q", got)
	}
	if got := monthDayLabel(time.Date(2027, 1, 2, 0, 0, 0, 0, helsinki), false); got != "2" {
		t.Errorf("the second of January reads %q", got)
	}
}
