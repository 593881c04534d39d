package ui

import (
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// Time choices in the composer.
const (
	timeNextFree = iota
	timeSlot
	timeExact
)

// Composer writes and edits one post at a time.
type Composer struct {
	widget.BaseWidget

	deps    *Deps
	win     fyne.Window
	changed *signal
	zone    *zone
	// shownIn is the zone the time fields were filled in.
	shownIn *time.Location

	post  planner.Post // the post being edited; ID empty until first saved
	base  planner.Post // the post as last read from or written to the store
	dirty bool
	// saver writes the post being edited, in the write lane.
	saver *saver
	// choices loaded off the UI goroutine
	goals      []planner.Goal
	upcoming   []planner.Occurrence
	plan       planner.SlotPlan
	nextFree   *planner.Occurrence
	guidelines planner.Guidelines
	linked     []planner.Account
	profile    planner.RoleProfile
	// defaulted: the new post's role, purpose and networks were filled in.
	defaulted bool
	// editing: Edit is filling the fields, whose handlers must not act yet.
	editing bool

	// text is the first part's box, where writing starts.
	text     *postEntry
	boxes    []*partBox
	partsBox *fyne.Container
	addPart  *widget.Button
	capNote  *widget.Label
	capping  bool // capText is cutting a part
	hashtags []string
	// sharedMarked is the reading-list item last marked shared by a save.
	sharedMarked string
	tagsRow      *fyne.Container
	prompts      *widget.Select
	counters     *fyne.Container
	split        *widget.Button
	warnings     *fyne.Container
	networks     *widget.CheckGroup
	targetOpts   []planner.Target // the post's possible targets, as networks' options
	publish      *widget.Button
	byHand       *widget.Button
	attention    *fyne.Container
	purpose      *widget.Select
	role         *widget.Select
	goal         *widget.Select
	timeMode     *widget.RadioGroup
	slot         *widget.Select
	date         *dateField
	dateCheck    *widget.Label
	clock        *widget.Entry
	nextLabel    *widget.Label
	info         *widget.Label
	schedule     *widget.Button
	// refusals say why Schedule did not schedule, with the ways out.
	refusals *fyne.Container
	remove   *widget.Button
	toDraft  *widget.Button
	// notice says what was just done (deleted, scheduled), with an undo.
	notice *notice

	mu    sync.Mutex // guards timer, which fires on its own goroutine
	timer *time.Timer

	// checks runs the counting and the checks off the UI goroutine.
	checks checkRunner
}

// NewComposer makes an empty composer.
func NewComposer(d *Deps, win fyne.Window, changed *signal, z *zone) *Composer {
	c := &Composer{deps: d, win: win, changed: changed, zone: z, shownIn: z.loc}
	c.partsBox = container.NewVBox()
	c.capNote = &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	c.capNote.Hide()
	c.tagsRow = container.NewStack()
	c.tagsRow.Hide()
	c.setParts(nil)
	c.text.SetPlaceHolder(lang.X("compose.placeholder", "What do you want to say? Write as yourself, in your own words."))
	c.addPart = &widget.Button{Text: lang.X("compose.add_part", "Add a part"), Icon: theme.ContentAddIcon(), Importance: widget.LowImportance, OnTapped: c.AddPart}
	c.prompts = widget.NewSelect(nil, c.usePrompt)
	c.prompts.PlaceHolder = lang.X("compose.prompts", "Start from a prompt…")
	c.counters = container.NewHBox()
	c.split = &widget.Button{Text: lang.X("compose.split", "Split into a thread"), Icon: theme.ContentCutIcon(), OnTapped: c.splitThread}
	c.warnings = container.NewVBox()

	c.networks = widget.NewCheckGroup(nil, func([]string) { c.markDirty(); c.updateChecks(); c.updateActions() })
	c.setTargetOptions(nil)
	c.purpose = widget.NewSelect(nil, func(string) { c.markDirty(); c.updateChecks(); c.loadChoices() })
	c.purpose.PlaceHolder = lang.X("compose.choose", "Choose…")
	for _, p := range planner.Purposes() {
		c.purpose.Options = append(c.purpose.Options, purposeLabel(p))
	}
	c.role = widget.NewSelect(nil, func(string) { c.markDirty(); c.fillPrompts() })
	for _, r := range planner.Roles() {
		c.role.Options = append(c.role.Options, roleLabel(r))
	}
	c.role.PlaceHolder = c.purpose.PlaceHolder
	c.goal = widget.NewSelect(nil, func(string) { c.markDirty() })
	c.timeMode = widget.NewRadioGroup([]string{
		lang.X("compose.time.next", "Next free slot"),
		lang.X("compose.time.slot", "A slot"),
		lang.X("compose.time.exact", "Date and time"),
	}, func(string) { c.markDirty(); c.showTimeMode() })
	c.timeMode.Required = true
	c.slot = widget.NewSelect(nil, func(string) { c.markDirty() })
	c.slot.PlaceHolder = c.purpose.PlaceHolder
	c.date = newDateField(d.Lang)
	c.dateCheck = &widget.Label{Importance: widget.LowImportance}
	c.date.OnChanged = func(string) { c.markDirty(); c.checkDate() }
	c.clock = &widget.Entry{PlaceHolder: "09:00"}
	c.clock.OnChanged = func(string) { c.markDirty() }
	c.nextLabel = &widget.Label{Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord}
	c.info = &widget.Label{Importance: widget.LowImportance}
	c.publish = &widget.Button{Text: lang.X("compose.publish_now", "Publish now"), Icon: theme.MailSendIcon(), OnTapped: c.publishNow}
	c.byHand = &widget.Button{Text: lang.X("compose.post_by_hand", "Post by hand"), Icon: theme.ComputerIcon(), Importance: widget.LowImportance, OnTapped: c.postByHand}
	c.attention = container.NewVBox()
	c.toDraft = &widget.Button{Text: lang.X("posts.to_draft", "Draft for the next free slot"), Icon: theme.DocumentCreateIcon(), Importance: widget.HighImportance, OnTapped: c.IdeaToDraft}
	c.toDraft.Hide()
	c.remove = &widget.Button{Text: lang.X("compose.delete", "Delete"), Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: c.Delete}
	c.notice = newNotice(d)
	c.schedule = &widget.Button{Text: lang.X("compose.schedule", "Schedule"), Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: c.Schedule}
	c.refusals = container.NewVBox()
	c.ExtendBaseWidget(c)
	c.New()
	changed.listen(c.zoneChanged)
	changed.listen(c.loadChoices)
	changed.listen(c.reloadPost)
	return c
}

// zoneChanged shows the time fields in the window's new zone, naming the
// same moment as before, typed or not; a half-typed time stays as it is.
func (c *Composer) zoneChanged() {
	old := c.shownIn
	if c.zone.loc == old {
		return
	}
	c.shownIn = c.zone.loc
	hhmm := strings.TrimSpace(c.clock.Text)
	day, err := c.date.Value()
	if err != nil || day == nil || hhmm == "" {
		return
	}
	t, err := dateAndClock(day, hhmm, old)
	if err != nil {
		return
	}
	// Showing the same moment anew is not an edit by the user.
	wasDirty := c.dirty
	c.showTime(t)
	c.dirty = wasDirty
}

// showTime fills the date and time fields with t in the window's zone, or
// empties them for no time.
func (c *Composer) showTime(t time.Time) {
	c.shownIn = c.zone.loc
	if t.IsZero() {
		c.date.SetDate(nil)
		c.clock.SetText("")
		return
	}
	t = t.In(c.zone.loc)
	c.date.SetDate(&t)
	c.clock.SetText(clock(t))
}

// reloadPost shows what the outbox or the week did to the open post, as long
// as the user has not started changing it here.
func (c *Composer) reloadPost() {
	id := c.base.ID
	if id == "" || c.dirty {
		return
	}
	c.deps.background(func() {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		p, err := c.deps.Store.Post(ctx, id)
		if err != nil {
			return // deleted: what is on screen can still be saved anew
		}
		c.deps.do(func() {
			// Only a newer version: a read that started before the composer's
			// own last save would bring back an older text.
			if c.base.ID == id && !c.dirty && p.Updated.After(c.base.Updated) {
				c.Edit(p)
			}
		})
	})
}

func (c *Composer) CreateRenderer() fyne.WidgetRenderer {
	draft := &widget.Button{Text: lang.X("compose.save_draft", "Save draft"), Icon: theme.DocumentSaveIcon(), OnTapped: func() { c.saveAs(planner.StatusDraft) }}
	cp := &widget.Button{Text: lang.X("compose.copy", "Copy text"), Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance, OnTapped: c.copyText}
	newBtn := &widget.Button{Text: lang.X("compose.new", "New post"), Icon: theme.ContentAddIcon(), Importance: widget.LowImportance, OnTapped: func() { c.Save(); c.New() }}

	counterRow := container.NewBorder(nil, nil, nil, c.split, container.NewHScroll(c.counters))
	// In this order, so that Tab goes from the prompts to the text and on.
	below := container.NewVBox(counterRow, c.tagsRow, c.capNote, c.warnings)
	editor := container.New(layout.NewBorderLayout(c.prompts, below, nil, nil), c.prompts,
		container.NewVScroll(container.NewVBox(c.partsBox, container.NewHBox(c.addPart))), below)

	clockBox := container.NewGridWrap(fyne.NewSize(80, c.clock.MinSize().Height), c.clock)
	timeBox := container.NewVBox(c.timeMode, c.nextLabel, c.slot, container.NewBorder(nil, nil, nil, clockBox, c.date), c.dateCheck)
	form := widget.NewForm(
		widget.NewFormItem(lang.X("compose.networks", "Networks"), c.networks),
		widget.NewFormItem(lang.X("compose.purpose", "Purpose"), c.purpose),
		widget.NewFormItem(lang.X("compose.role", "Role"), c.role),
		widget.NewFormItem(lang.X("compose.goal", "Goal"), c.goal),
		widget.NewFormItem(lang.X("compose.time", "Time"), timeBox),
	)
	idea := &widget.Button{Text: lang.X("compose.save_idea", "Keep as an idea"), Icon: theme.FolderIcon(), Importance: widget.LowImportance, OnTapped: c.SaveIdea}
	buttons := container.NewVBox(c.attention, c.refusals, c.info, c.toDraft, container.NewGridWithColumns(2, draft, c.schedule), container.NewGridWithColumns(2, idea), container.NewGridWithColumns(2, c.publish, c.byHand), container.NewGridWithColumns(3, cp, newBtn, c.remove))
	side := container.NewBorder(nil, buttons, nil, nil, container.NewVScroll(form))
	split := container.NewHSplit(editor, side)
	split.SetOffset(0.55)
	return widget.NewSimpleRenderer(container.NewBorder(nil, c.notice.box, nil, nil, split))
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
	c.post, c.base, c.saver = p, p, &saver{base: p}
	c.defaulted, c.editing = false, true
	c.capNote.Hide()
	if len(p.Parts) > 0 {
		c.setParts(p.Parts)
	} else {
		c.setParts([]string{p.Text})
	}
	c.showImages(p)
	c.selectTargets(p.Targets)
	selectIndex(c.purpose, indexOf(planner.Purposes(), p.Purpose))
	selectIndex(c.role, indexOf(planner.Roles(), p.Role))
	switch {
	case p.OccurrenceID != "":
		c.timeMode.SetSelected(c.timeMode.Options[timeSlot])
	case !p.Time.IsZero() || p.ID != "":
		c.timeMode.SetSelected(c.timeMode.Options[timeExact])
	default:
		c.timeMode.SetSelected(c.timeMode.Options[timeNextFree])
	}
	c.showTime(p.Time)
	c.fillPrompts()
	c.editing = false
	c.loadChoices()
	c.showTimeMode()
	c.stopTimer()
	c.dirty = false
	c.info.SetText(statusLabel(p.Status))
	c.clearRefusals()
	setShown(c.toDraft, p.Status == planner.StatusIdea)
	editable := p.Status.Editable() || p.ID == ""
	ws := []fyne.Disableable{c.networks, c.purpose, c.role, c.goal, c.timeMode, c.slot, c.date, c.clock, c.schedule, c.prompts, c.split, c.addPart}
	for _, b := range c.boxes {
		ws = append(ws, b.entry, b.up, b.down, b.remove, b.addImage)
		for _, pi := range b.images {
			ws = append(ws, pi.alt)
		}
	}
	for _, w := range ws {
		if editable {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	c.updateChecks()
	c.updateActions()
}

func (c *Composer) fillPrompts() {
	r := c.selectedRole()
	if r == "" {
		r = planner.RoleInforming
	}
	c.prompts.Options = nil
	for _, k := range planner.InfoFor(r).PromptKeys {
		c.prompts.Options = append(c.prompts.Options, lang.X(k, k))
	}
	c.prompts.ClearSelected()
}

// usePrompt adds a role's example prompt to the text as a start: at the
// end of the first part, never in place of what is written, and as an
// edit that Ctrl+Z takes back.
func (c *Composer) usePrompt(s string) {
	if s == "" {
		return
	}
	ins := s + "\n\n"
	if strings.TrimSpace(c.text.Text) != "" {
		ins = "\n\n" + s
	}
	c.text.insertAtEnd(ins)
	c.win.Canvas().Focus(c.text)
}

func (c *Composer) copyText() {
	fyne.CurrentApp().Clipboard().SetContent(strings.Join(c.parts(), "\n\n"))
	c.info.SetText(lang.X("compose.copied", "Text copied."))
}

// Delete deletes the post being edited, with an undo for a few seconds,
// and starts a new one. Unsaved edits are saved first, so that the undo
// brings back what was on screen; a post never saved is only cleared, and
// the undo puts its text back.
func (c *Composer) Delete() {
	if c.post.ID == "" {
		kept, _ := c.collect()
		c.New()
		if strings.TrimSpace(strings.Join(kept.Texts(), "")) != "" {
			c.notice.showUndo(lang.X("compose.cleared", "The text was cleared."), func() {
				c.Edit(kept)
				c.dirty = true
			})
		}
		return
	}
	c.SaveThen(func(saved bool) {
		if !saved {
			return
		}
		askDelete(c.deps, c.win, c.notice, c.changed, c.post, c.New)
	})
}
