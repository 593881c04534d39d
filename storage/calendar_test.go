package storage

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

func testCalendar(id string) planner.CalendarSource {
	return planner.CalendarSource{ID: id, Kind: planner.CalendarURL, Address: "https://outlook.office365.com/owa/calendar/abc/" + id + "/calendar.ics",
		Added: at(2026, 11, 1, 8, 0)}
}

func window(id string, intervals ...planner.BusyInterval) planner.BusyWindow {
	return planner.BusyWindow{SourceID: id, From: at(2026, 11, 23, 0, 0), To: at(2027, 5, 31, 0, 0), Intervals: intervals}
}

func busy(d, h1, h2 int, tentative bool) planner.BusyInterval {
	return planner.BusyInterval{Start: at(2026, 12, d, h1, 0), End: at(2026, 12, d, h2, 0), Tentative: tentative}
}

func TestCalendarSourcesKeepBusyTime(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	for _, id := range []string{"c1", "c2"} {
		if err := s.SaveCalendarSource(ctx, testCalendar(id)); err != nil {
			t.Fatal(err)
		}
	}
	c1 := testCalendar("c1")
	c1.ETag, c1.Refreshed = `"v1"`, at(2026, 11, 30, 9, 0)
	if err := s.SaveCalendarBusy(ctx, c1, window("c1", busy(1, 9, 10, false), busy(2, 9, 10, true))); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCalendarBusy(ctx, testCalendar("c2"), window("c2", busy(1, 8, 11, true), busy(3, 12, 13, false))); err != nil {
		t.Fatal(err)
	}
	got, err := s.BusyBetween(ctx, at(2026, 12, 1, 0, 0), at(2026, 12, 3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := []planner.BusyInterval{busy(1, 8, 9, true), busy(1, 9, 10, false), busy(1, 10, 11, true), busy(2, 9, 10, true)}
	if !slices.EqualFunc(got, want, sameInterval) {
		t.Errorf("busy %v, want %v (two calendars merged, firm over tentative)", got, want)
	}
	stored, err := s.CalendarSource(ctx, "c1")
	if err != nil || stored.ETag != `"v1"` || !stored.KnownUntil.Equal(at(2027, 5, 31, 0, 0)) {
		t.Errorf("source %+v %v: validators or KnownUntil not kept", stored, err)
	}

	// A refresh that failed keeps the busy time and says why.
	if _, err := s.UpdateCalendarSource(ctx, "c1", func(c *planner.CalendarSource) { c.LastError = "the server did not answer" }); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.BusyBetween(ctx, at(2026, 12, 2, 0, 0), at(2026, 12, 3, 0, 0)); len(got) != 1 {
		t.Errorf("busy time after a failed refresh: %v", got)
	}

	if err := s.DeleteCalendarSource(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.BusyBetween(ctx, at(2026, 12, 1, 0, 0), at(2026, 12, 4, 0, 0))
	if !slices.EqualFunc(got, []planner.BusyInterval{busy(1, 8, 11, true), busy(3, 12, 13, false)}, sameInterval) {
		t.Errorf("after removing c1: %v", got)
	}
	// A refresh finishing after the removal brings nothing back.
	if err := s.SaveCalendarBusy(ctx, c1, window("c1", busy(5, 9, 10, false))); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("SaveCalendarBusy after removal: %v, want ErrNotFound", err)
	}
	if _, err := s.UpdateCalendarSource(ctx, "c1", func(*planner.CalendarSource) {}); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("UpdateCalendarSource after removal: %v, want ErrNotFound", err)
	}
	if list, _ := s.CalendarSources(ctx); len(list) != 1 || list[0].ID != "c2" {
		t.Errorf("sources %v", list)
	}
	if err := s.DeleteCalendarSource(ctx, "c1"); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if err := s.SaveCalendarBusy(ctx, testCalendar("c2"), window("c1")); err == nil {
		t.Error("a window of another calendar was saved")
	}
	if err := s.SaveCalendarSource(ctx, planner.CalendarSource{ID: "c3", Kind: planner.CalendarURL, Address: "ftp://x"}); !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("an ftp address: %v", err)
	}
}

func sameInterval(a, b planner.BusyInterval) bool {
	return a.Start.Equal(b.Start) && a.End.Equal(b.End) && a.Tentative == b.Tentative
}

// fixtureSecrets are texts of the calendar fixtures' events: titles,
// places, people and descriptions, none of which Kaiku may keep.
var fixtureSecrets = []string{
	"Tiimipalaveri", "Neuvotteluhuone", "yt-neuvottelut", "liisa.korhonen", "Maija Virtanen", "Lomalla",
	"Lounas", "Budjettikatselmus", "Partner call", "Aamupalaveri", "Kriisiviestintä", "Mentorointi",
	"Hammaslääkäri", "Fortum", "Konferenssimatka", "Aleksis Kiven", "aamukahvi", "Viikonloppupäivystys",
}

// TestCalendarStoreKeepsNoTitle: after the Outlook and Google exports are
// read and stored, no text of their events is in any stored value, key or
// the JSON export, and a fixture title is found by the same scan when
// planted, so the scan does look.
func TestCalendarStoreKeepsNoTitle(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	hel, _ := time.LoadLocation("Europe/Helsinki")
	from, to := time.Date(2026, 9, 28, 0, 0, 0, 0, hel), time.Date(2027, 4, 5, 0, 0, 0, 0, hel)
	for i, name := range []string{"outlook.ics", "google.ics", "dst.ics"} {
		f, err := os.Open(filepath.Join("..", "planner", "ical", "testdata", "busy", name))
		if err != nil {
			t.Fatal(err)
		}
		res, err := ical.ParseBusy(f, ical.BusyOptions{From: from, To: to, Local: hel})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		abs, _ := filepath.Abs(name)
		c := planner.CalendarSource{ID: "cal" + string(rune('1'+i)), Kind: planner.CalendarFile, Address: abs, Added: from}
		if err := s.SaveCalendarSource(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveCalendarBusy(ctx, c, planner.BusyWindow{SourceID: c.ID, From: from, To: to, Intervals: res.Intervals}); err != nil {
			t.Fatal(err)
		}
	}
	scan := func() []string {
		var found []string
		var dump bytes.Buffer
		err := s.view(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.DefaultIteratorOptions)
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				dump.Write(it.Item().Key())
				v, err := it.Item().ValueCopy(nil)
				if err != nil {
					return err
				}
				dump.Write(v)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ExportJSON(ctx, &dump); err != nil {
			t.Fatal(err)
		}
		for _, secret := range fixtureSecrets {
			if strings.Contains(dump.String(), secret) {
				found = append(found, secret)
			}
		}
		return found
	}
	if found := scan(); len(found) > 0 {
		t.Errorf("stored or exported: %q", found)
	}
	if got, _ := s.BusyBetween(ctx, from, to); len(got) < 40 {
		t.Fatalf("only %d busy intervals stored: the fixtures were not read", len(got))
	}
	if _, err := s.UpdateCalendarSource(ctx, "cal1", func(c *planner.CalendarSource) { c.LastError = "Tiimipalaveri" }); err != nil {
		t.Fatal(err)
	}
	if found := scan(); !slices.Contains(found, "Tiimipalaveri") {
		t.Error("the scan did not find a planted title")
	}
}

func kitGoal(id, title string) planner.KitGoal {
	return planner.KitGoal{ID: id, Title: title, Audiences: []planner.Audience{planner.AudienceMedia}}
}

func testKit() planner.OrgKit {
	return planner.OrgKit{Format: planner.OrgKitFormat, Version: 1, Organization: "Energiavirasto",
		Goals:      []planner.KitGoal{kitGoal("k1", "Avoin data tutuksi"), kitGoal("k2", "Energiamurros ymmärrettäväksi")},
		Guidelines: planner.Guidelines{Disclosure: "#energiavirasto", AvoidWords: []string{"halpa*"}},
		Hashtags:   []string{"#energia"}, Feeds: []planner.KitFeed{{URL: "https://example.fi/feed.xml", Title: "Tiedotteet"}},
		Networks: []planner.Network{planner.NetworkLinkedIn}}
}

// exportBytes is the store's JSON export without its time stamp.
func exportBytes(t *testing.T, s *Store) string {
	t.Helper()
	_, b := exportOf(t, s)
	lines := strings.SplitN(string(b), "\n", 2)
	head, _, _ := strings.Cut(lines[0], `"exported"`)
	return head + lines[1]
}

func TestApplyOrgKit(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	own := planner.Goal{ID: "mine", Title: "Oma tavoite", Created: at(2026, 11, 1, 8, 0), Updated: at(2026, 11, 1, 8, 0)}
	if err := s.SaveGoal(ctx, own); err != nil {
		t.Fatal(err)
	}
	st, _ := s.Settings(ctx)
	st.Language, st.Guidelines = "fi", planner.Guidelines{Disclosure: "#oma"}
	if err := s.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}

	now := at(2026, 12, 1, 9, 0)
	ch, err := s.ApplyOrgKit(ctx, testKit(), "https://example.fi/kit.json", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Goals) != 2 || ch.Unchanged {
		t.Errorf("changes %+v, want two goals added", ch)
	}
	goals, _ := s.Goals(ctx)
	if got := goalIDs(goals); !slices.Equal(got, []string{"k1", "k2", "mine"}) {
		t.Errorf("goals %v: the kit's two by their kit IDs, and the user's own", got)
	}
	st, _ = s.Settings(ctx)
	if st.Guidelines.Disclosure != "#energiavirasto" || !slices.Equal(st.Guidelines.AvoidWords, []string{"halpa*"}) || st.Language != "fi" {
		t.Errorf("settings %+v: the guidelines are replaced, the rest kept", st)
	}
	rec, err := s.OrgKit(ctx)
	if err != nil || rec.Source != "https://example.fi/kit.json" || !rec.Received.Equal(now) || rec.Kit.Hashtags[0] != "#energia" {
		t.Errorf("record %+v %v", rec, err)
	}

	// The same kit again changes nothing, not even when it came.
	before := exportBytes(t, s)
	ch, err = s.ApplyOrgKit(ctx, testKit(), "https://example.fi/kit.json", now.Add(time.Hour))
	if err != nil || !ch.Unchanged || len(ch.Goals) != 0 || ch.KeptGoals != 2 {
		t.Errorf("second import: %+v %v", ch, err)
	}
	if after := exportBytes(t, s); after != before {
		t.Errorf("the second import changed the data:\n%s\n%s", before, after)
	}

	// The user edits one kit goal and deletes the other; a newer kit adds
	// only its new goal, and neither brings back nor overwrites the old ones.
	g, _ := s.Goal(ctx, "k1")
	g.Title = "Avoin data tutuksi – oma painotus"
	if err := s.SaveGoal(ctx, g); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteGoal(ctx, "k2"); err != nil {
		t.Fatal(err)
	}
	newer := testKit()
	newer.Goals = append(newer.Goals, kitGoal("k3", "Asiantuntijat näkyviksi"))
	ch, err = s.ApplyOrgKit(ctx, newer, "kit-2027.json", now.AddDate(0, 1, 0))
	if err != nil || len(ch.Goals) != 1 || ch.Goals[0].ID != "k3" {
		t.Fatalf("newer kit: %+v %v", ch, err)
	}
	goals, _ = s.Goals(ctx)
	if got := goalIDs(goals); !slices.Equal(got, []string{"k1", "k3", "mine"}) {
		t.Errorf("goals %v", got)
	}
	if g, _ := s.Goal(ctx, "k1"); g.Title != "Avoin data tutuksi – oma painotus" {
		t.Errorf("the user's edit was overwritten: %q", g.Title)
	}
}

func goalIDs(goals []planner.Goal) []string {
	var ids []string
	for _, g := range goals {
		ids = append(ids, g.ID)
	}
	return ids
}

// TestApplyOrgKitRefusedWritesNothing: a kit that breaks a rule changes no
// byte of the data, whichever part is broken.
func TestApplyOrgKitRefusedWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.SaveGoal(ctx, planner.Goal{ID: "mine", Title: "Oma", Created: at(2026, 11, 1, 8, 0)}); err != nil {
		t.Fatal(err)
	}
	before := exportBytes(t, s)
	for name, broken := range map[string]func(*planner.OrgKit){
		"a goal without a title":     func(k *planner.OrgKit) { k.Goals[1].Title = "" },
		"an unknown audience":        func(k *planner.OrgKit) { k.Goals[0].Audiences = []planner.Audience{"everyone"} },
		"a newer version":            func(k *planner.OrgKit) { k.Version = 2 },
		"no organization":            func(k *planner.OrgKit) { k.Organization = " " },
		"a feed that is no address":  func(k *planner.OrgKit) { k.Feeds[0].URL = "file:///etc/passwd" },
		"two goals with one ID":      func(k *planner.OrgKit) { k.Goals[1].ID = "k1" },
		"a hashtag with a space":     func(k *planner.OrgKit) { k.Hashtags = []string{"#two words"} },
		"an unknown network":         func(k *planner.OrgKit) { k.Networks = []planner.Network{"myspace"} },
		"another format altogether":  func(k *planner.OrgKit) { k.Format = "kaiku-export" },
		"the last goal's id is long": func(k *planner.OrgKit) { k.Goals[1].ID = strings.Repeat("x", 65) },
	} {
		kit := testKit()
		broken(&kit)
		if _, err := s.ApplyOrgKit(ctx, kit, "kit.json", at(2026, 12, 1, 9, 0)); err == nil {
			t.Errorf("%s: applied", name)
		}
		if after := exportBytes(t, s); after != before {
			t.Errorf("%s: the data changed", name)
		}
	}
}
