package reading_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/feeds"
	"github.com/kaiku-app/kaiku/reading"
	"github.com/kaiku-app/kaiku/storage"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../planner/feeds/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// site serves recorded feeds the way real servers do, and counts what it is asked.
type site struct {
	*httptest.Server
	mu       sync.Mutex
	full     map[string]int // 200 answers by path
	notMod   map[string]int // 304 answers by path
	agents   []string
	fixtures map[string][]byte
}

const etag = `"v1"`

func newSite(t *testing.T) *site {
	s := &site{full: map[string]int{}, notMod: map[string]int{}, fixtures: map[string][]byte{}}
	for _, n := range []string{"rss2-latin1.xml", "atom-xmlbase.xml", "feed.json", "broken.xml", "page-with-feed.html", "page-without-feed.html"} {
		s.fixtures[n] = fixture(t, n)
	}
	mux := http.NewServeMux()
	serve := func(path, name, contentType string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			s.agents = append(s.agents, r.Header.Get("User-Agent"))
			if r.Header.Get("If-None-Match") == etag {
				s.notMod[path]++
				s.mu.Unlock()
				w.WriteHeader(http.StatusNotModified)
				return
			}
			s.full[path]++
			s.mu.Unlock()
			w.Header().Set("ETag", etag)
			w.Header().Set("Content-Type", contentType)
			w.Write(s.fixtures[name])
		})
	}
	serve("/rss/uutiset.xml", "rss2-latin1.xml", "text/xml")
	serve("/atom.xml", "atom-xmlbase.xml", "application/atom+xml")
	serve("/feed.json", "feed.json", "application/feed+json")
	serve("/broken.xml", "broken.xml", "application/rss+xml")
	serve("/etusivu/rss/uutiset.xml", "rss2-latin1.xml", "application/rss+xml; charset=utf-8")
	serve("/etusivu/{$}", "page-with-feed.html", "text/html; charset=utf-8")
	serve("/yritys/{$}", "page-without-feed.html", "text/html; charset=utf-8")
	mux.HandleFunc("/busy.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/old.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/atom.xml", http.StatusMovedPermanently)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *site) counts(path string) (full, notModified int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.full[path], s.notMod[path]
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	list  *reading.List
	store *storage.Store
	clock *clock
	site  *site
	logs  *bytes.Buffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	var logs bytes.Buffer
	log := logrus.New()
	log.SetOutput(&logs)
	log.SetLevel(logrus.DebugLevel)
	quiet := logrus.New()
	quiet.SetOutput(io.Discard)
	st, err := storage.Open(t.TempDir(), storage.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	f := fetch.New(fetch.Options{Version: "0.1.0", Now: c.now, Logger: log})
	return &env{
		list:  reading.New(reading.Options{Store: st, Fetcher: f, Now: c.now, Logger: log}),
		store: st, clock: c, site: newSite(t), logs: &logs,
	}
}

func TestAddFindsTheFeedFromTheSitesPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// The page names its RSS feed first, relative to the page.
	f, added, err := e.list.Add(ctx, e.site.URL+"/etusivu/", "Kunta")
	if err != nil || !added {
		t.Fatalf("Add: %+v %v %v", f, added, err)
	}
	// page-with-feed.html names rss/uutiset.xml relative to the page; the
	// server calls the Latin-1 file UTF-8, as servers do.
	if f.URL != e.site.URL+"/etusivu/rss/uutiset.xml" {
		t.Errorf("feed at %s", f.URL)
	}
	if f.Title != "Kylän & Kunnan Uutiset" || f.Folder != "Kunta" || f.ETag != etag || f.Fetched.IsZero() {
		t.Errorf("feed %+v", f)
	}
	items, err := e.store.Items(ctx, planner.ItemQuery{FeedID: f.ID})
	if err != nil || len(items) != 3 {
		t.Fatalf("%d items stored, %v", len(items), err)
	}
	if items[1].Title != "Jäähalli avataan lauantaina" || items[1].URL != e.site.URL+"/uutiset/2026/12/jaahalli.html" {
		t.Errorf("second item %+v", items[1])
	}
	// Adding it again, by the page or by the feed, adds nothing and asks nothing.
	before, _ := e.site.counts("/etusivu/{$}")
	for _, addr := range []string{f.URL, strings.Replace(f.URL, "http://", "HTTP://", 1)} {
		again, added, err := e.list.Add(ctx, addr, "")
		if err != nil || added || again.ID != f.ID {
			t.Errorf("again %s: %+v %v %v", addr, again, added, err)
		}
	}
	if after, _ := e.site.counts("/etusivu/{$}"); after != before {
		t.Error("a feed followed already was fetched again")
	}
	for _, ua := range e.site.agents {
		if ua != "Kaiku/0.1.0 (+https://github.com/kaiku-app/kaiku)" {
			t.Errorf("User-Agent %q", ua)
		}
	}
}

func TestAddRefusesAPageWithoutAFeed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, addr := range []string{e.site.URL + "/yritys/", e.site.URL + "/broken.xml", "ftp://example.com/feed", e.site.URL + "/missing"} {
		_, added, err := e.list.Add(ctx, addr, "")
		if err == nil || added {
			t.Errorf("%s: added %v, err %v", addr, added, err)
		}
	}
	_, _, err := e.list.Add(ctx, e.site.URL+"/yritys/", "")
	if !errors.Is(err, reading.ErrNoFeed) {
		t.Errorf("a page without a feed: %v, want ErrNoFeed", err)
	}
	if fs, _ := e.store.Feeds(ctx); len(fs) != 0 {
		t.Errorf("feeds were added: %+v", fs)
	}
}

// TestRefreshGoesOnPastFailingFeeds: of four feeds two fail, each named with
// its error; the others refresh; the failing ones back off, the one with
// Retry-After until then; the next refresh asks the good ones conditionally.
func TestRefreshGoesOnPastFailingFeeds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ids := map[string]string{}
	for _, p := range []string{"/atom.xml", "/feed.json"} {
		f, _, err := e.list.Add(ctx, e.site.URL+p, "")
		if err != nil {
			t.Fatal(err)
		}
		ids[p] = f.ID
	}
	// These two fail: OPML imports them without fetching.
	opml := `<opml version="2.0"><body><outline text="Rikki" xmlUrl="` + e.site.URL + `/broken.xml"/><outline text="Kiireinen" xmlUrl="` + e.site.URL + `/busy.xml"/></body></opml>`
	if added, _, err := e.list.ImportOPML(ctx, strings.NewReader(opml)); err != nil || added != 2 {
		t.Fatalf("import: %d %v", added, err)
	}
	e.clock.add(time.Hour)
	rep, err := e.list.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Refreshed) != 2 || len(rep.Failed) != 2 {
		t.Fatalf("refreshed %d, failed %d", len(rep.Refreshed), len(rep.Failed))
	}
	failed := map[string]reading.Failure{}
	for _, f := range rep.Failed {
		failed[f.Feed.Title] = f
	}
	now := e.clock.now()
	stored, _ := e.store.Feeds(ctx)
	for _, f := range stored {
		switch f.Title {
		case "Rikki":
			if f.LastError == nil || f.LastError.Code != planner.FeedErrNotAFeed || f.Failures != 1 || !f.BackoffUntil.Equal(now.Add(fetch.FirstBackoff)) {
				t.Errorf("broken feed saved as %+v %+v", f, f.LastError)
			}
			if !errors.Is(failed["Rikki"].Err, feeds.ErrNotAFeed) {
				t.Errorf("the broken feed failed with %v", failed["Rikki"].Err)
			}
		case "Kiireinen":
			var se *fetch.StatusError
			if !errors.As(failed["Kiireinen"].Err, &se) || se.Status != http.StatusTooManyRequests {
				t.Errorf("the busy feed failed with %v", failed["Kiireinen"].Err)
			}
			if f.LastError == nil || f.LastError.Code != planner.FeedErrStatus || f.LastError.Status != 429 || !f.BackoffUntil.Equal(now.Add(2*time.Hour)) {
				t.Errorf("rate-limited feed saved as %+v %+v", f, f.LastError)
			}
		default:
			if f.LastError != nil || !f.Fetched.Equal(now) {
				t.Errorf("good feed %s saved as %+v", f.Title, f)
			}
		}
	}
	// Half an hour later: the broken feed is still backing off, the busy one
	// still waits for its Retry-After, the good ones answer 304.
	e.clock.add(30 * time.Minute)
	rep, err = e.list.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Waiting) != 1 || rep.Waiting[0].Title != "Kiireinen" || len(rep.Failed) != 1 || rep.New != 0 {
		t.Errorf("second refresh: waiting %d, failed %d, new %d", len(rep.Waiting), len(rep.Failed), rep.New)
	}
	for _, p := range []string{"/atom.xml", "/feed.json"} {
		if full, nm := e.site.counts(p); full != 1 || nm != 2 {
			t.Errorf("%s: %d full answers and %d 304s, want 1 and 2", p, full, nm)
		}
	}
	if got := e.logs.String(); !strings.Contains(got, "feed refresh failed") {
		t.Error("the failure was not logged")
	}
}

func TestRefreshFollowsAFeedThatMoved(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, _, err := e.list.ImportOPML(ctx, strings.NewReader(`<opml version="1.0"><body><outline text="" xmlUrl="`+e.site.URL+`/old.xml"/></body></opml>`)); err != nil {
		t.Fatal(err)
	}
	rep, err := e.list.Refresh(ctx)
	if err != nil || len(rep.Refreshed) != 1 || rep.New != 2 {
		t.Fatalf("%+v %v", rep, err)
	}
	f := rep.Refreshed[0]
	if f.URL != e.site.URL+"/atom.xml" || f.Title != "Maijan blogi" {
		t.Errorf("moved feed saved as %+v", f)
	}
	// Unchanged since, it keeps its name and address.
	e.clock.add(time.Hour)
	rep, err = e.list.Refresh(ctx)
	if err != nil || len(rep.Refreshed) != 1 || rep.Refreshed[0].Title != "Maijan blogi" || rep.Refreshed[0].URL != f.URL {
		t.Errorf("after a 304: %+v %v", rep.Refreshed, err)
	}
	if _, nm := e.site.counts("/atom.xml"); nm != 1 {
		t.Errorf("the moved feed was not asked at its new address conditionally")
	}
}

func TestOPMLImportTwiceAddsNothingTheSecondTime(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	added, existing, err := e.list.ImportOPML(ctx, bytes.NewReader(fixture(t, "feedly.opml")))
	if err != nil || added != 5 || existing != 0 {
		t.Fatalf("first: %d added, %d existing, %v", added, existing, err)
	}
	added, existing, err = e.list.ImportOPML(ctx, bytes.NewReader(fixture(t, "feedly.opml")))
	if err != nil || added != 0 || existing != 5 {
		t.Fatalf("second: %d added, %d existing, %v", added, existing, err)
	}
	// Inoreader's list shares one feed with Feedly's.
	added, existing, err = e.list.ImportOPML(ctx, bytes.NewReader(fixture(t, "inoreader.opml")))
	if err != nil || added != 3 || existing != 1 {
		t.Fatalf("inoreader: %d added, %d existing, %v", added, existing, err)
	}
	var out bytes.Buffer
	if err := e.list.ExportOPML(ctx, &out); err != nil {
		t.Fatal(err)
	}
	other := newEnv(t)
	if added, _, err := other.list.ImportOPML(ctx, &out); err != nil || added != 8 {
		t.Fatalf("the export imported %d: %v", added, err)
	}
	a, _ := e.store.Feeds(ctx)
	b, _ := other.store.Feeds(ctx)
	key := func(fs []planner.Feed) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Folder+"|"+f.Title+"|"+f.URL)
		}
		return out
	}
	if !slices.Equal(key(a), key(b)) {
		t.Errorf("round trip:\n%q\n%q", key(a), key(b))
	}
	if _, _, err := e.list.ImportOPML(ctx, strings.NewReader("<html>")); err == nil {
		t.Error("a file that is not OPML was imported")
	}
}

func TestShareMakesADraftThatRemembersItsItem(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	f, _, err := e.list.Add(ctx, e.site.URL+"/feed.json", "")
	if err != nil {
		t.Fatal(err)
	}
	items, _ := e.store.Items(ctx, planner.ItemQuery{FeedID: f.ID})
	it := items[0]
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	p, err := e.list.Share(ctx, it.ID, "Hyvä muistutus.", at)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := e.store.Post(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := "Hyvä muistutus.\n\nKatujen talvikunnossapito alkaa (via Kaupungin tiedotteet)\nhttps://kaupunki.example.fi/tiedotteet/301"
	if stored.Text != want || stored.Purpose != planner.PurposeShare || stored.SourceItem != it.ID || !stored.Time.Equal(at) || stored.Status != planner.StatusDraft {
		t.Errorf("post %+v", stored)
	}
	it, _ = e.store.Item(ctx, it.ID)
	if !it.Read || it.SharedPostID != p.ID {
		t.Errorf("item after sharing: %+v", it)
	}
	if _, err := e.list.Share(ctx, "nope", "x", time.Time{}); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("sharing a missing item: %v", err)
	}
}

func TestRefreshEveryRunsUntilCancelled(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	if _, _, err := e.list.Add(ctx, e.site.URL+"/feed.json", ""); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var reports []reading.Report
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		e.list.RefreshEvery(ctx, 10*time.Millisecond, func(r reading.Report, err error) {
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			reports = append(reports, r)
			n := len(reports)
			mu.Unlock()
			if n == 3 {
				cancel()
			}
		})
	}()
	select {
	case <-finished:
	case <-time.After(30 * time.Second):
		t.Fatal("RefreshEvery did not stop when cancelled")
	}
	if len(reports) != 3 || len(reports[2].Refreshed) != 1 {
		t.Errorf("reports %+v", reports)
	}
	if _, nm := e.site.counts("/feed.json"); nm < 3 {
		t.Errorf("%d conditional answers, want one per refresh", nm)
	}
}

func TestWeekCountsTheItemsReadAndSharedThatWeek(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, path := range []string{"/feed.json", "/atom.xml"} {
		if _, _, err := e.list.Add(ctx, e.site.URL+path, ""); err != nil {
			t.Fatal(err)
		}
	}
	items, _ := e.store.Items(ctx, planner.ItemQuery{})
	if len(items) < 3 {
		t.Fatalf("the fixture has %d items", len(items))
	}
	// Week 49 of 2026 starts on Monday 30 November; the clock is on Tuesday.
	monday := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	if _, err := e.list.MarkRead(ctx, items[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.list.Share(ctx, items[1].ID, "Lukekaa tämä.", time.Time{}); err != nil {
		t.Fatal(err)
	}
	read, err := e.list.MarkRead(ctx, items[2].ID, true)
	if err != nil || read.ReadAt.IsZero() {
		t.Fatalf("marked read: %+v, %v", read, err)
	}
	if again, _ := e.list.MarkRead(ctx, items[2].ID, true); !again.ReadAt.Equal(read.ReadAt) {
		t.Errorf("marking read again moved its time to %v", again.ReadAt)
	}
	if unread, _ := e.list.MarkRead(ctx, items[2].ID, false); unread.Read || !unread.ReadAt.IsZero() {
		t.Errorf("marked unread: %+v", unread)
	}
	read49, shared49, err := e.list.WeekCounts(ctx, monday, monday.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	if read49 != 2 || shared49 != 1 {
		t.Errorf("week 49: %d read and %d shared, want 2 and 1", read49, shared49)
	}
	e.clock.add(7 * 24 * time.Hour)
	if _, err := e.list.MarkRead(ctx, items[2].ID, true); err != nil {
		t.Fatal(err)
	}
	if r, s, _ := e.list.WeekCounts(ctx, monday, monday.AddDate(0, 0, 7)); r != 2 || s != 1 {
		t.Errorf("week 49 after a read in week 50: %d read, %d shared", r, s)
	}
	if r, s, _ := e.list.WeekCounts(ctx, monday.AddDate(0, 0, 7), monday.AddDate(0, 0, 14)); r != 1 || s != 0 {
		t.Errorf("week 50: %d read, %d shared", r, s)
	}
}

func TestAKitsFeedsJoinTheReadingList(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, _, err := e.list.Add(ctx, e.site.URL+"/feed.json", "Työ"); err != nil {
		t.Fatal(err)
	}
	kit := planner.OrgKit{Format: planner.OrgKitFormat, Version: planner.OrgKitVersion, Organization: "Kunta",
		Feeds: []planner.KitFeed{{URL: e.site.URL + "/feed.json"}, {URL: e.site.URL + "/atom.xml", Title: "Tiedotteet", Folder: "Kunta"}}}
	store := e.list.WithKitFeeds(e.store)
	res, err := planner.ImportOrgKit(ctx, store, kit, "kit.json", e.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	if res.FeedsAdded != 1 {
		t.Errorf("feeds added = %d, want 1: the other is followed already", res.FeedsAdded)
	}
	fs, _ := e.list.Feeds(ctx)
	if len(fs) != 2 || fs[0].Title != "Tiedotteet" || fs[0].Folder != "Kunta" {
		t.Errorf("feeds after the kit: %+v", fs)
	}
	out, err := planner.ExportOrgKit(ctx, store, planner.OrgKitContent{}, e.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Feeds) != 2 || out.Feeds[0].URL != e.site.URL+"/atom.xml" || out.Feeds[0].Folder != "Kunta" {
		t.Errorf("exported feeds %+v", out.Feeds)
	}
}
