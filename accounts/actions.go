package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/kaiku-app/kaiku/planner"
)

// The user's decisions about a post. Each waits for a run in progress, so
// that it never crosses the outbox's own changes.

// PublishNow publishes the post right away, the "Publish now" button: a
// draft, a scheduled post, or one that failed or needs attention. Its time
// becomes now. The returned post tells how it went (Status, LastError,
// Results); the error is for a post that cannot be published at all.
func (o *Outbox) PublishNow(ctx context.Context, postID string) (planner.Post, error) {
	o.run.Lock()
	p, events, err := o.publishNow(ctx, postID)
	o.run.Unlock()
	o.emit(events)
	return p, err
}

func (o *Outbox) publishNow(ctx context.Context, postID string) (planner.Post, []Event, error) {
	now := o.m.now()
	p, err := o.store.UpdatePost(ctx, postID, func(q *planner.Post) error {
		switch q.Status {
		case planner.StatusDraft, planner.StatusScheduled, planner.StatusFailed, planner.StatusNeedsAttention:
		default:
			return stateError(*q)
		}
		if len(accountTargets(*q)) == 0 {
			return newError(keyNoAccount, planner.ErrInvalid)
		}
		q.Status, q.Time, q.LastError, q.Attempt, q.Updated = planner.StatusScheduled, now, "", "", now
		dropFailures(q)
		return nil
	})
	if err != nil {
		return p, nil, err
	}
	s := &scan{mode: scanMode{now: p.Time, awake: p.Time}, offline: map[string]bool{}}
	_, err = o.publish(ctx, s, &p, ActionPublish)
	return p, s.events, err
}

// Retry schedules a failed post, or one that needs attention, again: the
// user fixed what was wrong, or checked that an interrupted post did not go
// out. A post whose time has passed goes out at once. Parts already out are
// never sent again.
func (o *Outbox) Retry(ctx context.Context, postID string) (planner.Post, error) {
	p, err := o.decide(ctx, postID, []planner.Status{planner.StatusFailed, planner.StatusNeedsAttention}, func(p *planner.Post, _ map[string]planner.Account) {
		p.Status, p.LastError, p.Attempt = planner.StatusScheduled, "", ""
		if now := o.m.now(); p.Time.Before(now) {
			p.Time = now
		}
		dropFailures(p)
	})
	if err != nil {
		return p, err
	}
	o.emit([]Event{{PostID: p.ID, Status: p.Status}})
	o.Wake()
	return p, nil
}

// ConfirmPublished records that a post which needs attention (or failed)
// did go out, as the user saw on their profile; url, if given, is where.
func (o *Outbox) ConfirmPublished(ctx context.Context, postID, postURL string) (planner.Post, error) {
	if err := checkPostURL(postURL); err != nil {
		return planner.Post{}, err
	}
	p, err := o.decide(ctx, postID, []planner.Status{planner.StatusNeedsAttention, planner.StatusFailed}, func(p *planner.Post, accs map[string]planner.Account) {
		if postURL != "" {
			r := planner.PublishResult{Network: planner.NetworkX, URL: postURL, At: o.m.now()}
			if len(p.Targets) > 0 {
				r.Network = p.Targets[0].Network // a post by hand: where it was to go
			}
			for _, id := range accountTargets(*p) {
				acc, ok := accs[id]
				if !ok {
					continue
				}
				if k := nextPart(*p, id); k < len(PostTexts(*p, acc.Network)) {
					r.AccountID, r.Network, r.Part = id, acc.Network, k
					break
				}
			}
			addResult(p, r)
		}
		dropFailures(p)
		p.Status, p.LastError, p.Attempt = planner.StatusPublished, "", ""
	})
	if err != nil {
		return p, err
	}
	o.emit([]Event{{PostID: p.ID, Status: p.Status, Key: keyPublished, URL: postURL}})
	return p, nil
}

// MarkPublishedByHand records that the user posted the post by hand on a
// network, at url if they gave it. The post is published once no linked
// account of its targets still waits to send it.
func (o *Outbox) MarkPublishedByHand(ctx context.Context, postID string, network planner.Network, postURL string) (planner.Post, error) {
	if !network.Valid() {
		return planner.Post{}, newError(keyHandNetwork, planner.ErrInvalid)
	}
	if err := checkPostURL(postURL); err != nil {
		return planner.Post{}, err
	}
	from := []planner.Status{planner.StatusDraft, planner.StatusScheduled, planner.StatusFailed, planner.StatusNeedsAttention, planner.StatusPublished}
	p, err := o.decide(ctx, postID, from, func(p *planner.Post, accs map[string]planner.Account) {
		now := o.m.now()
		if p.Time.IsZero() {
			p.Time = now
		}
		addResult(p, planner.PublishResult{Network: network, URL: postURL, At: now})
		if !hasUnfinished(*p, accs) {
			p.Status, p.LastError, p.Attempt = planner.StatusPublished, "", ""
		}
	})
	if err != nil {
		return p, err
	}
	o.emit([]Event{{PostID: p.ID, Status: p.Status, Key: keyPublished, URL: postURL}})
	return p, nil
}

// errTargetsChanged stops a decision whose post gained an account target
// between reading the accounts and saving.
var errTargetsChanged = errors.New("the post's accounts changed while it was read")

// decide applies one of the user's decisions to a post whose status is one
// of from, reading, changing and saving it in one transaction. It waits for
// a run in progress, so that it never crosses the outbox's own changes.
//
// change gets the post's linked accounts, read before the transaction: a
// change function must not read the store, whose lock the transaction holds
// (a Close waiting for that lock would make the read wait for ever). When the
// stored post names an account not read, it is read again.
func (o *Outbox) decide(ctx context.Context, postID string, from []planner.Status, change func(*planner.Post, map[string]planner.Account)) (planner.Post, error) {
	o.run.Lock()
	defer o.run.Unlock()
	now := o.m.now()
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
			if !slices.Contains(from, p.Status) {
				return stateError(*p)
			}
			for _, id := range accountTargets(*p) {
				if _, read := accs[id]; !read && !slices.Contains(accountTargets(current), id) {
					return errTargetsChanged
				}
			}
			change(p, accs)
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
	return newError(keyState, fmt.Errorf("post %s is %s: %w", p.ID, p.Status, planner.ErrConflict))
}

// checkPostURL accepts no URL or an https one.
func checkPostURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return newError(keyHandURL, planner.ErrInvalid)
	}
	return nil
}

// DefaultMastodonInstance is the Mastodon server ComposeURL uses when the
// user has not named theirs.
const DefaultMastodonInstance = "mastodon.social"

// ComposeURL is the network's own composer, prefilled with text, for
// posting by hand where no account is linked: X's intent, LinkedIn's share,
// Bluesky's intent, or the Mastodon instance's share page (instance is a
// host like mastodon.social; "" uses DefaultMastodonInstance; the other
// networks ignore it).
func ComposeURL(network planner.Network, text, instance string) (string, error) {
	q := strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
	switch network {
	case planner.NetworkX:
		return "https://x.com/intent/post?text=" + q, nil
	case planner.NetworkLinkedIn:
		return "https://www.linkedin.com/feed/?shareActive=true&text=" + q, nil
	case planner.NetworkBluesky:
		return "https://bsky.app/intent/compose?text=" + q, nil
	case planner.NetworkMastodon:
		host, err := mastodonHost(instance)
		if err != nil {
			return "", err
		}
		return "https://" + host + "/share?text=" + q, nil
	}
	return "", newError(keyHandNetwork, planner.ErrInvalid)
}

// mastodonHost reads an instance as people write it: mastodon.social,
// https://mastodon.social/ or @name@mastodon.social.
func mastodonHost(instance string) (string, error) {
	s := strings.TrimSpace(instance)
	if s == "" {
		return DefaultMastodonInstance, nil
	}
	if i := strings.LastIndex(s, "@"); i >= 0 && !strings.Contains(s, "/") {
		s = s[i+1:]
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || strings.Trim(u.Path, "/") != "" ||
		!strings.Contains(u.Hostname(), ".") || strings.ContainsAny(u.Host, " \t") {
		return "", newError(keyHandInstance, planner.ErrInvalid)
	}
	return strings.ToLower(u.Host), nil
}

// Skip keeps a post that failed or needs attention from going out: it
// becomes a draft again, its text and what went out kept, to be scheduled
// again or left be.
func (o *Outbox) Skip(ctx context.Context, postID string) (planner.Post, error) {
	p, err := o.decide(ctx, postID, []planner.Status{planner.StatusFailed, planner.StatusNeedsAttention}, func(p *planner.Post, _ map[string]planner.Account) {
		p.Status, p.LastError, p.Attempt = planner.StatusDraft, "", ""
		dropFailures(p)
	})
	if err != nil {
		return p, err
	}
	o.emit([]Event{{PostID: p.ID, Status: p.Status}})
	return p, nil
}
