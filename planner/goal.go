package planner

import (
	"strings"
	"time"
)

// Audience is a group an organization's goal wants to reach.
type Audience string

// The audiences.
const (
	AudienceDecisionMakers   Audience = "decision-makers"
	AudienceMedia            Audience = "media"
	AudienceCustomers        Audience = "customers"
	AudiencePeers            Audience = "peers"
	AudienceFutureColleagues Audience = "future-colleagues"
)

// Audiences lists the audiences in their canonical order.
func Audiences() []Audience {
	return []Audience{AudienceDecisionMakers, AudienceMedia, AudienceCustomers, AudiencePeers, AudienceFutureColleagues}
}

// Valid reports whether a is a known audience.
func (a Audience) Valid() bool {
	for _, x := range Audiences() {
		if a == x {
			return true
		}
	}
	return false
}

// Goal is one of the organization's goals that posts can serve.
type Goal struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Audiences   []Audience `json:"audiences,omitempty"`
	Created     time.Time  `json:"created"`
	Updated     time.Time  `json:"updated"`
}

// MaxTitle is the longest goal title, in bytes.
const MaxTitle = 200

// Validate checks the goal's fields.
func (g Goal) Validate() error {
	if !validID(g.ID) {
		return invalid("id", "error.id", "missing or malformed id")
	}
	if strings.TrimSpace(g.Title) == "" {
		return invalid("title", "error.goal.title_empty", "a goal needs a title")
	}
	if len(g.Title) > MaxTitle {
		return invalid("title", "error.goal.title_long", "the title is too long")
	}
	for _, a := range g.Audiences {
		if !a.Valid() {
			return invalid("audiences", "error.audience", "unknown audience "+string(a))
		}
	}
	return nil
}
