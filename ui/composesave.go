package ui

import (
	"context"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/kaiku-app/kaiku/planner"
)

// collect reads the post from the fields; it fails when the time the user
// typed does not exist.
func (c *Composer) collect() (planner.Post, error) {
	p := c.currentForChecks()
	p.Role = c.selectedRole()
	p.GoalID = ""
	if i := c.goal.SelectedIndex(); i > 0 && i-1 < len(c.goals) {
		p.GoalID = c.goals[i-1].ID
	}
	p.Time, p.OccurrenceID = time.Time{}, ""
	if p.Status == planner.StatusIdea {
		return p, nil // an idea has no time until it becomes a draft
	}
	switch indexOfString(c.timeMode.Options, c.timeMode.Selected) {
	case timeNextFree:
		if c.nextFree != nil {
			p.Time, p.OccurrenceID = c.nextFree.Start, c.nextFree.ID
		}
	case timeSlot:
		if i := c.slot.SelectedIndex(); i >= 0 && i < len(c.upcoming) {
			p.Time, p.OccurrenceID = c.upcoming[i].Start, c.upcoming[i].ID
		} else if !c.post.Time.IsZero() {
			p.Time, p.OccurrenceID = c.post.Time, c.post.OccurrenceID // a slot beyond the list
		}
	case timeExact:
		d, err := c.date.Value()
		if err != nil {
			return p, err
		}
		if d != nil {
			hhmm := strings.TrimSpace(c.clock.Text)
			if hhmm == "" {
				hhmm = "09:00"
			}
			t, err := dateAndClock(d, hhmm, c.zone.loc)
			if err != nil {
				return p, err
			}
			p.Time = t
		}
	}
	return p, nil
}

// saveAs saves the post with a status the user chose by a button.
func (c *Composer) saveAs(st planner.Status) {
	c.post.Status = st
	c.dirty = true
	c.Save()
}

// Save stores the post if it changed; an empty new post is not saved. The
// write goes on in the background; it reports false when the fields make
// no post to save (a time that does not exist), and a dialog says why.
func (c *Composer) Save() bool { return c.save(nil) }

// SaveThen saves as Save does and calls done on the UI goroutine once the
// post is on disk (saved true), or could not be saved, which a dialog
// has said (false).
func (c *Composer) SaveThen(done func(saved bool)) { c.save(done) }

func (c *Composer) save(done func(saved bool)) bool {
	c.stopTimer()
	finish := func(saved bool) {
		if done != nil {
			done(saved)
		}
	}
	if !c.dirty {
		finish(true)
		return true
	}
	p, err := c.collect()
	if err != nil {
		showError(c.win, c.deps.Log, "save post", err)
		finish(false)
		return false
	}
	if !c.stamp(&p) {
		finish(true)
		return true
	}
	// Edits from now on are of this post, not another new one.
	c.post.ID, c.post.Created, c.dirty = p.ID, p.Created, false
	s := c.saver
	c.deps.write(func() {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		saved, forked, err := s.save(ctx, c.deps.Store, p)
		c.deps.do(func() {
			if err != nil {
				c.dirty = true
				showError(c.win, c.deps.Log, "save post", err)
				finish(false)
				return
			}
			c.saved(s, saved, forked)
			finish(true)
		})
	})
	return true
}

// saved shows that p is on disk, if the composer still holds the post s saves.
func (c *Composer) saved(s *saver, p planner.Post, forked bool) {
	if forked {
		showInfo(lang.X("compose.published_meanwhile.title", "The post went out"),
			lang.X("compose.published_meanwhile", "This post was published while you were editing it, as it was before your changes. Your changes are kept here as a new draft."), c.win)
	}
	if s != c.saver {
		c.changed.emit()
		return
	}
	c.post, c.base = p, p
	if forked {
		c.updateActions()
	}
	c.markShared(p)
	c.info.SetText(lang.X("compose.saved", "Saved {{.Time}}", map[string]any{"Time": clock(p.Updated)}) + " · " + statusLabel(p.Status))
	c.changed.emit()
}

// saver writes one opened post, in the write lane: each save starts from
// what the one before it stored, so that a save asked for while another is
// on its way merges against the right version.
type saver struct {
	mu   sync.Mutex
	base planner.Post // as last read from or written to the store
}

// save stores p, the user's version, against the version last stored.
func (s *saver) save(ctx context.Context, store planner.PostStore, p planner.Post) (planner.Post, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base.ID != "" && s.base.ID != p.ID {
		// An earlier save forked the post into a new draft: this one goes there too.
		p.ID, p.Created, p.Status, p.OccurrenceID = s.base.ID, s.base.Created, s.base.Status, s.base.OccurrenceID
	}
	saved, forked, err := planner.SaveEdits(ctx, store, s.base, p)
	if err == nil {
		s.base = saved
	}
	return saved, forked, err
}

// stamp gives a new post its ID and creation time, and marks p updated now.
// It reports false for a new post without text, which is not saved.
func (c *Composer) stamp(p *planner.Post) bool {
	if p.ID == "" {
		if strings.TrimSpace(strings.Join(p.Texts(), "")) == "" && len(p.Images) == 0 {
			return false
		}
		p.ID, p.Created = planner.NewID(), c.deps.now()
	}
	p.Updated = c.deps.now()
	return true
}

// Autosave saves a dirty post quietly: a draft that breaks a rule (no text
// yet, a half-typed time) waits for the user instead of raising a dialog.
func (c *Composer) Autosave() {
	if !c.dirty {
		return
	}
	p, err := c.collect()
	if err != nil {
		return
	}
	if p.ID == "" {
		p.ID = "new"
	}
	if p.Validate() != nil {
		return
	}
	c.Save()
}

// SaveBeforeExit saves a dirty post without asking anyone, for when the app
// must quit now. A half-typed time keeps the post's previous time, and a post
// that breaks a rule as it stands is kept as a draft, so the text survives.
// The write finishes after the window is gone: see Window.WaitForWrites.
func (c *Composer) SaveBeforeExit() {
	c.stopTimer()
	if !c.dirty {
		return
	}
	p, err := c.collect()
	if err != nil {
		p.Time, p.OccurrenceID = c.post.Time, c.post.OccurrenceID
	}
	if !c.stamp(&p) {
		return
	}
	if p.Validate() != nil && p.Status != planner.StatusIdea {
		p.Status = planner.StatusDraft
	}
	c.dirty = false
	s, log := c.saver, c.deps.Log
	c.deps.write(func() {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		if _, _, err := s.save(ctx, c.deps.Store, p); err != nil {
			log.WithError(err).Error("could not save the post before quitting")
		}
	})
}

// Dirty reports whether the composer holds unsaved changes.
func (c *Composer) Dirty() bool { return c.dirty }

// markDirty notes an edit and makes sure a save comes within the autosave
// delay: the timer is not reset by further typing, so steady typing is
// saved every few seconds and a crash loses at most that much.
func (c *Composer) markDirty() {
	c.dirty = true
	if len(c.refusals.Objects) > 0 {
		c.recheckRefusals()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		return
	}
	c.timer = time.AfterFunc(c.deps.autosaveDelay(), func() {
		c.mu.Lock()
		c.timer = nil
		c.mu.Unlock()
		c.deps.do(c.Autosave)
	})
}

func (c *Composer) stopTimer() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
}

// recheckRefusals updates what the composer says about why it did not
// schedule, as the user fixes it: each reason goes when it is fixed.
func (c *Composer) recheckRefusals() {
	p, err := c.collect()
	if err != nil {
		c.showRefusals([]string{errorText(err)}, nil)
		return
	}
	refused := planner.CheckSchedule(p, c.linked, c.deps.now())
	if len(refused) == 0 {
		c.clearRefusals()
		return
	}
	msgs := make([]string, len(refused))
	for i, r := range refused {
		msgs[i] = r.Message(lang.X)
	}
	c.showRefusals(msgs, refused)
}

// markShared marks the reading-list item a saved post shares as read and
// shared, once: the reading list then shows it shared and keeps it, and the
// week's review counts it.
func (c *Composer) markShared(p planner.Post) {
	rl := c.deps.Reading
	if p.SourceItem == "" || p.SourceItem == c.sharedMarked || rl == nil {
		return
	}
	c.sharedMarked = p.SourceItem
	log := c.deps.Log
	c.deps.write(func() {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		if _, err := rl.MarkShared(ctx, p.SourceItem, p.ID); err != nil {
			log.WithError(err).WithField("item", p.SourceItem).Warn("mark a shared item")
		}
		c.deps.do(c.changed.emit)
	})
}
