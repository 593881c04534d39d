package feeds_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/feeds"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

type wantEntry struct {
	guid, title, url, summary string
	published                 time.Time
}

func TestParseRealWorldFeeds(t *testing.T) {
	tests := []struct {
		name, file, contentType, url string
		title, site                  string
		entries                      []wantEntry
	}{
		{
			name: "RSS 2.0 in ISO-8859-1 with CDATA, entities, HTML in a title and a relative link",
			file: "rss2-latin1.xml", contentType: "text/xml", url: "http://www.kylasanomat.fi/rss/uutiset.xml",
			title: "Kylän & Kunnan Uutiset", site: "http://www.kylasanomat.fi/",
			entries: []wantEntry{
				{"kylasanomat-4711", "Jäähalli avataan lauantaina", "http://www.kylasanomat.fi/uutiset/2026/12/jaahalli.html",
					"Kunnanhallitus päätti, että jäähalli avataan lauantaina klo 10. Lisätietoja: kunnantalo & kirjasto.", at("2026-12-01T07:15:00+02:00")},
				{"", "Äänestys äänestyspaikoista & aukioloajoista", "http://www.kylasanomat.fi/uutiset/2026/11/aanestys.html",
					"Vaalilautakunta kokoontuu torstaina. Öisin suljettu.", at("2026-11-30T18:00:00+02:00")},
				{"", "Kirjaston aukioloajat muuttuvat", "http://www.kylasanomat.fi/uutiset/kirjasto.html", "Ilman päivämäärää.", time.Time{}},
			},
		},
		{
			// The server says UTF-8, as servers do by default; the file and its declaration say otherwise.
			name: "ISO-8859-1 file labelled UTF-8 by the server",
			file: "rss2-latin1.xml", contentType: "application/rss+xml; charset=utf-8", url: "http://www.kylasanomat.fi/rss/uutiset.xml",
			title: "Kylän & Kunnan Uutiset", site: "http://www.kylasanomat.fi/",
			entries: []wantEntry{
				{"kylasanomat-4711", "Jäähalli avataan lauantaina", "http://www.kylasanomat.fi/uutiset/2026/12/jaahalli.html",
					"Kunnanhallitus päätti, että jäähalli avataan lauantaina klo 10. Lisätietoja: kunnantalo & kirjasto.", at("2026-12-01T07:15:00+02:00")},
				{"", "Äänestys äänestyspaikoista & aukioloajoista", "http://www.kylasanomat.fi/uutiset/2026/11/aanestys.html",
					"Vaalilautakunta kokoontuu torstaina. Öisin suljettu.", at("2026-11-30T18:00:00+02:00")},
				{"", "Kirjaston aukioloajat muuttuvat", "http://www.kylasanomat.fi/uutiset/kirjasto.html", "Ilman päivämäärää.", time.Time{}},
			},
		},
		{
			name: "windows-1252 without a declaration, charset only in HTTP",
			file: "rss2-cp1252-nodecl.xml", contentType: "text/xml; charset=windows-1252", url: "http://yhdistys.example.fi/rss",
			title: "Yhdistyksen tiedotteet", site: "http://yhdistys.example.fi/",
			entries: []wantEntry{{"http://yhdistys.example.fi/tiedote/1", "”Tervetuloa” – jäsenmaksu 20 €", "http://yhdistys.example.fi/tiedote/1",
				"Käytämme taas ‘yhteistä kassaa’.", at("2026-11-29T12:00:00Z")}},
		},
		{
			name: "windows-1252 with no label at all",
			file: "rss2-cp1252-nodecl.xml", contentType: "text/xml", url: "http://yhdistys.example.fi/rss",
			title: "Yhdistyksen tiedotteet", site: "http://yhdistys.example.fi/",
			entries: []wantEntry{{"http://yhdistys.example.fi/tiedote/1", "”Tervetuloa” – jäsenmaksu 20 €", "http://yhdistys.example.fi/tiedote/1",
				"Käytämme taas ‘yhteistä kassaa’.", at("2026-11-29T12:00:00Z")}},
		},
		{
			name: "RSS 0.91 with a DTD", file: "rss091.xml", url: "http://seurakunta.example.fi/rss.xml",
			title: "Seurakunnan sanomat", site: "http://seurakunta.example.fi/",
			entries: []wantEntry{{"", "Joulukonsertti kirkossa", "http://seurakunta.example.fi/tapahtumat/joulukonsertti",
				"Tervetuloa kuuntelemaan! Vapaa pääsy.", time.Time{}}},
		},
		{
			name: "RSS 1.0 (RDF) with a Dublin Core date", file: "rss1.rdf", url: "https://tutkimus.example.fi/rss",
			title: "Tutkimuslaitoksen julkaisut", site: "https://tutkimus.example.fi/",
			entries: []wantEntry{{"", "Metsien hiilinielut 2026", "https://tutkimus.example.fi/julkaisut/42",
				"Raportti metsien hiilinieluista.", at("2026-11-27T10:00:00+02:00")}},
		},
		{
			name: "Atom 1.0 with xml:base on the feed and on an entry", file: "atom-xmlbase.xml", url: "https://blogi.example.org/maija/atom.xml",
			title: "Maijan blogi", site: "https://blogi.example.org/maija/",
			entries: []wantEntry{
				{"tag:blogi.example.org,2026:maija/post-17", "Hiilineutraali 2035 & mitä se vaatii", "https://blogi.example.org/maija/2026/12/hiilineutraali",
					"Kunnan tavoite on kunnianhimoinen.", at("2026-12-01T09:30:00+02:00")},
				{"tag:blogi.example.org,2026:maija/post-3", "Vanha kirjoitus", "https://blogi.example.org/arkisto/vanha.html",
					"Arkistosta löytyy lisää.", at("2026-10-01T08:00:00Z")},
			},
		},
		{
			name: "JSON Feed 1.1 with HTML content, a relative link and an untitled item", file: "feed.json",
			contentType: "application/feed+json", url: "https://kaupunki.example.fi/feed.json",
			title: "Kaupungin tiedotteet", site: "https://kaupunki.example.fi/",
			entries: []wantEntry{
				{"tiedote-2026-301", "Katujen talvikunnossapito alkaa", "https://kaupunki.example.fi/tiedotteet/301",
					"Aurauskalusto on valmiina. Pysäköi autosi kadun parillisille puolille.", at("2026-12-01T06:00:00+02:00")},
				{"tiedote-2026-300", "Valtuuston kokous siirtyy viikolla.", "https://kaupunki.example.fi/tiedotteet/300",
					"Valtuuston kokous siirtyy viikolla.", at("2026-11-30T15:45:00+02:00")},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := feeds.Parse(fixture(t, tc.file), tc.contentType, tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tc.title || doc.SiteURL != tc.site {
				t.Errorf("title %q site %q, want %q %q", doc.Title, doc.SiteURL, tc.title, tc.site)
			}
			if len(doc.Entries) != len(tc.entries) {
				t.Fatalf("%d entries, want %d: %+v", len(doc.Entries), len(tc.entries), doc.Entries)
			}
			for i, w := range tc.entries {
				e := doc.Entries[i]
				if e.GUID != w.guid || e.Title != w.title || e.URL != w.url || e.Summary != w.summary {
					t.Errorf("entry %d:\n got %q %q %q %q\nwant %q %q %q %q", i, e.GUID, e.Title, e.URL, e.Summary, w.guid, w.title, w.url, w.summary)
				}
				if !e.Published.Equal(w.published) {
					t.Errorf("entry %d published %v, want %v", i, e.Published, w.published)
				}
				if !e.Published.IsZero() && e.Published.Location() != time.UTC {
					t.Errorf("entry %d published %v is not in UTC", i, e.Published)
				}
			}
		})
	}
}

func TestParseRefusesWhatIsNotAFeed(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		html bool
	}{
		{"broken XML", fixture(t, "broken.xml"), false},
		{"a web page", fixture(t, "page-with-feed.html"), true},
		{"empty", nil, false},
		{"plain text", []byte("Not found"), false},
		{"JSON that is no feed", []byte(`{"error":"not found"}`), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := feeds.Parse(tc.body, "", "https://example.org/feed")
			var nf *feeds.NotAFeedError
			if !errors.As(err, &nf) || !errors.Is(err, feeds.ErrNotAFeed) {
				t.Fatalf("err %v, want a NotAFeedError", err)
			}
			if nf.HTML != tc.html {
				t.Errorf("HTML %v, want %v", nf.HTML, tc.html)
			}
		})
	}
}

func TestItemsHaveStableIdentities(t *testing.T) {
	now := at("2026-12-01T10:00:00Z")
	doc, err := feeds.Parse(fixture(t, "rss2-latin1.xml"), "", "http://www.kylasanomat.fi/rss/uutiset.xml")
	if err != nil {
		t.Fatal(err)
	}
	first := doc.Items("feed1", now)
	again := doc.Items("feed1", now.Add(time.Hour))
	other := doc.Items("feed2", now)
	if len(first) != 3 {
		t.Fatalf("%d items", len(first))
	}
	for i, it := range first {
		if err := it.Validate(); err != nil {
			t.Errorf("item %d: %v", i, err)
		}
		if again[i].ID != it.ID {
			t.Errorf("item %d: fetched again it is %s, was %s", i, again[i].ID, it.ID)
		}
		if other[i].ID == it.ID {
			t.Errorf("item %d has the same ID in two feeds", i)
		}
		if it.FeedID != "feed1" || !it.Added.Equal(now) {
			t.Errorf("item %d: %+v", i, it)
		}
	}
	// The guid identifies the first item, the link the second.
	if first[0].ID != planner.ItemID("feed1", "guid:kylasanomat-4711") {
		t.Error("the first item is not identified by its guid")
	}
	if first[1].ID != planner.ItemID("feed1", "link:http://www.kylasanomat.fi/uutiset/2026/11/aanestys.html") {
		t.Error("the second item is not identified by its link")
	}
	// An item without a date is dated when first seen.
	if !first[2].Published.Equal(now) {
		t.Errorf("undated item published %v, want %v", first[2].Published, now)
	}
}

func TestItemsFromTheFutureAreDatedNow(t *testing.T) {
	body := `<rss version="2.0"><channel><title>T</title><link>https://e.org/</link>
<item><title>Tomorrow's typo</title><link>https://e.org/1</link><pubDate>Fri, 01 Dec 2028 09:00:00 GMT</pubDate></item>
<item><title>Twice</title><link>https://e.org/2</link></item>
<item><title>Twice</title><link>https://e.org/2</link></item>
</channel></rss>`
	now := at("2026-12-01T10:00:00Z")
	doc, err := feeds.Parse([]byte(body), "", "https://e.org/rss")
	if err != nil {
		t.Fatal(err)
	}
	items := doc.Items("f", now)
	if len(items) != 2 {
		t.Fatalf("%d items; an entry listed twice must count once", len(items))
	}
	if !items[0].Published.Equal(now) {
		t.Errorf("a date two years ahead was kept: %v", items[0].Published)
	}
}

func TestLongTitlesAndSummariesAreBounded(t *testing.T) {
	long := strings.Repeat("sana ", 2000)
	body := `<rss version="2.0"><channel><title>` + long + `</title>
<item><title>` + long + `</title><link>https://e.org/1</link><description>` + long + `</description></item></channel></rss>`
	doc, err := feeds.Parse([]byte(body), "", "https://e.org/rss")
	if err != nil {
		t.Fatal(err)
	}
	e := doc.Entries[0]
	if n := utf8.RuneCountInString(e.Summary); n > feeds.SummaryRunes {
		t.Errorf("summary of %d runes", n)
	}
	if !strings.HasSuffix(e.Summary, "…") || !strings.HasSuffix(strings.TrimSuffix(e.Summary, "…"), "sana") {
		t.Errorf("summary not cut at a word: %q", e.Summary[len(e.Summary)-20:])
	}
	it := doc.Items("f", at("2026-12-01T10:00:00Z"))[0]
	if err := it.Validate(); err != nil {
		t.Errorf("a bounded item does not validate: %v", err)
	}
	if len(doc.Title) > planner.MaxFeedTitle {
		t.Errorf("feed title of %d bytes", len(doc.Title))
	}
}

func TestPlainText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                              "plain",
		"a < b and c > d":                    "a < b and c > d",
		"<p>One</p><p>two</p>":               "One two",
		"Fish &amp; chips &auml; &#8364;":    "Fish & chips ä €",
		"<b>Bold</b>&nbsp;text":              "Bold text",
		"<script>alert(1)</script>Safe":      "Safe",
		"<style>p{}</style><p>Styled</p>":    "Styled",
		"  lots\n\tof   space  ":             "lots of space",
		"line<br>break":                      "line break",
		"<img src=x alt=kuva>Kuvateksti":     "Kuvateksti",
		"<unclosed":                          "<unclosed",
		"5 &lt; 6":                           "5 < 6",
		"<a href='/x'>linkki</a>, ja muuta.": "linkki, ja muuta.",
	} {
		if got := feeds.PlainText(in); got != want {
			t.Errorf("PlainText(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParse: no document crashes the parser, and whatever it accepts gives
// items that the store would accept.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"rss2-latin1.xml", "rss2-cp1252-nodecl.xml", "rss091.xml", "rss1.rdf", "atom-xmlbase.xml", "feed.json", "broken.xml", "page-with-feed.html"} {
		f.Add(fixture(f, name), "")
	}
	f.Add([]byte(`<rss><channel><item><title>&lt;</title></item></channel></rss>`), "text/xml; charset=koi8-r")
	now := at("2026-12-01T10:00:00Z")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		doc, err := feeds.Parse(body, contentType, "https://example.org/feeds/main.xml")
		if err != nil {
			return
		}
		for _, it := range doc.Items("feed", now) {
			if err := it.Validate(); err != nil {
				t.Fatalf("item %+v does not validate: %v", it, err)
			}
		}
	})
}
