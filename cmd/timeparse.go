package cmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// Layouts accepted for a date and time, in the user's zone unless it names its own offset.
var dateTimeLayouts = []string{
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02 15:04:05",
}

// parseDateTime reads an ISO 8601 date and time; one without an offset is
// local to loc, placed by planner.LocalTime, the rule slots follow too: a
// time the clocks jump over is the first instant after the jump, and note
// says so. A date that does not exist (2026-02-30) is an error.
func parseDateTime(s string, loc *time.Location) (t time.Time, note *planner.TimeNote, err error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil, nil
	}
	for _, layout := range dateTimeLayouts {
		// Read as clock fields alone; the zone's rule places them.
		w, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		t, note := planner.LocalTime(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), loc)
		if note == nil {
			t = t.Add(time.Duration(w.Second()) * time.Second)
		}
		return t, note, nil
	}
	return time.Time{}, nil, userErrorf(nil, "error.datetime", "{{.Value}} is not a date and time; write it like 2026-12-01T09:00", map[string]any{"Value": s})
}

// parseDate reads an ISO 8601 date as the start of that day in loc.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	d, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, userErrorf(nil, "error.date", "{{.Value}} is not a date; write it like 2026-12-01", map[string]any{"Value": s})
	}
	t, _ := planner.LocalTime(d.Year(), d.Month(), d.Day(), 0, 0, loc)
	return t, nil
}

// tellTime tells the user, on stderr, where a time they gave was put when
// it was not a plain one.
func tellTime(e *env, note *planner.TimeNote) {
	if note != nil {
		fmt.Fprintln(e.stderr, "kaiku:", tr(note.Key, note.Key, note.Data))
	}
}
