package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// exportDoc is the export document, decoded.
type exportDoc struct {
	Format     string                   `json:"format"`
	Version    int                      `json:"version"`
	Exported   string                   `json:"exported"`
	Posts      []planner.Post           `json:"posts"`
	Plans      []planner.SlotPlan       `json:"plans"`
	Exceptions []planner.SlotException  `json:"exceptions"`
	Goals      []planner.Goal           `json:"goals"`
	Profile    *planner.RoleProfile     `json:"profile"`
	Settings   planner.Settings         `json:"settings"`
	Accounts   []planner.Account        `json:"accounts"`
	Calendars  []planner.CalendarSource `json:"calendars"`
	Busy       []planner.BusyWindow     `json:"busy"`
	OrgKit     *planner.OrgKitRecord    `json:"org_kit"`
	Feeds      []planner.Feed           `json:"feeds"`
	Items      []planner.Item           `json:"items"`
	Images     []exportImage            `json:"images"`
}

// exportOf exports s and decodes the document.
func exportOf(t testing.TB, s *Store) (exportDoc, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := s.ExportJSON(context.Background(), &buf); err != nil {
		t.Fatalf("ExportJSON: %v", err)
	}
	var doc exportDoc
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("the export does not decode: %v\n%s", err, buf.Bytes())
	}
	return doc, buf.Bytes()
}

// sameData fails unless the two documents hold the same records. Times
// compare by their JSON, which keeps their offsets, not by zone pointers.
func sameData(t testing.TB, got, want exportDoc) {
	t.Helper()
	got.Exported, want.Exported = "", ""
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if !bytes.Equal(g, w) {
		gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("data differs at line %d: got %s, want %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("data differs: got %d lines, want %d", len(gl), len(wl))
	}
}

// rawData is every key and value in the store.
func rawData(t testing.TB, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			out[string(it.Item().Key())] = string(v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkIndex fails unless the post indexes list exactly the stored posts.
func checkIndex(t testing.TB, s *Store) {
	t.Helper()
	doc, _ := exportOf(t, s)
	if got, want := indexKeys(t, s), wantIndexKeys(doc.Posts...); !slices.Equal(got, want) {
		t.Fatalf("the index does not match the %d posts:\n got %q\nwant %q", len(doc.Posts), got, want)
	}
}

// populate stores some of every kind of record, with a large post that
// lives in the value log and records that were deleted again.
func populate(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	hel, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	t0 := at(2026, 11, 2, 10, 0)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	thread := testPost("thread", time.Date(2026, 12, 2, 9, 30, 0, 0, hel), planner.StatusScheduled)
	thread.Text, thread.Parts = "", []string{"1/2 Why open data & APIs <matter>", "2/2 Kiitos! 🙏"}
	thread.Variants = map[planner.Network]string{planner.NetworkX: "Short for X"}
	thread.GoalID = "g1"
	thread.OccurrenceID = "mon-write-2026-11-30"
	published := testPost("published", at(2026, 11, 20, 8, 0), planner.StatusPublished)
	published.Results = []planner.PublishResult{{AccountID: "a1", Network: planner.NetworkX, RemoteID: "42", URL: "https://x.com/e/status/42", At: t0}}
	large := testPost("large", at(2026, 12, 3, 9, 0), planner.StatusDraft)
	large.Variants = map[planner.Network]string{}
	for _, n := range planner.Networks() {
		large.Variants[n] = strings.Repeat("x", 70<<10) // over the value threshold together
	}
	for _, p := range []planner.Post{
		thread, published, large,
		testPost("idea", time.Time{}, planner.StatusIdea),
		testPost("draft", at(2026, 12, 1, 9, 0), planner.StatusDraft),
		testPost("gone", at(2026, 12, 1, 10, 0), planner.StatusDraft),
	} {
		must(s.SavePost(ctx, p))
	}
	must(s.DeletePost(ctx, "gone"))
	must(s.SavePlan(ctx, planner.SlotPlan{
		ID: "plan1", TimeZone: "Europe/Helsinki", Updated: t0, Revision: 3,
		Slots: []planner.Slot{
			{ID: "mon-write", Weekday: time.Monday, Start: planner.ClockTime{Hour: 9}, Minutes: 30, Purpose: planner.PurposeWrite, Role: planner.RoleInforming, Changed: t0},
			{ID: "thu-converse", Weekday: time.Thursday, Start: planner.ClockTime{Hour: 14, Minute: 15}, Minutes: 15, Purpose: planner.PurposeConverse},
		},
	}))
	must(s.SaveException(ctx, planner.SlotException{OccurrenceID: "mon-write-2026-11-30", Skip: true, Updated: t0}))
	must(s.SaveException(ctx, planner.SlotException{OccurrenceID: "thu-converse-2026-12-03", MoveTo: time.Date(2026, 12, 4, 10, 0, 0, 0, hel), Updated: t0}))
	must(s.SaveGoal(ctx, planner.Goal{ID: "g1", Title: "Be known for open data", Audiences: []planner.Audience{planner.AudienceMedia, planner.AudiencePeers}, Created: t0, Updated: t0}))
	must(s.SaveGoal(ctx, planner.Goal{ID: "g2", Title: "Dropped", Created: t0, Updated: t0}))
	must(s.DeleteGoal(ctx, "g2"))
	must(s.SaveProfile(ctx, planner.RoleProfile{
		Primary: planner.RoleAdvising, Secondary: planner.RoleNetworking,
		Mix:   planner.ContentMix{Own: 50, Shared: 30, Conversation: 20},
		Scope: planner.ScopeWork, WeeklyMinutes: 90, Networks: []planner.Network{planner.NetworkLinkedIn, planner.NetworkX},
		Updated: t0,
	}))
	st := planner.DefaultSettings()
	st.Language, st.TimeZone, st.Late = "fi", "Europe/Helsinki", planner.LateSkip
	st.Guidelines = planner.Guidelines{Disclosure: "#ad", AvoidWords: []string{"synergy"}}
	must(s.SaveSettings(ctx, st))
	must(s.SaveAccount(ctx, planner.Account{ID: "a1", Network: planner.NetworkX, Handle: "@expert", Name: "Expert", RemoteID: "123", Status: planner.AccountLinked, Created: t0, Updated: t0}))
	must(s.SaveAccount(ctx, planner.Account{ID: "a2", Network: planner.NetworkMastodon, Handle: "@expert@mastodon.social", APIBase: "https://mastodon.social", Status: planner.AccountNeedsRelink, TextLimit: 500, Created: t0, Updated: t0}))
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := openTest(t)
	populate(t, src)
	want, raw := exportOf(t, src)

	// The document is the one ExportJSON's comment describes.
	if !bytes.HasPrefix(raw, []byte(`{"format":"kaiku-export","version":1,"exported":"`)) {
		t.Errorf("the export starts %q", raw[:min(len(raw), 80)])
	}
	if _, err := time.Parse(time.RFC3339, want.Exported); err != nil {
		t.Errorf("exported = %q: %v", want.Exported, err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, `{"id":"thread"`) && !strings.Contains(line, `"2026-12-02T09:30:00+02:00"`) {
			t.Errorf("a post's time lost its offset: %s", line)
		}
		if strings.Contains(line, `\u0026`) || strings.Contains(line, `\u003c`) {
			t.Errorf("& and < are escaped: %s", line)
		}
	}
	if len(want.Posts) != 5 || len(want.Plans) != 1 || len(want.Exceptions) != 2 || len(want.Goals) != 1 ||
		want.Profile == nil || want.Settings.Language != "fi" || len(want.Accounts) != 2 {
		t.Fatalf("the export misses records: %s", raw)
	}

	dst := openTest(t)
	sum, err := dst.ImportJSON(ctx, bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ImportJSON: %v", err)
	}
	if wantSum := (ImportSummary{Posts: 5, Plans: 1, Exceptions: 2, Goals: 1, Accounts: 2, Profile: true, Settings: true}); sum != wantSum {
		t.Errorf("summary = %+v, want %+v", sum, wantSum)
	}
	got, _ := exportOf(t, dst)
	sameData(t, got, want)
	checkIndex(t, dst)
	if p, err := dst.Post(ctx, "large"); err != nil || len(p.Variants) != len(planner.Networks()) {
		t.Errorf("the large post after import: %v", err)
	}

	// Importing again replaces every record with itself.
	if _, err := dst.ImportJSON(ctx, bytes.NewReader(raw)); err != nil {
		t.Fatalf("second ImportJSON: %v", err)
	}
	again, _ := exportOf(t, dst)
	sameData(t, again, want)
	checkIndex(t, dst)
}

// TestImportReplaces: an imported post replaces the stored one, index
// entries and all; records the file does not name stay.
func TestImportReplaces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	old := testPost("p1", at(2026, 12, 1, 9, 0), planner.StatusDraft)
	keep := testPost("keep", time.Time{}, planner.StatusIdea)
	for _, p := range []planner.Post{old, keep} {
		if err := s.SavePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	moved := old
	moved.Time, moved.Status, moved.Text = at(2026, 12, 8, 14, 0), planner.StatusScheduled, "Rewritten"
	doc, _ := json.Marshal(map[string]any{"format": ExportFormat, "version": 1, "posts": []planner.Post{moved}})
	sum, err := s.ImportJSON(ctx, bytes.NewReader(doc))
	if err != nil || sum != (ImportSummary{Posts: 1}) {
		t.Fatalf("ImportJSON = %+v, %v", sum, err)
	}
	if got, want := indexKeys(t, s), wantIndexKeys(moved, keep); !reflect.DeepEqual(got, want) {
		t.Errorf("index = %q, want %q", got, want)
	}
	if got, err := s.Post(ctx, "p1"); err != nil || got.Text != "Rewritten" {
		t.Errorf("p1 = %+v, %v", got, err)
	}
	if st, err := s.Settings(ctx); err != nil || !reflect.DeepEqual(st, planner.DefaultSettings()) {
		t.Errorf("settings without a settings record = %+v, %v", st, err)
	}
}

// TestImportRejects: nothing is written when any record is wrong, and the
// error names it.
func TestImportRejects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	populate(t, s)
	_, valid := exportOf(t, s)
	// A fresh record before the bad one shows that checking comes before writing.
	fresh := `{"id":"fresh","text":"New","status":"draft","created":"2026-11-01T08:00:00Z","updated":"2026-11-01T08:00:00Z"}`
	doc := func(section, items string) string {
		return `{"format":"kaiku-export","version":1,"exported":"2026-12-01T09:00:00Z","posts":[` + fresh + `],"` + section + `":` + items + `}`
	}
	tests := []struct {
		name   string
		in     string
		is     error
		phrase string
	}{
		{"post without text", `{"format":"kaiku-export","version":1,"posts":[` + fresh + `,` + strings.Replace(fresh, `"fresh"`, `"fresh2"`, 1) +
			`,{"id":"empty","status":"draft","created":"2026-11-01T08:00:00Z","updated":"2026-11-01T08:00:00Z"}]}`,
			planner.ErrInvalid, `import: post 3 (id "empty"): invalid text: the post has no text`},
		{"same post twice", `{"format":"kaiku-export","version":1,"posts":[` + fresh + `,` + fresh + `]}`,
			planner.ErrInvalid, `post 2 (id "fresh"): invalid: the file holds this post twice`},
		{"post time unreadable", `{"format":"kaiku-export","version":1,"posts":[{"id":"p","text":"x","status":"draft","time":"yesterday"}]}`,
			ErrNotExport, `post 1 (id "p"): cannot be read`},
		{"post is a string", `{"format":"kaiku-export","version":1,"posts":["hello"]}`, ErrNotExport, `post 1: cannot be read`},
		{"post is null", `{"format":"kaiku-export","version":1,"posts":[null]}`, ErrNotExport, `post 1: cannot be read`},
		{"plan zone", doc("plans", `[{"id":"pl","time_zone":"Mars/Olympus","slots":[]}]`), planner.ErrInvalid, `plan 1 (id "pl"): invalid time_zone`},
		{"slot clock", doc("plans", `[{"id":"pl","time_zone":"UTC","slots":[{"id":"s","weekday":1,"start":"25:00","minutes":30,"purpose":"write"}]}]`),
			ErrNotExport, `plan 1 (id "pl"): cannot be read`},
		{"exception both", doc("exceptions", `[{"occurrence_id":"o","skip":true,"move_to":"2026-12-01T09:00:00Z"}]`), planner.ErrInvalid, `exception 1 (id "o")`},
		{"goal title", doc("goals", `[{"id":"g","title":" "}]`), planner.ErrInvalid, `goal 1 (id "g"): invalid title`},
		{"account status", doc("accounts", `[{"id":"a","network":"x","handle":"@a","status":"maybe"}]`), planner.ErrInvalid, `account 1 (id "a"): invalid status`},
		{"profile mix", doc("profile", `{"primary":"advising","mix":{"own":50,"shared":50,"conversation":50},"scope":"work"}`), planner.ErrInvalid, `profile: invalid mix`},
		{"settings late", doc("settings", `{"late_policy":"never"}`), planner.ErrInvalid, `settings: invalid late_policy`},
		{"settings shape", doc("settings", `[]`), ErrNotExport, `settings: cannot be read`},
		{"not JSON", `posts: []`, ErrNotExport, `the file is not a Kaiku export`},
		{"truncated", string(valid[:len(valid)/2]), ErrNotExport, `the file is not a Kaiku export`},
		{"trailing data", string(valid) + `{}`, ErrNotExport, `the file is not a Kaiku export`},
		{"another format", `{"format":"other","version":1}`, ErrNotExport, `its format is "other"`},
		{"no version", `{"format":"kaiku-export","posts":[]}`, ErrNotExport, `it has no version`},
		{"newer", `{"format":"kaiku-export","version":3,"posts":[]}`, ErrNewerExport,
			`the file is an export from a newer Kaiku (export version 3, this Kaiku reads up to 2); update Kaiku to import it`},
		{"posts not a list", `{"format":"kaiku-export","version":1,"posts":{}}`, ErrNotExport, `not a Kaiku export`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := rawData(t, s)
			sum, err := s.ImportJSON(ctx, strings.NewReader(tc.in))
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Errorf("err = %#v, want an *ImportError", err)
			}
			if !strings.Contains(err.Error(), tc.phrase) {
				t.Errorf("message %q does not say %q", err, tc.phrase)
			}
			if sum != (ImportSummary{}) {
				t.Errorf("summary = %+v, want none", sum)
			}
			if after := rawData(t, s); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused import changed the store: %d keys before, %d after", len(before), len(after))
			}
		})
	}
}

// TestImportManyPosts writes more than one transaction can hold, so the
// batches split; every post arrives with its index entries.
func TestImportManyPosts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	posts := makePosts(300, at(2026, 1, 5, 9, 0), time.Hour)
	for i := range posts {
		posts[i].Text = editText(i, 0) + strings.Repeat(" "+editText(i, 1), 10) // ~4 KB
	}
	raw, err := json.Marshal(map[string]any{"format": ExportFormat, "version": ExportVersion, "posts": posts})
	if err != nil {
		t.Fatal(err)
	}
	// A first batch that Badger refuses, so that the import splits it.
	if perPost := int64(len(raw) / len(posts)); perPost*importBatch < s.db.MaxBatchSize() {
		t.Fatalf("%d posts of %d bytes fit in one transaction", importBatch, perPost)
	}
	sum, err := s.ImportJSON(ctx, bytes.NewReader(raw))
	if err != nil || sum.Posts != len(posts) {
		t.Fatalf("ImportJSON = %+v, %v", sum, err)
	}
	if got, want := indexKeys(t, s), wantIndexKeys(posts...); !reflect.DeepEqual(got, want) {
		t.Fatalf("index has %d entries, want %d", len(got), len(want))
	}
	t.Logf("%d posts, %.1f MB of JSON; Badger's transaction limit is %.1f MB", len(posts), mb(int64(len(raw))), mb(s.db.MaxBatchSize()))
}

func TestExportCanceled(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.ExportJSON(ctx, &bytes.Buffer{}); !errors.Is(err, context.Canceled) {
		t.Errorf("ExportJSON: err = %v, want context.Canceled", err)
	}
	if _, err := s.ImportJSON(ctx, strings.NewReader(`{"format":"kaiku-export","version":1}`)); !errors.Is(err, context.Canceled) {
		t.Errorf("ImportJSON: err = %v, want context.Canceled", err)
	}
}

// FuzzImportJSON: whatever the file, ImportJSON does not panic, and either
// refuses it and writes nothing, or stores exactly its records.
func FuzzImportJSON(f *testing.F) {
	seed := openTest(f)
	populate(f, seed)
	// Small inputs mutate faster; the large post is for the round-trip tests.
	if err := seed.DeletePost(context.Background(), "large"); err != nil {
		f.Fatal(err)
	}
	_, valid := exportOf(f, seed)
	f.Add(valid)
	f.Add([]byte(`{"format":"kaiku-export","version":1}`))
	f.Add([]byte(`{"format":"kaiku-export","version":1,"posts":[{"id":"a","text":"x","status":"idea"}],"profile":null,"settings":null}`))
	f.Add([]byte(`{"format":"kaiku-export","version":1,"posts":[{"id":"a","text":"x","status":"scheduled"}]}`))
	f.Add([]byte(`{"format":"kaiku-export","version":1,"posts":[{"id":"a/b","text":"x","status":"idea"}]}`))
	f.Add([]byte(`{"format":"kaiku-export","version":1,"plans":[{"id":"p","time_zone":"../../etc/passwd"}]}`))
	f.Add([]byte(`{"format":"kaiku-export","version":1,"settings":{"reminder_minutes":-1}}`))
	f.Add([]byte(`{"format":"kaiku-export","version":2}`))
	f.Add([]byte(`{"format":"kaiku-export","version":1,"posts":[1,2,3]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	f.Add(valid[:len(valid)-3])
	pic := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	withPic, _ := json.Marshal(map[string]any{"format": ExportFormat, "version": 2,
		"posts":  []planner.Post{{ID: "a", Status: planner.StatusDraft, Images: []planner.Image{{Hash: planner.ImageHash(pic), Type: planner.ImageGIF, Width: 1, Height: 1}}}},
		"images": []exportImage{{Hash: planner.ImageHash(pic), Type: planner.ImageGIF, Size: int64(len(pic)), Data: pic}}})
	f.Add(withPic)

	ctx := context.Background()
	s := openTest(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		before := rawData(t, s)
		sum, err := s.ImportJSON(ctx, bytes.NewReader(in))
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an *ImportError", err)
			}
			if after := rawData(t, s); !reflect.DeepEqual(after, before) {
				t.Fatalf("a refused import (%v) changed the store", err)
			}
			return
		}
		// Accepted: each record is stored as the file has it. ("exported"
		// is for people; ImportJSON does not read it.)
		var doc struct {
			Posts      []planner.Post
			Plans      []planner.SlotPlan
			Exceptions []planner.SlotException
			Goals      []planner.Goal
			Accounts   []planner.Account
		}
		if err := json.Unmarshal(in, &doc); err != nil {
			t.Fatalf("ImportJSON accepted what does not decode: %v", err)
		}
		if sum.Posts != len(doc.Posts) || sum.Plans != len(doc.Plans) || sum.Goals != len(doc.Goals) ||
			sum.Exceptions != len(doc.Exceptions) || sum.Accounts != len(doc.Accounts) {
			t.Fatalf("summary %+v does not match the file", sum)
		}
		for _, p := range doc.Posts {
			got, err := s.Post(ctx, p.ID)
			if err != nil {
				t.Fatalf("post %q: %v", p.ID, err)
			}
			// Times the file leaves out are the import's.
			if got.Created.IsZero() || got.Updated.IsZero() {
				t.Fatalf("post %q stored without its times: %+v", p.ID, got)
			}
			if p.Created.IsZero() {
				p.Created = got.Created
			}
			if p.Updated.IsZero() {
				p.Updated = got.Updated
			}
			if g, w := mustJSON(t, got), mustJSON(t, p); g != w {
				t.Fatalf("post stored as %s, the file has %s", g, w)
			}
		}
		for _, g := range doc.Goals {
			got, err := s.Goal(ctx, g.ID)
			if err == nil && g.Created.IsZero() {
				g.Created = got.Created
			}
			if err == nil && g.Updated.IsZero() {
				g.Updated = got.Updated
			}
			if err != nil || got.Created.IsZero() || mustJSON(t, got) != mustJSON(t, g) {
				t.Fatalf("goal %q: %v", g.ID, err)
			}
		}
		checkIndex(t, s)
	})
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
