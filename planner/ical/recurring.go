package ical

import (
	"fmt"
	"slices"
	"strings"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/kaiku-app/kaiku/planner"
)

// civil is a local date without zone, so that stepping by weeks never meets
// a daylight-saving change.
type civil struct {
	y int
	m time.Month
	d int
}

func civilOf(t time.Time) civil { return civil{t.Year(), t.Month(), t.Day()} }

func parseCivil(s string) (civil, bool) {
	t, err := time.Parse(planner.DateLayout, s)
	if err != nil {
		return civil{}, false
	}
	return civilOf(t), true
}

func (c civil) add(days int) civil {
	return civilOf(time.Date(c.y, c.m, c.d+days, 12, 0, 0, 0, time.UTC))
}

func (c civil) weekday() time.Weekday {
	return time.Date(c.y, c.m, c.d, 12, 0, 0, 0, time.UTC).Weekday()
}

func (c civil) before(o civil) bool {
	if c.y != o.y {
		return c.y < o.y
	}
	if c.m != o.m {
		return c.m < o.m
	}
	return c.d < o.d
}

func (c civil) String() string { return fmt.Sprintf("%04d-%02d-%02d", c.y, c.m, c.d) }

// planned is when Kaiku holds a slot on a date (see planner.WallTime).
func planned(date civil, clock planner.ClockTime, loc *time.Location) time.Time {
	t, _ := planner.WallTime(date.y, date.m, date.d, clock.Hour, clock.Minute, loc)
	return t
}

// rfcInstant is when a calendar app holds a series' instance on a date. It
// differs from planned only in a daylight-saving gap, which RFC 5545 reads
// with the offset before the gap while Kaiku starts at the gap's end.
func rfcInstant(date civil, clock planner.ClockTime, loc *time.Location) time.Time {
	t, shifted := planner.WallTime(date.y, date.m, date.d, clock.Hour, clock.Minute, loc)
	if !shifted {
		return t
	}
	_, off := t.Add(-time.Second).In(loc).Zone()
	wall := time.Date(date.y, date.m, date.d, clock.Hour, clock.Minute, 0, 0, time.UTC)
	return wall.Add(-time.Duration(off) * time.Second)
}

// extent is where the series' exceptions end: the range's end, or later when
// a skip, move or post handed in concerns a later occurrence. A series has
// no end, so leaving such a change out would show a skipped slot.
func (b *builder) extent() time.Time {
	ext := b.to
	limit := b.from.AddDate(0, 0, planner.MaxOccurrenceDays-14)
	consider := func(t time.Time) {
		if t.After(ext) && t.Before(limit) {
			ext = t
		}
	}
	afterDate := func(occID string) {
		if _, date, ok := planner.ParseOccurrenceID(occID); ok {
			if d, ok := parseCivil(date); ok {
				// Two days on is past any clock time of that date, shifted or not.
				consider(time.Date(d.y, d.m, d.d+2, 0, 0, 0, 0, b.loc))
			}
		}
	}
	for _, x := range b.exc {
		afterDate(x.OccurrenceID)
		if !x.MoveTo.IsZero() {
			consider(x.MoveTo.Add(time.Minute))
		}
	}
	for _, p := range b.allPosts {
		if p.OccurrenceID != "" {
			afterDate(p.OccurrenceID)
		}
	}
	return ext
}

// series is one weekly VEVENT per slot, without end, from the slot's first
// occurrence in the range (or earlier, when an earlier one was moved into
// it). Up to the extent every planned date is accounted for: an instance as
// the rule makes it, an EXDATE when the occurrence is not in the exported
// set (skipped, moved out of it, or before the range), or an overriding
// VEVENT with RECURRENCE-ID when it was moved or shifted or posts fill it.
// So the series give, in the range, the very occurrences single events do.
func (b *builder) series() ([]*goical.Component, error) {
	ext := b.extent()
	occ, err := b.plan.Occurrences(b.from, ext, b.exc)
	if err != nil {
		return nil, fmt.Errorf("slot occurrences: %w", err)
	}
	bySlot := make(map[string]map[string]planner.Occurrence, len(b.plan.Slots))
	for _, o := range occ {
		m := bySlot[o.SlotID]
		if m == nil {
			m = map[string]planner.Occurrence{}
			bySlot[o.SlotID] = m
		}
		m[o.Date] = o
	}

	type oneSeries struct {
		start time.Time
		id    string
		comps []*goical.Component
	}
	all := make([]oneSeries, 0, len(b.plan.Slots))
	for _, s := range b.plan.Slots {
		mine := bySlot[s.ID]
		first := b.firstDate(s)
		for date := range mine {
			if d, ok := parseCivil(date); ok && d.before(first) {
				first = d
			}
		}

		uid := s.ID + UIDSuffix
		var exdates []*goical.Prop
		var overrides []*goical.Component
		for d := first; ; d = d.add(7) {
			if !planned(d, s.Start, b.loc).Before(ext) {
				break
			}
			o, ok := mine[d.String()]
			if !ok {
				exdates = append(exdates, b.nominalProp(goical.PropExceptionDates, d, s.Start))
				continue
			}
			if !o.Moved && !o.Shifted && len(b.posts[o.ID]) == 0 {
				continue // the rule makes this one as it is
			}
			ev := b.event(o)
			c := b.component(ev)
			setText(c.Props, goical.PropUID, uid)
			c.Props.Set(b.nominalProp(goical.PropRecurrenceID, d, s.Start))
			b.setTime(c.Props, goical.PropDateTimeStart, ev.Start)
			b.setTime(c.Props, goical.PropDateTimeEnd, ev.End)
			overrides = append(overrides, c)
		}

		// The series changes with its slot and with the slot's exceptions,
		// which its EXDATEs and overrides mirror.
		changed := s.Changed
		for _, x := range b.exc {
			slotID, date, ok := planner.ParseOccurrenceID(x.OccurrenceID)
			if d, okd := parseCivil(date); ok && okd && slotID == s.ID && !d.before(first) && x.Updated.After(changed) {
				changed = x.Updated
			}
		}
		st := b.tx.forOccurrence(planner.Occurrence{SlotID: s.ID, Purpose: s.Purpose, Role: s.Role})
		master := b.component(Event{
			UID: uid, Summary: st.summary, Description: st.desc, Categories: st.categories,
			Sequence: Sequence(changed), Changed: changed,
		})
		master.Props.Set(b.nominalProp(goical.PropDateTimeStart, first, s.Start))
		start := rfcInstant(first, s.Start, b.loc)
		b.setTime(master.Props, goical.PropDateTimeEnd, start.Add(time.Duration(s.Minutes)*time.Minute))
		setValue(master.Props, goical.PropRecurrenceRule, "FREQ=WEEKLY;BYDAY="+weekdayCodes[s.Weekday])
		for _, p := range exdates {
			master.Props.Add(p)
		}
		all = append(all, oneSeries{start: start, id: s.ID, comps: append([]*goical.Component{master}, overrides...)})
	}
	slices.SortFunc(all, func(x, y oneSeries) int {
		if c := x.start.Compare(y.start); c != 0 {
			return c
		}
		return strings.Compare(x.id, y.id)
	})
	var out []*goical.Component
	for _, s := range all {
		out = append(out, s.comps...)
	}
	return out, nil
}

// firstDate is the date of the slot's first planned time at or after From.
func (b *builder) firstDate(s planner.Slot) civil {
	d := civilOf(b.from)
	for range 8 {
		if d.weekday() == s.Weekday && !planned(d, s.Start, b.loc).Before(b.from) {
			return d
		}
		d = d.add(1)
	}
	return d // not reached: a weekday comes round within eight days
}
