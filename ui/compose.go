package ui

import (
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// autosaveDelay is how long typing must pause before the draft is saved.
const autosaveDelay = 3 * time.Second

// Composer writes and edits one post at a time.
type Composer struct {
	widget.BaseWidget

	deps    *Deps
	win     fyne.Window
	changed *signal

	post  planner.Post // the post being edited; ID empty until first saved
	dirty bool

	text    *widget.Entry
	date    *widget.DateEntry
	clock   *widget.Entry
	status  *widget.Select
	purpose *widget.Select
	info    *widget.Label

	mu    sync.Mutex // guards timer, which fires on its own goroutine
	timer *time.Timer
}

// NewComposer makes an empty composer.
func NewComposer(d *Deps, win fyne.Window, changed *signal) *Composer {
	c := &Composer{deps: d, win: win, changed: changed}
	c.text = widget.NewMultiLineEntry()
	c.text.Wrapping = fyne.TextWrapWord
	c.text.SetPlaceHolder(lang.X("compose.placeholder", "What do you want to say? Write as yourself, in your own words."))
	c.text.OnChanged = func(string) { c.markDirty() }
	c.date = widget.NewDateEntry()
	c.date.OnChanged = func(*time.Time) { c.markDirty() }
	c.clock = &widget.Entry{PlaceHolder: "09:00"}
	c.clock.OnChanged = func(string) { c.markDirty() }
	c.status = widget.NewSelect(nil, func(string) { c.markDirty() })
	c.purpose = widget.NewSelect(nil, func(string) { c.markDirty() })
	c.info = &widget.Label{Importance: widget.LowImportance}
	c.fillChoices()
	c.ExtendBaseWidget(c)
	c.New()
	return c
}

var composeStatuses = []planner.Status{planner.StatusIdea, planner.StatusDraft, planner.StatusScheduled}

func (c *Composer) fillChoices() {
	c.status.Options = nil
	for _, s := range composeStatuses {
		c.status.Options = append(c.status.Options, statusLabel(s))
	}
	c.purpose.Options = nil
	for _, p := range planner.Purposes() {
		c.purpose.Options = append(c.purpose.Options, purposeLabel(p))
	}
}

func (c *Composer) CreateRenderer() fyne.WidgetRenderer {
	save := &widget.Button{Text: lang.X("compose.save", "Save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: func() { c.Save() }}
	newBtn := &widget.Button{Text: lang.X("compose.new", "New post"), Icon: theme.ContentAddIcon(), OnTapped: func() { c.Save(); c.New() }}
	form := widget.NewForm(
		widget.NewFormItem(lang.X("compose.date", "Date"), c.date),
		widget.NewFormItem(lang.X("compose.time", "Time"), c.clock),
		widget.NewFormItem(lang.X("compose.status", "Status"), c.status),
		widget.NewFormItem(lang.X("compose.purpose", "Purpose"), c.purpose),
	)
	bottom := container.NewVBox(form, container.NewBorder(nil, nil, nil, container.NewHBox(newBtn, save), c.info))
	return widget.NewSimpleRenderer(container.NewBorder(nil, bottom, nil, nil, c.text))
}

// New clears the composer for a new post.
func (c *Composer) New() {
	c.Edit(planner.Post{Status: planner.StatusDraft})
}

// NewForSlot starts a post for a slot occurrence: its time, purpose and role.
func (c *Composer) NewForSlot(o planner.Occurrence) {
	c.Edit(planner.Post{Status: planner.StatusDraft, Time: o.Start, OccurrenceID: o.ID, Purpose: o.Purpose, Role: o.Role})
}

// Edit loads p into the composer.
func (c *Composer) Edit(p planner.Post) {
	c.stopTimer()
	c.post = p
	c.text.SetText(strings.Join(p.Texts(), "\n\n"))
	if p.Time.IsZero() {
		c.date.SetDate(nil)
		c.clock.SetText("")
	} else {
		t := p.Time.In(c.deps.loc())
		c.date.SetDate(&t)
		c.clock.SetText(clock(t))
	}
	c.status.SetSelected(statusLabel(p.Status))
	if p.Purpose != "" {
		c.purpose.SetSelected(purposeLabel(p.Purpose))
	} else {
		c.purpose.ClearSelected()
	}
	c.stopTimer()
	c.dirty = false
	c.info.SetText("")
	editable := p.Status.Editable() || p.ID == ""
	for _, w := range []fyne.Disableable{c.text, c.date, c.clock, c.status, c.purpose} {
		if editable {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

// collect reads the post from the fields; it fails when the time the user
// typed does not exist.
func (c *Composer) collect() (planner.Post, error) {
	p := c.post
	p.Text, p.Parts = c.text.Text, nil
	for i, s := range composeStatuses {
		if c.status.SelectedIndex() == i {
			p.Status = s
		}
	}
	p.Purpose = ""
	if i := c.purpose.SelectedIndex(); i >= 0 {
		p.Purpose = planner.Purposes()[i]
	}
	p.Time = time.Time{}
	if d := c.date.Date; d != nil {
		ct := planner.ClockTime{Hour: 9}
		if s := strings.TrimSpace(c.clock.Text); s != "" {
			var err error
			if ct, err = planner.ParseClock(s); err != nil {
				return p, err
			}
		}
		p.Time = time.Date(d.Year(), d.Month(), d.Day(), ct.Hour, ct.Minute, 0, 0, c.deps.loc())
	}
	return p, nil
}

// Save stores the post if it changed; an empty new post is not saved.
func (c *Composer) Save() bool {
	c.stopTimer()
	if !c.dirty {
		return true
	}
	p, err := c.collect()
	if err != nil {
		showError(c.win, c.deps.Log, "save post", err)
		return false
	}
	if p.ID == "" && strings.TrimSpace(p.Text) == "" {
		return true
	}
	if p.ID == "" {
		p.ID = planner.NewID()
		p.Created = c.deps.now()
	}
	p.Updated = c.deps.now()
	ctx, cancel := c.deps.ctx()
	defer cancel()
	if err := c.deps.Store.SavePost(ctx, p); err != nil {
		showError(c.win, c.deps.Log, "save post", err)
		return false
	}
	c.post, c.dirty = p, false
	c.info.SetText(lang.X("compose.saved", "Saved {{.Time}}", map[string]any{"Time": clock(p.Updated)}))
	c.changed.emit()
	return true
}

// Autosave saves a dirty post quietly: a draft that breaks a rule (no text
// yet, a half-typed time) waits for the user instead of raising a dialog.
func (c *Composer) Autosave() {
	if !c.dirty {
		return
	}
	p, err := c.collect()
	if err != nil {
		return
	}
	if p.ID == "" {
		p.ID = "new"
	}
	if p.Validate() != nil {
		return
	}
	c.Save()
}

// Dirty reports whether the composer holds unsaved changes.
func (c *Composer) Dirty() bool { return c.dirty }

func (c *Composer) markDirty() {
	c.dirty = true
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
	}
	c.timer = time.AfterFunc(autosaveDelay, func() { fyne.Do(c.Autosave) })
}

func (c *Composer) stopTimer() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
}

// purposeLabel names a purpose in the user's language.
func purposeLabel(p planner.Purpose) string {
	return lang.X("purpose."+string(p), string(p))
}
