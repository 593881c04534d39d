package ui

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// weekItem is a slot block or a post chip: what the grid lays out side by
// side where items overlap.
type weekItem interface {
	fyne.Widget
	// span is the item's day column and its top and bottom in the grid.
	span() (day int, top, bottom float32)
	// tip is the whole item in words, shown while the pointer is on it.
	tip() string
}

// minBlockHeight keeps a short slot tall enough for a line of text.
const minBlockHeight float32 = 20

// slotBlock is one slot occurrence: a block spanning its time, coloured by
// purpose, marked where it overlaps busy time.
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

func (s *slotBlock) span() (int, float32, float32) {
	start := s.occ.Start.In(s.view.loc)
	top := minutesOf(start) * hourHeight / 60
	return dayIndex(s.view.monday, start), top, top + max(float32(s.occ.Minutes)*hourHeight/60, minBlockHeight)
}

// text is the block's own words: "+ Share · Networking" while it waits for
// a post, "✓ Share" once a scheduled or published post fills it.
func (s *slotBlock) text() string {
	name := upperFirst(purposeLabel(s.occ.Purpose))
	switch {
	case s.occ.Purpose == planner.PurposeFollow:
	case s.filled:
		name = "✓ " + name
	default:
		name = "+ " + name
	}
	if s.occ.Role != "" {
		name += " · " + roleLabel(s.occ.Role)
	}
	if s.occ.Conflict {
		name = "⚠ " + name
	}
	return name
}

func (s *slotBlock) tip() string {
	o, loc := s.occ, s.view.loc
	lines := []string{
		dayLabel(o.Start.In(loc), s.view.lang) + " " + clock(o.Start.In(loc)) + "–" + clock(o.End.In(loc)),
		upperFirst(lang.X("agenda.slot", "{{.Purpose}} slot", map[string]any{"Purpose": purposeLabel(o.Purpose)})),
	}
	if o.Role != "" {
		lines = append(lines, roleLabel(o.Role))
	}
	switch {
	case o.Purpose == planner.PurposeFollow:
		lines = append(lines, lang.X("week.tip.follow", "Time to read and follow: tap to open the reading list."))
	case s.filled:
		lines = append(lines, lang.X("week.tip.filled", "A scheduled or published post fills this slot."))
	default:
		lines = append(lines, lang.X("week.tip.open", "Open: tap to write a post for it."))
	}
	if o.Conflict {
		lines = append(lines, lang.X("week.tip.conflict", "Overlaps busy time in your work calendar. Right-click to move it to the nearest free time."))
	}
	return strings.Join(lines, "\n")
}

func (s *slotBlock) CreateRenderer() fyne.WidgetRenderer {
	r := &blockRenderer{obj: s, bg: canvas.NewRectangle(color.Transparent)}
	r.paint = func() {
		c := purposeColor(s.occ.Purpose)
		r.bg.FillColor, r.bg.StrokeColor, r.bg.StrokeWidth = withAlpha(c, 0x38), c, 1
		if s.occ.Conflict {
			r.bg.StrokeColor, r.bg.StrokeWidth = theme.Color(theme.ColorNameWarning), 2
		}
		r.paras = []para{{text: s.text(), color: theme.Color(theme.ColorNameForeground)}}
	}
	return r
}

// Tapped opens the composer for the slot.
func (s *slotBlock) Tapped(*fyne.PointEvent) {
	s.view.body.hideTip(s)
	if s.view.OnSlotTapped != nil {
		s.view.OnSlotTapped(s.occ)
	}
}

// TappedSecondary offers the slot's menu.
func (s *slotBlock) TappedSecondary(ev *fyne.PointEvent) {
	s.view.body.hideTip(s) // the menu takes the pointer, so no MouseOut comes
	if s.view.OnSlotMenu != nil {
		s.view.OnSlotMenu(s.occ, ev.AbsolutePosition)
	}
}

// Cursor shows that a slot can be tapped.
func (s *slotBlock) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (s *slotBlock) MouseIn(*desktop.MouseEvent)    { s.view.body.showTip(s) }
func (s *slotBlock) MouseMoved(*desktop.MouseEvent) {}
func (s *slotBlock) MouseOut()                      { s.view.body.hideTip(s) }

// postChip is one post at its time: its status, time and first words.
type postChip struct {
	widget.BaseWidget
	view     *WeekView
	post     planner.Post
	dragging fyne.Position
	dragged  bool
	landing  string // while dragged: where the post would land
}

func newPostChip(v *WeekView, p planner.Post) *postChip {
	c := &postChip{view: v, post: p}
	c.ExtendBaseWidget(c)
	return c
}

// postChipHeight is a chip's height: three lines of text.
const postChipHeight float32 = 46

func (c *postChip) span() (int, float32, float32) {
	t := c.post.Time.In(c.view.loc)
	top := minutesOf(t) * hourHeight / 60
	return dayIndex(c.view.monday, t), top, top + postChipHeight
}

// linkEnds names the networks whose link ends before the post is due.
func (c *postChip) linkEnds() string { return c.view.linkEnds[c.post.ID] }

func (c *postChip) head() string {
	if c.landing != "" {
		return "→ " + c.landing
	}
	h := statusMark(c.post.Status) + " " + clock(c.post.Time.In(c.view.loc)) + " " + upperFirst(statusLabel(c.post.Status))
	if c.linkEnds() != "" {
		h = "⚠ " + h
	}
	if len(c.post.Images) > 0 {
		h += " · " + imagesLabel(c.post)
	}
	return h
}

func (c *postChip) tip() string {
	p, loc := c.post, c.view.loc
	lines := []string{dayLabel(p.Time.In(loc), c.view.lang) + " " + clock(p.Time.In(loc)) + " · " + upperFirst(statusLabel(p.Status))}
	var about []string
	if n := postNetworks(p); n != "" {
		about = append(about, n)
	}
	if p.Purpose != "" {
		about = append(about, upperFirst(purposeLabel(p.Purpose)))
	}
	if p.Role != "" {
		about = append(about, roleLabel(p.Role))
	}
	if n := imagesLabel(p); n != "" {
		about = append(about, n)
	}
	if len(about) > 0 {
		lines = append(lines, strings.Join(about, " · "))
	}
	text := strings.Split(strings.TrimSpace(p.Text), "\n")
	lines = append(lines, text[:min(len(text), 3)]...)
	if n := c.linkEnds(); n != "" {
		lines = append(lines, lang.X("week.tip.link_ends", "The link to {{.Networks}} ends before this is due: link the account again on the Accounts screen.", map[string]any{"Networks": n}))
	}
	return strings.Join(lines, "\n")
}

func (c *postChip) CreateRenderer() fyne.WidgetRenderer {
	r := &blockRenderer{obj: c, bg: canvas.NewRectangle(color.Transparent)}
	r.paint = func() {
		sc := statusColor(c.post.Status)
		r.bg.FillColor, r.bg.StrokeColor, r.bg.StrokeWidth = theme.Color(theme.ColorNameBackground), sc, 1.5
		head := sc
		if c.linkEnds() != "" {
			r.bg.StrokeColor, head = theme.Color(theme.ColorNameWarning), theme.Color(theme.ColorNameWarning)
		}
		r.paras = []para{{text: c.head(), color: head, bold: true, oneLine: true}, {text: c.post.FirstLine(), color: theme.Color(theme.ColorNameForeground)}}
	}
	return r
}

func (c *postChip) Tapped(*fyne.PointEvent) {
	c.view.body.hideTip(c)
	if c.view.OnPostTapped != nil {
		c.view.OnPostTapped(c.post)
	}
}

func (c *postChip) TappedSecondary(ev *fyne.PointEvent) {
	c.view.body.hideTip(c) // the menu takes the pointer, so no MouseOut comes
	if c.view.OnPostMenu != nil {
		c.view.OnPostMenu(c.post, ev.AbsolutePosition)
	}
}

func (c *postChip) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (c *postChip) MouseIn(*desktop.MouseEvent)    { c.view.body.showTip(c) }
func (c *postChip) MouseMoved(*desktop.MouseEvent) {}
func (c *postChip) MouseOut()                      { c.view.body.hideTip(c) }

// Dragged moves the chip with the pointer and names the time it would land
// on; the drop moves the post there.
func (c *postChip) Dragged(ev *fyne.DragEvent) {
	if !c.post.Status.Editable() {
		return
	}
	v := c.view
	if !c.dragged {
		c.dragged, c.dragging = true, c.Position()
		v.body.hideTip(c)
	}
	c.dragging = c.dragging.Add(ev.Dragged)
	c.Move(c.dragging)
	if to, ok := c.dropTime(); ok {
		c.landing = weekdayShort(to.Weekday()) + " " + clock(to)
	}
	c.Refresh()
}

// dropTime is the time the chip's top left corner points at.
func (c *postChip) dropTime() (time.Time, bool) {
	v := c.view
	col := (v.body.Size().Width - gutterWidth) / 7
	return v.timeAt(c.dragging.Add(fyne.NewPos(min(col/2, c.Size().Width/2), 0)), col)
}

func (c *postChip) DragEnd() {
	if !c.dragged {
		return
	}
	c.dragged, c.landing = false, ""
	v := c.view
	to, ok := c.dropTime()
	if !ok || v.OnPostMoved == nil || to.Equal(c.post.Time) {
		c.Refresh()
		v.body.Refresh()
		return
	}
	v.OnPostMoved(c.post, to)
}

// para is a paragraph of a block: wrapped to the block's width, in a colour.
type para struct {
	text  string
	color color.Color
	bold  bool
	// oneLine keeps the paragraph to a line, so the next has room.
	oneLine bool
}

// blockRenderer draws a rounded background with paragraphs that wrap to the
// block's width and end with an ellipsis only where the height runs out.
type blockRenderer struct {
	obj   fyne.Widget
	bg    *canvas.Rectangle
	paint func() // sets the colours and paragraphs from the item
	paras []para
	lines []*canvas.Text
	objs  []fyne.CanvasObject
}

// blockLine is the height of a line of caption text in a block.
func blockLine() float32 { return theme.CaptionTextSize() * 1.25 }

func (r *blockRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	if r.paras == nil {
		r.paint()
	}
	textSize, lineH := theme.CaptionTextSize(), blockLine()
	room := max(1, int((size.Height-2)/lineH))
	n := 0
	for _, p := range r.paras {
		if n >= room {
			break
		}
		lines := room - n
		if p.oneLine {
			lines = 1
		}
		width := size.Width - 8
		if p.bold {
			width *= 0.92 // bold is wider than the regular widths measured
		}
		for _, l := range wrapText(p.text, textSize, width, lines) {
			t := r.line(n)
			t.Text, t.Color, t.TextSize, t.TextStyle.Bold = l, p.color, textSize, p.bold
			t.Move(fyne.NewPos(4, 1+float32(n)*lineH))
			t.Resize(fyne.NewSize(size.Width-8, lineH))
			t.Show()
			n++
		}
	}
	for _, t := range r.lines[n:] {
		t.Hide()
	}
}

// line is the block's nth text line, made when first needed.
func (r *blockRenderer) line(n int) *canvas.Text {
	for len(r.lines) <= n {
		t := canvas.NewText("", color.Black)
		r.lines = append(r.lines, t)
		r.objs = nil
	}
	return r.lines[n]
}

func (r *blockRenderer) MinSize() fyne.Size { return fyne.NewSize(20, minBlockHeight) }

func (r *blockRenderer) Refresh() {
	r.paint()
	r.Layout(r.obj.Size())
	canvas.Refresh(r.obj)
}

func (r *blockRenderer) Objects() []fyne.CanvasObject {
	if r.objs == nil {
		if r.paras == nil {
			r.paint()
			r.Layout(r.obj.Size())
		}
		r.objs = append([]fyne.CanvasObject{r.bg}, make([]fyne.CanvasObject, 0, len(r.lines))...)
		for _, t := range r.lines {
			r.objs = append(r.objs, t)
		}
	}
	return r.objs
}

func (r *blockRenderer) Destroy() {}

// hoverTip shows an item whole: a card drawn in the grid above the items,
// not an overlay, so that the item under the pointer keeps the pointer.
type hoverTip struct {
	widget.BaseWidget
	label *widget.Label
}

// tipWidth is the width a tip's text wraps at.
const tipWidth float32 = 260

func newHoverTip() *hoverTip {
	t := &hoverTip{label: &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}}
	t.ExtendBaseWidget(t)
	t.Hide()
	return t
}

func (t *hoverTip) set(text string) { t.label.SetText(text) }

// Text is what the tip says.
func (t *hoverTip) Text() string { return t.label.Text }

func (t *hoverTip) MinSize() fyne.Size {
	t.label.Resize(fyne.NewSize(tipWidth, 0))
	return fyne.NewSize(tipWidth, t.label.MinSize().Height)
}

func (t *hoverTip) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.Transparent)
	bg.CornerRadius = theme.InputRadiusSize()
	bg.StrokeWidth = 1
	return &tipRenderer{t: t, bg: bg}
}

type tipRenderer struct {
	t  *hoverTip
	bg *canvas.Rectangle
}

func (r *tipRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	r.t.label.Resize(s)
}

func (r *tipRenderer) MinSize() fyne.Size { return r.t.MinSize() }

func (r *tipRenderer) Refresh() {
	r.bg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	r.bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	r.bg.Refresh()
	r.t.label.Refresh()
}

func (r *tipRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.t.label} }
func (r *tipRenderer) Destroy()                     {}
