package ical_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

// planStore holds a plan, its exceptions, posts and settings for
// ExportFrom; the store methods it does not read are left to the nil
// interface, and calling one fails loudly.
type planStore struct {
	planner.Store
	plans    []planner.SlotPlan
	xs       []planner.SlotException
	posts    []planner.Post
	settings planner.Settings
	asked    [2]time.Time // the range of posts asked for
}

func (s *planStore) Plans(context.Context) ([]planner.SlotPlan, error) { return s.plans, nil }
func (s *planStore) Exceptions(context.Context) ([]planner.SlotException, error) {
	return s.xs, nil
}
func (s *planStore) Settings(context.Context) (planner.Settings, error) { return s.settings, nil }
func (s *planStore) PostsBetween(_ context.Context, from, to time.Time) ([]planner.Post, error) {
	s.asked = [2]time.Time{from, to}
	return s.posts, nil
}

// TestExportFrom: the export reads the plan, its exceptions, the posts of
// the range and the reminder from the store, and writes what Export writes
// of them; without slots there is nothing to export.
func TestExportFrom(t *testing.T) {
	ctx := context.Background()
	opt := options(t, "en")
	empty := &planStore{settings: planner.DefaultSettings()}
	if err := ical.ExportFrom(ctx, empty, &bytes.Buffer{}, opt); !errors.Is(err, ical.ErrNoSlots) || !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("no slots: %v", err)
	}
	st := planner.DefaultSettings()
	st.ReminderMinutes = 25
	s := &planStore{plans: []planner.SlotPlan{plan5()}, xs: exceptions5(t), posts: posts5(), settings: st}
	var got bytes.Buffer
	opt.ReminderMinutes = 99 // the settings' reminder wins
	if err := ical.ExportFrom(ctx, s, &got, opt); err != nil {
		t.Fatal(err)
	}
	want := opt
	want.ReminderMinutes = 25
	if w := export(t, plan5(), exceptions5(t), posts5(), want); got.String() != w {
		t.Errorf("ExportFrom wrote\n%s\nwant\n%s", got.String(), w)
	}
	if from := opt.From; !s.asked[0].Equal(from.AddDate(0, 0, -1)) || !s.asked[1].Equal(from.AddDate(0, 0, 7*opt.Weeks+1)) {
		t.Errorf("posts asked for %v, want the range and a day on either side", s.asked)
	}
}
