package storage

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// crud saves v1, reads it back, replaces it with v2, lists, deletes, and
// checks that the record is gone.
func crud[T any](t *testing.T, id string, v1, v2 T,
	save func(context.Context, T) error,
	load func(context.Context, string) (T, error),
	list func(context.Context) ([]T, error),
	del func(context.Context, string) error,
) {
	t.Helper()
	ctx := context.Background()
	if _, err := load(ctx, id); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("load before save: err = %v, want ErrNotFound", err)
	}
	for i, v := range []T{v1, v2} {
		if err := save(ctx, v); err != nil {
			t.Fatalf("save #%d: %v", i+1, err)
		}
		got, err := load(ctx, id)
		if err != nil {
			t.Fatalf("load #%d: %v", i+1, err)
		}
		if !reflect.DeepEqual(got, v) {
			t.Fatalf("load #%d = %+v, want %+v", i+1, got, v)
		}
		all, err := list(ctx)
		if err != nil {
			t.Fatalf("list #%d: %v", i+1, err)
		}
		if len(all) != 1 || !reflect.DeepEqual(all[0], v) {
			t.Fatalf("list #%d = %+v, want just %+v", i+1, all, v)
		}
	}
	if err := del(ctx, id); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := load(ctx, id); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("load after delete: err = %v, want ErrNotFound", err)
	}
	if err := del(ctx, id); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("second delete: err = %v, want ErrNotFound", err)
	}
	all, err := list(ctx)
	if err != nil || all == nil || len(all) != 0 {
		t.Fatalf("list after delete = %#v, %v; want an empty slice", all, err)
	}
}

func TestCRUD(t *testing.T) {
	t0 := at(2026, 11, 2, 10, 0)
	plan := planner.SlotPlan{
		ID:       "plan1",
		TimeZone: "Europe/Helsinki",
		Slots: []planner.Slot{{
			ID: "mon-write", Weekday: time.Monday, Start: planner.ClockTime{Hour: 9}, Minutes: 30,
			Purpose: planner.PurposeWrite, Role: planner.RoleInforming,
		}},
		Updated: t0,
	}
	plan2 := plan
	plan2.Slots = append([]planner.Slot{}, plan.Slots...)
	plan2.Slots[0].Start = planner.ClockTime{Hour: 14, Minute: 15}
	plan2.Revision = 1

	goal := planner.Goal{ID: "g1", Title: "Be known for open data", Audiences: []planner.Audience{planner.AudienceMedia}, Created: t0, Updated: t0}
	goal2 := goal
	goal2.Title, goal2.Description = "Be the go-to voice on open data", "Two talks a year"

	acct := planner.Account{ID: "a1", Network: planner.NetworkX, Handle: "@expert", Status: planner.AccountLinked, Created: t0, Updated: t0}
	acct2 := acct
	acct2.Status, acct2.TextLimit = planner.AccountNeedsRelink, 500

	exc := planner.SlotException{OccurrenceID: "mon-write-2026-11-02", Skip: true, Updated: t0}
	exc2 := planner.SlotException{OccurrenceID: "mon-write-2026-11-02", MoveTo: at(2026, 11, 3, 9, 0), Updated: t0}

	post := testPost("p1", at(2026, 11, 2, 9, 0), planner.StatusDraft)
	post2 := post
	post2.Text, post2.Status = "", planner.StatusScheduled
	post2.Parts = []string{"1/2 A thread", "2/2 The end"}
	post2.Variants = map[planner.Network]string{planner.NetworkX: "Short for X"}
	post2.Results = []planner.PublishResult{{Network: planner.NetworkX, Part: 0, RemoteID: "42", At: t0}}

	tests := []struct {
		name string
		run  func(t *testing.T, s *Store)
	}{
		{"plan", func(t *testing.T, s *Store) {
			crud(t, plan.ID, plan, plan2, s.SavePlan, s.Plan, s.Plans, s.DeletePlan)
		}},
		{"exception", func(t *testing.T, s *Store) {
			load := func(ctx context.Context, id string) (planner.SlotException, error) {
				all, err := s.Exceptions(ctx)
				for _, x := range all {
					if x.OccurrenceID == id {
						return x, err
					}
				}
				return planner.SlotException{}, errors.Join(err, planner.ErrNotFound)
			}
			crud(t, exc.OccurrenceID, exc, exc2, s.SaveException, load, s.Exceptions, s.DeleteException)
		}},
		{"goal", func(t *testing.T, s *Store) {
			crud(t, goal.ID, goal, goal2, s.SaveGoal, s.Goal, s.Goals, s.DeleteGoal)
		}},
		{"account", func(t *testing.T, s *Store) {
			crud(t, acct.ID, acct, acct2, s.SaveAccount, s.Account, s.Accounts, s.DeleteAccount)
		}},
		{"post", func(t *testing.T, s *Store) {
			list := func(ctx context.Context) ([]planner.Post, error) {
				return s.PostsBetween(ctx, planner.MinPostTime, planner.MaxPostTime)
			}
			crud(t, post.ID, post, post2, s.SavePost, s.Post, list, s.DeletePost)
			if keys := indexKeys(t, s); len(keys) != 0 {
				t.Errorf("index entries left after delete: %q", keys)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, openTest(t))
		})
	}
}

func TestProfileAndSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)

	if _, err := s.Profile(ctx); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("Profile before save: err = %v, want ErrNotFound", err)
	}
	p := planner.RoleProfile{
		Primary: planner.RoleAdvising, Secondary: planner.RoleNetworking,
		Mix:   planner.ContentMix{Own: 50, Shared: 30, Conversation: 20},
		Scope: planner.ScopeWork, WeeklyMinutes: 90, Networks: []planner.Network{planner.NetworkLinkedIn},
		Updated: at(2026, 11, 1, 12, 0),
	}
	for _, v := range []planner.RoleProfile{p, func() planner.RoleProfile { q := p; q.WeeklyMinutes = 120; return q }()} {
		if err := s.SaveProfile(ctx, v); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Profile(ctx); err != nil || !reflect.DeepEqual(got, v) {
			t.Fatalf("Profile = %+v, %v; want %+v", got, err, v)
		}
	}

	got, err := s.Settings(ctx)
	if err != nil || !reflect.DeepEqual(got, planner.DefaultSettings()) {
		t.Fatalf("Settings before save = %+v, %v; want the defaults", got, err)
	}
	st := planner.DefaultSettings()
	st.Language, st.TimeZone, st.Late = "fi", "Europe/Helsinki", planner.LateSkip
	st.Guidelines.AvoidWords = []string{"synergy"}
	if err := s.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Settings(ctx); err != nil || !reflect.DeepEqual(got, st) {
		t.Fatalf("Settings = %+v, %v; want %+v", got, err, st)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tests := []struct {
		name string
		call func() error
		msg  string
	}{
		{"post", func() error { _, err := s.Post(ctx, "nope"); return err }, "load post nope: not found"},
		{"plan", func() error { _, err := s.Plan(ctx, "nope"); return err }, "load plan nope"},
		{"goal", func() error { _, err := s.Goal(ctx, "nope"); return err }, "load goal nope"},
		{"account", func() error { _, err := s.Account(ctx, "nope"); return err }, "load account nope"},
		{"profile", func() error { _, err := s.Profile(ctx); return err }, "load role profile"},
		{"delete post", func() error { return s.DeletePost(ctx, "nope") }, "delete post nope"},
		{"delete plan", func() error { return s.DeletePlan(ctx, "nope") }, "delete plan nope"},
		{"delete goal", func() error { return s.DeleteGoal(ctx, "nope") }, "delete goal nope"},
		{"delete account", func() error { return s.DeleteAccount(ctx, "nope") }, "delete account nope"},
		{"delete exception", func() error { return s.DeleteException(ctx, "nope") }, "delete slot exception nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, planner.ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
			if !strings.HasPrefix(err.Error(), tc.msg) {
				t.Errorf("err = %q, want it to start with %q", err, tc.msg)
			}
		})
	}
}

func TestInvalidRejected(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	before := keyCount(t, s)
	noText := testPost("p1", at(2026, 12, 1, 9, 0), planner.StatusDraft)
	noText.Text = "  "
	undatedScheduled := testPost("p2", time.Time{}, planner.StatusScheduled)
	tests := []struct {
		name string
		save func() error
	}{
		{"post without text", func() error { return s.SavePost(ctx, noText) }},
		{"post with a slash in its id", func() error { return s.SavePost(ctx, testPost("a/b", at(2026, 12, 1, 9, 0), planner.StatusDraft)) }},
		{"scheduled post without time", func() error { return s.SavePost(ctx, undatedScheduled) }},
		{"post in 1999", func() error { return s.SavePost(ctx, testPost("p3", at(1999, 12, 31, 9, 0), planner.StatusDraft)) }},
		{"plan in no zone", func() error { return s.SavePlan(ctx, planner.SlotPlan{ID: "x", TimeZone: "Mars/Olympus"}) }},
		{"exception skipping and moving", func() error {
			return s.SaveException(ctx, planner.SlotException{OccurrenceID: "o", Skip: true, MoveTo: at(2026, 1, 1, 0, 0)})
		}},
		{"goal without title", func() error { return s.SaveGoal(ctx, planner.Goal{ID: "g"}) }},
		{"account on no network", func() error {
			return s.SaveAccount(ctx, planner.Account{ID: "a", Network: "myspace", Status: planner.AccountLinked})
		}},
		{"profile mix not 100", func() error {
			return s.SaveProfile(ctx, planner.RoleProfile{Primary: planner.RoleAdvising, Scope: planner.ScopeWork, Mix: planner.ContentMix{Own: 10}})
		}},
		{"settings in Klingon", func() error {
			st := planner.DefaultSettings()
			st.Language = "tlh"
			return s.SaveSettings(ctx, st)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.save()
			var ie *planner.InvalidError
			if !errors.Is(err, planner.ErrInvalid) || !errors.As(err, &ie) {
				t.Fatalf("err = %v, want a planner.InvalidError", err)
			}
		})
	}
	if after := keyCount(t, s); after != before {
		t.Errorf("invalid saves wrote %d keys", after-before)
	}
}

func TestCanceledContext(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := keyCount(t, s)
	calls := map[string]func() error{
		"SavePost":     func() error { return s.SavePost(ctx, testPost("p", at(2026, 12, 1, 9, 0), planner.StatusDraft)) },
		"Post":         func() error { _, err := s.Post(ctx, "p"); return err },
		"PostsBetween": func() error { _, err := s.PostsBetween(ctx, planner.MinPostTime, planner.MaxPostTime); return err },
		"UndatedPosts": func() error { _, err := s.UndatedPosts(ctx); return err },
		"PostsWithStatus": func() error {
			_, err := s.PostsWithStatus(ctx, planner.StatusDraft)
			return err
		},
		"SaveGoal": func() error { return s.SaveGoal(ctx, planner.Goal{ID: "g", Title: "T"}) },
		"Goals":    func() error { _, err := s.Goals(ctx); return err },
		"Settings": func() error { _, err := s.Settings(ctx); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v, want context.Canceled", name, err)
		}
	}
	if after := keyCount(t, s); after != before {
		t.Errorf("canceled calls wrote %d keys", after-before)
	}
}

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	posts := []planner.Post{
		testPost("dated", at(2026, 12, 1, 9, 0), planner.StatusScheduled),
		testPost("idea", time.Time{}, planner.StatusIdea),
	}
	for _, p := range posts {
		if err := s.SavePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	goal := planner.Goal{ID: "g", Title: "Goal"}
	if err := s.SaveGoal(ctx, goal); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := s.Post(ctx, "dated"); err == nil {
		t.Fatal("Post after Close worked")
	}

	s = openAt(t, dir)
	for _, p := range posts {
		if got, err := s.Post(ctx, p.ID); err != nil || !reflect.DeepEqual(got, p) {
			t.Errorf("Post(%s) after reopen = %+v, %v", p.ID, got, err)
		}
	}
	if got, err := s.PostsBetween(ctx, at(2026, 12, 1, 0, 0), at(2026, 12, 2, 0, 0)); err != nil || len(got) != 1 {
		t.Errorf("PostsBetween after reopen = %v, %v", ids(got), err)
	}
	if got, err := s.Goal(ctx, "g"); err != nil || got.Title != "Goal" {
		t.Errorf("Goal after reopen = %+v, %v", got, err)
	}
	if got, want := indexKeys(t, s), wantIndexKeys(posts...); !reflect.DeepEqual(got, want) {
		t.Errorf("index after reopen = %q, want %q", got, want)
	}
}

// TestConcurrentSaves races edits of one post; whatever wins, its index
// entries must be exactly the stored post's.
func TestConcurrentSaves(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	const writers, saves = 4, 8
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range saves {
				p := testPost("shared", at(2026, 12, 1+w, 9, i), planner.Statuses()[(w+i)%3])
				if err := s.SavePost(ctx, p); err != nil && !errors.Is(err, planner.ErrConflict) {
					t.Errorf("SavePost: %v", err)
				}
			}
		})
	}
	wg.Wait()
	p, err := s.Post(ctx, "shared")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := indexKeys(t, s), wantIndexKeys(p); !reflect.DeepEqual(got, want) {
		t.Errorf("index = %q, want %q", got, want)
	}
}

func TestEncoding(t *testing.T) {
	t.Parallel()
	b, err := encode(planner.Goal{ID: "g", Title: "R&D <3"})
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != encodingJSON || !strings.Contains(string(b), `"R&D <3"`) || strings.HasSuffix(string(b), "\n") {
		t.Errorf("encode = %q", b)
	}
	var g planner.Goal
	if err := decode(b, &g); err != nil || g.Title != "R&D <3" {
		t.Errorf("decode = %+v, %v", g, err)
	}
	b[0] = 9
	if err := decode(b, &g); err == nil || !strings.Contains(err.Error(), "unknown value encoding 9") {
		t.Errorf("decode of version 9: err = %v", err)
	}
	if err := decode(nil, &g); err == nil {
		t.Error("decode of nothing worked")
	}
}

// TestConflictRetried: a transaction whose read was changed under it runs
// again; one that keeps losing gives up with planner.ErrConflict.
func TestConflictRetried(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	key := []byte("test/counter")
	interfere := func() {
		if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(key, []byte("theirs")) }); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name         string
		interferes   int // how many runs another writer spoils
		wantRuns     int
		wantConflict bool
	}{
		{"no race", 0, 1, false},
		{"lost once", 1, 2, false},
		{"always loses", 100, conflictRetries + 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runs := 0
			err := s.update(ctx, func(txn *badger.Txn) error {
				runs++
				if _, err := txn.Get(key); err != nil && !errors.Is(err, badger.ErrKeyNotFound) {
					return err
				}
				if runs <= tc.interferes {
					interfere()
				}
				return txn.Set(key, []byte("ours"))
			})
			if runs != tc.wantRuns {
				t.Errorf("ran %d times, want %d", runs, tc.wantRuns)
			}
			if got := errors.Is(err, planner.ErrConflict); got != tc.wantConflict || (err != nil && !got) {
				t.Errorf("err = %v, want a conflict: %v", err, tc.wantConflict)
			}
		})
	}
}

// TestLargePosts: values too big for the LSM tree go to the value log and
// come back, across a restart; a post too large to store is invalid.
func TestLargePosts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	withVariants := func(id string, size int) planner.Post {
		p := testPost(id, at(2026, 12, 1, 9, 0), planner.StatusDraft)
		p.Text = strings.Repeat("ä", planner.MaxPostBytes/2)
		p.Variants = map[planner.Network]string{}
		for _, n := range planner.Networks() {
			p.Variants[n] = strings.Repeat("x", size/len(planner.Networks()))
		}
		return p
	}
	posts := []planner.Post{
		withVariants("in-tree", 100<<10),
		withVariants("in-log", 600<<10),
	}
	for _, p := range posts {
		if err := s.SavePost(ctx, p); err != nil {
			t.Fatalf("save %s: %v", p.ID, err)
		}
	}
	err = s.SavePost(ctx, withVariants("too-big", 2<<20))
	if !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("saving a 2 MB post: err = %v, want ErrInvalid", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, dir)
	for _, p := range posts {
		got, err := s.Post(ctx, p.ID)
		if err != nil || !reflect.DeepEqual(got, p) {
			t.Errorf("%s after reopen: equal %v, err %v", p.ID, reflect.DeepEqual(got, p), err)
		}
	}
	if _, err := s.Post(ctx, "too-big"); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("too-big was stored: %v", err)
	}
}
