package planner_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

func goodFeed() planner.Feed {
	return planner.Feed{ID: "f1", Title: "Kylän uutiset", URL: "https://kyla.example.fi/rss.xml", Created: time.Now()}
}

func goodItem() planner.Item {
	return planner.Item{ID: "i1", FeedID: "f1", Title: "Otsikko", URL: "https://kyla.example.fi/1", Published: time.Now(), Added: time.Now()}
}

func TestFeedValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*planner.Feed)
		field  string
	}{
		{"valid", func(*planner.Feed) {}, ""},
		{"no id", func(f *planner.Feed) { f.ID = "" }, "id"},
		{"relative address", func(f *planner.Feed) { f.URL = "/rss.xml" }, "url"},
		{"ftp address", func(f *planner.Feed) { f.URL = "ftp://kyla.example.fi/rss.xml" }, "url"},
		{"site not web", func(f *planner.Feed) { f.SiteURL = "javascript:alert(1)" }, "site_url"},
		{"title not UTF-8", func(f *planner.Feed) { f.Title = "K\xe4" }, "title"},
		{"long folder", func(f *planner.Feed) { f.Folder = strings.Repeat("x", planner.MaxFolder+1) }, "folder"},
		{"negative failures", func(f *planner.Feed) { f.Failures = -1 }, "failures"},
		{"unknown error code", func(f *planner.Feed) { f.LastError = &planner.FeedError{Code: "gremlins"} }, "last_error"},
		{"known error", func(f *planner.Feed) {
			f.LastError = &planner.FeedError{Code: planner.FeedErrStatus, Status: 404, Text: "404"}
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := goodFeed()
			tc.change(&f)
			checkField(t, f.Validate(), tc.field)
		})
	}
}

func TestItemValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*planner.Item)
		field  string
	}{
		{"valid", func(*planner.Item) {}, ""},
		{"link only", func(it *planner.Item) { it.Title = "" }, ""},
		{"title only", func(it *planner.Item) { it.URL = "" }, ""},
		{"neither", func(it *planner.Item) { it.Title, it.URL = " ", "" }, "title"},
		{"no feed", func(it *planner.Item) { it.FeedID = "" }, "feed_id"},
		{"no time", func(it *planner.Item) { it.Published = time.Time{} }, "published"},
		{"mailto link", func(it *planner.Item) { it.URL = "mailto:x@example.fi" }, "url"},
		{"long summary", func(it *planner.Item) { it.Summary = strings.Repeat("ä", planner.MaxItemSummary) }, "summary"},
		{"bad post id", func(it *planner.Item) { it.SharedPostID = "a/b" }, "shared_post_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := goodItem()
			tc.change(&it)
			checkField(t, it.Validate(), tc.field)
		})
	}
}

func checkField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	var ie *planner.InvalidError
	if !errors.As(err, &ie) || ie.Field != field || !errors.Is(err, planner.ErrInvalid) {
		t.Fatalf("err %v, want an InvalidError on %s", err, field)
	}
}

func TestCanonicalURLMakesTheSameFeedEqual(t *testing.T) {
	same := [][]string{
		{"https://www.Example.fi/feed/", "http://example.fi/feed", "https://example.fi:443/feed#top"},
		{"https://example.fi/rss?lang=fi", "http://www.example.fi/rss/?lang=fi"},
	}
	for _, group := range same {
		for _, u := range group[1:] {
			if planner.CanonicalURL(u) != planner.CanonicalURL(group[0]) {
				t.Errorf("%s and %s differ: %s, %s", u, group[0], planner.CanonicalURL(u), planner.CanonicalURL(group[0]))
			}
		}
	}
	different := [][2]string{
		{"https://example.fi/feed", "https://example.fi/feed2"},
		{"https://example.fi/rss?lang=fi", "https://example.fi/rss?lang=sv"},
		{"https://example.fi:8080/feed", "https://example.fi/feed"},
		{"https://blog.example.fi/feed", "https://example.fi/feed"},
	}
	for _, d := range different {
		if planner.CanonicalURL(d[0]) == planner.CanonicalURL(d[1]) {
			t.Errorf("%s and %s are the same", d[0], d[1])
		}
	}
}

func TestShareTextPutsTheCommentFirstAndCreditsTheSource(t *testing.T) {
	it := planner.Item{Title: "Jäähalli avataan", URL: "https://kyla.example.fi/halli"}
	text, end := planner.ShareText("  Hienoa, vihdoin!  ", it, "Kylän uutiset")
	want := "Hienoa, vihdoin!\n\nJäähalli avataan (via Kylän uutiset)\nhttps://kyla.example.fi/halli"
	if text != want || text[:end] != "Hienoa, vihdoin!" {
		t.Errorf("got %q (comment ends at %d), want %q", text, end, want)
	}
	// Without a comment the cursor goes first, where the comment will be.
	text, end = planner.ShareText("", it, "Kylän uutiset")
	if end != 0 || !strings.HasPrefix(text, "\n\nJäähalli") {
		t.Errorf("empty comment: %q, %d", text, end)
	}
	// The pre-publish check sees the credit.
	p := planner.Post{Text: "Hyvä " + text, Purpose: planner.PurposeShare}
	for _, w := range planner.Check(p, planner.Guidelines{}) {
		if w.Key == planner.WarnShareSource {
			t.Errorf("a shared item's text is taken for a share without its source")
		}
	}
}

func TestItemIDIsStableAndKeySafe(t *testing.T) {
	a := planner.ItemID("f1", "guid:https://example.fi/a?x=1&y=2")
	if a != planner.ItemID("f1", "guid:https://example.fi/a?x=1&y=2") || a == planner.ItemID("f2", "guid:https://example.fi/a?x=1&y=2") {
		t.Error("ItemID is not a function of feed and key")
	}
	it := goodItem()
	it.ID = a
	if err := it.Validate(); err != nil || len(a) != 26 {
		t.Errorf("ItemID %q: %v", a, err)
	}
}
