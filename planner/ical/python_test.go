package ical_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"
)

// pythonCheck reads a calendar with Python's icalendar library (Debian's
// python3-icalendar) and prints, as JSON, each VEVENT's UID, RECURRENCE-ID,
// start in UTC, texts and alarms, and any parse errors.
const pythonCheck = `
import json, sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
errors, events = [], []
for c in cal.walk():
    errors += ["%s: %s" % (c.name, e) for e in getattr(c, "errors", [])]
for ev in cal.walk("VEVENT"):
    start = ev.decoded("dtstart")
    events.append({
        "uid": str(ev.get("uid")),
        "rid": ev["recurrence-id"].to_ical().decode() if "recurrence-id" in ev else "",
        "start": start.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
        "summary": str(ev.get("summary")),
        "description": str(ev.get("description")),
        "alarms": len(ev.walk("VALARM")),
        "rrule": ev["rrule"].to_ical().decode() if "rrule" in ev else "",
    })
print(json.dumps({"errors": errors, "events": events}))
`

type pyEvent struct {
	UID, Rid, Start, Summary, Description, Rrule string
	Alarms                                       int
}

// python finds a python3 that has icalendar: KAIKU_PYTHON when set, else the
// one on PATH or the system's (a version manager's python3 may lack
// Debian's packages). Where none has it the test is skipped, except in CI,
// where it must run.
func python(t *testing.T) string {
	t.Helper()
	candidates := []string{"python3", "/usr/bin/python3"}
	if p := os.Getenv("KAIKU_PYTHON"); p != "" {
		candidates = []string{p}
	}
	for _, name := range candidates {
		path, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import icalendar").Run() == nil {
			return path
		}
	}
	msg := "no python3 with the icalendar module (tried " + strings.Join(candidates, ", ") + "): install python3-icalendar"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func TestPythonIcalendarParses(t *testing.T) {
	py := python(t)
	for _, tc := range []struct {
		name string
		rec  bool
		utc  bool
		zone string
	}{
		{"single zone", false, false, "Europe/Helsinki"},
		{"single utc", false, true, "Europe/Helsinki"},
		{"recurring", true, false, "Europe/Helsinki"},
		{"new york", false, false, "America/New_York"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := options(t, "fi")
			opt.Recurring, opt.UTC = tc.rec, tc.utc
			plan := plan5()
			plan.TimeZone = tc.zone
			opt.From = time.Date(2026, 11, 30, 0, 0, 0, 0, mustLoad(t, tc.zone))
			s := export(t, plan, exceptions5(t), posts5(), opt)

			cmd := exec.Command(py, "-c", pythonCheck)
			cmd.Stdin = strings.NewReader(s)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("icalendar: %v\n%s", err, stderr.String())
			}
			var got struct {
				Errors []string
				Events []pyEvent
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if len(got.Errors) > 0 {
				t.Errorf("icalendar reports %q", got.Errors)
			}

			c := readCalendar(t, s, 2030)
			if len(got.Events) != len(c.events) {
				t.Fatalf("icalendar reads %d VEVENTs, go-ical %d", len(got.Events), len(c.events))
			}
			wantCount := 19
			if tc.rec {
				wantCount = 5 + 3 // five series, two posts and a move
			}
			if len(got.Events) != wantCount {
				t.Errorf("%d VEVENTs, want %d", len(got.Events), wantCount)
			}
			for i, pe := range got.Events {
				ev := c.events[i]
				start := c.instant(t, ev.Props.Get(goical.PropDateTimeStart)).UTC().Format("20060102T150405Z")
				if pe.UID != text(t, ev.Props, goical.PropUID) || pe.Start != start ||
					pe.Summary != text(t, ev.Props, goical.PropSummary) ||
					pe.Description != text(t, ev.Props, goical.PropDescription) || pe.Alarms != 1 {
					t.Errorf("icalendar reads event %d as %+v; go-ical starts it %s", i, pe, start)
				}
				if tc.rec && pe.Rrule == "" && pe.Rid == "" {
					t.Errorf("event %d is neither a series nor an override", i)
				}
			}
		})
	}
}
