package ical

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	goical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"

	"github.com/kaiku-app/kaiku/planner"
)

// Limits of ParseBusy: far above a real work calendar, low enough that a
// broken or hostile file cannot stall Kaiku.
const (
	// MaxCalendarBytes bounds the file read.
	MaxCalendarBytes = 32 << 20
	// MaxBusySpan bounds the span read.
	MaxBusySpan = 2 * 366 * 24 * time.Hour
	// maxNesting bounds how deep components nest (VCALENDAR > VEVENT > VALARM is 3).
	maxNesting = 16
	// maxInstances bounds the occurrences expanded from the whole calendar,
	// counting those before the span that a series passes on its way.
	maxInstances = 2_000_000
)

// Translation keys of ParseBusy's errors.
const (
	KeyErrorNotCalendar = "error.calendar.not_ical"
	KeyErrorTooBig      = "error.calendar.too_big"
	KeyErrorTooBusy     = "error.calendar.too_busy"
)

// BusyOptions say which span ParseBusy reads and how it reads times that
// name no zone.
type BusyOptions struct {
	// From and To bound the span: intervals that overlap [From, To) are returned whole.
	From, To time.Time
	// Local is the user's zone: floating times and all-day events are in it.
	Local *time.Location
}

// BusyResult is everything ParseBusy returns of a calendar: the busy time
// and counts. No title, attendee, location or description ever leaves it.
type BusyResult struct {
	// Intervals are merged (planner.MergeBusy) and sorted.
	Intervals []planner.BusyInterval
	// Events counts the events read; a recurring event and its changed
	// occurrences count once each.
	Events int
	// Skipped counts the events that could not be read: no start, an end
	// before the start, a recurrence rule that is broken or repeats more
	// often than daily. The others still count.
	Skipped int
	// UnknownZones lists the TZIDs nothing knew; their times were read in Local.
	UnknownZones []string
}

// ParseBusy reads an iCalendar file (RFC 5545) as Outlook, Google Calendar
// and other calendar apps export or publish it, and returns when it is busy
// in the span. It expands recurring events (RRULE with COUNT or UNTIL,
// RDATE, EXDATE) and applies the changed occurrences (RECURRENCE-ID) that
// move or cancel one. Times are read in their TZID's zone: an IANA name from
// Go's zone data; a Windows name as Outlook writes it ("FLE Standard Time")
// from the calendar's own VTIMEZONE, else from CLDR's table; UTC; or, for
// floating times and all-day events, the user's zone. Series follow their
// zone's daylight-saving changes.
//
// An event is busy unless it is cancelled (STATUS:CANCELLED) or free
// (TRANSP:TRANSPARENT, or Outlook's X-MICROSOFT-CDO-BUSYSTATUS:FREE or
// WORKINGELSEWHERE). An all-day event is busy only when the calendar marks
// it opaque (Outlook's BUSY or OOF, or TRANSP:OPAQUE): a birthday or a
// holiday in a calendar does not fill the day. A tentative event
// (STATUS:TENTATIVE, Outlook's TENTATIVE) is busy and marked tentative.
//
// A file that is not a calendar, is larger than MaxCalendarBytes or nests
// too deep is refused with an error wrapping planner.ErrInvalid; an event
// that cannot be read is counted in Skipped and the rest are read. ParseBusy
// never panics.
func ParseBusy(r io.Reader, opts BusyOptions) (BusyResult, error) {
	if opts.Local == nil {
		opts.Local = time.UTC
	}
	if !opts.From.Before(opts.To) || opts.To.Sub(opts.From) > MaxBusySpan {
		return BusyResult{}, fmt.Errorf("read busy time: the span %s – %s is empty or longer than two years", opts.From, opts.To)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxCalendarBytes+1))
	if err != nil {
		return BusyResult{}, fmt.Errorf("read the calendar: %w", err)
	}
	if len(data) > MaxCalendarBytes {
		return BusyResult{}, &planner.InvalidError{Field: "calendar", Key: KeyErrorTooBig,
			Msg: fmt.Sprintf("the calendar is larger than %d MB", MaxCalendarBytes>>20)}
	}
	cals, err := decodeCalendars(data)
	if err != nil {
		return BusyResult{}, &planner.InvalidError{Field: "calendar", Key: KeyErrorNotCalendar,
			Msg: "the file is not an iCalendar calendar: " + err.Error()}
	}
	p := &busyParser{opts: opts, budget: maxInstances}
	zones := map[string]*goical.Component{}
	var events []*goical.Component
	for _, cal := range cals {
		for _, c := range cal.Children {
			switch c.Name {
			case goical.CompTimezone:
				if id, err := c.Props.Text(goical.PropTimezoneID); err == nil && id != "" {
					zones[strings.TrimSpace(id)] = c
				}
			case goical.CompEvent:
				events = append(events, c)
			}
		}
	}
	p.zones = newZoneResolver(zones, opts.From, opts.To)
	p.read(events)
	if p.budget <= 0 {
		return BusyResult{}, &planner.InvalidError{Field: "calendar", Key: KeyErrorTooBusy,
			Msg: "the calendar repeats its events more often than Kaiku reads"}
	}
	res := BusyResult{Events: p.events, Skipped: p.skipped, UnknownZones: p.zones.unknown}
	for _, b := range planner.MergeBusy(p.busy) {
		if b.Overlaps(opts.From, opts.To) {
			res.Intervals = append(res.Intervals, b)
		}
	}
	if len(res.Intervals) > planner.MaxBusyIntervals {
		return BusyResult{}, &planner.InvalidError{Field: "calendar", Key: KeyErrorTooBusy,
			Msg: "the calendar has more busy times than Kaiku keeps"}
	}
	return res, nil
}

// decodeCalendars decodes every VCALENDAR in data. go-ical panics on some
// broken lines, and recursion follows nesting; both are kept in bounds here.
func decodeCalendars(data []byte) (cals []*goical.Calendar, err error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("it is empty")
	}
	if err := checkNesting(data); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			cals, err = nil, fmt.Errorf("%v", r)
		}
	}()
	dec := goical.NewDecoder(bytes.NewReader(data))
	for {
		cal, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errors.New(strings.TrimPrefix(err.Error(), "ical: "))
		}
		cals = append(cals, cal)
	}
	if len(cals) == 0 {
		return nil, errors.New("it holds no calendar")
	}
	return cals, nil
}

// checkNesting refuses components nested deeper than maxNesting, looking at
// the unfolded lines as go-ical will.
func checkNesting(data []byte) error {
	unfolded := strings.NewReplacer("\r\n ", "", "\r\n\t", "", "\n ", "", "\n\t", "").Replace(string(data))
	depth := 0
	for line := range strings.Lines(unfolded) {
		switch name, _, _ := strings.Cut(line, ":"); strings.ToUpper(strings.TrimSpace(name)) {
		case "BEGIN":
			if depth++; depth > maxNesting {
				return fmt.Errorf("components nest more than %d deep", maxNesting)
			}
		case "END":
			depth--
		}
	}
	return nil
}

// busyParser reads the events of one calendar.
type busyParser struct {
	opts    BusyOptions
	zones   *zoneResolver
	busy    []planner.BusyInterval
	events  int
	skipped int
	// budget counts down the occurrences still allowed to be expanded.
	budget int
}

// instance is one occurrence of an event.
type instance struct{ start, end time.Time }

// read groups the events by UID, so that a changed occurrence replaces the
// one of its series it names, and collects their busy time.
func (p *busyParser) read(events []*goical.Component) {
	type series struct {
		masters   []*goical.Component
		overrides []*goical.Component
	}
	byUID := map[string]*series{}
	var order []string
	for i, ev := range events {
		uid, _ := ev.Props.Text(goical.PropUID)
		if uid == "" {
			uid = fmt.Sprintf("\x00%d", i) // without a UID an event stands alone
		}
		s, ok := byUID[uid]
		if !ok {
			s = &series{}
			byUID[uid] = s
			order = append(order, uid)
		}
		if ev.Props.Get(goical.PropRecurrenceID) != nil {
			s.overrides = append(s.overrides, ev)
		} else {
			s.masters = append(s.masters, ev)
		}
	}
	for _, uid := range order {
		s := byUID[uid]
		for _, m := range s.masters {
			p.event(m, s.overrides)
		}
		for _, o := range s.overrides {
			p.event(o, nil)
		}
	}
}

// event adds the busy time of one event, less the occurrences that
// overrides replace. A panic in the recurrence library skips the event.
func (p *busyParser) event(ev *goical.Component, overrides []*goical.Component) {
	p.events++
	defer func() {
		if r := recover(); r != nil {
			p.skipped++
		}
	}()
	busy, tentative := busyState(ev)
	if !busy {
		return
	}
	insts, err := p.instances(ev, overrides)
	if err != nil {
		p.skipped++
		return
	}
	for _, in := range insts {
		if in.end.After(in.start) && in.start.Before(p.opts.To) && in.end.After(p.opts.From) {
			p.busy = append(p.busy, planner.BusyInterval{Start: in.start, End: in.end, Tentative: tentative})
		}
	}
}

// busyState reads whether an event takes time, and whether only tentatively.
func busyState(ev *goical.Component) (busy, tentative bool) {
	status := upperText(ev, goical.PropStatus)
	if status == "CANCELLED" {
		return false, false
	}
	tentative = status == "TENTATIVE"
	allDay := isDate(ev.Props.Get(goical.PropDateTimeStart))
	switch upperText(ev, "X-MICROSOFT-CDO-BUSYSTATUS") {
	case "FREE", "WORKINGELSEWHERE":
		return false, false
	case "TENTATIVE":
		return true, true
	case "BUSY", "OOF":
		return true, tentative
	}
	switch upperText(ev, goical.PropTransparency) {
	case "TRANSPARENT":
		return false, false
	case "OPAQUE":
		return true, tentative
	}
	// Neither said: a timed event is opaque by RFC 5545; an all-day one is
	// taken as a marker of the day, not as busy.
	return !allDay, tentative
}

func upperText(ev *goical.Component, name string) string {
	p := ev.Props.Get(name)
	if p == nil {
		return ""
	}
	return strings.ToUpper(strings.TrimSpace(p.Value))
}

// isDate reports whether a DTSTART-like property holds a date without a time.
func isDate(p *goical.Prop) bool {
	if p == nil {
		return false
	}
	if t := p.Params.Get(goical.ParamValue); t != "" {
		return strings.EqualFold(t, string(goical.ValueDate))
	}
	return len(strings.TrimSpace(p.Value)) == len("20060102")
}

// when is a date-time value read: the instant, whether it was a DATE, and
// the zone it is in (the zone its recurrences are computed in).
type when struct {
	t    time.Time
	date bool
	loc  *time.Location
}

// timeOf reads one value of a date or date-time property: a DATE is
// midnight in Local, "…Z" is UTC, a TZID names its zone (an unknown one is
// read as Local), anything else is floating, in Local.
func (p *busyParser) timeOf(prop *goical.Prop, value string) (when, error) {
	value = strings.TrimSpace(value)
	loc := p.opts.Local
	if tzid := prop.Params.Get(goical.PropTimezoneID); tzid != "" && !strings.HasSuffix(value, "Z") {
		if l := p.zones.location(tzid); l != nil {
			loc = l
		}
	}
	date := strings.EqualFold(prop.Params.Get(goical.ParamValue), string(goical.ValueDate)) || len(value) == len("20060102")
	var t time.Time
	var err error
	switch {
	case date:
		t, err = time.ParseInLocation("20060102", value, p.opts.Local)
		loc = p.opts.Local
	case strings.HasSuffix(value, "Z"):
		t, err = time.Parse(utcLayout, value)
		loc = time.UTC
	default:
		t, err = time.ParseInLocation(localLayout, value, loc)
	}
	if err != nil {
		return when{}, fmt.Errorf("%s %q is not a date or a date and time", prop.Name, value)
	}
	return when{t: t, date: date, loc: loc}, nil
}

// instances lists the event's occurrences that start before To: one, or
// its series expanded, without those that overrides replace.
func (p *busyParser) instances(ev *goical.Component, overrides []*goical.Component) ([]instance, error) {
	startProp := ev.Props.Get(goical.PropDateTimeStart)
	if startProp == nil {
		return nil, errors.New("no DTSTART")
	}
	start, err := p.timeOf(startProp, startProp.Value)
	if err != nil {
		return nil, err
	}
	endOf, err := p.length(ev, start)
	if err != nil {
		return nil, err
	}
	rule := ev.Props.Get(goical.PropRecurrenceRule)
	if rule == nil && len(ev.Props.Values(goical.PropRecurrenceDates)) == 0 {
		return []instance{{start.t, endOf(start.t)}}, nil
	}

	// One recurrence set holds it all: the RRULE's occurrences, or DTSTART
	// alone, then the RDATEs added and the EXDATEs and overridden
	// occurrences taken out.
	set := &rrule.Set{}
	if rule != nil {
		if set, err = p.ruleSet(ev, start); err != nil {
			return nil, err
		}
	} else {
		set.RDate(start.t)
	}
	var exdates []time.Time
	for _, ex := range ev.Props.Values(goical.PropExceptionDates) {
		for _, v := range strings.Split(ex.Value, ",") {
			w, err := p.timeOf(&ex, v)
			if err != nil {
				return nil, err
			}
			exdates = append(exdates, w.t)
		}
	}
	for _, o := range overrides {
		rid := o.Props.Get(goical.PropRecurrenceID)
		if w, err := p.timeOf(rid, rid.Value); err == nil {
			exdates = append(exdates, w.t)
		}
	}
	for _, t := range exdates {
		set.ExDate(t)
	}
	// go-ical's recurrence set leaves RDATEs out, so they are added here; a
	// PERIOD carries its own end, which a set cannot, and stands apart.
	var out []instance
	for _, rd := range ev.Props.Values(goical.PropRecurrenceDates) {
		for _, v := range strings.Split(rd.Value, ",") {
			if s, e, ok := strings.Cut(v, "/"); ok || strings.EqualFold(rd.Params.Get(goical.ParamValue), "PERIOD") {
				in, err := p.period(&rd, s, e)
				if err != nil {
					return nil, err
				}
				if !slices.ContainsFunc(exdates, in.start.Equal) {
					out = append(out, in)
				}
				continue
			}
			w, err := p.timeOf(&rd, v)
			if err != nil {
				return nil, err
			}
			set.RDate(w.t)
		}
	}
	next := set.Iterator()
	for {
		t, ok := next()
		if !ok || !t.Before(p.opts.To) {
			break
		}
		if p.budget--; p.budget <= 0 {
			return nil, errors.New("too many occurrences")
		}
		out = append(out, instance{t, endOf(t)})
	}
	return out, nil
}

// length reads DTEND or DURATION and returns how an occurrence starting at
// a given time ends: an all-day event by whole days on the local calendar,
// a timed one after the same duration.
func (p *busyParser) length(ev *goical.Component, start when) (func(time.Time) time.Time, error) {
	days, dur := 0, time.Duration(0)
	switch endProp, durProp := ev.Props.Get(goical.PropDateTimeEnd), ev.Props.Get(goical.PropDuration); {
	case endProp != nil:
		end, err := p.timeOf(endProp, endProp.Value)
		if err != nil {
			return nil, err
		}
		if end.t.Before(start.t) {
			return nil, errors.New("DTEND is before DTSTART")
		}
		if start.date {
			days = dayNumber(end.t.In(p.opts.Local)) - dayNumber(start.t)
		} else {
			dur = end.t.Sub(start.t)
		}
	case durProp != nil:
		d, err := durProp.Duration()
		if err != nil || d < 0 {
			return nil, errors.New("DURATION is not a duration")
		}
		if start.date {
			days = int((d + 23*time.Hour) / (24 * time.Hour)) // P1D, or a duration in hours rounded up to days
		} else {
			dur = d
		}
	case start.date:
		days = 1 // RFC 5545: an all-day event without an end takes its day
	}
	if start.date {
		return func(t time.Time) time.Time {
			y, m, d := t.In(p.opts.Local).Date()
			return time.Date(y, m, d+days, 0, 0, 0, 0, p.opts.Local)
		}, nil
	}
	return func(t time.Time) time.Time { return t.Add(dur) }, nil
}

// dayNumber counts days on the calendar, so that a day with a
// daylight-saving change still counts as one.
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// period reads an RDATE;VALUE=PERIOD value: start/end or start/duration.
func (p *busyParser) period(prop *goical.Prop, s, e string) (instance, error) {
	start, err := p.timeOf(prop, s)
	if err != nil {
		return instance{}, err
	}
	if strings.HasPrefix(strings.TrimLeft(e, "+-"), "P") {
		dp := goical.Prop{Name: goical.PropDuration, Params: goical.Params{}, Value: e}
		d, err := dp.Duration()
		if err != nil || d < 0 {
			return instance{}, errors.New("RDATE period has no valid duration")
		}
		return instance{start.t, start.t.Add(d)}, nil
	}
	end, err := p.timeOf(prop, e)
	if err != nil || end.t.Before(start.t) {
		return instance{}, errors.New("RDATE period does not end after it starts")
	}
	return instance{start.t, end.t}, nil
}

// ruleSet makes the recurrence set of the event's RRULE through go-ical,
// computed in the zone of DTSTART so that a series keeps its local time
// across daylight-saving changes, and ends the rule at To at the latest.
func (p *busyParser) ruleSet(ev *goical.Component, start when) (*rrule.Set, error) {
	// go-ical reads DTSTART's TZID with time.LoadLocation, which knows no
	// Windows names, and EXDATE values one at a time: the copy carries the
	// zone as the location passed in, and the EXDATEs are the caller's.
	cp := *ev
	cp.Props = copyProps(ev.Props)
	cp.Props.Del(goical.PropExceptionDates)
	cp.Props.Del(goical.PropRecurrenceDates)
	ds := cp.Props.Get(goical.PropDateTimeStart)
	ds.Params.Del(goical.PropTimezoneID)
	if start.date {
		ds.Params.Set(goical.ParamValue, string(goical.ValueDate))
	}
	ds.Value = strings.TrimSpace(ds.Value)
	set, err := cp.RecurrenceSet(start.loc)
	if err != nil || set == nil || set.GetRRule() == nil {
		return nil, fmt.Errorf("RRULE cannot be read: %v", err)
	}
	rule := set.GetRRule()
	if rule.OrigOptions.Freq > rrule.DAILY {
		return nil, errors.New("RRULE repeats more often than daily")
	}
	// go-ical reads a local or date-only UNTIL as UTC; RFC 5545 means the
	// series' own zone, and a date-only UNTIL takes in that whole day.
	until := rule.OrigOptions.Until
	if raw := ruleUntil(cp.Props.Get(goical.PropRecurrenceRule).Value); raw != "" && !strings.HasSuffix(raw, "Z") {
		if t, err := time.ParseInLocation("20060102", raw, start.loc); err == nil {
			until = t.AddDate(0, 0, 1).Add(-time.Second)
		} else if t, err := time.ParseInLocation(localLayout, raw, start.loc); err == nil {
			until = t
		}
	}
	// Nothing at or after To is needed: ending the rule there bounds the work.
	if until.IsZero() || until.After(p.opts.To) {
		until = p.opts.To
	}
	rule.Until(until)
	return set, nil
}
