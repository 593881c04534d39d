package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// ClockTime is a wall-clock time of day, minute precision, in the plan's zone.
type ClockTime struct {
	Hour   int
	Minute int
}

// ParseClock reads "09:00" or "9:05".
func ParseClock(s string) (ClockTime, error) {
	var c ClockTime
	var rest string
	n, _ := fmt.Sscanf(s, "%d:%d%s", &c.Hour, &c.Minute, &rest)
	if n != 2 || !c.Valid() || len(s) > 5 {
		return ClockTime{}, invalid("time", "error.clock", "a time of day is written like 09:30")
	}
	return c, nil
}

// Valid reports whether c is a time of day.
func (c ClockTime) Valid() bool { return c.Hour >= 0 && c.Hour < 24 && c.Minute >= 0 && c.Minute < 60 }

// Minutes is the number of minutes since midnight.
func (c ClockTime) Minutes() int { return c.Hour*60 + c.Minute }

func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// MarshalJSON writes "HH:MM".
func (c ClockTime) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// UnmarshalJSON reads "HH:MM".
func (c *ClockTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseClock(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Slot is a recurring weekly time set aside for one purpose.
type Slot struct {
	ID      string       `json:"id"`
	Weekday time.Weekday `json:"weekday"` // time.Sunday = 0 … time.Saturday = 6
	Start   ClockTime    `json:"start"`   // local time in the plan's zone
	Minutes int          `json:"minutes"`
	Purpose Purpose      `json:"purpose"`
	Role    Role         `json:"role,omitempty"`
	// Changed is when the slot was last edited; exported calendar events
	// derive their SEQUENCE from it, so only an edited slot's events update.
	Changed time.Time `json:"changed,omitzero"`
}

// MaxSlotMinutes bounds a slot's length.
const MaxSlotMinutes = 8 * 60

// Validate checks the slot.
func (s Slot) Validate() error {
	if !validID(s.ID) {
		return invalid("id", "error.id", "missing or malformed slot id")
	}
	if s.Weekday < time.Sunday || s.Weekday > time.Saturday {
		return invalid("weekday", "error.weekday", "unknown weekday")
	}
	if !s.Start.Valid() {
		return invalid("start", "error.clock", "a time of day is written like 09:30")
	}
	if s.Minutes < 5 || s.Minutes > MaxSlotMinutes {
		return invalid("minutes", "error.slot.minutes", "a slot lasts from 5 minutes to 8 hours")
	}
	if !s.Purpose.Valid() {
		return invalid("purpose", "error.purpose", "unknown purpose")
	}
	if s.Role != "" && !s.Role.Valid() {
		return invalid("role", "error.role", "unknown role")
	}
	return nil
}

// SlotPlan is the weekly plan: recurring slots in the user's IANA time zone.
type SlotPlan struct {
	ID       string    `json:"id"`
	TimeZone string    `json:"time_zone"` // IANA name, for example Europe/Helsinki
	Slots    []Slot    `json:"slots"`
	Updated  time.Time `json:"updated"`
	// Revision counts saved changes of the plan as a whole.
	Revision int `json:"revision"`
}

// ActivePlan is the user's plan, or a new empty one in zone loc when none
// is saved yet. Kaiku keeps one plan; the store allows more for later.
func ActivePlan(ctx context.Context, s Store, loc *time.Location) (SlotPlan, error) {
	plans, err := s.Plans(ctx)
	if err != nil {
		return SlotPlan{}, err
	}
	if len(plans) > 0 {
		return plans[0], nil
	}
	return SlotPlan{ID: NewID(), TimeZone: ZoneName(loc)}, nil
}

// ZoneName is loc's IANA name. A zone without one (Go's "Local", where the
// system did not say its name) falls back to UTC, since plans and calendar
// files need a real name.
func ZoneName(loc *time.Location) string {
	if n := loc.String(); n != "Local" && n != "" {
		if _, err := time.LoadLocation(n); err == nil {
			return n
		}
	}
	return "UTC"
}

// Validate checks the plan and each of its slots.
func (p SlotPlan) Validate() error {
	if !validID(p.ID) {
		return invalid("id", "error.id", "missing or malformed plan id")
	}
	if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "" || p.TimeZone == "Local" {
		return invalid("time_zone", "error.timezone", "unknown time zone "+p.TimeZone)
	}
	seen := make(map[string]bool, len(p.Slots))
	for _, s := range p.Slots {
		if err := s.Validate(); err != nil {
			return err
		}
		if seen[s.ID] {
			return invalid("slots", "error.slot.duplicate", "two slots share the id "+s.ID)
		}
		seen[s.ID] = true
	}
	return nil
}

// SlotException changes one occurrence of a slot: it is skipped, or moved.
type SlotException struct {
	OccurrenceID string    `json:"occurrence_id"`
	Skip         bool      `json:"skip,omitempty"`
	MoveTo       time.Time `json:"move_to,omitzero"`
	Updated      time.Time `json:"updated"`
}

// Validate checks the exception.
func (x SlotException) Validate() error {
	if !validID(x.OccurrenceID) {
		return invalid("occurrence_id", "error.id", "missing or malformed occurrence id")
	}
	if x.Skip == !x.MoveTo.IsZero() {
		return invalid("exception", "error.exception", "an exception either skips or moves an occurrence")
	}
	return nil
}
