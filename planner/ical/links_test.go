package ical_test

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kaiku-app/kaiku/planner/ical"
)

func linkEvent(t *testing.T) ical.Event {
	hel := mustLoad(t, "Europe/Helsinki")
	return ical.Event{
		Summary:     "Kaiku: Kirjoita (Tiedottaminen) – Sää & sähkö: 50 % + 🌞",
		Description: "Rivi yksi; kaksi, kolme\nRivi #2 ?a=b&c=d / \\",
		Start:       time.Date(2026, 12, 1, 9, 0, 0, 0, hel),
		End:         time.Date(2026, 12, 1, 9, 30, 0, 0, hel),
	}
}

func TestGoogleCalendarURL(t *testing.T) {
	ev := linkEvent(t)
	s := ical.GoogleCalendarURL(ev)
	if !strings.HasPrefix(s, "https://calendar.google.com/calendar/render?action=TEMPLATE&text=") {
		t.Errorf("URL %s", s)
	}
	if !strings.Contains(s, "&dates=20261201T070000Z/20261201T073000Z&") {
		t.Errorf("dates not in UTC: %s", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, want := range map[string]string{
		"action": "TEMPLATE", "text": ev.Summary, "details": ev.Description, "dates": "20261201T070000Z/20261201T073000Z",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if len(q) != 4 {
		t.Errorf("parameters %v", q)
	}
	checkLinkForm(t, s)
}

func TestOutlookURL(t *testing.T) {
	ev := linkEvent(t)
	s := ical.OutlookURL(ev)
	if !strings.HasPrefix(s, "https://outlook.live.com/calendar/0/deeplink/compose?subject=") ||
		!strings.HasSuffix(s, "&path=/calendar/action/compose&rru=addevent") {
		t.Errorf("URL %s", s)
	}
	if !strings.Contains(s, "&startdt=2026-12-01T07:00:00Z&enddt=2026-12-01T07:30:00Z&") {
		t.Errorf("times not in UTC: %s", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, want := range map[string]string{
		"subject": ev.Summary, "body": ev.Description, "startdt": "2026-12-01T07:00:00Z", "enddt": "2026-12-01T07:30:00Z",
		"path": "/calendar/action/compose", "rru": "addevent",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	checkLinkForm(t, s)
}

// checkLinkForm: spaces as %20 (Outlook shows a "+" as a plus), nothing
// unescaped that would end a parameter early.
func checkLinkForm(t *testing.T, s string) {
	t.Helper()
	if strings.ContainsAny(s, " +\n#") {
		t.Errorf("unescaped space, plus, newline or hash: %s", s)
	}
	if !strings.Contains(s, "%20") || !strings.Contains(s, "%2B") || !strings.Contains(s, "%26") || !strings.Contains(s, "%0A") {
		t.Errorf("escapes missing: %s", s)
	}
}

func TestLinksCutLongTexts(t *testing.T) {
	ev := linkEvent(t)
	ev.Summary = strings.Repeat("Otsikko 👩‍💻 ", 100)
	ev.Description = strings.Repeat("Pitkä teksti äöå 🌞, ", 1000)
	for _, s := range []string{ical.GoogleCalendarURL(ev), ical.OutlookURL(ev)} {
		if len(s) > 16000 {
			t.Errorf("link of %d bytes", len(s))
		}
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range u.Query() {
			if !utf8.ValidString(v[0]) {
				t.Errorf("cut inside a character: %q", v[0])
			}
		}
		q := u.Query()
		title, body := q.Get("text")+q.Get("subject"), q.Get("details")+q.Get("body")
		if !strings.HasSuffix(title, "…") || !strings.HasSuffix(body, "…") || utf8.RuneCountInString(body) > 1000 {
			t.Errorf("texts not cut: %d, %d characters", utf8.RuneCountInString(title), utf8.RuneCountInString(body))
		}
	}
}

func TestLinksFromEvents(t *testing.T) {
	evs, err := ical.Events(plan5(), exceptions5(t), posts5(), options(t, "fi"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		for _, s := range []string{ical.GoogleCalendarURL(ev), ical.OutlookURL(ev)} {
			u, err := url.Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if q.Get("text")+q.Get("subject") != ev.Summary {
				t.Errorf("title %q, want %q", q.Get("text")+q.Get("subject"), ev.Summary)
			}
		}
	}
}
