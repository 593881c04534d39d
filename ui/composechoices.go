package ui

import (
	"context"
	"errors"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kaiku-app/kaiku/planner"
)

// loadChoices reads the goals and the coming slots off the UI goroutine.
func (c *Composer) loadChoices() {
	goalID, occID, own := c.post.GoalID, c.post.OccurrenceID, c.post.ID
	loc, now, purpose := c.zone.loc, c.zone.now(c.deps), c.selectedPurpose()
	c.deps.background(func() {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		goals, gerr := c.deps.Store.Goals(ctx)
		linked, _ := c.deps.Store.Accounts(ctx)
		st, serr := c.deps.Store.Settings(ctx)
		profile, _ := c.deps.Store.Profile(ctx)
		tags := kitHashtags(c.deps.Store.OrgKit(ctx))
		plan, occs, next, perr := slotChoices(ctx, c.deps.Store, loc, now, purpose, own)
		c.deps.do(func() {
			if err := errors.Join(gerr, serr, perr); err != nil {
				c.deps.Log.WithError(err).Warn("load composer choices")
			}
			// Filling the pickers is not an edit by the user.
			wasDirty := c.dirty
			defer func() { c.dirty = wasDirty }()
			c.goals, c.plan, c.upcoming, c.nextFree = goals, plan, occs, next
			if serr == nil {
				c.guidelines = st.Guidelines
			}
			c.setTargetOptions(linked)
			c.linked, c.profile, c.hashtags = linked, profile, tags
			c.updateActions()
			c.goal.Options = []string{lang.X("compose.goal.none", "No particular goal")}
			sel := 0
			for i, g := range goals {
				c.goal.Options = append(c.goal.Options, g.Title)
				if g.ID == goalID {
					sel = i + 1
				}
			}
			selectIndex(c.goal, sel)
			c.slot.Options = nil
			sel = -1
			for i, o := range occs {
				c.slot.Options = append(c.slot.Options, occurrenceLabel(o, c.zone.loc, c.deps.Lang))
				if o.ID == occID {
					sel = i
				}
			}
			selectIndex(c.slot, sel)
			c.updateNextFree()
			c.applyDefaults()
			c.updateChecks()
		})
	})
}

// slotChoices lists the next four weeks' occurrences from now and the next
// free one for purpose (any that takes a post, when empty), passing over
// the slots that clash with busy time in the work calendar. The post own
// (its ID; empty for none) does not fill a slot: the slot it holds is still
// free for it, so the preview does not move on as soon as it is saved.
func slotChoices(ctx context.Context, store planner.Store, loc *time.Location, now time.Time, purpose planner.Purpose, own string) (planner.SlotPlan, []planner.Occurrence, *planner.Occurrence, error) {
	plan, err := planner.ActivePlan(ctx, store, loc)
	if err != nil || len(plan.Slots) == 0 {
		return plan, nil, nil, err
	}
	xs, err := store.Exceptions(ctx)
	if err != nil {
		return plan, nil, nil, err
	}
	occs, err := plan.Occurrences(now, now.AddDate(0, 0, 28), xs)
	if err != nil {
		return plan, nil, nil, err
	}
	posts, err := store.PostsBetween(ctx, now, now.AddDate(1, 0, 0))
	if err != nil {
		return plan, occs, nil, err
	}
	posts = slices.DeleteFunc(posts, func(p planner.Post) bool { return own != "" && p.ID == own })
	busy, err := store.BusyBetween(ctx, now, now.AddDate(1, 0, 0))
	if err != nil {
		return plan, occs, nil, err
	}
	// Without a purpose, any slot that takes a post will do; follow slots do not.
	purposes := []planner.Purpose{purpose}
	if purpose == "" {
		purposes = []planner.Purpose{planner.PurposeWrite, planner.PurposeShare, planner.PurposeConverse}
	}
	var next *planner.Occurrence
	for _, p := range purposes {
		if o, ok := planner.NextFreeSlotAround(plan, xs, posts, busy, p, now); ok && (next == nil || o.Start.Before(next.Start)) {
			next = &o
		}
	}
	return plan, occs, next, nil
}

// updateNextFree shows which slot "next free slot" means now.
func (c *Composer) updateNextFree() {
	if c.nextFree == nil {
		c.nextLabel.SetText(lang.X("compose.no_free_slot", "No free slot in the next four weeks: add slots on the Role screen, or choose a date and time."))
		return
	}
	c.nextLabel.SetText(occurrenceLabel(*c.nextFree, c.zone.loc, c.deps.Lang))
}

func (c *Composer) showTimeMode() {
	mode := indexOfString(c.timeMode.Options, c.timeMode.Selected)
	show := func(o fyne.CanvasObject, on bool) {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
	show(c.nextLabel, mode == timeNextFree)
	show(c.slot, mode == timeSlot)
	show(c.date, mode == timeExact)
	show(c.dateCheck, mode == timeExact)
	show(c.clock, mode == timeExact)
	c.updateNextFree()
}

// setTargetOptions offers the linked accounts, then each network by hand.
func (c *Composer) setTargetOptions(linked []planner.Account) {
	selected := c.selectedTargets()
	c.targetOpts, c.networks.Options = nil, nil
	for _, a := range linked {
		c.targetOpts = append(c.targetOpts, planner.Target{AccountID: a.ID, Network: a.Network})
		c.networks.Options = append(c.networks.Options, a.Network.DisplayName()+" @"+a.Handle)
	}
	for _, n := range planner.Networks() {
		c.targetOpts = append(c.targetOpts, planner.Target{Network: n})
		c.networks.Options = append(c.networks.Options, lang.X("compose.by_hand", "{{.Network}} by hand", map[string]any{"Network": n.DisplayName()}))
	}
	c.selectTargets(selected)
}

func (c *Composer) selectTargets(ts []planner.Target) {
	var labels []string
	for _, t := range ts {
		for i, o := range c.targetOpts {
			if o == t {
				labels = append(labels, c.networks.Options[i])
			}
		}
	}
	c.networks.Selected = labels
	c.networks.Refresh()
}

func (c *Composer) selectedTargets() []planner.Target {
	var out []planner.Target
	for i, l := range c.networks.Options {
		if i < len(c.targetOpts) && slices.Contains(c.networks.Selected, l) {
			out = append(out, c.targetOpts[i])
		}
	}
	return out
}

// selectedNetworks are the networks the post goes to, each once.
func (c *Composer) selectedNetworks() []planner.Network {
	var out []planner.Network
	for _, t := range c.selectedTargets() {
		if !slices.Contains(out, t.Network) {
			out = append(out, t.Network)
		}
	}
	return out
}

func (c *Composer) selectedPurpose() planner.Purpose {
	if i := c.purpose.SelectedIndex(); i >= 0 {
		return planner.Purposes()[i]
	}
	return ""
}

func (c *Composer) selectedRole() planner.Role {
	if i := c.role.SelectedIndex(); i >= 0 {
		return planner.Roles()[i]
	}
	return ""
}
