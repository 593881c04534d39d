package ui

import (
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/textrules"
)

// parts are the thread's parts as typed, without empty ones, or the one text.
func (c *Composer) parts() []string {
	if len(c.boxes) == 1 {
		return []string{c.boxes[0].entry.Text}
	}
	out := make([]string, 0, len(c.boxes))
	for _, b := range c.boxes {
		if c.kept(b) {
			out = append(out, strings.TrimSpace(b.entry.Text))
		}
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// checkInput is what the counting and the checks read: values taken on the
// UI goroutine, so that the work can run off it.
type checkInput struct {
	boxes      []string // each box's text, in order
	post       planner.Post
	dated      planner.Post // with its time, for the link's end; zero if the time does not read
	linked     []planner.Account
	guidelines planner.Guidelines
}

// checkOutput is what updateChecks shows.
type checkOutput struct {
	totals   []planner.TargetCount
	perBox   [][]textrules.Result // per box, per network that threads
	nets     []planner.Network
	over     []string // per box: where the text goes past the strictest limit, or ""
	warnings []planner.Warning
	images   []*planner.ImageProblem
	ended    []planner.Account
	parts    int
}

// checkRunner runs one check at a time; edits made meanwhile are checked
// once it is done, from the latest text, however many there were.
type checkRunner struct {
	mu      sync.Mutex
	running bool
	pending bool
}

// updateChecks counts the text and checks the post off the UI goroutine,
// and shows the result when it is done.
func (c *Composer) updateChecks() {
	c.checks.mu.Lock()
	if c.checks.running {
		c.checks.pending = true
		c.checks.mu.Unlock()
		return
	}
	c.checks.running = true
	c.checks.mu.Unlock()
	in := checkInput{boxes: c.partTexts(), post: c.currentForChecks(), linked: c.linked, guidelines: c.guidelines}
	if dated, err := c.collect(); err == nil {
		in.dated = dated
	}
	c.deps.background(func() {
		out := runChecks(in)
		c.deps.do(func() {
			c.showChecks(out)
			c.checks.mu.Lock()
			again := c.checks.pending
			c.checks.running, c.checks.pending = false, false
			c.checks.mu.Unlock()
			if again {
				c.updateChecks()
			}
		})
	})
}

// runChecks measures each part on each target and checks the post: pure,
// for any goroutine.
func runChecks(in checkInput) checkOutput {
	counted := in.post
	if len(counted.Targets) == 0 { // counted for X, the strictest, until the user chooses
		counted.Targets = []planner.Target{{Network: planner.NetworkX}}
	}
	out := checkOutput{totals: planner.CountTargets(counted, in.linked), parts: len(in.post.Texts())}
	for _, t := range in.post.Targets {
		if t.Network.Threads() && !containsNetwork(out.nets, t.Network) {
			out.nets = append(out.nets, t.Network)
		}
	}
	if len(in.post.Targets) == 0 {
		out.nets = []planner.Network{planner.NetworkX}
	}
	out.perBox = make([][]textrules.Result, len(in.boxes))
	out.over = make([]string, len(in.boxes))
	for i, text := range in.boxes {
		for _, n := range out.nets {
			r := textrules.Count(textrules.Network(n), text)
			out.perBox[i] = append(out.perBox[i], r)
			if r.Length > r.Limit && out.over[i] == "" {
				out.over[i] = overflowAt(textrules.Network(n), text, r.Limit)
			}
		}
	}
	out.warnings = planner.Check(in.post, in.guidelines)
	if len(in.post.Images) > 0 {
		var seen []planner.Network
		for _, t := range in.post.Targets {
			if !containsNetwork(seen, t.Network) {
				seen = append(seen, t.Network)
				out.images = append(out.images, planner.CheckImages(in.post, t.Network, planner.ImageRulesFor(t.Network))...)
			}
		}
	}
	if !in.dated.Time.IsZero() {
		out.ended = planner.LinksEndedWhenDue(in.dated, in.linked)
	}
	return out
}

func containsNetwork(ns []planner.Network, n planner.Network) bool {
	for _, x := range ns {
		if x == n {
			return true
		}
	}
	return false
}

// overflowAt is the start of what goes past limit on n: the words from
// where the text stops fitting, shortened, for the user to see where to cut.
func overflowAt(n textrules.Network, text string, limit int) string {
	rs := []rune(text)
	lo, hi := 0, len(rs) // the longest prefix that fits is rs[:lo]
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if textrules.Count(n, string(rs[:mid])).Length <= limit {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	rest := strings.TrimSpace(string(rs[lo:]))
	return ellipsize(strings.ReplaceAll(rest, "\n", " "), 60)
}

// showChecks puts the counts and the warnings on screen.
func (c *Composer) showChecks(out checkOutput) {
	c.counters.Objects = nil
	over := false
	for _, tc := range out.totals {
		r := tc.Result
		col := theme.Color(theme.ColorNameForeground)
		if r.Length > r.Limit {
			col, over = theme.Color(theme.ColorNameError), true
		}
		label := fmt.Sprintf("%s %d/%d", c.targetName(tc.Target), r.Length, r.Limit)
		if out.parts > 1 && tc.Target.Network.Threads() {
			label += " · " + lang.X("compose.parts", "{{.Count}} parts", map[string]any{"Count": out.parts})
		}
		t := canvas.NewText(label, col)
		t.TextStyle.Bold = r.Length > r.Limit
		c.counters.Add(t)
	}
	setEnabled(c.split, over && c.post.Status.Editable() || over && c.post.ID == "")
	c.counters.Refresh()

	for i, b := range c.boxes {
		if i >= len(out.perBox) {
			break
		}
		var bits []string
		boxOver := false
		for j, r := range out.perBox[i] {
			bits = append(bits, fmt.Sprintf("%s %d/%d", out.nets[j].DisplayName(), r.Length, r.Limit))
			boxOver = boxOver || r.Length > r.Limit
		}
		b.counter.Text = strings.Join(bits, " · ")
		b.counter.Importance = widget.LowImportance
		if boxOver {
			b.counter.Importance = widget.DangerImportance
		}
		b.counter.Refresh()
		setShown(b.counter, len(c.boxes) > 1) // one text: the counters above say it
		if out.over[i] != "" {
			b.over.SetText(lang.X("compose.over_from", "Past the limit from: “{{.Text}}”", map[string]any{"Text": out.over[i]}))
			b.over.Show()
		} else {
			b.over.Hide()
		}
	}

	c.showHashtags()
	c.warnings.Objects = nil
	for _, a := range out.ended {
		c.warnings.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, &widget.Label{
			Text:     lang.X("compose.link_ended_when_due", "The {{.Network}} link of {{.Account}} ends before this post is due: link the account again on the Accounts screen first.", map[string]any{"Network": a.Network.DisplayName(), "Account": a.DisplayHandle()}),
			Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}))
	}
	for _, p := range out.images {
		c.warnings.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, &widget.Label{Text: lang.X(p.Key, p.Error(), p.Data), Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}))
	}
	for _, w := range out.warnings {
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
		p.Text, p.Parts = parts[0], nil
	}
	p.Purpose = c.selectedPurpose()
	p.Targets = c.selectedTargets()
	p.Images = c.images()
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
		c.setParts(parts)
		c.markDirty()
		c.updateChecks()
	}
}

// targetName names a target on its counter: the network, and the account's
// handle when the post goes through a linked one.
func (c *Composer) targetName(t planner.Target) string {
	for _, a := range c.linked {
		if t.AccountID != "" && a.ID == t.AccountID {
			return t.Network.DisplayName() + " " + a.DisplayHandle()
		}
	}
	return t.Network.DisplayName()
}
