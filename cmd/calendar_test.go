package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
)

// workCalendar is an Outlook-style calendar around the real date (the
// command line reads the clock): a weekly Monday 10:00–11:00 meeting in
// "FLE Standard Time" that began three weeks ago, and a tentative Tuesday
// hold next week, with the titles, places and people Outlook writes.
func workCalendar(t *testing.T) (ics string, nextMonday time.Time) {
	t.Helper()
	hel, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	nextMonday = planner.WeekStart(time.Now(), hel).AddDate(0, 0, 7)
	first := nextMonday.AddDate(0, 0, -28)
	tue := nextMonday.AddDate(0, 0, 1)
	ics = strings.ReplaceAll(`BEGIN:VCALENDAR
METHOD:PUBLISH
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:FLE Standard Time
BEGIN:STANDARD
DTSTART:16010101T040000
TZOFFSETFROM:+0300
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0300
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E008000000001
SUMMARY;LANGUAGE=fi-FI:Tiimipalaveri
DESCRIPTION:Salainen asialista: yt-neuvottelut
LOCATION:Neuvotteluhuone Kuusi
ORGANIZER;CN=Liisa Korhonen:mailto:liisa.korhonen@example.fi
ATTENDEE;CN=Maija Virtanen:mailto:maija.virtanen@example.fi
RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=MO
DTSTART;TZID=FLE Standard Time:`+first.Format("20060102")+`T100000
DTEND;TZID=FLE Standard Time:`+first.Format("20060102")+`T110000
DTSTAMP:20260101T000000Z
TRANSP:OPAQUE
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
END:VEVENT
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E008000000002
SUMMARY:Budjettikatselmus
DTSTART;TZID=FLE Standard Time:`+tue.Format("20060102")+`T130000
DTEND;TZID=FLE Standard Time:`+tue.Format("20060102")+`T140000
DTSTAMP:20260101T000000Z
X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE
END:VEVENT
END:VCALENDAR
`, "\n", "\r\n")
	return ics, nextMonday
}

var calendarSecrets = []string{"Tiimipalaveri", "yt-neuvottelut", "Neuvotteluhuone", "liisa.korhonen", "Maija Virtanen", "Budjettikatselmus"}

type weekJSON struct {
	Occurrences []struct {
		SlotID   string `json:"slot_id"`
		Conflict *bool  `json:"conflict"`
	} `json:"occurrences"`
	Busy []struct {
		Start     time.Time `json:"start"`
		End       time.Time `json:"end"`
		Tentative *bool     `json:"tentative"`
	} `json:"busy"`
}

// TestCalendarFromAFile: add, list, the week's busy time and conflicts,
// export without a title, remove.
func TestCalendarFromAFile(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	dir := t.TempDir()
	data := filepath.Join(dir, "db")
	ics, nextMonday := workCalendar(t)
	file := filepath.Join(dir, "Kalenteri.ics")
	if err := os.WriteFile(file, []byte(ics), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := kaiku(t, "--data", data, "calendar", "add", file)
	if code != 0 || errOut != "" {
		t.Fatalf("calendar add: exit %d, %q", code, errOut)
	}
	id := strings.TrimSpace(out)
	if strings.Contains(id, "\n") || id == "" {
		t.Fatalf("add printed %q, want one ID", out)
	}

	code, out, _ = kaiku(t, "--data", data, "calendar", "list", "--json")
	var list []planner.CalendarSource
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) != 1 {
		t.Fatalf("list: %d %v %s", code, err, out)
	}
	if c := list[0]; c.ID != id || c.Kind != planner.CalendarFile || c.Address != file || c.Refreshed.IsZero() || c.LastError != "" {
		t.Errorf("listed %+v", c)
	}
	if code, out, _ = kaiku(t, "--data", data, "--lang", "en", "calendar", "list"); code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "ok") {
		t.Errorf("table: %s", out)
	}

	// Two Monday slots, one during the meeting; a Tuesday slot apart from the hold.
	for _, slot := range [][]string{{"mon", "10:30"}, {"mon", "12:00"}, {"tue", "15:00"}} {
		if code, _, errOut := kaiku(t, "--data", data, "plan", "add-slot", "--day", slot[0], "--time", slot[1], "--minutes", "30", "--purpose", "write"); code != 0 {
			t.Fatalf("add-slot: %s", errOut)
		}
	}
	week := planner.ISOWeekString(nextMonday)
	code, out, errOut = kaiku(t, "--data", data, "plan", "--week", week, "--json")
	if code != 0 {
		t.Fatalf("plan: %s", errOut)
	}
	var wk weekJSON
	if err := json.Unmarshal([]byte(out), &wk); err != nil {
		t.Fatal(err)
	}
	if len(wk.Busy) != 2 {
		t.Fatalf("busy %+v, want the Monday meeting and the Tuesday hold", wk.Busy)
	}
	if b := wk.Busy[0]; !b.Start.Equal(nextMonday.Add(10*time.Hour)) || !b.End.Equal(nextMonday.Add(11*time.Hour)) || b.Tentative == nil || *b.Tentative {
		t.Errorf("first busy %+v, want Monday 10–11 firm", b)
	}
	if b := wk.Busy[1]; b.Tentative == nil || !*b.Tentative {
		t.Errorf("second busy %+v, want tentative", b)
	}
	var conflicts []bool
	for _, o := range wk.Occurrences {
		if o.Conflict == nil {
			t.Fatalf("an occurrence without \"conflict\": %s", out)
		}
		conflicts = append(conflicts, *o.Conflict)
	}
	if fmt.Sprint(conflicts) != "[true false false]" {
		t.Errorf("conflicts %v, want only Monday 10:30", conflicts)
	}
	if code, out, _ = kaiku(t, "--data", data, "--lang", "en", "plan", "--week", week); code != 0 || !strings.Contains(out, "overlaps busy time") || !strings.Contains(out, "Busy in your work calendar") {
		t.Errorf("plan table:\n%s", out)
	}

	// Nothing of the calendar but busy time and its address is kept.
	code, out, _ = kaiku(t, "--data", data, "export-json")
	if code != 0 || !strings.Contains(out, `"busy":[`) {
		t.Fatalf("export: %d", code)
	}
	for _, s := range calendarSecrets {
		if strings.Contains(out, s) {
			t.Errorf("the export holds %q", s)
		}
	}

	if code, _, errOut = kaiku(t, "--data", data, "calendar", "add", file); code != 1 || !strings.Contains(errOut, id) {
		t.Errorf("adding it twice: exit %d, %q", code, errOut)
	}
	if code, _, errOut = kaiku(t, "--data", data, "calendar", "remove", id); code != 0 {
		t.Fatalf("remove: %s", errOut)
	}
	_, out, _ = kaiku(t, "--data", data, "plan", "--week", week, "--json")
	if err := json.Unmarshal([]byte(out), &wk); err != nil || len(wk.Busy) != 0 {
		t.Errorf("busy after removal: %s", out)
	}
	if code, _, errOut = kaiku(t, "--data", data, "--lang", "en", "calendar", "remove", id); code != 1 || !strings.Contains(errOut, "there is no calendar") {
		t.Errorf("second remove: %d %q", code, errOut)
	}
}

// TestCalendarAddRefusesWhatIsNoCalendar: one clear line, and nothing kept.
func TestCalendarAddRefusesWhatIsNoCalendar(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "db")
	page := filepath.Join(dir, "login.html")
	os.WriteFile(page, []byte("<html><body>Sign in to Outlook</body></html>"), 0o600)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a web page", []string{"calendar", "add", page}, 1, "is not an iCalendar calendar"},
		{"Finnish", []string{"--lang", "fi", "calendar", "add", page}, 1, "ei ole iCalendar-kalenteri"},
		{"no such file", []string{"calendar", "add", filepath.Join(dir, "nothing.ics")}, 1, "cannot read"},
		{"a folder", []string{"calendar", "add", dir}, 1, "it is not a file"},
		{"another scheme", []string{"calendar", "add", "ftp://example.fi/cal.ics"}, 1, "neither a file nor an https:// address"},
		{"no argument", []string{"calendar", "add"}, 2, "give one .ics file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--data", data}, tc.args...)
			if tc.args[0] != "--lang" {
				args = append([]string{"--lang", "en"}, args...)
			}
			code, _, errOut := kaiku(t, args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || !strings.HasPrefix(errOut, "kaiku: ") {
				t.Errorf("exit %d, %q; want %d and %q", code, errOut, tc.code, tc.want)
			}
		})
	}
	_, out, _ := kaiku(t, "--data", data, "calendar", "list", "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("a refused calendar was kept: %s", out)
	}
}

// calendarServer serves a published calendar the way Outlook's does: with an
// ETag, answering 304 when it is sent back.
type calendarServer struct {
	mu       sync.Mutex
	body     string
	status   int
	requests []*http.Request
}

func (s *calendarServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	if s.status != 0 {
		w.WriteHeader(s.status)
		return
	}
	etag := fmt.Sprintf(`"%x"`, len(s.body))
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	fmt.Fprint(w, s.body)
}

func (s *calendarServer) last() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[len(s.requests)-1]
}

// TestCalendarFromAnAddress: a conditional GET, 304 kept as unchanged, a
// server that fails keeps the busy time and says why, without the secret.
func TestCalendarFromAnAddress(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	ics, nextMonday := workCalendar(t)
	srv := &calendarServer{body: ics}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	data := t.TempDir()
	address := ts.URL + "/owa/calendar/0123456789abcdef0123456789abcdef/reachcalendar.ics?secret=s3cr3t"

	code, out, errOut := kaiku(t, "--data", data, "calendar", "add", address)
	if code != 0 {
		t.Fatalf("add: %d %q", code, errOut)
	}
	id := strings.TrimSpace(out)
	if ua := srv.last().UserAgent(); !strings.HasPrefix(ua, "Kaiku/") {
		t.Errorf("User-Agent %q", ua)
	}
	code, out, _ = kaiku(t, "--data", data, "--lang", "en", "calendar", "refresh")
	if code != 0 || strings.TrimSpace(out) != id+": unchanged" {
		t.Errorf("refresh: %d %q", code, out)
	}
	if got := srv.last().Header.Get("If-None-Match"); got == "" {
		t.Error("the refresh was not a conditional GET")
	}

	srv.mu.Lock()
	srv.status = http.StatusNotFound
	srv.mu.Unlock()
	code, _, errOut = kaiku(t, "--data", data, "--lang", "en", "calendar", "refresh")
	if code != 1 || !strings.Contains(errOut, "404") {
		t.Errorf("a gone calendar: %d %q", code, errOut)
	}
	if strings.Contains(errOut, "s3cr3t") || strings.Contains(errOut, "0123456789abcdef0123") {
		t.Errorf("the error shows the address's secret: %q", errOut)
	}
	_, out, _ = kaiku(t, "--data", data, "calendar", "list", "--json")
	var list []planner.CalendarSource
	json.Unmarshal([]byte(out), &list)
	if len(list) != 1 || !strings.Contains(list[0].LastError, "404") {
		t.Errorf("the failure is not on the source: %+v", list)
	}
	_, out, _ = kaiku(t, "--data", data, "plan", "--week", planner.ISOWeekString(nextMonday), "--json")
	var wk weekJSON
	if err := json.Unmarshal([]byte(out), &wk); err != nil || len(wk.Busy) != 2 {
		t.Errorf("the busy time was lost with the failed refresh: %s", out)
	}
}

// TestFetchDocumentBounds: the fetch gives up on a slow server and a file
// past its limit, with the user's message.
func TestFetchDocumentBounds(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		fmt.Fprint(w, strings.Repeat("x", 2048))
	}))
	defer ts.Close()
	defer close(release)
	web := func(limit int64) *fetch.Client {
		return fetch.New(fetch.Options{Timeout: 200 * time.Millisecond, MaxBytes: limit})
	}
	_, err := fetchDocument(context.Background(), web(1<<20), ts.URL+"/slow?token=abc", "", "", "")
	if err == nil || !strings.Contains(userMessage(err), "did not answer in time") || strings.Contains(userMessage(err), "token=abc") {
		t.Errorf("slow server: %v", err)
	}
	_, err = fetchDocument(context.Background(), web(1024), ts.URL+"/big", "", "", "")
	if err == nil || !strings.Contains(userMessage(err), "larger than") {
		t.Errorf("big file: %v", err)
	}
	got, err := fetchDocument(context.Background(), web(4096), ts.URL+"/big", "", "", "")
	if err != nil || len(got.Body) != 2048 {
		t.Errorf("a file within the limit: %v", err)
	}
}

// TestWebClientNamesKaikusVersion: calendars and kits are fetched with the
// User-Agent the feeds send, which names the version FyneApp.toml states.
func TestWebClientNamesKaikusVersion(t *testing.T) {
	e := &env{about: about{Version: "1.4.2"}, log: logrus.New(), now: time.Now}
	if ua := webClient(e, 1<<20).UserAgent(); !strings.HasPrefix(ua, "Kaiku/1.4.2 ") {
		t.Errorf("User-Agent %q", ua)
	}
}
