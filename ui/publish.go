package ui

import (
	"errors"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
)

// updateActions enables Publish now and Post by hand for the chosen targets,
// and shows what went wrong with a failed post and what can be done.
func (c *Composer) updateActions() {
	var linked, manual bool
	for _, t := range c.selectedTargets() {
		if t.AccountID != "" {
			linked = true
		} else {
			manual = true
		}
	}
	editable := c.post.Status.Editable() || c.post.ID == ""
	setEnabled(c.publish, linked && editable && c.deps.Outbox != nil)
	setEnabled(c.byHand, manual && c.post.Status != planner.StatusPublished)

	c.attention.Objects = nil
	switch c.post.Status {
	case planner.StatusFailed, planner.StatusNeedsAttention:
		msg := lang.X(c.post.LastError, accounts.Message(c.post.LastError))
		if c.post.LastError == "" {
			msg = lang.X("compose.attention", "This post needs your attention.")
		}
		c.attention.Add(&widget.Label{Text: msg, Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
		// Each network's own words about what it refused.
		for _, r := range c.post.Results {
			if r.Error != "" {
				c.attention.Add(&widget.Label{Text: r.Network.DisplayName() + ": " + r.Error, Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance})
			}
		}
		if c.deps.Outbox == nil {
			c.attention.Add(&widget.Label{Text: noOutboxText(), Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance})
			break
		}
		retry := &widget.Button{Text: lang.X("compose.retry", "Publish again"), Icon: theme.ViewRefreshIcon(), OnTapped: c.retry}
		went := &widget.Button{Text: lang.X("compose.went_out", "It went out"), Icon: theme.ConfirmIcon(), Importance: widget.LowImportance, OnTapped: c.confirmPublished}
		skip := &widget.Button{Text: lang.X("compose.skip", "Skip it"), Icon: theme.CancelIcon(), Importance: widget.LowImportance, OnTapped: c.skip}
		c.attention.Add(containerRow(retry, went, skip))
	case planner.StatusPublished:
		for _, r := range c.post.Results {
			if r.URL != "" {
				if u, err := url.Parse(r.URL); err == nil {
					c.attention.Add(widget.NewHyperlink(r.URL, u))
				}
			}
		}
	}
	c.attention.Refresh()
}

func setEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// outboxCall runs one of the outbox's actions on the post off the UI goroutine.
func (c *Composer) outboxCall(what string, call func(id string) (planner.Post, error)) {
	if !c.Save() || c.post.ID == "" {
		return
	}
	id := c.post.ID
	c.info.SetText(lang.X("compose.publishing", "Publishing…"))
	c.deps.background(func() {
		p, err := call(id)
		c.deps.do(func() {
			if err != nil {
				c.info.SetText("")
				if msg, ok := accountErrorText(err); ok {
					c.deps.Log.WithError(err).WithField("action", what).Warn("publish failed")
					showDialog(c.win, dialog.NewError(errors.New(msg), c.win), nil)
				} else {
					showError(c.win, c.deps.Log, what, err)
				}
				return
			}
			if c.post.ID == p.ID && !c.dirty {
				c.Edit(p)
			}
			c.changed.emit()
		})
	})
}

func (c *Composer) publishNow() {
	c.outboxCall("publish now", func(id string) (planner.Post, error) {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		return c.deps.Outbox.PublishNow(ctx, id)
	})
}

func (c *Composer) retry() {
	c.outboxCall("retry", func(id string) (planner.Post, error) {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		return c.deps.Outbox.Retry(ctx, id)
	})
}

// skip keeps the post from going out: it becomes a draft again.
func (c *Composer) skip() {
	c.outboxCall("skip", func(id string) (planner.Post, error) {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		return c.deps.Outbox.Skip(ctx, id)
	})
}

// noOutboxText says that what publishes and records posts did not start.
func noOutboxText() string {
	return lang.X("compose.no_outbox", "Kaiku could not start its publishing tools, so it cannot publish posts or record them as published now; the log says why. Restart Kaiku to try again; the post stays as it is.")
}

func (c *Composer) confirmPublished() {
	link := newKeyEntry(c.win)
	link.PlaceHolder = "https://x.com/…"
	showForm(lang.X("compose.went_out", "It went out"), lang.X("compose.confirm", "Mark published"), lang.X("dialog.cancel", "Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.X("compose.post_url", "Its address (optional)"), link)}, func(ok bool) {
			if !ok {
				return
			}
			c.outboxCall("confirm published", func(id string) (planner.Post, error) {
				ctx, cancel := c.deps.ctx()
				defer cancel()
				return c.deps.Outbox.ConfirmPublished(ctx, id, strings.TrimSpace(link.Text))
			})
		}, c.win)
}

// postByHand opens the network's own composer with the text and copies it,
// then asks whether the post went out.
func (c *Composer) postByHand() {
	var network planner.Network
	for _, t := range c.selectedTargets() {
		if t.AccountID == "" {
			network = t.Network
			break
		}
	}
	if network == "" || !c.Save() || c.post.ID == "" {
		return
	}
	text := strings.Join(c.parts(), "\n\n")
	fyne.CurrentApp().Clipboard().SetContent(text)
	raw, err := accounts.ComposeURL(network, c.parts()[0], "")
	var u *url.URL
	if err == nil {
		u, err = url.Parse(raw)
	}
	if err != nil {
		if msg, ok := accountErrorText(err); ok {
			err = errors.New(msg)
		}
		showDialog(c.win, dialog.NewError(err, c.win), nil)
		return
	}
	// Where no browser opens, the address is shown to copy, over the question that follows.
	defer openInBrowserWith(c.win, c.deps.Log, u, text)
	note := lang.X("compose.by_hand_note", "The text is on the clipboard and {{.Network}} opened in the browser. When you have posted it, mark it published here.", map[string]any{"Network": network.DisplayName()})
	if c.deps.Outbox == nil {
		// Nothing here could record it: say so rather than offer a button that does nothing.
		showInfo(lang.X("compose.by_hand_title", "Did it go out?"),
			lang.X("compose.by_hand_opened", "The text is on the clipboard and {{.Network}} opened in the browser.", map[string]any{"Network": network.DisplayName()})+"\n\n"+noOutboxText(), c.win)
		return
	}
	link := newKeyEntry(c.win)
	link.PlaceHolder = "https://…"
	id := c.post.ID
	showForm(lang.X("compose.by_hand_title", "Did it go out?"), lang.X("compose.confirm", "Mark published"), lang.X("compose.not_yet", "Not yet"),
		[]*widget.FormItem{
			widget.NewFormItem("", &widget.Label{Text: note, Wrapping: fyne.TextWrapWord}),
			widget.NewFormItem(lang.X("compose.post_url", "Its address (optional)"), link),
		}, func(ok bool) {
			if !ok {
				return
			}
			c.outboxCall("mark published by hand", func(string) (planner.Post, error) {
				ctx, cancel := c.deps.ctx()
				defer cancel()
				return c.deps.Outbox.MarkPublishedByHand(ctx, id, network, strings.TrimSpace(link.Text))
			})
		}, c.win)
}

func containerRow(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWithColumns(len(objs), objs...)
}
