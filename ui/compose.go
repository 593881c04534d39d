package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/textrules"
)

// threadSeparator divides the parts of a thread in the composer's text.
const threadSeparator = "\n---\n"

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

	text       *widget.Entry
	prompts    *widget.Select
	counters   *fyne.Container
	split      *widget.Button
	warnings   *fyne.Container
	networks   *widget.CheckGroup
	targetOpts []planner.Target // the post's possible targets, as networks' options
	publish    *widget.Button
	byHand     *widget.Button
	attention  *fyne.Container
	purpose    *widget.Select
	role       *widget.Select
	goal       *widget.Select
	timeMode   *widget.RadioGroup
	slot       *widget.Select
	date       *widget.DateEntry
	clock      *widget.Entry
	nextLabel  *widget.Label
	info       *widget.Label
	schedule   *widget.Button

	mu    sync.Mutex // guards timer, which fires on its own goroutine
	timer *time.Timer
}

// NewComposer makes an empty composer.
func NewComposer(d *Deps, win fyne.Window, changed *signal, z *zone) *Composer {
	c := &Composer{deps: d, win: win, changed: changed, zone: z, shownIn: z.loc}
	c.text = widget.NewMultiLineEntry()
	c.text.Wrapping = fyne.TextWrapWord
	c.text.SetPlaceHolder(lang.X("compose.placeholder", "What do you want to say? Write as yourself, in your own words."))
	c.text.OnChanged = func(string) { c.markDirty(); c.updateChecks() }
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
	c.date = widget.NewDateEntry()
	c.date.OnChanged = func(*time.Time) { c.markDirty() }
	c.clock = &widget.Entry{PlaceHolder: "09:00"}
	c.clock.OnChanged = func(string) { c.markDirty() }
	c.nextLabel = &widget.Label{Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord}
	c.info = &widget.Label{Importance: widget.LowImportance}
	c.publish = &widget.Button{Text: lang.X("compose.publish_now", "Publish now"), Icon: theme.MailSendIcon(), OnTapped: c.publishNow}
	c.byHand = &widget.Button{Text: lang.X("compose.post_by_hand", "Post by hand"), Icon: theme.ComputerIcon(), Importance: widget.LowImportance, OnTapped: c.postByHand}
	c.attention = container.NewVBox()
	c.schedule = &widget.Button{Text: lang.X("compose.schedule", "Schedule"), Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: func() { c.saveAs(planner.StatusScheduled) }}
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
	if c.date.Date == nil || hhmm == "" {
		return
	}
	t, err := dateAndClock(c.date.Date, hhmm, old)
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
	editor := container.NewBorder(c.prompts, container.NewVBox(counterRow, c.warnings), nil, nil, c.text)

	clockBox := container.NewGridWrap(fyne.NewSize(80, c.clock.MinSize().Height), c.clock)
	timeBox := container.NewVBox(c.timeMode, c.nextLabel, c.slot, container.NewBorder(nil, nil, nil, clockBox, c.date))
	form := widget.NewForm(
		widget.NewFormItem(lang.X("compose.networks", "Networks"), c.networks),
		widget.NewFormItem(lang.X("compose.purpose", "Purpose"), c.purpose),
		widget.NewFormItem(lang.X("compose.role", "Role"), c.role),
		widget.NewFormItem(lang.X("compose.goal", "Goal"), c.goal),
		widget.NewFormItem(lang.X("compose.time", "Time"), timeBox),
	)
	buttons := container.NewVBox(c.attention, c.info, container.NewGridWithColumns(2, draft, c.schedule), container.NewGridWithColumns(2, c.publish, c.byHand), container.NewGridWithColumns(2, cp, newBtn))
	side := container.NewBorder(nil, buttons, nil, nil, container.NewVScroll(form))
	split := container.NewHSplit(editor, side)
	split.SetOffset(0.55)
	return widget.NewSimpleRenderer(split)
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
	if len(p.Parts) > 0 {
		c.text.SetText(strings.Join(p.Parts, threadSeparator))
	} else {
		c.text.SetText(p.Text)
	}
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
	c.loadChoices()
	c.showTimeMode()
	c.stopTimer()
	c.dirty = false
	c.info.SetText(statusLabel(p.Status))
	editable := p.Status.Editable() || p.ID == ""
	for _, w := range []fyne.Disableable{c.text, c.networks, c.purpose, c.role, c.goal, c.timeMode, c.slot, c.date, c.clock, c.schedule, c.prompts, c.split} {
		if editable {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	c.updateChecks()
	c.updateActions()
}

// loadChoices reads the goals and the coming slots off the UI goroutine.
func (c *Composer) loadChoices() {
	goalID, occID := c.post.GoalID, c.post.OccurrenceID
	loc, now, purpose := c.zone.loc, c.zone.now(c.deps), c.selectedPurpose()
	c.deps.background(func() {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		goals, gerr := c.deps.Store.Goals(ctx)
		linked, _ := c.deps.Store.Accounts(ctx)
		st, serr := c.deps.Store.Settings(ctx)
		plan, occs, next, perr := slotChoices(ctx, c.deps.Store, loc, now, purpose)
		c.deps.do(func() {
			if err := errors.Join(gerr, serr, perr); err != nil {
				c.deps.Log.WithError(err).Warn("load composer choices")
			}
			// Filling the pickers is not an edit by the user.
			wasDirty := c.dirty
			defer func() { c.dirty = wasDirty }()
			c.goals, c.plan, c.upcoming, c.nextFree = goals, plan, occs, next
			if serr == nil {
				c.guidelines = st.Guidelines
			}
			c.setTargetOptions(linked)
			c.updateActions()
			c.goal.Options = []string{lang.X("compose.goal.none", "No particular goal")}
			sel := 0
			for i, g := range goals {
				c.goal.Options = append(c.goal.Options, g.Title)
				if g.ID == goalID {
					sel = i + 1
				}
			}
			selectIndex(c.goal, sel)
			c.slot.Options = nil
			sel = -1
			for i, o := range occs {
				c.slot.Options = append(c.slot.Options, occurrenceLabel(o, c.zone.loc, c.deps.Lang))
				if o.ID == occID {
					sel = i
				}
			}
			selectIndex(c.slot, sel)
			c.updateNextFree()
			c.updateChecks()
		})
	})
}

// slotChoices lists the next four weeks' occurrences from now and the next
// free one for purpose (any that takes a post, when empty).
func slotChoices(ctx context.Context, store planner.Store, loc *time.Location, now time.Time, purpose planner.Purpose) (planner.SlotPlan, []planner.Occurrence, *planner.Occurrence, error) {
	plan, err := planner.ActivePlan(ctx, store, loc)
	if err != nil || len(plan.Slots) == 0 {
		return plan, nil, nil, err
	}
	xs, err := store.Exceptions(ctx)
	if err != nil {
		return plan, nil, nil, err
	}
	occs, err := plan.Occurrences(now, now.AddDate(0, 0, 28), xs)
	if err != nil {
		return plan, nil, nil, err
	}
	posts, err := store.PostsBetween(ctx, now, now.AddDate(1, 0, 0))
	if err != nil {
		return plan, occs, nil, err
	}
	// Without a purpose, any slot that takes a post will do; follow slots do not.
	purposes := []planner.Purpose{purpose}
	if purpose == "" {
		purposes = []planner.Purpose{planner.PurposeWrite, planner.PurposeShare, planner.PurposeConverse}
	}
	var next *planner.Occurrence
	for _, p := range purposes {
		if o, ok := planner.NextFreeSlot(plan, xs, posts, p, now); ok && (next == nil || o.Start.Before(next.Start)) {
			next = &o
		}
	}
	return plan, occs, next, nil
}

// updateNextFree shows which slot "next free slot" means now.
func (c *Composer) updateNextFree() {
	if c.nextFree == nil {
		c.nextLabel.SetText(lang.X("compose.no_free_slot", "No free slot in the next four weeks: add slots on the Role screen, or choose a date and time."))
		return
	}
	c.nextLabel.SetText(occurrenceLabel(*c.nextFree, c.zone.loc, c.deps.Lang))
}

func (c *Composer) showTimeMode() {
	mode := indexOfString(c.timeMode.Options, c.timeMode.Selected)
	show := func(o fyne.CanvasObject, on bool) {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
	show(c.nextLabel, mode == timeNextFree)
	show(c.slot, mode == timeSlot)
	show(c.date, mode == timeExact)
	show(c.clock, mode == timeExact)
	c.updateNextFree()
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

// usePrompt puts a role's example prompt in an empty composer as a start.
func (c *Composer) usePrompt(s string) {
	if s == "" {
		return
	}
	if strings.TrimSpace(c.text.Text) == "" {
		c.text.SetText(s + "\n\n")
	} else {
		c.text.SetText(c.text.Text + "\n\n" + s)
	}
	c.win.Canvas().Focus(c.text)
}

// parts are the thread's parts as typed, or the one text.
func (c *Composer) parts() []string {
	raw := strings.Split(c.text.Text, threadSeparator)
	if len(raw) == 1 {
		return raw
	}
	out := make([]string, 0, len(raw))
	for _, p := range raw {
		if t := strings.TrimSpace(p); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// setTargetOptions offers the linked accounts, then each network by hand.
func (c *Composer) setTargetOptions(linked []planner.Account) {
	selected := c.selectedTargets()
	c.targetOpts, c.networks.Options = nil, nil
	for _, a := range linked {
		c.targetOpts = append(c.targetOpts, planner.Target{AccountID: a.ID, Network: a.Network})
		c.networks.Options = append(c.networks.Options, a.Network.DisplayName()+" @"+a.Handle)
	}
	for _, n := range planner.Networks() {
		c.targetOpts = append(c.targetOpts, planner.Target{Network: n})
		c.networks.Options = append(c.networks.Options, lang.X("compose.by_hand", "{{.Network}} by hand", map[string]any{"Network": n.DisplayName()}))
	}
	c.selectTargets(selected)
}

func (c *Composer) selectTargets(ts []planner.Target) {
	var labels []string
	for _, t := range ts {
		for i, o := range c.targetOpts {
			if o == t {
				labels = append(labels, c.networks.Options[i])
			}
		}
	}
	c.networks.Selected = labels
	c.networks.Refresh()
}

func (c *Composer) selectedTargets() []planner.Target {
	var out []planner.Target
	for i, l := range c.networks.Options {
		if i < len(c.targetOpts) && slices.Contains(c.networks.Selected, l) {
			out = append(out, c.targetOpts[i])
		}
	}
	return out
}

// selectedNetworks are the networks the post goes to, each once.
func (c *Composer) selectedNetworks() []planner.Network {
	var out []planner.Network
	for _, t := range c.selectedTargets() {
		if !slices.Contains(out, t.Network) {
			out = append(out, t.Network)
		}
	}
	return out
}

// updateChecks refreshes the counters and the pre-publish warnings.
func (c *Composer) updateChecks() {
	nets := c.selectedNetworks()
	if len(nets) == 0 {
		nets = []planner.Network{planner.NetworkX}
	}
	parts := c.parts()
	c.counters.Objects = nil
	over := false
	for _, n := range nets {
		worst := textrules.Result{}
		for _, p := range parts {
			r := textrules.Count(textrules.Network(n), p)
			if r.Length >= worst.Length {
				worst = r
			}
		}
		col := theme.Color(theme.ColorNameForeground)
		if worst.Length > worst.Limit {
			col, over = theme.Color(theme.ColorNameError), true
		}
		label := fmt.Sprintf("%s %d/%d", n.DisplayName(), worst.Length, worst.Limit)
		if len(parts) > 1 {
			label += " · " + lang.X("compose.parts", "{{.Count}} parts", map[string]any{"Count": len(parts)})
		}
		t := canvas.NewText(label, col)
		t.TextStyle.Bold = worst.Length > worst.Limit
		c.counters.Add(t)
	}
	if over {
		c.split.Enable()
	} else {
		c.split.Disable()
	}
	c.counters.Refresh()

	p := c.currentForChecks()
	c.warnings.Objects = nil
	for _, w := range planner.Check(p, c.guidelines) {
		icon := widget.NewIcon(theme.InfoIcon())
		if w.Severity == planner.SeverityWarning {
			icon = widget.NewIcon(theme.WarningIcon())
		}
		c.warnings.Add(container.NewBorder(nil, nil, icon, nil, &widget.Label{Text: lang.X(w.Key, w.Key, w.Data), Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}))
	}
	c.warnings.Refresh()
}

func (c *Composer) currentForChecks() planner.Post {
	p := c.post
	parts := c.parts()
	if len(parts) > 1 {
		p.Text, p.Parts = "", parts
	} else {
		p.Text, p.Parts = c.text.Text, nil
	}
	p.Purpose = c.selectedPurpose()
	p.Targets = c.selectedTargets()
	return p
}

// splitThread cuts the text into parts that fit the strictest network.
func (c *Composer) splitThread() {
	nets := c.selectedNetworks()
	if len(nets) == 0 {
		nets = []planner.Network{planner.NetworkX}
	}
	strictest := nets[0]
	for _, n := range nets {
		if textrules.Limit(textrules.Network(n)) < textrules.Limit(textrules.Network(strictest)) {
			strictest = n
		}
	}
	text := strings.Join(c.parts(), "\n\n")
	parts := textrules.Split(textrules.Network(strictest), text)
	if len(parts) > 1 {
		c.text.SetText(strings.Join(parts, threadSeparator))
	}
}

func (c *Composer) copyText() {
	fyne.CurrentApp().Clipboard().SetContent(strings.Join(c.parts(), "\n\n"))
	c.info.SetText(lang.X("compose.copied", "Text copied."))
}

func (c *Composer) selectedPurpose() planner.Purpose {
	if i := c.purpose.SelectedIndex(); i >= 0 {
		return planner.Purposes()[i]
	}
	return ""
}

func (c *Composer) selectedRole() planner.Role {
	if i := c.role.SelectedIndex(); i >= 0 {
		return planner.Roles()[i]
	}
	return ""
}

// collect reads the post from the fields; it fails when the time the user
// typed does not exist.
func (c *Composer) collect() (planner.Post, error) {
	p := c.currentForChecks()
	p.Role = c.selectedRole()
	p.GoalID = ""
	if i := c.goal.SelectedIndex(); i > 0 && i-1 < len(c.goals) {
		p.GoalID = c.goals[i-1].ID
	}
	p.Time, p.OccurrenceID = time.Time{}, ""
	switch indexOfString(c.timeMode.Options, c.timeMode.Selected) {
	case timeNextFree:
		if c.nextFree != nil {
			p.Time, p.OccurrenceID = c.nextFree.Start, c.nextFree.ID
		}
	case timeSlot:
		if i := c.slot.SelectedIndex(); i >= 0 && i < len(c.upcoming) {
			p.Time, p.OccurrenceID = c.upcoming[i].Start, c.upcoming[i].ID
		} else if !c.post.Time.IsZero() {
			p.Time, p.OccurrenceID = c.post.Time, c.post.OccurrenceID // a slot beyond the list
		}
	case timeExact:
		if d := c.date.Date; d != nil {
			hhmm := strings.TrimSpace(c.clock.Text)
			if hhmm == "" {
				hhmm = "09:00"
			}
			t, err := dateAndClock(d, hhmm, c.zone.loc)
			if err != nil {
				return p, err
			}
			p.Time = t
		}
	}
	return p, nil
}

// saveAs saves the post with a status the user chose by a button.
func (c *Composer) saveAs(st planner.Status) {
	c.post.Status = st
	c.dirty = true
	c.Save()
}

// Save stores the post if it changed; an empty new post is not saved. The
// write goes on in the background; it reports false when the fields make
// no post to save (a time that does not exist), and a dialog says why.
func (c *Composer) Save() bool { return c.save(nil) }

// SaveThen saves as Save does and calls done on the UI goroutine once the
// post is on disk (saved true), or could not be saved, which a dialog
// has said (false).
func (c *Composer) SaveThen(done func(saved bool)) { c.save(done) }

func (c *Composer) save(done func(saved bool)) bool {
	c.stopTimer()
	finish := func(saved bool) {
		if done != nil {
			done(saved)
		}
	}
	if !c.dirty {
		finish(true)
		return true
	}
	p, err := c.collect()
	if err != nil {
		showError(c.win, c.deps.Log, "save post", err)
		finish(false)
		return false
	}
	if !c.stamp(&p) {
		finish(true)
		return true
	}
	// Edits from now on are of this post, not another new one.
	c.post.ID, c.post.Created, c.dirty = p.ID, p.Created, false
	s := c.saver
	c.deps.write(func() {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		saved, forked, err := s.save(ctx, c.deps.Store, p)
		c.deps.do(func() {
			if err != nil {
				c.dirty = true
				showError(c.win, c.deps.Log, "save post", err)
				finish(false)
				return
			}
			c.saved(s, saved, forked)
			finish(true)
		})
	})
	return true
}

// saved shows that p is on disk, if the composer still holds the post s saves.
func (c *Composer) saved(s *saver, p planner.Post, forked bool) {
	if forked {
		dialog.ShowInformation(lang.X("compose.published_meanwhile.title", "The post went out"),
			lang.X("compose.published_meanwhile", "This post was published while you were editing it, as it was before your changes. Your changes are kept here as a new draft."), c.win)
	}
	if s != c.saver {
		c.changed.emit()
		return
	}
	c.post, c.base = p, p
	if forked {
		c.updateActions()
	}
	c.info.SetText(lang.X("compose.saved", "Saved {{.Time}}", map[string]any{"Time": clock(p.Updated)}) + " · " + statusLabel(p.Status))
	c.changed.emit()
}

// saver writes one opened post, in the write lane: each save starts from
// what the one before it stored, so that a save asked for while another is
// on its way merges against the right version.
type saver struct {
	mu   sync.Mutex
	base planner.Post // as last read from or written to the store
}

// save stores p, the user's version, against the version last stored.
func (s *saver) save(ctx context.Context, store planner.PostStore, p planner.Post) (planner.Post, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base.ID != "" && s.base.ID != p.ID {
		// An earlier save forked the post into a new draft: this one goes there too.
		p.ID, p.Created, p.Status, p.OccurrenceID = s.base.ID, s.base.Created, s.base.Status, s.base.OccurrenceID
	}
	saved, forked, err := planner.SaveEdits(ctx, store, s.base, p)
	if err == nil {
		s.base = saved
	}
	return saved, forked, err
}

// stamp gives a new post its ID and creation time, and marks p updated now.
// It reports false for a new post without text, which is not saved.
func (c *Composer) stamp(p *planner.Post) bool {
	if p.ID == "" {
		if strings.TrimSpace(strings.Join(p.Texts(), "")) == "" {
			return false
		}
		p.ID, p.Created = planner.NewID(), c.deps.now()
	}
	p.Updated = c.deps.now()
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

// SaveBeforeExit saves a dirty post without asking anyone, for when the app
// must quit now. A half-typed time keeps the post's previous time, and a post
// that breaks a rule as it stands is kept as a draft, so the text survives.
// The write finishes after the window is gone: see Window.WaitForWrites.
func (c *Composer) SaveBeforeExit() {
	c.stopTimer()
	if !c.dirty {
		return
	}
	p, err := c.collect()
	if err != nil {
		p.Time, p.OccurrenceID = c.post.Time, c.post.OccurrenceID
	}
	if !c.stamp(&p) {
		return
	}
	if p.Validate() != nil && p.Status != planner.StatusIdea {
		p.Status = planner.StatusDraft
	}
	c.dirty = false
	s, log := c.saver, c.deps.Log
	c.deps.write(func() {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		if _, _, err := s.save(ctx, c.deps.Store, p); err != nil {
			log.WithError(err).Error("could not save the post before quitting")
		}
	})
}

// Dirty reports whether the composer holds unsaved changes.
func (c *Composer) Dirty() bool { return c.dirty }

// markDirty notes an edit and makes sure a save comes within the autosave
// delay: the timer is not reset by further typing, so steady typing is
// saved every few seconds and a crash loses at most that much.
func (c *Composer) markDirty() {
	c.dirty = true
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		return
	}
	c.timer = time.AfterFunc(c.deps.autosaveDelay(), func() {
		c.mu.Lock()
		c.timer = nil
		c.mu.Unlock()
		c.deps.do(c.Autosave)
	})
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

func roleLabel(r planner.Role) string {
	return lang.X(planner.InfoFor(r).NameKey, string(r))
}

// occurrenceLabel is "ke 2.12. 10:00 · Share · Advising", in loc.
func occurrenceLabel(o planner.Occurrence, loc *time.Location, language string) string {
	t := o.Start.In(loc)
	s := dayLabel(t, language) + " " + clock(t) + " · " + purposeLabel(o.Purpose)
	if o.Role != "" {
		s += " · " + roleLabel(o.Role)
	}
	return s
}

func selectIndex(s *widget.Select, i int) {
	if i < 0 {
		s.ClearSelected()
		return
	}
	s.SetSelectedIndex(i)
}

func indexOf[T comparable](xs []T, x T) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

func indexOfString(xs []string, x string) int { return indexOf(xs, x) }
