package planner

import "time"

// Scope is how wide a role the expert takes.
type Scope string

// The scopes.
const (
	ScopeWork  Scope = "work"  // only work-related content
	ScopeWider Scope = "wider" // work and the expert's wider interests
)

// ContentMix is the target share, in percent, of own content, shared content
// and conversation. The three sum to 100.
type ContentMix struct {
	Own          int `json:"own"`
	Shared       int `json:"shared"`
	Conversation int `json:"conversation"`
}

// Validate checks that the shares are within 0..100 and sum to 100.
func (m ContentMix) Validate() error {
	for _, v := range []int{m.Own, m.Shared, m.Conversation} {
		if v < 0 || v > 100 {
			return invalid("mix", "error.mix.range", "each share is between 0 and 100")
		}
	}
	if m.Own+m.Shared+m.Conversation != 100 {
		return invalid("mix", "error.mix.sum", "the shares must sum to 100")
	}
	return nil
}

// MaxWeeklyMinutes bounds the weekly time budget: a full working week.
const MaxWeeklyMinutes = 40 * 60

// RoleProfile is what the role selector proposes and the user adjusts.
type RoleProfile struct {
	Primary       Role       `json:"primary"`
	Secondary     Role       `json:"secondary,omitempty"`
	Mix           ContentMix `json:"mix"`
	Scope         Scope      `json:"scope"`
	WeeklyMinutes int        `json:"weekly_minutes"`
	Networks      []Network  `json:"networks,omitempty"`
	Updated       time.Time  `json:"updated"`
}

// Validate checks the profile.
func (p RoleProfile) Validate() error {
	if !p.Primary.Valid() {
		return invalid("primary", "error.role", "unknown primary role")
	}
	if p.Secondary != "" && (!p.Secondary.Valid() || p.Secondary == p.Primary) {
		return invalid("secondary", "error.role.secondary", "the secondary role must differ from the primary")
	}
	if err := p.Mix.Validate(); err != nil {
		return err
	}
	if p.Scope != ScopeWork && p.Scope != ScopeWider {
		return invalid("scope", "error.scope", "unknown scope")
	}
	if p.WeeklyMinutes < 0 || p.WeeklyMinutes > MaxWeeklyMinutes {
		return invalid("weekly_minutes", "error.budget", "the weekly time is out of range")
	}
	for _, n := range p.Networks {
		if !n.Valid() {
			return invalid("networks", "error.network", "unknown network "+string(n))
		}
	}
	return nil
}
