package planner

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// Limits of a proposed plan.
const (
	// maxSlotsPerPurpose keeps a proposal readable: at most one slot of a purpose per working day.
	maxSlotsPerPurpose = 5
	// minProposedSlot is the shortest slot ProposePlan makes; shorter shares join a larger purpose.
	minProposedSlot = 10
	workDayStart    = 8 * 60  // working day, minutes since midnight
	workDayEnd      = 17 * 60 // a slot ends by this time when it can
	wideDayStart    = 7 * 60  // wider window used only when the working days are full
	wideDayEnd      = 21 * 60
)

// defaultRhythm stands in when neither role's rhythm has the purpose.
var defaultRhythm = map[Purpose]RhythmItem{
	PurposeWrite:    {Purpose: PurposeWrite, Start: ClockTime{Hour: 9}, Minutes: 30},
	PurposeShare:    {Purpose: PurposeShare, Start: ClockTime{Hour: 12}, Minutes: 15},
	PurposeConverse: {Purpose: PurposeConverse, Start: ClockTime{Hour: 13}, Minutes: 20},
	PurposeFollow:   {Purpose: PurposeFollow, Start: ClockTime{Hour: 8, Minute: 30}, Minutes: 15},
}

func rhythmFor(r Role, p Purpose) (RhythmItem, bool) {
	for _, it := range InfoFor(r).Rhythm {
		if it.Purpose == p {
			return it, true
		}
	}
	return RhythmItem{}, false
}

// ProposePlan proposes a weekly slot plan for the profile in the IANA zone tz
// (stored as given; SlotPlan.Validate reports an unknown zone). The slots'
// minutes add up to the weekly budget rounded down to 5 minutes. Follow time
// takes the share it has in the primary role's rhythm; the rest is split by
// the content mix (own = write, shared = share, conversation = converse).
// Slot lengths and preferred days and times come from the roles' rhythms;
// every third slot serves the secondary role. Slots sit within 08:00–17:00
// Monday to Friday while there is room. newID names the plan and its slots
// (NewID when nil). Updated is left for the caller to set when saving.
func ProposePlan(p RoleProfile, tz string, newID func() string) SlotPlan {
	return ProposePlanAround(p, tz, newID, BusyPattern{})
}

// ProposePlanAround is ProposePlan that places the slots around the busy
// pattern of the user's work calendar: it prefers times free every week of
// the pattern, then times free in most of its weeks, each on the role's days
// and in the working day as ProposePlan does, and only when neither is left
// a time busy more often. With an empty pattern it proposes what ProposePlan does.
func ProposePlanAround(p RoleProfile, tz string, newID func() string, busy BusyPattern) SlotPlan {
	if newID == nil {
		newID = NewID
	}
	plan := SlotPlan{ID: newID(), TimeZone: tz, Slots: []Slot{}}
	primary := p.Primary
	if !primary.Valid() {
		primary = RoleInforming
	}
	secondary := p.Secondary
	if !secondary.Valid() || secondary == primary {
		secondary = ""
	}
	mix := p.Mix
	if mix.Validate() != nil {
		mix = InfoFor(primary).Mix
	}
	units := min(max(p.WeeklyMinutes, 0), MaxWeeklyMinutes) / 5
	if units == 0 {
		return plan
	}
	budget := purposeUnits(units, primary, mix)

	type want struct {
		purpose Purpose
		role    Role
		minutes int
	}
	var wants []want
	k := 0
	for _, pu := range []Purpose{PurposeWrite, PurposeShare, PurposeConverse, PurposeFollow} {
		u := budget[pu]
		if u == 0 {
			continue
		}
		item, ok := rhythmFor(primary, pu)
		if !ok {
			item = defaultRhythm[pu]
		}
		n := int(math.Round(float64(u*5) / float64(item.Minutes)))
		n = max(1, min(n, maxSlotsPerPurpose, u/(minProposedSlot/5)))
		for i := range n {
			m := u / n
			if i < u%n {
				m++
			}
			role := primary
			if secondary != "" && k%3 == 2 {
				role = secondary
			}
			k++
			wants = append(wants, want{purpose: pu, role: role, minutes: m * 5})
		}
	}

	pl := placer{busy: busy}
	for _, w := range wants {
		if s, ok := pl.place(w.purpose, w.role, counterpart(w.role, primary, secondary), w.minutes); ok {
			plan.Slots = append(plan.Slots, s)
		}
	}
	sortSlots(plan.Slots)
	for i := range plan.Slots {
		plan.Slots[i].ID = newID()
	}
	return plan
}

func counterpart(r, primary, secondary Role) Role {
	if r == primary {
		return secondary
	}
	return primary
}

// purposeUnits splits the budget, in 5-minute units, among the purposes.
func purposeUnits(units int, primary Role, mix ContentMix) map[Purpose]int {
	out := map[Purpose]int{}
	if units < minProposedSlot/5 {
		// Too little time to split: one slot for the mix's largest share.
		out[largestShare(mix)] = units
		return out
	}
	info := InfoFor(primary)
	follow := 0
	for _, it := range info.Rhythm {
		if it.Purpose == PurposeFollow {
			follow += it.PerWeek() * it.Minutes
		}
	}
	if total := info.RhythmMinutes(); total > 0 {
		out[PurposeFollow] = int(math.Round(float64(units) * float64(follow) / float64(total)))
	}
	rest := units - out[PurposeFollow]
	shares := []int{mix.Own, mix.Shared, mix.Conversation}
	purposes := []Purpose{PurposeWrite, PurposeShare, PurposeConverse}
	got := 0
	rem := make([]int, 3) // remainders, in hundredths of a unit
	for i, s := range shares {
		out[purposes[i]] = rest * s / 100
		rem[i] = rest * s % 100
		got += out[purposes[i]]
	}
	for ; got < rest; got++ {
		best := 0
		for i := 1; i < 3; i++ {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[purposes[best]]++
		rem[best] = -1
	}
	// Every purpose the mix asks for gets a slot: a share too small for one
	// grows to the shortest slot, taken from the largest share while that
	// keeps a slot of its own.
	const least = minProposedSlot / 5
	for i, pu := range purposes {
		if shares[i] == 0 || out[pu] >= least {
			continue
		}
		big := PurposeWrite
		for _, q := range purposes {
			if out[q] > out[big] {
				big = q
			}
		}
		if need := least - out[pu]; big != pu && out[big]-need >= least {
			out[big] -= need
			out[pu] = least
		}
	}
	// A share still too small for a slot of its own joins the largest post purpose.
	for _, pu := range []Purpose{PurposeWrite, PurposeShare, PurposeConverse, PurposeFollow} {
		if u := out[pu]; u > 0 && u < minProposedSlot/5 {
			out[pu] = 0
			big := PurposeWrite
			for _, q := range purposes {
				if out[q] > out[big] {
					big = q
				}
			}
			out[big] += u
		}
	}
	return out
}

func largestShare(m ContentMix) Purpose {
	switch {
	case m.Own >= m.Shared && m.Own >= m.Conversation:
		return PurposeWrite
	case m.Shared >= m.Conversation:
		return PurposeShare
	}
	return PurposeConverse
}

// placer finds free weekday times for proposed slots.
type placer struct {
	slots []Slot
	busy  BusyPattern
	// tolerance is how many of the pattern's weeks a slot may meet busy time in.
	tolerance int
}

type hourWindow struct{ from, to int }

func (pl *placer) fits(d time.Weekday, start, minutes int, w hourWindow) bool {
	if start < w.from || start+minutes > w.to {
		return false
	}
	if pl.busy.WeeksBusy(d, start, minutes) > pl.tolerance {
		return false
	}
	for _, s := range pl.slots {
		if s.Weekday == d && start < s.Start.Minutes()+s.Minutes && s.Start.Minutes() < start+minutes {
			return false
		}
	}
	return true
}

func (pl *placer) has(d time.Weekday, p Purpose) bool {
	return slices.ContainsFunc(pl.slots, func(s Slot) bool { return s.Weekday == d && s.Purpose == p })
}

func (pl *placer) load(d time.Weekday, p Purpose) (same, all int) {
	for _, s := range pl.slots {
		if s.Weekday == d {
			all++
			if s.Purpose == p {
				same++
			}
		}
	}
	return same, all
}

// place puts one slot of the purpose on the role's rhythm days if it can, then
// the other role's, then the least loaded working day; first on days without
// the purpose, then on any working day, then in a wider window, then at weekends.
func (pl *placer) place(p Purpose, role, otherRole Role, minutes int) (Slot, bool) {
	item, ok := rhythmFor(role, p)
	if !ok {
		item = defaultRhythm[p]
	}
	pref := item.Start.Minutes()
	var days []time.Weekday
	add := func(ds ...time.Weekday) {
		for _, d := range ds {
			if !slices.Contains(days, d) {
				days = append(days, d)
			}
		}
	}
	add(item.Days...)
	if otherRole != "" {
		if it, ok := rhythmFor(otherRole, p); ok {
			add(it.Days...)
		}
	}
	work := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	byLoad := slices.Clone(work)
	sort.SliceStable(byLoad, func(i, j int) bool {
		si, ai := pl.load(byLoad[i], p)
		sj, aj := pl.load(byLoad[j], p)
		if si != sj {
			return si < sj
		}
		return ai < aj
	})
	add(byLoad...)

	passes := []struct {
		days   []time.Weekday
		w      hourWindow
		spread bool
	}{
		{days, hourWindow{workDayStart, workDayEnd}, true},
		{days, hourWindow{workDayStart, workDayEnd}, false},
		{days, hourWindow{wideDayStart, wideDayEnd}, false},
		{[]time.Weekday{time.Saturday, time.Sunday}, hourWindow{wideDayStart, wideDayEnd}, false},
	}
	// Each pass takes times free every week first, then times free in most
	// weeks; only when no pass has either does busy time stop counting.
	levels := []int{0}
	if most := (pl.busy.Weeks() - 1) / 2; most > 0 {
		levels = append(levels, most)
	}
	defer func() { pl.tolerance = 0 }()
	try := func(tolerances []int) (Slot, bool) {
		for _, ps := range passes {
			for _, tol := range tolerances {
				pl.tolerance = tol
				for _, d := range ps.days {
					if ps.spread && pl.has(d, p) {
						continue
					}
					if start, ok := pl.timeOn(d, pref, minutes, ps.w); ok {
						s := Slot{Weekday: d, Start: ClockTime{Hour: start / 60, Minute: start % 60}, Minutes: minutes, Purpose: p, Role: role}
						pl.slots = append(pl.slots, s)
						return s, true
					}
				}
			}
		}
		return Slot{}, false
	}
	if s, ok := try(levels); ok || pl.busy.Weeks() == 0 {
		return s, ok
	}
	return try([]int{pl.busy.Weeks()})
}

// timeOn finds the free start on day d nearest to pref, on a 15-minute grid.
func (pl *placer) timeOn(d time.Weekday, pref, minutes int, w hourWindow) (int, bool) {
	if pl.fits(d, pref, minutes, w) {
		return pref, true
	}
	best, found := 0, false
	for t := w.from; t+minutes <= w.to; t += 15 {
		if !pl.fits(d, t, minutes, w) {
			continue
		}
		if !found || absInt(t-pref) < absInt(best-pref) {
			best, found = t, true
		}
	}
	return best, found
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// weekOrder puts Monday first, as Kaiku's weeks do.
func weekOrder(d time.Weekday) int { return (int(d) + 6) % 7 }

func sortSlots(s []Slot) {
	sort.SliceStable(s, func(i, j int) bool {
		if a, b := weekOrder(s[i].Weekday), weekOrder(s[j].Weekday); a != b {
			return a < b
		}
		return s[i].Start.Minutes() < s[j].Start.Minutes()
	})
}

// Slot returns the plan's slot with the given ID.
func (p SlotPlan) Slot(id string) (Slot, bool) {
	for _, s := range p.Slots {
		if s.ID == id {
			return s, true
		}
	}
	return Slot{}, false
}

// AddSlot adds a valid slot with a new ID and bumps the revision. The plan's
// slice is copied, so copies of the plan made earlier do not change.
func (p *SlotPlan) AddSlot(s Slot) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if _, dup := p.Slot(s.ID); dup {
		return invalid("slots", "error.slot.duplicate", "two slots share the id "+s.ID)
	}
	p.Slots = append(slices.Clip(p.Slots), s)
	p.Revision++
	return nil
}

// RemoveSlot removes the slot with the given ID and bumps the revision.
func (p *SlotPlan) RemoveSlot(id string) error {
	i := slices.IndexFunc(p.Slots, func(s Slot) bool { return s.ID == id })
	if i < 0 {
		return fmt.Errorf("remove slot %s: %w", id, ErrNotFound)
	}
	p.Slots = slices.Delete(slices.Clone(p.Slots), i, i+1)
	p.Revision++
	return nil
}

// UpdateSlot replaces the slot that has s's ID and bumps the revision.
// Occurrences keep their IDs, which name the slot and the date only.
func (p *SlotPlan) UpdateSlot(s Slot) error {
	if err := s.Validate(); err != nil {
		return err
	}
	i := slices.IndexFunc(p.Slots, func(x Slot) bool { return x.ID == s.ID })
	if i < 0 {
		return fmt.Errorf("update slot %s: %w", s.ID, ErrNotFound)
	}
	p.Slots = slices.Clone(p.Slots)
	p.Slots[i] = s
	p.Revision++
	return nil
}
