package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// feedSite serves recorded feeds and pages as a small municipality's site would.
type feedSite struct {
	*httptest.Server
	mu     sync.Mutex
	notMod map[string]int
}

func newFeedSite(t *testing.T) *feedSite {
	t.Helper()
	s := &feedSite{notMod: map[string]int{}}
	mux := http.NewServeMux()
	serve := func(path, file, contentType string) {
		body, err := os.ReadFile(filepath.Join("..", "planner", "feeds", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == `"v1"` {
				s.mu.Lock()
				s.notMod[path]++
				s.mu.Unlock()
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", contentType)
			w.Write(body)
		})
	}
	serve("/etusivu/{$}", "page-with-feed.html", "text/html; charset=utf-8")
	serve("/etusivu/rss/uutiset.xml", "rss2-latin1.xml", "text/xml")
	serve("/yritys/{$}", "page-without-feed.html", "text/html")
	serve("/feed.json", "feed.json", "application/feed+json")
	serve("/broken.xml", "broken.xml", "application/rss+xml")
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *feedSite) notModified(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notMod[path]
}

// ok runs kaiku and fails the test unless it exits 0 with a quiet stderr.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := kaiku(t, args...)
	if code != 0 || errOut != "" {
		t.Fatalf("kaiku %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
	}
	return out
}

func TestFeedsFollowReadAndShare(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	site := newFeedSite(t)
	dir := t.TempDir()
	base := []string{"--data", dir, "--lang", "en"}
	run := func(args ...string) string { t.Helper(); return ok(t, append(base, args...)...) }

	// A site's page finds its feed.
	out := run("feeds", "add", site.URL+"/etusivu/", "--folder", "Kunta")
	line := regexp.MustCompile(`^(\S+)\tKylän & Kunnan Uutiset\n$`).FindStringSubmatch(out)
	if line == nil {
		t.Fatalf("feeds add printed %q, want the ID, a tab and the title", out)
	}
	feedID := line[1]

	var feeds []map[string]any
	if err := json.Unmarshal([]byte(run("feeds", "list", "--json")), &feeds); err != nil || len(feeds) != 1 {
		t.Fatalf("feeds list --json: %v %v", feeds, err)
	}
	f := feeds[0]
	if f["id"] != feedID || f["title"] != "Kylän & Kunnan Uutiset" || f["url"] != site.URL+"/etusivu/rss/uutiset.xml" || f["folder"] != "Kunta" || f["unread"] != 3.0 {
		t.Errorf("feed %v", f)
	}

	var items []map[string]any
	if err := json.Unmarshal([]byte(run("feeds", "items", "--json")), &items); err != nil || len(items) != 3 {
		t.Fatalf("feeds items --json: %v %v", items, err)
	}
	var halli map[string]any
	for _, it := range items {
		for _, k := range []string{"id", "feed_id", "title", "url", "published", "summary", "read"} {
			if _, ok := it[k]; !ok {
				t.Errorf("item lacks %q: %v", k, it)
			}
		}
		if it["title"] == "Jäähalli avataan lauantaina" {
			halli = it
		}
	}
	if halli == nil || halli["published"] != "2026-12-01T07:15:00+02:00" || halli["feed_id"] != feedID || halli["read"] != false ||
		halli["url"] != site.URL+"/uutiset/2026/12/jaahalli.html" {
		t.Fatalf("the ISO-8859-1 item: %v", halli)
	}

	// Share it with a comment: a draft with the link, the credit and the purpose.
	postID := strings.TrimSpace(run("feeds", "share", halli["id"].(string), "--comment", "Vihdoin luistelemaan!", "--at", "2026-12-02T09:00"))
	var posts []map[string]any
	if err := json.Unmarshal([]byte(run("post", "list", "--json")), &posts); err != nil || len(posts) != 1 {
		t.Fatalf("post list: %v %v", posts, err)
	}
	p := posts[0]
	wantText := "Vihdoin luistelemaan!\n\nJäähalli avataan lauantaina (via Kylän & Kunnan Uutiset)\n" + site.URL + "/uutiset/2026/12/jaahalli.html"
	if p["id"] != postID || p["purpose"] != "share" || p["text"] != wantText || p["time"] != "2026-12-02T09:00:00+02:00" || p["status"] != "draft" {
		t.Errorf("shared post %v", p)
	}
	if err := json.Unmarshal([]byte(run("feeds", "items", "--unread", "--json")), &items); err != nil || len(items) != 2 {
		t.Errorf("after sharing, %d unread (%v), want 2", len(items), err)
	}
	table := run("feeds", "items")
	if !strings.Contains(table, "Jäähalli avataan lauantaina") || !strings.Contains(table, "TITLE") {
		t.Errorf("feeds items table:\n%s", table)
	}

	run("feeds", "remove", feedID)
	if out := run("feeds", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("after remove: %s", out)
	}
	// The shared item stays, the others go with their feed.
	if err := json.Unmarshal([]byte(run("feeds", "items", "--json")), &items); err != nil || len(items) != 1 || items[0]["shared_post_id"] != postID {
		t.Errorf("after remove: %v %v", items, err)
	}
}

func TestFeedsAddRefusesAPageWithoutAFeed(t *testing.T) {
	site := newFeedSite(t)
	dir := t.TempDir()
	for _, tc := range []struct{ lang, want string }{
		{"en", site.URL + "/yritys/ is a web page that names no feed; give the feed's own address"},
		{"fi", site.URL + "/yritys/ on verkkosivu, joka ei kerro syötettään; anna syötteen oma osoite"},
	} {
		code, out, errOut := kaiku(t, "--data", dir, "--lang", tc.lang, "feeds", "add", site.URL+"/yritys/")
		if code != 1 || out != "" || errOut != "kaiku: "+tc.want+"\n" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", tc.lang, code, out, errOut)
		}
	}
	code, _, errOut := kaiku(t, "--data", dir, "--lang", "en", "feeds", "add", site.URL+"/broken.xml")
	if code != 1 || !strings.Contains(errOut, "no RSS, Atom or JSON feed") {
		t.Errorf("a broken feed: exit %d, %q", code, errOut)
	}
	code, _, errOut = kaiku(t, "--data", dir, "--lang", "en", "feeds", "add", site.URL+"/missing.xml")
	if code != 1 || !strings.Contains(errOut, "The site answered 404 Not Found.") {
		t.Errorf("a missing feed: exit %d, %q", code, errOut)
	}
	if out := ok(t, "--data", dir, "feeds", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("something was added: %s", out)
	}
	if code, _, errOut := kaiku(t, "--data", dir, "--lang", "en", "feeds", "add"); code != 2 || !strings.Contains(errOut, "kaiku feeds add URL") {
		t.Errorf("no address: exit %d, %q", code, errOut)
	}
}

// TestFeedsRefreshNamesTheFailingFeed runs `feeds refresh` as a real
// process: a broken feed makes it exit 1 and is named on stderr, while the
// good feed refreshes; the next run asks the good one conditionally.
func TestFeedsRefreshNamesTheFailingFeed(t *testing.T) {
	site := newFeedSite(t)
	dir := t.TempDir()
	ok(t, "--data", dir, "feeds", "add", site.URL+"/feed.json")
	opml := filepath.Join(t.TempDir(), "rikki.opml")
	os.WriteFile(opml, []byte(`<?xml version="1.0"?><opml version="2.0"><body><outline text="Rikkinäinen syöte" xmlUrl="`+site.URL+`/broken.xml"/></body></opml>`), 0o600)
	ok(t, "--data", dir, "feeds", "import-opml", opml)

	proc := child(t, "main", "--data", dir, "--lang", "en", "feeds", "refresh")
	var out, errOut bytes.Buffer
	proc.Stdout, proc.Stderr = &out, &errOut
	_ = proc.Run()
	if proc.ProcessState.ExitCode() != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", proc.ProcessState.ExitCode(), errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "kaiku: Rikkinäinen syöte (") ||
		!strings.HasSuffix(lines[0], "The address gave no RSS, Atom or JSON feed Kaiku can read.") ||
		lines[1] != "kaiku: 1 of 2 feeds could not be refreshed; the others were" {
		t.Errorf("stderr:\n%s", errOut.String())
	}
	if out.String() != "Refreshed 1 feeds: 0 new items.\n" {
		t.Errorf("stdout %q", out.String())
	}
	if site.notModified("/feed.json") != 1 {
		t.Errorf("the good feed was not asked conditionally")
	}
	var feeds []struct {
		Title     string
		LastError *struct{ Code string } `json:"last_error"`
		Backoff   string                 `json:"backoff_until"`
	}
	json.Unmarshal([]byte(ok(t, "--data", dir, "feeds", "list", "--json")), &feeds)
	if len(feeds) != 2 || feeds[1].LastError == nil || feeds[1].LastError.Code != "not-a-feed" || feeds[1].Backoff == "" {
		t.Errorf("feeds after refresh: %+v", feeds)
	}
	// The broken feed now backs off: the next refresh leaves it alone and succeeds.
	if out := ok(t, "--data", dir, "--lang", "fi", "feeds", "refresh"); out != "Päivitettiin 1 syötettä: 0 uutta artikkelia.\n" {
		t.Errorf("second refresh: %q", out)
	}
}

func TestFeedsOPMLImportTwiceAndExport(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join("..", "planner", "feeds", "testdata", "feedly.opml")
	if out := ok(t, "--data", dir, "--lang", "en", "feeds", "import-opml", file); out != "Imported 5 feeds; 0 were followed already.\n" {
		t.Errorf("first import: %q", out)
	}
	if out := ok(t, "--data", dir, "--lang", "en", "feeds", "import-opml", file); out != "Imported 0 feeds; 5 were followed already.\n" {
		t.Errorf("second import: %q", out)
	}
	exported := filepath.Join(t.TempDir(), "kaiku.opml")
	ok(t, "--data", dir, "feeds", "export-opml", "-o", exported)
	b, err := os.ReadFile(exported)
	if err != nil || !bytes.Contains(b, []byte(`<opml version="2.0">`)) || !bytes.Contains(b, []byte(`text="Kunta &amp; alue"`)) {
		t.Fatalf("export: %s %v", b, err)
	}
	if out := ok(t, "--data", dir, "feeds", "export-opml"); !strings.Contains(out, `<opml version="2.0">`) || !strings.Contains(out, `xmlUrl="https://www.ilmastopaneeli.fi/feed/"`) {
		t.Errorf("export to stdout: %s", out)
	}
	other := t.TempDir()
	if out := ok(t, "--data", other, "--lang", "en", "feeds", "import-opml", exported); out != "Imported 5 feeds; 0 were followed already.\n" {
		t.Errorf("importing the export: %q", out)
	}
	a := ok(t, "--data", dir, "feeds", "list")
	if a2 := ok(t, "--data", other, "feeds", "list"); stripIDs(a) != stripIDs(a2) {
		t.Errorf("the export does not carry the same feeds and folders:\n%s\n%s", a, a2)
	}
	notOPML := filepath.Join(t.TempDir(), "x.opml")
	os.WriteFile(notOPML, []byte("<html><body>nope"), 0o600)
	if code, _, errOut := kaiku(t, "--data", dir, "--lang", "en", "feeds", "import-opml", notOPML); code != 1 || !strings.Contains(errOut, "is not an OPML file of feeds") {
		t.Errorf("not OPML: exit %d, %q", code, errOut)
	}
}

// stripIDs removes the first column of a feeds table.
func stripIDs(table string) string {
	var out []string
	for _, l := range strings.Split(table, "\n") {
		if i := strings.IndexByte(l, ' '); i >= 0 {
			l = l[i:]
		}
		out = append(out, strings.TrimSpace(l))
	}
	return strings.Join(out, "\n")
}

func TestFeedsShareNeedsAnItemAndAComment(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := kaiku(t, "--data", dir, "--lang", "en", "feeds", "share", "nope", "--comment", "x"); code != 1 || !strings.Contains(errOut, "there is no item nope") {
		t.Errorf("missing item: exit %d, %q", code, errOut)
	}
	if code, _, errOut := kaiku(t, "--data", dir, "--lang", "en", "feeds", "share", "nope"); code != 2 || !strings.Contains(errOut, "--comment is required") {
		t.Errorf("no comment: exit %d, %q", code, errOut)
	}
	if code, _, errOut := kaiku(t, "--data", dir, "--lang", "en", "feeds", "remove", "nope"); code != 1 || !strings.Contains(errOut, "there is no feed nope") {
		t.Errorf("remove a missing feed: exit %d, %q", code, errOut)
	}
}

// listedItem is what the kill test compares of an item.
type listedItem struct {
	ID     string `json:"id"`
	FeedID string `json:"feed_id"`
}

// TestKilledRefreshLeavesTheReadingListWhole kills `feeds refresh` at random
// moments while it stores and prunes hundreds of items, and checks after
// each kill that the store opens and that the list of all items and each
// feed's own list (two indexes) hold exactly the same items.
func TestKilledRefreshLeavesTheReadingListWhole(t *testing.T) {
	var mu sync.Mutex
	served := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served++
		round := served
		mu.Unlock()
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Nopea</title><link>https://nopea.example.fi/</link>`)
		now := time.Now().UTC()
		for i := range 300 {
			n := round*120 + i
			fmt.Fprintf(&b, `<item><title>Uutinen %d</title><link>https://nopea.example.fi/%d</link><guid>g%d</guid><pubDate>%s</pubDate><description>Kunnanhallitus käsitteli asiaa %d.</description></item>`,
				n, n, n, now.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), n)
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, b.String())
	}))
	defer srv.Close()
	dir := t.TempDir()
	ok(t, "--data", dir, "feeds", "add", srv.URL+"/a.xml")
	ok(t, "--data", dir, "feeds", "add", srv.URL+"/b.xml")

	rounds := 12
	if testing.Short() {
		rounds = 3
	}
	killed := 0
	for round := range rounds {
		proc := child(t, "main", "--data", dir, "feeds", "refresh")
		if err := proc.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(50+rand.IntN(500)) * time.Millisecond)
		if proc.Process.Signal(syscall.SIGKILL) == nil {
			killed++
		}
		_ = proc.Wait()

		var all, byFeed []listedItem
		code, out, errOut := kaiku(t, "--data", dir, "feeds", "items", "--json")
		if code != 0 {
			t.Fatalf("round %d: the store did not reopen: %s", round, errOut)
		}
		if err := json.Unmarshal([]byte(out), &all); err != nil {
			t.Fatal(err)
		}
		var feeds []struct{ ID string }
		json.Unmarshal([]byte(ok(t, "--data", dir, "feeds", "list", "--json")), &feeds)
		// A refresh adds items in batches and then applies the retention,
		// so a kill between may leave a feed over its limit until the next
		// refresh; what must hold at every moment is that both indexes agree.
		for _, f := range feeds {
			var some []listedItem
			json.Unmarshal([]byte(ok(t, "--data", dir, "feeds", "items", "--feed", f.ID, "--json")), &some)
			byFeed = append(byFeed, some...)
		}
		ids := func(xs []listedItem) []string {
			var out []string
			for _, x := range xs {
				out = append(out, x.FeedID+"/"+x.ID)
			}
			slices.Sort(out)
			return out
		}
		if !slices.Equal(ids(all), ids(byFeed)) {
			t.Fatalf("round %d: the two indexes differ: %d items in the list, %d by feed", round, len(all), len(byFeed))
		}
	}
	if killed == 0 {
		t.Fatal("no refresh was killed; the test proved nothing")
	}
	// A refresh that runs to its end brings every feed back within the limit.
	ok(t, "--data", dir, "feeds", "refresh")
	var feeds []struct{ ID string }
	json.Unmarshal([]byte(ok(t, "--data", dir, "feeds", "list", "--json")), &feeds)
	for _, f := range feeds {
		var some []listedItem
		json.Unmarshal([]byte(ok(t, "--data", dir, "feeds", "items", "--feed", f.ID, "--json")), &some)
		if len(some) > planner.ItemsPerFeed {
			t.Errorf("after a whole refresh, feed %s keeps %d items", f.ID, len(some))
		}
	}
}
