package outbox

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/planner"
)

// The user's decisions about a post. Each waits for a run in progress, so
// that it never crosses the outbox's own changes, and each is a move the
// post's life cycle allows (planner.Status.CanBecome).

// PublishNow publishes the post right away, the "Publish now" button: any
// post that may be scheduled, say a draft, or one that failed or needs
// attention. Its time becomes now. The returned post tells how it went
// (Status, LastError, Results); the error is for a post that cannot be
// published at all.
func (o *Outbox) PublishNow(ctx context.Context, postID string) (planner.Post, error) {
	o.run.Lock()
	p, events, err := o.publishNow(ctx, postID)
	o.run.Unlock()
	o.emit(events)
	return p, err
}

func (o *Outbox) publishNow(ctx context.Context, postID string) (planner.Post, []Event, error) {
	now := o.now()
	p, err := o.store.UpdatePost(ctx, postID, func(q *planner.Post) error {
		if !q.Status.CanBecome(planner.StatusScheduled) {
			return stateError(*q)
		}
		if len(accountTargets(*q)) == 0 {
			return explain.New(explain.NoAccount, planner.ErrInvalid)
		}
		q.Status, q.Time, q.LastError, q.Attempt, q.Updated = planner.StatusScheduled, now, "", "", now
		clearForRetry(q)
		return nil
	})
	if err != nil {
		return p, nil, err
	}
	settings, err := o.store.Settings(ctx)
	if err != nil {
		return p, nil, err
	}
	r := newRound(mode{now: p.Time, awake: p.Time}, settings)
	_, err = o.publish(ctx, r, &p, ActionPublish)
	return p, r.events, err
}

// Retry schedules a post that failed or needs attention again: the user
// fixed what was wrong, or checked that an interrupted post did not go out.
// A post whose time has passed goes out at once. Parts already out are
// never sent again, nor is a part the network can still be asked about.
func (o *Outbox) Retry(ctx context.Context, postID string) (planner.Post, error) {
	p, err := o.decide(ctx, postID, func(p *planner.Post, _ map[string]planner.Account) error {
		if !p.Status.AwaitsDecision() {
			return stateError(*p)
		}
		p.Status, p.LastError, p.Attempt = planner.StatusScheduled, "", ""
		if now := o.now(); p.Time.Before(now) {
			p.Time = now
		}
		clearForRetry(p)
		return nil
	})
	if err != nil {
		return p, err
	}
	o.emit([]Event{{PostID: p.ID, Status: p.Status}})
	o.Wake()
	return p, nil
}

// ConfirmPublished records that a post which failed or needs attention did
// go out, as the user saw on their profile; postURL, if given, is where.
func (o *Outbox) ConfirmPublished(ctx context.Context, postID, postURL string) (planner.Post, error) {
	if err := checkPostURL(postURL); err != nil {
		return planner.Post{}, err
	}
	p, err := o.decide(ctx, postID, func(p *planner.Post, accs map[string]planner.Account) error {
		if !p.Status.AwaitsDecision() {
			return stateError(*p)
		}
		now := o.now()
		confirmed := false
		// The parts whose fate was unknown went out.
		for i := range p.Results {
			if r := &p.Results[i]; r.Pending {
				r.Pending, r.At = false, now
				if postURL != "" && !confirmed {
					r.URL, confirmed = postURL, true
				}
			}
		}
		if postURL != "" && !confirmed {
			r := planner.PublishResult{Network: planner.NetworkX, URL: postURL, At: now}
			if len(p.Targets) > 0 {
				r.Network = p.Targets[0].Network // a post by hand: where it was to go
			}
			for _, id := range accountTargets(*p) {
				acc, ok := accs[id]
				if !ok {
					continue
				}
				if k := nextPart(*p, id); k < len(p.TextsFor(acc.Network)) {
					r.AccountID, r.Network, r.Part = id, acc.Network, k
					break
				}
			}
			setResult(p, r)
		}
		clearForRetry(p)
		p.Status, p.LastError, p.Attempt = planner.StatusPublished, "", ""
		return nil
	})
	if err != nil {
		return p, err
	}
	o.emit([]Event{{PostID: p.ID, Status: p.Status, Key: explain.Published, URL: postURL}})
	return p, nil
}

// MarkPublishedByHand records that the user posted the post by hand on a
// network, at postURL if they gave it. The post is published once no linked
// account of its targets still waits to send it.
func (o *Outbox) MarkPublishedByHand(ctx context.Context, postID string, network planner.Network, postURL string) (planner.Post, error) {
	if !network.Valid() {
		return planner.Post{}, explain.New(explain.HandNetwork, planner.ErrInvalid)
	}
	if err := checkPostURL(postURL); err != nil {
		return planner.Post{}, err
	}
	p, err := o.decide(ctx, postID, func(p *planner.Post, accs map[string]planner.Account) error {
		now := o.now()
		if p.Time.IsZero() {
			p.Time = now
		}
		setResult(p, planner.PublishResult{Network: network, URL: postURL, At: now})
		if !hasUnfinished(*p, accs) {
			p.Status, p.LastError, p.Attempt = planner.StatusPublished, "", ""
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	o.emit([]Event{{PostID: p.ID, Status: p.Status, Key: explain.Published, URL: postURL}})
	return p, nil
}

// Skip keeps a post that failed or needs attention from going out: it
// becomes a draft again, its text and what went out kept, to be scheduled
// again or left be.
func (o *Outbox) Skip(ctx context.Context, postID string) (planner.Post, error) {
	p, err := o.decide(ctx, postID, func(p *planner.Post, _ map[string]planner.Account) error {
		if !p.Status.AwaitsDecision() {
			return stateError(*p)
		}
		p.Status, p.LastError, p.Attempt = planner.StatusDraft, "", ""
		clearForRetry(p)
		return nil
	})
	if err != nil {
		return p, err
	}
	o.emit([]Event{{PostID: p.ID, Status: p.Status}})
	return p, nil
}

// errTargetsChanged stops a decision whose post gained an account target
// between reading the accounts and saving.
var errTargetsChanged = errors.New("the post's accounts changed while it was read")

// decide applies one of the user's decisions to a post, reading, changing
// and saving it in one transaction, and only where the post's life cycle
// allows the move from its status to the one it gets. It waits for a run
// in progress, so that it never crosses the outbox's own changes.
//
// change gets the post's linked accounts, read before the transaction: a
// change function must not read the store, whose lock the transaction holds
// (a Close waiting for that lock would make the read wait for ever). When the
// stored post names an account not read, it is read again.
func (o *Outbox) decide(ctx context.Context, postID string, change func(*planner.Post, map[string]planner.Account) error) (planner.Post, error) {
	o.run.Lock()
	defer o.run.Unlock()
	now := o.now()
	for attempt := 0; ; attempt++ {
		current, err := o.store.Post(ctx, postID)
		if err != nil {
			return planner.Post{}, err
		}
		accs, err := o.accountsOf(ctx, current)
		if err != nil {
			return planner.Post{}, err
		}
		p, err := o.store.UpdatePost(ctx, postID, func(p *planner.Post) error {
			for _, id := range accountTargets(*p) {
				if _, read := accs[id]; !read && !slices.Contains(accountTargets(current), id) {
					return errTargetsChanged
				}
			}
			from := p.Status
			if err := change(p, accs); err != nil {
				return err
			}
			if !from.CanBecome(p.Status) {
				return stateError(planner.Post{ID: p.ID, Status: from})
			}
			p.Updated = now
			return nil
		})
		if errors.Is(err, errTargetsChanged) && attempt < 3 {
			continue
		}
		return p, err
	}
}

func stateError(p planner.Post) error {
	return explain.New(explain.State, fmt.Errorf("post %s is %s: %w", p.ID, p.Status, planner.ErrConflict))
}

// checkPostURL accepts no URL or an https one.
func checkPostURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return explain.New(explain.HandURL, planner.ErrInvalid)
	}
	return nil
}
