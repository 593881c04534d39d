package ui

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// postEntry is where a post is written. Tab and Shift+Tab leave it for the
// next control (a Tab is never typed into a post), Ctrl+Enter schedules,
// and the window's shortcuts work while typing.
type postEntry struct {
	widget.Entry
	c *Composer
}

func newPostEntry(c *Composer) *postEntry {
	e := &postEntry{c: c}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// insertAtEnd adds s after the text as if it were pasted there, so that
// the entry's own undo takes it back.
func (e *postEntry) insertAtEnd(s string) {
	lines := strings.Split(e.Text, "\n")
	e.CursorRow = len(lines) - 1
	e.CursorColumn = utf8.RuneCountInString(lines[len(lines)-1])
	e.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: textClipboard(s)})
}

// textClipboard hands one text to a paste.
type textClipboard string

func (t textClipboard) Content() string { return string(t) }
func (textClipboard) SetContent(string) {}

// AcceptsTab is false: Tab moves the focus on, as everywhere else.
func (e *postEntry) AcceptsTab() bool { return false }

func (e *postEntry) TypedShortcut(s fyne.Shortcut) {
	if isCtrlEnter(s) {
		e.c.Schedule()
		return
	}
	if paste, ok := s.(*fyne.ShortcutPaste); ok && paste.Clipboard != nil {
		// Unwrap before a long paste lands: wrapping it would take seconds.
		if b := e.c.boxOf(e); b != nil {
			b.fitWrap(e.Text + paste.Clipboard.Content())
		}
	}
	e.Entry.TypedShortcut(s)
	if windowShortcut(s) {
		if h, ok := e.c.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }); ok {
			h.TypedShortcut(s)
		}
	}
}

// windowShortcut reports whether s is one of the window's own shortcuts
// (Ctrl+N, Ctrl+S, Ctrl+T, Ctrl+F, Ctrl+1…, Ctrl+/), which a focused entry would
// otherwise swallow.
func windowShortcut(s fyne.Shortcut) bool {
	c, ok := s.(*desktop.CustomShortcut)
	if !ok || c.Modifier != fyne.KeyModifierShortcutDefault {
		return false
	}
	switch c.KeyName {
	case fyne.KeyN, fyne.KeyS, fyne.KeyT, fyne.KeyF, fyne.KeySlash,
		fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9:
		return true
	}
	return false
}

// Schedule schedules the post, or says in the composer why it cannot: no
// text, nowhere to go, no time or one that has passed, a text too long for
// a target. A refused Schedule changes nothing, so a later autosave keeps
// the post a draft. Once scheduled, a notice says when and where, with an
// undo.
func (c *Composer) Schedule() {
	if !c.post.Status.Editable() && c.post.ID != "" {
		return
	}
	p, err := c.collect()
	if err != nil {
		c.showRefusals([]string{errorText(err)}, nil)
		return
	}
	if refused := planner.CheckSchedule(p, c.linked, c.deps.now()); len(refused) > 0 {
		msgs := make([]string, len(refused))
		for i, r := range refused {
			msgs[i] = r.Message(lang.X)
		}
		c.showRefusals(msgs, refused)
		return
	}
	c.clearRefusals()
	prev := c.post.Status
	if prev == planner.StatusScheduled || prev == "" {
		prev = planner.StatusDraft
	}
	c.post.Status, c.dirty = planner.StatusScheduled, true
	c.SaveThen(func(saved bool) {
		if !saved {
			c.post.Status = prev
			return
		}
		id := c.post.ID
		c.notice.showUndo(scheduledText(p, c.zone.loc, c.deps.Lang), func() {
			if c.post.ID == id && c.post.Status == planner.StatusScheduled {
				c.saveAs(prev)
			}
		})
	})
}

// scheduledText is "Scheduled for Thu 10 Dec 09:00 on X and LinkedIn".
func scheduledText(p planner.Post, loc *time.Location, language string) string {
	var names []string
	for _, t := range p.Targets {
		if n := t.Network.DisplayName(); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	where := names[0]
	if len(names) > 1 {
		where = strings.Join(names[:len(names)-1], ", ") + " " + lang.X("compose.and", "and") + " " + names[len(names)-1]
	}
	t := p.Time.In(loc)
	return lang.X("compose.scheduled_for", "Scheduled for {{.Time}} on {{.Networks}}.", map[string]any{"Time": dayLabel(t, language) + " " + clock(t), "Networks": where})
}

// showRefusals says why the post was not scheduled, with a way out where
// there is one: publish now or take the next free slot for a time that has
// passed, split a text that is too long.
func (c *Composer) showRefusals(msgs []string, refused []planner.Refusal) {
	c.refusals.Objects = nil
	for _, m := range msgs {
		c.refusals.Add(&widget.Label{Text: m, Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance})
	}
	var ways []fyne.CanvasObject
	has := func(k planner.RefusalKind) bool {
		return slices.ContainsFunc(refused, func(r planner.Refusal) bool { return r.Kind == k })
	}
	if (has(planner.RefusedPast) || has(planner.RefusedNoTime)) && c.nextFree != nil {
		ways = append(ways, &widget.Button{Text: lang.X("compose.use_next_free", "Use the next free slot"), Icon: theme.HistoryIcon(), OnTapped: func() {
			c.timeMode.SetSelected(c.timeMode.Options[timeNextFree])
			c.Schedule()
		}})
	}
	if has(planner.RefusedPast) && c.publish.Visible() && !c.publish.Disabled() {
		ways = append(ways, &widget.Button{Text: lang.X("compose.publish_now", "Publish now"), Icon: theme.MailSendIcon(), OnTapped: c.publishNow})
	}
	if has(planner.RefusedTooLong) {
		ways = append(ways, &widget.Button{Text: lang.X("compose.split", "Split into a thread"), Icon: theme.ContentCutIcon(), OnTapped: c.splitThread})
	}
	if len(ways) > 0 {
		c.refusals.Add(containerRow(ways...))
	}
	c.refusals.Refresh()
}

func (c *Composer) clearRefusals() {
	if len(c.refusals.Objects) == 0 {
		return
	}
	c.refusals.Objects = nil
	c.refusals.Refresh()
}

// Refusals are what the composer says now about why it did not schedule.
func (c *Composer) Refusals() []string {
	var out []string
	for _, o := range c.refusals.Objects {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return out
}

// applyDefaults fills a new post's role, purpose and networks: the role
// from the profile, both from the slot it takes, the networks the profile
// names (through a linked account where there is one). It fills them once
// for each new post, and only those the user has not set.
func (c *Composer) applyDefaults() {
	if c.editing || c.defaulted || c.post.ID != "" || !c.post.Status.Editable() {
		return
	}
	c.defaulted = true
	if c.role.SelectedIndex() < 0 && c.profile.Primary != "" {
		selectIndex(c.role, indexOf(planner.Roles(), c.profile.Primary))
	}
	if c.purpose.SelectedIndex() < 0 && c.nextFree != nil && indexOfString(c.timeMode.Options, c.timeMode.Selected) == timeNextFree {
		if c.nextFree.Role != "" {
			selectIndex(c.role, indexOf(planner.Roles(), c.nextFree.Role))
		}
		selectIndex(c.purpose, indexOf(planner.Purposes(), c.nextFree.Purpose))
	}
	if len(c.selectedTargets()) == 0 && len(c.profile.Networks) > 0 {
		var ts []planner.Target
		for _, n := range c.profile.Networks {
			t := planner.Target{Network: n}
			for _, a := range c.linked {
				if a.Network == n {
					t.AccountID = a.ID
					break
				}
			}
			ts = append(ts, t)
		}
		c.selectTargets(ts)
		c.updateChecks()
		c.updateActions()
	}
}

// checkDate names the weekday of the date typed, or what is wrong with
// it; nothing before anything is typed.
func (c *Composer) checkDate() {
	if msg := dateProblem(c.date); msg != "" {
		c.dateCheck.Importance, c.dateCheck.Text = widget.DangerImportance, msg
	} else {
		c.dateCheck.Importance, c.dateCheck.Text = widget.LowImportance, weekdayOf(c.date)
	}
	c.dateCheck.Refresh()
}

// SaveIdea keeps the post as an idea: no time, waiting in the Posts
// screen's ideas until it becomes a draft.
func (c *Composer) SaveIdea() {
	if c.readOnly() {
		return
	}
	c.saveAs(planner.StatusIdea)
	c.toDraft.Show()
}

// IdeaToDraft makes the idea being edited a draft for the next free slot.
func (c *Composer) IdeaToDraft() {
	c.timeMode.SetSelected(c.timeMode.Options[timeNextFree])
	c.toDraft.Hide()
	c.saveAs(planner.StatusDraft)
	if c.nextFree != nil {
		c.notice.show(lang.X("posts.drafted", "The idea is a draft for {{.Slot}}.", map[string]any{"Slot": occurrenceLabel(*c.nextFree, c.zone.loc, c.deps.Lang)}), "", nil)
	}
}
