package ical_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

// instance is one slot occurrence as a calendar app shows it.
type instance struct {
	uid        string
	start, end time.Time
	summary    string
	desc       string
	seq        int
}

func (i instance) String() string {
	return fmt.Sprintf("%s %s–%s seq %d %q", i.uid, i.start.UTC().Format(time.RFC3339), i.end.UTC().Format("15:04"), i.seq, i.summary)
}

// expandSeries reads the weekly series as a calendar app does (the rule's
// instances, less the EXDATEs, with overriding events in their place) and
// returns the instances that start in [from, to). It also holds the series
// to their form: a weekly RRULE without end on DTSTART's weekday, EXDATEs
// and RECURRENCE-IDs on the rule, every override's master present.
func expandSeries(t *testing.T, c *calendar, from, to time.Time) []instance {
	t.Helper()
	masters := map[string]*goical.Component{}
	overrides := map[string]map[string]*goical.Component{}
	var order []string
	for _, ev := range c.events {
		uid := text(t, ev.Props, goical.PropUID)
		if r := ev.Props.Get(goical.PropRecurrenceRule); r != nil {
			if masters[uid] != nil {
				t.Fatalf("two series %s", uid)
			}
			if len(overrides[uid]) > 0 {
				t.Errorf("%s: an override comes before its series", uid)
			}
			masters[uid] = ev
			order = append(order, uid)
			continue
		}
		rid := ev.Props.Get(goical.PropRecurrenceID)
		if rid == nil {
			t.Fatalf("%s: a single event in a recurring export", uid)
		}
		if masters[uid] == nil {
			t.Errorf("%s: override before (or without) its series", uid)
		}
		if overrides[uid] == nil {
			overrides[uid] = map[string]*goical.Component{}
		}
		if overrides[uid][rid.Value] != nil {
			t.Errorf("%s: two overrides of %s", uid, rid.Value)
		}
		overrides[uid][rid.Value] = ev
	}

	var out []instance
	for _, uid := range order {
		m := masters[uid]
		startProp := m.Props.Get(goical.PropDateTimeStart)
		layout := "20060102T150405"
		if strings.HasSuffix(startProp.Value, "Z") {
			layout += "Z"
		}
		w0, err := time.Parse(layout, startProp.Value)
		if err != nil {
			t.Fatal(err)
		}
		wantRule := "FREQ=WEEKLY;BYDAY=" + strings.ToUpper(w0.Weekday().String()[:2])
		if r := one(t, m.Props, goical.PropRecurrenceRule); r != wantRule {
			t.Errorf("%s RRULE %q, want %q", uid, r, wantRule)
		}
		start0 := c.instant(t, startProp)
		dur := c.instant(t, m.Props.Get(goical.PropDateTimeEnd)).Sub(start0)
		mSummary := text(t, m.Props, goical.PropSummary)
		mDesc := text(t, m.Props, goical.PropDescription)
		mSeq := seq(t, m)
		checkAlarm(t, m, mSummary, "-PT10M")

		exdates := map[string]bool{}
		for _, p := range m.Props[goical.PropExceptionDates] {
			if p.Params.Get("TZID") != startProp.Params.Get("TZID") {
				t.Errorf("%s EXDATE %s: TZID differs from DTSTART's", uid, p.Value)
			}
			exdates[p.Value] = true
			c.instant(t, &p)
		}
		onRule := func(v string) bool {
			w, err := time.Parse(layout, v)
			return err == nil && !w.Before(w0) && w.Sub(w0)%(7*24*time.Hour) == 0
		}
		for v := range exdates {
			if !onRule(v) {
				t.Errorf("%s EXDATE %s is not an instance of the rule", uid, v)
			}
		}
		for v, ov := range overrides[uid] {
			if !onRule(v) || exdates[v] {
				t.Errorf("%s RECURRENCE-ID %s is not a live instance of the rule", uid, v)
			}
			if ov.Props.Get(goical.PropRecurrenceID).Params.Get("TZID") != startProp.Params.Get("TZID") {
				t.Errorf("%s RECURRENCE-ID %s: TZID differs from DTSTART's", uid, v)
			}
			checkAlarm(t, ov, text(t, ov.Props, goical.PropSummary), "-PT10M")
		}

		for w := w0; ; w = w.AddDate(0, 0, 7) {
			v := w.Format(layout)
			p := goical.NewProp(goical.PropDateTimeStart)
			p.Value = v
			if tz := startProp.Params.Get("TZID"); tz != "" {
				p.Params.Set("TZID", tz)
			}
			at := c.instant(t, p)
			if at.After(to.AddDate(0, 0, 60)) {
				break
			}
			if exdates[v] {
				continue
			}
			in := instance{uid: uid, start: at, end: at.Add(dur), summary: mSummary, desc: mDesc, seq: mSeq}
			if ov := overrides[uid][v]; ov != nil {
				in.start = c.instant(t, ov.Props.Get(goical.PropDateTimeStart))
				in.end = c.instant(t, ov.Props.Get(goical.PropDateTimeEnd))
				in.summary = text(t, ov.Props, goical.PropSummary)
				in.desc = text(t, ov.Props, goical.PropDescription)
				in.seq = seq(t, ov)
			}
			if !in.start.Before(from) && in.start.Before(to) {
				out = append(out, in)
			}
		}
	}
	slices.SortFunc(out, func(a, b instance) int {
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return strings.Compare(a.uid, b.uid)
	})
	return out
}

// checkSeries holds a recurring export to the single events of the same
// range: the same occurrences at the same times with the same texts.
func checkSeries(t *testing.T, s string, plan planner.SlotPlan, exc []planner.SlotException, posts []planner.Post, opt ical.Options) *calendar {
	t.Helper()
	c := readCalendar(t, s, 2045)
	want, err := ical.Events(plan, exc, posts, opt)
	if err != nil {
		t.Fatal(err)
	}
	weeks := opt.Weeks
	if weeks == 0 {
		weeks = ical.DefaultWeeks
	}
	loc := mustLoad(t, plan.TimeZone)
	from := opt.From.In(loc)
	got := expandSeries(t, c, from, from.AddDate(0, 0, 7*weeks))
	var wantIn []instance
	for _, e := range want {
		wantIn = append(wantIn, instance{uid: e.SlotID + "@kaiku", start: e.Start, end: e.End, summary: e.Summary, desc: e.Description})
	}
	slices.SortFunc(wantIn, func(a, b instance) int {
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return strings.Compare(a.uid, b.uid)
	})
	if len(got) != len(wantIn) {
		t.Errorf("series give %d occurrences, single events %d", len(got), len(wantIn))
	}
	for i := range min(len(got), len(wantIn)) {
		g, w := got[i], wantIn[i]
		if g.uid != w.uid || !g.start.Equal(w.start) || !g.end.Equal(w.end) || g.summary != w.summary || g.desc != w.desc {
			t.Errorf("occurrence %d:\n got %s\nwant %s", i, g, w)
		}
	}
	return c
}

func TestRecurring(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, hel) }
	upd := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	more := append(exceptions5(t),
		// planned before the range, moved into it
		planner.SlotException{OccurrenceID: "thu-write@2026-11-26", MoveTo: at(2026, 12, 2, 10, 0), Updated: upd},
		// planned in the range, moved to before it
		planner.SlotException{OccurrenceID: "tue-write@2026-12-15", MoveTo: at(2026, 11, 20, 9, 0), Updated: upd},
		// planned in the range, moved past its end
		planner.SlotException{OccurrenceID: "fri-converse@2026-12-25", MoveTo: at(2027, 1, 5, 14, 0), Updated: upd},
		// skipped long after the range
		planner.SlotException{OccurrenceID: "mon-follow@2027-06-07", Skip: true, Updated: upd},
		// names a slot the plan no longer has
		planner.SlotException{OccurrenceID: "gone@2026-12-02", Skip: true, Updated: upd},
	)
	laterPost := planner.Post{ID: "p3", OccurrenceID: "wed-share@2027-02-03", Text: "Helmikuun jako", Status: planner.StatusDraft,
		Updated: upd}

	for _, tc := range []struct {
		name     string
		exc      []planner.SlotException
		posts    []planner.Post
		from     time.Time
		weeks    int
		utc      bool
		contains []string
		lacks    []string
	}{
		{name: "plain", from: at(2026, 11, 30, 0, 0), contains: []string{
			"DTSTART;TZID=Europe/Helsinki:20261130T083000\r\n", "RRULE:FREQ=WEEKLY;BYDAY=MO\r\n", "UID:mon-follow@kaiku\r\n",
		}, lacks: []string{"EXDATE", "RECURRENCE-ID", "UNTIL", "COUNT"}},
		{name: "skips moves posts", exc: exceptions5(t), posts: posts5(), from: at(2026, 11, 30, 0, 0), contains: []string{
			"EXDATE;TZID=Europe/Helsinki:20261207T083000\r\n",
			"RECURRENCE-ID;TZID=Europe/Helsinki:20261211T140000\r\n", "DTSTART;TZID=Europe/Helsinki:20261210T153000\r\n",
			"RECURRENCE-ID;TZID=Europe/Helsinki:20261201T090000\r\n", "RECURRENCE-ID;TZID=Europe/Helsinki:20261209T120000\r\n",
		}},
		{name: "moves across the range's ends", exc: more, posts: append(posts5(), laterPost), from: at(2026, 11, 30, 0, 0), contains: []string{
			"DTSTART;TZID=Europe/Helsinki:20261126T100000\r\n",       // the series starts at the moved-in occurrence
			"RECURRENCE-ID;TZID=Europe/Helsinki:20261126T100000\r\n", // which is an override
			"EXDATE;TZID=Europe/Helsinki:20261215T090000\r\n",        // moved out before the range
			"RECURRENCE-ID;TZID=Europe/Helsinki:20261225T140000\r\n", // moved past the end: still an override
			"DTSTART;TZID=Europe/Helsinki:20270105T140000\r\n",
			"EXDATE;TZID=Europe/Helsinki:20270607T083000\r\n",        // a later skip
			"RECURRENCE-ID;TZID=Europe/Helsinki:20270203T120000\r\n", // a later post
		}, lacks: []string{"gone@"}},
		{name: "from mid-week", from: at(2026, 12, 2, 13, 0), weeks: 2, contains: []string{
			"DTSTART;TZID=Europe/Helsinki:20261209T120000\r\n", // Wednesday's 12:00 has passed
			"DTSTART;TZID=Europe/Helsinki:20261203T100000\r\n",
		}},
		{name: "utc option keeps the zone", from: at(2026, 11, 30, 0, 0), utc: true, contains: []string{
			"DTSTART;TZID=Europe/Helsinki:20261130T083000\r\n", "BEGIN:VTIMEZONE",
		}},
		{name: "a year", exc: exceptions5(t), posts: posts5(), from: at(2026, 11, 30, 0, 0), weeks: 52},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := options(t, "en")
			opt.Recurring, opt.From, opt.Weeks, opt.UTC = true, tc.from, tc.weeks, tc.utc
			s := export(t, plan5(), tc.exc, tc.posts, opt)
			c := checkSeries(t, s, plan5(), tc.exc, tc.posts, opt)
			raw := unfold(s)
			for _, w := range tc.contains {
				if !strings.Contains(raw, w) {
					t.Errorf("the export lacks %q", w)
				}
			}
			for _, w := range tc.lacks {
				if strings.Contains(raw, w) {
					t.Errorf("the export holds %q", w)
				}
			}
			// The series need the zone's rules for every year to come.
			c.tz.checkZone(t, hel, tc.from, tc.from.AddDate(10, 0, 0))
		})
	}
}

func TestRecurringSequence(t *testing.T) {
	opt := options(t, "en")
	opt.Recurring = true
	first := uidSeq(t, export(t, plan5(), exceptions5(t), posts5(), opt))
	skip := planner.SlotException{OccurrenceID: "tue-write@2026-12-08", Skip: true, Updated: now5.Add(time.Hour)}
	editedPost := posts5()
	editedPost[1].Parts[0] = "Ketju alkaa uudestaan 🧵"
	editedPost[1].Updated = now5.Add(2 * time.Hour)
	second := uidSeq(t, export(t, plan5(), append(exceptions5(t), skip), editedPost, opt))
	for uid, s1 := range first {
		s2 := second[uid]
		switch uid {
		case "tue-write@kaiku", "wed-share@kaiku 20261209T120000":
			if s2 <= s1 {
				t.Errorf("%s SEQUENCE %d then %d, want growth", uid, s1, s2)
			}
		default:
			if s1 != s2 {
				t.Errorf("%s SEQUENCE %d then %d, want the same", uid, s1, s2)
			}
		}
	}
}
