package outbox

import (
	"context"
	"errors"
	"time"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/planner"
)

// RunDue publishes what is due now, once, for `kaiku publish-due`: first it
// settles attempts a crash interrupted, then it publishes due posts, those
// that fell due while Kaiku was closed as Settings.Late says. Cancelling
// ctx stops it between parts; a request under way is let finish.
func (o *Outbox) RunDue(ctx context.Context) (Summary, error) {
	now := o.now()
	sum, events, err := o.scan(ctx, mode{waitRate: true, now: now, awake: now})
	o.emit(events)
	return sum, err
}

// DryRun says what RunDue would do, without a network call or a change.
func (o *Outbox) DryRun(ctx context.Context) (Summary, error) {
	now := o.now()
	sum, events, err := o.scan(ctx, mode{dry: true, waitRate: true, now: now, awake: now})
	o.emit(events)
	return sum, err
}

// mode says how a run behaves.
type mode struct {
	dry      bool
	waitRate bool      // wait for a rate limit to lift, up to MaxRateWait
	now      time.Time // what is due is due by now
	awake    time.Time // since when the outbox has been watching, for late posts
}

// round is what one run knows as it goes: interrupted attempts first, then
// due posts.
type round struct {
	mode     mode
	settings planner.Settings // Late for late posts, Language for a post's language
	offline  map[string]bool  // accounts whose network did not answer in this run
	events   []Event
}

func newRound(m mode, s planner.Settings) *round {
	return &round{mode: m, settings: s, offline: map[string]bool{}}
}

// scan is one run.
func (o *Outbox) scan(ctx context.Context, m mode) (Summary, []Event, error) {
	o.run.Lock()
	defer o.run.Unlock()
	sum := Summary{Posts: []Outcome{}}
	settings, err := o.store.Settings(ctx)
	if err != nil {
		return sum, nil, err
	}
	r := newRound(m, settings)

	// Attempts a crash or a lost answer left open come first: what they
	// find decides what is left to send.
	stuck, err := o.store.PostsWithStatus(ctx, planner.StatusPublishing, planner.StatusNeedsAttention)
	if err != nil {
		return sum, r.events, err
	}
	for _, p := range stuck {
		if p.Status == planner.StatusNeedsAttention && p.Attempt == "" {
			continue
		}
		if ctx.Err() != nil {
			return sum, r.events, nil
		}
		out, err := o.recover(ctx, r, p.ID)
		if err != nil {
			return sum, r.events, err
		}
		sum.add(out)
	}

	due, err := o.store.PostsWithStatus(ctx, planner.StatusScheduled)
	if err != nil {
		return sum, r.events, err
	}
	for _, p := range due {
		if p.Time.After(r.mode.now) {
			continue
		}
		if ctx.Err() != nil {
			return sum, r.events, nil
		}
		out, ok, err := o.due(ctx, r, p.ID)
		if err != nil {
			return sum, r.events, err
		}
		if ok {
			sum.add(out)
		}
	}
	return sum, r.events, nil
}

// due handles one due post: by hand, late, or published.
func (o *Outbox) due(ctx context.Context, r *round, id string) (Outcome, bool, error) {
	p, err := o.store.Post(ctx, id)
	if errors.Is(err, planner.ErrNotFound) {
		return Outcome{}, false, nil
	}
	if err != nil {
		return Outcome{}, false, err
	}
	if p.Status != planner.StatusScheduled || p.Time.After(r.mode.now) {
		return Outcome{}, false, nil
	}
	if len(accountTargets(p)) == 0 {
		if r.mode.dry {
			return Outcome{PostID: p.ID, Action: ActionManual, Status: p.Status, Key: explain.ActionPrefix + string(ActionManual)}, true, nil
		}
		// One reminder per post while the outbox runs.
		o.mu.Lock()
		seen := o.manualSeen[p.ID]
		o.manualSeen[p.ID] = true
		o.mu.Unlock()
		if !seen {
			r.events = append(r.events, Event{PostID: p.ID, Status: p.Status, Key: explain.ManualDue})
		}
		return Outcome{PostID: p.ID, Action: ActionManual, Status: p.Status, Key: explain.ManualDue}, true, nil
	}
	action := ActionPublish
	if p.Time.Before(r.mode.awake.Add(-o.opts.Grace)) && !tried(p) {
		switch r.settings.Late {
		case planner.LateAsk:
			action = ActionAsk
		case planner.LateSkip:
			action = ActionSkip
		default:
			action = ActionPublishLate
		}
	}
	if r.mode.dry {
		if (action == ActionPublish || action == ActionPublishLate) && o.mustWait(ctx, r, p) {
			action = ActionWait
		}
		return Outcome{PostID: p.ID, Action: action, Status: p.Status, Key: explain.ActionPrefix + string(action)}, true, nil
	}
	before := p
	switch action {
	case ActionAsk:
		out, err := o.finish(ctx, r, &p, before, planner.StatusNeedsAttention, explain.LateAsk)
		out.Action = action
		return out, true, err
	case ActionSkip:
		out, err := o.finish(ctx, r, &p, before, planner.StatusFailed, explain.LateSkipped)
		out.Action = action
		return out, true, err
	}
	out, err := o.publish(ctx, r, &p, action)
	return out, true, err
}

// tried reports whether an outbox has had a go at the post: such a post is
// waiting to go out, never late.
func tried(p planner.Post) bool {
	if p.LastError != "" {
		return true
	}
	for _, r := range p.Results {
		if r.AccountID != "" {
			return true
		}
	}
	return false
}

// mustWait reports whether a dry run would leave the post waiting.
func (o *Outbox) mustWait(ctx context.Context, r *round, p planner.Post) bool {
	for _, id := range accountTargets(p) {
		acc, err := o.store.Account(ctx, id)
		if err != nil {
			return false
		}
		if nextPart(p, acc.ID) >= len(p.TextsFor(acc.Network)) {
			continue
		}
		return acc.Status == planner.AccountNeedsRelink || o.isBlocked(acc, r.mode.now)
	}
	return false
}

// isBlocked reports whether the account's rate limit, heard by this outbox
// or recorded by another run, has not lifted yet.
func (o *Outbox) isBlocked(acc planner.Account, now time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	reset, ok := o.blocked[acc.ID]
	if acc.RateLimitedUntil.After(reset) {
		reset, ok = acc.RateLimitedUntil, true
		o.blocked[acc.ID] = reset // the running outbox wakes for it
	}
	if ok && !now.Before(reset) {
		delete(o.blocked, acc.ID)
		return false
	}
	return ok
}
