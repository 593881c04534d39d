package storage

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// english renders a message as the app would with no translation: the
// English fallback filled with its data.
func english(key, fallback string, data ...any) string {
	t := template.Must(template.New(key).Option("missingkey=error").Parse(fallback))
	var b strings.Builder
	var d any
	if len(data) > 0 {
		d = data[0]
	}
	if err := t.Execute(&b, d); err != nil {
		return "TEMPLATE ERROR " + err.Error()
	}
	return b.String()
}

// TestImportStampsMissingTimes: a record that leaves out when it was made
// or changed gets the time of the import, not the year 1.
func TestImportStampsMissingTimes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	created := "2026-03-01T10:00:00Z"
	doc := `{"format":"kaiku-export","version":1,
"posts":[{"id":"p1","text":"x","status":"draft"},{"id":"p2","text":"y","status":"draft","created":"` + created + `"}],
"plans":[{"id":"pl","time_zone":"UTC","slots":[]}],
"exceptions":[{"occurrence_id":"o","skip":true}],
"goals":[{"id":"g","title":"T"}],
"profile":{"primary":"advising","mix":{"own":50,"shared":25,"conversation":25},"scope":"work","weekly_minutes":60},
"accounts":[{"id":"a","network":"x","handle":"maija","status":"linked"}]}`
	before := time.Now()
	if _, err := s.ImportJSON(ctx, strings.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	now := func(what string, tm time.Time) {
		t.Helper()
		if tm.Before(before) || tm.After(after) {
			t.Errorf("%s = %v, want the time of the import", what, tm)
		}
	}
	p1, _ := s.Post(ctx, "p1")
	now("post created", p1.Created)
	now("post updated", p1.Updated)
	p2, _ := s.Post(ctx, "p2")
	if p2.Created.Format(time.RFC3339) != created || !p2.Updated.Equal(p2.Created) {
		t.Errorf("a post with only its creation time: created %v, updated %v", p2.Created, p2.Updated)
	}
	g, _ := s.Goal(ctx, "g")
	now("goal created", g.Created)
	now("goal updated", g.Updated)
	pl, _ := s.Plan(ctx, "pl")
	now("plan updated", pl.Updated)
	xs, _ := s.Exceptions(ctx)
	now("exception updated", xs[0].Updated)
	prof, _ := s.Profile(ctx)
	now("profile updated", prof.Updated)
	a, _ := s.Account(ctx, "a")
	now("account created", a.Created)
	now("account updated", a.Updated)
}

// TestImportErrorMessages: a refused import names the item as the file has
// it and says what is wrong in words, without Go's internals.
func TestImportErrorMessages(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	doc := func(section, items string) string {
		return `{"format":"kaiku-export","version":1,"` + section + `":` + items + `}`
	}
	tests := []struct{ name, in, want string }{
		{"no text", doc("posts", `[{"id":"ok","text":"a","status":"draft"},{"id":"empty","status":"draft"}]`),
			`post 2 (id “empty”): the post has no text`},
		{"time in words", doc("posts", `[{"id":"p","text":"x","status":"draft","time":"yesterday"}]`),
			`post 1 (id “p”): “time” is not a date and time like 2026-12-01T09:00:00+02:00`},
		{"text a number", doc("posts", `[{"id":"p","text":5,"status":"draft"}]`),
			`post 1 (id “p”): “text” holds a JSON number, which does not belong there`},
		{"weekday a word", doc("plans", `[{"id":"pl","time_zone":"UTC","slots":[{"id":"s","weekday":"mon","start":"09:00","minutes":30,"purpose":"write"}]}]`),
			`plan 1 (id “pl”): “slots.weekday” holds a JSON string, which does not belong there`},
		{"slot clock", doc("plans", `[{"id":"pl","time_zone":"UTC","slots":[{"id":"s","weekday":1,"start":"25:00","minutes":30,"purpose":"write"}]}]`),
			`plan 1 (id “pl”): “slots”: `},
		{"goal created garbled", doc("goals", `[{"id":"g","title":"T","created":"2026-13-45"}]`),
			`goal 1 (id “g”): “created” is not a date and time`},
		{"a post that is a string", doc("posts", `["hello"]`), `post 1: it is a JSON string, not an item`},
		{"null", doc("posts", `[null]`), `post 1: it is empty (null)`},
		{"twice", doc("goals", `[{"id":"g","title":"T"},{"id":"g","title":"U"}]`), `goal 2 (id “g”): the file holds it twice`},
		{"account api base", doc("accounts", `[{"id":"a","network":"x","handle":"maija","status":"linked","api_base":"http://evil.example.com"}]`),
			`account 1 (id “a”): the API address must be https, or http to this computer only`},
		{"settings", doc("settings", `{"late_policy":"never"}`), `the settings: `},
		{"not JSON", `{"format":`, `it is not a Kaiku export: it stops being valid JSON at byte`},
		{"other format", `{"format":"other","version":1}`, `it is not a Kaiku export (its format is “other”)`},
		{"newer", `{"format":"kaiku-export","version":9}`, `it comes from a newer Kaiku (export version 9; this Kaiku reads up to 2)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.ImportJSON(context.Background(), strings.NewReader(tc.in))
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an *ImportError", err)
			}
			msg := ie.Explain(english)
			if !strings.Contains(strings.ToLower(msg), strings.ToLower(tc.want)) {
				t.Errorf("Message = %q, want it to say %q", msg, tc.want)
			}
			for _, internal := range []string{"TEMPLATE ERROR", "2006-01-02", "parsing time", "json:", "Go ", "struct", "unmarshal", "cannot parse"} {
				if strings.Contains(msg, internal) {
					t.Errorf("Message = %q shows %q", msg, internal)
				}
			}
		})
	}
}

// TestImportIsAllOrNothing stops an import at every stage a kill could
// stop it, closes the store as a killed process would leave it, and opens it
// again: the import is there whole, or not at all, and nothing of its
// machinery is left over.
func TestImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	posts := makePosts(1200, at(2026, 1, 5, 9, 0), time.Hour)
	for i := range posts {
		posts[i].Text += strings.Repeat(" "+editText(i, 1), 3) // more than one transaction holds
	}
	raw, err := json.Marshal(map[string]any{"format": ExportFormat, "version": ExportVersion, "posts": posts,
		"goals": []planner.Goal{{ID: "g", Title: "Goal", Created: at(2026, 1, 1, 0, 0), Updated: at(2026, 1, 1, 0, 0)}}})
	if err != nil {
		t.Fatal(err)
	}
	recs, _, err := prepareImport(raw, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	count := func(s *Store) (int, int) {
		got, err := s.PostsBetween(ctx, planner.MinPostTime, planner.MaxPostTime)
		if err != nil {
			t.Fatal(err)
		}
		goals, _ := s.Goals(ctx)
		return len(got), len(goals)
	}
	for _, stop := range []string{"part staged", "all staged", "decided", "part applied"} {
		t.Run(stop, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(dir, Options{Logger: quietLogger()})
			if err != nil {
				t.Fatal(err)
			}
			keep := testPost("keep", at(2025, 12, 1, 9, 0), planner.StatusDraft)
			if err := s.SavePost(ctx, keep); err != nil {
				t.Fatal(err)
			}
			// The steps ImportJSON takes, up to the stop.
			half := make([]staged, len(recs)/2)
			copy(half, recs)
			switch stop {
			case "part staged":
				err = s.setAside(ctx, half)
			case "all staged":
				err = s.setAside(ctx, recs)
			default:
				err = s.stageImport(ctx, recs)
			}
			if err != nil {
				t.Fatal(err)
			}
			if stop == "part applied" {
				n := 0
				errStop := errors.New("killed")
				// Batches of importBatch commit until the stop, a third in.
				err := s.eachStagedBatch(func(txn *badger.Txn, r staged) error {
					if n++; n > len(recs)/3 {
						return errStop
					}
					return applyRecord(txn, r)
				}, true)
				if !errors.Is(err, errStop) {
					t.Fatalf("the partial apply: %v", err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}

			s = openAt(t, dir)
			posts, goals := count(s)
			want := 1 // the post kept from before
			if stop == "decided" || stop == "part applied" {
				want += 1200
			}
			if posts != want || (want > 1) != (goals == 1) {
				t.Errorf("after a stop at %q and a restart: %d posts and %d goals, want %d posts and the goal %v", stop, posts, goals, want, want > 1)
			}
			if k := keysWithPrefix(t, s, prefixImport); k != 0 {
				t.Errorf("%d import records are left over", k)
			}
			if k := keysWithPrefix(t, s, keyImportDecided); k != 0 {
				t.Errorf("the import's decision is left over")
			}
			checkIndex(t, s)
		})
	}
}

// keysWithPrefix counts the keys under prefix.
func keysWithPrefix(t *testing.T, s *Store, prefix string) int {
	t.Helper()
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.Prefix = []byte(prefix)
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
