package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

var feedNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func testFeed(id, url, folder string) planner.Feed {
	return planner.Feed{ID: id, Title: "Feed " + id, URL: url, Folder: folder, Created: feedNow}
}

// testItem is item n of the feed, published n hours before feedNow.
func testItem(feedID string, n int) planner.Item {
	link := fmt.Sprintf("https://%s.example.fi/%d", feedID, n)
	return planner.Item{
		ID: planner.ItemID(feedID, "link:"+link), FeedID: feedID, Title: fmt.Sprintf("Uutinen %d", n), URL: link,
		Summary: "Kunta tiedottaa", Published: feedNow.Add(-time.Duration(n) * time.Hour), Added: feedNow,
	}
}

func addFeed(t testing.TB, s *Store, f planner.Feed) {
	t.Helper()
	if _, added, err := s.AddFeed(context.Background(), f); err != nil || !added {
		t.Fatalf("AddFeed %s: added %v, %v", f.ID, added, err)
	}
}

func itemIDs(items []planner.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Title
	}
	return out
}

func TestAddFeedOnceByAddress(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	addFeed(t, s, testFeed("f1", "https://www.kyla.example.fi/feed/", "Kunta"))
	same, added, err := s.AddFeed(ctx, testFeed("f2", "http://kyla.example.fi/feed", ""))
	if err != nil || added || same.ID != "f1" {
		t.Fatalf("the same address again: %+v added %v, %v", same, added, err)
	}
	if _, _, err := s.AddFeed(ctx, testFeed("f1", "https://other.example.fi/", "")); !errors.Is(err, planner.ErrConflict) {
		t.Errorf("a second feed with the ID: %v", err)
	}
	if _, _, err := s.AddFeed(ctx, testFeed("f3", "not a url", "")); !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("an invalid feed: %v", err)
	}
	addFeed(t, s, testFeed("f4", "https://a.example.fi/rss", ""))
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 2 || feeds[0].ID != "f4" || feeds[1].ID != "f1" {
		t.Fatalf("feeds %+v %v; want the one without a folder first", feeds, err)
	}
	if _, err := s.UpdateFeed(ctx, "f4", func(f *planner.Feed) error { f.URL = "https://kyla.example.fi/feed"; return nil }); !errors.Is(err, planner.ErrConflict) {
		t.Errorf("moving a feed onto another's address: %v", err)
	}
	f, err := s.UpdateFeed(ctx, "f4", func(f *planner.Feed) error { f.Title = "Uusi nimi"; f.ETag = `"x"`; return nil })
	if err != nil || f.Title != "Uusi nimi" {
		t.Fatalf("UpdateFeed: %+v %v", f, err)
	}
	mine := errors.New("mine")
	if _, err := s.UpdateFeed(ctx, "f4", func(*planner.Feed) error { return mine }); err != mine {
		t.Errorf("change's own error came back as %v", err)
	}
	if _, err := s.UpdateFeed(ctx, "nope", func(*planner.Feed) error { return nil }); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("updating a missing feed: %v", err)
	}
}

func TestAddItemsDeduplicatesByIDThenLink(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	addFeed(t, s, testFeed("f1", "https://f1.example.fi/rss", ""))
	a, b := testItem("f1", 1), testItem("f1", 2)
	added, err := s.AddItems(ctx, "f1", []planner.Item{a, b}, feedNow)
	if err != nil || len(added) != 2 {
		t.Fatalf("first: %d added, %v", len(added), err)
	}
	// The user reads one; the feed then fixes its title.
	if _, err := s.UpdateItem(ctx, a.ID, func(it *planner.Item) error { it.Read = true; return nil }); err != nil {
		t.Fatal(err)
	}
	fixed := a
	fixed.Title = "Uutinen 1 (korjattu)"
	fixed.Published = feedNow // a feed that moves its date does not move the item
	// The same link under a new GUID is the same item.
	regl := b
	regl.ID, regl.GUID = planner.ItemID("f1", "guid:new-scheme-2"), "new-scheme-2"
	added, err = s.AddItems(ctx, "f1", []planner.Item{fixed, regl}, feedNow)
	if err != nil || len(added) != 0 {
		t.Fatalf("again: %d added, %v", len(added), err)
	}
	items, err := s.Items(ctx, planner.ItemQuery{})
	if err != nil || len(items) != 2 {
		t.Fatalf("items %v %v", itemIDs(items), err)
	}
	got := items[0]
	if got.Title != "Uutinen 1 (korjattu)" || !got.Read || !got.Published.Equal(a.Published) {
		t.Errorf("the stored item after the feed changed it: %+v", got)
	}
	if _, err := s.AddItems(ctx, "nope", []planner.Item{testItem("nope", 1)}, feedNow); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("items of a missing feed: %v", err)
	}
	if _, err := s.AddItems(ctx, "f1", []planner.Item{testItem("f2", 1)}, feedNow); err == nil {
		t.Error("an item of another feed was added")
	}
	checkItemIndex(t, s)
}

func TestItemsFilters(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	addFeed(t, s, testFeed("f1", "https://f1.example.fi/rss", "Kunta"))
	addFeed(t, s, testFeed("f2", "https://f2.example.fi/rss", "Ilmasto"))
	addFeed(t, s, testFeed("f3", "https://f3.example.fi/rss", "Kunta"))
	for i, f := range []string{"f1", "f2", "f3"} {
		var items []planner.Item
		for n := i; n < 9; n += 3 {
			it := testItem(f, n)
			if f == "f2" && n == 4 {
				it.Title = "Hiilinielu KASVOI"
			}
			items = append(items, it)
		}
		if _, err := s.AddItems(ctx, f, items, feedNow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.UpdateItem(ctx, testItem("f1", 3).ID, func(it *planner.Item) error { it.Read = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateItem(ctx, testItem("f3", 8).ID, func(it *planner.Item) error { it.Saved = true; return nil }); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    planner.ItemQuery
		want []string
	}{
		{"all, newest first", planner.ItemQuery{}, []string{"Uutinen 0", "Uutinen 1", "Uutinen 2", "Uutinen 3", "Hiilinielu KASVOI", "Uutinen 5", "Uutinen 6", "Uutinen 7", "Uutinen 8"}},
		{"unread", planner.ItemQuery{Unread: true, Limit: 4}, []string{"Uutinen 0", "Uutinen 1", "Uutinen 2", "Hiilinielu KASVOI"}},
		{"feed", planner.ItemQuery{FeedID: "f2"}, []string{"Uutinen 1", "Hiilinielu KASVOI", "Uutinen 7"}},
		{"folder", planner.ItemQuery{Folder: "Kunta", Unread: true}, []string{"Uutinen 0", "Uutinen 2", "Uutinen 5", "Uutinen 6", "Uutinen 8"}},
		{"search ignores case", planner.ItemQuery{Text: "hiiliNIELU kasvoi"}, []string{"Hiilinielu KASVOI"}},
		{"search the summary", planner.ItemQuery{Text: "TIEDOTTAA", Limit: 2}, []string{"Uutinen 0", "Uutinen 1"}},
		{"saved", planner.ItemQuery{Saved: true}, []string{"Uutinen 8"}},
		{"nothing", planner.ItemQuery{FeedID: "f9"}, []string{}},
	}
	for _, tc := range tests {
		got, err := s.Items(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(itemIDs(got), tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, itemIDs(got), tc.want)
		}
	}
}

func TestRetentionKeepsNewest500For90DaysAndSavedForEver(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	addFeed(t, s, testFeed("f1", "https://f1.example.fi/rss", ""))
	// 620 items an hour apart: the oldest 120 are past the newest 500.
	var items []planner.Item
	for n := range 620 {
		items = append(items, testItem("f1", n))
	}
	saved := testItem("f1", 550)
	// Saved before the feed listed all: the retention must spare it.
	if _, err := s.AddItems(ctx, "f1", []planner.Item{saved}, feedNow); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateItem(ctx, saved.ID, func(it *planner.Item) error { it.Saved = true; return nil }); err != nil {
		t.Fatal(err)
	}
	added, err := s.AddItems(ctx, "f1", items, feedNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 500 {
		t.Errorf("%d added; want the newest 500", len(added))
	}
	all, err := s.Items(ctx, planner.ItemQuery{})
	if err != nil || len(all) != 501 {
		t.Fatalf("%d items kept, want 500 and the saved one: %v", len(all), err)
	}
	// The feed still lists the old ones: they do not come back.
	if added, err := s.AddItems(ctx, "f1", items, feedNow.Add(time.Minute)); err != nil || len(added) != 0 {
		t.Fatalf("listing them again added %d: %v", len(added), err)
	}

	// 90 days on, everything but the saved one has aged out.
	later := feedNow.Add(planner.ItemMaxAge + 30*24*time.Hour)
	n, err := s.PruneItems(ctx, later)
	if err != nil || n != 500 {
		t.Fatalf("PruneItems removed %d, want 500: %v", n, err)
	}
	all, _ = s.Items(ctx, planner.ItemQuery{})
	if len(all) != 1 || all[0].ID != saved.ID {
		t.Errorf("after 90 days: %q", itemIDs(all))
	}
	// An item older than 90 days is never added.
	old := testItem("f1", 24*100)
	if added, err := s.AddItems(ctx, "f1", []planner.Item{old}, feedNow); err != nil || len(added) != 0 {
		t.Errorf("an item 100 days old was added: %d, %v", len(added), err)
	}
	checkItemIndex(t, s)
}

func TestDeleteFeedKeepsSavedAndSharedItems(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	addFeed(t, s, testFeed("f1", "https://f1.example.fi/rss", ""))
	addFeed(t, s, testFeed("f2", "https://f2.example.fi/rss", ""))
	var items []planner.Item
	for n := range 250 { // more than one batch
		items = append(items, testItem("f1", n))
	}
	if _, err := s.AddItems(ctx, "f1", items, feedNow); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddItems(ctx, "f2", []planner.Item{testItem("f2", 1)}, feedNow); err != nil {
		t.Fatal(err)
	}
	s.UpdateItem(ctx, items[3].ID, func(it *planner.Item) error { it.Saved = true; return nil })
	s.UpdateItem(ctx, items[4].ID, func(it *planner.Item) error { it.SharedPostID = "post1"; return nil })
	if err := s.DeleteFeed(ctx, "f1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Feed(ctx, "f1"); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("the feed is still there: %v", err)
	}
	all, _ := s.Items(ctx, planner.ItemQuery{})
	if got := itemIDs(all); !slices.Equal(got, []string{"Uutinen 1", "Uutinen 3", "Uutinen 4"}) {
		t.Errorf("after removing the feed: %q", got)
	}
	if err := s.DeleteFeed(ctx, "f1"); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("removing it twice: %v", err)
	}
	// Unsaved, an item of a removed feed goes at the next prune.
	s.UpdateItem(ctx, items[3].ID, func(it *planner.Item) error { it.Saved = false; return nil })
	if n, err := s.PruneItems(ctx, feedNow); err != nil || n != 1 {
		t.Errorf("prune removed %d: %v", n, err)
	}
	checkItemIndex(t, s)
}

// TestConcurrentItemWritesKeepTheIndex: a refresh adding items while the user
// marks others read and a prune runs leaves every index entry right.
func TestConcurrentItemWritesKeepTheIndex(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	addFeed(t, s, testFeed("f1", "https://f1.example.fi/rss", ""))
	var first []planner.Item
	for n := range 100 {
		first = append(first, testItem("f1", n))
	}
	if _, err := s.AddItems(ctx, "f1", first, feedNow); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 300)
	wg.Go(func() {
		for round := range 5 {
			var more []planner.Item
			for n := range 40 {
				it := testItem("f1", 100+round*40+n)
				more = append(more, it)
			}
			if _, err := s.AddItems(ctx, "f1", more, feedNow); err != nil {
				errs <- err
			}
		}
	})
	wg.Go(func() {
		for _, it := range first {
			if _, err := s.UpdateItem(ctx, it.ID, func(it *planner.Item) error { it.Read = true; return nil }); err != nil {
				errs <- err
			}
		}
	})
	wg.Go(func() {
		for range 5 {
			if _, err := s.PruneItems(ctx, feedNow); err != nil {
				errs <- err
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	unread, _ := s.Items(ctx, planner.ItemQuery{Unread: true})
	if len(unread) != 200 {
		t.Errorf("%d unread, want the 200 added later", len(unread))
	}
	checkItemIndex(t, s)
}

func TestFeedsAndItemsGoThroughExportAndImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := openTest(t)
	f := testFeed("f1", "https://f1.example.fi/rss?token=ei-salaisuus", "Kunta & alue")
	f.ETag, f.LastModified, f.Fetched = `W/"abc"`, "Tue, 01 Dec 2026 08:00:00 GMT", feedNow
	f.LastError = &planner.FeedError{Code: planner.FeedErrStatus, Status: 503, Text: "503", At: feedNow}
	f.Failures, f.BackoffUntil = 2, feedNow.Add(time.Hour)
	addFeed(t, src, f)
	items := []planner.Item{testItem("f1", 1), testItem("f1", 2)}
	items[1].GUID = "guid-2"
	if _, err := src.AddItems(ctx, "f1", items, feedNow); err != nil {
		t.Fatal(err)
	}
	src.UpdateItem(ctx, items[0].ID, func(it *planner.Item) error { it.Read, it.Saved, it.SharedPostID = true, true, "p1"; return nil })
	want, raw := exportOf(t, src)
	if len(want.Feeds) != 1 || len(want.Items) != 2 {
		t.Fatalf("the export lacks feeds or items: %s", raw)
	}
	dst := openTest(t)
	sum, err := dst.ImportJSON(ctx, bytes.NewReader(raw))
	if err != nil || sum.Feeds != 1 || sum.Items != 2 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	got, _ := exportOf(t, dst)
	sameData(t, got, want)
	checkItemIndex(t, dst)
	// Imported items are found by the same indexes, and a refresh does not add them again.
	unread, _ := dst.Items(ctx, planner.ItemQuery{Unread: true})
	if len(unread) != 1 {
		t.Errorf("%d unread after import", len(unread))
	}
	if added, err := dst.AddItems(ctx, "f1", items, feedNow); err != nil || len(added) != 0 {
		t.Errorf("refreshing after import added %d: %v", len(added), err)
	}
	// An invalid item stops the import before anything is written.
	bad := strings.Replace(string(raw), `"feed_id":"f1"`, `"feed_id":"a/b"`, 1)
	other := openTest(t)
	if _, err := other.ImportJSON(ctx, strings.NewReader(bad)); !errors.Is(err, planner.ErrInvalid) || !strings.Contains(err.Error(), "item 1") {
		t.Errorf("import of a bad item: %v", err)
	}
	if feeds, _ := other.Feeds(ctx); len(feeds) != 0 {
		t.Error("a refused import wrote feeds")
	}
}

// checkItemIndex fails unless the item indexes list exactly the stored items.
func checkItemIndex(t testing.TB, s *Store) {
	t.Helper()
	var want, got []string
	err := s.db.View(func(txn *badger.Txn) error {
		if err := eachValue(txn, prefixItem, func(it planner.Item) bool {
			times, link := itemIndexKeys(it)
			for _, k := range times {
				want = append(want, string(k))
			}
			if link != nil {
				want = append(want, string(link))
			}
			return true
		}); err != nil {
			return err
		}
		for _, p := range []string{prefixItemTime, prefixItemFeed, prefixItemLink} {
			opt := badger.DefaultIteratorOptions
			opt.Prefix = []byte(p)
			it := txn.NewIterator(opt)
			for it.Rewind(); it.Valid(); it.Next() {
				got = append(got, string(it.Item().KeyCopy(nil)))
			}
			it.Close()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("the item indexes hold %d entries, the items want %d", len(got), len(want))
	}
	// The itemtime copies are the items as stored.
	err = s.db.View(func(txn *badger.Txn) error {
		return eachValue(txn, prefixItemTime, func(copy planner.Item) bool {
			var it planner.Item
			if err := get(txn, itemKey(copy.ID), &it); err != nil || !reflect.DeepEqual(it, copy) {
				t.Errorf("the list's copy of item %s differs: %+v, stored %+v (%v)", copy.ID, copy, it, err)
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestItemCodecRoundTrip(t *testing.T) {
	if n := reflect.TypeFor[planner.Item]().NumField(); n != itemFields {
		t.Fatalf("planner.Item has %d fields, the item codec %d: give the new field a place in itemcodec.go", n, itemFields)
	}
	full := planner.Item{
		ID: "i1", FeedID: "f1", GUID: "tag:x,2026:1", Title: "Äänestys & <b>", URL: "https://e.fi/ä?x=1",
		Published: time.Date(2026, 12, 1, 7, 15, 0, 123456789, time.UTC), Summary: "Öisin suljettu.",
		Read: true, Saved: true, SharedPostID: "p1", Added: time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC),
		ReadAt: time.Date(2026, 12, 2, 9, 30, 0, 5, time.UTC),
	}
	for _, it := range []planner.Item{full, {ID: "i2", FeedID: "f1", Title: "x", Published: feedNow}} {
		val, err := itemValue(it)
		if err != nil {
			t.Fatal(err)
		}
		var back planner.Item
		if err := decode(val, &back); err != nil || !reflect.DeepEqual(back, it) {
			t.Errorf("round trip: %+v, want %+v (%v)", back, it, err)
		}
		// Every cut of the value is refused, never read as a shorter item.
		for i := 1; i < len(val); i++ {
			if err := decode(val[:i], &back); err == nil {
				t.Fatalf("a value cut to %d of %d bytes decoded", i, len(val))
			}
		}
		var p planner.Post
		if err := decode(val, &p); err == nil {
			t.Error("an item decoded as a post")
		}
	}
}

// TestItemsWrittenBeforeReadAtStillRead: an item stored in the encoding
// without ReadAt reads back whole, with no ReadAt.
func TestItemsWrittenBeforeReadAtStillRead(t *testing.T) {
	it := planner.Item{ID: "i1", FeedID: "f1", Title: "Vanha", Published: feedNow, Added: feedNow, Read: true}
	val, err := itemValue(it)
	if err != nil {
		t.Fatal(err)
	}
	// The older layout: the same without ReadAt's two numbers before the flags.
	zero := len(binary.AppendVarint(nil, 0)) + len(binary.AppendUvarint(nil, zeroNanos))
	old := append([]byte{encodingItemNoReadAt}, val[1:len(val)-1-zero]...)
	old = append(old, val[len(val)-1])
	var back planner.Item
	if err := decode(old, &back); err != nil || !reflect.DeepEqual(back, it) {
		t.Errorf("an older item reads %+v (%v), want %+v", back, err, it)
	}
}

// BenchmarkItems5000 lists the reading list of 5,000 items the ways the
// screen opens it: everything, the unread, and one feed. The screen's
// budget is 50 ms to open with 5,000 items.
func BenchmarkItems5000(b *testing.B) {
	s := openBench(b, b.TempDir())
	defer s.Close()
	ctx := context.Background()
	for f := range 10 {
		id := fmt.Sprintf("f%d", f)
		addFeed(b, s, testFeed(id, "https://"+id+".example.fi/rss", "Kansio"))
		var items []planner.Item
		for n := range 500 {
			it := testItem(id, n)
			it.Summary = strings.Repeat("Kunnanhallitus käsitteli asiaa ja päätti jatkaa valmistelua. ", 6)
			it.Read = n%3 == 0
			items = append(items, it)
		}
		if _, err := s.AddItems(ctx, id, items, feedNow); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct {
		name string
		q    planner.ItemQuery
		want int
	}{
		{"all", planner.ItemQuery{}, 5000},
		{"unread", planner.ItemQuery{Unread: true}, 3330},
		{"feed", planner.ItemQuery{FeedID: "f3"}, 500},
		{"search", planner.ItemQuery{Text: "uutinen 42"}, 110},
		{"first-200", planner.ItemQuery{Unread: true, Limit: 200}, 200},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				items, err := s.Items(ctx, bc.q)
				if err != nil || len(items) != bc.want {
					b.Fatalf("%d items, %v; want %d", len(items), err, bc.want)
				}
			}
		})
	}
}
