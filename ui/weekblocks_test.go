package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/planner"
)

// layoutWeek lays a view out at a usual size and returns its items.
func layoutWeek(t *testing.T, v *WeekView) []weekItem {
	t.Helper()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(760, 520))
	test.WidgetRenderer(v.body).Layout(fyne.NewSize(744, 24*hourHeight))
	return v.body.items
}

func TestOverlappingItemsShareTheColumnSideBySide(t *testing.T) {
	test.NewTempApp(t)
	monday := time.Date(2026, 11, 30, 0, 0, 0, 0, helsinki)
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, helsinki)
	occ := planner.Occurrence{ID: "s@mon", Start: start, End: start.Add(time.Hour), Minutes: 60, Purpose: planner.PurposeWrite}
	posts := []planner.Post{
		{ID: "p1", Time: start, Status: planner.StatusScheduled, Text: "In the slot", OccurrenceID: "s@mon"},
		{ID: "p2", Time: start.Add(15 * time.Minute), Status: planner.StatusDraft, Text: "Beside it"},
		{ID: "p3", Time: start.Add(3 * time.Hour), Status: planner.StatusDraft, Text: "Alone later"},
	}
	v := NewWeekView(monday, now, helsinki, "en")
	v.Set(monday, now, []planner.Occurrence{occ}, posts)
	items := layoutWeek(t, v)
	slot, inSlot, beside, alone := items[0], items[1], items[2], items[3]
	col := (v.body.Size().Width - gutterWidth) / 7
	for _, pair := range [][2]weekItem{{slot, inSlot}, {slot, beside}, {inSlot, beside}} {
		a, b := pair[0], pair[1]
		if a.Position().X+a.Size().Width > b.Position().X && b.Position().X+b.Size().Width > a.Position().X {
			t.Errorf("%q and %q cover each other: x %v+%v and %v+%v", a.tip(), b.tip(), a.Position().X, a.Size().Width, b.Position().X, b.Size().Width)
		}
	}
	if w := slot.Size().Width; w > col/3 {
		t.Errorf("the slot is %v wide beside two posts in a column of %v", w, col)
	}
	if w := alone.Size().Width; w < col-10 {
		t.Errorf("a post alone is %v wide in a column of %v", w, col)
	}
	if h := slot.Size().Height; h != hourHeight {
		t.Errorf("an hour's slot is %v high, want %v", h, hourHeight)
	}
}

func TestOnlyScheduledOrPublishedPostsFillASlot(t *testing.T) {
	test.NewTempApp(t)
	monday := time.Date(2026, 11, 30, 0, 0, 0, 0, helsinki)
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, helsinki)
	occ := planner.Occurrence{ID: "s@mon", Start: start, End: start.Add(30 * time.Minute), Minutes: 30, Purpose: planner.PurposeShare}
	for _, c := range []struct {
		status planner.Status
		want   string
	}{
		{planner.StatusDraft, "+ Share"},
		{planner.StatusIdea, "+ Share"},
		{planner.StatusScheduled, "✓ Share"},
		{planner.StatusPublished, "✓ Share"},
	} {
		v := NewWeekView(monday, now, helsinki, "en")
		v.Set(monday, now, []planner.Occurrence{occ}, []planner.Post{{ID: "p", Time: start, Status: c.status, OccurrenceID: occ.ID}})
		if got := v.body.items[0].(*slotBlock).text(); got != c.want {
			t.Errorf("with a %s post the slot reads %q, want %q", c.status, got, c.want)
		}
	}
}

func TestBlockTextsWrapBeforeTheyAreCut(t *testing.T) {
	test.NewTempApp(t)
	const size = 12
	text := "Three things we learned about AI in libraries this autumn"
	width := fyne.MeasureText("Three things we", size, fyne.TextStyle{}).Width + 2
	lines := wrapText(text, size, width, 10)
	if strings.Join(lines, " ") != text {
		t.Fatalf("wrapped into %q, which does not read as the text", lines)
	}
	if len(lines) < 3 {
		t.Fatalf("wrapped into %d lines: %q", len(lines), lines)
	}
	for _, l := range lines {
		if w := fyne.MeasureText(l, size, fyne.TextStyle{}).Width; w > width+1 {
			t.Errorf("line %q is %v wide, more than %v", l, w, width)
		}
	}
	cut := wrapText(text, size, width, 2)
	if len(cut) != 2 || cut[0] != lines[0] || !strings.HasSuffix(cut[1], "…") {
		t.Errorf("two lines of it read %q", cut)
	}
	if got := wrapText("Supercalifragilisticexpialidocious", size, 40, 5); len(got) < 2 || strings.Join(got, "") != "Supercalifragilisticexpialidocious" {
		t.Errorf("a word wider than the block breaks into %q", got)
	}
}

func TestHoverShowsTheWholeItem(t *testing.T) {
	test.NewTempApp(t)
	occs, posts := weekFixture()
	posts[0].Text = "Three things about AI in libraries\nThe first: people ask better questions than we feared."
	monday := time.Date(2026, 11, 30, 0, 0, 0, 0, helsinki)
	v := NewWeekView(monday, now, helsinki, "en")
	v.Set(monday, now, occs, posts)
	items := layoutWeek(t, v)
	var chip *postChip
	for _, it := range items {
		if c, ok := it.(*postChip); ok && c.post.ID == "p1" {
			chip = c
		}
	}
	chip.MouseIn(nil)
	tip := v.body.tip
	if !tip.Visible() {
		t.Fatal("no tip while the pointer is on the post")
	}
	for _, want := range []string{"Mon 30 Nov 08:00", "Scheduled", "Three things about AI in libraries", "people ask better questions"} {
		if !strings.Contains(tip.Text(), want) {
			t.Errorf("the tip %q does not say %q", tip.Text(), want)
		}
	}
	if tip.Position().X < chip.Position().X+chip.Size().Width && tip.Position().X+tip.Size().Width > chip.Position().X {
		t.Error("the tip covers the post it is about")
	}
	chip.MouseOut()
	if tip.Visible() {
		t.Error("the tip stays after the pointer left")
	}
}

func TestTappingAnEmptyPlaceStartsAPostAtThatTime(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 700))
	body := w.Week.view.body
	col := (body.Size().Width - gutterWidth) / 7
	body.Tapped(&fyne.PointEvent{Position: fyne.NewPos(gutterWidth+3*col+5, 14.5*hourHeight)})
	if w.nav.SelectedIndex() != screenCompose {
		t.Fatal("the composer did not open")
	}
	c := w.Composer()
	if day, err := c.date.Value(); err != nil || day == nil || day.Day() != 3 || c.clock.Text != "14:30" {
		t.Errorf("the new post is at %v (%v) %q, want Thursday 3 December 14:30", day, err, c.clock.Text)
	}
}

func TestDraggingAPostNamesWhereItLandsAndTheMoveCanBeUndone(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	p := savePost(t, d, "Move me", time.Date(2026, 12, 1, 9, 0, 0, 0, helsinki))
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 700))
	body := w.Week.view.body
	test.WidgetRenderer(body).Layout(body.Size())
	var chip *postChip
	for _, it := range body.items {
		if c, ok := it.(*postChip); ok {
			chip = c
		}
	}
	col := (body.Size().Width - gutterWidth) / 7
	chip.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: col, DY: 2 * hourHeight}})
	if got := chip.head(); got != "→ Wed 11:00" {
		t.Errorf("while dragged the post says %q", got)
	}
	chip.DragEnd()
	moved, _ := d.Store.Post(context.Background(), p.ID)
	if want := time.Date(2026, 12, 2, 11, 0, 0, 0, helsinki); !moved.Time.Equal(want) {
		t.Fatalf("dropped at %v, want %v", moved.Time, want)
	}
	if !w.Week.undo.Visible() || !strings.Contains(w.Week.undo.Text, "Wed 11:00") {
		t.Fatalf("no undo after the move (%q)", w.Week.undo.Text)
	}
	w.Week.UndoMove()
	back, _ := d.Store.Post(context.Background(), p.ID)
	if !back.Time.Equal(p.Time) || w.Week.undo.Visible() {
		t.Errorf("after Undo the post is at %v, undo shown %v", back.Time, w.Week.undo.Visible())
	}
}

func TestBusyTimeIsShadedAndAConflictMovesToTheNearestFreeTime(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ctx := context.Background()
	savePlan(t, d, planner.Slot{ID: "mon", Weekday: time.Monday, Start: planner.ClockTime{Hour: 9}, Minutes: 30, Purpose: planner.PurposeWrite})
	at := func(h, m int) time.Time { return time.Date(2026, 11, 30, h, m, 0, 0, helsinki) }
	src := planner.CalendarSource{ID: "work", Kind: planner.CalendarFile, Address: "/home/me/work.ics", Added: now}
	if err := d.Store.SaveCalendarSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	win := planner.BusyWindow{SourceID: "work", From: at(0, 0), To: at(0, 0).AddDate(0, 0, 14), Intervals: []planner.BusyInterval{
		{Start: at(8, 30), End: at(9, 45)},
		{Start: at(13, 0), End: at(14, 0), Tentative: true},
	}}
	if err := d.Store.SaveCalendarBusy(ctx, src, win); err != nil {
		t.Fatal(err)
	}
	p := savePost(t, d, "Written for the slot", at(9, 0))
	p.OccurrenceID = planner.OccurrenceID("mon", "2026-11-30")
	if err := d.Store.SavePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 700))
	body := w.Week.view.body
	test.WidgetRenderer(body).Layout(body.Size())
	if len(body.busy) != 2 {
		t.Fatalf("%d busy blocks, want 2", len(body.busy))
	}
	if r := body.busy[0].rect; r.Position().Y != 8.5*hourHeight || r.Size().Height != 1.25*hourHeight || r.FillColor != busyColor(false) {
		t.Errorf("the meeting is shaded from %v, %v high", r.Position().Y, r.Size().Height)
	}
	if body.busy[1].rect.FillColor != busyColor(true) || body.busy[1].label.Text != "Tentative" {
		t.Error("tentative time is not told apart")
	}
	var found bool
	for _, o := range test.WidgetRenderer(body).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r == body.busy[0].rect {
			found = true
		}
	}
	if !found {
		t.Error("the busy block is not drawn")
	}
	occ := w.Week.Occurrences()[0]
	if !occ.Conflict || !strings.HasPrefix(body.items[0].(*slotBlock).text(), "⚠") {
		t.Fatalf("the slot in the meeting is not marked: %+v", occ)
	}
	item := w.Week.freeTimeItem(occ)
	if item.Disabled || !strings.Contains(item.Label, "09:45") {
		t.Fatalf("menu offers %q (disabled %v)", item.Label, item.Disabled)
	}
	item.Action()
	xs, _ := d.Store.Exceptions(ctx)
	if len(xs) != 1 || !xs[0].MoveTo.Equal(at(9, 45)) {
		t.Fatalf("exceptions after the move: %+v", xs)
	}
	moved, _ := d.Store.Post(ctx, p.ID)
	if !moved.Time.Equal(at(9, 45)) || moved.OccurrenceID != p.OccurrenceID {
		t.Errorf("the slot's post is at %v in %q, want with its slot at 09:45", moved.Time, moved.OccurrenceID)
	}
	if occ := w.Week.Occurrences()[0]; occ.Conflict || !occ.Start.Equal(at(9, 45)) {
		t.Errorf("after the move the week shows %+v", occ)
	}
}

func TestAPostDueAfterItsLinkedInLinkEndsIsFlagged(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ctx := context.Background()
	acc := planner.Account{ID: "li", Network: planner.NetworkLinkedIn, Handle: "Maija", Status: planner.AccountLinked,
		Expires: time.Date(2026, 12, 3, 12, 0, 0, 0, helsinki), Created: now, Updated: now}
	if err := d.Store.SaveAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text string
		at   time.Time
	}{{"Before the end", time.Date(2026, 12, 2, 12, 0, 0, 0, helsinki)}, {"After the end", time.Date(2026, 12, 4, 12, 0, 0, 0, helsinki)}} {
		p := planner.Post{ID: planner.NewID(), Text: c.text, Time: c.at, Status: planner.StatusScheduled, Targets: []planner.Target{{AccountID: "li", Network: planner.NetworkLinkedIn}}, Created: now, Updated: now}
		if err := d.Store.SavePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 700))
	flagged := map[string]bool{}
	for _, it := range w.Week.view.body.items {
		if c, ok := it.(*postChip); ok {
			flagged[c.post.Text] = strings.HasPrefix(c.head(), "⚠")
			if flagged[c.post.Text] && !strings.Contains(c.tip(), "LinkedIn ends before this is due") {
				t.Errorf("the tip does not say why: %q", c.tip())
			}
		}
	}
	if flagged["Before the end"] || !flagged["After the end"] {
		t.Errorf("flagged %v, want only the post after the link ends", flagged)
	}
}

func TestASmallWindowShortensTheDayHeadersAndTheTitle(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	headers := func() []string {
		var out []string
		for _, o := range w.Week.view.header.Objects {
			if t, ok := o.(*canvas.Text); ok {
				out = append(out, t.Text)
			}
		}
		return out
	}
	w.Resize(fyne.NewSize(1280, 800))
	if got := headers(); got[0] != "Mon 30 Nov" {
		t.Errorf("a wide window names Monday %q", got[0])
	}
	if got := w.Week.title.Text; !strings.HasPrefix(got, "Week 49") {
		t.Errorf("a wide window's title is %q", got)
	}
	w.Resize(fyne.NewSize(800, 600))
	if got := headers(); got[0] != "Mon 30" || got[6] != "Sun 6" {
		t.Errorf("at 800×600 the days are %q", got)
	}
	for i, o := range w.Week.view.header.Objects {
		if txt, ok := o.(*canvas.Text); ok && textWidth(txt.Text, txt.TextSize, true) > o.Size().Width {
			t.Errorf("header %d %q is wider than its column (%v)", i, txt.Text, o.Size().Width)
		}
	}
	if got := w.Week.title.Text; got != "Wk 49 · Nov – Dec" {
		t.Errorf("at 800×600 the title is %q", got)
	}
}

func TestDraggingOverEmptyTimeOffersAPostOrAWeeklySlotOfThatLength(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 700))
	body := w.Week.view.body
	col := (body.Size().Width - gutterWidth) / 7
	var gotFrom, gotTo time.Time
	w.Week.view.OnEmptyDragged = func(from, to time.Time, _ fyne.Position) { gotFrom, gotTo = from, to }
	start := fyne.NewPos(gutterWidth+3*col+10, 10*hourHeight)
	body.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: start.Add(fyne.NewPos(0, 10))}, Dragged: fyne.Delta{DY: 10}})
	body.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: start.Add(fyne.NewPos(col, 0.75*hourHeight))}, Dragged: fyne.Delta{DX: col, DY: 0.75*hourHeight - 10}})
	if !body.ghost.Visible() || body.ghost.Size().Height != 0.75*hourHeight {
		t.Errorf("while dragging the stretch shows %v high (shown %v)", body.ghost.Size().Height, body.ghost.Visible())
	}
	body.DragEnd()
	thu := func(h, m int) time.Time { return time.Date(2026, 12, 3, h, m, 0, 0, helsinki) }
	if !gotFrom.Equal(thu(10, 0)) || !gotTo.Equal(thu(10, 45)) {
		t.Fatalf("the drag marked %v–%v, want Thursday 10:00–10:45 (it stays on its day)", gotFrom, gotTo)
	}
	if body.ghost.Visible() {
		t.Error("the stretch stays after the drop")
	}
	w.Week.AddSlot(gotFrom, gotTo, planner.PurposeShare)
	plans, _ := d.Store.Plans(context.Background())
	if len(plans) != 1 || len(plans[0].Slots) != 1 {
		t.Fatalf("plans after adding a slot: %+v", plans)
	}
	if sl := plans[0].Slots[0]; sl.Weekday != time.Thursday || sl.Start != (planner.ClockTime{Hour: 10}) || sl.Minutes != 45 || sl.Purpose != planner.PurposeShare {
		t.Errorf("the new slot is %+v", sl)
	}
	if occ := w.Week.Occurrences(); len(occ) != 1 || !occ[0].Start.Equal(thu(10, 0)) {
		t.Errorf("the week shows %+v", occ)
	}
}
