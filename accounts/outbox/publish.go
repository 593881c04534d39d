package outbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/textrules"
)

// targetState is where one account's share of a post ended in a run.
type targetState int

const (
	targetDone    targetState = iota // every part is out
	targetWaiting                    // it goes later: relink, a rate limit, the network's trouble
	targetStopped                    // the run was stopped between parts
	targetFailed                     // refused: it waits for the user to retry
	targetUnknown                    // a part's fate is unknown
	targetStuck                      // it cannot go on without the user: the account is gone or unusable
)

// targetEnd is how an account's share of a post ended, and what to say.
type targetEnd struct {
	state     targetState
	key       string
	lookAgain bool // targetUnknown: a later look may settle it
}

func waiting(key string) (targetEnd, error) { return targetEnd{state: targetWaiting, key: key}, nil }

// errChanged stops a claim on a post the user changed since the outbox read it.
var errChanged = errors.New("the post changed since it was read")

// publish sends the post's parts that are not out yet, account by account
// in the order of its targets, each as far as it can go on its own.
func (o *Outbox) publish(ctx context.Context, r *round, p *planner.Post, action Action) (Outcome, error) {
	before := *p
	if err := o.adoptOldAttempt(ctx, p); err != nil {
		return Outcome{}, err
	}
	ends := make([]targetEnd, 0, len(p.Targets))
	for _, id := range accountTargets(*p) {
		end, err := o.publishTo(ctx, r, p, id)
		if errors.Is(err, errChanged) {
			// The next run reads it again, at once where Kaiku is open.
			o.log.WithField("post", p.ID).Debug("changed while being read")
			o.Wake()
			return Outcome{PostID: p.ID, Action: ActionWait, Status: p.Status}, nil
		}
		if err != nil {
			return Outcome{}, err
		}
		ends = append(ends, end)
	}
	return o.conclude(ctx, r, p, before, ends, action)
}

// adoptOldAttempt reads an attempt an older Kaiku left open, from before
// each part was marked pending before its request: the next part of the
// first account with parts to send may have gone out, so it is marked
// pending now, to be looked for first.
func (o *Outbox) adoptOldAttempt(ctx context.Context, p *planner.Post) error {
	if p.Attempt == "" {
		return nil
	}
	for _, r := range p.Results {
		if r.Pending || r.Attempt == p.Attempt {
			return nil
		}
	}
	for _, id := range accountTargets(*p) {
		acc, err := o.store.Account(ctx, id)
		if errors.Is(err, planner.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if k := nextPart(*p, id); k < len(p.TextsFor(acc.Network)) && !failedAt(*p, id, k) {
			setResult(p, planner.PublishResult{AccountID: id, Network: acc.Network, Part: k, Pending: true, Attempt: p.Attempt, At: p.Updated})
			return nil
		}
	}
	return nil
}

// publishTo sends what is left of the post through one account.
func (o *Outbox) publishTo(ctx context.Context, r *round, p *planner.Post, accountID string) (targetEnd, error) {
	acc, err := o.store.Account(ctx, accountID)
	if errors.Is(err, planner.ErrNotFound) {
		return targetEnd{state: targetStuck, key: explain.AccountGone}, nil
	}
	if err != nil {
		return targetEnd{}, err
	}
	n := acc.Network
	texts := p.TextsFor(n)
	next := nextPart(*p, acc.ID)
	switch {
	case next >= len(texts):
		return targetEnd{state: targetDone}, nil
	case failedAt(*p, acc.ID, next):
		// Refused in an earlier run while another account waited.
		return targetEnd{state: targetFailed, key: explain.For(explain.Rejected, n)}, nil
	case o.isBlocked(acc, r.mode.now):
		return waiting(explain.For(explain.RateLimited, n))
	case r.offline[acc.ID]:
		return waiting(explain.For(explain.Offline, n))
	}
	pub, err := o.pubs.Publisher(ctx, acc)
	if err != nil {
		return o.unusable(ctx, r, *p, acc, err)
	}
	limits := pub.Limits()
	for k := next; k < len(texts); k++ {
		res := textrules.CountWith(textrules.Network(n), texts[k], textrules.Rules{Limit: limits.Length, URLWeight: limits.URLWeight})
		if !res.Valid {
			setResult(p, planner.PublishResult{AccountID: acc.ID, Network: n, Part: k, At: o.now(), Error: fmt.Sprintf("%d/%d", res.Length, res.Limit)})
			return targetEnd{state: targetFailed, key: explain.For(explain.TooLong, n)}, nil
		}
	}
	images, refused, err := o.partImages(ctx, *p, n, pub, texts, next)
	if err != nil {
		return targetEnd{}, err
	}
	if refused != nil {
		setResult(p, planner.PublishResult{AccountID: acc.ID, Network: n, Part: refused.Part, At: o.now(), Error: refused.Detail})
		return targetEnd{state: targetFailed, key: refused.Key}, nil
	}

	log := o.log.WithFields(logrus.Fields{"post": p.ID, "account": acc.ID, "network": n})
	lang := p.LanguageFor(r.settings, o.opts.Language)
	for k := next; k < len(texts); k++ {
		if ctx.Err() != nil {
			// Stopped between parts: what is out is recorded; the rest goes later.
			return targetEnd{state: targetStopped}, nil
		}
		part := Part{Index: k, Text: texts[k], Language: lang, Since: o.now().Add(-lookBack), Images: images[k]}
		if k > 0 {
			part.ReplyTo, part.Root = outAt(*p, acc.ID, k-1), outAt(*p, acc.ID, 0)
		}
		var got Remote
		found := false
		if pend, ok := pendingAt(*p, acc.ID, k); ok {
			// Its request may have gone out before: look first.
			part.Key, part.Since = pend.Key, pend.At.Add(-lookBack)
			if err := o.claim(ctx, p); err != nil { // a look may send (LinkedIn)
				return targetEnd{}, err
			}
			// A request cut off a moment ago may still be on its way in.
			if wait := pend.At.Add(settleTime).Sub(o.now()); wait > 0 && o.sleep(ctx, wait) != nil {
				return targetEnd{state: targetStopped}, nil
			}
			rm, ok, err := pub.Find(context.WithoutCancel(ctx), part)
			switch {
			case err != nil:
				f := classify(n, err)
				log.WithFields(logrus.Fields{"part": k, "reason": f.key, "status": f.status, "detail": f.detail}).Warn("cannot look for a part of unknown fate")
				return targetEnd{state: targetUnknown, key: explain.For(explain.Interrupted, n), lookAgain: f.transient()}, nil
			case ok:
				log.WithFields(logrus.Fields{"part": k, "remote": rm.ID}).Info("found a part of unknown fate on the network")
				got, found = rm, true
			case !limits.Certain:
				log.WithField("part", k).Warn("a part of unknown fate is not on the network; the user decides")
				return targetEnd{state: targetUnknown, key: explain.For(explain.Interrupted, n)}, nil
			}
		}
		if !found {
			if part.Key == "" {
				part.Key = pub.NewKey()
			}
			// Never twice: the part is on record as pending before its request.
			if err := o.markPending(ctx, p, acc, k, part.Key); err != nil {
				return targetEnd{}, err
			}
			log.WithFields(logrus.Fields{"part": k, "parts": len(texts)}).Debug("publishing")
			if o.beforeSend != nil {
				o.beforeSend(acc.ID, k)
			}
			rm, err := o.sendPart(ctx, r, pub, part)
			if err != nil {
				return o.partFailed(ctx, r, p, acc, k, err)
			}
			got = rm
		}
		if o.afterSend != nil {
			o.afterSend(acc.ID, k, got)
		}
		at := got.At
		if at.IsZero() {
			at = o.now()
		}
		setResult(p, planner.PublishResult{AccountID: acc.ID, Network: n, Part: k, RemoteID: got.ID, CID: got.CID, URL: got.URL,
			At: at, Key: part.Key, Attempt: p.Attempt})
		if err := o.save(ctx, p); err != nil {
			// The part stays pending on disk; the next run looks for it.
			return targetEnd{}, err
		}
		log.WithFields(logrus.Fields{"part": k, "remote": got.ID}).Info("published")
	}
	return targetEnd{state: targetDone}, nil
}

// unusable says why an account's publisher could not be had.
func (o *Outbox) unusable(ctx context.Context, r *round, p planner.Post, acc planner.Account, err error) (targetEnd, error) {
	key := explain.Unexpected
	if e, ok := explain.As(err); ok {
		key = e.Key
	}
	switch {
	case errors.Is(err, ErrRelink):
		if key == explain.Unexpected {
			key = explain.For(explain.Relink, acc.Network)
		}
		if key == explain.For(explain.Relink, acc.Network) && explain.Relinking(p.LastError) {
			key = p.LastError // the more precise reason heard before stays
		}
		if err := o.markRelink(ctx, r, acc, key); err != nil {
			return targetEnd{}, err
		}
		return waiting(key)
	case errors.Is(err, ErrKeyring):
		return waiting(explain.Secrets)
	}
	o.log.WithFields(logrus.Fields{"post": p.ID, "account": acc.ID}).WithError(err).Warn("cannot publish through the account")
	return targetEnd{state: targetStuck, key: key}, nil
}

// partFailed settles an account's share after part k failed.
func (o *Outbox) partFailed(ctx context.Context, r *round, p *planner.Post, acc planner.Account, k int, err error) (targetEnd, error) {
	n := acc.Network
	log := o.log.WithFields(logrus.Fields{"post": p.ID, "account": acc.ID, "network": n, "part": k})
	var u *unknownFate
	if errors.As(err, &u) {
		// The part stays pending while a later look may find it.
		log.WithError(err).Warn("a part's fate is unknown")
		return targetEnd{state: targetUnknown, key: explain.For(explain.Interrupted, n), lookAgain: u.lookAgain}, nil
	}
	dropPending(p, acc.ID, k)
	f := classify(n, err)
	log.WithFields(logrus.Fields{"status": f.status, "reason": f.key, "detail": f.detail}).Warn("publishing failed")
	switch f.kind {
	case remote.KindAuth:
		if err := o.markRelink(ctx, r, acc, f.key); err != nil {
			return targetEnd{}, err
		}
		return waiting(f.key)
	case remote.KindRate:
		if err := o.rateLimited(ctx, acc.ID, f.reset); err != nil {
			return targetEnd{}, err
		}
		return waiting(explain.For(explain.RateLimited, n))
	case remote.KindServer:
		return waiting(f.key) // the network's trouble, or what it is busy with
	case remote.KindNetwork:
		r.offline[acc.ID] = true
		return waiting(explain.For(explain.Offline, n))
	}
	detail := f.detail
	if detail == "" {
		detail = explain.Message(f.key)
	}
	setResult(p, planner.PublishResult{AccountID: acc.ID, Network: n, Part: k, At: o.now(), Error: detail})
	return targetEnd{state: targetFailed, key: f.key}, nil
}

// sendPart sends one part, retrying the network's trouble and lost
// connections with backoff. When the request may have reached the network,
// it looks for the part before sending it again.
func (o *Outbox) sendPart(ctx context.Context, r *round, pub Publisher, part Part) (Remote, error) {
	// A request under way is let finish, so its answer can be recorded.
	callCtx := context.WithoutCancel(ctx)
	rateWaits := 0
	for attempt := 0; ; attempt++ {
		rm, err := pub.Publish(callCtx, part)
		if err == nil {
			return rm, nil
		}
		f := classify("", err)
		if f.maybeSent {
			// A moment for the network to show the part, then a look.
			if o.sleep(ctx, backoff(attempt)) != nil {
				return Remote{}, &unknownFate{cause: err, lookAgain: true}
			}
			found, ok, lerr := pub.Find(callCtx, part)
			if lerr != nil {
				return Remote{}, &unknownFate{cause: err, lookAgain: classify("", lerr).transient()}
			}
			if ok {
				return found, nil
			}
			if attempt >= o.opts.Retries {
				return Remote{}, err // looked for, and not out
			}
			continue
		}
		switch f.kind {
		case remote.KindServer, remote.KindNetwork:
			if attempt >= o.opts.Retries || o.sleep(ctx, backoff(attempt)) != nil {
				return Remote{}, err
			}
		case remote.KindRate:
			wait := f.reset.Sub(o.now())
			if !r.mode.waitRate || wait > o.opts.MaxRateWait || rateWaits >= 2 {
				return Remote{}, err
			}
			rateWaits++
			attempt-- // waiting out a limit is not a retry
			if o.sleep(ctx, max(wait, 0)+time.Second) != nil {
				return Remote{}, err
			}
		default:
			return Remote{}, err
		}
	}
}

// markPending puts a part on record as pending, durably, before its
// request; the first such mark claims the post.
func (o *Outbox) markPending(ctx context.Context, p *planner.Post, acc planner.Account, k int, key string) error {
	if err := o.claim(ctx, p); err != nil {
		return err
	}
	setResult(p, planner.PublishResult{AccountID: acc.ID, Network: acc.Network, Part: k, Pending: true, Key: key, Attempt: p.Attempt, At: o.now()})
	return o.save(ctx, p)
}

// claim marks the post as being published, before the first request that
// may publish, so that a crash never sends it twice; and only if it is
// still as the outbox read it, since it would otherwise send an older text
// (errChanged: the next run reads it again). A post already marked stays.
func (o *Outbox) claim(ctx context.Context, p *planner.Post) error {
	switch {
	case p.Status == planner.StatusPublishing:
		return nil
	case !p.Status.CanBecome(planner.StatusPublishing):
		if p.Attempt != "" {
			// An attempt left open (a post that needs attention, looked
			// for again) marks it well enough.
			return nil
		}
		return stateError(*p)
	}
	now, attempt := o.now(), planner.NewID()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	stored, err := o.store.UpdatePost(ctx, p.ID, func(q *planner.Post) error {
		if !q.Updated.Equal(p.Updated) || q.Status != p.Status {
			return errChanged
		}
		q.Status, q.Attempt, q.LastError, q.Updated = planner.StatusPublishing, attempt, "", now
		// What is pending belongs to this attempt now.
		q.Results = slices.Clone(p.Results)
		for i := range q.Results {
			if q.Results[i].Pending {
				q.Results[i].Attempt = attempt
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, errChanged), errors.Is(err, planner.ErrNotFound):
		return errChanged
	case err != nil:
		return fmt.Errorf("record post %s: %w", p.ID, err)
	}
	*p = stored
	return nil
}

// conclude gives the post the status its accounts sum up to.
func (o *Outbox) conclude(ctx context.Context, r *round, p *planner.Post, before planner.Post, ends []targetEnd, action Action) (Outcome, error) {
	first := func(st targetState) (targetEnd, bool) {
		for _, e := range ends {
			if e.state == st {
				return e, true
			}
		}
		return targetEnd{}, false
	}
	if e, ok := first(targetUnknown); ok {
		if slices.ContainsFunc(ends, func(e targetEnd) bool { return e.state == targetUnknown && e.lookAgain }) {
			out, err := o.stayOpen(ctx, r, p, before, e.key)
			out.Action = action
			return out, err
		}
		out, err := o.finish(ctx, r, p, before, planner.StatusNeedsAttention, e.key)
		out.Action = action
		return out, err
	}
	status, key := planner.StatusPublished, ""
	if e, ok := first(targetStuck); ok {
		status, key = planner.StatusNeedsAttention, e.key
	} else if e, ok := first(targetWaiting); ok {
		status, key = planner.StatusScheduled, e.key
		if action != ActionCheck {
			action = ActionWait
		}
	} else if _, ok := first(targetStopped); ok {
		status = planner.StatusScheduled
	} else if e, ok := first(targetFailed); ok {
		status, key = planner.StatusFailed, e.key
	}
	out, err := o.finish(ctx, r, p, before, status, key)
	out.Action = action
	return out, err
}

// finish gives the post its status and message, ends its attempt, saves it
// when anything changed, and tells the app.
func (o *Outbox) finish(ctx context.Context, r *round, p *planner.Post, before planner.Post, status planner.Status, key string) (Outcome, error) {
	p.Attempt = ""
	return o.settle(ctx, r, p, before, status, key)
}

// stayOpen leaves the post for the user with its attempt open: a part's
// fate is unknown, and the next run looks for it again.
func (o *Outbox) stayOpen(ctx context.Context, r *round, p *planner.Post, before planner.Post, key string) (Outcome, error) {
	return o.settle(ctx, r, p, before, planner.StatusNeedsAttention, key)
}

func (o *Outbox) settle(ctx context.Context, r *round, p *planner.Post, before planner.Post, status planner.Status, key string) (Outcome, error) {
	if !p.Status.CanBecome(status) {
		return Outcome{}, fmt.Errorf("settle post %s as %s: %w", p.ID, status, stateError(*p))
	}
	// A post marked publishing on the way here is on disk as such.
	marked := p.Status != before.Status
	p.Status, p.LastError = status, key
	out := Outcome{PostID: p.ID, Action: ActionPublish, Status: status, Key: key, URLs: postURLs(*p)}
	if status == planner.StatusPublished {
		out.Key = explain.Published
	}
	changed := marked || p.Status != before.Status || p.LastError != before.LastError || p.Attempt != before.Attempt || !slices.Equal(p.Results, before.Results)
	if !changed {
		return out, nil
	}
	if err := o.save(ctx, p); err != nil {
		return out, err
	}
	if p.Status != before.Status || p.LastError != before.LastError {
		ev := Event{PostID: p.ID, Status: status, Key: out.Key}
		if len(out.URLs) > 0 {
			ev.URL = out.URLs[0]
		}
		r.events = append(r.events, ev)
	}
	return out, nil
}

// save records what the outbox did to the post, durably: its status,
// attempt, error and results. The rest (the text, targets, time) stays as
// stored, since the user may have changed it while the outbox worked from
// an older copy. A cancelled run still records what it did.
func (o *Outbox) save(ctx context.Context, p *planner.Post) error {
	p.Updated = o.now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	stored, err := o.store.UpdatePost(ctx, p.ID, func(q *planner.Post) error {
		q.Status, q.Attempt, q.LastError, q.Results, q.Updated = p.Status, p.Attempt, p.LastError, p.Results, p.Updated
		return nil
	})
	if errors.Is(err, planner.ErrNotFound) {
		// Deleted while the outbox worked on it: what went out is kept on record.
		err = o.store.SavePost(ctx, *p)
		stored = *p
	}
	if err != nil {
		return fmt.Errorf("record post %s: %w", p.ID, err)
	}
	*p = stored
	return nil
}

// markRelink marks the account as needing a new link, once, and tells the app.
func (o *Outbox) markRelink(ctx context.Context, r *round, acc planner.Account, key string) error {
	r.events = append(r.events, Event{AccountID: acc.ID, Key: key})
	if acc.Status == planner.AccountNeedsRelink {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	stored, err := o.store.Account(ctx, acc.ID)
	if errors.Is(err, planner.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	stored.Status, stored.Updated = planner.AccountNeedsRelink, o.now()
	if err := o.store.SaveAccount(ctx, stored); err != nil {
		return fmt.Errorf("record that account %s must be linked again: %w", acc.ID, err)
	}
	o.log.WithField("account", acc.ID).WithField("reason", key).Warn("account needs to be linked again")
	return nil
}

// rateLimited remembers when the account's rate limit lifts: in this
// outbox, and with the account, so that the next publish-due waits for it
// as well.
func (o *Outbox) rateLimited(ctx context.Context, accountID string, reset time.Time) error {
	o.mu.Lock()
	o.blocked[accountID] = reset
	o.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	acc, err := o.store.Account(ctx, accountID)
	if errors.Is(err, planner.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !reset.After(acc.RateLimitedUntil) {
		return nil
	}
	acc.RateLimitedUntil = reset
	if err := o.store.SaveAccount(ctx, acc); err != nil {
		return fmt.Errorf("record the rate limit of account %s: %w", accountID, err)
	}
	return nil
}
