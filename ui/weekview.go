package ui

import (
	"image/color"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/rivo/uniseg"

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

	loc    *time.Location
	lang   string
	monday time.Time
	now    time.Time
	occs   []planner.Occurrence
	posts  []planner.Post
	filled map[string]bool

	body   *weekBody
	scroll *container.Scroll
	header *fyne.Container
}

// NewWeekView makes an empty view of the week starting at monday.
func NewWeekView(monday, now time.Time, loc *time.Location, language string) *WeekView {
	v := &WeekView{loc: loc, lang: language, monday: monday, now: now}
	v.body = &weekBody{view: v}
	v.body.ExtendBaseWidget(v.body)
	v.ExtendBaseWidget(v)
	return v
}

// SetZone changes the time zone the view lays the week out in; the next Set
// shows it.
func (v *WeekView) SetZone(loc *time.Location) { v.loc = loc }

// Set shows a week's occurrences and posts.
func (v *WeekView) Set(monday, now time.Time, occs []planner.Occurrence, posts []planner.Post) {
	v.monday, v.now, v.occs, v.posts = monday, now, occs, posts
	v.filled = make(map[string]bool, len(posts))
	for _, p := range posts {
		if p.OccurrenceID != "" {
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
func (r *weekViewRenderer) Destroy()                     {}

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
	objs := make([]fyne.CanvasObject, 0, len(r.grid)+len(r.body.items)+2)
	objs = append(objs, r.today)
	objs = append(objs, r.grid...)
	objs = append(objs, r.body.items...)
	return append(objs, r.nowLn)
}

func (r *weekBodyRenderer) Destroy() {}

// slotBlock is one slot occurrence: a block coloured by purpose.
type slotBlock struct {
	widget.BaseWidget
	view   *WeekView
	occ    planner.Occurrence
	filled bool
}

func newSlotBlock(v *WeekView, o planner.Occurrence, filled bool) *slotBlock {
	s := &slotBlock{view: v, occ: o, filled: filled}
	s.ExtendBaseWidget(s)
	return s
}

func (s *slotBlock) place(v *WeekView, col float32) {
	start := s.occ.Start.In(v.loc)
	d := dayIndex(v.monday, start)
	y := minutesOf(start) * hourHeight / 60
	h := max(float32(s.occ.Minutes)*hourHeight/60, 18)
	s.Move(fyne.NewPos(gutterWidth+float32(d)*col+2, y))
	s.Resize(fyne.NewSize(col-4, h))
}

func (s *slotBlock) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(withAlpha(purposeColor(s.occ.Purpose), 0x38))
	bg.StrokeColor = purposeColor(s.occ.Purpose)
	bg.StrokeWidth = 1
	bg.CornerRadius = 4
	text := lang.X("week.slot.invite", "+ {{.Purpose}}", map[string]any{"Purpose": lowerFirst(purposeLabel(s.occ.Purpose))})
	if s.filled || s.occ.Purpose == planner.PurposeFollow {
		text = purposeLabel(s.occ.Purpose)
	}
	if s.occ.Role != "" {
		text += " · " + lang.X(planner.InfoFor(s.occ.Role).NameKey, string(s.occ.Role))
	}
	label := canvas.NewText(text, theme.Color(theme.ColorNameForeground))
	label.TextSize = theme.CaptionTextSize()
	return &blockRenderer{bg: bg, label: label, obj: s}
}

// Tapped opens the composer for the slot.
func (s *slotBlock) Tapped(*fyne.PointEvent) {
	if s.view.OnSlotTapped != nil {
		s.view.OnSlotTapped(s.occ)
	}
}

// TappedSecondary offers the slot's menu.
func (s *slotBlock) TappedSecondary(ev *fyne.PointEvent) {
	if s.view.OnSlotMenu != nil {
		s.view.OnSlotMenu(s.occ, ev.AbsolutePosition)
	}
}

// Cursor shows that a slot can be tapped.
func (s *slotBlock) Cursor() desktop.Cursor { return desktop.PointerCursor }

// postChip is one post at its time: a status mark and its first line.
type postChip struct {
	widget.BaseWidget
	view     *WeekView
	post     planner.Post
	dragging fyne.Position
	dragged  bool
}

func newPostChip(v *WeekView, p planner.Post) *postChip {
	c := &postChip{view: v, post: p}
	c.ExtendBaseWidget(c)
	return c
}

// postChipHeight is a chip's height: one line of text.
const postChipHeight float32 = 34

func (c *postChip) place(v *WeekView, col float32) {
	t := c.post.Time.In(v.loc)
	d := dayIndex(v.monday, t)
	y := minutesOf(t) * hourHeight / 60
	c.Move(fyne.NewPos(gutterWidth+float32(d)*col+6, y+2))
	c.Resize(fyne.NewSize(col-12, postChipHeight))
}

func (c *postChip) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	bg.StrokeColor = statusColor(c.post.Status)
	bg.StrokeWidth = 1.5
	bg.CornerRadius = 4
	head := canvas.NewText(statusMark(c.post.Status)+" "+clock(c.post.Time.In(c.view.loc))+" "+statusLabel(c.post.Status), statusColor(c.post.Status))
	head.TextSize = theme.CaptionTextSize()
	head.TextStyle.Bold = true
	label := canvas.NewText(c.post.FirstLine(), theme.Color(theme.ColorNameForeground))
	label.TextSize = theme.CaptionTextSize()
	return &blockRenderer{bg: bg, head: head, label: label, obj: c}
}

func (c *postChip) Tapped(*fyne.PointEvent) {
	if c.view.OnPostTapped != nil {
		c.view.OnPostTapped(c.post)
	}
}

func (c *postChip) TappedSecondary(ev *fyne.PointEvent) {
	if c.view.OnPostMenu != nil {
		c.view.OnPostMenu(c.post, ev.AbsolutePosition)
	}
}

func (c *postChip) Cursor() desktop.Cursor { return desktop.PointerCursor }

// Dragged moves the chip with the pointer; the drop picks the new time.
func (c *postChip) Dragged(ev *fyne.DragEvent) {
	if !c.post.Status.Editable() {
		return
	}
	if !c.dragged {
		c.dragged, c.dragging = true, c.Position()
	}
	c.dragging = c.dragging.Add(ev.Dragged)
	c.Move(c.dragging)
}

func (c *postChip) DragEnd() {
	if !c.dragged {
		return
	}
	c.dragged = false
	v := c.view
	col := (v.body.Size().Width - gutterWidth) / 7
	to, ok := v.timeAt(c.dragging.Add(fyne.NewPos(col/2, 0)), col)
	if !ok || v.OnPostMoved == nil {
		v.body.Refresh()
		return
	}
	v.OnPostMoved(c.post, to)
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

// advances caches the widths of single graphemes by text size. Fyne shapes
// every string it has not seen from scratch, at about a millisecond each,
// and a week's chips would have it shape hundreds of trial prefixes.
var advances = struct {
	sync.Mutex
	m map[advanceKey]float32
}{m: map[advanceKey]float32{}}

type advanceKey struct {
	g    string
	size float32
}

func advance(g string, size float32) float32 {
	advances.Lock()
	defer advances.Unlock()
	k := advanceKey{g, size}
	w, ok := advances.m[k]
	if !ok {
		w = fyne.MeasureText(g, size, fyne.TextStyle{}).Width
		advances.m[k] = w
	}
	return w
}

// fitText shortens s with an ellipsis until it fits width, cutting between
// graphemes so that an emoji or a letter with its accent stays whole. It
// picks the cut from the graphemes' cached widths, then measures the one
// string it returns (which Fyne then has cached for drawing it), stepping
// back a grapheme while kerning or shaping make it too wide.
func fitText(s string, size, width float32) string {
	if width <= 0 || s == "" {
		return ""
	}
	fits := func(t string) bool { return fyne.MeasureText(t, size, fyne.TextStyle{}).Width <= width }
	room := width - advance("…", size)
	var ends []int // ends[i]: the byte after grapheme i, of those that fit room
	var sum float32
	whole := true
	for g := uniseg.NewGraphemes(s); g.Next(); {
		sum += advance(g.Str(), size)
		if sum > width {
			whole = false
			break
		}
		if sum <= room {
			_, to := g.Positions()
			ends = append(ends, to)
		}
	}
	if whole && fits(s) {
		return s
	}
	for n := len(ends); n > 0; n-- {
		t := strings.TrimRight(s[:ends[n-1]], " ") + "…"
		if fits(t) {
			return t
		}
	}
	return ""
}

func dateOf(t time.Time) string { return t.Format(planner.DateLayout) }

// dayIndex is t's column: 0 for Monday, 6 for Sunday, outside the week otherwise.
func dayIndex(monday, t time.Time) int {
	md := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, time.UTC)
	td := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int(td.Sub(md).Hours() / 24)
}

func minutesOf(t time.Time) float32 { return float32(t.Hour()*60 + t.Minute()) }

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// purposeColor tells the purposes apart in the calendar.
func purposeColor(p planner.Purpose) color.Color {
	switch p {
	case planner.PurposeWrite:
		return color.NRGBA{R: 0x2e, G: 0x86, B: 0xc1, A: 0xff}
	case planner.PurposeShare:
		return color.NRGBA{R: 0x27, G: 0xae, B: 0x60, A: 0xff}
	case planner.PurposeConverse:
		return color.NRGBA{R: 0xe6, G: 0x7e, B: 0x22, A: 0xff}
	}
	return color.NRGBA{R: 0x8e, G: 0x44, B: 0xad, A: 0xff}
}

// statusColor marks a post's status.
func statusColor(s planner.Status) color.Color {
	switch s {
	case planner.StatusPublished:
		return theme.Color(theme.ColorNameSuccess)
	case planner.StatusFailed:
		return theme.Color(theme.ColorNameError)
	case planner.StatusNeedsAttention:
		return theme.Color(theme.ColorNameWarning)
	case planner.StatusScheduled, planner.StatusPublishing:
		return theme.Color(theme.ColorNamePrimary)
	}
	return theme.Color(theme.ColorNamePlaceHolder)
}

// statusMark is a one-character sign of a post's status, beside its colour.
func statusMark(s planner.Status) string {
	switch s {
	case planner.StatusPublished:
		return "✓"
	case planner.StatusFailed:
		return "✗"
	case planner.StatusNeedsAttention:
		return "!"
	case planner.StatusScheduled, planner.StatusPublishing:
		return "◷"
	case planner.StatusIdea:
		return "·"
	}
	return "✎"
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
