package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// monthWeeks is how many weeks the month grid shows: enough for any month.
const monthWeeks = 6

// MonthView is a month as six weeks of days, each day its slots and posts
// as compact lines with counts. Tapping a day opens its week.
type MonthView struct {
	widget.BaseWidget

	// OnDayTapped is called with the day the user tapped; it may be nil.
	OnDayTapped func(day time.Time)

	loc   *time.Location
	month time.Time // the first of the month, in loc
	now   time.Time
	cells [monthWeeks * 7]*monthCell
	names [7]*canvas.Text
}

// NewMonthView makes an empty view of the month that holds day.
func NewMonthView(day, now time.Time, loc *time.Location) *MonthView {
	v := &MonthView{loc: loc, now: now, month: firstOfMonth(day, loc)}
	for i := range v.cells {
		v.cells[i] = newMonthCell(v)
	}
	for i := range v.names {
		v.names[i] = canvas.NewText(weekdayShort(time.Weekday((i+1)%7)), theme.Color(theme.ColorNamePlaceHolder))
		v.names[i].Alignment = fyne.TextAlignCenter
		v.names[i].TextSize = theme.CaptionTextSize()
	}
	v.ExtendBaseWidget(v)
	return v
}

func firstOfMonth(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
}

// Month is the first day of the month shown.
func (v *MonthView) Month() time.Time { return v.month }

// GridStart is the Monday the grid begins on.
func (v *MonthView) GridStart() time.Time { return planner.WeekStart(v.month, v.loc) }

// GridEnd is the day after the grid's last.
func (v *MonthView) GridEnd() time.Time { return v.GridStart().AddDate(0, 0, 7*monthWeeks) }

// Set shows the month that holds day, with the grid's occurrences and posts.
func (v *MonthView) Set(day, now time.Time, loc *time.Location, occs []planner.Occurrence, posts []planner.Post) {
	v.loc, v.now, v.month = loc, now, firstOfMonth(day, loc)
	start := v.GridStart()
	var per [monthWeeks * 7]dayCount
	index := func(t time.Time) int { return dayIndex(start, t.In(loc)) }
	filled := make(map[string]bool, len(posts))
	for _, p := range posts {
		if p.OccurrenceID != "" && planner.SlotFilled(p.Status) {
			filled[p.OccurrenceID] = true
		}
	}
	for _, o := range occs {
		if i := index(o.Start); i >= 0 && i < len(per) {
			per[i].slots++
			if filled[o.ID] {
				per[i].filled++
			}
			if o.Conflict {
				per[i].conflicts++
			}
		}
	}
	for _, p := range posts {
		if i := index(p.Time); i >= 0 && i < len(per) {
			per[i].add(p.Status)
		}
	}
	today := dateOf(now.In(loc))
	for i, c := range v.cells {
		day := start.AddDate(0, 0, i)
		c.set(day, day.Month() == v.month.Month(), dateOf(day) == today, per[i])
	}
	v.Refresh()
}

// dayCount is what one day holds, counted.
type dayCount struct {
	slots, filled, conflicts              int
	published, scheduled, drafts, trouble int
}

func (c *dayCount) add(s planner.Status) {
	switch s {
	case planner.StatusPublished:
		c.published++
	case planner.StatusScheduled, planner.StatusPublishing:
		c.scheduled++
	case planner.StatusFailed, planner.StatusNeedsAttention:
		c.trouble++
	case planner.StatusDraft, planner.StatusIdea:
		c.drafts++
	}
}

// dayLine is one compact line of a day: a text and its colour.
type dayLine struct {
	text  string
	color color.Color
}

// lines are the day's compact lines, the most pressing first.
func (c dayCount) lines() []dayLine {
	var out []dayLine
	n := func(key, fallback string, count int, col color.Color) {
		if count > 0 {
			out = append(out, dayLine{lang.X(key, fallback, map[string]any{"N": count}), col})
		}
	}
	n("month.trouble", "! Need you: {{.N}}", c.trouble, theme.Color(theme.ColorNameError))
	n("month.conflicts", "⚠ In a meeting: {{.N}}", c.conflicts, theme.Color(theme.ColorNameWarning))
	if c.slots > 0 {
		out = append(out, dayLine{lang.X("month.slots", "Slots filled: {{.Filled}}/{{.N}}", map[string]any{"N": c.slots, "Filled": c.filled}), theme.Color(theme.ColorNameForeground)})
	}
	n("month.scheduled", "◷ Scheduled: {{.N}}", c.scheduled, theme.Color(theme.ColorNamePrimary))
	n("month.published", "✓ Published: {{.N}}", c.published, theme.Color(theme.ColorNameSuccess))
	n("month.drafts", "✎ Drafts: {{.N}}", c.drafts, theme.Color(theme.ColorNamePlaceHolder))
	return out
}

func (v *MonthView) CreateRenderer() fyne.WidgetRenderer {
	objs := make([]fyne.CanvasObject, 0, len(v.names)+len(v.cells))
	for _, n := range v.names {
		objs = append(objs, n)
	}
	for _, c := range v.cells {
		objs = append(objs, c)
	}
	return &monthRenderer{v: v, objects: objs}
}

type monthRenderer struct {
	v       *MonthView
	objects []fyne.CanvasObject
}

// monthNamesHeight is the height of the weekday names above the grid.
const monthNamesHeight float32 = 22

func (r *monthRenderer) Layout(size fyne.Size) {
	col := size.Width / 7
	row := (size.Height - monthNamesHeight) / monthWeeks
	for i, n := range r.v.names {
		n.Move(fyne.NewPos(float32(i)*col, 2))
		n.Resize(fyne.NewSize(col, monthNamesHeight-4))
	}
	for i, c := range r.v.cells {
		c.Move(fyne.NewPos(float32(i%7)*col, monthNamesHeight+float32(i/7)*row))
		c.Resize(fyne.NewSize(col, row))
	}
}

func (r *monthRenderer) MinSize() fyne.Size {
	return fyne.NewSize(7*56, monthNamesHeight+monthWeeks*48)
}

func (r *monthRenderer) Refresh() {
	for i, n := range r.v.names {
		n.Text = weekdayShort(time.Weekday((i + 1) % 7))
		n.Color = theme.Color(theme.ColorNamePlaceHolder)
	}
	r.Layout(r.v.Size())
	for _, c := range r.v.cells {
		c.Refresh()
	}
	canvas.Refresh(r.v)
}

func (r *monthRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *monthRenderer) Destroy()                     {}

// maxDayLines bounds the lines a day can show.
const maxDayLines = 6

// monthCell is one day of the month grid.
type monthCell struct {
	widget.BaseWidget
	view    *MonthView
	day     time.Time
	inMonth bool
	today   bool
	count   dayCount
	hovered bool

	bg    *canvas.Rectangle
	num   *canvas.Text
	lines [maxDayLines]*canvas.Text
}

func newMonthCell(v *MonthView) *monthCell {
	c := &monthCell{view: v, bg: canvas.NewRectangle(color.Transparent), num: canvas.NewText("", color.Black)}
	c.bg.StrokeWidth = 0.5
	c.num.TextStyle.Bold = true
	for i := range c.lines {
		c.lines[i] = canvas.NewText("", color.Black)
		c.lines[i].TextSize = theme.CaptionTextSize()
	}
	c.ExtendBaseWidget(c)
	return c
}

func (c *monthCell) set(day time.Time, inMonth, today bool, count dayCount) {
	c.day, c.inMonth, c.today, c.count = day, inMonth, today, count
}

// Tapped opens the day's week.
func (c *monthCell) Tapped(*fyne.PointEvent) {
	if c.view.OnDayTapped != nil {
		c.view.OnDayTapped(c.day)
	}
}

func (c *monthCell) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (c *monthCell) MouseIn(*desktop.MouseEvent)    { c.hovered = true; c.Refresh() }
func (c *monthCell) MouseMoved(*desktop.MouseEvent) {}
func (c *monthCell) MouseOut()                      { c.hovered = false; c.Refresh() }

func (c *monthCell) CreateRenderer() fyne.WidgetRenderer {
	objs := []fyne.CanvasObject{c.bg, c.num}
	for _, l := range c.lines {
		objs = append(objs, l)
	}
	return &monthCellRenderer{c: c, objects: objs}
}

type monthCellRenderer struct {
	c       *monthCell
	objects []fyne.CanvasObject
}

func (r *monthCellRenderer) Layout(size fyne.Size) {
	c := r.c
	c.bg.Resize(size)
	c.num.Move(fyne.NewPos(6, 2))
	c.num.Resize(fyne.NewSize(size.Width-12, c.num.MinSize().Height))
	y := 4 + c.num.MinSize().Height
	lines := c.count.lines()
	for i, t := range c.lines {
		lineH := t.TextSize * 1.35
		if i >= len(lines) || y+lineH > size.Height {
			t.Hide()
			continue
		}
		t.Show()
		t.Text, t.Color = fitText(lines[i].text, t.TextSize, size.Width-12), lines[i].color
		t.Move(fyne.NewPos(6, y))
		t.Resize(fyne.NewSize(size.Width-12, lineH))
		y += lineH
	}
}

func (r *monthCellRenderer) MinSize() fyne.Size { return fyne.NewSize(40, 40) }

func (r *monthCellRenderer) Refresh() {
	c := r.c
	c.bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	switch {
	case c.today:
		c.bg.FillColor = withAlpha(theme.Color(theme.ColorNamePrimary), 0x30)
	case c.hovered:
		c.bg.FillColor = theme.Color(theme.ColorNameHover)
	case !c.inMonth:
		c.bg.FillColor = withAlpha(theme.Color(theme.ColorNameForeground), 0x08)
	default:
		c.bg.FillColor = color.Transparent
	}
	c.num.Text = monthDayLabel(c.day, c.inMonth)
	c.num.Color = theme.Color(theme.ColorNameForeground)
	if !c.inMonth {
		c.num.Color = theme.Color(theme.ColorNamePlaceHolder)
	}
	r.Layout(c.Size())
	canvas.Refresh(c)
}

func (r *monthCellRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *monthCellRenderer) Destroy()                     {}

// monthDayLabel is a day's number, with its month's name on the first of a
// month outside the one shown, so that the grid's edges read plainly.
func monthDayLabel(day time.Time, inMonth bool) string {
	n := day.Format("2")
	if !inMonth && day.Day() == 1 {
		// Finnish writes the first of a month "1. tammikuuta".
		return lang.X("month.first_day", "1 {{.Month}}", map[string]any{"Month": monthName(day.Month())})
	}
	return n
}

// monthTitle is the header of a month: "December 2026".
func monthTitle(first time.Time) string {
	return lang.X("month.title", "{{.Month}} {{.Year}}", map[string]any{"Month": upperFirst(monthName(first.Month())), "Year": first.Year()})
}
