package planner

import (
	"context"
	"errors"
	"time"
)

// Week is one week of the plan as the week view and `kaiku plan` show it.
type Week struct {
	// Monday is the week's first instant, in the zone it was read in.
	Monday time.Time
	Plan   SlotPlan
	// Occurrences are the plan's slots that week, each marked where it
	// overlaps Busy.
	Occurrences []Occurrence
	// Busy is the work calendars' busy time that overlaps the week.
	Busy    []BusyInterval
	Posts   []Post
	Goals   []Goal
	Profile *RoleProfile // nil before a role is chosen
	Review  WeekReview
	// TimeNotes say where a slot went whose clock time the week skips.
	TimeNotes []TimeNote
	// Settings are the user's settings, for the working day the week shades.
	Settings Settings
	// Accounts are the linked accounts, for the posts due after their
	// account's link ends (LinksEndedWhenDue).
	Accounts []Account
}

// LoadWeek reads the week that starts at monday, in loc: the plan's
// occurrences against the busy time, the posts, and the review as of now.
// It reads only that week's range of posts and busy time.
func LoadWeek(ctx context.Context, store Store, monday time.Time, loc *time.Location, now time.Time) (Week, error) {
	end := monday.AddDate(0, 0, 7)
	w := Week{Monday: monday}
	var err error
	if w.Plan, err = ActivePlan(ctx, store, loc); err != nil {
		return w, err
	}
	if len(w.Plan.Slots) > 0 {
		xs, err := store.Exceptions(ctx)
		if err != nil {
			return w, err
		}
		if w.Occurrences, err = w.Plan.Occurrences(monday, end, xs); err != nil {
			return w, err
		}
	}
	if w.Busy, err = store.BusyBetween(ctx, monday, end); err != nil {
		return w, err
	}
	MarkConflicts(w.Occurrences, w.Busy)
	if w.Posts, err = store.PostsBetween(ctx, monday, end); err != nil {
		return w, err
	}
	if w.Goals, err = store.Goals(ctx); err != nil {
		return w, err
	}
	profile, err := store.Profile(ctx)
	switch {
	case err == nil:
		w.Profile = &profile
	case !errors.Is(err, ErrNotFound):
		return w, err
	}
	if w.Settings, err = store.Settings(ctx); err != nil {
		return w, err
	}
	if w.Accounts, err = store.Accounts(ctx); err != nil {
		return w, err
	}
	if w.TimeNotes, err = shiftNotes(w.Plan, w.Occurrences); err != nil {
		return w, err
	}
	w.Review = Review(monday, w.Plan, w.Occurrences, w.Posts, w.Goals, profile, now)
	if feeds, ok := store.(FeedStore); ok {
		items, err := feeds.Items(ctx, ItemQuery{})
		if err != nil {
			return w, err
		}
		w.Review.Reading = ReviewReading(items, w.Posts, monday, end)
	}
	return w, nil
}

// shiftNotes says, for each occurrence the clock change moved, where its
// slot's time went.
func shiftNotes(plan SlotPlan, occs []Occurrence) ([]TimeNote, error) {
	var notes []TimeNote
	for _, o := range occs {
		if !o.Shifted {
			continue
		}
		loc, err := plan.Location()
		if err != nil {
			return nil, err
		}
		d, _ := time.Parse(DateLayout, o.Date)
		if s, ok := plan.Slot(o.SlotID); ok {
			if _, note := LocalTime(d.Year(), d.Month(), d.Day(), s.Start.Hour, s.Start.Minute, loc); note != nil {
				notes = append(notes, *note)
			}
		}
	}
	return notes, nil
}

// Days is a stretch of whole days as the month and agenda views show it:
// the plan's occurrences, marked where they overlap busy time, and the
// posts dated in it.
type Days struct {
	From, To    time.Time
	Occurrences []Occurrence
	Posts       []Post
}

// LoadDays reads the days from from up to to: only that range of posts and
// busy time.
func LoadDays(ctx context.Context, store Store, from, to time.Time, loc *time.Location) (Days, error) {
	d := Days{From: from, To: to}
	plan, err := ActivePlan(ctx, store, loc)
	if err != nil {
		return d, err
	}
	if len(plan.Slots) > 0 {
		xs, err := store.Exceptions(ctx)
		if err != nil {
			return d, err
		}
		if d.Occurrences, err = plan.Occurrences(from, to, xs); err != nil {
			return d, err
		}
		busy, err := store.BusyBetween(ctx, from, to)
		if err != nil {
			return d, err
		}
		MarkConflicts(d.Occurrences, busy)
	}
	if d.Posts, err = store.PostsBetween(ctx, from, to); err != nil {
		return d, err
	}
	return d, nil
}
