package ui

import (
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// MaxComposerChars is the most a post holds in the composer, all parts
// together: far above every network's limit (LinkedIn's 3,000 is the
// highest), and low enough that typing stays fluid.
const MaxComposerChars = 25000

// wrapLimit is the length above which a part's lines are not wrapped while
// it is edited: Fyne wraps the whole text again at each keystroke, which
// past this takes longer than a frame. No network takes a post this long.
const wrapLimit = 3000

// partBox is one part of a thread, or the one text of a post: its own text
// box, its counters, and the buttons that move and remove it. The row
// under the counters is where a part's pictures go.
type partBox struct {
	c       *Composer
	entry   *postEntry
	counter *widget.Label
	over    *widget.Label
	up      *widget.Button
	down    *widget.Button
	remove  *widget.Button
	extras  *fyne.Container
	box     *fyne.Container
	// images are the part's pictures, with their alt texts.
	images   []*partImage
	addImage *widget.Button
}

func newPartBox(c *Composer) *partBox {
	b := &partBox{c: c, entry: newPostEntry(c)}
	b.entry.SetMinRowsVisible(4)
	b.entry.OnChanged = func(string) { c.partChanged(b) }
	b.counter = &widget.Label{SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	b.over = &widget.Label{SizeName: theme.SizeNameCaptionText, Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	b.over.Hide()
	b.up = &widget.Button{Icon: theme.MoveUpIcon(), Importance: widget.LowImportance, OnTapped: func() { c.movePart(b, -1) }}
	b.down = &widget.Button{Icon: theme.MoveDownIcon(), Importance: widget.LowImportance, OnTapped: func() { c.movePart(b, 1) }}
	b.remove = &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() { c.removePart(b) }}
	b.extras = container.NewVBox()
	b.addImage = &widget.Button{Text: lang.X("compose.image.add", "Add image"), Icon: theme.FileImageIcon(), Importance: widget.LowImportance, OnTapped: func() { c.pickImage(b) }}
	b.layoutImages()
	tools := container.NewHBox(b.up, b.down, b.remove)
	b.box = container.NewBorder(nil, container.NewVBox(container.NewBorder(nil, nil, nil, tools, b.counter), b.over, b.extras), nil, nil, b.entry)
	return b
}

// setText fills the box, wrapping its lines unless it is very long.
func (b *partBox) setText(s string) {
	b.fitWrap(s)
	b.entry.SetText(s)
}

func (b *partBox) fitWrap(s string) {
	want := fyne.TextWrapWord
	if len(s) > wrapLimit && utf8.RuneCountInString(s) > wrapLimit {
		want = fyne.TextWrapOff
	}
	if b.entry.Wrapping != want {
		b.entry.Wrapping = want
		b.entry.Refresh()
	}
}

// partChanged follows an edit of one part: the cap, the wrapping, the
// autosave and the checks.
func (c *Composer) partChanged(b *partBox) {
	if c.capText(b) {
		return // capText set the text again, which came back here
	}
	b.fitWrap(b.entry.Text)
	if c.editing {
		return
	}
	c.markDirty()
	c.updateChecks()
}

// capText cuts what goes past MaxComposerChars off the part just edited,
// and says so. It reports whether it cut.
func (c *Composer) capText(b *partBox) bool {
	if c.capping {
		return false
	}
	total := 0
	for _, p := range c.boxes {
		total += len(p.entry.Text)
	}
	if total <= MaxComposerChars { // bytes ≥ characters: nothing to count
		c.capNote.Hide()
		return false
	}
	others := 0
	for _, p := range c.boxes {
		if p != b {
			others += utf8.RuneCountInString(p.entry.Text)
		}
	}
	mine := []rune(b.entry.Text)
	room := MaxComposerChars - others
	if len(mine) <= room {
		c.capNote.Hide()
		return false
	}
	if room < 0 {
		room = 0
	}
	c.capNote.SetText(lang.X("compose.cap", "A post holds at most {{.Max}} characters, far more than any network takes; the rest was left out.", map[string]any{"Max": MaxComposerChars}))
	c.capNote.Show()
	c.capping = true
	b.setText(string(mine[:room]))
	c.capping = false
	c.markDirty()
	c.updateChecks()
	return true
}

// setParts shows texts as the parts, one box each; no texts is one empty box.
func (c *Composer) setParts(texts []string) {
	if len(texts) == 0 {
		texts = []string{""}
	}
	for len(c.boxes) < len(texts) {
		c.boxes = append(c.boxes, newPartBox(c))
	}
	// The pictures of parts that go stay, with the last part that stays.
	last := c.boxes[len(texts)-1]
	for _, gone := range c.boxes[len(texts):] {
		last.images = append(last.images, gone.images...)
	}
	c.boxes = c.boxes[:len(texts)]
	last.layoutImages()
	was := c.editing
	c.editing = true
	for i, t := range texts {
		if c.boxes[i].entry.Text != t {
			c.boxes[i].setText(t)
		}
	}
	c.editing = was
	c.layoutParts()
}

// layoutParts puts the boxes in order, with the tools that fit each.
func (c *Composer) layoutParts() {
	c.text = c.boxes[0].entry
	objs := make([]fyne.CanvasObject, 0, 2*len(c.boxes))
	many := len(c.boxes) > 1
	// A post alone gets room to write; a thread's parts are shorter each,
	// so that several show at once.
	rows := 12
	if many {
		rows = 5
	}
	for i, b := range c.boxes {
		b.entry.SetMinRowsVisible(rows)
		if many {
			objs = append(objs, &widget.Label{Text: lang.X("compose.part", "Part {{.N}}/{{.Count}}", map[string]any{"N": i + 1, "Count": len(c.boxes)}), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText})
		}
		objs = append(objs, b.box)
		setShown(b.up, many && i > 0)
		setShown(b.down, many && i < len(c.boxes)-1)
		setShown(b.remove, many)
	}
	c.partsBox.Objects = objs
	c.partsBox.Refresh()
}

func setShown(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// AddPart adds an empty part after the last and puts the cursor there.
func (c *Composer) AddPart() {
	c.boxes = append(c.boxes, newPartBox(c))
	c.layoutParts()
	c.markDirty()
	c.updateChecks()
	if c.win != nil {
		c.win.Canvas().Focus(c.boxes[len(c.boxes)-1].entry)
	}
}

// movePart moves a part up (-1) or down (1) in the thread.
func (c *Composer) movePart(b *partBox, by int) {
	i := indexOf(c.boxes, b)
	j := i + by
	if i < 0 || j < 0 || j >= len(c.boxes) {
		return
	}
	c.boxes[i], c.boxes[j] = c.boxes[j], c.boxes[i]
	c.layoutParts()
	c.markDirty()
	c.updateChecks()
}

// removePart takes a part out of the thread; its text is joined to the part
// before it when it has any, so that nothing written is lost by a slip.
func (c *Composer) removePart(b *partBox) {
	i := indexOf(c.boxes, b)
	if i < 0 || len(c.boxes) < 2 {
		return
	}
	text := strings.TrimSpace(b.entry.Text)
	c.boxes = append(c.boxes[:i], c.boxes[i+1:]...)
	j := max(i-1, 0)
	if len(b.images) > 0 {
		c.boxes[j].images = append(c.boxes[j].images, b.images...)
		c.boxes[j].layoutImages()
	}
	if text != "" {
		c.boxes[j].setText(strings.TrimRight(c.boxes[j].entry.Text, "\n ") + "\n\n" + text)
		c.removedNote(j)
	}
	c.layoutParts()
	c.markDirty()
	c.updateChecks()
}

// removedNote says where a removed part's text went, with an undo.
func (c *Composer) removedNote(into int) {
	c.notice.show(lang.X("compose.part_joined", "The part's text was joined to part {{.N}}.", map[string]any{"N": into + 1}), "", nil)
}

// partTexts are the boxes' texts as typed.
func (c *Composer) partTexts() []string {
	out := make([]string, len(c.boxes))
	for i, b := range c.boxes {
		out[i] = b.entry.Text
	}
	return out
}

// boxOf is the part box of an entry.
func (c *Composer) boxOf(e *postEntry) *partBox {
	for _, b := range c.boxes {
		if b.entry == e {
			return b
		}
	}
	return nil
}

// kept reports whether the box is a part of the post: the one text always,
// a thread's part when it has words or pictures.
func (c *Composer) kept(b *partBox) bool {
	return len(c.boxes) == 1 || strings.TrimSpace(b.entry.Text) != "" || len(b.images) > 0
}
