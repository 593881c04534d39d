package ical_test

import (
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

// dstPlan has slots on the weekend the clocks change, one of them at 03:30,
// which Helsinki skips in March and has twice in October.
func dstPlan() planner.SlotPlan {
	return planner.SlotPlan{ID: "dst", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		slot("sat", time.Saturday, 9, 0, 30, planner.PurposeWrite, planner.RoleInforming),
		slot("sun-night", time.Sunday, 3, 30, 60, planner.PurposeFollow, planner.RoleInterests),
		slot("sun", time.Sunday, 9, 0, 30, planner.PurposeShare, planner.RoleAdvising),
		slot("mon", time.Monday, 9, 0, 30, planner.PurposeConverse, planner.RoleNetworking),
	}}
}

func TestHelsinkiDSTWeeks(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	for _, tc := range []struct {
		name string
		from time.Time
		// the start of each occurrence, in UTC, in order
		utc []string
		// local DTSTARTs in the zone form
		local    []string
		vtimezon []string
	}{
		{
			name: "autumn 2026-10-25", from: time.Date(2026, 10, 22, 0, 0, 0, 0, hel),
			// 09:00 EEST is 06:00Z; 03:30 happens twice and the first (EEST) counts; then EET.
			utc:   []string{"20261024T060000Z", "20261025T003000Z", "20261025T070000Z", "20261026T070000Z"},
			local: []string{"20261024T090000", "20261025T033000", "20261025T090000", "20261026T090000"},
			vtimezon: []string{
				"BEGIN:DAYLIGHT\r\nDTSTART:20260329T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZNAME:EEST\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nEND:DAYLIGHT\r\n",
				"BEGIN:STANDARD\r\nDTSTART:20261025T040000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZNAME:EET\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\n",
			},
		},
		{
			name: "spring 2026-03-29", from: time.Date(2026, 3, 26, 0, 0, 0, 0, hel),
			// 03:30 does not exist: Kaiku holds the slot at 04:00 EEST (01:00Z).
			utc:   []string{"20260328T070000Z", "20260329T010000Z", "20260329T060000Z", "20260330T060000Z"},
			local: []string{"20260328T090000", "20260329T040000", "20260329T090000", "20260330T090000"},
			vtimezon: []string{
				"BEGIN:STANDARD\r\nDTSTART:20251026T040000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZNAME:EET\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\n",
				"BEGIN:DAYLIGHT\r\nDTSTART:20260329T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZNAME:EEST\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nEND:DAYLIGHT\r\n",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := options(t, "en")
			opt.From, opt.Weeks = tc.from, 1
			want, err := ical.Events(dstPlan(), nil, nil, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) != 4 {
				t.Fatalf("%d occurrences, want 4", len(want))
			}
			to := tc.from.AddDate(0, 0, 7)

			t.Run("utc", func(t *testing.T) {
				o := opt
				o.UTC = true
				s := export(t, dstPlan(), nil, nil, o)
				c := readCalendar(t, s, 2030)
				checkEvents(t, c, want, o, "-PT10M")
				for i, ev := range c.events {
					if got := one(t, ev.Props, goical.PropDateTimeStart); got != tc.utc[i] {
						t.Errorf("event %d DTSTART %s, want %s", i, got, tc.utc[i])
					}
				}
			})
			t.Run("zone", func(t *testing.T) {
				s := export(t, dstPlan(), nil, nil, opt)
				c := readCalendar(t, s, 2030)
				checkEvents(t, c, want, opt, "-PT10M")
				for i, ev := range c.events {
					p := ev.Props.Get(goical.PropDateTimeStart)
					if p.Value != tc.local[i] || p.Params.Get("TZID") != "Europe/Helsinki" {
						t.Errorf("event %d DTSTART;TZID=%s:%s, want %s", i, p.Params.Get("TZID"), p.Value, tc.local[i])
					}
				}
				for _, v := range tc.vtimezon {
					if !strings.Contains(s, v) {
						t.Errorf("the VTIMEZONE lacks\n%s", v)
					}
				}
				c.tz.checkZone(t, hel, tc.from.AddDate(0, -1, 0), to.AddDate(1, 0, 0))
			})
			t.Run("recurring", func(t *testing.T) {
				o := opt
				o.Recurring = true
				s := export(t, dstPlan(), nil, nil, o)
				checkSeries(t, s, dstPlan(), nil, nil, o)
				if tc.name[:6] == "spring" && !strings.Contains(s, "RECURRENCE-ID;TZID=Europe/Helsinki:20260329T033000\r\n") {
					t.Errorf("the instance in the gap has no override")
				}
			})
		})
	}
}

// TestZones holds the VTIMEZONE to Go's zone data, and every time written
// to the occurrences, in zones of every shape: northern and southern
// daylight-saving time, half-hour changes, none at all, and irregular ones.
func TestZones(t *testing.T) {
	for _, tc := range []struct {
		zone       string
		components int  // STANDARD and DAYLIGHT components; 0: do not check
		rules      bool // written as yearly rules
	}{
		{"Europe/Helsinki", 2, true},
		{"America/New_York", 2, true},
		{"Australia/Sydney", 2, true},
		{"Australia/Lord_Howe", 2, true},
		{"Pacific/Chatham", 2, true},
		{"America/Santiago", 0, false},
		{"Europe/Dublin", 2, true},
		{"Asia/Tokyo", 1, false},
		{"Asia/Kolkata", 1, false},
		{"Asia/Tehran", 1, false},
		{"Africa/Casablanca", 0, false},
		{"America/Sao_Paulo", 1, false},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			loc := mustLoad(t, tc.zone)
			plan := planner.SlotPlan{ID: "z", TimeZone: tc.zone, Slots: []planner.Slot{
				slot("a", time.Sunday, 2, 30, 60, planner.PurposeFollow, planner.RoleInforming),
				slot("b", time.Tuesday, 9, 0, 30, planner.PurposeWrite, planner.RoleInforming),
			}}
			for _, from := range []time.Time{time.Date(2026, 1, 5, 0, 0, 0, 0, loc), time.Date(2026, 7, 6, 0, 0, 0, 0, loc)} {
				opt := options(t, "en")
				opt.From, opt.Weeks = from, 52
				to := from.AddDate(0, 0, 7*52)

				s := export(t, plan, nil, nil, opt)
				c := readCalendar(t, s, 2045)
				want, err := ical.Events(plan, nil, nil, opt)
				if err != nil {
					t.Fatal(err)
				}
				checkEvents(t, c, want, opt, "-PT10M")
				c.tz.checkZone(t, loc, from, to)
				tz := c.cal.Children[0]
				if tc.components > 0 && len(tz.Children) != tc.components {
					t.Errorf("%d observances, want %d:\n%s", len(tz.Children), tc.components, s[:min(len(s), 1500)])
				}
				for _, o := range tz.Children {
					if (o.Props.Get(goical.PropRecurrenceRule) != nil) != tc.rules {
						t.Errorf("observance RRULE %v, want %v", o.Props.Get(goical.PropRecurrenceRule) != nil, tc.rules)
					}
				}

				opt.Recurring = true
				rs := export(t, plan, nil, nil, opt)
				rc := checkSeries(t, rs, plan, nil, nil, opt)
				// A series has no end: the zone must be right for years on.
				rc.tz.checkZone(t, loc, from, from.AddDate(10, 0, 0))
			}
		})
	}
}
