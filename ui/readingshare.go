package ui

import (
	"context"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// shareDraft is a new post that shares the item: room for the user's
// comment first, then the item's title credited to its source and its
// link; purpose share, in the next free share slot when the plan has one.
// The post remembers its item.
func shareDraft(ctx context.Context, store planner.Store, loc *time.Location, now time.Time, it planner.Item, source string) (planner.Post, error) {
	text, _ := planner.ShareText("", it, source)
	p := planner.Post{Status: planner.StatusDraft, Purpose: planner.PurposeShare, Text: text, SourceItem: it.ID}
	plan, err := planner.ActivePlan(ctx, store, loc)
	if err != nil || len(plan.Slots) == 0 {
		return p, err
	}
	xs, err := store.Exceptions(ctx)
	if err != nil {
		return p, err
	}
	posts, err := store.PostsBetween(ctx, now, now.AddDate(1, 0, 0))
	if err != nil {
		return p, err
	}
	if o, ok := planner.NextFreeSlot(plan, xs, posts, planner.PurposeShare, now); ok {
		p.Time, p.OccurrenceID, p.Role = o.Start, o.ID, o.Role
	}
	return p, nil
}

// prepareShare makes the item's share post off the UI goroutine and hands
// it to open on the UI goroutine; from then on the window waits for the
// post to be saved, to mark the item shared (see linkShares).
func (w *Window) prepareShare(it planner.Item, source string, open func(planner.Post)) {
	d, loc := w.deps, w.zone.loc
	d.background(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		p, err := shareDraft(ctx, d.Store, loc, d.now(), it, source)
		d.do(func() {
			if err != nil {
				// The post still opens: the user picks its time.
				d.Log.WithError(err).Warn("find the next free share slot")
			}
			if w.sharing == nil {
				w.sharing = map[string]bool{}
			}
			w.sharing[it.ID] = true
			open(p)
		})
	})
}

// linkShares marks shared the items whose share posts have been saved
// since they were opened; it runs whenever data changed.
func (w *Window) linkShares() {
	d := w.deps
	if len(w.sharing) == 0 || d.Reading == nil {
		return
	}
	waiting := make(map[string]bool, len(w.sharing))
	for id := range w.sharing {
		waiting[id] = true
	}
	d.write(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		posts, err := d.Store.PostsWithStatus(ctx, planner.Statuses()...)
		var linked []string
		for _, p := range posts {
			if err != nil || !waiting[p.SourceItem] {
				continue
			}
			if _, err = d.Reading.MarkShared(ctx, p.SourceItem, p.ID); err == nil {
				linked = append(linked, p.SourceItem)
				delete(waiting, p.SourceItem)
			}
		}
		d.do(func() {
			if err != nil {
				d.Log.WithError(err).Warn("mark shared items")
			}
			for _, id := range linked {
				delete(w.sharing, id)
			}
			if len(linked) > 0 && w.reading != nil {
				w.reading.Reload()
			}
		})
	})
}
