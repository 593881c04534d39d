package ui

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/kaiku-app/kaiku/planner"
)

// errWentOut stops a save onto a post that went out while the composer had it open.
var errWentOut = errors.New("the post went out while it was being edited")

// write stores p, the composer's version of the post, and returns what was
// stored. While the composer had the post open, the outbox or the week may
// have changed it (a failure, a new time); those changes stay, and only what
// the user changed here replaces what is stored (mergeEdits). A post that
// went out meanwhile stays as it went out, and the user's version becomes a
// new draft: forked is then true. Writing the composer's older copy whole
// would have undone the publishing, and the outbox would have posted again.
func (c *Composer) write(ctx context.Context, p planner.Post) (saved planner.Post, forked bool, err error) {
	if c.base.ID == "" {
		return p, false, c.deps.Store.SavePost(ctx, p)
	}
	base := c.base
	saved, err = c.deps.Store.UpdatePost(ctx, p.ID, func(stored *planner.Post) error {
		switch {
		case stored.Updated.Equal(base.Updated):
			*stored = p
		case !stored.Status.Editable():
			return errWentOut
		default:
			*stored = mergeEdits(base, p, *stored)
		}
		return nil
	})
	switch {
	case errors.Is(err, planner.ErrNotFound):
		// Deleted meanwhile: what the user wrote is kept.
		return p, false, c.deps.Store.SavePost(ctx, p)
	case errors.Is(err, errWentOut):
		d := p
		d.ID, d.Created = planner.NewID(), p.Updated
		d.Status, d.OccurrenceID = planner.StatusDraft, ""
		d.Attempt, d.LastError, d.Results = "", "", nil
		return d, true, c.deps.Store.SavePost(ctx, d)
	}
	return saved, false, err
}

// mergeEdits is the post as stored (theirs) with each field the user
// changed in the composer (mine, against base, the version it read) taken
// from mine. What only Kaiku changes (results, errors, attempts) stays theirs.
func mergeEdits(base, mine, theirs planner.Post) planner.Post {
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
