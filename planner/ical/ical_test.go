package ical_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

// checkEvents holds every VEVENT of a single-event export to the Events the
// same options give, property by property.
func checkEvents(t *testing.T, c *calendar, want []ical.Event, opt ical.Options, trigger string) {
	t.Helper()
	if len(c.events) != len(want) {
		t.Fatalf("%d VEVENTs, want %d", len(c.events), len(want))
	}
	for i, ev := range c.events {
		w := want[i]
		t.Run(w.OccurrenceID, func(t *testing.T) {
			if got := text(t, ev.Props, goical.PropUID); got != w.OccurrenceID+"@kaiku" || got != w.UID {
				t.Errorf("UID %q, want %q", got, w.OccurrenceID+"@kaiku")
			}
			if got := one(t, ev.Props, goical.PropDateTimeStamp); got != opt.Now.UTC().Format("20060102T150405Z") {
				t.Errorf("DTSTAMP %s", got)
			}
			if got := c.instant(t, ev.Props.Get(goical.PropDateTimeStart)); !got.Equal(w.Start) {
				t.Errorf("DTSTART %s, want %s", got, w.Start)
			}
			if got := c.instant(t, ev.Props.Get(goical.PropDateTimeEnd)); !got.Equal(w.End) {
				t.Errorf("DTEND %s, want %s", got, w.End)
			}
			if got := seq(t, ev); got != w.Sequence {
				t.Errorf("SEQUENCE %d, want %d", got, w.Sequence)
			}
			if got := text(t, ev.Props, goical.PropSummary); got != w.Summary {
				t.Errorf("SUMMARY %q, want %q", got, w.Summary)
			}
			if got := text(t, ev.Props, goical.PropDescription); got != w.Description {
				t.Errorf("DESCRIPTION %q, want %q", got, w.Description)
			}
			cats, err := ev.Props.Get(goical.PropCategories).TextList()
			if err != nil || !slices.Equal(cats, w.Categories) {
				t.Errorf("CATEGORIES %q (%v), want %q", cats, err, w.Categories)
			}
			if one(t, ev.Props, goical.PropClass) != "PRIVATE" || one(t, ev.Props, goical.PropStatus) != "CONFIRMED" {
				t.Errorf("CLASS or STATUS")
			}
			if ev.Props.Get(goical.PropRecurrenceRule) != nil || ev.Props.Get(goical.PropRecurrenceID) != nil {
				t.Errorf("a single event with RRULE or RECURRENCE-ID")
			}
			if !w.Changed.IsZero() && one(t, ev.Props, goical.PropLastModified) != w.Changed.UTC().Format("20060102T150405Z") {
				t.Errorf("LAST-MODIFIED")
			}
			checkAlarm(t, ev, w.Summary, trigger)
		})
	}
}

func checkAlarm(t *testing.T, ev *goical.Component, summary, trigger string) {
	t.Helper()
	if len(ev.Children) != 1 || ev.Children[0].Name != goical.CompAlarm {
		t.Fatalf("want one VALARM, have %d children", len(ev.Children))
	}
	a := ev.Children[0]
	if one(t, a.Props, goical.PropAction) != "DISPLAY" {
		t.Errorf("ACTION")
	}
	if got := text(t, a.Props, goical.PropDescription); got != summary || got == "" {
		t.Errorf("VALARM DESCRIPTION %q, want %q", got, summary)
	}
	tr := a.Props.Get(goical.PropTrigger)
	if tr == nil || tr.Value != trigger || len(tr.Params) != 0 {
		t.Errorf("TRIGGER %+v, want %s", tr, trigger)
	}
	if _, err := tr.Duration(); err != nil {
		t.Errorf("TRIGGER: %v", err)
	}
}

func TestExportSingleEvents(t *testing.T) {
	for _, tc := range []struct {
		name    string
		lang    string
		utc     bool
		trigger string
		minutes int
	}{
		{"english zone", "en", false, "-PT10M", 10},
		{"finnish zone", "fi", false, "-PT10M", 10},
		{"english utc", "en", true, "-PT1H", 60},
		{"at start", "en", false, "PT0S", 0},
		{"a day before", "fi", true, "-P1D", 24 * 60},
		{"ninety minutes", "en", false, "-PT90M", 90},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := options(t, tc.lang)
			opt.UTC, opt.ReminderMinutes = tc.utc, tc.minutes
			s := export(t, plan5(), exceptions5(t), posts5(), opt)
			c := readCalendar(t, s, 2030)
			if tc.utc != (c.tz == nil) {
				t.Errorf("UTC %v, VTIMEZONE %v", tc.utc, c.tz != nil)
			}
			if tc.utc && strings.Contains(s, "TZID") {
				t.Errorf("a UTC export names a TZID")
			}
			want, err := ical.Events(plan5(), exceptions5(t), posts5(), opt)
			if err != nil {
				t.Fatal(err)
			}
			// 4 weeks of 5 slots, one skipped; the moved one stays in range.
			if len(want) != 19 {
				t.Fatalf("%d events, want 19", len(want))
			}
			checkEvents(t, c, want, opt, tc.trigger)
		})
	}
}

func TestCalendarProperties(t *testing.T) {
	for _, tc := range []struct {
		lang, name, wantName string
	}{
		{"en", "", "Kaiku slots"},
		{"fi", "", "Kaiku – somehetket"},
		{"fi", "Työ, some; ja muut\\asiat", "Työ, some; ja muut\\asiat"},
	} {
		opt := options(t, tc.lang)
		opt.CalendarName = tc.name
		s := export(t, plan5(), nil, nil, opt)
		if !strings.HasPrefix(s, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(s, "END:VCALENDAR\r\n") {
			t.Errorf("not a calendar")
		}
		c := readCalendar(t, s, 2030)
		p := c.cal.Props
		for name, want := range map[string]string{
			goical.PropVersion: "2.0", goical.PropProductID: ical.ProductID, goical.PropMethod: "PUBLISH",
			goical.PropCalendarScale: "GREGORIAN",
		} {
			if got := one(t, p, name); got != want {
				t.Errorf("%s %q, want %q", name, got, want)
			}
		}
		if text(t, p, goical.PropName) != tc.wantName || text(t, p, "X-WR-CALNAME") != tc.wantName {
			t.Errorf("NAME %q, X-WR-CALNAME %q, want %q", text(t, p, goical.PropName), text(t, p, "X-WR-CALNAME"), tc.wantName)
		}
		if text(t, p, "X-WR-TIMEZONE") != "Europe/Helsinki" || c.tzid != "Europe/Helsinki" {
			t.Errorf("X-WR-TIMEZONE or TZID")
		}
		if len(c.events) != 20 {
			t.Errorf("%d events, want 20", len(c.events))
		}
	}
}

func TestTextsEnglish(t *testing.T) {
	evs, err := ical.Events(plan5(), exceptions5(t), posts5(), options(t, "en"))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]ical.Event{}
	for _, e := range evs {
		byID[e.OccurrenceID] = e
	}
	for _, tc := range []struct {
		id, summary string
		desc        []string // lines the description holds
		cats        []string
	}{
		{"mon-follow@2026-11-30", "Kaiku: Follow (Informing)",
			[]string{"Time to read and follow what your network is talking about.", "", "Questions to start from (Informing):",
				"• What did you or your team finish this week that others in your field would like to hear about?"},
			[]string{"Follow", "Informing"}},
		{"tue-write@2026-12-08", "Kaiku: Write (Informing)",
			[]string{"Time to write a post of your own.", "", "Questions to start from (Informing):", "No post yet: open Kaiku to write one."},
			[]string{"Write", "Informing"}},
		{"thu-write@2026-12-03", "Kaiku: Write",
			[]string{"Time to write a post of your own.", "", "No post yet: open Kaiku to write one."},
			[]string{"Write"}},
		{"tue-write@2026-12-01", "Kaiku: Write (Informing) – Uusi raportti: sää, sähkö & älykäs kulutus",
			[]string{"Uusi raportti: sää, sähkö & älykäs kulutus", "Lue lisää: https://example.org/raportti; kommentit, kiitos!\\"},
			[]string{"Write", "Informing"}},
		{"wed-share@2026-12-09", "Kaiku: Share (Advising) – Ketju alkaa 🧵",
			[]string{"1/2", "Ketju alkaa 🧵", "", "2/2", "Toinen osa 👩‍💻, jossa on pilkku; ja puolipiste"},
			[]string{"Share", "Advising"}},
	} {
		e, ok := byID[tc.id]
		if !ok {
			t.Errorf("no event %s", tc.id)
			continue
		}
		if e.Summary != tc.summary {
			t.Errorf("%s summary %q, want %q", tc.id, e.Summary, tc.summary)
		}
		lines := strings.Split(e.Description, "\n")
		for _, l := range tc.desc {
			if !slices.Contains(lines, l) {
				t.Errorf("%s description lacks %q:\n%s", tc.id, l, e.Description)
			}
		}
		if !slices.Equal(e.Categories, tc.cats) {
			t.Errorf("%s categories %q, want %q", tc.id, e.Categories, tc.cats)
		}
	}
	moved := byID["fri-converse@2026-12-11"]
	if !moved.Moved || !moved.Start.Equal(time.Date(2026, 12, 10, 13, 30, 0, 0, time.UTC)) {
		t.Errorf("moved occurrence %+v", moved)
	}
	if _, ok := byID["mon-follow@2026-12-07"]; ok {
		t.Errorf("the skipped occurrence is exported")
	}
	if got := byID["tue-write@2026-12-01"].PostIDs; !slices.Equal(got, []string{"post1"}) {
		t.Errorf("PostIDs %q", got)
	}
}

func TestTextsFinnish(t *testing.T) {
	evs, err := ical.Events(plan5(), nil, posts5(), options(t, "fi"))
	if err != nil {
		t.Fatal(err)
	}
	e := evs[0]
	if e.Summary != "Kaiku: Seuraa (Tiedottaminen)" || !strings.HasPrefix(e.Description, "Aika lukea ja seurata") ||
		!slices.Equal(e.Categories, []string{"Seuraa", "Tiedottaminen"}) {
		t.Errorf("Finnish texts: %+v", e)
	}
}

func TestNothingSecret(t *testing.T) {
	for _, rec := range []bool{false, true} {
		opt := options(t, "en")
		opt.Recurring = rec
		s := export(t, plan5(), exceptions5(t), posts5(), opt)
		for _, secret := range []string{"SECRET", "acct-secret-id", "oauth", "post1", "post2"} {
			if strings.Contains(unfold(s), secret) {
				t.Errorf("recurring %v: the file holds %q", rec, secret)
			}
		}
	}
}

func TestEscaping(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, raw string
	}{
		{"backslash", `C:\kansio\tiedosto`, `C:\kansio\tiedosto`, `C:\\kansio\\tiedosto`},
		{"semicolon", "yksi; kaksi", "yksi; kaksi", `yksi\; kaksi`},
		{"comma", "yksi, kaksi", "yksi, kaksi", `yksi\, kaksi`},
		{"newline", "rivi\ntoinen", "rivi\ntoinen", `rivi\ntoinen`},
		{"crlf", "rivi\r\ntoinen\rkolmas", "rivi\ntoinen\nkolmas", `rivi\ntoinen\nkolmas`},
		{"colon and quote", `aika: "klo 9"`, `aika: "klo 9"`, `aika: "klo 9"`},
		{"controls", "a\x00b\x07c\td\x7f", "abc\td", "abc\td"},
		{"invalid utf-8", "ok\xffok", "ok\uFFFDok", "ok\uFFFDok"},
		{"escaped already", `\n \, \;`, `\n \, \;`, `\\n \\\, \\\;`},
		{"all", "a\\b;c,d\ne", "a\\b;c,d\ne", `a\\b\;c\,d\ne`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			posts := []planner.Post{{ID: "p", OccurrenceID: "mon-follow@2026-11-30", Text: "Otsikko\n" + tc.in, Status: planner.StatusDraft}}
			opt := options(t, "en")
			s := export(t, plan5(), nil, posts, opt)
			if !strings.Contains(unfold(s), "DESCRIPTION:Otsikko\\n"+tc.raw+"\r\n") {
				t.Errorf("raw DESCRIPTION lacks %q", tc.raw)
			}
			c := readCalendar(t, s, 2030)
			got := text(t, c.events[0].Props, goical.PropDescription)
			if got != "Otsikko\n"+tc.want {
				t.Errorf("DESCRIPTION %q, want %q", got, "Otsikko\n"+tc.want)
			}
		})
	}
}

func TestTranslationWithComma(t *testing.T) {
	tr := translator(t, "en")
	opt := options(t, "en")
	opt.Translate = func(key string, data map[string]any) string {
		if key == "purpose.write" {
			return "Write, edit; post"
		}
		return tr(key, data)
	}
	s := export(t, planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: plan5().Slots[1:2]}, nil, nil, opt)
	c := readCalendar(t, s, 2030)
	cats, err := c.events[0].Props.Get(goical.PropCategories).TextList()
	if err != nil || !slices.Equal(cats, []string{"Write, edit; post", "Informing"}) {
		t.Errorf("CATEGORIES %q %v", cats, err)
	}
	if !strings.Contains(unfold(s), `CATEGORIES:Write\, edit\; post,Informing`) {
		t.Errorf("CATEGORIES not escaped:\n%s", s)
	}
}

func TestFoldingInExport(t *testing.T) {
	// Every offset of the fold point against a two-, three- and four-octet
	// character: the summary and description lines cross 75 octets in each.
	for pad := range 80 {
		body := strings.Repeat("a", pad) + "äöå€😀👩‍💻ÄÖ " + strings.Repeat("Hyvää päivää 🌞 ", 12)
		posts := []planner.Post{{ID: "p", OccurrenceID: "tue-write@2026-12-01", Text: body, Status: planner.StatusDraft}}
		s := export(t, plan5(), nil, posts, options(t, "fi"))
		c := readCalendar(t, s, 2030)
		var ev *goical.Component
		for _, e := range c.events {
			if text(t, e.Props, goical.PropUID) == "tue-write@2026-12-01@kaiku" {
				ev = e
			}
		}
		if ev == nil {
			t.Fatal("no event")
		}
		if got := text(t, ev.Props, goical.PropDescription); got != strings.TrimSpace(body) {
			t.Fatalf("pad %d: DESCRIPTION %q", pad, got)
		}
		sum := text(t, ev.Props, goical.PropSummary)
		if !strings.HasPrefix(sum, "Kaiku: Kirjoita (Tiedottaminen) – "+strings.Repeat("a", min(pad, 70))) || !strings.HasSuffix(sum, "…") {
			t.Fatalf("pad %d: SUMMARY %q", pad, sum)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, rec := range []bool{false, true} {
		opt := options(t, "en")
		opt.Recurring = rec
		a := export(t, plan5(), exceptions5(t), posts5(), opt)
		b := export(t, plan5(), exceptions5(t), posts5(), opt)
		if a != b {
			t.Errorf("recurring %v: two exports of the same differ", rec)
		}
	}
}

// uidSeq maps each event's UID (and RECURRENCE-ID) to its SEQUENCE.
func uidSeq(t *testing.T, s string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, ev := range readCalendar(t, s, 2030).events {
		k := text(t, ev.Props, goical.PropUID)
		if r := ev.Props.Get(goical.PropRecurrenceID); r != nil {
			k += " " + r.Value
		}
		if _, dup := out[k]; dup {
			t.Errorf("two events %s", k)
		}
		out[k] = seq(t, ev)
	}
	return out
}

func TestSequenceAfterEdit(t *testing.T) {
	base := plan5()
	for i := range base.Slots {
		base.Slots[i].Changed = changedAt
	}
	edited := plan5()
	copy(edited.Slots, base.Slots)
	edited.Slots[1].Start = clock(9, 30)          // tue-write moves half an hour later
	edited.Slots[1].Changed = now5.Add(time.Hour) // after the first export, as a real edit is

	for _, rec := range []bool{false, true} {
		opt := options(t, "en")
		opt.Recurring = rec
		first := uidSeq(t, export(t, base, exceptions5(t), posts5(), opt))
		opt.Now = opt.Now.Add(3 * time.Hour) // a later export
		second := uidSeq(t, export(t, edited, exceptions5(t), posts5(), opt))
		if len(first) != len(second) {
			t.Fatalf("recurring %v: %d events, then %d", rec, len(first), len(second))
		}
		grew := 0
		for uid, s1 := range first {
			s2, ok := second[uid]
			if rec && !ok && strings.HasPrefix(uid, "tue-write@kaiku ") {
				// An override's RECURRENCE-ID names the instance, which moved with the slot.
				uid = strings.Replace(uid, "T090000", "T093000", 1)
				s2, ok = second[uid]
			}
			if !ok {
				t.Errorf("recurring %v: %s vanished", rec, uid)
				continue
			}
			switch {
			case strings.HasPrefix(uid, "tue-write@"):
				if s2 <= s1 {
					t.Errorf("recurring %v: %s SEQUENCE %d then %d, want growth", rec, uid, s1, s2)
				}
				grew++
			case s1 != s2:
				t.Errorf("recurring %v: %s SEQUENCE %d then %d, want the same", rec, uid, s1, s2)
			}
		}
		if grew == 0 {
			t.Errorf("recurring %v: no event of the edited slot", rec)
		}
	}
}

func TestSequenceFollowsPostAndException(t *testing.T) {
	want := map[string]int{
		// Only the slot changed: minutes from 2020-01-01 to changedAt.
		"thu-write@2026-12-03@kaiku": ical.Sequence(changedAt),
		// The post's update is the latest change.
		"tue-write@2026-12-01@kaiku": ical.Sequence(time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)),
		// The move's update.
		"fri-converse@2026-12-11@kaiku": ical.Sequence(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)),
	}
	p := plan5()
	for i := range p.Slots {
		p.Slots[i].Changed = changedAt
	}
	got := uidSeq(t, export(t, p, exceptions5(t), posts5(), options(t, "en")))
	for uid, w := range want {
		if got[uid] != w {
			t.Errorf("%s SEQUENCE %d, want %d", uid, got[uid], w)
		}
	}
	if n := ical.Sequence(time.Date(2020, 1, 1, 1, 0, 0, 0, time.UTC)); n != 60 {
		t.Errorf("Sequence an hour after the epoch = %d", n)
	}
	if ical.Sequence(time.Time{}) != 0 || ical.Sequence(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)) != 0 {
		t.Errorf("Sequence of no change is not 0")
	}
	if n := ical.Sequence(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); n != 1<<31-1 {
		t.Errorf("Sequence far ahead = %d, want the INTEGER maximum", n)
	}
}

func TestOptionErrors(t *testing.T) {
	good := options(t, "en")
	for _, tc := range []struct {
		name string
		plan planner.SlotPlan
		opt  func(*ical.Options)
		is   error
	}{
		{"too many weeks", plan5(), func(o *ical.Options) { o.Weeks = 53 }, ical.ErrWeeks},
		{"negative weeks", plan5(), func(o *ical.Options) { o.Weeks = -1 }, ical.ErrWeeks},
		{"reminder", plan5(), func(o *ical.Options) { o.ReminderMinutes = -5 }, planner.ErrInvalid},
		{"reminder too early", plan5(), func(o *ical.Options) { o.ReminderMinutes = planner.MaxReminderMinutes + 1 }, planner.ErrInvalid},
		{"local zone", planner.SlotPlan{ID: "p", TimeZone: "Local", Slots: plan5().Slots}, nil, planner.ErrInvalid},
		{"no zone", planner.SlotPlan{ID: "p", Slots: plan5().Slots}, nil, planner.ErrInvalid},
		{"empty plan", planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki"}, nil, ical.ErrEmpty},
		{"empty plan recurring", planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki"}, func(o *ical.Options) { o.Recurring = true }, ical.ErrEmpty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := good
			if tc.opt != nil {
				tc.opt(&opt)
			}
			var b bytes.Buffer
			err := ical.Export(&b, tc.plan, nil, nil, opt)
			if !errors.Is(err, tc.is) {
				t.Errorf("error %v, want %v", err, tc.is)
			}
			var inv *planner.InvalidError
			if !errors.As(err, &inv) || inv.Key == "" {
				t.Errorf("error %v carries no translation key", err)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes on error", b.Len())
			}
		})
	}
	opt := good
	opt.Translate = nil
	if err := ical.Export(&bytes.Buffer{}, plan5(), nil, nil, opt); err == nil {
		t.Errorf("no error without a translate function")
	}
}

func TestDefaults(t *testing.T) {
	opt := options(t, "en")
	opt.From, opt.Weeks = time.Time{}, 0
	opt.Now = time.Date(2026, 12, 2, 11, 0, 0, 0, time.UTC) // Wednesday 13:00 in Helsinki
	evs, err := ical.Events(plan5(), nil, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	// Four weeks from now: Wednesday's 12:00 slot has passed, four weeks on it has not come.
	if len(evs) != 20 || evs[0].OccurrenceID != "thu-write@2026-12-03" || evs[19].OccurrenceID != "wed-share@2026-12-30" {
		t.Errorf("%d events, %s … %s", len(evs), evs[0].OccurrenceID, evs[len(evs)-1].OccurrenceID)
	}
	opt.Now = time.Time{}
	s := export(t, plan5(), nil, nil, opt)
	if !strings.Contains(s, "DTSTAMP:"+time.Now().UTC().Format("20060102")) {
		t.Errorf("DTSTAMP is not now")
	}
}

func TestUTCZonePlan(t *testing.T) {
	for _, zone := range []string{"UTC", "Etc/UTC"} {
		for _, rec := range []bool{false, true} {
			p := plan5()
			p.TimeZone = zone
			opt := options(t, "en")
			opt.From = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
			opt.Recurring = rec
			s := export(t, p, nil, nil, opt)
			if strings.Contains(s, "TZID") || strings.Contains(s, "VTIMEZONE") {
				t.Errorf("%s recurring %v: a UTC plan names a zone", zone, rec)
			}
			if !strings.Contains(s, "DTSTART:20261130T083000Z") {
				t.Errorf("%s recurring %v: no Monday 08:30Z", zone, rec)
			}
		}
	}
}

// TestPostsByHandGoInAsEventsOfTheirOwn: a scheduled post with a network to
// post on by hand is an event at its time with its text and the network's
// composer; one that goes out through an account, a draft, and one past the
// range are not.
func TestPostsByHandGoInAsEventsOfTheirOwn(t *testing.T) {
	at := time.Date(2026, 12, 2, 13, 0, 0, 0, time.UTC)
	hand := planner.Post{ID: "hand1", Status: planner.StatusScheduled, Time: at, Updated: changedAt,
		Text:    "Kolme havaintoa kirjastoista\nLue lisää",
		Targets: []planner.Target{{Network: planner.NetworkLinkedIn}, {AccountID: "acct", Network: planner.NetworkX}}}
	draft := hand
	draft.ID, draft.Status = "draft1", planner.StatusDraft
	late := hand
	late.ID, late.Time = "late1", at.AddDate(0, 2, 0)
	linked := hand
	linked.ID, linked.Targets = "linked1", []planner.Target{{AccountID: "acct", Network: planner.NetworkX}}
	opt := options(t, "en")
	opt.ComposeURL = func(n planner.Network, text string) (string, error) {
		return "https://compose.example/" + string(n) + "?text=" + strings.ReplaceAll(text, "\n", "%0A"), nil
	}
	cal := decode(t, export(t, plan5(), nil, []planner.Post{hand, draft, late, linked}, opt))
	var found []*goical.Component
	for _, ev := range cal.Events() {
		if uid, _ := ev.Props.Text(goical.PropUID); strings.HasPrefix(uid, "post-") {
			found = append(found, ev.Component)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d post-by-hand events, want 1", len(found))
	}
	ev := found[0]
	summary, _ := ev.Props.Text(goical.PropSummary)
	desc, _ := ev.Props.Text(goical.PropDescription)
	start, err := ev.Props.DateTime(goical.PropDateTimeStart, time.UTC)
	if err != nil || !start.Equal(at) {
		t.Errorf("starts %v (%v), want %v", start, err, at)
	}
	if summary != "Post by hand on LinkedIn: Kolme havaintoa kirjastoista" {
		t.Errorf("summary %q", summary)
	}
	if !strings.Contains(desc, "Kolme havaintoa kirjastoista\nLue lisää") || !strings.Contains(desc, "https://compose.example/linkedin?text=Kolme") || strings.Contains(desc, "compose.example/x") {
		t.Errorf("description %q", desc)
	}
	// Without a composer to link to, the file holds the slots alone.
	opt.ComposeURL = nil
	if s := export(t, plan5(), nil, []planner.Post{hand}, opt); strings.Contains(s, "UID:post-") {
		t.Error("a post-by-hand event without ComposeURL")
	}
}
