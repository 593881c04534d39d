package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/reading"
	"github.com/kaiku-app/kaiku/storage"
)

// fakeWeb serves feeds and pages from memory, or fails as a network that
// is down does.
type fakeWeb struct {
	mu   sync.Mutex
	docs map[string]string
	down bool
}

func (f *fakeWeb) Get(_ context.Context, req fetch.Request) (fetch.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return fetch.Response{}, &fetch.NetError{URL: req.URL, Err: errors.New("dial tcp: connect: network is unreachable")}
	}
	body, ok := f.docs[req.URL]
	if !ok {
		return fetch.Response{}, &fetch.StatusError{URL: req.URL, Status: http.StatusNotFound}
	}
	ct := "application/rss+xml"
	if strings.HasPrefix(body, "<!doctype html>") {
		ct = "text/html; charset=utf-8"
	}
	return fetch.Response{URL: req.URL, Body: []byte(body), ContentType: ct}, nil
}

func (f *fakeWeb) set(url, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.docs[url] = body
}

func (f *fakeWeb) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

// testEntry is an item of a test feed: its title, summary and age.
type testEntry struct {
	title, summary string
	ago            time.Duration
}

// rss is an RSS 2.0 feed of the entries, each linked under site.
func rss(title, site string, entries ...testEntry) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>%s</link>`, html.EscapeString(title), site)
	for i, e := range entries {
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s/%d</link><guid>%s/%d</guid><description>%s</description><pubDate>%s</pubDate></item>`,
			html.EscapeString(e.title), site, i, site, i, html.EscapeString(e.summary), now.Add(-e.ago).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// readingDeps are deps with a reading list over the store and web.
func readingDeps(t testing.TB, web *fakeWeb) *Deps {
	d := newDepsTB(t)
	d.Reading = reading.New(reading.Options{Store: d.Store.(*storage.Store), Fetcher: web, Now: func() time.Time { return now }, Logger: d.Log})
	return d
}

func newFakeWeb() *fakeWeb {
	w := &fakeWeb{docs: map[string]string{}}
	w.set("https://kirjastot.fi/feed.xml", rss("Kirjastot.fi", "https://kirjastot.fi",
		testEntry{"Tekoäly kirjastoissa", "Kolme kokeilua syksyltä.", time.Hour},
		testEntry{"Lukuvinkit joulukuulle", "Kymmenen kirjaa.", 26 * time.Hour},
	))
	w.set("https://avoindata.fi/rss", rss("Avoindata", "https://avoindata.fi",
		testEntry{"Avoin data kunnissa", "Raportti hyödyistä.", 2 * time.Hour},
	))
	w.set("https://avoindata.fi", `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body></body></html>`)
	w.set("https://yritys.fi", `<!doctype html><html><head><title>Yritys</title></head><body>No feed here.</body></html>`)
	return w
}

// follow adds the feeds through the reading list, as the command line would.
func follow(t testing.TB, d *Deps, folder string, urls ...string) []planner.Feed {
	t.Helper()
	var out []planner.Feed
	for _, u := range urls {
		f, _, err := d.Reading.Add(context.Background(), u, folder)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

func titles(items []planner.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return out
}

func openReading(t *testing.T, d *Deps) (*Window, *ReadingScreen) {
	t.Helper()
	w := NewWindow(test.NewTempApp(t), d)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1100, 740))
	w.nav.SelectIndex(screenReading)
	s := w.Reading()
	eventually(t, "the reading list", func() bool { return s.loaded })
	return w, s
}

func TestReadingListShowsUnreadNewestFirstByDayWithTheFeedsName(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	follow(t, d, "", "https://kirjastot.fi/feed.xml", "https://avoindata.fi/rss")
	_, s := openReading(t, d)

	if got, want := titles(s.Items()), []string{"Tekoäly kirjastoissa", "Avoin data kunnissa", "Lukuvinkit joulukuulle"}; !slices.Equal(got, want) {
		t.Fatalf("items = %q, want %q", got, want)
	}
	var days []string
	for _, r := range s.rows {
		if r.item < 0 {
			days = append(days, r.day)
		}
	}
	if want := []string{"Today", "Yesterday"}; !slices.Equal(days, want) {
		t.Errorf("day headings = %q, want %q", days, want)
	}
	if len(s.rows) != 5 || s.rows[0].item != -1 || s.rows[3].item != -1 {
		t.Errorf("rows = %+v, want a heading before each day's items", s.rows)
	}
	if got := s.itemMeta(s.Items()[1]); got != "Avoindata · 08:00" {
		t.Errorf("meta = %q, want the feed's name and the time", got)
	}
	if got := s.status.Text; got != "Refreshed 10:00" {
		t.Errorf("status = %q", got)
	}
}

func TestReadingListFiltersByFeedFolderAndSearch(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	lib := follow(t, d, "Kirjastot", "https://kirjastot.fi/feed.xml")[0]
	follow(t, d, "", "https://avoindata.fi/rss")
	_, s := openReading(t, d)

	// The feeds column: all, saved, the feed in no folder, the folder and its feed.
	kinds := []filterKind{filterUnread, filterSaved, filterFeed, filterFolder, filterFeed}
	if len(s.sideRows) != len(kinds) {
		t.Fatalf("side rows = %+v", s.sideRows)
	}
	for i, k := range kinds {
		if s.sideRows[i].kind != k {
			t.Errorf("side row %d = %+v, want kind %d", i, s.sideRows[i], k)
		}
	}
	s.side.Select(3) // the folder
	if got := titles(s.Items()); !slices.Equal(got, []string{"Tekoäly kirjastoissa", "Lukuvinkit joulukuulle"}) {
		t.Errorf("folder Kirjastot = %q", got)
	}
	s.side.Select(2) // Avoindata
	if got := titles(s.Items()); !slices.Equal(got, []string{"Avoin data kunnissa"}) {
		t.Errorf("feed Avoindata = %q", got)
	}
	if s.remove.Disabled() {
		t.Error("a feed is chosen, but Remove feed is disabled")
	}
	s.side.Select(0)
	test.Type(s.search, "KIRJAA")
	if got := titles(s.Items()); !slices.Equal(got, []string{"Lukuvinkit joulukuulle"}) {
		t.Errorf("search kirjaa = %q, want the item whose summary holds it", got)
	}
	s.search.SetText("nothing like this")
	if len(s.Items()) != 0 || !s.empty.Visible() || s.empty.Text != "Nothing matches the search." {
		t.Errorf("a search that finds nothing: %d items, empty %v %q", len(s.Items()), s.empty.Visible(), s.empty.Text)
	}
	s.search.SetText("")
	s.filter = readingFilter{kind: filterFeed, value: lib.ID}
	s.Reload()
	if got := len(s.Items()); got != 2 {
		t.Errorf("feed kirjastot.fi has %d items", got)
	}
}

func TestReadingListKeysMoveSaveAndMarkRead(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	follow(t, d, "", "https://kirjastot.fi/feed.xml", "https://avoindata.fi/rss")
	w, s := openReading(t, d)
	ctx := context.Background()

	test.TypeOnCanvas(w.Canvas(), "j")
	if it, _ := s.Current(); it.Title != "Tekoäly kirjastoissa" {
		t.Fatalf("j went to %q, want the newest", it.Title)
	}
	test.TypeOnCanvas(w.Canvas(), "jk")
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDown})
	first, _ := s.Current()
	if first.Title != "Avoin data kunnissa" {
		t.Fatalf("j, k, down went to %q", first.Title)
	}
	test.TypeOnCanvas(w.Canvas(), "s")
	test.TypeOnCanvas(w.Canvas(), "m")
	got, err := d.Reading.(*reading.List).Items(ctx, planner.ItemQuery{Saved: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != first.ID || !got[0].Saved || !got[0].Read {
		t.Fatalf("after s and m the saved items are %+v", got)
	}
	// The item stays listed, as read, until the list loads again.
	if it, _ := s.Current(); !it.Read || !it.Saved || s.read.Text != "Mark unread" || s.save.Text != "Saved for later ✓" {
		t.Errorf("shown item = %+v, buttons %q %q", it, s.read.Text, s.save.Text)
	}
	s.Reload()
	if got := titles(s.Items()); slices.Contains(got, first.Title) {
		t.Errorf("a read item is still among the unread: %q", got)
	}
	s.side.Select(1) // saved for later
	if got := titles(s.Items()); !slices.Equal(got, []string{first.Title}) {
		t.Errorf("saved = %q", got)
	}
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.nav.SelectedIndex() != screenWeek {
		t.Errorf("Esc left for screen %d, want the week", w.nav.SelectedIndex())
	}
}

func TestReadingListOpensTheLinkOrOffersItToCopy(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	follow(t, d, "", "https://avoindata.fi/rss")
	w, s := openReading(t, d)
	s.Step(1)
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	it, _ := s.Current()
	if !it.Read {
		t.Error("the item opened in the browser is not marked read")
	}
	s.showAddress(it.URL)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog with the address")
	}
	test.Tap(findButton(t, top, "Copy"))
	if got := fyne.CurrentApp().Clipboard().Content(); got != "https://avoindata.fi/0" {
		t.Errorf("clipboard = %q", got)
	}
}

func TestShareWithCommentOpensTheComposerInTheNextShareSlot(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	ctx := context.Background()
	// Share slots on Thursdays at 12; this Thursday's is taken.
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		{ID: "write", Weekday: time.Wednesday, Start: planner.ClockTime{Hour: 11}, Minutes: 30, Purpose: planner.PurposeWrite, Role: planner.RoleAdvising},
		{ID: "share", Weekday: time.Thursday, Start: planner.ClockTime{Hour: 12}, Minutes: 30, Purpose: planner.PurposeShare, Role: planner.RoleInforming},
	}}
	if err := d.Store.SavePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	thursday := time.Date(2026, 12, 3, 12, 0, 0, 0, helsinki)
	taken, _ := planner.NextFreeSlot(plan, nil, nil, planner.PurposeShare, now)
	busy := planner.Post{ID: planner.NewID(), Text: "Taken", Time: thursday, OccurrenceID: taken.ID, Purpose: planner.PurposeShare, Status: planner.StatusScheduled, Created: now, Updated: now}
	if err := d.Store.SavePost(ctx, busy); err != nil {
		t.Fatal(err)
	}
	follow(t, d, "", "https://kirjastot.fi/feed.xml")
	w, s := openReading(t, d)
	s.Step(1)
	item, _ := s.Current()

	test.Tap(findButton(t, s, "Share with comment"))
	if w.nav.SelectedIndex() != screenCompose {
		t.Fatalf("Share with comment left the screen at %d", w.nav.SelectedIndex())
	}
	c := w.Composer()
	want := "\n\nTekoäly kirjastoissa (via Kirjastot.fi)\nhttps://kirjastot.fi/0"
	if c.text.Text != want {
		t.Errorf("composer text = %q, want %q", c.text.Text, want)
	}
	if c.text.CursorRow != 0 || c.text.CursorColumn != 0 || w.Canvas().Focused() != c.text {
		t.Errorf("cursor at %d:%d, focused %v: want the comment's place", c.text.CursorRow, c.text.CursorColumn, w.Canvas().Focused())
	}
	if c.selectedPurpose() != planner.PurposeShare {
		t.Errorf("purpose = %q", c.selectedPurpose())
	}
	// The post goes to the next free share slot, as the composer shows it
	// and saves it: this Thursday's is taken.
	nextThursday := thursday.AddDate(0, 0, 7)

	test.Type(c.text, "Hyvä kooste – ")
	if !c.Save() {
		t.Fatal("the share did not save")
	}
	saved, err := d.Store.PostsBetween(ctx, nextThursday, nextThursday.Add(time.Minute))
	if err != nil || len(saved) != 1 {
		t.Fatalf("posts in the share slot: %v, %v", saved, err)
	}
	p := saved[0]
	if p.SourceItem != item.ID || p.Purpose != planner.PurposeShare || !strings.HasPrefix(p.Text, "Hyvä kooste – \n\nTekoäly kirjastoissa (via Kirjastot.fi)") {
		t.Errorf("saved post = %+v", p)
	}
	got, err := d.Reading.(*reading.List).Items(ctx, planner.ItemQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range got {
		if it.ID == item.ID && (it.SharedPostID != p.ID || !it.Read) {
			t.Errorf("shared item = %+v, want it read and naming post %s", it, p.ID)
		}
	}
}

func TestAddingAFeedFindsASitesFeedOrSaysWhyNot(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	w, s := openReading(t, d)
	if !s.empty.Visible() || !strings.Contains(s.empty.Text, "Follow a few sources") {
		t.Errorf("an empty reading list says %q", s.empty.Text)
	}

	cases := []struct{ address, message string }{
		{"yritys.fi", "yritys.fi is a web page that names no feed; give the feed's own address"},
		{"https://kirjastot.fi/missing.xml", "The site answered 404 Not Found."},
		{"ftp://kirjastot.fi/feed.xml", "The address is not a web address (http or https)."},
	}
	for _, c := range cases {
		s.Add(c.address, "")
		top := w.Canvas().Overlays().Top()
		if top == nil {
			t.Fatalf("adding %s showed no message", c.address)
		}
		if got := dialogText(top); !strings.Contains(got, c.message) {
			t.Errorf("adding %s says %q, want %q", c.address, got, c.message)
		}
		w.Canvas().Overlays().Remove(top)
	}
	web.setDown(true)
	s.Add("https://kirjastot.fi/feed.xml", "")
	if top := w.Canvas().Overlays().Top(); top == nil || !strings.Contains(dialogText(top), "The site could not be reached.") {
		t.Errorf("adding while offline: %v", top)
	} else {
		w.Canvas().Overlays().Remove(top)
	}
	if len(s.Feeds()) != 0 {
		t.Fatalf("failed adds left feeds: %+v", s.Feeds())
	}

	web.setDown(false)
	s.Add("avoindata.fi", "Data")
	if len(s.Feeds()) != 1 || s.Feeds()[0].URL != "https://avoindata.fi/rss" || s.Feeds()[0].Folder != "Data" {
		t.Fatalf("feeds after adding the site = %+v", s.Feeds())
	}
	if s.filter.kind != filterFeed || titles(s.Items())[0] != "Avoin data kunnissa" {
		t.Errorf("the new feed is not the one shown: %+v %q", s.filter, titles(s.Items()))
	}
	s.Add("https://avoindata.fi/rss", "")
	if top := w.Canvas().Overlays().Top(); top == nil || !strings.Contains(dialogText(top), "You follow Avoindata already.") {
		t.Error("adding a followed feed again said nothing")
	} else {
		w.Canvas().Overlays().Remove(top)
	}

	test.Tap(s.remove)
	tapDialogButton(t, w, "Yes")
	if len(s.Feeds()) != 0 || len(s.Items()) != 0 || s.filter.kind != filterUnread {
		t.Errorf("after removing: feeds %+v, items %q, filter %+v", s.Feeds(), titles(s.Items()), s.filter)
	}
}

func TestReadingListWorksOfflineWithWhatWasFetched(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	follow(t, d, "", "https://kirjastot.fi/feed.xml", "https://avoindata.fi/rss")
	web.setDown(true)
	_, s := openReading(t, d)

	s.RefreshNow()
	if got := len(s.Items()); got != 3 {
		t.Errorf("offline, the list shows %d items, want the 3 fetched", got)
	}
	if got := s.status.Text; got != "Refreshed 10:00 · Feeds that cannot be read now: 2" {
		t.Errorf("status = %q", got)
	}
	for i, f := range s.sideRows {
		if f.kind != filterFeed {
			continue
		}
		row := s.newSideRow()
		s.updateSideRow(i, row)
		if got := sideRowOf(row).note.Text; got != "The site could not be reached." {
			t.Errorf("feed row %d says %q", i, got)
		}
	}
	if s.refresh.Disabled() {
		t.Error("Refresh now stays disabled after the refresh")
	}
}

func TestImportAndExportOPMLThroughTheScreen(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	w, s := openReading(t, d)
	opml := `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="Kirjastot"><outline type="rss" text="Kirjastot.fi" xmlUrl="https://kirjastot.fi/feed.xml"/></outline>
<outline type="rss" text="Avoindata" xmlUrl="https://avoindata.fi/rss"/></body></opml>`
	s.ImportOPML(readCloser{bytes.NewReader([]byte(opml))})
	if top := w.Canvas().Overlays().Top(); top == nil || !strings.Contains(dialogText(top), "Feeds added: 2; followed already: 0.") {
		t.Fatalf("import said %v", top)
	}
	if got := len(s.Feeds()); got != 2 {
		t.Fatalf("feeds after import = %d", got)
	}
	if got := len(s.Items()); got != 3 {
		t.Errorf("after the import's refresh %d items, want 3", got)
	}
	out := &memWriter{}
	s.ExportOPML(out)
	if !out.closed || !strings.Contains(out.String(), `xmlUrl="https://kirjastot.fi/feed.xml"`) || !strings.Contains(out.String(), `text="Kirjastot"`) {
		t.Errorf("export wrote %q (closed %v)", out.String(), out.closed)
	}
}

func TestFeedRefreshFollowsTheSetting(t *testing.T) {
	list := &countingRefresh{runs: make(chan time.Duration, 10)}
	interval := 30 * time.Minute
	var mu sync.Mutex
	every := func() time.Duration { mu.Lock(); defer mu.Unlock(); return interval }
	set := func(d time.Duration) { mu.Lock(); interval = d; mu.Unlock() }
	changes := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		runFeedRefresh(ctx, list, every, changes, nil)
	}()
	if got := <-list.runs; got != 30*time.Minute {
		t.Fatalf("first run every %v, want 30m", got)
	}
	changes <- struct{}{} // a change of something else
	set(time.Hour)
	changes <- struct{}{}
	if got := <-list.runs; got != time.Hour {
		t.Fatalf("after the change every %v, want 1h", got)
	}
	set(0)
	changes <- struct{}{}
	changes <- struct{}{} // handled only once the refresh at 1h stopped
	if n := list.active(); n != 0 {
		t.Errorf("%d refreshes run with the setting off", n)
	}
	set(15 * time.Minute)
	changes <- struct{}{}
	if got := <-list.runs; got != 15*time.Minute {
		t.Fatalf("on again every %v, want 15m", got)
	}
	cancel()
	<-stopped
	if n := list.active(); n != 0 {
		t.Errorf("%d refreshes run after the window closed", n)
	}
	select {
	case got := <-list.runs:
		t.Errorf("an extra run every %v", got)
	default:
	}
}

func TestBackgroundRefreshReadsTheSettingAndReloadsTheScreens(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	list := &countingRefresh{runs: make(chan time.Duration, 10), refreshNow: true}
	d.Reading = list
	// The UI goroutine is the test's: what the refresh hands to do waits
	// here until the test runs it, as Fyne's loop would.
	queue := make(chan func(), 100)
	d.Do = func(f func()) { queue <- f }
	runUI := func(what string, done func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !done() {
			select {
			case f := <-queue:
				f()
			case <-time.After(10 * time.Millisecond):
				if time.Now().After(deadline) {
					t.Fatalf("timed out waiting for %s", what)
				}
			}
		}
	}
	w := NewWindow(a, d)
	defer w.Close()
	reloads := 0
	w.changed.listen(func() { reloads++ })
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { defer close(stopped); w.RefreshFeeds(ctx) }()
	if got := <-list.runs; got != 30*time.Minute {
		t.Errorf("refresh every %v by default, want 30m", got)
	}
	runUI("the screens to reload", func() bool { return reloads == 1 })

	// The settings' choice takes effect at once.
	settings := w.Settings()
	test.WidgetRenderer(settings)
	settings.feedRefresh.SetSelectedIndex(slices.Index(feedRefreshChoices, 120))
	if got := <-list.runs; got != 2*time.Hour {
		t.Errorf("refresh every %v after choosing 2 h, want 2h", got)
	}
	if got := a.Preferences().Int(prefFeedRefresh); got != 120 {
		t.Errorf("preference = %d", got)
	}
	runUI("the screens to reload again", func() bool { return reloads == 2 })
	cancel()
	<-stopped
}

// countingRefresh is a reading list whose refresh reports its interval and
// runs until its context ends.
type countingRefresh struct {
	ReadingList
	runs       chan time.Duration
	refreshNow bool
	mu         sync.Mutex
	running    int
}

func (c *countingRefresh) RefreshAllEvery(ctx context.Context, interval time.Duration, done func(error)) {
	c.mu.Lock()
	c.running++
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.running--
		c.mu.Unlock()
	}()
	c.runs <- interval
	if c.refreshNow && done != nil {
		done(nil)
	}
	<-ctx.Done()
}

func (c *countingRefresh) active() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}

func (c *countingRefresh) Feeds(context.Context) ([]planner.Feed, error) { return nil, nil }
func (c *countingRefresh) Items(context.Context, planner.ItemQuery) ([]planner.Item, error) {
	return nil, nil
}

// memWriter is a file the save dialog hands over, in memory.
type memWriter struct {
	bytes.Buffer
	closed bool
}

func (m *memWriter) Close() error  { m.closed = true; return nil }
func (m *memWriter) URI() fyne.URI { return fstorage.NewFileURI("/tmp/kaiku-feeds.opml") }

func TestReadingListReadsTheNextPageNearItsEnd(t *testing.T) {
	d := readingDeps(t, newFakeWeb())
	st := d.Store.(*storage.Store)
	ctx := context.Background()
	for f := range 2 {
		feed := planner.Feed{ID: planner.NewID(), Title: fmt.Sprintf("Feed %d", f), URL: fmt.Sprintf("https://feed%d.example/rss", f), Fetched: now, Created: now}
		if _, _, err := st.AddFeed(ctx, feed); err != nil {
			t.Fatal(err)
		}
		var items []planner.Item
		for i := range 300 {
			link := fmt.Sprintf("https://feed%d.example/%d", f, i)
			items = append(items, planner.Item{ID: planner.ItemID(feed.ID, link), FeedID: feed.ID, Title: link, URL: link, Published: now.Add(-time.Duration(2*i+f) * time.Minute), Added: now})
		}
		if _, err := st.AddItems(ctx, feed.ID, items, now); err != nil {
			t.Fatal(err)
		}
	}
	_, s := openReading(t, d)
	if got := len(s.Items()); got != readingPage {
		t.Fatalf("the list opened with %d items, want a page of %d", got, readingPage)
	}
	s.show(readingPage - 30)
	for range 20 {
		s.Step(1)
	}
	if got := len(s.Items()); got != 600 {
		t.Errorf("near the end of the page the list has %d items, want all 600", got)
	}
	if it, _ := s.Current(); it.ID != s.Items()[readingPage-10].ID {
		t.Errorf("the item shown moved to %q", it.Title)
	}
}

func TestAFollowSlotOpensTheReadingList(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	w.openSlot(planner.Occurrence{ID: "follow@2026-12-03", Purpose: planner.PurposeFollow, Start: now.Add(time.Hour)})
	if w.nav.SelectedIndex() != screenReading {
		t.Fatalf("a follow slot opened screen %d, not the reading list", w.nav.SelectedIndex())
	}
	w.openSlot(planner.Occurrence{ID: "write@2026-12-03", Purpose: planner.PurposeWrite, Start: now.Add(time.Hour)})
	if w.nav.SelectedIndex() != screenCompose {
		t.Fatalf("a writing slot opened screen %d, not the composer", w.nav.SelectedIndex())
	}
}

// TestTheReadingListsKeysWorkAfterAnotherScreenHadTheFocus: Ctrl+3 puts the
// focus in the posts list; Ctrl+4 must take it away, or the reading list's
// j and k go to a list out of view.
func TestTheReadingListsKeysWorkAfterAnotherScreenHadTheFocus(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	follow(t, d, "", "https://kirjastot.fi/feed.xml", "https://avoindata.fi/rss")
	w, s := openReading(t, d)
	w.showScreen(screenPosts)
	if w.Canvas().Focused() == nil {
		t.Fatal("the Posts screen did not take the focus")
	}
	w.showScreen(screenReading)
	// As the driver does: a key goes to the focused widget if there is one.
	if f := w.Canvas().Focused(); f != nil {
		f.TypedRune('j')
	} else {
		w.Canvas().OnTypedRune()('j')
	}
	if it, _ := s.Current(); it.Title != "Tekoäly kirjastoissa" {
		t.Fatalf("j after Ctrl+3, Ctrl+4 went to %q, want the newest", it.Title)
	}
}

// TestASharingSlotsReminderCountsTheUnreadItems: a share or follow slot is
// time for the reading list, and its reminder says what waits there.
func TestASharingSlotsReminderCountsTheUnreadItems(t *testing.T) {
	web := newFakeWeb()
	d := readingDeps(t, web)
	follow(t, d, "", "https://kirjastot.fi/feed.xml")
	unread, err := d.Reading.Items(context.Background(), planner.ItemQuery{Unread: true})
	if err != nil || len(unread) < 2 {
		t.Fatalf("unread items %d, %v", len(unread), err)
	}
	savePlan(t, d, shareSlot("wed", time.Wednesday, 10))
	clock := time.Date(2026, 12, 2, 9, 59, 30, 0, helsinki)
	d.Now = func() time.Time { return clock }
	w := NewWindow(test.NewTempApp(t), d)
	defer w.Close()
	w.remindedUntil = clock
	clock = clock.Add(reminderEvery)
	want := fmt.Sprintf("30 min · %d unread in the reading list", len(unread))
	test.AssertNotificationSent(t, fyne.NewNotification("Share slot now", want), w.CheckSlotReminders)
}
