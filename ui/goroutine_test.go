package ui

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
	"github.com/kaiku-app/kaiku/reading"
	"github.com/kaiku-app/kaiku/storage"
)

// uiGuard knows, for each goroutine, whether it runs as the UI goroutine:
// the test's own goroutine stands for it (it taps and types, as Fyne's
// event loop would), a function given to do runs on it, and one given to
// background or write runs off it. The test driver runs all of them inline.
type uiGuard struct {
	t     *testing.T
	ui    uint64 // the test's goroutine
	mu    sync.Mutex
	stack map[uint64][]bool // per goroutine: on the UI goroutine or not, innermost last
	calls int               // store and archive calls seen
}

func newUIGuard(t *testing.T) *uiGuard {
	return &uiGuard{t: t, ui: goroutineID(), stack: map[uint64][]bool{}}
}

// goroutineID reads the calling goroutine's number from its stack header.
func goroutineID() uint64 {
	var buf [64]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	id, _ := strconv.ParseUint(s[:strings.IndexByte(s, ' ')], 10, 64)
	return id
}

// in runs f as the UI goroutine: each subtest has a goroutine of its own.
func (g *uiGuard) in(t *testing.T, f func(t *testing.T)) {
	g.mu.Lock()
	ui, parent := g.ui, g.t
	g.ui, g.t = goroutineID(), t
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.ui, g.t = ui, parent
		g.mu.Unlock()
	}()
	f(t)
}

func (g *uiGuard) run(onUI bool, f func()) {
	id := goroutineID()
	g.mu.Lock()
	g.stack[id] = append(g.stack[id], onUI)
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.stack[id] = g.stack[id][:len(g.stack[id])-1]
		g.mu.Unlock()
	}()
	f()
}

func (g *uiGuard) onUI() bool {
	id := goroutineID()
	g.mu.Lock()
	defer g.mu.Unlock()
	if st := g.stack[id]; len(st) > 0 {
		return st[len(st)-1]
	}
	return id == g.ui
}

// check fails the test when what is called on the UI goroutine.
func (g *uiGuard) check(what string) {
	g.mu.Lock()
	g.calls++
	g.mu.Unlock()
	if g.onUI() {
		var buf [8 << 10]byte
		g.mu.Lock()
		t := g.t
		g.mu.Unlock()
		t.Errorf("%s on the UI goroutine:\n%s", what, buf[:runtime.Stack(buf[:], false)])
	}
}

// guardedStore checks each call of the store it wraps.
type guardedStore struct {
	planner.Store
	g *uiGuard
}

func (s guardedStore) check(method string) { s.g.check("store." + method) }

func (s guardedStore) ImageData(ctx context.Context, a1 string) ([]byte, error) {
	s.check("ImageData")
	return s.Store.ImageData(ctx, a1)
}

func (s guardedStore) SaveImage(ctx context.Context, a1 []byte) (string, error) {
	s.check("SaveImage")
	return s.Store.SaveImage(ctx, a1)
}

func (s guardedStore) Account(ctx context.Context, a1 string) (planner.Account, error) {
	s.check("Account")
	return s.Store.Account(ctx, a1)
}

func (s guardedStore) Accounts(ctx context.Context) ([]planner.Account, error) {
	s.check("Accounts")
	return s.Store.Accounts(ctx)
}

func (s guardedStore) ApplyOrgKit(ctx context.Context, a1 planner.OrgKit, a2 string, a3 time.Time) (planner.OrgKitChanges, error) {
	s.check("ApplyOrgKit")
	return s.Store.ApplyOrgKit(ctx, a1, a2, a3)
}

func (s guardedStore) BusyBetween(ctx context.Context, a1 time.Time, a2 time.Time) ([]planner.BusyInterval, error) {
	s.check("BusyBetween")
	return s.Store.BusyBetween(ctx, a1, a2)
}

func (s guardedStore) CalendarSource(ctx context.Context, a1 string) (planner.CalendarSource, error) {
	s.check("CalendarSource")
	return s.Store.CalendarSource(ctx, a1)
}

func (s guardedStore) CalendarSources(ctx context.Context) ([]planner.CalendarSource, error) {
	s.check("CalendarSources")
	return s.Store.CalendarSources(ctx)
}

func (s guardedStore) DeleteAccount(ctx context.Context, a1 string) error {
	s.check("DeleteAccount")
	return s.Store.DeleteAccount(ctx, a1)
}

func (s guardedStore) DeleteCalendarSource(ctx context.Context, a1 string) error {
	s.check("DeleteCalendarSource")
	return s.Store.DeleteCalendarSource(ctx, a1)
}

func (s guardedStore) DeleteException(ctx context.Context, a1 string) error {
	s.check("DeleteException")
	return s.Store.DeleteException(ctx, a1)
}

func (s guardedStore) DeleteGoal(ctx context.Context, a1 string) error {
	s.check("DeleteGoal")
	return s.Store.DeleteGoal(ctx, a1)
}

func (s guardedStore) DeletePlan(ctx context.Context, a1 string) error {
	s.check("DeletePlan")
	return s.Store.DeletePlan(ctx, a1)
}

func (s guardedStore) DeletePost(ctx context.Context, a1 string) error {
	s.check("DeletePost")
	return s.Store.DeletePost(ctx, a1)
}

func (s guardedStore) Exceptions(ctx context.Context) ([]planner.SlotException, error) {
	s.check("Exceptions")
	return s.Store.Exceptions(ctx)
}

func (s guardedStore) Goal(ctx context.Context, a1 string) (planner.Goal, error) {
	s.check("Goal")
	return s.Store.Goal(ctx, a1)
}

func (s guardedStore) Goals(ctx context.Context) ([]planner.Goal, error) {
	s.check("Goals")
	return s.Store.Goals(ctx)
}

func (s guardedStore) OrgKit(ctx context.Context) (planner.OrgKitRecord, error) {
	s.check("OrgKit")
	return s.Store.OrgKit(ctx)
}

func (s guardedStore) Plan(ctx context.Context, a1 string) (planner.SlotPlan, error) {
	s.check("Plan")
	return s.Store.Plan(ctx, a1)
}

func (s guardedStore) Plans(ctx context.Context) ([]planner.SlotPlan, error) {
	s.check("Plans")
	return s.Store.Plans(ctx)
}

func (s guardedStore) Post(ctx context.Context, a1 string) (planner.Post, error) {
	s.check("Post")
	return s.Store.Post(ctx, a1)
}

func (s guardedStore) PostsBetween(ctx context.Context, a1 time.Time, a2 time.Time) ([]planner.Post, error) {
	s.check("PostsBetween")
	return s.Store.PostsBetween(ctx, a1, a2)
}

func (s guardedStore) PostsWithStatus(ctx context.Context, a1 ...planner.Status) ([]planner.Post, error) {
	s.check("PostsWithStatus")
	return s.Store.PostsWithStatus(ctx, a1...)
}

func (s guardedStore) Profile(ctx context.Context) (planner.RoleProfile, error) {
	s.check("Profile")
	return s.Store.Profile(ctx)
}

func (s guardedStore) SaveAccount(ctx context.Context, a1 planner.Account) error {
	s.check("SaveAccount")
	return s.Store.SaveAccount(ctx, a1)
}

func (s guardedStore) SaveCalendarBusy(ctx context.Context, a1 planner.CalendarSource, a2 planner.BusyWindow) error {
	s.check("SaveCalendarBusy")
	return s.Store.SaveCalendarBusy(ctx, a1, a2)
}

func (s guardedStore) SaveCalendarSource(ctx context.Context, a1 planner.CalendarSource) error {
	s.check("SaveCalendarSource")
	return s.Store.SaveCalendarSource(ctx, a1)
}

func (s guardedStore) SaveException(ctx context.Context, a1 planner.SlotException) error {
	s.check("SaveException")
	return s.Store.SaveException(ctx, a1)
}

func (s guardedStore) SaveGoal(ctx context.Context, a1 planner.Goal) error {
	s.check("SaveGoal")
	return s.Store.SaveGoal(ctx, a1)
}

func (s guardedStore) SavePlan(ctx context.Context, a1 planner.SlotPlan) error {
	s.check("SavePlan")
	return s.Store.SavePlan(ctx, a1)
}

func (s guardedStore) SavePost(ctx context.Context, a1 planner.Post) error {
	s.check("SavePost")
	return s.Store.SavePost(ctx, a1)
}

func (s guardedStore) SaveProfile(ctx context.Context, a1 planner.RoleProfile) error {
	s.check("SaveProfile")
	return s.Store.SaveProfile(ctx, a1)
}

func (s guardedStore) SaveSettings(ctx context.Context, a1 planner.Settings) error {
	s.check("SaveSettings")
	return s.Store.SaveSettings(ctx, a1)
}

func (s guardedStore) Settings(ctx context.Context) (planner.Settings, error) {
	s.check("Settings")
	return s.Store.Settings(ctx)
}

func (s guardedStore) UndatedPosts(ctx context.Context) ([]planner.Post, error) {
	s.check("UndatedPosts")
	return s.Store.UndatedPosts(ctx)
}

func (s guardedStore) UpdateCalendarSource(ctx context.Context, a1 string, a2 func(*planner.CalendarSource)) (planner.CalendarSource, error) {
	s.check("UpdateCalendarSource")
	return s.Store.UpdateCalendarSource(ctx, a1, a2)
}

func (s guardedStore) UpdatePost(ctx context.Context, a1 string, a2 func(*planner.Post) error) (planner.Post, error) {
	s.check("UpdatePost")
	return s.Store.UpdatePost(ctx, a1, a2)
}

// guardedArchive checks each call of the archive it wraps.
type guardedArchive struct {
	a Archive
	g *uiGuard
}

func (a guardedArchive) Backup(ctx context.Context, w io.Writer, progress func(done, total int64)) error {
	a.g.check("archive.Backup")
	return a.a.Backup(ctx, w, progress)
}

func (a guardedArchive) ExportJSON(ctx context.Context, w io.Writer) error {
	a.g.check("archive.ExportJSON")
	return a.a.ExportJSON(ctx, w)
}

func (a guardedArchive) ImportJSON(ctx context.Context, r io.Reader) (planner.ImportSummary, error) {
	a.g.check("archive.ImportJSON")
	return a.a.ImportJSON(ctx, r)
}

func (a guardedArchive) RestoreInto(ctx context.Context, dir string, r io.Reader, progress func(int64)) error {
	a.g.check("archive.RestoreInto")
	return a.a.RestoreInto(ctx, dir, r, progress)
}

// findEntry finds an entry by its placeholder anywhere under o.
func findEntry(t *testing.T, o fyne.CanvasObject, placeholder string) *widget.Entry {
	t.Helper()
	var found *widget.Entry
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil {
			return
		}
		if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == placeholder {
			found = e
			return
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	if found == nil {
		t.Fatalf("no entry %q", placeholder)
	}
	return found
}

// TestNoStoreIOOnTheUIGoroutine walks through every screen as a user would,
// with a store and an archive that fail the test when they are called on
// the UI goroutine: reads and writes alike go through background and write,
// whatever the screen.
func TestNoStoreIOOnTheUIGoroutine(t *testing.T) {
	a := test.NewTempApp(t)
	g := newUIGuard(t)
	d := newDeps(t)
	st := d.Store.(*storage.Store) // the test's own reads and writes go here, unchecked
	d.Store, d.Archive = guardedStore{st, g}, guardedArchive{st, g}
	web := newFakeWeb()
	d.Reading = guardedReading{reading.New(reading.Options{Store: st, Fetcher: web, Now: func() time.Time { return now }, Logger: d.Log}), g}
	d.FetchKit = func(_ context.Context, address string) ([]byte, error) {
		g.check("fetch kit")
		return []byte(testKit), nil
	}
	d.WorkCalendars = guardedWorkCalendars{&fakeWorkCalendars{st: st}, g}
	d.Background = func(f func()) { g.run(false, f) }
	d.Do = func(f func()) { g.run(true, f) }
	d.TrayHost = func() bool { return true }
	ctx := context.Background()
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		{ID: "thu", Weekday: time.Thursday, Start: planner.ClockTime{Hour: 14}, Minutes: 20, Purpose: planner.PurposeShare},
	}}
	if err := st.SavePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	p := planner.Post{ID: planner.NewID(), Text: "Viikon julkaisu", Time: now.Add(2 * time.Hour), Status: planner.StatusScheduled, Created: now, Updated: now}
	if err := st.SavePost(ctx, p); err != nil {
		t.Fatal(err)
	}

	w := NewWindow(a, d)
	step := func(name string, f func(t *testing.T)) {
		t.Run(name, func(t *testing.T) { g.in(t, f) })
	}
	step("welcome", func(t *testing.T) {
		w.ShowWelcome()
		if o := w.Canvas().Overlays().Top(); o != nil {
			test.Tap(findButton(t, o, "Skip for now"))
		}
	})
	step("week", func(t *testing.T) {
		w.Week.Next()
		w.Week.Previous()
		w.Week.Today()
		w.Week.movePost(p, now.Add(26*time.Hour))
		occs := w.Week.Occurrences()
		if len(occs) != 1 {
			t.Fatalf("%d occurrences", len(occs))
		}
		w.Week.openEventLink(occs[0], ical.GoogleCalendarURL)
		w.Week.saveExport(ical.Options{From: w.Week.Monday(), Weeks: 4, Now: now, Translate: translate})
		w.Week.skipOccurrence(occs[0])
	})
	step("composer", func(t *testing.T) {
		w.newPost()
		c := w.Composer()
		test.Type(c.text, "Kolme havaintoa tekoälystä")
		c.purpose.SetSelectedIndex(0)
		c.Save()
		test.Type(c.text, " kirjastoissa")
		c.Autosave()
		w.openPost(p)
		c.changed.emit()
		test.Type(c.text, "!")
		test.Tap(c.schedule)
		w.ShareItem(planner.Item{ID: "item1", FeedID: "feed1", Title: "Raportti", URL: "https://example.org/r"}, "")
		c.attachImage(c.boxes[0], "kuva.jpg", io.NopCloser(bytes.NewReader(photo(t))))
		c.Save()
		c.Delete()
	})
	step("posts", func(t *testing.T) {
		ps := w.Posts()
		ps.Reload()
		ps.ShowFilter(filterDrafts)
		test.Type(ps.search, "havainto")
		ps.search.SetText("")
		ps.ShowFilter(filterScheduled)
		ps.duplicate(p)
		ps.move(p, now.Add(50*time.Hour))
		ps.Delete(p)
		if ps.notice.action.OnTapped != nil {
			test.Tap(ps.notice.action) // undo
		}
		idea := planner.Post{ID: planner.NewID(), Text: "Idea", Status: planner.StatusIdea, Created: now, Updated: now}
		if err := st.SavePost(ctx, idea); err != nil {
			t.Fatal(err)
		}
		ps.ideaToDraft(idea)
	})
	step("role", func(t *testing.T) {
		r := w.Role()
		r.StartWizard()
		for range planner.Questions() {
			test.Tap(findButton(t, r.actions, "Skip"))
		}
		test.Tap(findButton(t, r.actions, "Use this and propose a plan"))
		r.SavePlan()
		r.tabs.SelectIndex(2)
		findEntry(t, r, "Goal, e.g. Libraries known as AI experts").SetText("Kirjastot tekoälyn asiantuntijoina")
		test.Tap(findButton(t, r, "Add goal"))
		goals, err := st.Goals(ctx)
		if err != nil || len(goals) != 1 {
			t.Fatalf("goals %v %v", goals, err)
		}
		r.deleteGoal(goals[0])
	})
	step("settings and data", func(t *testing.T) {
		s := w.Settings()
		s.reminder.SetText("15")
		s.Save()
		s.backup()
		s.exportJSON()
		var b bytes.Buffer
		if err := st.Backup(ctx, &b, nil); err != nil {
			t.Fatal(err)
		}
		s.restoreFrom(readCloser{bytes.NewReader(b.Bytes())}, t.TempDir()+"/restored")
	})
	step("accounts", func(t *testing.T) { w.Accounts().Reload() })
	step("reading list", func(t *testing.T) {
		w.nav.SelectIndex(screenReading)
		s := w.Reading()
		s.Add("https://kirjastot.fi/feed.xml", "Kirjastot")
		s.Add("avoindata.fi", "")
		s.side.Select(0)
		s.Step(1)
		s.ToggleSaved()
		s.ToggleRead()
		s.search.SetText("data")
		s.search.SetText("")
		s.RefreshNow()
		s.ImportOPML(readCloser{bytes.NewReader([]byte(`<opml version="2.0"><body><outline type="rss" text="x" xmlUrl="https://x.example/rss"/></body></opml>`))})
		s.ExportOPML(&memWriter{})
		s.Step(1)
		s.ShareCurrent()
		test.Type(w.Composer().text, "Lukekaa: ")
		w.Composer().Save()
		s.filter = readingFilter{kind: filterFeed, value: s.Feeds()[0].ID}
		s.Remove(s.Feeds()[0].ID)
	})
	step("organization", func(t *testing.T) {
		o := w.Settings().org
		if o == nil {
			test.WidgetRenderer(w.Settings())
			o = w.Settings().org
		}
		o.ImportFile("kit.json", bytes.NewReader([]byte(testKit)))
		o.ImportAddress("https://energiavirasto.fi/kit.json")
		o.Export("", &memWriter{})
		w.Settings().feedRefresh.SetSelectedIndex(0)
	})
	step("work calendars", func(t *testing.T) {
		o := w.Settings().workCal
		if o == nil {
			test.WidgetRenderer(w.Settings())
			o = w.Settings().workCal
		}
		o.Add("/home/me/work.ics")
		o.AddAddress("webcal://example.org/team.ics")
		o.RefreshNow()
		o.Remove(o.sources[0].ID)
	})
	step("closing", func(t *testing.T) {
		test.Type(w.Composer().text, " ja vielä yksi ajatus")
		w.close()
		w2 := NewWindow(a, d)
		test.Type(w2.Composer().text, "kesken uloskirjautuessa")
		w2.Quit()
	})
	if g.calls < 30 {
		t.Errorf("the store was called only %d times: the walk missed the screens", g.calls)
	}
}

// readCloser is a backup file as the file dialog hands it over.
type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
func (readCloser) URI() fyne.URI {
	return fstorage.NewFileURI("/tmp/kaiku.backup")
}

// guardedWorkCalendars fails the test when the work calendars are called
// on the UI goroutine.
type guardedWorkCalendars struct {
	c WorkCalendars
	g *uiGuard
}

func (c guardedWorkCalendars) Sources(ctx context.Context) ([]planner.CalendarSource, error) {
	c.g.check("workCalendars.Sources")
	return c.c.Sources(ctx)
}
func (c guardedWorkCalendars) Add(ctx context.Context, address string) (planner.CalendarSource, error) {
	c.g.check("workCalendars.Add")
	return c.c.Add(ctx, address)
}
func (c guardedWorkCalendars) Remove(ctx context.Context, id string) error {
	c.g.check("workCalendars.Remove")
	return c.c.Remove(ctx, id)
}
func (c guardedWorkCalendars) Refresh(ctx context.Context) error {
	c.g.check("workCalendars.Refresh")
	return c.c.Refresh(ctx)
}

// guardedReading is the reading list, failing the test when it is called
// on the UI goroutine.
type guardedReading struct {
	r *reading.List
	g *uiGuard
}

func (r guardedReading) Feeds(ctx context.Context) ([]planner.Feed, error) {
	r.g.check("reading.Feeds")
	return r.r.Feeds(ctx)
}
func (r guardedReading) Items(ctx context.Context, q planner.ItemQuery) ([]planner.Item, error) {
	r.g.check("reading.Items")
	return r.r.Items(ctx, q)
}
func (r guardedReading) Add(ctx context.Context, address, folder string) (planner.Feed, bool, error) {
	r.g.check("reading.Add")
	return r.r.Add(ctx, address, folder)
}
func (r guardedReading) Remove(ctx context.Context, feedID string) error {
	r.g.check("reading.Remove")
	return r.r.Remove(ctx, feedID)
}
func (r guardedReading) ImportOPML(ctx context.Context, rd io.Reader) (int, int, error) {
	r.g.check("reading.ImportOPML")
	return r.r.ImportOPML(ctx, rd)
}
func (r guardedReading) ExportOPML(ctx context.Context, w io.Writer) error {
	r.g.check("reading.ExportOPML")
	return r.r.ExportOPML(ctx, w)
}
func (r guardedReading) RefreshAll(ctx context.Context) error {
	r.g.check("reading.RefreshAll")
	return r.r.RefreshAll(ctx)
}
func (r guardedReading) RefreshAllEvery(ctx context.Context, interval time.Duration, done func(error)) {
	r.g.check("reading.RefreshAllEvery")
	r.r.RefreshAllEvery(ctx, interval, done)
}
func (r guardedReading) MarkRead(ctx context.Context, id string, read bool) (planner.Item, error) {
	r.g.check("reading.MarkRead")
	return r.r.MarkRead(ctx, id, read)
}
func (r guardedReading) SetSaved(ctx context.Context, id string, saved bool) (planner.Item, error) {
	r.g.check("reading.SetSaved")
	return r.r.SetSaved(ctx, id, saved)
}
func (r guardedReading) MarkShared(ctx context.Context, itemID, postID string) (planner.Item, error) {
	r.g.check("reading.MarkShared")
	return r.r.MarkShared(ctx, itemID, postID)
}
func (r guardedReading) WithKitFeeds(s planner.Store) planner.Store { return r.r.WithKitFeeds(s) }
func (r guardedReading) WeekCounts(ctx context.Context, from, to time.Time) (int, int, error) {
	r.g.check("reading.WeekCounts")
	return r.r.WeekCounts(ctx, from, to)
}
