package planner_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s not available: %v", name, err)
	}
	return loc
}

func slot(id string, d time.Weekday, hh, mm, minutes int, p planner.Purpose) planner.Slot {
	return planner.Slot{ID: id, Weekday: d, Start: planner.ClockTime{Hour: hh, Minute: mm}, Minutes: minutes, Purpose: p, Role: planner.RoleInforming}
}

// describe writes occurrences as "ID start(RFC3339) minutes [moved] [shifted]" lines for comparison.
func describe(occ []planner.Occurrence) string {
	var b strings.Builder
	for _, o := range occ {
		fmt.Fprintf(&b, "%s %s %d", o.ID, o.Start.Format(time.RFC3339), int(o.End.Sub(o.Start).Minutes()))
		if o.Moved {
			b.WriteString(" moved")
		}
		if o.Shifted {
			b.WriteString(" shifted")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func lines(s ...string) string { return strings.Join(s, "\n") + "\n" }

func TestOccurrences(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	week := func(s string) (time.Time, time.Time) {
		from, err := planner.ParseISOWeek(s, hel)
		if err != nil {
			t.Fatal(err)
		}
		return from, from.AddDate(0, 0, 7)
	}
	weekly := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		slot("fri", time.Friday, 14, 0, 20, planner.PurposeConverse),
		slot("mon", time.Monday, 9, 0, 30, planner.PurposeWrite),
		slot("wed", time.Wednesday, 12, 0, 15, planner.PurposeShare),
		slot("wed2", time.Wednesday, 12, 0, 15, planner.PurposeFollow),
	}}
	sunday := func(slots ...planner.Slot) planner.SlotPlan {
		return planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: slots}
	}
	w49from, w49to := week("2026-W49")
	tests := []struct {
		name     string
		plan     planner.SlotPlan
		from, to time.Time
		exc      []planner.SlotException
		want     string
	}{
		{
			name: "normal week, sorted by start then ID", plan: weekly, from: w49from, to: w49to,
			want: lines(
				"mon@2026-11-30 2026-11-30T09:00:00+02:00 30",
				"wed@2026-12-02 2026-12-02T12:00:00+02:00 15",
				"wed2@2026-12-02 2026-12-02T12:00:00+02:00 15",
				"fri@2026-12-04 2026-12-04T14:00:00+02:00 20"),
		},
		{
			name: "a summer week", plan: weekly, from: week1("2026-W27", hel), to: week1("2026-W27", hel).AddDate(0, 0, 3),
			want: lines(
				"mon@2026-06-29 2026-06-29T09:00:00+03:00 30",
				"wed@2026-07-01 2026-07-01T12:00:00+03:00 15",
				"wed2@2026-07-01 2026-07-01T12:00:00+03:00 15"),
		},
		{
			name: "range is half open", plan: weekly,
			from: time.Date(2026, 11, 30, 9, 0, 0, 0, hel), to: time.Date(2026, 12, 2, 12, 0, 0, 0, hel),
			want: lines("mon@2026-11-30 2026-11-30T09:00:00+02:00 30"),
		},
		{
			name: "range given in UTC", plan: weekly,
			from: time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC), to: time.Date(2026, 11, 30, 7, 0, 1, 0, time.UTC),
			want: lines("mon@2026-11-30 2026-11-30T09:00:00+02:00 30"),
		},
		{
			name: "spring forward: 03:30 does not exist, the slot starts at 04:00 EEST",
			plan: sunday(
				slot("a", time.Sunday, 2, 30, 30, planner.PurposeFollow),
				slot("b", time.Sunday, 3, 0, 30, planner.PurposeWrite),
				slot("c", time.Sunday, 3, 30, 60, planner.PurposeWrite),
				slot("d", time.Sunday, 4, 0, 30, planner.PurposeShare),
				slot("e", time.Sunday, 4, 30, 30, planner.PurposeConverse)),
			from: time.Date(2026, 3, 29, 0, 0, 0, 0, hel), to: time.Date(2026, 3, 30, 0, 0, 0, 0, hel),
			want: lines(
				"a@2026-03-29 2026-03-29T02:30:00+02:00 30",
				"b@2026-03-29 2026-03-29T04:00:00+03:00 30 shifted",
				"c@2026-03-29 2026-03-29T04:00:00+03:00 60 shifted",
				"d@2026-03-29 2026-03-29T04:00:00+03:00 30",
				"e@2026-03-29 2026-03-29T04:30:00+03:00 30"),
		},
		{
			name: "fall back: 03:00-04:00 happens twice, the slot happens once, at the first",
			plan: sunday(
				slot("a", time.Sunday, 2, 59, 30, planner.PurposeFollow),
				slot("b", time.Sunday, 3, 0, 30, planner.PurposeWrite),
				slot("c", time.Sunday, 3, 30, 60, planner.PurposeWrite),
				slot("d", time.Sunday, 4, 0, 30, planner.PurposeShare)),
			from: time.Date(2026, 10, 25, 0, 0, 0, 0, hel), to: time.Date(2026, 10, 26, 0, 0, 0, 0, hel),
			want: lines(
				"a@2026-10-25 2026-10-25T02:59:00+03:00 30",
				"b@2026-10-25 2026-10-25T03:00:00+03:00 30",
				"c@2026-10-25 2026-10-25T03:30:00+03:00 60",
				"d@2026-10-25 2026-10-25T04:00:00+02:00 30"),
		},
		{
			name: "fall back, the range starting between the two 03:30s",
			plan: sunday(slot("c", time.Sunday, 3, 30, 60, planner.PurposeWrite)),
			from: time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), to: time.Date(2026, 10, 26, 0, 0, 0, 0, hel),
			want: "",
		},
		{
			name: "a whole week across the spring change",
			plan: sunday(slot("c", time.Sunday, 3, 30, 60, planner.PurposeWrite), slot("m", time.Monday, 3, 30, 60, planner.PurposeWrite)),
			from: week1("2026-W13", hel), to: week1("2026-W14", hel),
			want: lines(
				"m@2026-03-23 2026-03-23T03:30:00+02:00 60",
				"c@2026-03-29 2026-03-29T04:00:00+03:00 60 shifted"),
		},
		{
			name: "skip and move", plan: weekly, from: w49from, to: w49to,
			exc: []planner.SlotException{
				{OccurrenceID: "mon@2026-11-30", Skip: true},
				{OccurrenceID: "wed@2026-12-02", MoveTo: time.Date(2026, 12, 3, 16, 0, 0, 0, hel)},
				{OccurrenceID: "fri@2026-12-04", MoveTo: time.Date(2026, 12, 7, 10, 0, 0, 0, hel)},     // out of the week
				{OccurrenceID: "mon@2026-11-23", MoveTo: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}, // in from the week before
				{OccurrenceID: "gone@2026-12-01", Skip: true},                                          // a slot no longer there
				{OccurrenceID: "mon@2026-12-01", MoveTo: time.Date(2026, 12, 5, 8, 0, 0, 0, hel)},      // not a Monday
			},
			want: lines(
				"mon@2026-11-23 2026-12-01T10:00:00+02:00 30 moved",
				"wed2@2026-12-02 2026-12-02T12:00:00+02:00 15",
				"wed@2026-12-02 2026-12-03T16:00:00+02:00 15 moved"),
		},
		{
			name: "the latest exception for an occurrence wins", plan: weekly, from: w49from, to: w49to,
			exc: []planner.SlotException{
				{OccurrenceID: "mon@2026-11-30", Skip: true, Updated: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
				{OccurrenceID: "mon@2026-11-30", MoveTo: time.Date(2026, 11, 30, 11, 0, 0, 0, hel), Updated: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)},
				{OccurrenceID: "wed@2026-12-02", MoveTo: time.Date(2026, 12, 2, 8, 0, 0, 0, hel), Updated: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)},
				{OccurrenceID: "wed@2026-12-02", Skip: true, Updated: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)},
			},
			want: lines(
				"mon@2026-11-30 2026-11-30T11:00:00+02:00 30 moved",
				"wed2@2026-12-02 2026-12-02T12:00:00+02:00 15",
				"fri@2026-12-04 2026-12-04T14:00:00+02:00 20"),
		},
		{name: "empty range", plan: weekly, from: w49to, to: w49from, want: ""},
		{name: "no slots", plan: sunday(), from: w49from, to: w49to, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			occ, err := tt.plan.Occurrences(tt.from, tt.to, tt.exc)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(occ); got != tt.want {
				t.Errorf("got\n%swant\n%s", got, tt.want)
			}
			for _, o := range occ {
				if o.Start.Location().String() != "Europe/Helsinki" {
					t.Errorf("%s is in %s", o.ID, o.Start.Location())
				}
				if slotID, date, ok := planner.ParseOccurrenceID(o.ID); !ok || slotID != o.SlotID || date != o.Date {
					t.Errorf("ID %s does not match slot %s date %s", o.ID, o.SlotID, o.Date)
				}
			}
		})
	}
}

func week1(s string, loc *time.Location) time.Time {
	t, err := planner.ParseISOWeek(s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func TestOccurrencesOtherZones(t *testing.T) {
	tests := []struct {
		zone     string
		slot     planner.Slot
		from, to string // local dates
		want     string
	}{
		// Havana springs forward at midnight: 00:30 does not exist.
		{"America/Havana", slot("h", time.Sunday, 0, 30, 30, planner.PurposeWrite), "2026-03-08", "2026-03-09",
			lines("h@2026-03-08 2026-03-08T01:00:00-04:00 30 shifted")},
		// and falls back at 01:00 to 00:00: 00:30 happens twice.
		{"America/Havana", slot("h", time.Sunday, 0, 30, 30, planner.PurposeWrite), "2026-11-01", "2026-11-02",
			lines("h@2026-11-01 2026-11-01T00:30:00-04:00 30")},
		{"UTC", slot("u", time.Tuesday, 23, 45, 30, planner.PurposeWrite), "2026-12-01", "2026-12-02",
			lines("u@2026-12-01 2026-12-01T23:45:00Z 30")},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.from, func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			from, _ := time.ParseInLocation(planner.DateLayout, tt.from, loc)
			to, _ := time.ParseInLocation(planner.DateLayout, tt.to, loc)
			p := planner.SlotPlan{ID: "p", TimeZone: tt.zone, Slots: []planner.Slot{tt.slot}}
			occ, err := p.Occurrences(from, to, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(occ); got != tt.want {
				t.Errorf("got\n%swant\n%s", got, tt.want)
			}
		})
	}
}

func TestWallTime(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	tests := []struct {
		y          int
		m          time.Month
		d, hh, mm  int
		want       string
		wantShifed bool
	}{
		{2026, 3, 29, 2, 59, "2026-03-29T02:59:00+02:00", false},
		{2026, 3, 29, 3, 0, "2026-03-29T04:00:00+03:00", true},
		{2026, 3, 29, 3, 59, "2026-03-29T04:00:00+03:00", true},
		{2026, 3, 29, 4, 0, "2026-03-29T04:00:00+03:00", false},
		{2026, 10, 25, 3, 0, "2026-10-25T03:00:00+03:00", false},
		{2026, 10, 25, 3, 59, "2026-10-25T03:59:00+03:00", false},
		{2026, 10, 25, 4, 0, "2026-10-25T04:00:00+02:00", false},
		{2026, 12, 1, 9, 0, "2026-12-01T09:00:00+02:00", false},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%d-%02d-%02d %02d:%02d", tt.y, tt.m, tt.d, tt.hh, tt.mm)
		t.Run(name, func(t *testing.T) {
			got, shifted := planner.WallTime(tt.y, tt.m, tt.d, tt.hh, tt.mm, hel)
			if got.Format(time.RFC3339) != tt.want || shifted != tt.wantShifed {
				t.Errorf("got %s %v, want %s %v", got.Format(time.RFC3339), shifted, tt.want, tt.wantShifed)
			}
		})
	}
}

func TestOccurrenceIDsStableAcrossEdits(t *testing.T) {
	plan := planner.ProposePlan(planner.RoleProfile{Primary: planner.RoleAdvising, Secondary: planner.RoleInforming,
		Mix: planner.ContentMix{Own: 40, Shared: 20, Conversation: 40}, WeeklyMinutes: 120}, "Europe/Helsinki", counter("s"))
	hel := mustLoad(t, "Europe/Helsinki")
	from := week1("2026-W49", hel)
	to := from.AddDate(0, 0, 28)
	keep := plan.Slots[0].ID
	before, err := plan.Occurrences(from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	mine := func(occ []planner.Occurrence) string {
		var out []planner.Occurrence
		for _, o := range occ {
			if o.SlotID == keep {
				out = append(out, o)
			}
		}
		return describe(out)
	}
	edits := []struct {
		name string
		edit func(p *planner.SlotPlan) error
	}{
		{"update another slot", func(p *planner.SlotPlan) error {
			s := p.Slots[1]
			s.Weekday, s.Start = time.Saturday, planner.ClockTime{Hour: 10}
			return p.UpdateSlot(s)
		}},
		{"remove another slot", func(p *planner.SlotPlan) error { return p.RemoveSlot(p.Slots[2].ID) }},
		{"add a slot before it", func(p *planner.SlotPlan) error {
			return p.AddSlot(slot("new", plan.Slots[0].Weekday, 7, 0, 30, planner.PurposeWrite))
		}},
		{"saved and loaded again", func(p *planner.SlotPlan) error {
			b, err := json.Marshal(p)
			if err != nil {
				return err
			}
			*p = planner.SlotPlan{}
			return json.Unmarshal(b, p)
		}},
	}
	p := plan
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			rev := p.Revision
			if err := e.edit(&p); err != nil {
				t.Fatal(err)
			}
			after, err := p.Occurrences(from, to, nil)
			if err != nil {
				t.Fatal(err)
			}
			if mine(after) != mine(before) || mine(before) == "" {
				t.Errorf("slot %s's occurrences changed:\n%s\nwere\n%s", keep, mine(after), mine(before))
			}
			if e.name != "saved and loaded again" && p.Revision != rev+1 {
				t.Errorf("revision %d, want %d", p.Revision, rev+1)
			}
		})
	}
	// Editing the slot itself keeps its IDs too; only the times change.
	s, _ := p.Slot(keep)
	s.Start.Hour = 16
	if err := p.UpdateSlot(s); err != nil {
		t.Fatal(err)
	}
	after, _ := p.Occurrences(from, to, nil)
	ids := func(occ []planner.Occurrence) (out []string) {
		for _, o := range occ {
			if o.SlotID == keep {
				out = append(out, o.ID)
			}
		}
		return out
	}
	if got, want := ids(after), ids(before); !slices.Equal(got, want) || len(got) != 4 {
		t.Errorf("IDs after changing the slot's time: %v, want %v", got, want)
	}
	for _, o := range after {
		if o.SlotID == keep && o.Start.Hour() != 16 {
			t.Errorf("%s starts at %s", o.ID, o.Start)
		}
	}
}

func TestOccurrencesErrors(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tz := range []string{"", "Local", "Mars/Olympus"} {
		p := planner.SlotPlan{ID: "p", TimeZone: tz}
		if _, err := p.Occurrences(now, now.Add(time.Hour), nil); !errors.Is(err, planner.ErrInvalid) {
			t.Errorf("zone %q: error %v", tz, err)
		}
	}
	p := planner.SlotPlan{ID: "p", TimeZone: "UTC", Slots: []planner.Slot{slot("a", time.Monday, 9, 0, 30, planner.PurposeWrite)}}
	if _, err := p.Occurrences(now, now.AddDate(20, 0, 0), nil); !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("twenty years: error %v", err)
	}
	if occ, err := p.Occurrences(now, now.AddDate(9, 0, 0), nil); err != nil || len(occ) < 52*9 {
		t.Errorf("nine years: %d occurrences, %v", len(occ), err)
	}
}

func TestParseOccurrenceID(t *testing.T) {
	tests := []struct {
		id, slot, date string
		ok             bool
	}{
		{"abc@2026-12-01", "abc", "2026-12-01", true},
		{"a@b@2026-12-01", "a@b", "2026-12-01", true},
		{"abc@2026-13-01", "", "", false},
		{"@2026-12-01", "", "", false},
		{"abc", "", "", false},
		{"abc@", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			s, d, ok := planner.ParseOccurrenceID(tt.id)
			if s != tt.slot || d != tt.date || ok != tt.ok {
				t.Errorf("got %q %q %v", s, d, ok)
			}
			if ok && planner.OccurrenceID(s, d) != tt.id {
				t.Error("does not round trip")
			}
		})
	}
}

func TestNextFreeSlot(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	plan := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		slot("mon", time.Monday, 9, 0, 30, planner.PurposeWrite),
		slot("thu", time.Thursday, 9, 0, 30, planner.PurposeWrite),
		slot("wed", time.Wednesday, 12, 0, 15, planner.PurposeShare),
	}}
	at := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, hel) }
	filled := func(ids ...string) []planner.Post {
		var ps []planner.Post
		for _, id := range ids {
			ps = append(ps, planner.Post{ID: "p" + id, OccurrenceID: id, Status: planner.StatusDraft, Text: "x"})
		}
		return ps
	}
	tests := []struct {
		name    string
		posts   []planner.Post
		exc     []planner.SlotException
		purpose planner.Purpose
		after   time.Time
		want    string
	}{
		{"first write slot of the week", nil, nil, planner.PurposeWrite, at(1, 0), "thu@2026-12-03"},
		{"Monday filled", filled("mon@2026-11-30"), nil, planner.PurposeWrite, at(29, 0).AddDate(0, -1, 0), "thu@2026-12-03"},
		{"strictly after", nil, nil, planner.PurposeWrite, at(3, 9), "mon@2026-12-07"},
		{"filled slots are passed over", filled("thu@2026-12-03", "mon@2026-12-07", "thu@2026-12-10"), nil, planner.PurposeWrite, at(1, 0), "mon@2026-12-14"},
		{"skipped slots are passed over", nil, []planner.SlotException{{OccurrenceID: "wed@2026-12-02", Skip: true}}, planner.PurposeShare, at(1, 0), "wed@2026-12-09"},
		{"any purpose", nil, nil, "", at(1, 0), "wed@2026-12-02"},
		{"no slot of the purpose", nil, nil, planner.PurposeConverse, at(1, 0), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, ok := planner.NextFreeSlot(plan, tt.exc, tt.posts, tt.purpose, tt.after)
			if ok != (tt.want != "") || o.ID != tt.want {
				t.Errorf("got %q %v, want %q", o.ID, ok, tt.want)
			}
		})
	}
	if _, ok := planner.NextFreeSlot(planner.SlotPlan{TimeZone: "Nowhere/Null", Slots: plan.Slots}, nil, nil, "", at(1, 0)); ok {
		t.Error("a plan with a broken zone gave a slot")
	}
}

func BenchmarkOccurrences52Weeks20Slots(b *testing.B) {
	plan := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki"}
	for i := range 20 {
		plan.Slots = append(plan.Slots, slot(fmt.Sprintf("s%02d", i), time.Weekday(1+i%5), 8+i/5*2, 15*(i%4), 30, planner.PurposeWrite))
	}
	hel := mustLoad(b, "Europe/Helsinki")
	from := week1("2026-W01", hel)
	to := from.AddDate(0, 0, 52*7)
	exc := []planner.SlotException{{OccurrenceID: "s00@2026-01-05", Skip: true}, {OccurrenceID: "s01@2026-01-06", MoveTo: from.Add(50 * time.Hour)}}
	b.ReportAllocs()
	for b.Loop() {
		occ, err := plan.Occurrences(from, to, exc)
		if err != nil || len(occ) != 52*20-1 {
			b.Fatalf("%d occurrences, %v", len(occ), err)
		}
	}
}

func TestZoneName(t *testing.T) {
	hki, _ := time.LoadLocation("Europe/Helsinki")
	for _, tc := range []struct {
		loc  *time.Location
		want string
	}{
		{hki, "Europe/Helsinki"},
		{time.UTC, "UTC"},
		{time.FixedZone("UTC+2", 2*3600), "UTC"}, // not an IANA name
	} {
		if got := planner.ZoneName(tc.loc); got != tc.want {
			t.Errorf("ZoneName(%v) = %q, want %q", tc.loc, got, tc.want)
		}
	}
	// Go's "Local" carries no name a plan could keep.
	if time.Local.String() == "Local" {
		if got := planner.ZoneName(time.Local); got != "UTC" {
			t.Errorf("ZoneName(Local) = %q", got)
		}
	}
}
