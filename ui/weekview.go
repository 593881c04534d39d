package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// Geometry of the week grid.
const (
	hourHeight   float32 = 44
	gutterWidth  float32 = 44
	headerHeight float32 = 40
	firstVisible         = 7 // the hour shown at the top when a week opens
	snapMinutes          = 15
)

// WeekView is the calendar of one ISO week: Monday to Sunday columns, hour
// rows, slot occurrences as coloured blocks and posts at their times.
type WeekView struct {
	widget.BaseWidget

	// Callbacks; each may be nil.
	OnSlotTapped func(planner.Occurrence)
	OnPostTapped func(planner.Post)
	OnPostMoved  func(p planner.Post, to time.Time)
	OnPostMenu   func(p planner.Post, at fyne.Position)
	OnSlotMenu   func(o planner.Occurrence, at fyne.Position)
	// OnEmptyTapped is called with the time of an empty place tapped.
	OnEmptyTapped func(at time.Time)
	// OnEmptyDragged is called with a stretch of empty time dragged over,
	// and where on the canvas the drag ended.
	OnEmptyDragged func(from, to time.Time, at fyne.Position)

	loc    *time.Location
	lang   string
	monday time.Time
	now    time.Time
	occs   []planner.Occurrence
	posts  []planner.Post
	filled map[string]bool
	busy   []planner.BusyInterval
	// linkEnds names, by post ID, the networks whose link ends before
	// the post is due.
	linkEnds map[string]string
	// work is the working day, Monday to Friday, in minutes of the day.
	workStart, workEnd int

	body   *weekBody
	scroll *container.Scroll
	header *fyne.Container
}

// NewWeekView makes an empty view of the week starting at monday.
func NewWeekView(monday, now time.Time, loc *time.Location, language string) *WeekView {
	v := &WeekView{loc: loc, lang: language, monday: monday, now: now,
		workStart: planner.DefaultWorkStart.Minutes(), workEnd: planner.DefaultWorkEnd.Minutes()}
	v.body = &weekBody{view: v}
	v.body.ExtendBaseWidget(v.body)
	v.ExtendBaseWidget(v)
	return v
}

// SetZone changes the time zone the view lays the week out in; the next Set
// shows it.
func (v *WeekView) SetZone(loc *time.Location) { v.loc = loc }

// SetWorkHours changes the working day the view shades; the next Set shows it.
func (v *WeekView) SetWorkHours(start, end planner.ClockTime) {
	v.workStart, v.workEnd = start.Minutes(), end.Minutes()
}

// SetBusy gives the busy time and the posts whose account's link ends
// before they are due; the next Set shows them.
func (v *WeekView) SetBusy(busy []planner.BusyInterval, linkEnds map[string]string) {
	v.busy, v.linkEnds = busy, linkEnds
}

// Set shows a week's occurrences and posts. Only a scheduled or published
// post fills its slot: a draft is work still to do.
func (v *WeekView) Set(monday, now time.Time, occs []planner.Occurrence, posts []planner.Post) {
	v.monday, v.now, v.occs, v.posts = monday, now, occs, posts
	v.filled = make(map[string]bool, len(posts))
	for _, p := range posts {
		if p.OccurrenceID != "" && planner.SlotFilled(p.Status) {
			v.filled[p.OccurrenceID] = true
		}
	}
	v.Refresh()
}

func (v *WeekView) CreateRenderer() fyne.WidgetRenderer {
	v.header = container.NewWithoutLayout()
	v.scroll = container.NewVScroll(v.body)
	v.scroll.Offset = fyne.NewPos(0, firstVisible*hourHeight)
	r := &weekViewRenderer{view: v}
	r.objects = []fyne.CanvasObject{v.header, v.scroll}
	r.rebuildHeader()
	return r
}

func (v *WeekView) Refresh() {
	v.body.rebuild()
	v.BaseWidget.Refresh()
}

// timeAt maps a point of the grid to a time, snapped to a quarter hour.
func (v *WeekView) timeAt(p fyne.Position, col float32) (time.Time, bool) {
	if p.X < gutterWidth || col <= 0 {
		return time.Time{}, false
	}
	d := int((p.X - gutterWidth) / col)
	if d < 0 || d > 6 {
		return time.Time{}, false
	}
	m := int(p.Y / hourHeight * 60)
	m = max(0, min(24*60-snapMinutes, (m+snapMinutes/2)/snapMinutes*snapMinutes))
	day := v.monday.AddDate(0, 0, d)
	t, _ := planner.WallTime(day.Year(), day.Month(), day.Day(), m/60, m%60, v.loc)
	return t, true
}
