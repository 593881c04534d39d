package ical_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

func helsinki(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// busyStrings writes intervals as "Mon 2006-01-02 15:04–15:04" in loc, with
// the end's date when it is another day and " tentative" when so.
func busyStrings(bs []planner.BusyInterval, loc *time.Location) []string {
	out := []string{}
	for _, b := range bs {
		s, e := b.Start.In(loc), b.End.In(loc)
		end := e.Format("15:04")
		if s.YearDay() != e.YearDay() {
			end = e.Format("01-02 15:04")
		}
		line := s.Format("Mon 2006-01-02 15:04") + "–" + end
		if b.Tentative {
			line += " tentative"
		}
		out = append(out, line)
	}
	return out
}

func parseFixture(t *testing.T, name string, from, to time.Time, local *time.Location) ical.BusyResult {
	t.Helper()
	f, err := os.Open("testdata/busy/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := ical.ParseBusy(f, ical.BusyOptions{From: from, To: to, Local: local})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// TestParseBusyFixtures reads three calendars made as their apps make them
// and checks every busy interval in the span, in Helsinki time.
func TestParseBusyFixtures(t *testing.T) {
	hel := helsinki(t)
	tests := []struct {
		file     string
		from, to time.Time
		events   int
		want     []string
	}{
		{
			// Outlook: Windows zone names through the calendar's VTIMEZONE (the
			// weekly meeting keeps 10:00 across the end of summer time), a
			// display-name zone only its VTIMEZONE knows, a Windows name it has
			// no VTIMEZONE for (CLDR), an EXDATE (Nov 9), an occurrence moved
			// (Nov 16 to Tuesday 17th 14:00) and one cancelled (Nov 23), an OOF
			// day, a free lunch and a free holiday.
			file: "outlook.ics", from: time.Date(2026, 9, 28, 0, 0, 0, 0, hel), to: time.Date(2027, 1, 4, 0, 0, 0, 0, hel), events: 8,
			want: []string{
				"Mon 2026-10-05 10:00–11:00",
				"Wed 2026-10-07 13:00–14:00 tentative",
				"Thu 2026-10-08 10:00–11:00", // 09:00 in Berlin
				"Mon 2026-10-12 10:00–11:00",
				"Mon 2026-10-19 10:00–11:00",
				"Mon 2026-10-26 10:00–11:00",
				"Fri 2026-10-30 00:00–10-31 00:00",
				"Mon 2026-11-02 10:00–11:00",
				"Tue 2026-11-17 14:00–15:00",
				"Mon 2026-11-30 10:00–11:00",
				"Mon 2026-12-07 10:00–11:00",
				"Mon 2026-12-14 10:00–11:00", // UNTIL is inclusive
			},
		},
		{
			// Google: times in UTC (so a series keeps its UTC time when
			// Helsinki's clocks turn back), UNTIL and COUNT, a tentative series
			// in Europe/Helsinki, a free and a cancelled event, a transparent
			// all-day event and an opaque two-day trip.
			file: "google.ics", from: time.Date(2026, 10, 12, 0, 0, 0, 0, hel), to: time.Date(2026, 11, 9, 0, 0, 0, 0, hel), events: 7,
			want: []string{
				"Mon 2026-10-12 00:00–10-14 00:00",
				"Wed 2026-10-14 08:30–08:45",
				"Thu 2026-10-15 08:30–08:45",
				"Thu 2026-10-15 14:00–16:00",
				"Fri 2026-10-16 08:30–08:45",
				"Mon 2026-10-19 08:30–08:45",
				"Tue 2026-10-20 08:30–08:45",
				"Wed 2026-10-21 08:30–08:45",
				"Wed 2026-10-21 15:00–16:00 tentative",
				"Thu 2026-10-22 08:30–08:45",
				"Thu 2026-10-22 14:00–16:00",
				"Fri 2026-10-23 08:30–08:45",
				"Mon 2026-10-26 07:30–07:45",
				"Tue 2026-10-27 07:30–07:45",
				"Wed 2026-10-28 07:30–07:45",
				"Wed 2026-10-28 15:00–16:00 tentative",
				"Thu 2026-10-29 07:30–07:45",
				"Thu 2026-10-29 13:00–15:00", // COUNT=4 ends here
				"Fri 2026-10-30 07:30–07:45", // UNTIL 05:59:59Z keeps Friday's
				"Wed 2026-11-04 15:00–16:00 tentative",
			},
		},
		{
			// Europe/Helsinki's last Sundays of October and March: a daily
			// series keeps 09:00 across both, RDATEs (one a PERIOD in UTC),
			// EXDATEs listed in one property, a date-only UNTIL, floating time.
			file: "dst.ics", from: time.Date(2026, 10, 19, 0, 0, 0, 0, hel), to: time.Date(2027, 4, 5, 0, 0, 0, 0, hel), events: 4,
			want: []string{
				"Fri 2026-10-23 09:00–09:30",
				"Sat 2026-10-24 09:00–09:30",
				"Sat 2026-10-24 12:00–14:00",
				"Sun 2026-10-25 09:00–09:30",
				"Sun 2026-10-25 12:00–14:00",
				"Mon 2026-10-26 09:00–09:30",
				"Mon 2026-10-26 12:00–15:00", // the RDATE and the floating hour, merged
				"Tue 2026-10-27 09:00–09:30",
				"Fri 2027-03-26 09:00–09:30",
				"Sun 2027-03-28 09:00–09:30",
				"Sun 2027-03-28 13:00–14:00",
				"Tue 2027-03-30 09:00–09:30",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := parseFixture(t, tt.file, tt.from, tt.to, hel)
			if got := busyStrings(res.Intervals, hel); !slices.Equal(got, tt.want) {
				t.Errorf("busy:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if res.Events != tt.events || res.Skipped != 0 || len(res.UnknownZones) != 0 {
				t.Errorf("events %d (want %d), skipped %d, unknown zones %q", res.Events, tt.events, res.Skipped, res.UnknownZones)
			}
		})
	}
}

// TestParseBusyDSTInstants pins the instants, not only the wall clock: the
// weekly meeting is at 07:00 UTC in summer time and 08:00 UTC after.
func TestParseBusyDSTInstants(t *testing.T) {
	hel := helsinki(t)
	res := parseFixture(t, "outlook.ics", time.Date(2026, 10, 19, 0, 0, 0, 0, hel), time.Date(2026, 10, 27, 0, 0, 0, 0, hel), hel)
	want := []time.Time{time.Date(2026, 10, 19, 7, 0, 0, 0, time.UTC), time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC)}
	if len(res.Intervals) != 2 || !res.Intervals[0].Start.Equal(want[0]) || !res.Intervals[1].Start.Equal(want[1]) {
		t.Errorf("got %v, want starts %v", res.Intervals, want)
	}
}

// cal wraps VEVENT lines (and anything else) in a calendar, with CRLFs.
func cal(body string) string {
	s := "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n" + strings.TrimSpace(body) + "\nEND:VCALENDAR\n"
	return strings.ReplaceAll(s, "\n", "\r\n")
}

func event(lines ...string) string {
	return "BEGIN:VEVENT\nDTSTAMP:20260101T000000Z\n" + strings.Join(lines, "\n") + "\nEND:VEVENT\n"
}

// TestParseBusyRules: what counts as busy, and how each way of writing a
// time is read. The span is the week of 2026-W41 in Helsinki.
func TestParseBusyRules(t *testing.T) {
	hel := helsinki(t)
	from, to := time.Date(2026, 10, 5, 0, 0, 0, 0, hel), time.Date(2026, 10, 12, 0, 0, 0, 0, hel)
	one := func(extra ...string) string {
		return event(append([]string{"UID:a", "DTSTART:20261006T070000Z", "DTEND:20261006T080000Z"}, extra...)...)
	}
	allDay := func(extra ...string) string {
		return event(append([]string{"UID:d", "DTSTART;VALUE=DATE:20261007", "DTEND;VALUE=DATE:20261008"}, extra...)...)
	}
	tests := []struct {
		name     string
		body     string
		want     []string
		skipped  int
		unknowns []string
	}{
		{"a timed event is busy", one(), []string{"Tue 2026-10-06 10:00–11:00"}, 0, nil},
		{"confirmed and opaque", one("STATUS:CONFIRMED", "TRANSP:OPAQUE"), []string{"Tue 2026-10-06 10:00–11:00"}, 0, nil},
		{"cancelled", one("STATUS:CANCELLED"), nil, 0, nil},
		{"transparent", one("TRANSP:TRANSPARENT"), nil, 0, nil},
		{"Outlook free", one("X-MICROSOFT-CDO-BUSYSTATUS:FREE", "TRANSP:OPAQUE"), nil, 0, nil},
		{"Outlook working elsewhere", one("X-MICROSOFT-CDO-BUSYSTATUS:WORKINGELSEWHERE"), nil, 0, nil},
		{"tentative", one("STATUS:TENTATIVE"), []string{"Tue 2026-10-06 10:00–11:00 tentative"}, 0, nil},
		{"Outlook tentative", one("X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE"), []string{"Tue 2026-10-06 10:00–11:00 tentative"}, 0, nil},
		{"Outlook busy over transparent", one("X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "TRANSP:TRANSPARENT"), []string{"Tue 2026-10-06 10:00–11:00"}, 0, nil},
		{"an all-day event that says nothing is free", allDay(), nil, 0, nil},
		{"an all-day event, transparent", allDay("TRANSP:TRANSPARENT"), nil, 0, nil},
		{"an all-day event, opaque", allDay("TRANSP:OPAQUE"), []string{"Wed 2026-10-07 00:00–10-08 00:00"}, 0, nil},
		{"an all-day event, out of office", allDay("X-MICROSOFT-CDO-BUSYSTATUS:OOF"), []string{"Wed 2026-10-07 00:00–10-08 00:00"}, 0, nil},
		{"an all-day event without an end takes its day", event("UID:d", "DTSTART;VALUE=DATE:20261007", "TRANSP:OPAQUE"), []string{"Wed 2026-10-07 00:00–10-08 00:00"}, 0, nil},
		{"a timed event without an end takes no time", event("UID:z", "DTSTART:20261006T070000Z"), nil, 0, nil},
		{"DURATION", event("UID:a", "DTSTART:20261006T070000Z", "DURATION:PT1H30M"), []string{"Tue 2026-10-06 10:00–11:30"}, 0, nil},
		{"an IANA zone", event("UID:a", "DTSTART;TZID=Europe/Berlin:20261006T090000", "DTEND;TZID=Europe/Berlin:20261006T100000"), []string{"Tue 2026-10-06 10:00–11:00"}, 0, nil},
		{"a Windows zone without a VTIMEZONE, through CLDR", event("UID:a", "DTSTART;TZID=GMT Standard Time:20261006T090000", "DTEND;TZID=GMT Standard Time:20261006T100000"), []string{"Tue 2026-10-06 11:00–12:00"}, 0, nil},
		{"a zone path as Thunderbird writes it", event("UID:a", "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Stockholm:20261006T090000", "DTEND;TZID=/mozilla.org/20050126_1/Europe/Stockholm:20261006T100000"), []string{"Tue 2026-10-06 10:00–11:00"}, 0, nil},
		{"an unknown zone is read as the user's", event("UID:a", "DTSTART;TZID=Mars Standard Time:20261006T090000", "DTEND;TZID=Mars Standard Time:20261006T100000"), []string{"Tue 2026-10-06 09:00–10:00"}, 0, []string{"Mars Standard Time"}},
		{"floating time is the user's", event("UID:a", "DTSTART:20261006T090000", "DTEND:20261006T100000"), []string{"Tue 2026-10-06 09:00–10:00"}, 0, nil},
		{"an end in another zone", event("UID:a", "DTSTART;TZID=Europe/Helsinki:20261006T090000", "DTEND:20261006T070000Z"), []string{"Tue 2026-10-06 09:00–10:00"}, 0, nil},
		{"overlapping events merge, firm over tentative", one() + event("UID:b", "DTSTART:20261006T073000Z", "DTEND:20261006T090000Z", "STATUS:TENTATIVE"),
			[]string{"Tue 2026-10-06 10:00–11:00", "Tue 2026-10-06 11:00–12:00 tentative"}, 0, nil},
		{"an occurrence moved out of the span leaves it", event("UID:s", "DTSTART;TZID=Europe/Helsinki:20261005T100000", "DTEND;TZID=Europe/Helsinki:20261005T110000", "RRULE:FREQ=DAILY;COUNT=3") +
			event("UID:s", "RECURRENCE-ID;TZID=Europe/Helsinki:20261006T100000", "DTSTART;TZID=Europe/Helsinki:20261020T100000", "DTEND;TZID=Europe/Helsinki:20261020T110000"),
			[]string{"Mon 2026-10-05 10:00–11:00", "Wed 2026-10-07 10:00–11:00"}, 0, nil},
		{"a changed occurrence that becomes free", event("UID:s", "DTSTART:20261005T070000Z", "DTEND:20261005T080000Z", "RRULE:FREQ=DAILY;COUNT=2") +
			event("UID:s", "RECURRENCE-ID:20261006T070000Z", "DTSTART:20261006T070000Z", "DTEND:20261006T080000Z", "TRANSP:TRANSPARENT"),
			[]string{"Mon 2026-10-05 10:00–11:00"}, 0, nil},
		{"a changed occurrence without its series stands alone", event("UID:s", "RECURRENCE-ID:20261006T070000Z", "DTSTART:20261008T070000Z", "DTEND:20261008T080000Z"),
			[]string{"Thu 2026-10-08 10:00–11:00"}, 0, nil},
		{"an all-day series with a DATE EXDATE", event("UID:d", "DTSTART;VALUE=DATE:20261005", "DTEND;VALUE=DATE:20261006", "TRANSP:OPAQUE", "RRULE:FREQ=DAILY;UNTIL=20261007", "EXDATE;VALUE=DATE:20261006"),
			[]string{"Mon 2026-10-05 00:00–10-06 00:00", "Wed 2026-10-07 00:00–10-08 00:00"}, 0, nil},
		{"a series that began years ago", event("UID:y", "DTSTART;TZID=Europe/Helsinki:20190107T080000", "DTEND;TZID=Europe/Helsinki:20190107T081500", "RRULE:FREQ=WEEKLY;BYDAY=MO"),
			[]string{"Mon 2026-10-05 08:00–08:15"}, 0, nil},
		{"a monthly series on the first Friday", event("UID:m", "DTSTART;TZID=Europe/Helsinki:20260102T130000", "DTEND;TZID=Europe/Helsinki:20260102T140000", "RRULE:FREQ=MONTHLY;BYDAY=1FR"),
			[]string{"Fri 2026-10-02 13:00–14:00"}[:0], 0, nil}, // the first Friday of October is the 2nd, before the span
		{"an hourly series is not read", event("UID:h", "DTSTART:20261006T070000Z", "DTEND:20261006T071500Z", "RRULE:FREQ=HOURLY"), nil, 1, nil},
		{"a broken RRULE is not read", event("UID:h", "DTSTART:20261006T070000Z", "DTEND:20261006T071500Z", "RRULE:FREQ=SOMETIMES"), nil, 1, nil},
		{"an event without a start is not read", event("UID:n", "DTEND:20261006T080000Z") + one(), []string{"Tue 2026-10-06 10:00–11:00"}, 1, nil},
		{"an end before the start is not read", event("UID:n", "DTSTART:20261006T080000Z", "DTEND:20261006T070000Z"), nil, 1, nil},
		{"a date that does not exist is not read", event("UID:n", "DTSTART:20261306T080000Z", "DTEND:20261306T090000Z"), nil, 1, nil},
		{"only what overlaps the span", event("UID:o", "DTSTART:20261011T200000Z", "DTEND:20261011T220000Z") + event("UID:p", "DTSTART:20261012T000000Z", "DTEND:20261012T010000Z"),
			[]string{"Sun 2026-10-11 23:00–10-12 01:00"}, 0, nil},
		{"to-dos are not busy", "BEGIN:VTODO\nUID:t\nDTSTART:20261006T070000Z\nDUE:20261006T080000Z\nEND:VTODO\n", nil, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ical.ParseBusy(strings.NewReader(cal(tt.body)), ical.BusyOptions{From: from, To: to, Local: hel})
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if got := busyStrings(res.Intervals, hel); !slices.Equal(got, want) {
				t.Errorf("busy %q, want %q", got, want)
			}
			if res.Skipped != tt.skipped || !slices.Equal(res.UnknownZones, tt.unknowns) {
				t.Errorf("skipped %d, unknown zones %q; want %d, %q", res.Skipped, res.UnknownZones, tt.skipped, tt.unknowns)
			}
		})
	}
}

// TestVTimezoneAgreesWithIANA: a zone built from Outlook's VTIMEZONE for
// Helsinki gives every hour of 2026 and 2027 the offset Go's zone data does.
func TestVTimezoneAgreesWithIANA(t *testing.T) {
	hel := helsinki(t)
	body := "BEGIN:VTIMEZONE\nTZID:Custom Helsinki\nBEGIN:STANDARD\nDTSTART:16010101T040000\nTZOFFSETFROM:+0300\nTZOFFSETTO:+0200\n" +
		"RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\n" +
		"TZOFFSETTO:+0300\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n"
	var events strings.Builder
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, hel)
	to := time.Date(2028, 1, 1, 0, 0, 0, 0, hel)
	n := 0
	for day := from; day.Before(to); day = day.AddDate(0, 0, 1) {
		// A one-minute event at 12:00 on each day, in the custom zone.
		fmt.Fprintf(&events, "BEGIN:VEVENT\nUID:%d\nDTSTART;TZID=Custom Helsinki:%s\nDURATION:PT1M\nEND:VEVENT\n", n, day.Format("20060102")+"T120000")
		n++
	}
	res, err := ical.ParseBusy(strings.NewReader(cal(body+events.String())), ical.BusyOptions{From: from, To: to, Local: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Intervals) != n {
		t.Fatalf("%d intervals, want %d", len(res.Intervals), n)
	}
	for _, b := range res.Intervals {
		if l := b.Start.In(hel); l.Hour() != 12 || l.Minute() != 0 {
			t.Errorf("%s is %s in Helsinki, want 12:00", b.Start.UTC(), l)
		}
	}
}

// TestParseBusyRefusesWhatIsNoCalendar: one clear error, never a panic.
func TestParseBusyRefusesWhatIsNoCalendar(t *testing.T) {
	hel := helsinki(t)
	deep := strings.Repeat("BEGIN:VX\r\n", 40) + strings.Repeat("END:VX\r\n", 40)
	tests := []struct {
		name, data, key string
	}{
		{"empty", "", ical.KeyErrorNotCalendar},
		{"blank", " \r\n\r\n", ical.KeyErrorNotCalendar},
		{"a web page", "<!DOCTYPE html><html><body>Sign in</body></html>", ical.KeyErrorNotCalendar},
		{"JSON", `{"events": []}`, ical.KeyErrorNotCalendar},
		{"cut short", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261006T070000Z\r\n", ical.KeyErrorNotCalendar},
		{"another component on top", "BEGIN:VCARD\r\nFN:Maija\r\nEND:VCARD\r\n", ical.KeyErrorNotCalendar},
		{"a broken parameter", "BEGIN:VCALENDAR\r\nX;A=\"b\"c:d\r\nEND:VCALENDAR\r\n", ical.KeyErrorNotCalendar},
		{"nested too deep", "BEGIN:VCALENDAR\r\n" + deep + "END:VCALENDAR\r\n", ical.KeyErrorNotCalendar},
		{"too big", "BEGIN:VCALENDAR\r\n" + strings.Repeat("X-PAD:"+strings.Repeat("x", 1000)+"\r\n", ical.MaxCalendarBytes/1000), ical.KeyErrorTooBig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ical.ParseBusy(strings.NewReader(tt.data), ical.BusyOptions{From: time.Now(), To: time.Now().Add(time.Hour), Local: hel})
			var ie *planner.InvalidError
			if !errors.As(err, &ie) || ie.Key != tt.key || !errors.Is(err, planner.ErrInvalid) {
				t.Fatalf("error %v, want an InvalidError with key %s", err, tt.key)
			}
			if len(err.Error()) > 300 {
				t.Errorf("the message is not one clear line: %q", err)
			}
		})
	}
}

// TestParseBusyReturnsOnlyIntervals: nothing of an event's text is in what
// the parser returns, whichever way it is printed.
func TestParseBusyReturnsOnlyIntervals(t *testing.T) {
	hel := helsinki(t)
	for _, file := range []string{"outlook.ics", "google.ics", "dst.ics"} {
		res := parseFixture(t, file, time.Date(2026, 9, 1, 0, 0, 0, 0, hel), time.Date(2027, 6, 1, 0, 0, 0, 0, hel), hel)
		dump := fmt.Sprintf("%+v %#v", res, res)
		for _, secret := range FixtureSecrets {
			if strings.Contains(dump, secret) {
				t.Errorf("%s: %q is in the result", file, secret)
			}
		}
	}
}

// FixtureSecrets are texts of the fixtures' events that must never be kept.
var FixtureSecrets = []string{
	"Tiimipalaveri", "Neuvotteluhuone", "yt-neuvottelut", "liisa.korhonen", "Maija Virtanen", "Lomalla",
	"Lounas", "Budjettikatselmus", "Partner call", "Aamupalaveri", "Kriisiviestintä", "Mentorointi",
	"Hammaslääkäri", "Fortum", "Konferenssimatka", "Aleksis Kiven", "aamukahvi", "Viikonloppupäivystys", "Teams", "Auditorio",
}

// FuzzParseBusy: no input makes the parser panic or hang; it returns a
// clear error or busy time that is merged, ordered and meets the span.
func FuzzParseBusy(f *testing.F) {
	for _, name := range []string{"outlook.ics", "google.ics", "dst.ics"} {
		b, err := os.ReadFile("testdata/busy/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte(cal(event("UID:s", "DTSTART;TZID=X:20261005T100000", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "EXDATE:1,2"))))
	f.Add([]byte(cal("BEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\nDTSTART:16010101T000000\nTZOFFSETFROM:+9999\nTZOFFSETTO:+0100\nRRULE:FREQ=DAILY\nEND:STANDARD\nEND:VTIMEZONE\n" +
		event("UID:v", "DTSTART;TZID=X:20261005T100000", "DURATION:P1W", "RDATE;VALUE=PERIOD:20261005T100000Z/PT1H,20261006T100000/20261005T100000"))))
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:0000\r\nRRULE:FREQ=DAILY;INTERVAL=0;COUNT=-1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	loc := helsinki(f)
	from, to := time.Date(2026, 9, 28, 0, 0, 0, 0, loc), time.Date(2027, 4, 5, 0, 0, 0, 0, loc)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ical.ParseBusy(bytes.NewReader(data), ical.BusyOptions{From: from, To: to, Local: loc})
		if err != nil {
			var ie *planner.InvalidError
			if !errors.As(err, &ie) || ie.Key == "" {
				t.Fatalf("error %v has no message for the user", err)
			}
			return
		}
		for i, b := range res.Intervals {
			if !b.Start.Before(b.End) || !b.Overlaps(from, to) {
				t.Fatalf("interval %d %v is empty or outside the span", i, b)
			}
			if i > 0 && b.Start.Before(res.Intervals[i-1].End) {
				t.Fatalf("intervals %d and %d overlap", i-1, i)
			}
		}
	})
}

// BenchmarkParseBusyHalfYear reads a busy calendar of 400 events, a quarter
// of them weekly series begun years ago, for half a year.
func BenchmarkParseBusyHalfYear(b *testing.B) {
	hel := helsinki(b)
	var body strings.Builder
	body.WriteString("BEGIN:VTIMEZONE\nTZID:FLE Standard Time\nBEGIN:STANDARD\nDTSTART:16010101T040000\nTZOFFSETFROM:+0300\nTZOFFSETTO:+0200\n" +
		"RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\n" +
		"TZOFFSETTO:+0300\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n")
	start := time.Date(2026, 6, 1, 8, 0, 0, 0, hel)
	for i := range 400 {
		at := start.AddDate(0, 0, i%180).Add(time.Duration(i%9) * time.Hour)
		lines := []string{fmt.Sprintf("UID:%d", i), "SUMMARY:Palaveri " + fmt.Sprint(i),
			"DTSTART;TZID=FLE Standard Time:" + at.Format("20060102T150405"), "DURATION:PT45M"}
		if i%4 == 0 {
			lines[2] = "DTSTART;TZID=FLE Standard Time:" + at.AddDate(-3, 0, 0).Format("20060102T150405")
			lines = append(lines, "RRULE:FREQ=WEEKLY;INTERVAL=1")
		}
		body.WriteString(event(lines...))
	}
	data := []byte(cal(body.String()))
	from := time.Date(2026, 9, 28, 0, 0, 0, 0, hel)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := ical.ParseBusy(bytes.NewReader(data), ical.BusyOptions{From: from, To: from.AddDate(0, 0, 26*7), Local: hel})
		if err != nil || len(res.Intervals) == 0 {
			b.Fatal(err, len(res.Intervals))
		}
	}
}
