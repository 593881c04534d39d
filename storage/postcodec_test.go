package storage

import (
	"encoding/binary"
	"reflect"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// TestPostCodecRoundTrip: a post reads back as it was written, as the JSON
// encoding read it back (times at the offset they were written with), and a
// value cut anywhere is refused, never read as a shorter post.
func TestPostCodecRoundTrip(t *testing.T) {
	if n := reflect.TypeFor[planner.Post]().NumField(); n != postFields {
		t.Fatalf("planner.Post has %d fields, the post codec %d: give the new field a place in postcodec.go", n, postFields)
	}
	if n := reflect.TypeFor[planner.PublishResult]().NumField(); n != resultFields {
		t.Fatalf("planner.PublishResult has %d fields, the post codec %d: give the new field a place in postcodec.go", n, resultFields)
	}
	hel, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	tokyo := time.FixedZone("", 9*3600)
	full := planner.Post{
		ID: "0post1", Parts: []string{"Ensimmäinen osa ✨", "Toinen & <viimeinen>"},
		Variants: map[planner.Network]string{planner.NetworkMastodon: "Mastodonille", planner.NetworkBluesky: "Blueskylle 🦋"},
		Purpose:  planner.PurposeShare, Role: planner.RoleAdvising, GoalID: "0goal1",
		Targets:      []planner.Target{{AccountID: "0acct1", Network: planner.NetworkX}, {Network: planner.NetworkLinkedIn}},
		Time:         time.Date(2026, 12, 3, 9, 30, 0, 123456789, hel),
		OccurrenceID: "0slot1@2026-12-03", Status: planner.StatusNeedsAttention,
		Created: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC), Updated: time.Date(2026, 12, 2, 18, 0, 0, 0, tokyo),
		Attempt: "0attempt1", LastError: "outbox.error.interrupted", SourceItem: "0item1",
		Language: "fi",
		Images: []planner.Image{
			{Hash: planner.ImageHash([]byte("järvi")), Alt: "Kuva järvestä 🌅", Type: planner.ImageJPEG, Width: 1600, Height: 1200},
			{Hash: planner.ImageHash([]byte("piste")), Type: planner.ImagePNG, Width: 1, Height: 1, Part: 1},
		},
		Results: []planner.PublishResult{
			{AccountID: "0acct1", Network: planner.NetworkX, Part: 0, RemoteID: "1000", URL: "https://x.com/a/status/1000", At: time.Date(2026, 12, 3, 7, 30, 1, 0, time.UTC)},
			{AccountID: "0acct1", Network: planner.NetworkX, Part: 1, Error: "outbox.error.rejected", At: time.Date(2026, 12, 3, 7, 30, 2, 0, time.UTC)},
			{AccountID: "0acct2", Network: planner.NetworkBluesky, RemoteID: "at://did:plc:abc/app.bsky.feed.post/3k", CID: "bafyrei", Key: "3k", Attempt: "0attempt1", Pending: true},
		},
	}
	bare := planner.Post{ID: "0post2", Text: "Idea", Status: planner.StatusIdea}
	for _, p := range []planner.Post{full, bare} {
		val, err := postValue(p)
		if err != nil {
			t.Fatal(err)
		}
		if val[0] != encodingPost {
			t.Fatalf("written in encoding %d", val[0])
		}
		var back planner.Post
		if err := decode(val, &back); err != nil {
			t.Fatal(err)
		}
		// What JSON would have given: the same post through encode and decode.
		js, err := encode(p)
		if err != nil {
			t.Fatal(err)
		}
		var want planner.Post
		if err := decode(js, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, want) {
			t.Errorf("round trip:\n%+v\nwant what JSON reads back:\n%+v", back, want)
		}
		for i := 1; i < len(val); i++ {
			if err := decode(val[:i], &back); err == nil {
				t.Fatalf("a value cut at %d of %d was read", i, len(val))
			}
		}
	}
}

// TestPostsWrittenAsJSONStayReadable: a store holds the posts of earlier
// versions as JSON; they read as before, and a save writes them anew.
func TestPostsWrittenAsJSONStayReadable(t *testing.T) {
	s := openTest(t)
	p := planner.Post{ID: "0old1", Text: "Vanha julkaisu", Status: planner.StatusScheduled,
		Time: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC), Created: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), Updated: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	js, err := encode(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return putPost(txn, p, js) }); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	week, err := s.PostsBetween(ctx, p.Time.Add(-time.Hour), p.Time.Add(time.Hour))
	if err != nil || len(week) != 1 || week[0].Text != p.Text {
		t.Fatalf("the JSON post in the week: %+v %v", week, err)
	}
	if _, err := s.UpdatePost(ctx, p.ID, func(q *planner.Post) error { q.Text = "Muokattu"; return nil }); err != nil {
		t.Fatal(err)
	}
	err = s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(postKey(p.ID))
		if err != nil {
			return err
		}
		return item.Value(func(b []byte) error {
			if b[0] != encodingPost {
				t.Errorf("saved again in encoding %d", b[0])
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPostReaderReadsVarints: the reader's varints are binary's.
func TestPostReaderReadsVarints(t *testing.T) {
	for _, u := range []uint64{0, 1, 127, 128, 300, 1<<32 + 5, 1<<63 + 1, ^uint64(0)} {
		r := postReader{s: string(binary.AppendUvarint(nil, u)), ok: true}
		if got := r.uvarint(); got != u || !r.ok || r.left() != 0 {
			t.Errorf("uvarint %d read as %d (%v)", u, got, r.ok)
		}
	}
	for _, v := range []int64{0, -1, 1, -64, 64, 1 << 40, -1 << 40, -1 << 63, 1<<63 - 1} {
		r := postReader{s: string(binary.AppendVarint(nil, v)), ok: true}
		if got := r.varint(); got != v || !r.ok {
			t.Errorf("varint %d read as %d (%v)", v, got, r.ok)
		}
	}
	over := postReader{s: "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", ok: true}
	if over.uvarint(); over.ok {
		t.Error("a uvarint past 64 bits was read")
	}
}
