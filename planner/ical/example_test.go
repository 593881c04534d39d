package ical_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

func ExampleExport() {
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{{
		ID: "tue", Weekday: time.Tuesday, Start: planner.ClockTime{Hour: 9}, Minutes: 30,
		Purpose: planner.PurposeWrite, Role: planner.RoleInforming,
	}}}
	english := map[string]string{"purpose.write": "Write", "role.informing.name": "Informing"}
	opt := ical.Options{
		From:            time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Weeks:           2,
		ReminderMinutes: 10,
		Now:             time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC),
		// The app passes lang.L; this one knows two texts and the summary.
		Translate: func(key string, data map[string]any) string {
			if key == ical.KeySummary {
				return fmt.Sprintf("%s (%s)", data["Purpose"], data["Role"])
			}
			if s, ok := english[key]; ok {
				return s
			}
			return key
		},
	}
	var b bytes.Buffer
	if err := ical.Export(&b, plan, nil, nil, opt); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(b.String(), "\r\n") {
		for _, p := range []string{"UID", "DTSTART;", "SUMMARY", "TRIGGER"} {
			if strings.HasPrefix(line, p) {
				fmt.Println(line)
			}
		}
	}
	// Output:
	// DTSTART;TZID=Europe/Helsinki:20261201T090000
	// SUMMARY:Write (Informing)
	// UID:tue@2026-12-01@kaiku
	// TRIGGER:-PT10M
	// DTSTART;TZID=Europe/Helsinki:20261208T090000
	// SUMMARY:Write (Informing)
	// UID:tue@2026-12-08@kaiku
	// TRIGGER:-PT10M
}

func ExampleGoogleCalendarURL() {
	hel, _ := time.LoadLocation("Europe/Helsinki")
	ev := ical.Event{
		Summary:     "Kaiku: Kirjoita",
		Description: "Aika kirjoittaa oma julkaisu.",
		Start:       time.Date(2026, 12, 1, 9, 0, 0, 0, hel),
		End:         time.Date(2026, 12, 1, 9, 30, 0, 0, hel),
	}
	fmt.Println(ical.GoogleCalendarURL(ev))
	fmt.Println(ical.OutlookURL(ev))
	// Output:
	// https://calendar.google.com/calendar/render?action=TEMPLATE&text=Kaiku:%20Kirjoita&dates=20261201T070000Z/20261201T073000Z&details=Aika%20kirjoittaa%20oma%20julkaisu.
	// https://outlook.live.com/calendar/0/deeplink/compose?subject=Kaiku:%20Kirjoita&startdt=2026-12-01T07:00:00Z&enddt=2026-12-01T07:30:00Z&body=Aika%20kirjoittaa%20oma%20julkaisu.&path=/calendar/action/compose&rru=addevent
}
