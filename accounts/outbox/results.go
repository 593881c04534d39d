package outbox

import (
	"context"
	"errors"

	"github.com/kaiku-app/kaiku/planner"
)

// A post's results are its record of what went where: per account and
// part, one entry that is pending (the request is being made), out (with
// the network's ID), or a failure; and the posts made by hand.

// accountTargets lists the post's linked-account targets, each once, in order.
func accountTargets(p planner.Post) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range p.Targets {
		if t.AccountID != "" && !seen[t.AccountID] {
			seen[t.AccountID] = true
			out = append(out, t.AccountID)
		}
	}
	return out
}

// isOut reports whether r is a part that went out through an account.
func isOut(r planner.PublishResult) bool {
	return r.AccountID != "" && r.Error == "" && !r.Pending
}

// nextPart is the first part not yet out through the account.
func nextPart(p planner.Post, accountID string) int {
	out := map[int]bool{}
	for _, r := range p.Results {
		if r.AccountID == accountID && isOut(r) {
			out[r.Part] = true
		}
	}
	k := 0
	for out[k] {
		k++
	}
	return k
}

// entry finds the account's entry for a part.
func entry(p planner.Post, accountID string, part int) (planner.PublishResult, bool) {
	for _, r := range p.Results {
		if r.AccountID == accountID && r.Part == part {
			return r, true
		}
	}
	return planner.PublishResult{}, false
}

// pendingAt finds the part's pending mark.
func pendingAt(p planner.Post, accountID string, part int) (planner.PublishResult, bool) {
	r, ok := entry(p, accountID, part)
	return r, ok && r.Pending
}

// failedAt reports whether the part failed and waits for the user.
func failedAt(p planner.Post, accountID string, part int) bool {
	r, ok := entry(p, accountID, part)
	return ok && r.Error != ""
}

// outAt is the part as the network has it, nil when it is not out.
func outAt(p planner.Post, accountID string, part int) *Remote {
	if part < 0 {
		return nil
	}
	r, ok := entry(p, accountID, part)
	if !ok || !isOut(r) {
		return nil
	}
	return &Remote{ID: r.RemoteID, CID: r.CID, URL: r.URL, At: r.At}
}

// setResult records an account's part, replacing what was on record for
// it; a post by hand is added.
func setResult(p *planner.Post, r planner.PublishResult) {
	kept := p.Results[:0:0]
	for _, x := range p.Results {
		if r.AccountID != "" && x.AccountID == r.AccountID && x.Part == r.Part {
			continue
		}
		kept = append(kept, x)
	}
	p.Results = append(kept, r)
}

// dropPending forgets a part's pending mark: its request is known not to
// have gone out.
func dropPending(p *planner.Post, accountID string, part int) {
	kept := p.Results[:0:0]
	for _, x := range p.Results {
		if x.Pending && x.AccountID == accountID && x.Part == part {
			continue
		}
		kept = append(kept, x)
	}
	p.Results = kept
}

// clearForRetry forgets failures and the pending marks no network can
// recognise, when the user tries again: the user has looked and says those
// did not go out. A pending mark with a key stays, to be looked for first.
func clearForRetry(p *planner.Post) {
	kept := p.Results[:0:0]
	for _, x := range p.Results {
		if x.Error != "" || x.Pending && x.Key == "" {
			continue
		}
		kept = append(kept, x)
	}
	p.Results = kept
}

// postURLs lists where the post's parts are.
func postURLs(p planner.Post) []string {
	var out []string
	for _, r := range p.Results {
		if r.URL != "" && r.Error == "" && !r.Pending {
			out = append(out, r.URL)
		}
	}
	return out
}

// accountsOf reads the post's linked accounts that still exist.
func (o *Outbox) accountsOf(ctx context.Context, p planner.Post) (map[string]planner.Account, error) {
	accs := map[string]planner.Account{}
	for _, id := range accountTargets(p) {
		acc, err := o.store.Account(ctx, id)
		switch {
		case errors.Is(err, planner.ErrNotFound):
		case err != nil:
			return nil, err
		default:
			accs[id] = acc
		}
	}
	return accs, nil
}

// hasUnfinished reports whether any of the post's linked accounts (accs,
// those that still exist) still has parts to send.
func hasUnfinished(p planner.Post, accs map[string]planner.Account) bool {
	for _, id := range accountTargets(p) {
		if acc, ok := accs[id]; ok && nextPart(p, id) < len(p.TextsFor(acc.Network)) {
			return true
		}
	}
	return false
}
