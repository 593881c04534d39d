package planner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// ErrWentOut: the post went out, or is going out, while the user changed
// it elsewhere; the change does not apply to it any more.
var ErrWentOut = fmt.Errorf("the post went out while it was being edited: %w", ErrConflict)

// SaveEdits stores mine, the user's version of a post they opened as base
// (base.ID empty for a new post), and returns what was stored. While the
// user had the post open, the outbox or the week may have changed it (a
// failure, a new time); those changes stay, and only what the user changed
// replaces what is stored (see mergeEdits). A post that went out meanwhile
// stays as it went out, and the user's version becomes a new draft: forked
// is then true. Writing the older copy whole would have undone the
// publishing, and the outbox would have posted again. A status change the
// life cycle does not allow is refused with a *StatusError.
func SaveEdits(ctx context.Context, store PostStore, base, mine Post) (saved Post, forked bool, err error) {
	if base.ID == "" {
		if !CanStartAs(mine.Status) {
			return mine, false, &StatusError{To: mine.Status}
		}
		return mine, false, store.SavePost(ctx, mine)
	}
	saved, err = store.UpdatePost(ctx, mine.ID, func(stored *Post) error {
		next := mine
		switch {
		case stored.Updated.Equal(base.Updated):
		case !stored.Status.Editable():
			return ErrWentOut
		default:
			next = mergeEdits(base, mine, *stored)
		}
		if !stored.Status.CanBecome(next.Status) {
			return &StatusError{From: stored.Status, To: next.Status}
		}
		*stored = next
		return nil
	})
	switch {
	case errors.Is(err, ErrNotFound):
		// Deleted meanwhile: what the user wrote is kept.
		return mine, false, store.SavePost(ctx, mine)
	case errors.Is(err, ErrWentOut):
		d := mine
		d.ID, d.Created = NewID(), mine.Updated
		d.Status, d.OccurrenceID = StatusDraft, ""
		d.Attempt, d.LastError, d.Results = "", "", nil
		return d, true, store.SavePost(ctx, d)
	}
	return saved, false, err
}

// mergeEdits is the post as stored (theirs) with each field the user
// changed (mine, against base, the version they read) taken from mine.
// What only Kaiku changes (results, errors, attempts) stays theirs.
func mergeEdits(base, mine, theirs Post) Post {
	out := theirs
	if base.Text != mine.Text || !slices.Equal(base.Parts, mine.Parts) {
		out.Text, out.Parts = mine.Text, mine.Parts
	}
	if !maps.Equal(base.Variants, mine.Variants) {
		out.Variants = mine.Variants
	}
	if base.Purpose != mine.Purpose {
		out.Purpose = mine.Purpose
	}
	if base.Role != mine.Role {
		out.Role = mine.Role
	}
	if base.GoalID != mine.GoalID {
		out.GoalID = mine.GoalID
	}
	if !slices.Equal(base.Targets, mine.Targets) {
		out.Targets = mine.Targets
	}
	if !base.Time.Equal(mine.Time) || base.OccurrenceID != mine.OccurrenceID {
		out.Time, out.OccurrenceID = mine.Time, mine.OccurrenceID
	}
	if base.Status != mine.Status {
		out.Status = mine.Status
	}
	out.Updated = mine.Updated
	return out
}

// MovePost gives the post a new time, as a drag in the week or its "Move
// to…" does: only the time changes, on the post as stored now, since the
// week's copy may be older than what the outbox or the composer saved
// since. A post moved to the start of one of occs fills that slot; moved
// anywhere else it fills none. A post that is no longer editable (it went
// out) is not moved: ErrWentOut.
func MovePost(ctx context.Context, store PostStore, id string, to time.Time, occs []Occurrence, now time.Time) (Post, error) {
	occID := ""
	for _, o := range occs {
		if o.Start.Equal(to) {
			occID = o.ID
		}
	}
	return store.UpdatePost(ctx, id, func(p *Post) error {
		if !p.Status.Editable() {
			return ErrWentOut
		}
		p.Time, p.OccurrenceID, p.Updated = to, occID, now
		return nil
	})
}

// MoveSlotPosts moves, after the plan old became new, the posts still to
// go out that sit in an occurrence of a slot whose day or time changed: each
// goes to its slot's new time in the same week, so that a slot is never
// filled by a post at another time. A post moved off its slot's time by
// hand stays where it is. It returns how many posts moved.
func MoveSlotPosts(ctx context.Context, store Store, old, new SlotPlan, now time.Time) (int, error) {
	changed := map[string]Slot{}
	for _, s := range new.Slots {
		if o, ok := old.Slot(s.ID); ok && (o.Weekday != s.Weekday || o.Start != s.Start) {
			changed[s.ID] = s
		}
	}
	if len(changed) == 0 {
		return 0, nil
	}
	loc, err := new.Location()
	if err != nil {
		return 0, err
	}
	xs, err := store.Exceptions(ctx)
	if err != nil {
		return 0, err
	}
	posts, err := store.PostsBetween(ctx, now, now.AddDate(0, 0, MaxOccurrenceDays))
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, p := range posts {
		slotID, date, ok := ParseOccurrenceID(p.OccurrenceID)
		if _, isChanged := changed[slotID]; !ok || !isChanged || !p.Status.Editable() {
			continue
		}
		day, _ := time.ParseInLocation(DateLayout, date, loc)
		was, err := old.Occurrences(day, day.AddDate(0, 0, 1), xs)
		if err != nil {
			return moved, err
		}
		if i := slices.IndexFunc(was, func(o Occurrence) bool { return o.ID == p.OccurrenceID }); i < 0 || !was[i].Start.Equal(p.Time) {
			continue // moved off its slot's time by hand
		}
		monday := WeekStart(day, loc)
		is, err := new.Occurrences(monday, monday.AddDate(0, 0, 7), xs)
		if err != nil {
			return moved, err
		}
		i := slices.IndexFunc(is, func(o Occurrence) bool { return o.SlotID == slotID })
		if i < 0 || !is[i].Start.After(now) {
			continue // its new time this week has passed: it stays, and fills none
		}
		if _, err := MovePost(ctx, store, p.ID, is[i].Start, is[i:i+1], now); err != nil && !errors.Is(err, ErrWentOut) {
			return moved, err
		}
		moved++
	}
	return moved, nil
}
