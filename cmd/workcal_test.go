package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/assets"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

func workCalendarsEnv(t *testing.T) (workCalendars, *storage.Store) {
	t.Helper()
	hel, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	log := logrus.New()
	log.SetLevel(logrus.ErrorLevel)
	st, err := storage.Open(filepath.Join(t.TempDir(), "db"), storage.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{store: st, loc: hel, now: time.Now, log: log, about: about{Version: "1.4.2"}}
	return newWorkCalendars(e), st
}

// TestWorkCalendarsAdapterAddsAFileAndListsIt: the window's way to the
// work calendars reads an Outlook file into busy time, lists it, keeps
// nothing of its titles, and hands over refusals in the user's words.
func TestWorkCalendarsAdapterAddsAFileAndListsIt(t *testing.T) {
	if err := assets.LoadTranslations("en"); err != nil { // the refusals' words below
		t.Fatal(err)
	}
	w, st := workCalendarsEnv(t)
	ctx := context.Background()
	ics, nextMonday := workCalendar(t)
	file := filepath.Join(t.TempDir(), "Kalenteri.ics")
	if err := os.WriteFile(file, []byte(ics), 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := w.Add(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	list, err := w.Sources(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("sources %+v, %v", list, err)
	}
	if c := list[0]; c.ID != src.ID || c.Kind != planner.CalendarFile || c.Address != file || c.Refreshed.IsZero() || c.LastError != "" {
		t.Errorf("listed %+v", c)
	}
	busy, err := st.BusyBetween(ctx, nextMonday, nextMonday.AddDate(0, 0, 7))
	if err != nil || len(busy) != 2 {
		t.Fatalf("busy next week %+v, %v; want the meeting and the hold", busy, err)
	}
	stored, _ := json.Marshal(list)
	for _, s := range calendarSecrets {
		if strings.Contains(string(stored), s) {
			t.Errorf("the source holds %q", s)
		}
	}

	// The same file again is refused, in words the window shows as they are.
	_, err = w.Add(ctx, file)
	if msg, ok := planner.Explain(err, tr); !ok || !strings.Contains(msg, src.ID) {
		t.Errorf("adding it twice: %q (%v)", msg, ok)
	}
	page := filepath.Join(t.TempDir(), "login.html")
	if err := os.WriteFile(page, []byte("<html><body>Sign in to Outlook</body></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = w.Add(ctx, page)
	if msg, ok := planner.Explain(err, tr); !ok || !strings.Contains(msg, "is not an iCalendar calendar") {
		t.Errorf("a web page: %q (%v)", msg, ok)
	}

	if err := w.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.Remove(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := w.Sources(ctx); len(list) != 0 {
		t.Errorf("after Remove: %+v", list)
	}
	if err := w.Remove(ctx, src.ID); err != nil {
		t.Errorf("removing a calendar gone already: %v", err)
	}
	if busy, _ := st.BusyBetween(ctx, nextMonday, nextMonday.AddDate(0, 0, 7)); len(busy) != 0 {
		t.Errorf("busy time after Remove: %+v", busy)
	}
	if err := w.Refresh(ctx); err != nil {
		t.Errorf("refresh with no calendars: %v", err)
	}
}
