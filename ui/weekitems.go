package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

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
		text += " · " + roleLabel(s.occ.Role)
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
