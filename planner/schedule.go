package planner

import (
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/planner/textrules"
)

// Refusal is one reason a post cannot be scheduled as it stands, for the
// composer to show beside the post and the command line to print.
type Refusal struct {
	Kind RefusalKind
	// Key and Fallback name the message; Data fills it.
	Key      string
	Fallback string
	Data     map[string]any
}

// RefusalKind says what is wrong, so that the window can offer the way out
// (the next free slot for a time that has passed, a split for a long text).
type RefusalKind int

// The reasons a post is not scheduled.
const (
	RefusedEmpty RefusalKind = iota + 1
	RefusedNoTarget
	RefusedNoTime
	RefusedPast
	RefusedTooLong
)

// Message is the refusal in the user's language.
func (r Refusal) Message(tr Translate) string { return tr(r.Key, r.Fallback, r.Data) }

// TargetCount is how a post's text measures on one of its targets: the
// longest part, by the account's own limits when it is linked.
type TargetCount struct {
	Target Target
	Result textrules.Result
	// Part is the index of the longest part.
	Part int
}

// CountTargets measures the post on each of its targets. A target through
// an account not in accounts is measured by its network's rules.
func CountTargets(p Post, accounts []Account) []TargetCount {
	out := make([]TargetCount, 0, len(p.Targets))
	for _, t := range p.Targets {
		count := func(s string) textrules.Result { return textrules.Count(textrules.Network(t.Network), s) }
		for _, a := range accounts {
			if t.AccountID != "" && a.ID == t.AccountID {
				count = a.Count
				break
			}
		}
		tc := TargetCount{Target: t}
		for i, s := range p.TextsFor(t.Network) {
			if r := count(s); i == 0 || r.Length-r.Limit > tc.Result.Length-tc.Result.Limit {
				tc.Result, tc.Part = r, i
			}
		}
		out = append(out, tc)
	}
	return out
}

// CheckSchedule says why p cannot be scheduled at now as it stands: no
// text, no target, no time or one that has passed, or a text over a
// target's limit. None means it can. accounts are the linked accounts, for
// their own limits.
func CheckSchedule(p Post, accounts []Account, now time.Time) []Refusal {
	var out []Refusal
	if strings.TrimSpace(strings.Join(p.Texts(), "")) == "" && len(p.Images) == 0 {
		out = append(out, Refusal{Kind: RefusedEmpty, Key: "error.schedule.empty", Fallback: "There is nothing to post yet: write the text first."})
	}
	if len(p.Targets) == 0 {
		out = append(out, Refusal{Kind: RefusedNoTarget, Key: "error.schedule.no_target", Fallback: "Choose where the post goes: at least one account or network."})
	}
	switch {
	case p.Time.IsZero():
		out = append(out, Refusal{Kind: RefusedNoTime, Key: "error.schedule.no_time", Fallback: "Choose when the post goes out."})
	case !p.Time.After(now):
		out = append(out, Refusal{Kind: RefusedPast, Key: "error.schedule.past", Fallback: "That time has passed. Publish the post now, or choose the next free slot."})
	}
	for _, tc := range CountTargets(p, accounts) {
		if tc.Result.Length > tc.Result.Limit {
			out = append(out, Refusal{Kind: RefusedTooLong, Key: "error.schedule.too_long",
				Fallback: "The text is {{.Over}} characters too long for {{.Network}} ({{.Length}}/{{.Limit}}). Shorten it or split it into a thread.",
				Data:     map[string]any{"Network": tc.Target.Network.DisplayName(), "Over": tc.Result.Length - tc.Result.Limit, "Length": tc.Result.Length, "Limit": tc.Result.Limit}})
		}
	}
	return out
}
