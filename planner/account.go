package planner

import "time"

// AccountStatus says whether a linked account can publish.
type AccountStatus string

// The account statuses.
const (
	AccountLinked      AccountStatus = "linked"
	AccountNeedsRelink AccountStatus = "needs-relink"
)

// Account is a linked social-media account. It holds metadata only: the
// tokens and secrets live in the OS keyring, never here.
type Account struct {
	ID       string        `json:"id"`
	Network  Network       `json:"network"`
	Handle   string        `json:"handle"`
	Name     string        `json:"name,omitempty"`
	RemoteID string        `json:"remote_id,omitempty"`
	APIBase  string        `json:"api_base,omitempty"` // empty: the network's own API
	Status   AccountStatus `json:"status"`
	// TextLimit overrides the network's length limit (Mastodon instances differ); 0 keeps it.
	TextLimit int `json:"text_limit,omitempty"`
	// URLWeight is what a link counts towards TextLimit (a Mastodon
	// instance's own); 0 keeps the network's rule.
	URLWeight int `json:"url_weight,omitempty"`
	// Expires is when the link ends and the account must be linked again
	// (LinkedIn's tokens last 60 days); zero when it does not end.
	Expires time.Time `json:"expires,omitzero"`
	// RateLimitedUntil is when the network's posting limit, last hit, lifts:
	// until then no run asks the network again.
	RateLimitedUntil time.Time `json:"rate_limited_until,omitzero"`
	Created          time.Time `json:"created"`
	Updated          time.Time `json:"updated"`
}

// Validate checks the account.
func (a Account) Validate() error {
	if !validID(a.ID) {
		return invalid("id", "error.id", "missing or malformed account id")
	}
	if !a.Network.Valid() {
		return invalid("network", "error.network", "unknown network")
	}
	if a.Status != AccountLinked && a.Status != AccountNeedsRelink {
		return invalid("status", "error.account.status", "unknown account status")
	}
	if _, err := APIBase(a.APIBase); err != nil {
		return err
	}
	if a.TextLimit < 0 {
		return invalid("text_limit", "error.account.limit", "the text limit cannot be negative")
	}
	if a.URLWeight < 0 {
		return invalid("url_weight", "error.account.limit", "a link cannot count less than nothing")
	}
	return nil
}
