package planner

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// CalendarKind says where a work calendar is read from.
type CalendarKind string

// The calendar kinds.
const (
	// CalendarFile is an .ics file on this computer, read again on each refresh.
	CalendarFile CalendarKind = "file"
	// CalendarURL is an address that serves one (Outlook's published
	// calendar, Google's secret address in iCal format), fetched with a
	// conditional GET.
	CalendarURL CalendarKind = "url"
)

// CalendarSource is a work calendar Kaiku reads busy time from. It holds the
// address and what the last refresh learned, nothing of the calendar's
// content: the busy intervals are stored apart (BusyWindow), and titles,
// attendees, locations and descriptions are never kept at all.
type CalendarSource struct {
	ID   string       `json:"id"`
	Kind CalendarKind `json:"kind"`
	// Address is the file's absolute path or the http(s) URL.
	Address string `json:"address"`
	// ETag and LastModified are the server's validators from the last
	// fetch, sent back so that an unchanged calendar costs one short answer.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Refreshed is when the busy time was last read successfully (or the
	// server said it had not changed); zero before the first time.
	Refreshed time.Time `json:"refreshed,omitzero"`
	// LastError says why the last refresh failed, for the user; empty when it worked.
	LastError string `json:"last_error,omitempty"`
	// Skipped counts the events the last successful read could not
	// understand (an unknown recurrence, a broken date); the rest counted.
	Skipped int `json:"skipped,omitempty"`
	// KnownUntil is the end of the span whose busy time is stored: a
	// refresh reads anew, not only when the calendar changed, before it runs out.
	KnownUntil time.Time `json:"known_until,omitzero"`
	Added      time.Time `json:"added"`
}

// MaxCalendarAddress bounds a calendar's path or URL, in bytes.
const MaxCalendarAddress = 2048

// Validate checks the source.
func (c CalendarSource) Validate() error {
	if !validID(c.ID) {
		return invalid("id", "error.id", "missing or malformed calendar id")
	}
	if len(c.Address) > MaxCalendarAddress || strings.ContainsAny(c.Address, "\x00\r\n") {
		return invalid("address", "error.calendar.address", "the calendar's address is too long or broken")
	}
	switch c.Kind {
	case CalendarFile:
		if !filepath.IsAbs(c.Address) {
			return invalid("address", "error.calendar.address", "a calendar file needs its full path")
		}
	case CalendarURL:
		if !WebAddress(c.Address) {
			return invalid("address", "error.calendar.address", "a calendar address starts with https:// or http://")
		}
	default:
		return invalid("kind", "error.calendar.kind", "a calendar is a file or an address")
	}
	if c.Skipped < 0 {
		return invalid("skipped", "error.calendar.address", "a count cannot be negative")
	}
	return nil
}

// WebAddress reports whether s is an absolute http or https URL with a host.
// webcal:// (how calendar apps hand out subscription links) is not: callers
// rewrite it to https first.
func WebAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// Label is how the source is shown: a URL without its query, which often
// holds the calendar's secret, or the file's path.
func (c CalendarSource) Label() string {
	if c.Kind != CalendarURL {
		return c.Address
	}
	u, err := url.Parse(c.Address)
	if err != nil {
		return c.Address
	}
	u.RawQuery, u.Fragment = "", ""
	if p := []rune(u.Path); len(p) > 24 {
		// Outlook's and Google's paths are secrets too: show their start only.
		u.Path = string(p[:20]) + "…"
	}
	return u.String()
}

// BusyWindow is one calendar's busy time over the span a refresh read:
// merged intervals that overlap [From, To). Outside the span nothing is known.
type BusyWindow struct {
	SourceID  string         `json:"source_id"`
	From      time.Time      `json:"from"`
	To        time.Time      `json:"to"`
	Intervals []BusyInterval `json:"intervals"`
}

// MaxBusyIntervals bounds one calendar's stored intervals; a refresh reads
// about half a year, where even a full calendar has a few thousand.
const MaxBusyIntervals = 10000

// Validate checks the window.
func (w BusyWindow) Validate() error {
	if !validID(w.SourceID) {
		return invalid("source_id", "error.id", "missing or malformed calendar id")
	}
	if !w.From.Before(w.To) {
		return invalid("window", "error.calendar.window", "the busy window ends before it starts")
	}
	if len(w.Intervals) > MaxBusyIntervals {
		return invalid("intervals", "error.calendar.too_busy", "the calendar has more busy times than Kaiku keeps")
	}
	for i, b := range w.Intervals {
		if !b.Start.Before(b.End) || (i > 0 && b.Start.Before(w.Intervals[i-1].End)) {
			return invalid("intervals", "error.calendar.window", "busy intervals out of order")
		}
	}
	return nil
}

// CalendarStore keeps the work calendars' sources and their busy time.
type CalendarStore interface {
	// SaveCalendarSource creates or replaces the source; its busy time stays.
	SaveCalendarSource(ctx context.Context, c CalendarSource) error
	// SaveCalendarBusy replaces the source's busy time and saves the source
	// with KnownUntil set to w.To, in one transaction, so that validators
	// and intervals always match. The source must be stored: a refresh that
	// ends after the calendar was removed gets ErrNotFound and brings nothing back.
	SaveCalendarBusy(ctx context.Context, c CalendarSource, w BusyWindow) error
	// UpdateCalendarSource reads the source, lets change edit it and saves
	// it in one transaction (ErrNotFound when it is gone); its busy time stays.
	UpdateCalendarSource(ctx context.Context, id string, change func(*CalendarSource)) (CalendarSource, error)
	CalendarSource(ctx context.Context, id string) (CalendarSource, error)
	CalendarSources(ctx context.Context) ([]CalendarSource, error)
	// DeleteCalendarSource removes the source and its busy time together.
	DeleteCalendarSource(ctx context.Context, id string) error
	// BusyBetween returns the busy time of every source that overlaps
	// [from, to), merged (MergeBusy).
	BusyBetween(ctx context.Context, from, to time.Time) ([]BusyInterval, error)
}
