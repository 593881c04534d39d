package planner

import (
	"time"
)

// LatePolicy says what happens to posts that fell due while Kaiku was closed.
type LatePolicy string

// The late-post policies.
const (
	LatePublish LatePolicy = "publish" // publish them late
	LateAsk     LatePolicy = "ask"     // mark them for the user to decide
	LateSkip    LatePolicy = "skip"    // leave them unpublished, marked
)

// Guidelines are the organization's own rules checked before publishing.
type Guidelines struct {
	Disclosure string   `json:"disclosure,omitempty"` // text or hashtag every post must carry
	AvoidWords []string `json:"avoid_words,omitempty"`
}

// Settings are the user's preferences, stored with their data.
type Settings struct {
	// Language is "fi" or "en"; empty follows the system locale.
	Language string `json:"language,omitempty"`
	// TimeZone is an IANA name; empty follows the system.
	TimeZone string `json:"time_zone,omitempty"`
	// ReminderMinutes is how long before a slot its calendar reminder fires.
	ReminderMinutes int        `json:"reminder_minutes"`
	Late            LatePolicy `json:"late_policy"`
	Guidelines      Guidelines `json:"guidelines,omitzero"`
	// Welcomed is set once the user has seen the first-start welcome.
	Welcomed bool `json:"welcomed,omitempty"`
	// WorkStart and WorkEnd are the user's working day, Monday to Friday,
	// which the week shades; both zero means DefaultWorkStart to
	// DefaultWorkEnd (see WorkHours).
	WorkStart ClockTime `json:"work_start,omitzero"`
	WorkEnd   ClockTime `json:"work_end,omitzero"`
	// NoSlotReminders turns off the desktop notification Kaiku shows when
	// a slot begins while it runs.
	NoSlotReminders bool `json:"no_slot_reminders,omitempty"`
}

// The working day when the user has not set one.
var (
	DefaultWorkStart = ClockTime{Hour: 8}
	DefaultWorkEnd   = ClockTime{Hour: 16}
)

// WorkHours is the user's working day: the one set, or the default.
func (s Settings) WorkHours() (start, end ClockTime) {
	if s.WorkStart == (ClockTime{}) && s.WorkEnd == (ClockTime{}) {
		return DefaultWorkStart, DefaultWorkEnd
	}
	return s.WorkStart, s.WorkEnd
}

// DefaultSettings are the settings of a new data folder.
func DefaultSettings() Settings {
	return Settings{ReminderMinutes: 10, Late: LateAsk}
}

// MaxReminderMinutes bounds the reminder lead: one week.
const MaxReminderMinutes = 7 * 24 * 60

// Validate checks the settings.
func (s Settings) Validate() error {
	switch s.Language {
	case "", "fi", "en":
	default:
		return invalid("language", "error.language", "the language is fi or en")
	}
	if s.TimeZone != "" {
		if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "Local" {
			return invalid("time_zone", "error.timezone", "unknown time zone "+s.TimeZone)
		}
	}
	if s.ReminderMinutes < 0 || s.ReminderMinutes > MaxReminderMinutes {
		return invalid("reminder_minutes", "error.reminder", "the reminder is from 0 minutes to a week before")
	}
	if start, end := s.WorkHours(); !start.Valid() || !end.Valid() || end.Minutes() <= start.Minutes() {
		return invalid("work_hours", "error.work_hours", "the working day ends after it starts")
	}
	switch s.Late {
	case LatePublish, LateAsk, LateSkip:
	default:
		return invalid("late_policy", "error.late", "unknown late-post policy")
	}
	return nil
}

// Location returns the settings' time zone, or fallback when none is set or
// it cannot be loaded.
func (s Settings) Location(fallback *time.Location) *time.Location {
	if s.TimeZone != "" {
		if loc, err := time.LoadLocation(s.TimeZone); err == nil {
			return loc
		}
	}
	return fallback
}
