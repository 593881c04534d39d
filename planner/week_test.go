package planner_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// TestLoadWeek: a week as the window and `kaiku plan` both show it: the
// slots against the busy time, the week's posts only, and its review.
func TestLoadWeek(t *testing.T) {
	ctx := context.Background()
	m := newMemStore()
	monday := time.Date(2026, 11, 30, 0, 0, 0, 0, hel)
	m.plans = []planner.SlotPlan{{ID: "0plan1", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		{ID: "0slotmon", Weekday: time.Monday, Start: planner.ClockTime{Hour: 9}, Minutes: 30, Purpose: planner.PurposeWrite},
		{ID: "0slotwed", Weekday: time.Wednesday, Start: planner.ClockTime{Hour: 10}, Minutes: 15, Purpose: planner.PurposeShare},
	}}}
	m.busy = []planner.BusyInterval{
		{Start: monday.Add(8 * time.Hour), End: monday.Add(10 * time.Hour)},             // over Monday's slot
		{Start: monday.AddDate(0, 0, 14), End: monday.AddDate(0, 0, 14).Add(time.Hour)}, // another week
	}
	inWeek := planner.Post{ID: "0inweek", Text: "Tällä viikolla", Status: planner.StatusScheduled, Time: monday.AddDate(0, 0, 2).Add(10 * time.Hour),
		OccurrenceID: "0slotwed@2026-12-02", Purpose: planner.PurposeShare}
	nextWeek := planner.Post{ID: "0nextweek", Text: "Ensi viikolla", Status: planner.StatusScheduled, Time: monday.AddDate(0, 0, 7)}
	m.posts[inWeek.ID], m.posts[nextWeek.ID] = inWeek, nextWeek
	m.goals = []planner.Goal{{ID: "0goal1", Title: "Kirjastot tutuiksi"}}

	w, err := planner.LoadWeek(ctx, m, monday, hel, monday.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Occurrences) != 2 || !w.Occurrences[0].Conflict || w.Occurrences[1].Conflict {
		t.Errorf("occurrences %+v: Monday's overlaps the busy time, Wednesday's does not", w.Occurrences)
	}
	if len(w.Busy) != 1 || len(w.Posts) != 1 || w.Posts[0].ID != inWeek.ID || len(w.Goals) != 1 {
		t.Errorf("busy %v, posts %v, goals %v: only the week's", w.Busy, w.Posts, w.Goals)
	}
	if w.Profile != nil {
		t.Errorf("a profile before any role was chosen: %+v", w.Profile)
	}
	if i := slices.IndexFunc(w.Review.Purposes, func(p planner.PurposeReview) bool { return p.Purpose == planner.PurposeShare }); i < 0 || w.Review.Purposes[i].Filled != 1 {
		t.Errorf("the review does not count the share slot as filled: %+v", w.Review.Purposes)
	}
	if len(w.TimeNotes) != 0 {
		t.Errorf("time notes in a week without a clock change: %v", w.TimeNotes)
	}

	// The week the clocks go forward, 03:00 → 04:00 on Sunday 29 March 2026.
	m.plans[0].Slots = append(m.plans[0].Slots, planner.Slot{ID: "0slotsun", Weekday: time.Sunday, Start: planner.ClockTime{Hour: 3, Minute: 30}, Minutes: 15, Purpose: planner.PurposeFollow})
	spring := time.Date(2026, 3, 23, 0, 0, 0, 0, hel)
	w, err = planner.LoadWeek(ctx, m, spring, hel, spring)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.TimeNotes) != 1 || w.TimeNotes[0].Key != planner.NoteTimeGap {
		t.Errorf("time notes %+v, want the one of the skipped 03:30", w.TimeNotes)
	}
}

// TestUseRecommendation: the recommended profile and a plan proposed from
// it are saved in place of the active plan, around the week's busy time.
func TestUseRecommendation(t *testing.T) {
	ctx := context.Background()
	m := newMemStore()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, hel) // a Wednesday
	m.plans = []planner.SlotPlan{{ID: "0plan1", TimeZone: "Europe/Helsinki", Revision: 3}}
	// Every Tuesday of the next four weeks is busy from 8 to 12, where the
	// informer's first write slot would be.
	next := time.Date(2026, 11, 30, 0, 0, 0, 0, hel)
	for w := range 4 {
		tue := next.AddDate(0, 0, 7*w+1)
		m.busy = append(m.busy, planner.BusyInterval{Start: tue.Add(8 * time.Hour), End: tue.Add(12 * time.Hour)})
	}
	rec := planner.Recommendation{Profile: planner.RoleProfile{Primary: planner.RoleInforming, Secondary: planner.RoleAdvising,
		Mix: planner.ContentMix{Own: 60, Shared: 30, Conversation: 10}, WeeklyMinutes: 120, Scope: planner.ScopeWork}}

	plan, err := planner.UseRecommendation(ctx, m, rec, time.UTC, now)
	if err != nil {
		t.Fatal(err)
	}
	if plan.ID != "0plan1" || plan.Revision != 4 || plan.TimeZone != "Europe/Helsinki" || !plan.Updated.Equal(now) {
		t.Errorf("plan %s rev %d in %s updated %v: want the active plan's next revision", plan.ID, plan.Revision, plan.TimeZone, plan.Updated)
	}
	if stored, _ := m.Plans(ctx); len(stored) != 1 || len(stored[0].Slots) != len(plan.Slots) || len(plan.Slots) == 0 {
		t.Fatalf("stored plans %+v", stored)
	}
	for _, s := range plan.Slots {
		if !s.Changed.Equal(now) {
			t.Errorf("slot %s changed %v, want now", s.ID, s.Changed)
		}
		if s.Weekday == time.Tuesday && s.Start.Hour >= 8 && s.Start.Hour < 12 {
			t.Errorf("slot %s on Tuesday %s, in the weekly busy time", s.ID, s.Start)
		}
	}
	if p, err := m.Profile(ctx); err != nil || p.Primary != planner.RoleInforming || !p.Updated.Equal(now) {
		t.Errorf("profile %+v %v", p, err)
	}
}
