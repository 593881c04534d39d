package planner

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Occurrence is one concrete slot: a plan slot on one local date.
type Occurrence struct {
	// ID is the slot's ID, "@" and the planned local date ("k3…@2026-12-01"):
	// it stays the same across edits of the plan and restarts of Kaiku.
	ID     string `json:"id"`
	SlotID string `json:"slot_id"`
	// Date is the planned local date, as in the ID; Start says when it really is.
	Date    string    `json:"date"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Minutes int       `json:"minutes"`
	Purpose Purpose   `json:"purpose"`
	Role    Role      `json:"role,omitempty"`
	// Moved: an exception moved this occurrence to Start.
	Moved bool `json:"moved,omitempty"`
	// Shifted: the slot's clock time does not exist on that date (the clocks
	// jumped forward), so Start is the first valid time after it.
	Shifted bool `json:"shifted,omitempty"`
	// Conflict: the occurrence overlaps busy time of the user's work
	// calendar. Occurrences leaves it false; MarkConflicts sets it.
	Conflict bool `json:"conflict"`
}

// DateLayout is how Kaiku writes a local date.
const DateLayout = "2006-01-02"

// OccurrenceID names a slot's occurrence on a local date ("2026-12-01").
func OccurrenceID(slotID, date string) string { return slotID + "@" + date }

// ParseOccurrenceID splits an occurrence ID into the slot ID and the local date.
func ParseOccurrenceID(id string) (slotID, date string, ok bool) {
	i := strings.LastIndexByte(id, '@')
	if i <= 0 {
		return "", "", false
	}
	slotID, date = id[:i], id[i+1:]
	if _, err := time.Parse(DateLayout, date); err != nil {
		return "", "", false
	}
	return slotID, date, true
}

// MaxOccurrenceDays bounds one Occurrences call, so a mistyped range cannot stall the app.
const MaxOccurrenceDays = 10 * 366

// Location loads the plan's time zone.
func (p SlotPlan) Location() (*time.Location, error) {
	if p.TimeZone == "" || p.TimeZone == "Local" {
		return nil, invalid("time_zone", "error.timezone", "unknown time zone "+p.TimeZone)
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return nil, invalid("time_zone", "error.timezone", "unknown time zone "+p.TimeZone)
	}
	return loc, nil
}

// Occurrences returns the plan's concrete slots that start in [from, to),
// sorted by start, slot ID and ID, times in the plan's zone. An exception that skips
// an occurrence drops it; one that moves it puts it at MoveTo (it keeps its ID
// and is marked Moved), so an occurrence planned outside the range but moved
// into it is included, and the other way round. Exceptions naming a slot or
// date the plan no longer has are ignored. When a slot's clock time falls in
// a daylight-saving gap it starts at the first valid instant after (Shifted);
// when the clock time happens twice, the slot happens once, at the first.
func (p SlotPlan) Occurrences(from, to time.Time, exceptions []SlotException) ([]Occurrence, error) {
	loc, err := p.Location()
	if err != nil {
		return nil, err
	}
	if !from.Before(to) {
		return nil, nil
	}
	first := civil(from.In(loc)).addDays(-1) // a gap could push a slot past midnight
	last := civil(to.In(loc))
	if last.sub(first) > MaxOccurrenceDays {
		return nil, invalid("range", "error.occurrences.range", "the range is longer than ten years")
	}

	var byDay [7][]Slot
	slots := make(map[string]Slot, len(p.Slots))
	for _, s := range p.Slots {
		if s.Weekday < time.Sunday || s.Weekday > time.Saturday {
			continue
		}
		byDay[s.Weekday] = append(byDay[s.Weekday], s)
		slots[s.ID] = s
	}
	exc := exceptionIndex(exceptions)

	// Sized up front: growing a slice of large structs is most of the cost otherwise.
	out := make([]Occurrence, 0, int(last.sub(first)+7)/7*len(p.Slots)+len(exc))
	for d := first; d.sub(last) <= 0; d = d.addDays(1) {
		day := byDay[d.weekday()]
		if len(day) == 0 {
			continue
		}
		date := d.String()
		for _, s := range day {
			id := OccurrenceID(s.ID, date)
			if x, ok := exc[id]; ok && (x.Skip || !x.MoveTo.IsZero()) {
				continue // skipped, or placed by its move below
			}
			start, shifted := WallTime(d.y, d.m, d.d, s.Start.Hour, s.Start.Minute, loc)
			if start.Before(from) || !start.Before(to) {
				continue
			}
			out = append(out, makeOccurrence(s, id, date, start, shifted))
		}
	}
	for id, x := range exc {
		if x.Skip || x.MoveTo.IsZero() || x.MoveTo.Before(from) || !x.MoveTo.Before(to) {
			continue
		}
		slotID, date, ok := ParseOccurrenceID(id)
		if !ok {
			continue
		}
		s, ok := slots[slotID]
		if !ok {
			continue
		}
		if t, _ := time.Parse(DateLayout, date); t.Weekday() != s.Weekday {
			continue // the slot moved to another weekday since: that occurrence no longer exists
		}
		o := makeOccurrence(s, id, date, x.MoveTo.In(loc), false)
		o.Moved = true
		out = append(out, o)
	}
	sortOccurrences(out)
	return out, nil
}

func makeOccurrence(s Slot, id, date string, start time.Time, shifted bool) Occurrence {
	return Occurrence{
		ID: id, SlotID: s.ID, Date: date,
		Start: start, End: start.Add(time.Duration(s.Minutes) * time.Minute), Minutes: s.Minutes,
		Purpose: s.Purpose, Role: s.Role, Shifted: shifted,
	}
}

func sortOccurrences(o []Occurrence) {
	slices.SortFunc(o, func(a, b Occurrence) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := strings.Compare(a.SlotID, b.SlotID); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// exceptionIndex keeps, for each occurrence, its latest exception (by
// Updated, then skip before move) so that duplicates give one answer.
func exceptionIndex(xs []SlotException) map[string]SlotException {
	m := make(map[string]SlotException, len(xs))
	for _, x := range xs {
		old, ok := m[x.OccurrenceID]
		if !ok || x.Updated.After(old.Updated) || (x.Updated.Equal(old.Updated) && x.Skip && !old.Skip) ||
			(x.Updated.Equal(old.Updated) && x.Skip == old.Skip && x.MoveTo.Before(old.MoveTo)) {
			m[x.OccurrenceID] = x
		}
	}
	return m
}

// WallTime is the instant the clock in loc shows the given local date and
// time. In a daylight-saving gap, where that time does not exist, it is the
// first valid instant after the gap (shifted is true); where the time happens
// twice, it is the first of the two.
func WallTime(year int, month time.Month, day, hour, minute int, loc *time.Location) (t time.Time, shifted bool) {
	want := time.Date(year, month, day, hour, minute, 0, 0, time.UTC)
	guess := time.Date(year, month, day, hour, minute, 0, 0, loc)
	// Far from any change of offset the clock time is unique: the common case.
	if start, end := guess.ZoneBounds(); sameWall(guess, want) &&
		(start.IsZero() || guess.Sub(start) > 48*time.Hour) && (end.IsZero() || end.Sub(guess) > 48*time.Hour) {
		return guess, false
	}
	var best time.Time
	// The zone offsets around the guess cover both sides of any transition near it.
	for _, probe := range []time.Time{guess.Add(-24 * time.Hour), guess, guess.Add(24 * time.Hour)} {
		_, off := probe.Zone()
		c := want.Add(-time.Duration(off) * time.Second).In(loc)
		if sameWall(c, want) && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	if !best.IsZero() {
		return best, false
	}
	// A gap: the clock jumps over want. The first instant after is where the
	// new offset starts, which is the start of the zone period holding the
	// instant computed with the old (earlier) offset.
	for _, probe := range []time.Time{guess.Add(-24 * time.Hour), guess, guess.Add(24 * time.Hour)} {
		_, off := probe.Zone()
		c := want.Add(-time.Duration(off) * time.Second).In(loc)
		start, _ := c.ZoneBounds()
		if start.IsZero() {
			continue
		}
		before := start.Add(-time.Second)
		if !wallAfter(before, want) && wallAfter(start, want) {
			return start, true
		}
	}
	return guess, !sameWall(guess, want)
}

// sameWall reports whether t's clock in its own zone reads w's UTC fields (to the minute).
func sameWall(t, w time.Time) bool {
	ty, tm, td := t.Date()
	wy, wm, wd := w.Date()
	th, tmin, _ := t.Clock()
	wh, wmin, _ := w.Clock()
	return ty == wy && tm == wm && td == wd && th == wh && tmin == wmin
}

// wallAfter reports whether t's clock in its own zone reads later than w's UTC fields.
func wallAfter(t, w time.Time) bool {
	tw := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	return tw.After(w)
}

// civilDate is a date without a zone, so day arithmetic never meets DST.
type civilDate struct {
	y    int
	m    time.Month
	d    int
	days int64 // days since 1970-01-01, for comparisons
}

func civil(t time.Time) civilDate { return mkCivil(t.Year(), t.Month(), t.Day()) }

func mkCivil(y int, m time.Month, d int) civilDate {
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return civilDate{y: u.Year(), m: u.Month(), d: u.Day(), days: floorDiv(u.Unix(), 86400)}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (c civilDate) addDays(n int) civilDate { return mkCivil(c.y, c.m, c.d+n) }

func (c civilDate) sub(o civilDate) int64 { return c.days - o.days }

// weekday: 1970-01-01 was a Thursday.
func (c civilDate) weekday() time.Weekday {
	return time.Weekday(((c.days+4)%7 + 7) % 7)
}

func (c civilDate) String() string {
	if c.y < 0 || c.y > 9999 {
		return fmt.Sprintf("%04d-%02d-%02d", c.y, c.m, c.d)
	}
	// By hand: this runs for every day of every Occurrences call.
	b := [10]byte{byte('0' + c.y/1000), byte('0' + c.y/100%10), byte('0' + c.y/10%10), byte('0' + c.y%10), '-',
		byte('0' + int(c.m)/10), byte('0' + int(c.m)%10), '-', byte('0' + c.d/10), byte('0' + c.d%10)}
	return string(b[:])
}

// NextFreeSlot finds the first occurrence of the purpose that starts after
// `after` and that no post fills (a post fills the occurrence its
// OccurrenceID names, whatever its status). An empty purpose matches any
// purpose. It looks one year ahead.
func NextFreeSlot(plan SlotPlan, exceptions []SlotException, posts []Post, purpose Purpose, after time.Time) (Occurrence, bool) {
	return NextFreeSlotAround(plan, exceptions, posts, nil, purpose, after)
}

// NextFreeSlotAround is NextFreeSlot that also passes over the occurrences
// that overlap busy time of the work calendar (busy must be merged, as
// MergeBusy gives it and the store returns it).
func NextFreeSlotAround(plan SlotPlan, exceptions []SlotException, posts []Post, busy []BusyInterval, purpose Purpose, after time.Time) (Occurrence, bool) {
	hasPurpose := false
	for _, s := range plan.Slots {
		if purpose == "" || s.Purpose == purpose {
			hasPurpose = true
			break
		}
	}
	if !hasPurpose {
		return Occurrence{}, false
	}
	filled := make(map[string]bool, len(posts))
	for _, p := range posts {
		if p.OccurrenceID != "" {
			filled[p.OccurrenceID] = true
		}
	}
	// One week at a time: the answer is nearly always in the first.
	from := after
	for range 53 {
		to := from.Add(7 * 24 * time.Hour)
		occ, err := plan.Occurrences(from, to, exceptions)
		if err != nil {
			return Occurrence{}, false
		}
		for _, o := range occ {
			if o.Start.After(after) && (purpose == "" || o.Purpose == purpose) && !filled[o.ID] && !busyAt(busy, o.Start, o.End) {
				return o, true
			}
		}
		from = to
	}
	return Occurrence{}, false
}
