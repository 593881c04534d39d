package ical_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
)

// plan20 is a busy week: four slots on each working day.
func plan20() planner.SlotPlan {
	p := planner.SlotPlan{ID: "busy", TimeZone: "Europe/Helsinki"}
	purposes := planner.Purposes()
	roles := planner.Roles()
	for d := time.Monday; d <= time.Friday; d++ {
		for i, h := range []int{8, 10, 13, 15} {
			n := int(d)*4 + i
			s := slot(fmt.Sprintf("s%02d", n), d, h, 15*(i%4), 15+5*(i%3), purposes[n%len(purposes)], roles[n%len(roles)])
			s.Changed = changedAt
			p.Slots = append(p.Slots, s)
		}
	}
	return p
}

// year20 is a year of plan20 from 2026-W49, with a post in every tenth
// occurrence and a skip and a move every month.
func year20(b testing.TB) (planner.SlotPlan, []planner.SlotException, []planner.Post, ical.Options) {
	plan := plan20()
	opt := options(b, "fi")
	opt.Weeks = 52
	occ, err := plan.Occurrences(opt.From, opt.From.AddDate(0, 0, 7*52), nil)
	if err != nil {
		b.Fatal(err)
	}
	var exc []planner.SlotException
	var posts []planner.Post
	for i, o := range occ {
		switch {
		case i%10 == 3:
			posts = append(posts, planner.Post{ID: fmt.Sprintf("p%d", i), OccurrenceID: o.ID, Status: planner.StatusDraft,
				Text: "Tämän viikon nosto: älykäs sähkönkulutus, sää & kiitokset 🙏\nLue lisää: https://example.org/" + o.Date, Updated: changedAt})
		case i%80 == 7:
			exc = append(exc, planner.SlotException{OccurrenceID: o.ID, Skip: true, Updated: changedAt})
		case i%80 == 17:
			exc = append(exc, planner.SlotException{OccurrenceID: o.ID, MoveTo: o.Start.Add(90 * time.Minute), Updated: changedAt})
		}
	}
	return plan, exc, posts, opt
}

// BenchmarkExport52Weeks20Slots: the budget is 50 ms an export.
func BenchmarkExport52Weeks20Slots(b *testing.B) {
	plan, exc, posts, opt := year20(b)
	if err := ical.Export(io.Discard, plan, exc, posts, opt); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := ical.Export(io.Discard, plan, exc, posts, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExport52Weeks20SlotsRecurring(b *testing.B) {
	plan, exc, posts, opt := year20(b)
	opt.Recurring = true
	b.ReportAllocs()
	for b.Loop() {
		if err := ical.Export(io.Discard, plan, exc, posts, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// TestYear20 checks the benchmark's export as the other tests do.
func TestYear20(t *testing.T) {
	plan, exc, posts, opt := year20(t)
	want, err := ical.Events(plan, exc, posts, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 1000 {
		t.Fatalf("%d events", len(want))
	}
	checkEvents(t, readCalendar(t, export(t, plan, exc, posts, opt), 2040), want, opt, "-PT10M")
	opt.Recurring = true
	checkSeries(t, export(t, plan, exc, posts, opt), plan, exc, posts, opt)
}
