package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// postList is the Posts screen's list: a widget.List, which makes widgets
// only for the rows in view, so that ten thousand posts scroll as a dozen
// do. It adds keys: Enter opens the row with the keyboard's focus, Delete
// deletes it.
type postList struct {
	widget.List
	s *PostsScreen
	// cursor is the row with the keyboard's focus, which List keeps to itself.
	cursor int
}

func newPostList(s *PostsScreen) *postList {
	l := &postList{s: s}
	l.Length = func() int { return len(s.rows) }
	l.CreateItem = func() fyne.CanvasObject { return newPostRow(s) }
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < len(s.rows) {
			o.(*postRow).show(s.rows[id])
		}
	}
	l.OnSelected = func(id widget.ListItemID) {
		l.cursor = id
		l.Unselect(id)
		if p, ok := l.postAt(id); ok {
			s.open(p)
		}
	}
	l.ExtendBaseWidget(l)
	return l
}

func (l *postList) postAt(id int) (planner.Post, bool) {
	if id < 0 || id >= len(l.s.rows) || l.s.rows[id].item == nil {
		return planner.Post{}, false
	}
	return l.s.rows[id].item.post, true
}

func (l *postList) clampCursor() {
	if l.cursor >= len(l.s.rows) {
		l.cursor = len(l.s.rows) - 1
	}
	if l.cursor < 0 {
		l.cursor = 0
	}
}

// TypedKey moves, opens and deletes by the keyboard.
func (l *postList) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if p, ok := l.postAt(l.cursor); ok {
			l.s.open(p)
		}
		return
	case fyne.KeyDelete, fyne.KeyBackspace:
		if p, ok := l.postAt(l.cursor); ok {
			l.s.Delete(p)
		}
		return
	case fyne.KeyDown:
		if l.cursor < len(l.s.rows)-1 {
			l.cursor++
		}
	case fyne.KeyUp:
		if l.cursor > 0 {
			l.cursor--
		}
	}
	l.List.TypedKey(e)
}

// postRow shows one row: a day's header, or a post's time, status,
// networks and first line, with a button for what fits the view (the link
// of a published post, an idea's "Draft") and the row's menu.
type postRow struct {
	widget.BaseWidget
	s      *PostsScreen
	post   planner.Post
	header *widget.Label
	// The short columns are plain texts: a label shapes its text again to
	// truncate it, which for a screenful of new rows costs a frame.
	when   *canvas.Text
	status *canvas.Text
	nets   *canvas.Text
	first  *widget.Label
	action *widget.Button
	menu   *widget.Button
	line   *fyne.Container
}

func newPostRow(s *PostsScreen) *postRow {
	r := &postRow{s: s,
		header: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
		when:   canvas.NewText("", theme.Color(theme.ColorNameForeground)),
		status: canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)),
		nets:   canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)),
		first:  &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		action: &widget.Button{Importance: widget.LowImportance},
	}
	// Text, not icons: a row's icons are drawn anew as rows scroll into view.
	r.menu = &widget.Button{Text: "…", Importance: widget.LowImportance}
	r.menu.OnTapped = func() { s.showMenu(r.post, r.menu) }
	h := r.first.MinSize().Height
	pad := theme.Padding()
	cell := func(t *canvas.Text, width float32) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(width, h), container.New(layout.NewCustomPaddedLayout(0, 0, 2*pad, pad), container.NewVBox(layout.NewSpacer(), t, layout.NewSpacer())))
	}
	left := container.NewHBox(cell(r.when, 130), cell(r.status, 120), cell(r.nets, 150))
	r.line = container.NewBorder(nil, nil, left, container.NewHBox(r.action, r.menu), r.first)
	r.ExtendBaseWidget(r)
	return r
}

func (r *postRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.header, r.line))
}

func (r *postRow) show(row postsRow) {
	if row.item == nil {
		r.post = planner.Post{}
		r.header.SetText(row.header)
		r.header.Show()
		r.line.Hide()
		return
	}
	p := row.item.post
	r.post = p
	r.header.Hide()
	r.line.Show()
	setText(r.when, r.s.rowTime(p))
	setText(r.status, statusLabel(p.Status))
	nets := postNetworks(p)
	if nets == "" {
		nets = "—"
	}
	setText(r.nets, ellipsize(nets, 20))
	first := p.FirstLine()
	if first == "" {
		first = lang.X("posts.no_text", "(no text)")
	}
	if n := imagesLabel(p); n != "" {
		first = n + " · " + first
	}
	if len(p.Parts) > 1 {
		first = lang.X("posts.thread", "{{.Count}} parts", map[string]any{"Count": len(p.Parts)}) + " · " + first
	}
	for _, a := range planner.LinksEndedWhenDue(p, r.s.accounts) {
		first = "⚠ " + lang.X("compose.link_ends_when_due", "{{.Network}}: the link ends before this is due", map[string]any{"Network": a.Network.DisplayName()}) + " · " + first
	}
	if r.first.Text != first {
		r.first.SetText(first)
	}
	switch {
	case p.Status == planner.StatusIdea:
		setButton(r.action, lang.X("posts.to_draft_short", "Draft"), nil)
		r.action.OnTapped = func() { r.s.ideaToDraft(p) }
		r.action.Show()
	case p.Status == planner.StatusPublished && firstLink(p) != "":
		setButton(r.action, lang.X("posts.view", "View"), nil)
		r.action.OnTapped = func() { r.s.openLink(p) }
		r.action.Show()
	default:
		r.action.OnTapped = nil
		r.action.Hide()
	}
}

func setText(t *canvas.Text, s string) {
	if t.Text != s {
		t.Text = s
		t.Refresh()
	}
}

// setButton changes a reused row's button only where it differs: an icon
// set again is drawn again.
func setButton(b *widget.Button, text string, icon fyne.Resource) {
	if b.Text != text || b.Icon != icon {
		b.Text, b.Icon = text, icon
		b.Refresh()
	}
}

// imagesLabel says how many pictures a post carries ("2 images"), or
// nothing for a post without any.
func imagesLabel(p planner.Post) string {
	switch len(p.Images) {
	case 0:
		return ""
	case 1:
		return lang.X("posts.image_one", "1 image")
	}
	return lang.X("posts.images", "{{.Count}} images", map[string]any{"Count": len(p.Images)})
}
