package ical

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	goical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// zoneResolver turns the TZIDs of a calendar into locations: an IANA name
// from Go's zone data; any other name (Outlook writes Windows names such as
// "FLE Standard Time") from the calendar's own VTIMEZONE, else from CLDR's
// table of Windows names. Each name is resolved once.
type zoneResolver struct {
	defs map[string]*goical.Component // the calendar's VTIMEZONEs by TZID
	// from and to are the span the busy time is read for; a zone built from
	// a VTIMEZONE covers it with room on both sides.
	from, to time.Time
	cache    map[string]*time.Location
	unknown  []string
}

func newZoneResolver(defs map[string]*goical.Component, from, to time.Time) *zoneResolver {
	return &zoneResolver{defs: defs, from: from, to: to, cache: map[string]*time.Location{}}
}

// location resolves a TZID; nil when nothing knows it (the name is then in unknown).
func (z *zoneResolver) location(tzid string) *time.Location {
	name := strings.TrimSpace(strings.Trim(tzid, `"`))
	if loc, ok := z.cache[name]; ok {
		return loc
	}
	loc := z.resolve(name)
	z.cache[name] = loc
	if loc == nil {
		z.unknown = append(z.unknown, name)
	}
	return loc
}

func (z *zoneResolver) resolve(name string) *time.Location {
	if loc := ianaLocation(name); loc != nil {
		return loc
	}
	if def, ok := z.defs[name]; ok {
		if loc, err := vtimezoneLocation(def, name, z.from, z.to); err == nil {
			return loc
		}
	}
	if iana, ok := windowsZones[name]; ok {
		if loc := ianaLocation(iana); loc != nil {
			return loc
		}
	}
	// Some apps prefix the IANA name with their own path
	// ("/mozilla.org/20050126_1/Europe/Helsinki").
	parts := strings.Split(name, "/")
	for n := 3; n >= 2; n-- {
		if len(parts) > n {
			if loc := ianaLocation(strings.Join(parts[len(parts)-n:], "/")); loc != nil {
				return loc
			}
		}
	}
	return nil
}

// ianaLocation loads an IANA zone, or nil. "Local" and names that only
// look like paths are not zones of a calendar.
func ianaLocation(name string) *time.Location {
	if name == "" || name == "Local" || len(name) > 64 || strings.ContainsAny(name, " \\") {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// Bounds of a zone built from a VTIMEZONE.
const (
	maxObservanceOnsets = 2000 // per STANDARD or DAYLIGHT: a yearly rule since 1601 has about 430
	maxZoneTransitions  = 250  // in the span kept; TZif allows 256 kinds of local time
)

// vtimezoneLocation builds a location from a VTIMEZONE: the onsets of its
// STANDARD and DAYLIGHT observances, expanded with their RRULE and RDATEs,
// become the transitions of a TZif zone that Go loads. The zone is right
// from a year before from to a year after to; outside that it keeps the
// offsets it has at the ends.
func vtimezoneLocation(def *goical.Component, name string, from, to time.Time) (*time.Location, error) {
	lo, hi := from.AddDate(-1, 0, 0), to.AddDate(1, 0, 0)
	var all []transition
	for _, obs := range def.Children {
		if obs.Name != goical.CompTimezoneStandard && obs.Name != goical.CompTimezoneDaylight {
			continue
		}
		ts, err := observanceTransitions(obs, hi)
		if err != nil {
			return nil, fmt.Errorf("time zone %s: %w", name, err)
		}
		all = append(all, ts...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("time zone %s has no observances", name)
	}
	slices.SortStableFunc(all, func(a, b transition) int { return a.at.Compare(b.at) })
	// Keep the last transition at or before lo (it sets the offset at lo) and those after.
	first := 0
	for i, t := range all {
		if !t.at.After(lo) {
			first = i
		}
	}
	all = all[first:]
	if len(all) > maxZoneTransitions {
		return nil, fmt.Errorf("time zone %s changes its offset too often", name)
	}
	data, err := tzif(all)
	if err != nil {
		return nil, fmt.Errorf("time zone %s: %w", name, err)
	}
	return time.LoadLocationFromTZData(name, data)
}

// transition is an onset of an observance: from then on the clock is offset
// seconds ahead of UTC.
type transition struct {
	at     time.Time
	before int // the offset until then
	offset int
	dst    bool
	abbr   string
}

func observanceTransitions(obs *goical.Component, hi time.Time) ([]transition, error) {
	before, err := offsetProp(obs, goical.PropTimezoneOffsetFrom)
	if err != nil {
		return nil, err
	}
	after, err := offsetProp(obs, goical.PropTimezoneOffsetTo)
	if err != nil {
		return nil, err
	}
	start := obs.Props.Get(goical.PropDateTimeStart)
	if start == nil {
		return nil, errors.New("an observance has no DTSTART")
	}
	abbr, _ := obs.Props.Text(goical.PropTimezoneName)
	mk := func(wall time.Time) transition {
		return transition{at: wall.Add(-time.Duration(before) * time.Second), before: before, offset: after,
			dst: obs.Name == goical.CompTimezoneDaylight, abbr: abbr}
	}
	// Onsets are local wall times, read here as if they were UTC.
	local := *obs
	local.Props = copyProps(obs.Props)
	local.Props.Get(goical.PropDateTimeStart).Params.Del(goical.PropTimezoneID)
	dtstart, err := local.Props.DateTime(goical.PropDateTimeStart, time.UTC)
	if err != nil {
		return nil, err
	}
	wallHi := hi.Add(time.Duration(before) * time.Second)
	var out []transition
	if rule := local.Props.Get(goical.PropRecurrenceRule); rule != nil {
		set, err := local.RecurrenceSet(time.UTC)
		if err != nil {
			return nil, err
		}
		if r := set.GetRRule(); r != nil {
			if r.OrigOptions.Freq > rrule.DAILY {
				return nil, errors.New("an observance recurs more often than daily")
			}
			until := wallHi
			if u := r.OrigOptions.Until; !u.IsZero() {
				if strings.HasSuffix(ruleUntil(rule.Value), "Z") {
					u = u.Add(time.Duration(before) * time.Second) // UNTIL is UTC; onsets are wall times
				}
				until = minTime(u, wallHi)
			}
			r.Until(until)
		}
		next := set.Iterator()
		for range maxObservanceOnsets {
			wall, ok := next()
			if !ok {
				break
			}
			out = append(out, mk(wall))
		}
	} else {
		out = append(out, mk(dtstart))
	}
	for _, p := range obs.Props.Values(goical.PropRecurrenceDates) {
		for _, v := range strings.Split(p.Value, ",") {
			wall, err := parseWall(v)
			if err != nil {
				return nil, err
			}
			if strings.HasSuffix(v, "Z") {
				wall = wall.Add(time.Duration(before) * time.Second)
			}
			out = append(out, mk(wall))
		}
	}
	return out, nil
}

// ruleUntil is the UNTIL part of an RRULE's value, or "".
func ruleUntil(rule string) string {
	for _, part := range strings.Split(rule, ";") {
		if v, ok := strings.CutPrefix(strings.ToUpper(part), "UNTIL="); ok {
			return v
		}
	}
	return ""
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// parseWall reads a DATE or DATE-TIME value's fields as a UTC time.
func parseWall(v string) (time.Time, error) {
	v = strings.TrimSuffix(strings.TrimSpace(v), "Z")
	switch len(v) {
	case len("20060102"):
		return time.Parse("20060102", v)
	case len(localLayout):
		return time.Parse(localLayout, v)
	}
	return time.Time{}, fmt.Errorf("%q is not a date or a date and time", v)
}

// offsetProp reads TZOFFSETFROM or TZOFFSETTO: +0200, -0330, +013952.
func offsetProp(obs *goical.Component, name string) (int, error) {
	p := obs.Props.Get(name)
	if p == nil {
		return 0, fmt.Errorf("an observance has no %s", name)
	}
	v := strings.TrimSpace(p.Value)
	if (len(v) != 5 && len(v) != 7) || (v[0] != '+' && v[0] != '-') {
		return 0, fmt.Errorf("%s %q is not an offset", name, v)
	}
	n := 0
	for i, c := range v[1:] {
		d, err := strconv.Atoi(string(c))
		if err != nil {
			return 0, fmt.Errorf("%s %q is not an offset", name, v)
		}
		switch i {
		case 0, 1:
			n += d * []int{36000, 3600}[i]
		case 2, 3:
			n += d * []int{600, 60}[i-2]
		default:
			n += d * []int{10, 1}[i-4]
		}
	}
	if n >= 24*3600 {
		return 0, fmt.Errorf("%s %q is not an offset", name, v)
	}
	if v[0] == '-' {
		n = -n
	}
	return n, nil
}

// copyProps copies the property lists and their parameters, so that a copy
// of a component can be changed without changing the calendar.
func copyProps(in goical.Props) goical.Props {
	out := make(goical.Props, len(in))
	for name, list := range in {
		cp := make([]goical.Prop, len(list))
		for i, p := range list {
			cp[i] = goical.Prop{Name: p.Name, Value: p.Value, Params: make(goical.Params, len(p.Params))}
			for k, v := range p.Params {
				cp[i].Params[k] = slices.Clone(v)
			}
		}
		out[name] = cp
	}
	return out
}

// tzif encodes the transitions as TZif version 2 data (RFC 8536), which Go
// loads as a location: an empty version 1 block, then the 64-bit block.
// Kind of local time 0 is the offset before the first transition and is used
// by none, which is how Go knows what holds before it.
func tzif(ts []transition) ([]byte, error) {
	type kind struct {
		offset int
		dst    bool
		abbr   string
	}
	kinds := []kind{{offset: ts[0].before, abbr: offsetAbbr(ts[0].before)}}
	index := make([]byte, len(ts))
	for i, t := range ts {
		k := kind{offset: t.offset, dst: t.dst, abbr: t.abbr}
		if k.abbr == "" || len(k.abbr) > 16 {
			k.abbr = offsetAbbr(t.offset)
		}
		j := slices.Index(kinds[1:], k) + 1
		if j == 0 {
			kinds = append(kinds, k)
			j = len(kinds) - 1
		}
		index[i] = byte(j)
	}
	if len(kinds) > 64 {
		return nil, errors.New("too many kinds of local time")
	}
	var chars []byte
	abbrAt := make([]byte, len(kinds))
	for i, k := range kinds {
		abbrAt[i] = byte(len(chars))
		chars = append(append(chars, k.abbr...), 0)
	}

	var b []byte
	header := func(times, kinds, chars int) {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, n := range []int{0, 0, 0, times, kinds, chars} {
			b = binary.BigEndian.AppendUint32(b, uint32(n))
		}
	}
	header(0, 0, 0)
	header(len(ts), len(kinds), len(chars))
	for _, t := range ts {
		b = binary.BigEndian.AppendUint64(b, uint64(t.at.Unix()))
	}
	b = append(b, index...)
	for i, k := range kinds {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(k.offset)))
		dst := byte(0)
		if k.dst {
			dst = 1
		}
		b = append(b, dst, abbrAt[i])
	}
	if len(chars) > 255 {
		return nil, errors.New("the zone's names are too long")
	}
	return append(b, chars...), nil
}

// offsetAbbr names an offset without a name: +02, -0330.
func offsetAbbr(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d", sign, sec/3600)
	if m := sec / 60 % 60; m != 0 {
		s += fmt.Sprintf("%02d", m)
	}
	return s
}
