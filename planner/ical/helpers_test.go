package ical_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"
	_ "time/tzdata" // the same zone data on every machine the tests run on
	"unicode/utf8"

	goical "github.com/emersion/go-ical"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

// translations are the app's English and Finnish texts with this package's new keys.
var (
	translationsOnce sync.Once
	translations     map[string]map[string]string
	translationsErr  error
)

func loadTranslations(t testing.TB) map[string]map[string]string {
	t.Helper()
	translationsOnce.Do(func() {
		translations = map[string]map[string]string{}
		for _, lang := range []string{"en", "fi"} {
			m := map[string]string{}
			// Read by path: planner does not import the app's assets.
			for _, path := range []string{"../../assets/translations/" + lang + ".json"} {
				b, err := os.ReadFile(path)
				if err != nil {
					translationsErr = err
					return
				}
				if err := json.Unmarshal(b, &m); err != nil {
					translationsErr = fmt.Errorf("%s: %w", path, err)
					return
				}
			}
			translations[lang] = m
		}
	})
	if translationsErr != nil {
		t.Fatal(translationsErr)
	}
	return translations
}

// translator renders the language's templates as the app's lang.L does, and
// fails the test on a key that no translation file holds.
func translator(t testing.TB, lang string) ical.TranslateFunc {
	m := loadTranslations(t)[lang]
	var mu sync.Mutex
	cache := map[string]*template.Template{}
	return func(key string, data map[string]any) string {
		s, ok := m[key]
		if !ok {
			t.Errorf("no %s translation for %q", lang, key)
			return key
		}
		if !strings.Contains(s, "{{") {
			return s
		}
		mu.Lock()
		tpl, ok := cache[key]
		if !ok {
			tpl = template.Must(template.New(key).Option("missingkey=error").Parse(s))
			cache[key] = tpl
		}
		mu.Unlock()
		var b strings.Builder
		if err := tpl.Execute(&b, data); err != nil {
			t.Errorf("%s %q: %v", lang, key, err)
		}
		return b.String()
	}
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone %s: %v", name, err)
	}
	return loc
}

func clock(h, m int) planner.ClockTime { return planner.ClockTime{Hour: h, Minute: m} }

func slot(id string, d time.Weekday, h, m, minutes int, p planner.Purpose, r planner.Role) planner.Slot {
	return planner.Slot{ID: id, Weekday: d, Start: clock(h, m), Minutes: minutes, Purpose: p, Role: r}
}

// changedAt is a fixed edit time, so exports are reproducible.
var changedAt = time.Date(2026, 11, 2, 8, 15, 0, 0, time.UTC)

// plan5 is a typical five-slot week in Helsinki.
func plan5() planner.SlotPlan {
	return planner.SlotPlan{ID: "plan1", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		slot("mon-follow", time.Monday, 8, 30, 15, planner.PurposeFollow, planner.RoleInforming),
		slot("tue-write", time.Tuesday, 9, 0, 30, planner.PurposeWrite, planner.RoleInforming),
		slot("wed-share", time.Wednesday, 12, 0, 15, planner.PurposeShare, planner.RoleAdvising),
		slot("thu-write", time.Thursday, 10, 0, 30, planner.PurposeWrite, ""),
		slot("fri-converse", time.Friday, 14, 0, 20, planner.PurposeConverse, planner.RoleNetworking),
	}}
}

// from5 is Monday of ISO week 2026-W49 in Helsinki.
func from5(t testing.TB) time.Time {
	t.Helper()
	from, err := planner.ParseISOWeek("2026-W49", mustLoad(t, "Europe/Helsinki"))
	if err != nil {
		t.Fatal(err)
	}
	return from
}

var now5 = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

// posts5 fill two of plan5's occurrences; their publishing records hold
// what must never reach a calendar file.
func posts5() []planner.Post {
	return []planner.Post{
		{
			ID: "post1", OccurrenceID: "tue-write@2026-12-01", Status: planner.StatusScheduled,
			Text:    "Uusi raportti: sää, sähkö & älykäs kulutus\nLue lisää: https://example.org/raportti; kommentit, kiitos!\\",
			Time:    time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC),
			Updated: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC),
			Targets: []planner.Target{{AccountID: "acct-secret-id", Network: planner.NetworkX}},
			Attempt: "attempt-SECRET", LastError: "401 oauth_token=SECRET",
			Results: []planner.PublishResult{{AccountID: "acct-secret-id", Network: planner.NetworkX, RemoteID: "remote-SECRET", URL: "https://x.example/SECRET"}},
		},
		{
			ID: "post2", OccurrenceID: "wed-share@2026-12-09", Status: planner.StatusDraft,
			Parts:   []string{"Ketju alkaa 🧵", "Toinen osa 👩‍💻, jossa on pilkku; ja puolipiste"},
			Updated: time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC),
		},
	}
}

// exceptions5 skip one occurrence and move another.
func exceptions5(t testing.TB) []planner.SlotException {
	hel := mustLoad(t, "Europe/Helsinki")
	return []planner.SlotException{
		{OccurrenceID: "mon-follow@2026-12-07", Skip: true, Updated: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)},
		{OccurrenceID: "fri-converse@2026-12-11", MoveTo: time.Date(2026, 12, 10, 15, 30, 0, 0, hel), Updated: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)},
	}
}

func options(t testing.TB, lang string) ical.Options {
	return ical.Options{From: from5(t), Weeks: 4, ReminderMinutes: 10, Now: now5, Translate: translator(t, lang)}
}

func export(t testing.TB, plan planner.SlotPlan, exc []planner.SlotException, posts []planner.Post, opt ical.Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := ical.Export(&b, plan, exc, posts, opt); err != nil {
		t.Fatalf("Export: %v", err)
	}
	checkRaw(t, b.String())
	return b.String()
}

func decode(t testing.TB, s string) *goical.Calendar {
	t.Helper()
	cal, err := goical.NewDecoder(strings.NewReader(s)).Decode()
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, s)
	}
	return cal
}

// checkRaw holds the file to RFC 5545's form: CRLF line ends only, physical
// lines of at most 75 octets, valid UTF-8 never split across a fold, and no
// zone named Local.
func checkRaw(t testing.TB, s string) {
	t.Helper()
	if !strings.HasSuffix(s, "\r\n") {
		t.Errorf("the file does not end with CRLF")
	}
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\r") {
		t.Errorf("a line ends without CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d is not valid UTF-8 on its own: %q", i+1, line)
		}
		if line == "" {
			t.Errorf("line %d is empty", i+1)
		}
	}
	if strings.Contains(unfold(s), "TZID=Local") {
		t.Errorf("the file names the zone Local")
	}
}

func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

func text(t testing.TB, props goical.Props, name string) string {
	t.Helper()
	p := props.Get(name)
	if p == nil {
		t.Errorf("no %s", name)
		return ""
	}
	s, err := p.Text()
	if err != nil {
		t.Errorf("%s: %v", name, err)
	}
	return s
}

func one(t testing.TB, props goical.Props, name string) string {
	t.Helper()
	if n := len(props[name]); n != 1 {
		t.Errorf("%d %s, want 1", n, name)
		return ""
	}
	return props[name][0].Value
}

// tzModel reads a VTIMEZONE back the way a calendar app does: each
// observance's onsets (its DTSTART, then its RRULE's), and the offset that
// holds from each onset on.
type tzModel struct {
	onsets []onset
}

type onset struct {
	at       time.Time
	from, to int
	dst      bool
	name     string
}

func parseOffset(t testing.TB, s string) int {
	t.Helper()
	if len(s) != 5 && len(s) != 7 || (s[0] != '+' && s[0] != '-') {
		t.Fatalf("bad UTC offset %q", s)
	}
	h, _ := strconv.Atoi(s[1:3])
	m, _ := strconv.Atoi(s[3:5])
	sec := 0
	if len(s) == 7 {
		sec, _ = strconv.Atoi(s[5:7])
	}
	v := h*3600 + m*60 + sec
	if s[0] == '-' {
		v = -v
	}
	return v
}

var weekdays = map[string]time.Weekday{"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday,
	"TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday}

// yearlyWalls expands the only RRULE form the exporter writes in a
// VTIMEZONE: FREQ=YEARLY;BYMONTH=m;BYDAY=(-1|n)WD.
func yearlyWalls(t testing.TB, rule string, start time.Time, untilYear int) []time.Time {
	t.Helper()
	var month, ord int
	var wd time.Weekday
	for _, part := range strings.Split(rule, ";") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "FREQ":
			if v != "YEARLY" {
				t.Fatalf("RRULE %q: want FREQ=YEARLY", rule)
			}
		case "BYMONTH":
			month, _ = strconv.Atoi(v)
		case "BYDAY":
			ord, _ = strconv.Atoi(v[:len(v)-2])
			wd = weekdays[v[len(v)-2:]]
		default:
			t.Fatalf("RRULE %q: unexpected %s", rule, k)
		}
	}
	if month < 1 || ord == 0 {
		t.Fatalf("RRULE %q: incomplete", rule)
	}
	var out []time.Time
	clockOf := start.Sub(start.Truncate(24 * time.Hour))
	for y := start.Year(); y <= untilYear; y++ {
		var d time.Time
		if ord < 0 {
			last := time.Date(y, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
			d = last.AddDate(0, 0, -((int(last.Weekday())-int(wd)+7)%7 + 7*(-ord-1)))
		} else {
			first := time.Date(y, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
			d = first.AddDate(0, 0, (int(wd)-int(first.Weekday())+7)%7+7*(ord-1))
		}
		w := d.Add(clockOf)
		if !w.Before(start) {
			out = append(out, w)
		}
	}
	if len(out) == 0 || !out[0].Equal(start) {
		t.Errorf("RRULE %q does not start at its DTSTART %s", rule, start)
	}
	return out
}

func parseTZ(t testing.TB, tz *goical.Component, untilYear int) *tzModel {
	t.Helper()
	if len(tz.Children) == 0 {
		t.Fatalf("VTIMEZONE without observances")
	}
	m := &tzModel{}
	for _, c := range tz.Children {
		if c.Name != goical.CompTimezoneStandard && c.Name != goical.CompTimezoneDaylight {
			t.Fatalf("VTIMEZONE holds a %s", c.Name)
		}
		start, err := time.Parse("20060102T150405", one(t, c.Props, goical.PropDateTimeStart))
		if err != nil {
			t.Fatalf("observance DTSTART: %v", err)
		}
		if c.Props.Get(goical.PropDateTimeStart).Params.Get("TZID") != "" {
			t.Errorf("an observance's DTSTART is local time, without TZID")
		}
		from := parseOffset(t, one(t, c.Props, goical.PropTimezoneOffsetFrom))
		to := parseOffset(t, one(t, c.Props, goical.PropTimezoneOffsetTo))
		name := ""
		if c.Props.Get(goical.PropTimezoneName) != nil {
			name = text(t, c.Props, goical.PropTimezoneName)
		}
		if len(c.Props[goical.PropRecurrenceDates]) > 0 {
			t.Errorf("unexpected RDATE")
		}
		walls := []time.Time{start}
		if r := c.Props.Get(goical.PropRecurrenceRule); r != nil {
			walls = yearlyWalls(t, r.Value, start, untilYear)
		}
		for _, w := range walls {
			m.onsets = append(m.onsets, onset{at: w.Add(-time.Duration(from) * time.Second), from: from, to: to,
				dst: c.Name == goical.CompTimezoneDaylight, name: name})
		}
	}
	slices.SortFunc(m.onsets, func(a, b onset) int { return a.at.Compare(b.at) })
	for i := 1; i < len(m.onsets); i++ {
		if m.onsets[i].at.Equal(m.onsets[i-1].at) {
			t.Errorf("two observances start at %s", m.onsets[i].at)
		}
		if m.onsets[i].from != m.onsets[i-1].to {
			t.Errorf("observance at %s comes from %d, but the one before goes to %d", m.onsets[i].at, m.onsets[i].from, m.onsets[i-1].to)
		}
	}
	return m
}

// offsetAt is the model's offset at instant at; ok is false before its first onset.
func (m *tzModel) offsetAt(at time.Time) (onset, bool) {
	i, found := slices.BinarySearchFunc(m.onsets, at, func(o onset, t time.Time) int { return o.at.Compare(t) })
	if found {
		return m.onsets[i], true
	}
	if i == 0 {
		return onset{}, false
	}
	return m.onsets[i-1], true
}

// resolve is the instant a local wall time names, as RFC 5545 reads it: the
// first of two in an overlap, and in a gap the offset before it.
func (m *tzModel) resolve(wall time.Time) (time.Time, bool) {
	var best time.Time
	seen := map[int]bool{}
	for _, o := range m.onsets {
		for _, off := range []int{o.from, o.to} {
			if seen[off] {
				continue
			}
			seen[off] = true
			at := wall.Add(-time.Duration(off) * time.Second)
			if cur, ok := m.offsetAt(at); ok && cur.to == off && (best.IsZero() || at.Before(best)) {
				best = at
			}
		}
	}
	if !best.IsZero() {
		return best, true
	}
	for _, o := range m.onsets {
		before, after := wall.Add(-time.Duration(o.from)*time.Second), wall.Add(-time.Duration(o.to)*time.Second)
		if !before.Before(o.at) && after.Before(o.at) {
			return before, true
		}
	}
	return time.Time{}, false
}

// checkZone holds the model to Go's zone data from lo to hi: each day, and
// on both sides of each of Go's transitions.
func (m *tzModel) checkZone(t testing.TB, loc *time.Location, lo, hi time.Time) {
	t.Helper()
	var at []time.Time
	for d := lo; !d.After(hi); d = d.Add(24 * time.Hour) {
		at = append(at, d)
	}
	for x := lo; ; {
		_, end := x.In(loc).ZoneBounds()
		if end.IsZero() || end.After(hi) {
			break
		}
		at = append(at, end.Add(-time.Second), end)
		x = end
	}
	bad := 0
	for _, a := range at {
		o, ok := m.offsetAt(a)
		name, off := a.In(loc).Zone()
		if !ok || o.to != off || o.dst != a.In(loc).IsDST() || (o.name != "" && o.name != name) {
			t.Errorf("%s at %s: VTIMEZONE says %+v (known %v), Go says %s %d dst=%v", loc, a, o, ok, name, off, a.In(loc).IsDST())
			if bad++; bad > 5 {
				return
			}
		}
	}
}

// calendar is a decoded export with its zone model.
type calendar struct {
	cal    *goical.Calendar
	tz     *tzModel
	tzid   string
	events []*goical.Component
}

func readCalendar(t testing.TB, s string, untilYear int) *calendar {
	t.Helper()
	c := &calendar{cal: decode(t, s)}
	for _, ch := range c.cal.Children {
		switch ch.Name {
		case goical.CompTimezone:
			if c.tz != nil {
				t.Fatalf("two VTIMEZONEs")
			}
			if len(c.events) > 0 {
				t.Errorf("the VTIMEZONE comes after events")
			}
			c.tzid = text(t, ch.Props, goical.PropTimezoneID)
			c.tz = parseTZ(t, ch, untilYear)
		case goical.CompEvent:
			c.events = append(c.events, ch)
		default:
			t.Errorf("unexpected %s", ch.Name)
		}
	}
	return c
}

// instant reads a date-time property: UTC with Z, or local with the file's
// TZID, resolved through the file's own VTIMEZONE; it is checked against
// go-ical's reading (Go's zone data by name) too.
func (c *calendar) instant(t testing.TB, p *goical.Prop) time.Time {
	t.Helper()
	if p == nil {
		t.Fatalf("missing date-time")
	}
	tzid := p.Params.Get("TZID")
	if strings.HasSuffix(p.Value, "Z") {
		if tzid != "" {
			t.Errorf("%s: UTC time with TZID", p.Name)
		}
		at, err := time.Parse("20060102T150405Z", p.Value)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		return at
	}
	if tzid == "" {
		t.Fatalf("%s:%s is a floating time", p.Name, p.Value)
	}
	if tzid != c.tzid || c.tz == nil {
		t.Fatalf("%s names TZID %q, the file defines %q", p.Name, tzid, c.tzid)
	}
	wall, err := time.Parse("20060102T150405", p.Value)
	if err != nil {
		t.Fatalf("%s: %v", p.Name, err)
	}
	at, ok := c.tz.resolve(wall)
	if !ok {
		t.Fatalf("%s %s: the VTIMEZONE does not cover it", p.Name, p.Value)
	}
	byName, err := p.DateTime(nil)
	if err != nil {
		t.Fatalf("%s: %v", p.Name, err)
	}
	// In a gap Go reads the time otherwise; in an overlap either reading is the wall time.
	if !byName.Equal(at) && !inGap(byName, wall) && at.In(byName.Location()).Format("20060102T150405") != p.Value {
		t.Errorf("%s %s: VTIMEZONE gives %s, zone data %s", p.Name, p.Value, at, byName)
	}
	return at
}

// inGap reports whether wall does not exist in at's zone (Go and RFC 5545
// read such a time differently).
func inGap(at, wall time.Time) bool {
	l := at.Location()
	w := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, l)
	return w.Hour() != wall.Hour() || w.Minute() != wall.Minute()
}

func seq(t testing.TB, ev *goical.Component) int {
	t.Helper()
	n, err := strconv.Atoi(one(t, ev.Props, goical.PropSequence))
	if err != nil {
		t.Errorf("SEQUENCE: %v", err)
	}
	return n
}
