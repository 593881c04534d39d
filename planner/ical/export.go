package ical

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/kaiku-app/kaiku/planner"
)

// Range limits, in weeks.
const (
	DefaultWeeks = 4
	MaxWeeks     = 52
)

// ProductID names Kaiku as the file's maker (PRODID).
const ProductID = "-//Kaiku//Kaiku slot plan//EN"

// UIDSuffix follows the occurrence or slot ID in a UID.
const UIDSuffix = "@kaiku"

// SequenceEpoch is the zero of SEQUENCE: see Sequence.
var SequenceEpoch = time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)

// Errors the caller can show; both unwrap to planner.ErrInvalid and carry a
// translation key.
var (
	ErrWeeks = &planner.InvalidError{Field: "weeks", Key: KeyErrorWeeks, Msg: "export from 1 to 52 weeks"}
	ErrEmpty = &planner.InvalidError{Field: "range", Key: KeyErrorEmpty, Msg: "no slots to export in the range"}
	// ErrNoSlots: the plan has no slots at all yet.
	ErrNoSlots = &planner.InvalidError{Field: "plan", Key: KeyErrorNoSlots, Msg: "there are no slots to export yet"}
)

// Options say what to export and how.
type Options struct {
	// From is where the range starts (occurrences that start at or after it);
	// zero means Now.
	From time.Time
	// Weeks is the range's length: 0 means DefaultWeeks, at most MaxWeeks.
	// The end is the same local clock time in the plan's zone Weeks*7 days on.
	Weeks int
	// Recurring writes each slot as a weekly series without end instead of
	// one event per occurrence; skips, moves and posts handed in go in as
	// EXDATEs and overriding events, also past the range.
	Recurring bool
	// ReminderMinutes is how long before each slot the reminder fires:
	// pass Settings.ReminderMinutes (planner.DefaultSettings has 10); 0
	// fires at the start.
	ReminderMinutes int
	// CalendarName names the calendar; empty means the translated default.
	CalendarName string
	// Now is the export's time stamp (DTSTAMP); zero means time.Now.
	Now time.Time
	// Translate gives the texts in the user's language; required.
	Translate TranslateFunc
	// UTC writes single events' times in UTC instead of the plan's zone.
	// Series keep the zone, so that they follow its daylight-saving changes.
	UTC bool
	// ComposeURL, when set, gives a network's own composer prefilled with
	// text: each scheduled post that must be posted by hand then goes in as
	// an event of its own at its time, with its text and these links, since
	// nothing else reminds the user of it.
	ComposeURL func(n planner.Network, text string) (string, error)
}

// handPostMinutes is the length of a post-by-hand event.
const handPostMinutes = 15

// Event is one slot occurrence as a calendar shows it: what Export writes
// for it, and what the calendar links need.
type Event struct {
	UID          string // OccurrenceID + UIDSuffix
	OccurrenceID string
	SlotID       string
	// Start and End are in the plan's zone.
	Start, End  time.Time
	Summary     string
	Description string
	Categories  []string
	// Sequence is the SEQUENCE, from Changed (see Sequence).
	Sequence int
	// Changed is the latest change behind the event; zero when none is known.
	Changed time.Time
	Purpose planner.Purpose
	Role    planner.Role
	// PostIDs are the posts filling the occurrence, the first one's line in Summary.
	PostIDs []string
	Moved   bool
	Shifted bool
}

// Sequence is the SEQUENCE of an event whose latest change is changed: whole
// minutes since SequenceEpoch, 0 for no change (zero time) or one before it.
func Sequence(changed time.Time) int {
	if !changed.After(SequenceEpoch) {
		return 0
	}
	// In seconds, not a Duration: that saturates after 292 years.
	m := (changed.Unix() - SequenceEpoch.Unix()) / 60
	if m > math.MaxInt32 {
		m = math.MaxInt32 // SEQUENCE is a 32-bit INTEGER
	}
	return int(m)
}

// Events returns the plan's occurrences in the range as events, in order of
// start. Posts fill the occurrence their OccurrenceID names.
func Events(plan planner.SlotPlan, exceptions []planner.SlotException, posts []planner.Post, opt Options) ([]Event, error) {
	b, err := newBuilder(plan, exceptions, posts, opt)
	if err != nil {
		return nil, err
	}
	occ, err := plan.Occurrences(b.from, b.to, exceptions)
	if err != nil {
		return nil, fmt.Errorf("slot occurrences: %w", err)
	}
	out := make([]Event, len(occ))
	for i, o := range occ {
		out[i] = b.event(o)
	}
	return out, nil
}

// ExportFrom writes the calendar of the user's plan to w as Export does,
// reading from store what goes in: the active plan (ErrNoSlots when it has
// none), its exceptions, the posts around the range, and the reminder from
// the settings, which replaces opt.ReminderMinutes. The window's export and
// `kaiku export-ics` both come here.
func ExportFrom(ctx context.Context, store planner.Store, w io.Writer, opt Options) error {
	from := opt.From
	if from.IsZero() {
		from = opt.Now
	}
	if from.IsZero() {
		from = time.Now()
	}
	weeks := opt.Weeks
	if weeks == 0 {
		weeks = DefaultWeeks
	}
	plan, err := planner.ActivePlan(ctx, store, from.Location())
	if err != nil {
		return err
	}
	if len(plan.Slots) == 0 {
		return ErrNoSlots
	}
	xs, err := store.Exceptions(ctx)
	if err != nil {
		return err
	}
	posts, err := store.PostsBetween(ctx, from.AddDate(0, 0, -1), from.AddDate(0, 0, 7*weeks+1))
	if err != nil {
		return err
	}
	settings, err := store.Settings(ctx)
	if err != nil {
		return err
	}
	opt.ReminderMinutes = settings.ReminderMinutes
	return Export(w, plan, xs, posts, opt)
}

// Export writes the plan's calendar to w. It fails with ErrEmpty when there is
// nothing to put in it (go-ical writes no empty calendar, and neither do
// calendar apps want one).
func Export(w io.Writer, plan planner.SlotPlan, exceptions []planner.SlotException, posts []planner.Post, opt Options) error {
	b, err := newBuilder(plan, exceptions, posts, opt)
	if err != nil {
		return err
	}
	var events []*goical.Component
	if opt.Recurring {
		events, err = b.series()
	} else {
		events, err = b.single()
	}
	if err != nil {
		return err
	}
	events = append(events, b.handPosts()...)
	if len(events) == 0 {
		return ErrEmpty
	}

	cal := goical.NewCalendar()
	setValue(cal.Props, goical.PropVersion, "2.0")
	setValue(cal.Props, goical.PropProductID, ProductID)
	setValue(cal.Props, goical.PropCalendarScale, "GREGORIAN")
	setValue(cal.Props, goical.PropMethod, "PUBLISH")
	name := cleanText(opt.CalendarName)
	if strings.TrimSpace(name) == "" {
		name = b.tx.t(KeyCalendarName, nil)
	}
	setText(cal.Props, goical.PropName, name)
	setText(cal.Props, "X-WR-CALNAME", name)
	setText(cal.Props, "X-WR-TIMEZONE", b.loc.String())
	if b.tzid != "" && !b.lo.IsZero() { // lo stays zero when no time needed the zone
		// Before the events: some importers read a zone only once they know it.
		cal.Children = append(cal.Children, vtimezone(b.loc, b.tzid, b.lo, b.hi, opt.Recurring))
	}
	cal.Children = append(cal.Children, events...)

	bw := bufio.NewWriterSize(w, 64<<10)
	if err := goical.NewEncoder(newFoldWriter(bw)).Encode(cal); err != nil {
		return fmt.Errorf("encode calendar: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

// builder holds one export's resolved options and indexes.
type builder struct {
	plan      planner.SlotPlan
	loc       *time.Location
	tzid      string // "" writes UTC
	from, to  time.Time
	now       time.Time
	reminder  int
	tx        *texts
	slots     map[string]planner.Slot
	exChanged map[string]time.Time      // occurrence ID -> latest exception update
	posts     map[string][]planner.Post // occurrence ID -> posts filling it
	escCache  map[string]string
	exc       []planner.SlotException
	allPosts  []planner.Post
	compose   func(planner.Network, string) (string, error)
	// lo and hi bound the date-times written with TZID, for the VTIMEZONE.
	lo, hi time.Time
	// stamp (DTSTAMP) and trigger (the alarm's) are the same in every event,
	// and so are the parameters of a date-time with TZID.
	stamp, trigger string
	tzParams       goical.Params
}

func newBuilder(plan planner.SlotPlan, exceptions []planner.SlotException, posts []planner.Post, opt Options) (*builder, error) {
	if opt.Translate == nil {
		return nil, errors.New("ical: Options.Translate is nil")
	}
	weeks := opt.Weeks
	if weeks == 0 {
		weeks = DefaultWeeks
	}
	if weeks < 1 || weeks > MaxWeeks {
		return nil, ErrWeeks
	}
	if opt.ReminderMinutes < 0 || opt.ReminderMinutes > planner.MaxReminderMinutes {
		return nil, &planner.InvalidError{Field: "reminder_minutes", Key: "error.reminder",
			Msg: "the reminder is from 0 minutes to a week before"}
	}
	if err := plan.Validate(); err != nil {
		return nil, fmt.Errorf("slot plan: %w", err)
	}
	loc, err := plan.Location()
	if err != nil {
		return nil, fmt.Errorf("slot plan: %w", err)
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Second)
	from := opt.From
	if from.IsZero() {
		from = now
	}
	from = from.In(loc)
	b := &builder{
		plan: plan, loc: loc, from: from, to: from.AddDate(0, 0, 7*weeks), now: now,
		reminder: opt.ReminderMinutes,
		tx:       &texts{tr: opt.Translate, slots: map[string]*slotTexts{}},
		slots:    make(map[string]planner.Slot, len(plan.Slots)),
		exc:      exceptions, allPosts: posts, escCache: map[string]string{}, compose: opt.ComposeURL,
	}
	// Series keep the zone even with UTC set: a weekly rule in UTC would
	// drift an hour at each daylight-saving change. A zone is only named
	// when it is a real IANA zone, never "Local".
	useZone := !opt.UTC || opt.Recurring
	if name := loc.String(); useZone && !isUTC(loc, from) && name != "" && name != "Local" {
		b.tzid = name
	}
	b.stamp, b.trigger = now.Format(utcLayout), trigger(b.reminder)
	if b.tzid != "" {
		b.tzParams = goical.Params{goical.PropTimezoneID: {b.tzid}}
	}
	for _, s := range plan.Slots {
		b.slots[s.ID] = s
	}
	b.exChanged = make(map[string]time.Time, len(exceptions))
	for _, x := range exceptions {
		if cur, ok := b.exChanged[x.OccurrenceID]; !ok || x.Updated.After(cur) {
			b.exChanged[x.OccurrenceID] = x.Updated
		}
	}
	b.posts = make(map[string][]planner.Post)
	for _, p := range posts {
		if p.OccurrenceID != "" {
			b.posts[p.OccurrenceID] = append(b.posts[p.OccurrenceID], p)
		}
	}
	for _, ps := range b.posts {
		// The post that goes out first names the event; ties by ID keep exports equal.
		slices.SortFunc(ps, func(a, c planner.Post) int {
			if d := a.Time.Compare(c.Time); d != 0 {
				return d
			}
			return strings.Compare(a.ID, c.ID)
		})
	}
	return b, nil
}

// event describes one occurrence.
func (b *builder) event(o planner.Occurrence) Event {
	st := b.tx.forOccurrence(o)
	ps := b.posts[o.ID]
	changed := b.slots[o.SlotID].Changed
	if x := b.exChanged[o.ID]; x.After(changed) {
		changed = x
	}
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		if p.Updated.After(changed) {
			changed = p.Updated
		}
		ids = append(ids, p.ID)
	}
	summary, desc := b.tx.withPosts(st, ps)
	return Event{
		UID: o.ID + UIDSuffix, OccurrenceID: o.ID, SlotID: o.SlotID,
		Start: o.Start.In(b.loc), End: o.End.In(b.loc),
		Summary: summary, Description: desc, Categories: slices.Clone(st.categories),
		Sequence: Sequence(changed), Changed: changed,
		Purpose: o.Purpose, Role: o.Role, PostIDs: ids, Moved: o.Moved, Shifted: o.Shifted,
	}
}

// single is one VEVENT per occurrence in the range.
func (b *builder) single() ([]*goical.Component, error) {
	occ, err := b.plan.Occurrences(b.from, b.to, b.exc)
	if err != nil {
		return nil, fmt.Errorf("slot occurrences: %w", err)
	}
	out := make([]*goical.Component, 0, len(occ))
	for _, o := range occ {
		ev := b.event(o)
		c := b.component(ev)
		b.setTime(c.Props, goical.PropDateTimeStart, ev.Start)
		b.setTime(c.Props, goical.PropDateTimeEnd, ev.End)
		out = append(out, c)
	}
	return out, nil
}

// component is the VEVENT of an event, without its times.
func (b *builder) component(ev Event) *goical.Component {
	f := newFiller(goical.CompEvent, eventProps)
	f.set(goical.PropUID, escapeText(ev.UID))
	f.set(goical.PropDateTimeStamp, b.stamp)
	f.set(goical.PropSequence, strconv.Itoa(ev.Sequence))
	if !ev.Changed.IsZero() {
		f.set(goical.PropLastModified, ev.Changed.UTC().Format(utcLayout))
	}
	summary := b.escaped(ev.Summary)
	f.set(goical.PropSummary, summary)
	f.set(goical.PropDescription, b.escaped(ev.Description))
	cats := make([]string, len(ev.Categories))
	for i, cat := range ev.Categories {
		cats[i] = escapeText(cat)
	}
	f.set(goical.PropCategories, strings.Join(cats, ","))
	f.set(goical.PropStatus, "CONFIRMED")
	// Drafts may hold what is not public yet: a shared calendar shows only "busy".
	f.set(goical.PropClass, "PRIVATE")
	f.c.Children = []*goical.Component{b.alarm(summary)}
	return f.c
}

// eventProps is how many properties an event has at most: those component
// sets, its start and end, and its rule or recurrence ID and exceptions.
const eventProps = 14

// filler sets the properties of one component, a thousand of which make a
// year's calendar: its map made with room for them all and their values in
// one array, where Props.Set grows the map and makes a slice for each.
type filler struct {
	c   *goical.Component
	buf []goical.Prop
}

func newFiller(name string, n int) filler {
	return filler{c: &goical.Component{Name: name, Props: make(goical.Props, n)}, buf: make([]goical.Prop, 0, n)}
}

// set sets the property to value, as Props.Set does.
func (f *filler) set(name, value string) {
	f.buf = append(f.buf, goical.Prop{Name: name, Value: value})
	n := len(f.buf)
	f.c.Props[name] = f.buf[n-1 : n : n]
}

// alarm is the reminder; summary is escaped already.
func (b *builder) alarm(summary string) *goical.Component {
	f := newFiller(goical.CompAlarm, 3)
	f.set(goical.PropAction, "DISPLAY")
	f.set(goical.PropDescription, summary)
	f.set(goical.PropTrigger, b.trigger)
	return f.c
}

// trigger writes the reminder lead as a negative duration before the start.
func trigger(minutes int) string {
	switch {
	case minutes == 0:
		return "PT0S"
	case minutes%(24*60) == 0:
		return "-P" + strconv.Itoa(minutes/(24*60)) + "D"
	case minutes%60 == 0:
		return "-PT" + strconv.Itoa(minutes/60) + "H"
	}
	return "-PT" + strconv.Itoa(minutes) + "M"
}

// setTime writes a date-time property: in UTC, or as local time with TZID
// (never go-ical's SetDateTime, which would name time.Local "Local").
func (b *builder) setTime(props goical.Props, name string, t time.Time) {
	props.Add(b.timeProp(name, t))
}

func (b *builder) timeProp(name string, t time.Time) *goical.Prop {
	p := &goical.Prop{Name: name}
	// A local time that happens twice is read as the first; the second (an
	// end after the clocks went back) can only be written in UTC.
	if b.tzid == "" || !readsBack(t, b.loc) {
		p.Value = t.UTC().Format(utcLayout)
		return p
	}
	b.cover(t)
	p.Params = b.tzParams // shared: nothing changes it once made
	p.Value = t.In(b.loc).Format(localLayout)
	return p
}

// nominalProp writes a slot's planned local date and clock time as such,
// even where that time does not exist (a daylight-saving gap): it names an
// instance of a series, which calendar apps compute the same way.
func (b *builder) nominalProp(name string, date civil, clock planner.ClockTime) *goical.Prop {
	p := goical.NewProp(name)
	wall := time.Date(date.y, date.m, date.d, clock.Hour, clock.Minute, 0, 0, time.UTC)
	if b.tzid == "" {
		// Only a zone that is UTC gets here in a series: the wall time is UTC.
		p.Value = wall.Format(utcLayout)
		return p
	}
	b.cover(rfcInstant(date, clock, b.loc))
	p.Params.Set(goical.PropTimezoneID, b.tzid)
	p.Value = wall.Format(localLayout)
	return p
}

// readsBack reports whether t's local clock time names t again as RFC 5545
// reads a local time: the first instant that shows it.
func readsBack(t time.Time, loc *time.Location) bool {
	l := t.In(loc)
	first, shifted := planner.WallTime(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), loc)
	return !shifted && first.Add(time.Duration(l.Second())*time.Second).Equal(t.Truncate(time.Second))
}

func (b *builder) cover(t time.Time) {
	if b.lo.IsZero() || t.Before(b.lo) {
		b.lo = t
	}
	if t.After(b.hi) {
		b.hi = t
	}
}

// setText writes an escaped TEXT value. Unlike go-ical's SetText it adds no
// VALUE=TEXT to properties go-ical does not know (X-WR-CALNAME): TEXT is
// their default, and some importers stumble on the parameter.
func setText(props goical.Props, name, value string) {
	setValue(props, name, escapeText(value))
}

// escapeText escapes a TEXT value as go-ical's SetText does, byte by byte:
// every character it escapes is ASCII, so UTF-8 passes through whole.
func escapeText(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\', ';', ',', '\n':
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+n)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// escaped memoizes escapeText: a slot's long description recurs in each of
// its occurrences.
func (b *builder) escaped(s string) string {
	if e, ok := b.escCache[s]; ok {
		return e
	}
	e := escapeText(s)
	b.escCache[s] = e
	return e
}

func setValue(props goical.Props, name, value string) {
	props.Set(&goical.Prop{Name: name, Value: value}) // no Params map: most properties have none
}

// handPosts are events for the scheduled posts in the range that go to a
// network by hand: the post's text and a link to each network's composer.
func (b *builder) handPosts() []*goical.Component {
	if b.compose == nil {
		return nil
	}
	var out []*goical.Component
	for _, p := range b.allPosts {
		if p.Status != planner.StatusScheduled || p.Time.Before(b.from) || !p.Time.Before(b.to) {
			continue
		}
		var names, links []string
		for _, t := range p.Targets {
			if t.AccountID != "" || slices.Contains(names, t.Network.DisplayName()) {
				continue
			}
			u, err := b.compose(t.Network, planner.JoinParts(p.TextsFor(t.Network)))
			if err != nil {
				continue
			}
			names = append(names, t.Network.DisplayName())
			links = append(links, b.tx.t(KeyHandLink, map[string]any{"Network": t.Network.DisplayName(), "Link": u}))
		}
		if len(names) == 0 {
			continue
		}
		ev := Event{
			UID: "post-" + p.ID + UIDSuffix, Start: p.Time.In(b.loc), End: p.Time.Add(handPostMinutes * time.Minute).In(b.loc),
			Summary:     b.tx.t(KeyHandSummary, map[string]any{"Networks": strings.Join(names, ", "), "Line": p.FirstLine()}),
			Description: p.Text + "\n\n" + strings.Join(links, "\n"),
			Sequence:    Sequence(p.Updated), Changed: p.Updated, PostIDs: []string{p.ID},
		}
		c := b.component(ev)
		b.setTime(c.Props, goical.PropDateTimeStart, ev.Start)
		b.setTime(c.Props, goical.PropDateTimeEnd, ev.End)
		out = append(out, c)
	}
	return out
}
