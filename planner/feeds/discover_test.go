package feeds_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/feeds"
)

func TestDiscoverFindsTheFeedLinksInOrder(t *testing.T) {
	links, err := feeds.Discover(fixture(t, "page-with-feed.html"), "text/html; charset=utf-8", "http://www.kylasanomat.fi/etusivu/")
	if err != nil {
		t.Fatal(err)
	}
	want := []feeds.Link{
		{URL: "http://www.kylasanomat.fi/etusivu/rss/uutiset.xml", Type: "application/rss+xml", Title: "Uutiset (RSS)"},
		{URL: "https://www.kylasanomat.fi/atom.xml", Type: "application/atom+xml", Title: "Uutiset (Atom)"},
		{URL: "http://www.kylasanomat.fi/feed.json", Type: "application/feed+json", Title: "Uutiset (JSON)"},
	}
	if !slices.Equal(links, want) {
		t.Errorf("links\n got %+v\nwant %+v", links, want)
	}
}

func TestDiscoverHonoursBaseHref(t *testing.T) {
	page := `<html><head><base href="https://cdn.example.fi/sivusto/"><link rel=alternate type="application/atom+xml; charset=utf-8" href="atom"></head></html>`
	links, err := feeds.Discover([]byte(page), "", "https://example.fi/")
	if err != nil || len(links) != 1 || links[0].URL != "https://cdn.example.fi/sivusto/atom" {
		t.Fatalf("%+v %v", links, err)
	}
}

func TestDiscoverSaysWhenAPageHasNoFeed(t *testing.T) {
	for _, page := range [][]byte{fixture(t, "page-without-feed.html"), nil, []byte("<html><link rel=alternate type=application/rss+xml href='javascript:x'>")} {
		links, err := feeds.Discover(page, "text/html", "https://yritys.example.fi/")
		if !errors.Is(err, feeds.ErrNoFeedInPage) || len(links) != 0 {
			t.Errorf("%q: %+v %v, want ErrNoFeedInPage", page, links, err)
		}
	}
}

func TestReadFeedlyExport(t *testing.T) {
	subs, err := feeds.ReadOPML(bytes.NewReader(fixture(t, "feedly.opml")))
	if err != nil {
		t.Fatal(err)
	}
	want := []feeds.Subscription{
		{Title: "Ilmastopaneeli", URL: "https://www.ilmastopaneeli.fi/feed/", SiteURL: "https://www.ilmastopaneeli.fi", Folder: "Ilmasto"},
		{Title: "Carbon Brief", URL: "https://www.carbonbrief.org/feed/", SiteURL: "https://www.carbonbrief.org", Folder: "Ilmasto"},
		{Title: "Kylän & Kunnan Uutiset", URL: "http://www.kylasanomat.fi/rss/uutiset.xml", SiteURL: "http://www.kylasanomat.fi/", Folder: "Kunta & alue"},
		{Title: "Kaupungin tiedotteet", URL: "https://kaupunki.example.fi/feed.json", SiteURL: "https://kaupunki.example.fi/", Folder: "Kunta & alue"},
		{Title: "Maijan blogi", URL: "https://blogi.example.org/maija/atom.xml", SiteURL: "https://blogi.example.org/maija/"},
	}
	if !slices.Equal(subs, want) {
		t.Errorf("got\n%+v\nwant\n%+v", subs, want)
	}
}

func TestReadInoreaderExport(t *testing.T) {
	subs, err := feeds.ReadOPML(bytes.NewReader(fixture(t, "inoreader.opml")))
	if err != nil {
		t.Fatal(err)
	}
	// The feed in two folders is read once, in the first; the javascript: one is skipped.
	want := []feeds.Subscription{
		{Title: "Yle Uutiset | Tuoreimmat uutiset", URL: "https://yle.fi/rss/uutiset/tuoreimmat", SiteURL: "https://yle.fi/uutiset", Folder: "Uutiset"},
		{Title: "Kylän & Kunnan Uutiset", URL: "http://www.kylasanomat.fi/rss/uutiset.xml", SiteURL: "http://www.kylasanomat.fi/", Folder: "Uutiset"},
		{Title: "Tutkimuslaitoksen julkaisut", URL: "https://tutkimus.example.fi/rss", SiteURL: "https://tutkimus.example.fi/", Folder: "Tutkimus"},
		{Title: "Seurakunnan sanomat", URL: "http://seurakunta.example.fi/rss.xml", SiteURL: "http://seurakunta.example.fi/"},
	}
	if !slices.Equal(subs, want) {
		t.Errorf("got\n%+v\nwant\n%+v", subs, want)
	}
}

func TestReadOPMLRefusesOtherFiles(t *testing.T) {
	for _, body := range []string{"", "not xml", `<rss version="2.0"><channel/></rss>`, `<opml><body><outline`} {
		if _, err := feeds.ReadOPML(strings.NewReader(body)); !errors.Is(err, feeds.ErrNotOPML) {
			t.Errorf("%q: %v, want ErrNotOPML", body, err)
		}
	}
}

func TestReadOPMLInLatin1(t *testing.T) {
	body := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><opml version=\"1.1\"><body><outline text=\"P\xe4\xe4kansio\"><outline text=\"Ty\xf6\" xmlUrl=\"https://e.fi/rss\"/></outline></body></opml>")
	subs, err := feeds.ReadOPML(bytes.NewReader(body))
	if err != nil || len(subs) != 1 || subs[0].Title != "Työ" || subs[0].Folder != "Pääkansio" {
		t.Fatalf("%+v %v", subs, err)
	}
}

func TestOPMLRoundTripKeepsFolders(t *testing.T) {
	in := []planner.Feed{
		{ID: "a", Title: "Ilmastopaneeli", URL: "https://www.ilmastopaneeli.fi/feed/", SiteURL: "https://www.ilmastopaneeli.fi", Folder: "Ilmasto"},
		{ID: "b", Title: "Kylän & <Kunnan> \"Uutiset\"", URL: "http://www.kylasanomat.fi/rss.xml?lang=fi&x=1", Folder: "Kunta & alue"},
		{ID: "c", Title: "Maijan blogi", URL: "https://blogi.example.org/maija/atom.xml"},
		{ID: "d", Title: "Carbon Brief", URL: "https://www.carbonbrief.org/feed/", Folder: "Ilmasto"},
	}
	var buf bytes.Buffer
	if err := feeds.WriteOPML(&buf, "Kaiku", in, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, s := range []string{`<?xml version="1.0" encoding="UTF-8"?>`, `<opml version="2.0">`, `<dateCreated>Tue, 01 Dec 2026 09:00:00 +0000</dateCreated>`} {
		if !strings.Contains(text, s) {
			t.Errorf("the file lacks %s:\n%s", s, text)
		}
	}
	out, err := feeds.ReadOPML(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%d feeds back, want %d", len(out), len(in))
	}
	byURL := map[string]feeds.Subscription{}
	for _, s := range out {
		byURL[s.URL] = s
	}
	for _, f := range in {
		s := byURL[f.URL]
		if s.Title != f.Title || s.Folder != f.Folder || s.SiteURL != f.SiteURL {
			t.Errorf("%s came back as %+v", f.URL, s)
		}
	}
}

// FuzzReadOPML: no file crashes the reader, and every subscription it
// returns makes a valid feed.
func FuzzReadOPML(f *testing.F) {
	f.Add(fixture(f, "feedly.opml"))
	f.Add(fixture(f, "inoreader.opml"))
	f.Add([]byte(`<opml><body><outline text="a"><outline xmlUrl="https://e.fi/&amp;x"/></outline></body></opml>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		subs, err := feeds.ReadOPML(bytes.NewReader(body))
		if err != nil {
			return
		}
		for _, s := range subs {
			feed := planner.Feed{ID: "f", Title: s.Title, URL: s.URL, SiteURL: s.SiteURL, Folder: s.Folder, Created: time.Now()}
			if err := feed.Validate(); err != nil {
				t.Fatalf("%+v: %v", s, err)
			}
		}
	})
}

// FuzzDiscover: no page crashes discovery, and what it finds are web addresses.
func FuzzDiscover(f *testing.F) {
	f.Add(fixture(f, "page-with-feed.html"), "text/html")
	f.Add(fixture(f, "page-without-feed.html"), "text/html; charset=iso-8859-1")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		links, err := feeds.Discover(body, contentType, "https://example.fi/a/b.html")
		for _, l := range links {
			if !planner.WebURL(l.URL) {
				t.Fatalf("found %q", l.URL)
			}
		}
		if err == nil && len(links) == 0 {
			t.Fatal("no links and no error")
		}
	})
}
