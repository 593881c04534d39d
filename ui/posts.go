package ui

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// postsFilter is one of the Posts screen's views.
type postsFilter int

// The views, in the order of their tabs.
const (
	filterScheduled postsFilter = iota
	filterDrafts
	filterIdeas
	filterPublished
	filterAttention
)

func postsFilterNames() []string {
	return []string{
		lang.X("posts.filter.scheduled", "Scheduled"),
		lang.X("posts.filter.drafts", "Drafts"),
		lang.X("posts.filter.ideas", "Ideas"),
		lang.X("posts.filter.published", "Published"),
		lang.X("posts.filter.attention", "Needs attention"),
	}
}

// statuses are the statuses a view lists.
func (f postsFilter) statuses() []planner.Status {
	switch f {
	case filterDrafts:
		return []planner.Status{planner.StatusDraft}
	case filterIdeas:
		return []planner.Status{planner.StatusIdea}
	case filterPublished:
		return []planner.Status{planner.StatusPublished}
	case filterAttention:
		return []planner.Status{planner.StatusNeedsAttention, planner.StatusFailed}
	}
	return []planner.Status{planner.StatusScheduled, planner.StatusPublishing}
}

// postItem is a post as the list holds it, with its text folded once for
// the search.
type postItem struct {
	post   planner.Post
	search string
}

// postsRow is one line of the list: a day's header (in the scheduled view)
// or a post.
type postsRow struct {
	header string
	item   *postItem
}

// elsewhere says which other views have posts matching query (all posts,
// when it is empty), so that an empty view or a search that found nothing
// here does not leave the user thinking the post is gone.
func elsewhere(items []postItem, here postsFilter, query string) string {
	q := planner.FoldSearch(query)
	names := postsFilterNames()
	var found []string
	for f := filterScheduled; f <= filterAttention; f++ {
		if f == here {
			continue
		}
		n, statuses := 0, f.statuses()
		for i := range items {
			if slices.Contains(statuses, items[i].post.Status) && (q == "" || strings.Contains(items[i].search, q)) {
				n++
			}
		}
		if n > 0 {
			found = append(found, lang.X("posts.in_view", "{{.View}} ({{.Count}})", map[string]any{"View": names[f], "Count": n}))
		}
	}
	if len(found) == 0 {
		return ""
	}
	return " " + lang.X("posts.elsewhere", "In the other lists: {{.Where}}.", map[string]any{"Where": strings.Join(found, ", ")})
}

// postsRows picks and orders the view's posts: scheduled ones in time order
// under a header for each day, published ones newest first, the others by
// time, then the undated newest first. query filters by text, ignoring case.
func postsRows(items []postItem, f postsFilter, query string, loc *time.Location, language string) []postsRow {
	q := planner.FoldSearch(query)
	statuses := f.statuses()
	picked := make([]*postItem, 0, len(items)/4)
	for i := range items {
		it := &items[i]
		if slices.Contains(statuses, it.post.Status) && (q == "" || strings.Contains(it.search, q)) {
			picked = append(picked, it)
		}
	}
	slices.SortStableFunc(picked, func(a, b *postItem) int {
		at, bt := a.post.Time, b.post.Time
		if f == filterPublished {
			return publishedAt(b.post).Compare(publishedAt(a.post))
		}
		switch {
		case at.IsZero() && bt.IsZero():
			return b.post.Updated.Compare(a.post.Updated)
		case at.IsZero():
			return 1
		case bt.IsZero():
			return -1
		}
		return at.Compare(bt)
	})
	rows := make([]postsRow, 0, len(picked)+len(picked)/4)
	lastDay := ""
	for _, it := range picked {
		if f == filterScheduled && !it.post.Time.IsZero() {
			if day := dayLabel(it.post.Time.In(loc), language); day != lastDay {
				rows = append(rows, postsRow{header: day})
				lastDay = day
			}
		}
		rows = append(rows, postsRow{item: it})
	}
	return rows
}

// publishedAt is when the post went out: its last part's time, else its time.
func publishedAt(p planner.Post) time.Time {
	var t time.Time
	for _, r := range p.Results {
		if r.At.After(t) {
			t = r.At
		}
	}
	if t.IsZero() {
		return p.Time
	}
	return t
}

// PostsScreen lists every post: by view, searchable, each one to open,
// delete (with an undo), copy, move or publish now.
type PostsScreen struct {
	widget.BaseWidget

	deps    *Deps
	win     fyne.Window
	changed *signal
	zone    *zone

	// OnOpen opens a post in the composer.
	OnOpen func(planner.Post)
	// InView reports whether the screen is in view; out of view, a change
	// of the data only marks the list stale (see Show), so that autosaves
	// elsewhere do not read every post again. Nil means always in view.
	InView func() bool
	stale  bool

	items    []postItem
	accounts []planner.Account
	rows     []postsRow
	filter   postsFilter
	loaded   bool

	filters *widget.RadioGroup
	search  *widget.Entry
	count   *widget.Label
	list    *postList
	empty   *widget.Label
	notice  *notice
}

// NewPostsScreen makes the screen and starts loading the posts.
func NewPostsScreen(d *Deps, win fyne.Window, changed *signal, z *zone) *PostsScreen {
	s := &PostsScreen{deps: d, win: win, changed: changed, zone: z, notice: newNotice(d)}
	s.filters = widget.NewRadioGroup(postsFilterNames(), func(v string) {
		if i := indexOfString(s.filters.Options, v); i >= 0 {
			s.filter = postsFilter(i)
			s.refilter()
		}
	})
	s.filters.Horizontal, s.filters.Required = true, true
	s.search = &widget.Entry{PlaceHolder: lang.X("posts.search", "Search posts")}
	s.search.OnChanged = func(string) { s.refilter() }
	s.count = &widget.Label{Importance: widget.LowImportance}
	s.empty = &widget.Label{Alignment: fyne.TextAlignCenter, Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord}
	s.list = newPostList(s)
	s.filters.SetSelected(s.filters.Options[filterScheduled])
	s.ExtendBaseWidget(s)
	changed.listen(func() {
		if s.InView != nil && !s.InView() {
			s.stale = true
			return
		}
		s.Reload()
	})
	s.Reload()
	return s
}

// Refreshed is the screen as it comes into view: read again if the data
// changed while it was out of view.
func (s *PostsScreen) Refreshed() *PostsScreen {
	if s.stale {
		s.stale = false
		s.Reload()
	}
	return s
}

func (s *PostsScreen) CreateRenderer() fyne.WidgetRenderer {
	title := &widget.Label{Text: lang.X("posts.title", "Posts"), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	newBtn := &widget.Button{Text: lang.X("compose.new", "New post"), Icon: theme.ContentAddIcon(), OnTapped: func() { s.open(planner.Post{Status: planner.StatusDraft}) }}
	top := container.NewVBox(
		container.NewBorder(nil, nil, title, newBtn),
		// The views' names side by side are wider than a small window
		// (some 950 px in Finnish): they scroll there instead.
		container.NewHScroll(s.filters),
		container.NewBorder(nil, nil, nil, s.count, s.search),
	)
	return widget.NewSimpleRenderer(container.NewBorder(top, s.notice.box, nil, nil, container.NewStack(s.list, s.empty)))
}

// Reload reads every post off the UI goroutine and shows the view again.
func (s *PostsScreen) Reload() {
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		posts, err := planner.AllPosts(ctx, s.deps.Store)
		accs, _ := s.deps.Store.Accounts(ctx)
		items := make([]postItem, len(posts))
		for i, p := range posts {
			items[i] = postItem{post: p, search: planner.SearchText(p)}
		}
		s.deps.do(func() {
			if err != nil {
				s.deps.Log.WithError(err).Warn("load the posts")
				s.empty.SetText(errorText(err))
				s.empty.Show()
				return
			}
			s.items, s.accounts, s.loaded = items, accs, true
			s.refilter()
		})
	})
}

// refilter shows the view's posts that match the search.
func (s *PostsScreen) refilter() {
	s.rows = postsRows(s.items, s.filter, s.search.Text, s.zone.loc, s.deps.Lang)
	n := 0
	for _, r := range s.rows {
		if r.item != nil {
			n++
		}
	}
	s.count.SetText(lang.X("posts.count", "Posts: {{.Count}}", map[string]any{"Count": n}))
	switch {
	case !s.loaded:
		s.empty.SetText(lang.X("posts.loading", "Loading…"))
	case n > 0:
		s.empty.SetText("")
	case strings.TrimSpace(s.search.Text) != "":
		s.empty.SetText(lang.X("posts.none_found", "No post here has that text.") + elsewhere(s.items, s.filter, s.search.Text))
	case s.filter == filterIdeas:
		s.empty.SetText(lang.X("posts.no_ideas", "No ideas yet. Save a thought as an idea in the composer and it waits here, without a date.") + elsewhere(s.items, s.filter, ""))
	default:
		s.empty.SetText(lang.X("posts.none", "Nothing here.") + elsewhere(s.items, s.filter, ""))
	}
	if s.empty.Text == "" {
		s.empty.Hide()
	} else {
		s.empty.Show()
	}
	s.list.clampCursor()
	s.list.Refresh()
}

// Posts are the posts the list shows now, in order.
func (s *PostsScreen) Posts() []planner.Post {
	var out []planner.Post
	for _, r := range s.rows {
		if r.item != nil {
			out = append(out, r.item.post)
		}
	}
	return out
}

// ShowFilter switches to a view.
func (s *PostsScreen) ShowFilter(f postsFilter) { s.filters.SetSelected(s.filters.Options[f]) }

func (s *PostsScreen) open(p planner.Post) {
	if s.OnOpen != nil {
		s.OnOpen(p)
	}
}

// rowText is what a row says of a post: its time, networks and status.
func (s *PostsScreen) rowTime(p planner.Post) string {
	t := p.Time
	if s.filter == filterPublished {
		t = publishedAt(p)
	}
	if t.IsZero() {
		return lang.X("posts.no_date", "No date")
	}
	t = t.In(s.zone.loc)
	if s.filter == filterScheduled {
		return clock(t)
	}
	return dayLabel(t, s.deps.Lang) + " " + clock(t)
}

// firstLink is the address of the post on its first network, if known.
func firstLink(p planner.Post) string {
	for _, r := range p.Results {
		if r.URL != "" && r.Part == 0 {
			return r.URL
		}
	}
	return ""
}

// showMenu opens the row's menu of what can be done with the post.
func (s *PostsScreen) showMenu(p planner.Post, at fyne.CanvasObject) {
	items := []*fyne.MenuItem{
		fyne.NewMenuItem(lang.X("posts.open", "Open"), func() { s.open(p) }),
		fyne.NewMenuItem(lang.X("posts.duplicate", "Duplicate"), func() { s.duplicate(p) }),
	}
	if p.Status.Editable() {
		items = append(items, fyne.NewMenuItem(lang.X("posts.move", "Move to…"), func() { s.askMove(p) }))
	}
	if p.Status == planner.StatusIdea {
		items = append(items, fyne.NewMenuItem(lang.X("posts.to_draft", "Draft for the next free slot"), func() { s.ideaToDraft(p) }))
	}
	if s.canPostNow(p) {
		items = append(items, fyne.NewMenuItem(lang.X("posts.post_now", "Publish now"), func() { s.postNow(p) }))
	}
	del := fyne.NewMenuItem(lang.X("posts.delete", "Delete"), func() { s.Delete(p) })
	if p.Status == planner.StatusPublished {
		del.Label = lang.X("posts.remove", "Remove from Kaiku…")
	}
	del.Icon = theme.DeleteIcon()
	items = append(items, fyne.NewMenuItemSeparator(), del)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(at).Add(fyne.NewPos(0, at.Size().Height))
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), s.win.Canvas(), pos)
}

func (s *PostsScreen) canPostNow(p planner.Post) bool {
	if s.deps.Outbox == nil || !p.Status.Editable() {
		return false
	}
	return slices.ContainsFunc(p.Targets, func(t planner.Target) bool { return t.AccountID != "" })
}

// Delete deletes the post, with an undo for a few seconds; a published one
// only after the user agrees that it stays on the network.
func (s *PostsScreen) Delete(p planner.Post) { askDelete(s.deps, s.win, s.notice, s.changed, p, nil) }

// askDelete deletes p with an undo in n, once the user has agreed, for a
// published post, that it stays on the network; then runs done, if set.
func askDelete(d *Deps, win fyne.Window, n *notice, changed *signal, p planner.Post, done func()) {
	del := func() {
		deletePost(d, win, n, changed, p)
		if done != nil {
			done()
		}
	}
	if p.Status != planner.StatusPublished {
		del()
		return
	}
	c := dialog.NewConfirm(lang.X("posts.remove.title", "Remove from Kaiku?"),
		lang.X("posts.remove.body", "The post stays on {{.Networks}}: Kaiku cannot delete it there. Kaiku forgets it and its link. To delete it from the network, do it there.", map[string]any{"Networks": postNetworks(p)}),
		func(ok bool) {
			if ok {
				del()
			}
		}, win)
	c.SetConfirmText(lang.X("posts.remove.confirm", "Remove from Kaiku"))
	c.SetDismissText(lang.X("dialog.cancel", "Cancel"))
	showDialog(win, c, nil)
}

// deletePost deletes p in the write lane and offers to undo it in n.
func deletePost(d *Deps, win fyne.Window, n *notice, changed *signal, p planner.Post) {
	d.write(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		gone, err := planner.DeletePost(ctx, d.Store, p.ID)
		d.do(func() {
			if err != nil {
				showError(win, d.Log, "delete post", err)
				return
			}
			changed.emit()
			n.showUndo(lang.X("posts.deleted", "Deleted “{{.Text}}”.", map[string]any{"Text": ellipsize(p.FirstLine(), 40)}), func() {
				d.write(func() {
					ctx, cancel := d.ctx()
					defer cancel()
					err := planner.RestorePost(ctx, d.Store, gone)
					d.do(func() {
						if err != nil {
							showError(win, d.Log, "undo delete", err)
							return
						}
						changed.emit()
						n.show(lang.X("posts.restored", "The post is back."), "", nil)
					})
				})
			})
		})
	})
}

// ellipsize shortens s to at most n characters.
func ellipsize(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// duplicate saves a copy of the post as a new undated draft.
func (s *PostsScreen) duplicate(p planner.Post) {
	c := p.Duplicate(planner.NewID(), s.deps.now())
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		err := s.deps.Store.SavePost(ctx, c)
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "duplicate post", err)
				return
			}
			s.changed.emit()
			s.notice.show(lang.X("posts.duplicated", "A copy is in Drafts."), lang.X("posts.open", "Open"), func() { s.open(c) })
		})
	})
}

// askMove asks for the post's new date and time; Enter moves it.
func (s *PostsScreen) askMove(p planner.Post) {
	start := p.Time
	if start.IsZero() {
		start = s.deps.now().Add(24 * time.Hour).Truncate(time.Hour)
	}
	start = start.In(s.zone.loc)
	date := newDateField(s.deps.Lang)
	date.win = s.win
	date.SetDate(&start)
	at := newKeyEntry(s.win)
	at.SetText(clock(start))
	at.PlaceHolder = "09:00"
	// The weekday of the date typed, or what is wrong with it once typed.
	check := &widget.Label{Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord}
	date.OnChanged = func(string) {
		if msg := dateProblem(date); msg != "" {
			check.Importance, check.Text = widget.DangerImportance, msg
		} else {
			check.Importance, check.Text = widget.LowImportance, weekdayOf(date)
		}
		check.Refresh()
	}
	date.OnChanged(date.Text)
	d := dialog.NewForm(lang.X("posts.move.title", "Move to…"), lang.X("posts.move.confirm", "Move"), lang.X("dialog.cancel", "Cancel"),
		[]*widget.FormItem{
			widget.NewFormItem(lang.X("compose.date", "Date"), date),
			widget.NewFormItem(lang.X("compose.clock", "Time"), at),
			widget.NewFormItem("", check),
		}, func(ok bool) {
			if !ok {
				return
			}
			day, err := date.Value()
			var to time.Time
			if err == nil {
				to, err = dateAndClock(day, strings.TrimSpace(at.Text), s.zone.loc)
			}
			if err != nil {
				showError(s.win, s.deps.Log, "move post", err)
				return
			}
			s.move(p, to)
		}, s.win)
	d.Resize(fyne.NewSize(420, 240))
	showDialog(s.win, d, nil)
	s.win.Canvas().Focus(date)
}

// move gives the post a new time, filling the slot that starts then.
func (s *PostsScreen) move(p planner.Post, to time.Time) {
	loc, now := s.zone.loc, s.deps.now()
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		occs, _ := occurrencesAround(ctx, s.deps.Store, loc, to)
		moved, err := planner.MovePost(ctx, s.deps.Store, p.ID, to, occs, now)
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "move post", err)
				return
			}
			s.changed.emit()
			s.notice.showUndo(lang.X("posts.moved", "Moved to {{.Time}}.", map[string]any{"Time": dayLabel(moved.Time.In(s.zone.loc), s.deps.Lang) + " " + clock(moved.Time.In(s.zone.loc))}), func() {
				if p.Time.IsZero() {
					s.unmove(p)
					return
				}
				s.move(p, p.Time)
			})
		})
	})
}

// unmove takes back a move of a post that had no time.
func (s *PostsScreen) unmove(p planner.Post) {
	now := s.deps.now()
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		_, err := s.deps.Store.UpdatePost(ctx, p.ID, func(q *planner.Post) error {
			if !q.Status.Editable() {
				return planner.ErrWentOut
			}
			q.Time, q.OccurrenceID, q.Updated = time.Time{}, "", now
			return nil
		})
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "undo move", err)
				return
			}
			s.changed.emit()
		})
	})
}

// occurrencesAround are the plan's occurrences within a minute of t.
func occurrencesAround(ctx context.Context, store planner.Store, loc *time.Location, t time.Time) ([]planner.Occurrence, error) {
	plan, err := planner.ActivePlan(ctx, store, loc)
	if err != nil || len(plan.Slots) == 0 {
		return nil, err
	}
	xs, err := store.Exceptions(ctx)
	if err != nil {
		return nil, err
	}
	return plan.Occurrences(t.Add(-time.Minute), t.Add(time.Minute), xs)
}

// ideaToDraft makes an idea a draft for the next free slot of its purpose.
func (s *PostsScreen) ideaToDraft(p planner.Post) {
	loc, now := s.zone.loc, s.deps.now()
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		_, _, next, err := slotChoices(ctx, s.deps.Store, loc, now, p.Purpose, p.ID)
		var saved planner.Post
		if err == nil {
			saved, err = s.deps.Store.UpdatePost(ctx, p.ID, func(q *planner.Post) error {
				if q.Status != planner.StatusIdea {
					return fmt.Errorf("draft idea %s: %w", p.ID, planner.ErrConflict)
				}
				q.Status, q.Updated = planner.StatusDraft, now
				if next != nil {
					q.Time, q.OccurrenceID = next.Start, next.ID
				}
				if q.Purpose == "" && next != nil {
					q.Purpose, q.Role = next.Purpose, next.Role
				}
				return nil
			})
		}
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "draft idea", err)
				return
			}
			s.changed.emit()
			msg := lang.X("posts.drafted_undated", "The idea is a draft now. There is no free slot in the next four weeks: give it a time in the composer.")
			if next != nil {
				msg = lang.X("posts.drafted", "The idea is a draft for {{.Slot}}.", map[string]any{"Slot": occurrenceLabel(*next, s.zone.loc, s.deps.Lang)})
			}
			s.notice.show(msg, lang.X("posts.open", "Open"), func() { s.open(saved) })
		})
	})
}

// postNow publishes the post through its linked accounts at once.
func (s *PostsScreen) postNow(p planner.Post) {
	s.notice.show(lang.X("compose.publishing", "Publishing…"), "", nil)
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		_, err := s.deps.Outbox.PublishNow(ctx, p.ID)
		s.deps.do(func() {
			s.notice.hide()
			if err != nil {
				if msg, ok := accountErrorText(err); ok {
					s.deps.Log.WithError(err).Warn("publish now failed")
					showDialog(s.win, dialog.NewError(fmt.Errorf("%s", msg), s.win), nil)
				} else {
					showError(s.win, s.deps.Log, "publish now", err)
				}
			}
			s.changed.emit()
		})
	})
}

// openLink opens the published post on its network.
func (s *PostsScreen) openLink(p planner.Post) {
	if u, err := url.Parse(firstLink(p)); err == nil {
		openInBrowser(s.win, s.deps.Log, u)
	}
}
