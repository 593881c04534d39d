package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/reading"
	"github.com/kaiku-app/kaiku/storage"
)

// benchStore is a store with a plan of ten slots a week and 10,000 posts,
// 20 a week over ten years around now; start is the first week's Monday.
func benchStore(b *testing.B) (d *Deps, start time.Time, weeks int) {
	d = newDepsTB(b)
	ctx := context.Background()
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki"}
	for i := range 10 {
		plan.Slots = append(plan.Slots, planner.Slot{ID: fmt.Sprintf("s%d", i), Weekday: time.Weekday(1 + i%5), Start: planner.ClockTime{Hour: 8 + i}, Minutes: 30, Purpose: planner.Purposes()[i%4]})
	}
	if err := d.Store.SavePlan(ctx, plan); err != nil {
		b.Fatal(err)
	}
	weeks = 500
	start = planner.WeekStart(now, nil).AddDate(0, 0, -7*weeks/2)
	for i := range 10000 {
		at := start.Add(time.Duration(i) * 504 * time.Minute).Add(7 * time.Hour)
		p := planner.Post{ID: fmt.Sprintf("p%05d", i), Text: fmt.Sprintf("Post %d: kirjastot ja tekoäly", i), Time: at, Status: planner.StatusScheduled, Created: now, Updated: now}
		if err := d.Store.SavePost(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	return d, start, weeks
}

// BenchmarkWeekSwitch measures moving to another week with 10,000 posts in
// the store: the week's query, the review and the calendar's rebuild and
// layout. The posts, 20 a week, span ten years, and each switch goes to a
// week not shown before (up to 500 switches), so no text measurement is
// cached from an earlier visit. The budget is 8 ms: half a frame at 60 Hz.
func BenchmarkWeekSwitch(b *testing.B) {
	test.NewTempApp(b)
	d, start, weeks := benchStore(b)
	ctx := context.Background()
	view := NewWeekView(planner.WeekStart(now, nil), now, helsinki, "en")
	r := test.WidgetRenderer(view)
	size := fyne.NewSize(760, 600)
	view.Resize(size)
	var posts int
	for i := 0; b.Loop(); i++ {
		m := start.AddDate(0, 0, 7*(i%weeks))
		wd, err := planner.LoadWeek(ctx, d.Store, m, helsinki, now)
		if err != nil {
			b.Fatal(err)
		}
		view.Set(m, now, wd.Occurrences, wd.Posts)
		r.Layout(size)
		test.WidgetRenderer(view.body).Layout(fyne.NewSize(size.Width, 24*hourHeight))
		posts += len(wd.Posts)
	}
	b.ReportMetric(float64(posts)/float64(b.N), "posts/week")
}

// BenchmarkMonthSwitch measures moving to another month with 10,000 posts
// in the store: the six weeks' query, the counts and the grid's layout.
// Each switch goes to a month not shown before (up to 110 switches; after
// that the months come round again). The budget is 16 ms.
func BenchmarkMonthSwitch(b *testing.B) {
	test.NewTempApp(b)
	d, start, _ := benchStore(b)
	ctx := context.Background()
	view := NewMonthView(now, now, helsinki)
	r := test.WidgetRenderer(view)
	size := fyne.NewSize(760, 600)
	view.Resize(size)
	first := firstOfMonth(start, helsinki)
	const months = 110
	var items int
	for i := 0; b.Loop(); i++ {
		m := first.AddDate(0, i%months, 0)
		from := planner.WeekStart(m, helsinki)
		days, err := planner.LoadDays(ctx, d.Store, from, from.AddDate(0, 0, 7*monthWeeks), helsinki)
		if err != nil {
			b.Fatal(err)
		}
		view.Set(m, now, helsinki, days.Occurrences, days.Posts)
		r.Layout(size)
		items += len(days.Posts) + len(days.Occurrences)
	}
	b.ReportMetric(float64(items)/float64(b.N), "items/month")
}

// BenchmarkNewWindow builds the main window with all its screens and lays it
// out at 1024×700: the app's own share of the start before the first frame.
func BenchmarkNewWindow(b *testing.B) {
	a := test.NewTempApp(b)
	d := newDepsTB(b)
	b.ReportAllocs()
	for b.Loop() {
		w := NewWindow(a, d)
		w.Resize(fyne.NewSize(1024, 700))
		w.Close()
	}
}

// BenchmarkReadingList5000 opens the reading list with 5,000 unread items
// (ten feeds of 500, the most the retention keeps of a feed) at 1024×700:
// the store's query of the first page, the rows by day and the first
// screenful laid out. The budget is 50 ms.
func BenchmarkReadingList5000(b *testing.B) {
	test.NewTempApp(b)
	d := newDepsTB(b)
	st := d.Store.(*storage.Store)
	d.Reading = reading.New(reading.Options{Store: st, Fetcher: &fakeWeb{}, Now: func() time.Time { return now }, Logger: d.Log})
	ctx := context.Background()
	for f := range 10 {
		feed := planner.Feed{ID: planner.NewID(), Title: fmt.Sprintf("Syöte %d", f), URL: fmt.Sprintf("https://feed%d.example/rss", f), Fetched: now, Created: now}
		if _, _, err := st.AddFeed(ctx, feed); err != nil {
			b.Fatal(err)
		}
		items := make([]planner.Item, 500)
		for i := range items {
			link := fmt.Sprintf("https://feed%d.example/%d", f, i)
			items[i] = planner.Item{
				ID: planner.ItemID(feed.ID, link), FeedID: feed.ID, Title: fmt.Sprintf("Juttu %d syötteestä %d: kirjastot ja tekoäly", i, f), URL: link,
				Published: now.Add(-time.Duration(i*10+f) * time.Minute), Summary: "Tiivistelmä, jossa on muutama lause siitä, mistä juttu kertoo.", Added: now,
			}
		}
		if _, err := st.AddItems(ctx, feed.ID, items, now); err != nil {
			b.Fatal(err)
		}
	}
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 700))
	b.ReportAllocs()
	for b.Loop() {
		s := NewReadingScreen(d, w, &signal{}, &zone{loc: helsinki})
		w.SetContent(s)
		if len(s.Items()) != readingPage {
			b.Fatalf("%d items listed, want the first page", len(s.Items()))
		}
	}
}
