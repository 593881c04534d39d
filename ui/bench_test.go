package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/planner"
)

// BenchmarkWeekSwitch measures moving to another week with 10,000 posts in
// the store: the week's query, the review and the calendar's rebuild and
// layout. The budget is 16 ms (one frame at 60 Hz) for the median.
func BenchmarkWeekSwitch(b *testing.B) {
	test.NewTempApp(b)
	d := newDepsTB(b)
	ctx := context.Background()
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki"}
	for i := range 10 {
		plan.Slots = append(plan.Slots, planner.Slot{ID: fmt.Sprintf("s%d", i), Weekday: time.Weekday(1 + i%5), Start: planner.ClockTime{Hour: 8 + i}, Minutes: 30, Purpose: planner.Purposes()[i%4]})
	}
	if err := d.Store.SavePlan(ctx, plan); err != nil {
		b.Fatal(err)
	}
	// 10,000 posts, about 96 a week over two years around now.
	start := now.AddDate(-1, 0, 0)
	for i := range 10000 {
		at := start.Add(time.Duration(i) * 105 * time.Minute)
		p := planner.Post{ID: fmt.Sprintf("p%05d", i), Text: fmt.Sprintf("Post %d: kirjastot ja tekoäly", i), Time: at, Status: planner.StatusScheduled, Created: now, Updated: now}
		if err := d.Store.SavePost(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	view := NewWeekView(weekStart(now), now, helsinki, "en")
	r := test.WidgetRenderer(view)
	size := fyne.NewSize(760, 600)
	view.Resize(size)
	monday := weekStart(now)
	var posts int
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m := monday.AddDate(0, 0, 7*(i%20-10))
		wd, err := loadWeek(ctx, d, m)
		if err != nil {
			b.Fatal(err)
		}
		view.Set(m, now, wd.occs, wd.posts)
		r.Layout(size)
		test.WidgetRenderer(view.body).Layout(fyne.NewSize(size.Width, 24*hourHeight))
		posts += len(wd.posts)
	}
	b.ReportMetric(float64(posts)/float64(b.N), "posts/week")
}
