package planner_test

import (
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

func TestLocalTime(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	tests := []struct {
		name     string
		y        int
		m        time.Month
		d, h, mi int
		want     string // RFC 3339
		note     string
		from, to string
	}{
		{"plain", 2026, time.December, 1, 9, 0, "2026-12-01T09:00:00+02:00", "", "", ""},
		{"in the spring gap", 2026, time.March, 29, 3, 30, "2026-03-29T04:00:00+03:00", planner.NoteTimeGap, "03:00", "04:00"},
		{"at the gap's start", 2026, time.March, 29, 3, 0, "2026-03-29T04:00:00+03:00", planner.NoteTimeGap, "03:00", "04:00"},
		{"right after the gap", 2026, time.March, 29, 4, 0, "2026-03-29T04:00:00+03:00", "", "", ""},
		{"twice in the autumn", 2026, time.October, 25, 3, 30, "2026-10-25T03:30:00+03:00", planner.NoteTimeTwice, "04:00", "03:00"},
		{"after the autumn hour", 2026, time.October, 25, 4, 0, "2026-10-25T04:00:00+02:00", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, note := planner.LocalTime(tc.y, tc.m, tc.d, tc.h, tc.mi, hel)
			if got.Format(time.RFC3339) != tc.want {
				t.Errorf("time = %s, want %s", got.Format(time.RFC3339), tc.want)
			}
			switch {
			case tc.note == "" && note != nil:
				t.Errorf("note = %+v, want none", note)
			case tc.note != "" && (note == nil || note.Key != tc.note):
				t.Errorf("note = %+v, want %s", note, tc.note)
			case note != nil && (note.Data["From"] != tc.from || note.Data["To"] != tc.to || note.Data["Zone"] != "Europe/Helsinki"):
				t.Errorf("note data = %v, want the clocks from %s to %s", note.Data, tc.from, tc.to)
			}
		})
	}
}

// TestPostsAndSlotsShareTheGapRule: a slot whose time the clocks jump over
// and a post set for that same time land on the same instant.
func TestPostsAndSlotsShareTheGapRule(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	plan := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{slot("a", time.Sunday, 3, 30, 30, planner.PurposeWrite)}}
	day := time.Date(2026, 3, 29, 0, 0, 0, 0, hel)
	occ, err := plan.Occurrences(day, day.AddDate(0, 0, 1), nil)
	if err != nil || len(occ) != 1 {
		t.Fatalf("occurrences: %v %v", occ, err)
	}
	post, note := planner.LocalTime(2026, time.March, 29, 3, 30, hel)
	if !occ[0].Start.Equal(post) || !occ[0].Shifted || note == nil {
		t.Errorf("slot at %v (shifted %v), post at %v (note %v): want one instant", occ[0].Start, occ[0].Shifted, post, note)
	}
}

func TestTimeNotesRender(t *testing.T) {
	tr := loadTranslations(t)
	hel := mustLoad(t, "Europe/Helsinki")
	for _, d := range []int{29, 25} {
		m := time.March
		if d == 25 {
			m = time.October
		}
		_, note := planner.LocalTime(2026, m, d, 3, 30, hel)
		if note == nil {
			t.Fatalf("no note for 2026-%02d-%02d 03:30", m, d)
		}
		render(t, tr, note.Key, note.Data)
	}
}
