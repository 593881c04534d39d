package cmd

import (
	"strings"
	"time"
)

// Layouts accepted for a date and time, in the user's zone unless it names its own offset.
var dateTimeLayouts = []string{
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02 15:04:05",
}

// parseDateTime reads an ISO 8601 date and time; one without an offset is
// local to loc. A date that does not exist (2026-02-30) is an error.
func parseDateTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range dateTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, userErrorf(nil, "error.datetime", "{{.Value}} is not a date and time; write it like 2026-12-01T09:00", map[string]any{"Value": s})
}

// parseDate reads an ISO 8601 date as midnight in loc.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), loc)
	if err != nil {
		return time.Time{}, userErrorf(nil, "error.date", "{{.Value}} is not a date; write it like 2026-12-01", map[string]any{"Value": s})
	}
	return t, nil
}
