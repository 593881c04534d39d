package storage

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// TestPostsBetweenDST: on 2026-10-25 Helsinki goes from EEST (UTC+3) back to
// EET (UTC+2) at 04:00, so 03:00–04:00 local happens twice.
func TestPostsBetweenDST(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	hel, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	local := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, hel) }
	utc := func(d, h, min int) time.Time { return time.Date(2026, time.October, d, h, min, 0, 0, time.UTC).In(hel) }

	posts := map[string]time.Time{
		"before-week": local(time.October, 18, 23, 59), // Sunday, the week before
		"week-start":  local(time.October, 19, 0, 0),   // Monday 00:00, first instant of the week
		"0230":        local(time.October, 25, 2, 30),
		"0330-eest":   utc(25, 0, 30), // 03:30 the first time
		"0330-eet":    utc(25, 1, 30), // 03:30 the second time
		"0430":        local(time.October, 25, 4, 30),
		"next-week":   local(time.October, 26, 0, 0), // Monday 00:00, the week's end (excluded)
	}
	// The test's own premise: both 03:30s read 03:30 on a Helsinki clock.
	for _, id := range []string{"0330-eest", "0330-eet"} {
		if got := posts[id].Format("15:04"); got != "03:30" {
			t.Fatalf("%s is %s local, want 03:30", id, got)
		}
	}
	s := openTest(t)
	for id, at := range posts {
		if err := s.SavePost(ctx, testPost(id, at, planner.StatusScheduled)); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"the ISO week 2026-W43, 7 days and 1 hour long", local(time.October, 19, 0, 0), local(time.October, 26, 0, 0),
			[]string{"week-start", "0230", "0330-eest", "0330-eet", "0430"}},
		{"the local day of the change, 25 hours", local(time.October, 25, 0, 0), local(time.October, 26, 0, 0),
			[]string{"0230", "0330-eest", "0330-eet", "0430"}},
		{"02:00 until the first 03:00", local(time.October, 25, 2, 0), utc(25, 0, 0), []string{"0230"}},
		{"the first 03:00–04:00 (EEST)", utc(25, 0, 0), utc(25, 1, 0), []string{"0330-eest"}},
		{"the second 03:00–04:00 (EET)", utc(25, 1, 0), local(time.October, 25, 4, 0), []string{"0330-eet"}},
		{"the first 03:00 until 04:00, two hours", utc(25, 0, 0), local(time.October, 25, 4, 0), []string{"0330-eest", "0330-eet"}},
		{"04:00–05:00", local(time.October, 25, 4, 0), local(time.October, 25, 5, 0), []string{"0430"}},
		{"the week before", local(time.October, 12, 0, 0), local(time.October, 19, 0, 0), []string{"before-week"}},
		{"a range in UTC", time.Date(2026, 10, 24, 23, 30, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC),
			[]string{"0230", "0330-eest"}},
		{"empty range", local(time.October, 25, 3, 0), local(time.October, 25, 3, 0), []string{}},
		{"backwards range", local(time.October, 26, 0, 0), local(time.October, 19, 0, 0), []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.PostsBetween(ctx, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), tc.want) {
				t.Errorf("PostsBetween(%s, %s) = %v, want %v", tc.from, tc.to, ids(got), tc.want)
			}
			for _, p := range got {
				if !p.Time.Equal(posts[p.ID]) {
					t.Errorf("%s came back at %s, saved at %s", p.ID, p.Time, posts[p.ID])
				}
			}
		})
	}
}

// TestPostsBetweenWithinSecond: the index keeps whole seconds; the range's
// edges still follow the exact times, and posts in one second sort by time.
func TestPostsBetweenWithinSecond(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	base := at(2026, 12, 1, 9, 0)
	for id, ns := range map[string]int{"a-late": 900, "b-early": 100, "c-mid": 500} {
		if err := s.SavePost(ctx, testPost(id, base.Add(time.Duration(ns)*time.Millisecond), planner.StatusDraft)); err != nil {
			t.Fatal(err)
		}
	}
	ms := func(n int) time.Time { return base.Add(time.Duration(n) * time.Millisecond) }
	tests := []struct {
		from, to time.Time
		want     []string
	}{
		{base, ms(1000), []string{"b-early", "c-mid", "a-late"}},
		{ms(100), ms(900), []string{"b-early", "c-mid"}},
		{ms(101), ms(901), []string{"c-mid", "a-late"}},
		{ms(501), ms(899), []string{}},
	}
	for _, tc := range tests {
		got, err := s.PostsBetween(ctx, tc.from, tc.to)
		if err != nil || !reflect.DeepEqual(ids(got), tc.want) {
			t.Errorf("PostsBetween(+%v, +%v) = %v, %v; want %v", tc.from.Sub(base), tc.to.Sub(base), ids(got), err, tc.want)
		}
	}
}

// TestPostChangesMoveIndex edits one post through its life and checks after
// each step that the index holds exactly the post's current entries.
func TestPostChangesMoveIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	other := testPost("other", at(2026, 12, 1, 12, 0), planner.StatusScheduled)
	if err := s.SavePost(ctx, other); err != nil {
		t.Fatal(err)
	}
	mon, tue, wed := at(2026, 12, 7, 9, 0), at(2026, 12, 8, 9, 0), at(2026, 12, 9, 9, 0)
	day := func(d time.Time) (time.Time, time.Time) {
		return d.Truncate(24 * time.Hour), d.Truncate(24 * time.Hour).Add(24 * time.Hour)
	}

	p := testPost("p", time.Time{}, planner.StatusIdea)
	steps := []struct {
		name   string
		change func(*planner.Post)
		on     time.Time // the day the post should be found on; zero: undated
	}{
		{"an idea, undated", func(*planner.Post) {}, time.Time{}},
		{"drafted for Monday", func(p *planner.Post) { p.Status, p.Time = planner.StatusDraft, mon }, mon},
		{"moved to Tuesday", func(p *planner.Post) { p.Time = tue }, tue},
		{"scheduled", func(p *planner.Post) { p.Status = planner.StatusScheduled }, tue},
		{"moved to Wednesday", func(p *planner.Post) { p.Time = wed }, wed},
		{"back to an undated draft", func(p *planner.Post) { p.Status, p.Time = planner.StatusDraft, time.Time{} }, time.Time{}},
		{"published on Monday", func(p *planner.Post) { p.Status, p.Time = planner.StatusPublished, mon }, mon},
	}
	for _, st := range steps {
		st.change(&p)
		if err := s.SavePost(ctx, p); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got, want := indexKeys(t, s), wantIndexKeys(other, p); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: index = %q, want %q", st.name, got, want)
		}
		for _, d := range []time.Time{mon, tue, wed} {
			from, to := day(d)
			got, err := s.PostsBetween(ctx, from, to)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{}
			if d.Equal(st.on) {
				want = []string{"p"}
			}
			if !reflect.DeepEqual(ids(got), want) {
				t.Errorf("%s: posts on %s = %v, want %v", st.name, d.Weekday(), ids(got), want)
			}
		}
		undated, err := s.UndatedPosts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if wantUndated := st.on.IsZero(); (len(undated) == 1) != wantUndated {
			t.Errorf("%s: undated = %v, want the post there: %v", st.name, ids(undated), wantUndated)
		}
		byStatus, err := s.PostsWithStatus(ctx, p.Status)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(ids(byStatus), "p") {
			t.Errorf("%s: PostsWithStatus(%s) = %v, want p among them", st.name, p.Status, ids(byStatus))
		}
	}
	if err := s.DeletePost(ctx, "p"); err != nil {
		t.Fatal(err)
	}
	if got, want := indexKeys(t, s), wantIndexKeys(other); !reflect.DeepEqual(got, want) {
		t.Errorf("after delete: index = %q, want %q", got, want)
	}
}

func TestPostsWithStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	for _, p := range []planner.Post{
		testPost("sched-2", at(2026, 12, 2, 9, 0), planner.StatusScheduled),
		testPost("sched-1", at(2026, 12, 1, 9, 0), planner.StatusScheduled),
		testPost("sched-1b", at(2026, 12, 1, 9, 0), planner.StatusScheduled),
		testPost("draft-dated", at(2026, 11, 30, 9, 0), planner.StatusDraft),
		testPost("draft-undated", time.Time{}, planner.StatusDraft),
		testPost("failed", at(2026, 11, 29, 9, 0), planner.StatusFailed),
		testPost("attention", at(2026, 12, 3, 9, 0), planner.StatusNeedsAttention),
		testPost("idea", time.Time{}, planner.StatusIdea),
	} {
		if err := s.SavePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		statuses []planner.Status
		want     []string
	}{
		{"scheduled, by time then ID", []planner.Status{planner.StatusScheduled}, []string{"sched-1", "sched-1b", "sched-2"}},
		{"drafts, undated first", []planner.Status{planner.StatusDraft}, []string{"draft-undated", "draft-dated"}},
		{"the ones needing the user, merged by time", []planner.Status{planner.StatusNeedsAttention, planner.StatusFailed}, []string{"failed", "attention"}},
		{"a status twice", []planner.Status{planner.StatusIdea, planner.StatusIdea}, []string{"idea"}},
		{"none of that status", []planner.Status{planner.StatusPublished}, []string{}},
		{"no statuses", nil, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.PostsWithStatus(ctx, tc.statuses...)
			if err != nil || !reflect.DeepEqual(ids(got), tc.want) {
				t.Errorf("PostsWithStatus(%v) = %v, %v; want %v", tc.statuses, ids(got), err, tc.want)
			}
		})
	}
	if _, err := s.PostsWithStatus(ctx, "lost"); !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("unknown status: err = %v, want ErrInvalid", err)
	}
}

func TestUndatedPostsNewestFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	for i, id := range []string{"old", "newest", "middle", "middle-too"} {
		p := testPost(id, time.Time{}, planner.StatusIdea)
		p.Created = at(2026, 1, []int{1, 3, 2, 2}[i], 12, 0)
		if err := s.SavePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SavePost(ctx, testPost("dated", at(2026, 1, 5, 12, 0), planner.StatusDraft)); err != nil {
		t.Fatal(err)
	}
	got, err := s.UndatedPosts(ctx)
	if want := []string{"newest", "middle-too", "middle", "old"}; err != nil || !reflect.DeepEqual(ids(got), want) {
		t.Errorf("UndatedPosts = %v, %v; want %v", ids(got), err, want)
	}
}

func TestUpdatePost(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	p := planner.Post{ID: "p1", Text: "a", Time: at, Status: planner.StatusScheduled, Created: at, Updated: at}
	if err := s.SavePost(ctx, p); err != nil {
		t.Fatal(err)
	}

	// The change sees what is stored, and the indexes follow it.
	later := at.Add(24 * time.Hour)
	got, err := s.UpdatePost(ctx, "p1", func(q *planner.Post) error {
		if q.Text != "a" {
			t.Errorf("change saw %q", q.Text)
		}
		q.Text, q.Time = "ab", later
		return nil
	})
	if err != nil || got.Text != "ab" {
		t.Fatalf("UpdatePost = %+v, %v", got, err)
	}
	if week, _ := s.PostsBetween(ctx, later, later.Add(time.Hour)); len(week) != 1 {
		t.Errorf("the time index did not move: %v", week)
	}
	if old, _ := s.PostsBetween(ctx, at, at.Add(time.Hour)); len(old) != 0 {
		t.Errorf("the old time is still indexed: %v", old)
	}

	// A refusal saves nothing and comes back as it is.
	refused := errors.New("published meanwhile")
	if _, err := s.UpdatePost(ctx, "p1", func(q *planner.Post) error { q.Text = "lost"; return refused }); err != refused {
		t.Errorf("refusal came back as %v", err)
	}
	if q, _ := s.Post(ctx, "p1"); q.Text != "ab" {
		t.Errorf("a refused change was saved: %q", q.Text)
	}

	// Breaking a rule, changing the ID and a missing post are errors too.
	if _, err := s.UpdatePost(ctx, "p1", func(q *planner.Post) error { q.Text = ""; return nil }); !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("an empty text: %v", err)
	}
	if _, err := s.UpdatePost(ctx, "p1", func(q *planner.Post) error { q.ID = "p2"; return nil }); !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("a new ID: %v", err)
	}
	if _, err := s.UpdatePost(ctx, "nope", func(*planner.Post) error { return nil }); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("a missing post: %v", err)
	}
}

// TestUpdatePostLosesNoUpdate: updates racing each other each see the
// others' results, where read-then-save would lose some.
func TestUpdatePostLosesNoUpdate(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if err := s.SavePost(ctx, planner.Post{ID: "p", Text: "x", Status: planner.StatusDraft, Created: at, Updated: at}); err != nil {
		t.Fatal(err)
	}
	const writers, each = 4, 10
	type result struct {
		ok  int
		err error
	}
	results := make(chan result, writers)
	for range writers {
		go func() {
			var r result
			for range each {
				_, err := s.UpdatePost(ctx, "p", func(q *planner.Post) error { q.Text += "x"; return nil })
				switch {
				case err == nil:
					r.ok++
				case !errors.Is(err, planner.ErrConflict): // lost too many races in a row: not applied
					r.err = err
				}
			}
			results <- r
		}()
	}
	applied := 0
	for range writers {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		applied += r.ok
	}
	q, _ := s.Post(ctx, "p")
	if n := len(q.Text) - 1; n != applied || applied == 0 {
		t.Errorf("the text grew by %d for %d applied updates", n, applied)
	}
}
