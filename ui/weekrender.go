package ui

import (
	"cmp"
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

type weekViewRenderer struct {
	view    *WeekView
	objects []fyne.CanvasObject
}

func (r *weekViewRenderer) Layout(size fyne.Size) {
	r.view.header.Resize(fyne.NewSize(size.Width, headerHeight))
	r.view.scroll.Move(fyne.NewPos(0, headerHeight))
	r.view.scroll.Resize(fyne.NewSize(size.Width, size.Height-headerHeight))
	r.layoutHeader(size.Width)
}

func (r *weekViewRenderer) MinSize() fyne.Size {
	return fyne.NewSize(gutterWidth+7*60, headerHeight+4*hourHeight)
}

func (r *weekViewRenderer) Refresh() {
	r.rebuildHeader()
	r.Layout(r.view.Size())
	canvas.Refresh(r.view)
}

func (r *weekViewRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *weekViewRenderer) Destroy() {}

// rebuildHeader makes the weekday and date labels, today's marked.
func (r *weekViewRenderer) rebuildHeader() {
	v := r.view
	v.header.Objects = nil
	today := dateOf(v.now.In(v.loc))
	for d := 0; d < 7; d++ {
		day := v.monday.AddDate(0, 0, d)
		isToday := dateOf(day) == today
		bg := canvas.NewRectangle(color.Transparent)
		if isToday {
			bg.FillColor = withAlpha(theme.Color(theme.ColorNamePrimary), 0x40)
			bg.CornerRadius = theme.InputRadiusSize()
		}
		text := canvas.NewText(dayLabel(day, v.lang), theme.Color(theme.ColorNameForeground))
		text.Alignment = fyne.TextAlignCenter
		text.TextStyle.Bold = isToday
		v.header.Add(bg)
		v.header.Add(text)
	}
}

func (r *weekViewRenderer) layoutHeader(width float32) {
	v := r.view
	col := (width - gutterWidth - theme.ScrollBarSize()) / 7
	// Narrow columns name their days briefly: "Mon 30" for "Mon 30 Nov".
	short := false
	for d := range 7 {
		if textWidth(dayLabel(v.monday.AddDate(0, 0, d), v.lang), theme.TextSize(), true) > col-8 {
			short = true
		}
	}
	for i, o := range v.header.Objects {
		d := i / 2
		if t, ok := o.(*canvas.Text); ok {
			day := v.monday.AddDate(0, 0, d)
			t.Text = dayLabel(day, v.lang)
			if short {
				t.Text = dayShort(day)
			}
		}
		o.Move(fyne.NewPos(gutterWidth+float32(d)*col+2, 4))
		o.Resize(fyne.NewSize(col-4, headerHeight-8))
	}
}

// weekBody is the scrolling grid of 24 hours.
type weekBody struct {
	widget.BaseWidget
	view  *WeekView
	items []weekItem        // blocks and chips, rebuilt when data changes
	busy  []busyBlock       // the work calendar's busy time, behind the items
	tip   *hoverTip         // the whole item under the pointer
	shown fyne.CanvasObject // the item the tip is about

	// A drag over empty time: where it began and where it is now, and the
	// block that shows the stretch.
	dragging         bool
	dragFrom, dragTo time.Time
	dragAt           fyne.Position // the pointer, on the canvas
	ghost            *canvas.Rectangle
}

// busyBlock is busy time on one day of the week, in minutes of that day.
type busyBlock struct {
	day       int
	from, to  float32
	tentative bool
	rect      *canvas.Rectangle
	label     *canvas.Text
}

func (b *weekBody) CreateRenderer() fyne.WidgetRenderer {
	r := &weekBodyRenderer{body: b}
	r.rebuildGrid()
	return r
}

func (b *weekBody) MinSize() fyne.Size {
	return fyne.NewSize(gutterWidth+7*60, 24*hourHeight)
}

// rebuild makes the slot blocks, post chips and busy blocks for the current data.
func (b *weekBody) rebuild() {
	v := b.view
	b.items = b.items[:0]
	for _, o := range v.occs {
		b.items = append(b.items, newSlotBlock(v, o, v.filled[o.ID]))
	}
	for _, p := range v.posts {
		b.items = append(b.items, newPostChip(v, p))
	}
	b.busy = b.busy[:0]
	for _, x := range v.busy {
		for d := range 7 {
			dayFrom := v.monday.AddDate(0, 0, d)
			dayTo := v.monday.AddDate(0, 0, d+1)
			if !x.Start.Before(dayTo) || !x.End.After(dayFrom) {
				continue
			}
			from, to := x.Start, x.End
			if from.Before(dayFrom) {
				from = dayFrom
			}
			if to.After(dayTo) {
				to = dayTo
			}
			bb := busyBlock{day: d, from: float32(from.Sub(dayFrom).Minutes()), to: float32(to.Sub(dayFrom).Minutes()), tentative: x.Tentative}
			bb.rect = canvas.NewRectangle(busyColor(x.Tentative))
			text := lang.X("week.busy", "Busy")
			if x.Tentative {
				text = lang.X("week.tentative", "Tentative")
			}
			bb.label = canvas.NewText(text, theme.Color(theme.ColorNamePlaceHolder))
			bb.label.TextSize = theme.CaptionTextSize()
			b.busy = append(b.busy, bb)
		}
	}
	b.shown = nil
	if b.tip != nil {
		b.tip.Hide()
	}
	b.Refresh()
}

// Tapped on the grid itself, where no item is, starts a post at that time.
func (b *weekBody) Tapped(ev *fyne.PointEvent) {
	v := b.view
	col := (b.Size().Width - gutterWidth) / 7
	if t, ok := v.timeAt(ev.Position, col); ok && v.OnEmptyTapped != nil {
		v.OnEmptyTapped(t)
	}
}

// Dragged over empty time marks a stretch of one day, a quarter hour at a
// time; the drop offers a post at its start or a weekly slot of its length.
func (b *weekBody) Dragged(ev *fyne.DragEvent) {
	v := b.view
	col := (b.Size().Width - gutterWidth) / 7
	if !b.dragging {
		from, ok := v.timeAt(ev.Position.Subtract(ev.Dragged), col)
		if !ok {
			return
		}
		b.dragging, b.dragFrom, b.dragTo = true, from, from
	}
	b.dragAt = ev.AbsolutePosition
	day := dayIndex(v.monday, b.dragFrom.In(v.loc))
	// The stretch stays on the day it began on.
	at := fyne.NewPos(gutterWidth+float32(day)*col+col/2, ev.Position.Y)
	if t, ok := v.timeAt(at, col); ok {
		b.dragTo = t
	}
	from, to := b.dragStretch()
	b.ghost.FillColor = withAlpha(theme.Color(theme.ColorNamePrimary), 0x50)
	b.ghost.Move(fyne.NewPos(gutterWidth+float32(day)*col+2, minutesOf(from.In(v.loc))*hourHeight/60))
	b.ghost.Resize(fyne.NewSize(col-4, float32(to.Sub(from).Minutes())*hourHeight/60))
	b.ghost.Show()
	b.ghost.Refresh()
}

// dragStretch is the dragged stretch in order, at least a quarter hour long.
func (b *weekBody) dragStretch() (from, to time.Time) {
	from, to = b.dragFrom, b.dragTo
	if to.Before(from) {
		from, to = to, from
	}
	if to.Sub(from) < snapMinutes*time.Minute {
		to = from.Add(snapMinutes * time.Minute)
	}
	return from, to
}

func (b *weekBody) DragEnd() {
	if !b.dragging {
		return
	}
	b.dragging = false
	b.ghost.Hide()
	if b.view.OnEmptyDragged != nil {
		from, to := b.dragStretch()
		b.view.OnEmptyDragged(from, to, b.dragAt)
	}
}

// showTip shows the whole of item beside it.
func (b *weekBody) showTip(item weekItem) {
	if b.tip == nil {
		return
	}
	b.shown = item
	b.tip.set(item.tip())
	size := b.tip.MinSize()
	pos := item.Position().Add(fyne.NewPos(item.Size().Width+4, 0))
	if pos.X+size.Width > b.Size().Width {
		pos.X = item.Position().X - size.Width - 4
	}
	pos.X = max(pos.X, 0)
	pos.Y = min(pos.Y, b.Size().Height-size.Height)
	b.tip.Move(pos)
	b.tip.Resize(size)
	b.tip.Show()
	b.tip.Refresh()
}

// hideTip hides the tip if it is about item.
func (b *weekBody) hideTip(item fyne.CanvasObject) {
	if b.tip != nil && b.shown == item {
		b.shown = nil
		b.tip.Hide()
	}
}

type weekBodyRenderer struct {
	body  *weekBody
	grid  []fyne.CanvasObject // hour lines, labels, day separators
	today *canvas.Rectangle
	nowLn *canvas.Line
	work  [5]*canvas.Rectangle // the working day, Monday to Friday
	objs  []fyne.CanvasObject
}

func (r *weekBodyRenderer) rebuildGrid() {
	r.grid = r.grid[:0]
	for h := 0; h < 24; h++ {
		line := canvas.NewLine(theme.Color(theme.ColorNameSeparator))
		label := canvas.NewText(time.Date(2000, 1, 1, h, 0, 0, 0, time.UTC).Format("15:04"), theme.Color(theme.ColorNamePlaceHolder))
		label.TextSize = theme.CaptionTextSize()
		r.grid = append(r.grid, line, label)
	}
	for d := 0; d <= 7; d++ {
		r.grid = append(r.grid, canvas.NewLine(theme.Color(theme.ColorNameSeparator)))
	}
	r.today = canvas.NewRectangle(withAlpha(theme.Color(theme.ColorNamePrimary), 0x14))
	for i := range r.work {
		r.work[i] = canvas.NewRectangle(workHoursColor())
	}
	r.nowLn = canvas.NewLine(theme.Color(theme.ColorNameError))
	r.nowLn.StrokeWidth = 2
	if r.body.tip == nil {
		r.body.tip = newHoverTip()
		r.body.ghost = canvas.NewRectangle(color.Transparent)
		r.body.ghost.CornerRadius = 4
		r.body.ghost.Hide()
	}
	r.objs = nil
}

func (r *weekBodyRenderer) Layout(size fyne.Size) {
	v := r.body.view
	col := (size.Width - gutterWidth) / 7
	for h := 0; h < 24; h++ {
		y := float32(h) * hourHeight
		line := r.grid[2*h].(*canvas.Line)
		line.Position1, line.Position2 = fyne.NewPos(gutterWidth, y), fyne.NewPos(size.Width, y)
		label := r.grid[2*h+1]
		label.Move(fyne.NewPos(4, y+2))
		label.Resize(label.MinSize())
	}
	for d := 0; d <= 7; d++ {
		line := r.grid[48+d].(*canvas.Line)
		x := gutterWidth + float32(d)*col
		line.Position1, line.Position2 = fyne.NewPos(x, 0), fyne.NewPos(x, size.Height)
	}
	for d, rect := range r.work {
		rect.Move(fyne.NewPos(gutterWidth+float32(d)*col, float32(v.workStart)*hourHeight/60))
		rect.Resize(fyne.NewSize(col, float32(v.workEnd-v.workStart)*hourHeight/60))
	}
	// Today's column and the current time, when this week holds today.
	now := v.now.In(v.loc)
	if d := dayIndex(v.monday, now); d >= 0 && d < 7 {
		r.today.Show()
		r.today.Move(fyne.NewPos(gutterWidth+float32(d)*col, 0))
		r.today.Resize(fyne.NewSize(col, size.Height))
		y := minutesOf(now) * hourHeight / 60
		r.nowLn.Show()
		r.nowLn.Position1, r.nowLn.Position2 = fyne.NewPos(gutterWidth+float32(d)*col, y), fyne.NewPos(gutterWidth+float32(d+1)*col, y)
	} else {
		r.today.Hide()
		r.nowLn.Hide()
	}
	for _, b := range r.body.busy {
		x := gutterWidth + float32(b.day)*col
		y := b.from * hourHeight / 60
		h := (b.to - b.from) * hourHeight / 60
		b.rect.Move(fyne.NewPos(x+1, y))
		b.rect.Resize(fyne.NewSize(col-2, h))
		b.label.Move(fyne.NewPos(x+col-b.label.MinSize().Width-4, y+1))
		b.label.Resize(b.label.MinSize())
		if h < b.label.MinSize().Height+2 {
			b.label.Hide()
		} else {
			b.label.Show()
		}
	}
	placeSideBySide(r.body.items, col)
}

func (r *weekBodyRenderer) MinSize() fyne.Size { return r.body.MinSize() }

func (r *weekBodyRenderer) Refresh() {
	r.rebuildGrid()
	r.Layout(r.body.Size())
	canvas.Refresh(r.body)
}

func (r *weekBodyRenderer) Objects() []fyne.CanvasObject {
	if r.objs != nil {
		return r.objs
	}
	b := r.body
	objs := make([]fyne.CanvasObject, 0, len(r.grid)+len(b.items)+2*len(b.busy)+len(r.work)+3)
	for _, w := range r.work {
		objs = append(objs, w)
	}
	objs = append(objs, r.today)
	objs = append(objs, r.grid...)
	for _, x := range b.busy {
		objs = append(objs, x.rect, x.label)
	}
	for _, it := range b.items {
		objs = append(objs, it)
	}
	r.objs = append(objs, b.ghost, r.nowLn, b.tip)
	return r.objs
}

// placeSideBySide lays the items out in their day columns: items whose
// times overlap share the column's width, each in a lane of its own, so
// that none covers another and a slot stays reachable beside its posts.
func placeSideBySide(items []weekItem, col float32) {
	type placed struct {
		item        weekItem
		top, bottom float32
		lane        int
	}
	var days [7][]placed
	for _, it := range items {
		d, top, bottom := it.span()
		if d < 0 || d > 6 {
			it.Hide()
			continue
		}
		it.Show()
		days[d] = append(days[d], placed{item: it, top: top, bottom: bottom})
	}
	for d, ps := range days {
		slices.SortStableFunc(ps, func(a, b placed) int { return cmp.Compare(a.top, b.top) })
		// Clusters: runs of items that overlap one another, each as wide
		// as its lanes allow.
		for start := 0; start < len(ps); {
			end, reach := start, ps[start].bottom
			var laneEnds []float32
			for end < len(ps) && (end == start || ps[end].top < reach) {
				lane := slices.IndexFunc(laneEnds, func(b float32) bool { return b <= ps[end].top })
				if lane < 0 {
					lane = len(laneEnds)
					laneEnds = append(laneEnds, 0)
				}
				laneEnds[lane] = ps[end].bottom
				ps[end].lane = lane
				reach = max(reach, ps[end].bottom)
				end++
			}
			w := (col - 4) / float32(len(laneEnds))
			for _, p := range ps[start:end] {
				p.item.Move(fyne.NewPos(gutterWidth+float32(d)*col+2+float32(p.lane)*w, p.top))
				p.item.Resize(fyne.NewSize(w-1, p.bottom-p.top))
			}
			start = end
		}
	}
}

func (r *weekBodyRenderer) Destroy() {}

func dateOf(t time.Time) string { return t.Format(planner.DateLayout) }

// dayIndex is t's column: 0 for Monday, 6 for Sunday, outside the week otherwise.
func dayIndex(monday, t time.Time) int {
	md := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, time.UTC)
	td := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int(td.Sub(md).Hours() / 24)
}

func minutesOf(t time.Time) float32 { return float32(t.Hour()*60 + t.Minute()) }
