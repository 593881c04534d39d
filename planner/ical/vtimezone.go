package ical

import (
	"fmt"
	"strconv"
	"time"

	goical "github.com/emersion/go-ical"
)

// ruleYears is how far ahead a yearly rule derived from Go's zone data is
// checked against that data; also how far explicit transitions reach when
// no rule fits and the calendar holds series without end.
const ruleYears = 12

// localLayout is a local date-time without zone (the value of a TZID
// property, and of an observance's DTSTART).
const localLayout = "20060102T150405"

// utcLayout is a UTC date-time.
const utcLayout = "20060102T150405Z"

// zoneTransition is a change of the zone's offset: the one that began the
// zone period holding the start of the span, or a later one.
type zoneTransition struct {
	at       time.Time // the instant; zero when the zone has no known start
	from, to int       // UTC offsets in seconds, before and after
	name     string    // the abbreviation after, for example EEST
	dst      bool      // daylight-saving time after
}

// wall is the local clock at the transition, read with the offset before it:
// how RFC 5545 writes an observance's DTSTART.
func (z zoneTransition) wall() time.Time {
	return z.at.UTC().Add(time.Duration(z.from) * time.Second)
}

// zoneTransitions lists the transition that began the zone period holding
// lo, then every later one up to hi. Go's zone data also bounds periods where
// nothing changes (at the turn of each year its rule string covers): those
// are passed over.
func zoneTransitions(loc *time.Location, lo, hi time.Time) []zoneTransition {
	t := lo.In(loc)
	name, off := t.Zone()
	dst := t.IsDST()
	start, end := t.ZoneBounds()
	for !start.IsZero() {
		before := start.Add(-time.Second).In(loc)
		n, o := before.Zone()
		if n != name || o != off || before.IsDST() != dst {
			break
		}
		start, _ = before.ZoneBounds()
	}
	first := zoneTransition{at: start, from: off, to: off, name: name, dst: dst}
	if !start.IsZero() {
		_, first.from = start.Add(-time.Second).In(loc).Zone()
	}
	out := []zoneTransition{first}
	// The bound only guards against a zone table gone wrong.
	for steps := 0; !end.IsZero() && !end.After(hi) && steps < 10000; steps++ {
		t = end.In(loc)
		prev, prevName, prevDST := off, name, dst
		name, off = t.Zone()
		dst = t.IsDST()
		if off != prev || name != prevName || dst != prevDST {
			out = append(out, zoneTransition{at: end, from: prev, to: off, name: name, dst: dst})
		}
		_, end = t.ZoneBounds()
	}
	return out
}

// yearlyRule is a transition that recurs each year on a weekday of a month,
// at one local time: "the last Sunday of March at 03:00".
type yearlyRule struct {
	month   time.Month
	weekday time.Weekday
	ord     int // -1 for the last such weekday of the month, else 1 to 4
	clock   time.Duration
}

func (r yearlyRule) rrule() string {
	return "FREQ=YEARLY;BYMONTH=" + strconv.Itoa(int(r.month)) + ";BYDAY=" + strconv.Itoa(r.ord) + weekdayCodes[r.weekday]
}

// in is the rule's transition wall time in a year.
func (r yearlyRule) in(year int) time.Time {
	if r.ord < 0 {
		last := time.Date(year, r.month+1, 0, 0, 0, 0, 0, time.UTC)
		back := (int(last.Weekday()) - int(r.weekday) + 7) % 7
		return last.AddDate(0, 0, -back).Add(r.clock)
	}
	first := time.Date(year, r.month, 1, 0, 0, 0, 0, time.UTC)
	ahead := (int(r.weekday) - int(first.Weekday()) + 7) % 7
	return first.AddDate(0, 0, ahead+7*(r.ord-1)).Add(r.clock)
}

var weekdayCodes = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// zoneGroup is the transitions that share offsets and name: the yearly
// switch to daylight-saving time, or back.
type zoneGroup struct {
	members []zoneTransition
	rule    yearlyRule
}

// deriveRules finds, when Go's zone data bears them out for ruleYears, the
// two yearly rules that the transitions in ts follow, so that the VTIMEZONE
// holds for every later year too (a weekly series has no end).
func deriveRules(ts []zoneTransition) ([]zoneGroup, bool) {
	if len(ts) < 2 || ts[0].at.IsZero() {
		return nil, false
	}
	var groups []zoneGroup
	for _, tr := range ts {
		i := 0
		for i < len(groups) {
			g := groups[i].members[0]
			if g.from == tr.from && g.to == tr.to && g.name == tr.name && g.dst == tr.dst {
				break
			}
			i++
		}
		if i == len(groups) {
			if len(groups) == 2 {
				return nil, false
			}
			groups = append(groups, zoneGroup{})
		}
		groups[i].members = append(groups[i].members, tr)
	}
	if len(groups) != 2 {
		return nil, false
	}
	for gi := range groups {
		g := &groups[gi]
		if len(g.members) < 3 {
			return nil, false
		}
		w0 := g.members[0].wall()
		r := yearlyRule{month: w0.Month(), weekday: w0.Weekday(), clock: w0.Sub(w0.Truncate(24 * time.Hour))}
		last, nth := true, (w0.Day()-1)/7+1
		for i, m := range g.members {
			w := m.wall()
			if w.Month() != r.month || w.Weekday() != r.weekday || w.Sub(w.Truncate(24*time.Hour)) != r.clock ||
				w.Year() != w0.Year()+i {
				return nil, false
			}
			if w.Day()+7 <= daysIn(w.Year(), w.Month()) {
				last = false
			}
			if (w.Day()-1)/7+1 != nth {
				nth = 0
			}
		}
		switch {
		case last:
			r.ord = -1
		case nth >= 1 && nth <= 4:
			r.ord = nth
		default:
			return nil, false
		}
		// The rule must give back every transition, to the second.
		for i, m := range g.members {
			if !r.in(w0.Year() + i).Equal(m.wall()) {
				return nil, false
			}
		}
		g.rule = r
	}
	// Both rules must have run through the same years, alternating: else a
	// year would lack one of its two switches.
	y0, y1 := groups[0].members[0].wall().Year(), groups[1].members[0].wall().Year()
	if y1-y0 < 0 || y1-y0 > 1 || absInt(len(groups[0].members)-len(groups[1].members)) > 1 {
		return nil, false
	}
	return groups, true
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// vtimezone describes loc for the date-times from lo to hi, and for every
// later one too when openEnded (a series without end uses it). It writes two
// yearly rules where Go's zone data follows them, else each transition.
func vtimezone(loc *time.Location, tzid string, lo, hi time.Time, openEnded bool) *goical.Component {
	tz := goical.NewComponent(goical.CompTimezone)
	setText(tz.Props, goical.PropTimezoneID, tzid)

	ruleHi := lo.AddDate(ruleYears, 0, 0)
	if hi.After(ruleHi) {
		ruleHi = hi
	}
	ts := zoneTransitions(loc, lo, ruleHi)
	if len(ts) == 1 {
		tz.Children = append(tz.Children, observance(ts[0], ""))
		return tz
	}
	if groups, ok := deriveRules(ts); ok {
		for _, g := range groups {
			tz.Children = append(tz.Children, observance(g.members[0], g.rule.rrule()))
		}
		return tz
	}
	for _, tr := range ts {
		if !openEnded && tr.at.After(hi) {
			break
		}
		tz.Children = append(tz.Children, observance(tr, ""))
	}
	return tz
}

func observance(tr zoneTransition, rrule string) *goical.Component {
	name := goical.CompTimezoneStandard
	if tr.dst {
		name = goical.CompTimezoneDaylight
	}
	c := goical.NewComponent(name)
	start := goical.NewProp(goical.PropDateTimeStart)
	if tr.at.IsZero() {
		start.Value = "16010101T000000" // the zone's rule since before any record
	} else {
		start.Value = tr.wall().Format(localLayout)
	}
	c.Props.Set(start)
	c.Props.Set(&goical.Prop{Name: goical.PropTimezoneOffsetFrom, Params: goical.Params{}, Value: utcOffset(tr.from)})
	c.Props.Set(&goical.Prop{Name: goical.PropTimezoneOffsetTo, Params: goical.Params{}, Value: utcOffset(tr.to)})
	if tr.name != "" {
		setText(c.Props, goical.PropTimezoneName, tr.name)
	}
	if rrule != "" {
		c.Props.Set(&goical.Prop{Name: goical.PropRecurrenceRule, Params: goical.Params{}, Value: rrule})
	}
	return c
}

// utcOffset writes an offset as RFC 5545 does: +0200, -0330, +013952.
func utcOffset(sec int) string {
	sign := byte('+')
	if sec < 0 {
		sign, sec = '-', -sec
	}
	s := fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}

// isUTC reports whether loc is UTC under any name: then times are written
// with Z and no VTIMEZONE is needed.
func isUTC(loc *time.Location, at time.Time) bool {
	if loc == time.UTC {
		return true
	}
	start, end := at.In(loc).ZoneBounds()
	_, off := at.In(loc).Zone()
	return off == 0 && start.IsZero() && end.IsZero()
}
