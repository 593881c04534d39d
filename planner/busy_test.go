package planner_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// iv is an interval on 2026-12-01 in UTC, from hour h1 to h2 (fractions for minutes).
func iv(h1, h2 float64, tentative bool) planner.BusyInterval {
	base := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	return planner.BusyInterval{Start: base.Add(time.Duration(h1 * float64(time.Hour))), End: base.Add(time.Duration(h2 * float64(time.Hour))), Tentative: tentative}
}

func ivString(bs []planner.BusyInterval) string {
	var parts []string
	for _, b := range bs {
		s := b.Start.Format("15:04") + "-" + b.End.Format("15:04")
		if b.Tentative {
			s += "?"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestMergeBusy(t *testing.T) {
	tests := []struct {
		name string
		in   []planner.BusyInterval
		want string
	}{
		{"nothing", nil, ""},
		{"one", []planner.BusyInterval{iv(9, 10, false)}, "09:00-10:00"},
		{"unsorted, apart", []planner.BusyInterval{iv(13, 14, false), iv(9, 10, false)}, "09:00-10:00 13:00-14:00"},
		{"overlapping", []planner.BusyInterval{iv(9, 11, false), iv(10, 12, false)}, "09:00-12:00"},
		{"touching join", []planner.BusyInterval{iv(9, 10, false), iv(10, 11, false)}, "09:00-11:00"},
		{"inside another", []planner.BusyInterval{iv(9, 12, false), iv(10, 11, false)}, "09:00-12:00"},
		{"tentative alone stays tentative", []planner.BusyInterval{iv(9, 10, true), iv(9.5, 11, true)}, "09:00-11:00?"},
		{"firm wins where they overlap", []planner.BusyInterval{iv(9, 11, true), iv(10, 12, false)}, "09:00-10:00? 10:00-12:00"},
		{"firm inside tentative splits it", []planner.BusyInterval{iv(9, 12, true), iv(10, 11, false)}, "09:00-10:00? 10:00-11:00 11:00-12:00?"},
		{"tentative inside firm vanishes", []planner.BusyInterval{iv(9, 12, false), iv(10, 11, true)}, "09:00-12:00"},
		{"empty and backward dropped", []planner.BusyInterval{iv(9, 9, false), iv(11, 10, false)}, ""},
		{"duplicates", []planner.BusyInterval{iv(9, 10, false), iv(9, 10, false), iv(9, 10, true)}, "09:00-10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := planner.MergeBusy(tt.in)
			if s := ivString(got); s != tt.want {
				t.Errorf("got %q, want %q", s, tt.want)
			}
			for i := 1; i < len(got); i++ {
				if got[i].Start.Before(got[i-1].End) {
					t.Errorf("overlap in %v", got)
				}
			}
		})
	}
}

func TestBusyBetween(t *testing.T) {
	busy := planner.MergeBusy([]planner.BusyInterval{iv(8, 9, false), iv(10, 11, true), iv(13, 15, false)})
	for _, tt := range []struct {
		from, to float64
		want     string
	}{
		{7, 8, ""},
		{8.5, 10.5, "08:00-09:00 10:00-11:00?"},
		{9, 10, ""}, // both ends touch, neither overlaps
		{14, 20, "13:00-15:00"},
		{0, 24, "08:00-09:00 10:00-11:00? 13:00-15:00"},
	} {
		r := iv(tt.from, tt.to, false)
		if got := ivString(planner.BusyBetween(busy, r.Start, r.End)); got != tt.want {
			t.Errorf("%v–%v: %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

// conflictWeek is a plan with a Monday 10:00 write slot, a Monday 13:00
// share slot and a Tuesday 10:00 write slot in Helsinki.
func conflictWeek(t *testing.T) (planner.SlotPlan, *time.Location, time.Time) {
	hel := mustLoad(t, "Europe/Helsinki")
	plan := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		slot("mon", time.Monday, 10, 0, 30, planner.PurposeWrite),
		slot("mon2", time.Monday, 13, 0, 30, planner.PurposeShare),
		slot("tue", time.Tuesday, 10, 0, 30, planner.PurposeWrite),
	}}
	return plan, hel, time.Date(2026, 11, 30, 0, 0, 0, 0, hel)
}

func TestMarkConflicts(t *testing.T) {
	plan, hel, monday := conflictWeek(t)
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, 30+d, h, m, 0, 0, hel) }
	busy := planner.MergeBusy([]planner.BusyInterval{
		{Start: at(0, 9, 0), End: at(0, 10, 15)},                   // the Monday team meeting runs into the slot
		{Start: at(0, 13, 30), End: at(0, 14, 0)},                  // starts right as the share slot ends
		{Start: at(1, 10, 20), End: at(1, 11, 0), Tentative: true}, // a tentative hold counts too
	})
	occs, err := plan.Occurrences(monday, monday.AddDate(0, 0, 7), nil)
	if err != nil {
		t.Fatal(err)
	}
	planner.MarkConflicts(occs, busy)
	got := map[string]bool{}
	for _, o := range occs {
		got[o.SlotID] = o.Conflict
	}
	if want := map[string]bool{"mon": true, "mon2": false, "tue": true}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("conflicts %v, want %v", got, want)
	}
	planner.MarkConflicts(occs, nil)
	for _, o := range occs {
		if o.Conflict {
			t.Errorf("%s still marked without busy time", o.ID)
		}
	}
}

func TestNearestFreeTime(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	day := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, hel) }
	occ := func(id string, start time.Time, minutes int) planner.Occurrence {
		return planner.Occurrence{ID: id, Start: start, End: start.Add(time.Duration(minutes) * time.Minute), Minutes: minutes}
	}
	b := func(from, to time.Time) planner.BusyInterval { return planner.BusyInterval{Start: from, End: to} }
	mon := func(h, m int) time.Time { return day(2026, 11, 30, h, m) }
	tests := []struct {
		name   string
		o      planner.Occurrence
		others []planner.Occurrence
		busy   []planner.BusyInterval
		want   string // local "15:04", or "" for none
	}{
		{"free where it is", occ("a", mon(10, 0), 30), nil, []planner.BusyInterval{b(mon(8, 0), mon(9, 0))}, "10:00"},
		{"right after the meeting, the nearer side", occ("a", mon(10, 0), 30), nil, []planner.BusyInterval{b(mon(9, 0), mon(10, 15))}, "10:15"},
		{"right before, when that is nearer", occ("a", mon(10, 0), 30), nil, []planner.BusyInterval{b(mon(9, 50), mon(12, 0))}, "09:20"},
		{"a tie goes after the meeting", occ("a", mon(10, 0), 30), nil, []planner.BusyInterval{b(mon(9, 45), mon(10, 45))}, "10:45"},
		{"a gap too short is passed over", occ("a", mon(10, 0), 30), nil,
			[]planner.BusyInterval{b(mon(8, 0), mon(10, 0)), b(mon(10, 20), mon(12, 0))}, "12:00"},
		{"not onto another slot", occ("a", mon(10, 0), 30), []planner.Occurrence{occ("a", mon(10, 0), 30), occ("b", mon(11, 0), 30)},
			[]planner.BusyInterval{b(mon(9, 0), mon(11, 0))}, "11:30"},
		{"the whole working day busy", occ("a", mon(10, 0), 30), nil, []planner.BusyInterval{b(mon(6, 0), mon(22, 0))}, ""},
		{"not before 07:00", occ("a", mon(7, 30), 30), nil, []planner.BusyInterval{b(mon(7, 10), mon(20, 50))}, ""},
		{"an early slot may stay early", occ("a", mon(6, 30), 30), nil, []planner.BusyInterval{b(mon(6, 20), mon(6, 40))}, "06:40"},
		{"but never earlier than it was", occ("a", mon(6, 30), 60), nil, []planner.BusyInterval{b(mon(7, 0), mon(19, 0))}, "19:00"},
		{"the day the clocks turn back", occ("a", day(2026, 10, 25, 10, 0), 60), nil,
			[]planner.BusyInterval{b(day(2026, 10, 25, 9, 0), day(2026, 10, 25, 10, 30))}, "10:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := planner.NearestFreeTime(tt.o, tt.others, planner.MergeBusy(tt.busy), hel)
			if !ok {
				if tt.want != "" {
					t.Fatalf("no free time, want %s", tt.want)
				}
				return
			}
			if tt.want == "" || got.In(hel).Format("15:04") != tt.want {
				t.Errorf("got %s, want %q", got.In(hel).Format("2006-01-02 15:04"), tt.want)
			}
			if y1, m1, d1 := got.In(hel).Date(); d1 != tt.o.Start.In(hel).Day() || m1 != tt.o.Start.In(hel).Month() || y1 != tt.o.Start.In(hel).Year() {
				t.Errorf("moved to another day: %s", got)
			}
		})
	}
}

func TestNextFreeSlotAroundSkipsConflicts(t *testing.T) {
	plan, hel, monday := conflictWeek(t)
	at := func(d, h int) time.Time { return time.Date(2026, 11, 30+d, h, 0, 0, 0, hel) }
	busy := planner.MergeBusy([]planner.BusyInterval{{Start: at(0, 9), End: at(0, 11)}, {Start: at(1, 10), End: at(1, 11), Tentative: true}})
	o, ok := planner.NextFreeSlotAround(plan, nil, nil, busy, planner.PurposeWrite, monday)
	if !ok || o.ID != "mon@2026-12-07" {
		t.Errorf("got %q %v, want mon@2026-12-07: this week's Monday and Tuesday write slots meet busy time", o.ID, ok)
	}
	if o, _ := planner.NextFreeSlot(plan, nil, nil, planner.PurposeWrite, monday); o.ID != "mon@2026-11-30" {
		t.Errorf("without busy time: %q", o.ID)
	}
	if o, _ := planner.NextFreeSlotAround(plan, nil, nil, busy, "", monday); o.ID != "mon2@2026-11-30" {
		t.Errorf("any purpose: %q, want the free Monday share slot", o.ID)
	}
}

// TestProposePlanAroundAvoidsBusyPattern: the informing role's first write
// slot is Tuesday 09:00. A Tuesday morning meeting, weekly or one week in
// four, moves it to a Tuesday time free every week; a holiday week, when no
// time is free every week, leaves the plan as ProposePlan makes it, since
// each slot is still free in most weeks.
func TestProposePlanAroundAvoidsBusyPattern(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	prof := planner.RoleProfile{Primary: planner.RoleInforming, Secondary: planner.RoleAdvising,
		Mix: planner.ContentMix{Own: 60, Shared: 30, Conversation: 10}, WeeklyMinutes: 120}
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, hel) // a Monday
	day := func(week, weekday, h, m int) time.Time {
		return time.Date(2026, 11, 30+7*week+weekday, h, m, 0, 0, hel)
	}
	var weekly, once, holiday []planner.BusyInterval
	for w := range 4 {
		weekly = append(weekly, planner.BusyInterval{Start: day(w, 1, 8, 30), End: day(w, 1, 10, 0)})
	}
	once = append(once, planner.BusyInterval{Start: day(2, 1, 8, 30), End: day(2, 1, 10, 0)})
	holiday = append(holiday, planner.BusyInterval{Start: day(3, 0, 0, 0), End: day(3, 5, 0, 0)})

	plain := planner.ProposePlan(prof, "Europe/Helsinki", counter("s"))
	if got := planner.ProposePlanAround(prof, "Europe/Helsinki", counter("s"), planner.BusyPattern{}); fmt.Sprint(got) != fmt.Sprint(plain) {
		t.Errorf("an empty pattern changed the plan:\n%v\n%v", got, plain)
	}
	if first := firstWrite(plain); first.Weekday != time.Tuesday || first.Start.String() != "09:00" {
		t.Fatalf("ProposePlan's first write slot is %v %s; the test expects Tuesday 09:00", first.Weekday, first.Start)
	}
	for _, tt := range []struct {
		name      string
		busy      []planner.BusyInterval
		wantPlain bool // the plan stays as ProposePlan makes it
	}{
		{"weekly meeting", weekly, false},
		{"one week in four", once, false},
		{"a holiday week", holiday, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pattern := planner.WeeklyBusyPattern(planner.MergeBusy(tt.busy), from, 4, hel)
			if pattern.Weeks() != 4 {
				t.Fatalf("pattern of %d weeks", pattern.Weeks())
			}
			plan := planner.ProposePlanAround(prof, "Europe/Helsinki", counter("s"), pattern)
			if err := plan.Validate(); err != nil || overlaps(plan) {
				t.Fatalf("invalid plan: %v", err)
			}
			if total, _ := minutesBy(plan); total != 120 {
				t.Errorf("%d minutes planned, want 120", total)
			}
			if tt.wantPlain {
				if fmt.Sprint(plan) != fmt.Sprint(plain) {
					t.Errorf("plan %v, want ProposePlan's %v", plan.Slots, plain.Slots)
				}
				return
			}
			first := firstWrite(plan)
			if first.Weekday != time.Tuesday || pattern.WeeksBusy(first.Weekday, first.Start.Minutes(), first.Minutes) != 0 {
				t.Errorf("first write slot %v %s, want a Tuesday time free every week", first.Weekday, first.Start)
			}
			for _, s := range plan.Slots {
				if n := pattern.WeeksBusy(s.Weekday, s.Start.Minutes(), s.Minutes); n > 0 {
					t.Errorf("slot %v %s is busy in %d of 4 weeks", s.Weekday, s.Start, n)
				}
			}
		})
	}
}

func firstWrite(p planner.SlotPlan) planner.Slot {
	i := slices.IndexFunc(p.Slots, func(s planner.Slot) bool { return s.Purpose == planner.PurposeWrite })
	s := p.Slots[i]
	s.ID = ""
	return s
}

// TestProposePlanAroundAFullCalendar: when every working hour is busy every
// week, the plan still has its slots.
func TestProposePlanAroundAFullCalendar(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, hel)
	var busy []planner.BusyInterval
	for d := range 28 {
		day := from.AddDate(0, 0, d)
		busy = append(busy, planner.BusyInterval{Start: day, End: day.AddDate(0, 0, 1)})
	}
	pattern := planner.WeeklyBusyPattern(planner.MergeBusy(busy), from, 4, hel)
	prof := planner.RoleProfile{Primary: planner.RoleAdvising, Mix: planner.ContentMix{Own: 40, Shared: 30, Conversation: 30}, WeeklyMinutes: 90}
	plan := planner.ProposePlanAround(prof, "Europe/Helsinki", counter("s"), pattern)
	if total, _ := minutesBy(plan); total != 90 || plan.Validate() != nil {
		t.Errorf("%d minutes in a plan around a full calendar, want 90", total)
	}
}

func BenchmarkWeeklyBusyPattern(b *testing.B) {
	hel := mustLoad(b, "Europe/Helsinki")
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, hel)
	var busy []planner.BusyInterval
	for i := range 200 {
		s := from.Add(time.Duration(i) * 3 * time.Hour)
		busy = append(busy, planner.BusyInterval{Start: s, End: s.Add(time.Hour)})
	}
	busy = planner.MergeBusy(busy)
	for b.Loop() {
		planner.WeeklyBusyPattern(busy, from, 8, hel)
	}
}
