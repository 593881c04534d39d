package planner_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

var hel = func() *time.Location {
	l, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		panic(err)
	}
	return l
}()

func at(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 0, 0, 0, hel) }

// opened is a post as the composer read it.
func opened() planner.Post {
	return planner.Post{ID: "0post1", Text: "Kirjastot ja tekoäly", Status: planner.StatusScheduled, Time: at(3, 9),
		Purpose: planner.PurposeWrite, Created: at(1, 8), Updated: at(1, 8)}
}

// TestSaveEdits: what the user changed in the composer is saved, and what
// the outbox or the week changed meanwhile stays.
func TestSaveEdits(t *testing.T) {
	ctx := context.Background()
	edited := func() planner.Post {
		p := opened()
		p.Text, p.Updated = "Kirjastot, tekoäly ja luottamus", at(2, 10)
		return p
	}
	for _, c := range []struct {
		name      string
		stored    *planner.Post // nil: not stored
		base      planner.Post
		mine      planner.Post
		meanwhile func(*planner.Post)
		check     func(t *testing.T, saved, stored planner.Post, forked bool, err error)
	}{
		{name: "a new post is saved as written", base: planner.Post{}, mine: edited(),
			check: func(t *testing.T, saved, stored planner.Post, forked bool, err error) {
				if err != nil || forked || stored.Text != "Kirjastot, tekoäly ja luottamus" {
					t.Errorf("%v %v %+v", err, forked, stored)
				}
			}},
		{name: "a new post cannot start as published", base: planner.Post{},
			mine: func() planner.Post { p := edited(); p.Status = planner.StatusPublished; return p }(),
			check: func(t *testing.T, _, stored planner.Post, _ bool, err error) {
				var se *planner.StatusError
				if !errors.As(err, &se) || stored.ID != "" {
					t.Errorf("%v; stored %+v", err, stored)
				}
			}},
		{name: "unchanged meanwhile: the user's version whole", stored: ptr(opened()), base: opened(), mine: edited(),
			check: func(t *testing.T, saved, stored planner.Post, forked bool, err error) {
				if err != nil || forked || stored.Text != "Kirjastot, tekoäly ja luottamus" || !stored.Updated.Equal(at(2, 10)) {
					t.Errorf("%v %v %+v", err, forked, stored)
				}
			}},
		{name: "moved in the week meanwhile: the new time and the new text", stored: ptr(opened()), base: opened(), mine: edited(),
			meanwhile: func(p *planner.Post) { p.Time, p.Updated = at(4, 12), at(2, 9) },
			check: func(t *testing.T, saved, stored planner.Post, forked bool, err error) {
				if err != nil || forked || !stored.Time.Equal(at(4, 12)) || stored.Text != "Kirjastot, tekoäly ja luottamus" {
					t.Errorf("%v %v %+v", err, forked, stored)
				}
			}},
		{name: "failed meanwhile: the failure stays beside the new text", stored: ptr(opened()), base: opened(), mine: edited(),
			meanwhile: func(p *planner.Post) {
				p.Status, p.LastError, p.Updated = planner.StatusFailed, "outbox.error.rejected", at(2, 9)
			},
			check: func(t *testing.T, saved, stored planner.Post, forked bool, err error) {
				if err != nil || forked || stored.Status != planner.StatusFailed || stored.LastError == "" || stored.Text != "Kirjastot, tekoäly ja luottamus" {
					t.Errorf("%v %v %+v", err, forked, stored)
				}
			}},
		{name: "published meanwhile: it stays so, and the edit becomes a new draft", stored: ptr(opened()), base: opened(), mine: edited(),
			meanwhile: func(p *planner.Post) {
				p.Status, p.Updated = planner.StatusPublished, at(2, 9)
				p.Results = []planner.PublishResult{{Network: planner.NetworkX, RemoteID: "1", At: at(2, 9)}}
			},
			check: func(t *testing.T, saved, stored planner.Post, forked bool, err error) {
				if err != nil || !forked || stored.Status != planner.StatusPublished || stored.Text != "Kirjastot ja tekoäly" {
					t.Errorf("%v %v; stored %+v", err, forked, stored)
				}
				if saved.ID == stored.ID || saved.Status != planner.StatusDraft || saved.Text != "Kirjastot, tekoäly ja luottamus" || saved.Results != nil || saved.OccurrenceID != "" {
					t.Errorf("the fork: %+v", saved)
				}
			}},
		{name: "deleted meanwhile: the user's text is kept", base: opened(), mine: edited(),
			check: func(t *testing.T, saved, stored planner.Post, forked bool, err error) {
				if err != nil || forked || stored.Text != "Kirjastot, tekoäly ja luottamus" {
					t.Errorf("%v %v %+v", err, forked, stored)
				}
			}},
		{name: "a published post does not become a draft", base: published(), stored: ptr(published()),
			mine: func() planner.Post { p := published(); p.Status, p.Updated = planner.StatusDraft, at(2, 10); return p }(),
			check: func(t *testing.T, _, stored planner.Post, _ bool, err error) {
				if !errors.Is(err, planner.ErrConflict) || stored.Status != planner.StatusPublished {
					t.Errorf("%v; stored %+v", err, stored)
				}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newMemStore()
			if c.stored != nil {
				m.posts[c.stored.ID] = *c.stored
			}
			if c.meanwhile != nil {
				once := c.meanwhile
				m.beforeUpdate = func(p *planner.Post) {
					if once != nil {
						once(p)
						once = nil
					}
				}
			}
			saved, forked, err := planner.SaveEdits(ctx, m, c.base, c.mine)
			stored := m.posts[c.mine.ID]
			c.check(t, saved, stored, forked, err)
		})
	}
}

func published() planner.Post {
	p := opened()
	p.Status = planner.StatusPublished
	return p
}

func ptr[T any](v T) *T { return &v }

// TestMovePost: a post dropped on a slot's start fills the slot, dropped
// elsewhere fills none, and a post that went out stays where it went out.
func TestMovePost(t *testing.T) {
	ctx := context.Background()
	m := newMemStore()
	p := opened()
	p.OccurrenceID = "s1@2026-12-03"
	m.posts[p.ID] = p
	occs := []planner.Occurrence{{ID: "s2@2026-12-04", SlotID: "s2", Start: at(4, 10)}}

	got, err := planner.MovePost(ctx, m, p.ID, at(4, 10), occs, at(2, 11))
	if err != nil || !got.Time.Equal(at(4, 10)) || got.OccurrenceID != "s2@2026-12-04" || !got.Updated.Equal(at(2, 11)) {
		t.Fatalf("onto a slot: %+v %v", got, err)
	}
	if got.Text != p.Text || got.Status != p.Status {
		t.Errorf("moving changed more than the time: %+v", got)
	}
	got, err = planner.MovePost(ctx, m, p.ID, at(4, 15), occs, at(2, 12))
	if err != nil || !got.Time.Equal(at(4, 15)) || got.OccurrenceID != "" {
		t.Fatalf("off the slot: %+v %v", got, err)
	}
	out := m.posts[p.ID]
	out.Status = planner.StatusPublished
	m.posts[p.ID] = out
	if _, err := planner.MovePost(ctx, m, p.ID, at(5, 9), occs, at(2, 13)); !errors.Is(err, planner.ErrWentOut) || !m.posts[p.ID].Time.Equal(at(4, 15)) {
		t.Errorf("a published post moved: %v, %v", err, m.posts[p.ID].Time)
	}
}

// TestMoveSlotPostsFollowTheirSlot: a slot moved in the plan takes the
// posts waiting in it along, in the same week; a post moved off the slot's
// time by hand, one that went out and one from a slot that stayed put stay.
func TestMoveSlotPostsFollowTheirSlot(t *testing.T) {
	ctx := context.Background()
	m := newMemStore()
	at := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, hel) }
	mon := slot("0mon", time.Monday, 9, 0, 30, planner.PurposeShare)
	tue := slot("0tue", time.Tuesday, 12, 0, 30, planner.PurposeWrite)
	old := planner.SlotPlan{ID: "0plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{mon, tue}}
	moved := mon
	moved.Weekday, moved.Start = time.Thursday, planner.ClockTime{Hour: 14}
	next := planner.SlotPlan{ID: "0plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{moved, tue}}
	post := func(id string, t time.Time, occ string, st planner.Status) {
		m.posts[id] = planner.Post{ID: id, Text: id, Time: t, OccurrenceID: occ, Status: st}
	}
	post("0inslot", at(7, 9), "0mon@2026-12-07", planner.StatusScheduled)
	post("0byhand", at(7, 10), "0mon@2026-12-07", planner.StatusScheduled)
	post("0out", at(14, 9), "0mon@2026-12-14", planner.StatusPublished)
	post("0tuepost", at(8, 12), "0tue@2026-12-08", planner.StatusScheduled)
	n, err := planner.MoveSlotPosts(ctx, m, old, next, at(2, 10))
	if err != nil || n != 1 {
		t.Fatalf("moved %d (%v), want 1", n, err)
	}
	p := m.posts["0inslot"]
	if !p.Time.Equal(at(10, 14)) || p.OccurrenceID != "0mon@2026-12-10" {
		t.Errorf("the slot's post is at %v in %q, want Thursday 10 December 14:00 in its slot", p.Time, p.OccurrenceID)
	}
	for _, id := range []string{"0byhand", "0out", "0tuepost"} {
		if m.posts[id].Time.IsZero() || m.posts[id].Updated.After(time.Time{}) {
			t.Errorf("%s changed: %+v", id, m.posts[id])
		}
	}
}
