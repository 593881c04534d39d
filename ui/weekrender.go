package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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
	col := (width - gutterWidth - theme.ScrollBarSize()) / 7
	for i, o := range r.view.header.Objects {
		d := float32(i / 2)
		o.Move(fyne.NewPos(gutterWidth+d*col+2, 4))
		o.Resize(fyne.NewSize(col-4, headerHeight-8))
	}
}

// weekBody is the scrolling grid of 24 hours.
type weekBody struct {
	widget.BaseWidget
	view  *WeekView
	items []fyne.CanvasObject // blocks and chips, rebuilt when data changes
}

func (b *weekBody) CreateRenderer() fyne.WidgetRenderer {
	r := &weekBodyRenderer{body: b}
	r.rebuildGrid()
	return r
}

func (b *weekBody) MinSize() fyne.Size {
	return fyne.NewSize(gutterWidth+7*60, 24*hourHeight)
}

// rebuild makes the slot blocks and post chips for the current data.
func (b *weekBody) rebuild() {
	v := b.view
	b.items = b.items[:0]
	for _, o := range v.occs {
		b.items = append(b.items, newSlotBlock(v, o, v.filled[o.ID]))
	}
	for _, p := range v.posts {
		b.items = append(b.items, newPostChip(v, p))
	}
	b.Refresh()
}

type weekBodyRenderer struct {
	body  *weekBody
	grid  []fyne.CanvasObject // hour lines, labels, day separators
	today *canvas.Rectangle
	nowLn *canvas.Line
	work  [5]*canvas.Rectangle // the working day, Monday to Friday
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
	for _, it := range r.body.items {
		switch x := it.(type) {
		case *slotBlock:
			x.place(v, col)
		case *postChip:
			x.place(v, col)
		}
	}
}

func (r *weekBodyRenderer) MinSize() fyne.Size { return r.body.MinSize() }

func (r *weekBodyRenderer) Refresh() {
	r.rebuildGrid()
	r.Layout(r.body.Size())
	canvas.Refresh(r.body)
}

func (r *weekBodyRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, len(r.grid)+len(r.body.items)+2+len(r.work))
	for _, w := range r.work {
		objs = append(objs, w)
	}
	objs = append(objs, r.today)
	objs = append(objs, r.grid...)
	objs = append(objs, r.body.items...)
	return append(objs, r.nowLn)
}

func (r *weekBodyRenderer) Destroy() {}

// blockRenderer draws a rounded background with one line of text, clipped.
// head, when set, is a first line above label.
type blockRenderer struct {
	bg    *canvas.Rectangle
	head  *canvas.Text
	label *canvas.Text
	obj   fyne.Widget
	full  []string // the texts before fitting, so a wider layout can show more
	width float32  // the width the texts were last fitted to
}

func (r *blockRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	texts := []*canvas.Text{r.label}
	if r.head != nil {
		texts = []*canvas.Text{r.head, r.label}
	}
	if r.full == nil {
		for _, t := range texts {
			r.full = append(r.full, t.Text)
		}
	}
	refit := size.Width != r.width
	r.width = size.Width
	y := float32(1)
	for i, t := range texts {
		if refit {
			t.Text = fitText(r.full[i], t.TextSize, size.Width-8)
		}
		t.Move(fyne.NewPos(4, y))
		t.Resize(fyne.NewSize(size.Width-8, t.MinSize().Height))
		y += t.MinSize().Height
	}
}

func (r *blockRenderer) MinSize() fyne.Size { return fyne.NewSize(20, 18) }

func (r *blockRenderer) Refresh() {
	r.Layout(r.obj.Size())
	canvas.Refresh(r.obj)
}

func (r *blockRenderer) Objects() []fyne.CanvasObject {
	if r.head != nil {
		return []fyne.CanvasObject{r.bg, r.head, r.label}
	}
	return []fyne.CanvasObject{r.bg, r.label}
}

func (r *blockRenderer) Destroy() {}

func dateOf(t time.Time) string { return t.Format(planner.DateLayout) }

// dayIndex is t's column: 0 for Monday, 6 for Sunday, outside the week otherwise.
func dayIndex(monday, t time.Time) int {
	md := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, time.UTC)
	td := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int(td.Sub(md).Hours() / 24)
}

func minutesOf(t time.Time) float32 { return float32(t.Hour()*60 + t.Minute()) }
