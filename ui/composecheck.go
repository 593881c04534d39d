package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/textrules"
)

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
	if dated, err := c.collect(); err == nil {
		for _, a := range planner.LinksEndedWhenDue(dated, c.linked) {
			c.warnings.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, &widget.Label{
				Text:     lang.X("compose.link_ended_when_due", "The {{.Network}} link of {{.Account}} ends before this post is due: link the account again on the Accounts screen first.", map[string]any{"Network": a.Network.DisplayName(), "Account": a.DisplayHandle()}),
				Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}))
		}
	}
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
