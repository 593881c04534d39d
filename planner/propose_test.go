package planner_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// counter returns an ID maker that numbers from 1, so plans are reproducible.
func counter(prefix string) func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("%s%02d", prefix, n) }
}

func minutesBy(p planner.SlotPlan) (total int, by map[planner.Purpose]int) {
	by = map[planner.Purpose]int{}
	for _, s := range p.Slots {
		total += s.Minutes
		by[s.Purpose] += s.Minutes
	}
	return total, by
}

func overlaps(p planner.SlotPlan) bool {
	for i, a := range p.Slots {
		for _, b := range p.Slots[i+1:] {
			if a.Weekday == b.Weekday && a.Start.Minutes() < b.Start.Minutes()+b.Minutes && b.Start.Minutes() < a.Start.Minutes()+a.Minutes {
				return true
			}
		}
	}
	return false
}

func TestProposePlanEveryRoleAndBudget(t *testing.T) {
	for _, r := range planner.Roles() {
		for _, minutes := range []int{0, 3, 5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 300, 600, 1200, planner.MaxWeeklyMinutes} {
			t.Run(fmt.Sprintf("%s/%d", r, minutes), func(t *testing.T) {
				prof := planner.RoleProfile{Primary: r, Secondary: planner.RoleNetworking, Mix: planner.InfoFor(r).Mix,
					Scope: planner.ScopeWork, WeeklyMinutes: minutes}
				if r == planner.RoleNetworking {
					prof.Secondary = planner.RoleInforming
				}
				plan := planner.ProposePlan(prof, "Europe/Helsinki", counter("s"))
				if err := plan.Validate(); err != nil && len(plan.Slots) > 0 {
					t.Fatalf("plan invalid: %v", err)
				}
				total, _ := minutesBy(plan)
				if want := minutes / 5 * 5; total != want {
					t.Errorf("slots take %d minutes, want %d", total, want)
				}
				if overlaps(plan) {
					t.Errorf("slots overlap: %+v", plan.Slots)
				}
				if len(plan.Slots) > 20 {
					t.Errorf("%d slots", len(plan.Slots))
				}
				for _, s := range plan.Slots {
					if minutes <= 600 && (s.Weekday == time.Saturday || s.Weekday == time.Sunday ||
						s.Start.Minutes() < 8*60 || s.Start.Minutes()+s.Minutes > 17*60) {
						t.Errorf("slot %+v is outside working hours", s)
					}
					if minutes >= 10 && s.Minutes < 10 {
						t.Errorf("slot %+v is shorter than 10 minutes", s)
					}
				}
			})
		}
	}
}

func TestProposePlanFollowsMixAndRhythm(t *testing.T) {
	tests := []struct {
		name  string
		prof  planner.RoleProfile
		check func(t *testing.T, p planner.SlotPlan, by map[planner.Purpose]int)
	}{
		{
			name: "informing leans on writing",
			prof: planner.RoleProfile{Primary: planner.RoleInforming, Secondary: planner.RoleAdvising,
				Mix: planner.ContentMix{Own: 60, Shared: 30, Conversation: 10}, WeeklyMinutes: 120},
			check: func(t *testing.T, p planner.SlotPlan, by map[planner.Purpose]int) {
				if by[planner.PurposeWrite] <= by[planner.PurposeShare] || by[planner.PurposeShare] <= by[planner.PurposeConverse] {
					t.Errorf("minutes by purpose %v do not follow the mix", by)
				}
				if by[planner.PurposeFollow] != 30 {
					t.Errorf("follow = %d, want a quarter of 120", by[planner.PurposeFollow])
				}
				// The first write slot lands where the informing rhythm puts it.
				for _, s := range p.Slots {
					if s.Purpose == planner.PurposeWrite {
						if s.Weekday != time.Tuesday || s.Start.String() != "09:00" {
							t.Errorf("first write slot %+v, want Tuesday 09:00", s)
						}
						break
					}
				}
			},
		},
		{
			name: "current affairs follows daily",
			prof: planner.RoleProfile{Primary: planner.RoleCurrentAffairs, Mix: planner.ContentMix{Own: 30, Shared: 20, Conversation: 50}, WeeklyMinutes: 300},
			check: func(t *testing.T, p planner.SlotPlan, by map[planner.Purpose]int) {
				days := map[time.Weekday]bool{}
				for _, s := range p.Slots {
					if s.Purpose == planner.PurposeFollow {
						days[s.Weekday] = true
					}
				}
				if len(days) != 5 {
					t.Errorf("follow slots on %d days, want 5", len(days))
				}
				if by[planner.PurposeConverse] <= by[planner.PurposeWrite] {
					t.Errorf("conversation should lead: %v", by)
				}
			},
		},
		{
			name: "a zero share gets no slot",
			prof: planner.RoleProfile{Primary: planner.RoleAdvising, Mix: planner.ContentMix{Own: 50, Shared: 0, Conversation: 50}, WeeklyMinutes: 120},
			check: func(t *testing.T, p planner.SlotPlan, by map[planner.Purpose]int) {
				if by[planner.PurposeShare] != 0 {
					t.Errorf("share got %d minutes", by[planner.PurposeShare])
				}
			},
		},
		{
			name: "every third slot serves the secondary role",
			prof: planner.RoleProfile{Primary: planner.RoleNetworking, Secondary: planner.RoleCollaboration,
				Mix: planner.ContentMix{Own: 20, Shared: 30, Conversation: 50}, WeeklyMinutes: 180},
			check: func(t *testing.T, p planner.SlotPlan, _ map[planner.Purpose]int) {
				n := map[planner.Role]int{}
				for _, s := range p.Slots {
					n[s.Role]++
				}
				if n[planner.RoleCollaboration] == 0 || n[planner.RoleCollaboration] >= n[planner.RoleNetworking] {
					t.Errorf("roles %v", n)
				}
			},
		},
		{
			name: "a tiny budget makes one slot",
			prof: planner.RoleProfile{Primary: planner.RoleInterests, Mix: planner.ContentMix{Own: 30, Shared: 55, Conversation: 15}, WeeklyMinutes: 8},
			check: func(t *testing.T, p planner.SlotPlan, _ map[planner.Purpose]int) {
				if len(p.Slots) != 1 || p.Slots[0].Purpose != planner.PurposeShare || p.Slots[0].Minutes != 5 {
					t.Errorf("slots %+v", p.Slots)
				}
			},
		},
		{
			name: "an invalid profile still gives a plan",
			prof: planner.RoleProfile{Primary: "nobody", Secondary: "nobody", Mix: planner.ContentMix{Own: 90, Shared: 90}, WeeklyMinutes: 60},
			check: func(t *testing.T, p planner.SlotPlan, _ map[planner.Purpose]int) {
				if len(p.Slots) == 0 {
					t.Fatal("no slots")
				}
				for _, s := range p.Slots {
					if s.Role != planner.RoleInforming {
						t.Errorf("slot role %s, want the informing fallback", s.Role)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planner.ProposePlan(tt.prof, "Europe/Helsinki", counter("s"))
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			_, by := minutesBy(p)
			tt.check(t, p, by)
		})
	}
}

func TestProposePlanIsDeterministicAndSorted(t *testing.T) {
	prof := planner.RoleProfile{Primary: planner.RoleAdvising, Secondary: planner.RoleInforming, Mix: planner.ContentMix{Own: 40, Shared: 20, Conversation: 40}, WeeklyMinutes: 150}
	a := planner.ProposePlan(prof, "Europe/Helsinki", counter("s"))
	b := planner.ProposePlan(prof, "Europe/Helsinki", counter("s"))
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("two proposals differ")
	}
	if a.ID != "s01" || a.TimeZone != "Europe/Helsinki" || a.Revision != 0 {
		t.Errorf("plan header %q %q %d", a.ID, a.TimeZone, a.Revision)
	}
	for i := 1; i < len(a.Slots); i++ {
		p, q := a.Slots[i-1], a.Slots[i]
		pd, qd := (int(p.Weekday)+6)%7, (int(q.Weekday)+6)%7
		if pd > qd || (pd == qd && p.Start.Minutes() > q.Start.Minutes()) {
			t.Errorf("slots not in week order at %d", i)
		}
		if p.ID >= q.ID {
			t.Errorf("slot IDs not in order: %s, %s", p.ID, q.ID)
		}
	}
	if planner.ProposePlan(prof, "Europe/Helsinki", nil).Validate() != nil {
		t.Error("NewID fallback gives an invalid plan")
	}
}

func TestSlotEditing(t *testing.T) {
	base := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		{ID: "a", Weekday: time.Monday, Start: planner.ClockTime{Hour: 9}, Minutes: 30, Purpose: planner.PurposeWrite},
		{ID: "b", Weekday: time.Wednesday, Start: planner.ClockTime{Hour: 12}, Minutes: 15, Purpose: planner.PurposeShare},
	}, Revision: 4}
	newSlot := planner.Slot{ID: "c", Weekday: time.Friday, Start: planner.ClockTime{Hour: 14}, Minutes: 20, Purpose: planner.PurposeConverse}

	tests := []struct {
		name     string
		edit     func(p *planner.SlotPlan) error
		wantErr  error
		wantIDs  string
		revision int
	}{
		{"add", func(p *planner.SlotPlan) error { return p.AddSlot(newSlot) }, nil, "a b c", 5},
		{"add duplicate", func(p *planner.SlotPlan) error { s := newSlot; s.ID = "a"; return p.AddSlot(s) }, planner.ErrInvalid, "a b", 4},
		{"add invalid", func(p *planner.SlotPlan) error { s := newSlot; s.Minutes = 1; return p.AddSlot(s) }, planner.ErrInvalid, "a b", 4},
		{"remove", func(p *planner.SlotPlan) error { return p.RemoveSlot("a") }, nil, "b", 5},
		{"remove missing", func(p *planner.SlotPlan) error { return p.RemoveSlot("zz") }, planner.ErrNotFound, "a b", 4},
		{"update", func(p *planner.SlotPlan) error {
			s := base.Slots[1]
			s.Start = planner.ClockTime{Hour: 15}
			return p.UpdateSlot(s)
		}, nil, "a b", 5},
		{"update missing", func(p *planner.SlotPlan) error { return p.UpdateSlot(newSlot) }, planner.ErrNotFound, "a b", 4},
		{"update invalid", func(p *planner.SlotPlan) error { s := base.Slots[0]; s.Purpose = "nap"; return p.UpdateSlot(s) }, planner.ErrInvalid, "a b", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			err := tt.edit(&p)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			ids := ""
			for i, s := range p.Slots {
				if i > 0 {
					ids += " "
				}
				ids += s.ID
			}
			if ids != tt.wantIDs || p.Revision != tt.revision {
				t.Errorf("slots %q revision %d, want %q %d", ids, p.Revision, tt.wantIDs, tt.revision)
			}
			// The original plan, sharing nothing with the edited copy, is unchanged.
			if len(base.Slots) != 2 || base.Slots[0].ID != "a" || base.Slots[1].Start.Hour != 12 || base.Revision != 4 {
				t.Fatalf("editing a copy changed the original: %+v", base)
			}
		})
	}
}

// TestProposedPlanHasEveryPurposeItsMixAsksFor: a 20 % share of a small
// budget still gets a share slot of its own, at the shortest length.
func TestProposedPlanHasEveryPurposeItsMixAsksFor(t *testing.T) {
	for _, minutes := range []int{45, 60, 90, 120} {
		p := planner.RoleProfile{Primary: planner.RoleAdvising, Mix: planner.ContentMix{Own: 60, Shared: 20, Conversation: 20}, WeeklyMinutes: minutes}
		plan := planner.ProposePlan(p, "Europe/Helsinki", nil)
		has := map[planner.Purpose]bool{}
		for _, s := range plan.Slots {
			has[s.Purpose] = true
		}
		for _, pu := range []planner.Purpose{planner.PurposeWrite, planner.PurposeShare, planner.PurposeConverse} {
			if !has[pu] {
				t.Errorf("%d minutes a week: no %s slot in %+v", minutes, pu, plan.Slots)
			}
		}
	}
}
