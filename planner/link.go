package planner

import (
	"time"

	"github.com/kaiku-app/kaiku/planner/textrules"
)

// LinkWarnBefore is how long before an account's link ends Kaiku warns that
// it must soon be linked again.
const LinkWarnBefore = 7 * 24 * time.Hour

// Count measures a text as the account's network takes it, with the
// account's own limits: a Mastodon instance's length and link weight.
func (a Account) Count(text string) textrules.Result {
	return textrules.CountWith(textrules.Network(a.Network), text, textrules.Rules{Limit: a.TextLimit, URLWeight: a.URLWeight})
}

// LinkDaysLeft is how many days the account's link has at now, a part of a
// day counting as a day: 60 just after a LinkedIn account is linked, 1 on
// its last day, 0 once it has ended or where the link does not end.
func (a Account) LinkDaysLeft(now time.Time) int {
	if a.Expires.IsZero() || !now.Before(a.Expires) {
		return 0
	}
	return int((a.Expires.Sub(now) + 24*time.Hour - 1) / (24 * time.Hour))
}

// LinkEnded reports whether the account's link has ended at now.
func (a Account) LinkEnded(now time.Time) bool {
	return !a.Expires.IsZero() && !now.Before(a.Expires)
}

// LinkEndsSoon reports whether the account's link is in its last week
// (LinkWarnBefore) at now, and has not ended yet.
func (a Account) LinkEndsSoon(now time.Time) bool {
	return !a.Expires.IsZero() && now.Before(a.Expires) && a.Expires.Sub(now) <= LinkWarnBefore
}

// LinkEndsBy reports whether the link has ended by t: a post due then
// cannot go out through the account unless it is linked again first.
func (a Account) LinkEndsBy(t time.Time) bool {
	return !a.Expires.IsZero() && !t.Before(a.Expires)
}

// LinksEndedWhenDue lists the post's accounts, among accounts, whose link
// will have ended when the post is due: the week, the composer and the post
// list flag such a post. An undated post or one already out has none.
func LinksEndedWhenDue(p Post, accounts []Account) []Account {
	if p.Time.IsZero() {
		return nil
	}
	switch p.Status {
	case StatusPublished, StatusPublishing:
		return nil
	}
	var out []Account
	for _, t := range p.Targets {
		if t.AccountID == "" {
			continue
		}
		for _, a := range accounts {
			if a.ID == t.AccountID && a.LinkEndsBy(p.Time) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// DisplayHandle is the account as people know it: @handle on X and
// Bluesky, @user@instance on Mastodon, the member's name on LinkedIn,
// which has no handles.
func (a Account) DisplayHandle() string {
	if a.Network == NetworkLinkedIn || a.Handle == "" {
		if a.Name != "" {
			return a.Name
		}
		return a.Handle
	}
	return "@" + a.Handle
}
