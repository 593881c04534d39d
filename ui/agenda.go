package ui

import (
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// agendaDays is how many days the agenda lists.
const agendaDays = 14

// AgendaView lists the coming days' slots and posts in order, as plain
// lines that wrap: it suits a small window and a screen reader, and each
// line can be reached with Tab and opened with Enter or Space.
type AgendaView struct {
	widget.BaseWidget

	// Callbacks; each may be nil.
	OnSlotTapped func(planner.Occurrence)
	OnPostTapped func(planner.Post)

	lang   string
	box    *fyne.Container
	scroll *container.Scroll
	rows   []*agendaRow
}

// NewAgendaView makes an empty agenda.
func NewAgendaView(language string) *AgendaView {
	v := &AgendaView{lang: language, box: container.NewVBox()}
	v.scroll = container.NewVScroll(v.box)
	v.ExtendBaseWidget(v)
	return v
}

func (v *AgendaView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.scroll)
}

// Set lists the days from from on, in loc.
func (v *AgendaView) Set(from, now time.Time, loc *time.Location, occs []planner.Occurrence, posts []planner.Post) {
	type entry struct {
		at   time.Time
		row  *agendaRow
		slot bool
	}
	filled := map[string]bool{}
	for _, p := range posts {
		if p.OccurrenceID != "" && planner.SlotFilled(p.Status) {
			filled[p.OccurrenceID] = true
		}
	}
	byDay := make([][]entry, agendaDays)
	day := func(t time.Time) int { return dayIndex(from, t.In(loc)) }
	for _, o := range occs {
		if d := day(o.Start); d >= 0 && d < agendaDays {
			o := o
			byDay[d] = append(byDay[d], entry{o.Start, v.newRow(slotLine(o, loc, filled[o.ID]), func() {
				if v.OnSlotTapped != nil {
					v.OnSlotTapped(o)
				}
			}), true})
		}
	}
	for _, p := range posts {
		if d := day(p.Time); d >= 0 && d < agendaDays {
			p := p
			byDay[d] = append(byDay[d], entry{p.Time, v.newRow(postLine(p, loc), func() {
				if v.OnPostTapped != nil {
					v.OnPostTapped(p)
				}
			}), false})
		}
	}
	v.box.Objects = v.box.Objects[:0]
	v.rows = v.rows[:0]
	today := dateOf(now.In(loc))
	for d := range agendaDays {
		date := from.AddDate(0, 0, d)
		head := dayLabel(date, v.lang)
		if dateOf(date) == today {
			head = lang.X("agenda.today", "Today, {{.Day}}", map[string]any{"Day": head})
		}
		v.box.Add(&widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}})
		es := byDay[d]
		if len(es) == 0 {
			v.box.Add(&widget.Label{Text: lang.X("agenda.nothing", "Nothing planned"), Importance: widget.LowImportance, SizeName: theme.SizeNameCaptionText})
			continue
		}
		// Slots before posts at the same minute: a slot's post follows it.
		slices.SortStableFunc(es, func(a, b entry) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			switch {
			case a.slot && !b.slot:
				return -1
			case b.slot && !a.slot:
				return 1
			}
			return 0
		})
		for _, e := range es {
			v.box.Add(e.row)
			v.rows = append(v.rows, e.row)
		}
	}
	v.box.Refresh()
}

// Lines are the agenda's lines as they read, for tests and screen readers.
func (v *AgendaView) Lines() []string {
	out := make([]string, len(v.rows))
	for i, r := range v.rows {
		out[i] = r.label.Text
	}
	return out
}

func (v *AgendaView) newRow(text string, open func()) *agendaRow {
	r := &agendaRow{open: open, label: &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}}
	r.ExtendBaseWidget(r)
	return r
}

// slotLine reads "09:00–09:30 · Share slot · Advising · open".
func slotLine(o planner.Occurrence, loc *time.Location, filled bool) string {
	parts := []string{clock(o.Start.In(loc)) + "–" + clock(o.End.In(loc)), upperFirst(lang.X("agenda.slot", "{{.Purpose}} slot", map[string]any{"Purpose": purposeLabel(o.Purpose)}))}
	if o.Role != "" {
		parts = append(parts, roleLabel(o.Role))
	}
	switch {
	case o.Purpose == planner.PurposeFollow:
	case filled:
		parts = append(parts, lang.X("agenda.filled", "filled"))
	default:
		parts = append(parts, lang.X("agenda.open", "open"))
	}
	if o.Conflict {
		parts = append(parts, lang.X("agenda.conflict", "overlaps a meeting"))
	}
	return strings.Join(parts, " · ")
}

// postLine reads "09:15 · Scheduled · X, LinkedIn · Three things we learned…".
func postLine(p planner.Post, loc *time.Location) string {
	status := upperFirst(statusLabel(p.Status))
	if p.Status != planner.StatusIdea { // an idea's mark reads as a separator
		status = statusMark(p.Status) + " " + status
	}
	parts := []string{clock(p.Time.In(loc)), status}
	if n := postNetworks(p); n != "" {
		parts = append(parts, n)
	}
	if n := imagesLabel(p); n != "" {
		parts = append(parts, n)
	}
	return strings.Join(append(parts, p.FirstLine()), " · ")
}

// postNetworks lists the networks a post goes to: "LinkedIn, X".
func postNetworks(p planner.Post) string {
	var names []string
	for _, t := range p.Targets {
		if n := t.Network.DisplayName(); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// agendaRow is one line of the agenda: a wrapping label that opens its
// slot or post when tapped, or with Enter or Space once focused.
type agendaRow struct {
	widget.BaseWidget
	label   *widget.Label
	open    func()
	focused bool
	hovered bool
}

func (r *agendaRow) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.Transparent)
	bg.CornerRadius = theme.InputRadiusSize()
	return &agendaRowRenderer{r: r, bg: bg}
}

type agendaRowRenderer struct {
	r  *agendaRow
	bg *canvas.Rectangle
}

func (x *agendaRowRenderer) Layout(s fyne.Size) {
	x.bg.Resize(s)
	x.r.label.Resize(s)
}

func (x *agendaRowRenderer) MinSize() fyne.Size { return x.r.label.MinSize() }

func (x *agendaRowRenderer) Refresh() {
	switch {
	case x.r.focused:
		x.bg.FillColor = theme.Color(theme.ColorNameFocus)
	case x.r.hovered:
		x.bg.FillColor = theme.Color(theme.ColorNameHover)
	default:
		x.bg.FillColor = color.Transparent
	}
	x.bg.Refresh()
	x.r.label.Refresh()
}

func (x *agendaRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{x.bg, x.r.label}
}
func (x *agendaRowRenderer) Destroy() {}

func (r *agendaRow) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(r); c != nil {
		c.Focus(r)
	}
	r.open()
}

func (r *agendaRow) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (r *agendaRow) FocusGained()   { r.focused = true; r.Refresh() }
func (r *agendaRow) FocusLost()     { r.focused = false; r.Refresh() }
func (r *agendaRow) TypedRune(rune) {}
func (r *agendaRow) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		r.open()
	}
}

func (r *agendaRow) MouseIn(*desktop.MouseEvent)    { r.hovered = true; r.Refresh() }
func (r *agendaRow) MouseMoved(*desktop.MouseEvent) {}
func (r *agendaRow) MouseOut()                      { r.hovered = false; r.Refresh() }
