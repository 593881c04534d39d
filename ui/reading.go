package ui

import (
	"context"
	"io"
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

// ReadingList is what the reading list screen needs: the reading package's
// use cases, which the command line wires in. Its errors explain
// themselves (planner.Explain).
type ReadingList interface {
	Feeds(ctx context.Context) ([]planner.Feed, error)
	Items(ctx context.Context, q planner.ItemQuery) ([]planner.Item, error)
	// Add follows the feed at address, or the feed a site's page names.
	Add(ctx context.Context, address, folder string) (feed planner.Feed, added bool, err error)
	Remove(ctx context.Context, feedID string) error
	ImportOPML(ctx context.Context, r io.Reader) (added, existing int, err error)
	ExportOPML(ctx context.Context, w io.Writer) error
	// RefreshAll refreshes every feed not waiting out a backoff; a feed
	// that fails keeps its error on its record and the others go on. The
	// error is for what stops them all (the store).
	RefreshAll(ctx context.Context) error
	// RefreshAllEvery runs RefreshAll at once and then every interval
	// until ctx ends, calling done after each.
	RefreshAllEvery(ctx context.Context, interval time.Duration, done func(error))
	MarkRead(ctx context.Context, itemID string, read bool) (planner.Item, error)
	SetSaved(ctx context.Context, itemID string, saved bool) (planner.Item, error)
	// MarkShared notes the post that shares the item.
	MarkShared(ctx context.Context, itemID, postID string) (planner.Item, error)
	// WeekCounts counts, for the weekly review, the items read and shared
	// from from to to.
	WeekCounts(ctx context.Context, from, to time.Time) (read, shared int, err error)
	// WithKitFeeds is the store joined to the reading list for the
	// organization's kit: an imported kit's feeds are followed, and an
	// exported kit carries the feeds followed.
	WithKitFeeds(s planner.Store) planner.Store
}

// readingFilter is what the reading list shows: the unread items of every
// feed, of a folder or of one feed, or the saved ones.
type readingFilter struct {
	kind  filterKind
	value string // the folder's name or the feed's ID
}

type filterKind int

const (
	filterUnread filterKind = iota
	filterSaved
	filterFolder
	filterFeed
)

// readingPage is how many items a load reads: the list reads the next
// page as it is scrolled near its end, so that a long list opens as fast
// as a short one.
const readingPage = 500

func (f readingFilter) query(text string, limit int) planner.ItemQuery {
	q := planner.ItemQuery{Unread: f.kind != filterSaved, Saved: f.kind == filterSaved, Text: strings.TrimSpace(text), Limit: limit}
	switch f.kind {
	case filterFolder:
		q.Folder = f.value
	case filterFeed:
		q.FeedID = f.value
	}
	return q
}

// readingRow is a line of the item list: a day's heading, or an item.
type readingRow struct {
	day  string
	item int // index in items; -1 for a heading
}

// ReadingScreen is the reading list: the followed feeds on the left, their
// items newest first by day in the middle, the chosen item on the right.
type ReadingScreen struct {
	widget.BaseWidget

	deps    *Deps
	win     fyne.Window
	changed *signal
	zone    *zone

	feeds     []planner.Feed
	feedByID  map[string]planner.Feed
	sideRows  []readingFilter
	filter    readingFilter
	items     []planner.Item
	rows      []readingRow
	current   int // index in items of the item shown; -1 for none
	loads     int // counts loads, so that only the newest is shown
	loading   bool
	limit     int // how many items a load reads; grows a page at a time
	loaded    bool
	refreshes int // refreshes under way
	// headings are the rows that are day headings, lower than the items
	// (headHeight against rowHeight).
	headings              []int
	rowHeight, headHeight float32

	side    *widget.List
	list    *widget.List
	search  *widget.Entry
	empty   *widget.Label
	status  *widget.Label
	refresh *widget.Button
	remove  *widget.Button

	title    *widget.Label
	meta     *widget.Label
	summary  *widget.Label
	address  *widget.Label
	open     *widget.Button
	copyLink *widget.Button
	save     *widget.Button
	read     *widget.Button
	share    *widget.Button
	detail   *fyne.Container

	// OnShare starts a post sharing the item, credited to source.
	OnShare func(it planner.Item, source string)
	// OnLeave goes back from the reading list (Esc).
	OnLeave func()
	// OnLoaded, if set, runs on the UI goroutine after each load is shown.
	OnLoaded func()
}

// NewReadingScreen makes the reading list and starts loading it.
func NewReadingScreen(d *Deps, win fyne.Window, changed *signal, z *zone) *ReadingScreen {
	s := &ReadingScreen{deps: d, win: win, changed: changed, zone: z, current: -1, feedByID: map[string]planner.Feed{}, limit: readingPage}
	s.search = &widget.Entry{PlaceHolder: lang.X("reading.search", "Search titles and summaries")}
	s.search.OnChanged = func(string) { s.limit = readingPage; s.Reload() }
	s.search.OnSubmitted = func(string) { s.win.Canvas().Unfocus() }
	s.empty = &widget.Label{Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	s.status = &widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	s.refresh = &widget.Button{Text: lang.X("reading.refresh", "Refresh now"), Icon: theme.ViewRefreshIcon(), OnTapped: s.RefreshNow}
	s.remove = &widget.Button{Text: lang.X("reading.remove", "Remove feed"), Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: s.confirmRemove}
	s.remove.Disable()

	s.side = widget.NewList(func() int { return len(s.sideRows) }, s.newSideRow, s.updateSideRow)
	s.side.OnSelected = func(i widget.ListItemID) {
		if i < 0 || i >= len(s.sideRows) || s.sideRows[i] == s.filter {
			return
		}
		s.filter = s.sideRows[i]
		s.showRemove()
		s.current, s.limit = -1, readingPage
		s.Reload()
	}
	s.list = widget.NewList(func() int { return len(s.rows) }, s.newItemRow, s.updateItemRow)
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < 0 || i >= len(s.rows) {
			return
		}
		if r := s.rows[i]; r.item >= 0 {
			s.show(r.item)
		} else if i+1 < len(s.rows) {
			s.list.Select(i + 1) // a heading: its first item
		}
	}

	s.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameSubHeadingText}
	s.meta = &widget.Label{Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord}
	s.summary = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.address = &widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	s.open = &widget.Button{Text: lang.X("reading.open", "Open in browser"), Icon: theme.ComputerIcon(), Importance: widget.HighImportance, OnTapped: s.OpenCurrent}
	s.copyLink = &widget.Button{Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance, OnTapped: s.copyAddress}
	s.save = &widget.Button{Icon: theme.DocumentSaveIcon(), OnTapped: s.ToggleSaved}
	s.read = &widget.Button{Icon: theme.VisibilityOffIcon(), OnTapped: s.ToggleRead}
	s.share = &widget.Button{Text: lang.X("reading.share", "Share with comment"), Icon: theme.MailForwardIcon(), OnTapped: s.ShareCurrent}
	s.ExtendBaseWidget(s)
	changed.listen(s.Reload)
	s.Reload()
	return s
}

func (s *ReadingScreen) CreateRenderer() fyne.WidgetRenderer {
	add := &widget.Button{Text: lang.X("reading.add", "Add feed…"), Icon: theme.ContentAddIcon(), OnTapped: s.askAdd}
	more := &widget.Button{Icon: theme.MoreVerticalIcon(), Importance: widget.LowImportance}
	more.OnTapped = func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem(lang.X("reading.import", "Import OPML…"), s.askImport),
			fyne.NewMenuItem(lang.X("reading.export", "Export OPML…"), s.askExport),
		)
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(more)
		widget.ShowPopUpMenuAtPosition(menu, s.win.Canvas(), pos.Add(fyne.NewPos(0, more.Size().Height)))
	}
	feedsTitle := &widget.Label{Text: lang.X("reading.feeds", "Feeds"), TextStyle: fyne.TextStyle{Bold: true}}
	side := container.NewBorder(container.NewBorder(nil, nil, nil, more, feedsTitle), container.NewVBox(add, s.remove), nil, nil, s.side)

	top := container.NewBorder(nil, nil, nil, s.refresh, s.search)
	items := container.NewBorder(top, s.status, nil, nil, container.NewStack(s.list, container.NewVBox(s.empty)))

	actions := container.NewGridWithColumns(2, s.save, s.read)
	link := container.NewBorder(nil, nil, nil, s.copyLink, s.address)
	s.detail = container.NewVBox(s.title, s.meta, link, s.open, actions, s.share, widget.NewSeparator(), s.summary)
	s.showCurrent()
	right := container.NewHSplit(items, container.NewVScroll(container.NewPadded(s.detail)))
	right.SetOffset(0.55)
	split := container.NewHSplit(side, right)
	split.SetOffset(0.24)
	return widget.NewSimpleRenderer(split)
}

// readingLoad is what one load read: the feeds and the items the filter picks.
type readingLoad struct {
	feeds []planner.Feed
	items []planner.Item
	err   error
}

// Reload reads the feeds and the items the filter and the search pick, off
// the UI goroutine, keeping the item shown if it is still there.
func (s *ReadingScreen) Reload() {
	if s.deps.Reading == nil {
		return
	}
	s.loads++
	s.loading = true
	n, q := s.loads, s.filter.query(s.search.Text, s.limit)
	r := s.deps.Reading
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		var l readingLoad
		l.feeds, l.err = r.Feeds(ctx)
		if l.err == nil {
			l.items, l.err = r.Items(ctx, q)
		}
		s.deps.do(func() {
			if n == s.loads {
				s.loading = false
				s.apply(l)
			}
		})
	})
}

// apply shows a load's result; call it on the UI goroutine.
func (s *ReadingScreen) apply(l readingLoad) {
	if l.err != nil {
		s.deps.Log.WithError(l.err).Warn("load the reading list")
		s.empty.SetText(errorText(l.err))
		s.empty.Show()
		return
	}
	var keep string
	if s.current >= 0 && s.current < len(s.items) {
		keep = s.items[s.current].ID
	}
	s.loaded = true
	s.feeds = l.feeds
	clear(s.feedByID)
	for _, f := range l.feeds {
		s.feedByID[f.ID] = f
	}
	s.buildSide()
	s.items = l.items
	s.buildRows()
	s.current = -1
	for i, it := range s.items {
		if it.ID == keep {
			s.current = i
		}
	}
	s.list.UnselectAll()
	if s.current >= 0 {
		s.selectRow(s.current)
	}
	s.list.Refresh()
	s.showEmpty()
	s.showStatus()
	s.showCurrent()
	if s.OnLoaded != nil {
		s.OnLoaded()
	}
}

// more reads the next page of items, when the last load filled its page.
func (s *ReadingScreen) more() {
	if s.loading || len(s.items) < s.limit {
		return
	}
	s.limit += readingPage
	s.Reload()
}

// buildSide lists the filters: all unread, saved, then the feeds in the
// store's order: those in no folder, then each folder with its feeds.
func (s *ReadingScreen) buildSide() {
	s.sideRows = append(s.sideRows[:0], readingFilter{kind: filterUnread}, readingFilter{kind: filterSaved})
	folder := ""
	for _, f := range s.feeds {
		if f.Folder != "" && f.Folder != folder {
			folder = f.Folder
			s.sideRows = append(s.sideRows, readingFilter{kind: filterFolder, value: folder})
		}
		s.sideRows = append(s.sideRows, readingFilter{kind: filterFeed, value: f.ID})
	}
	selected := -1
	for i, r := range s.sideRows {
		if r == s.filter {
			selected = i
		}
	}
	if selected < 0 { // the feed or folder is gone
		s.filter, selected = readingFilter{kind: filterUnread}, 0
		s.showRemove()
	}
	s.side.Select(selected)
	s.side.Refresh()
}

// buildRows puts a day's heading before its first item. Headings are
// lower than items; the rows that were headings before get an item's height back.
func (s *ReadingScreen) buildRows() {
	s.rows = slices.Grow(s.rows[:0], len(s.items)+len(s.items)/8)
	var y, d int
	var m time.Month
	for i, it := range s.items {
		t := it.Published.In(s.zone.loc)
		if ty, tm, td := t.Date(); ty != y || tm != m || td != d || i == 0 {
			y, m, d = ty, tm, td
			s.rows = append(s.rows, readingRow{day: s.dayHeading(t), item: -1})
		}
		s.rows = append(s.rows, readingRow{item: i})
	}
	if s.rowHeight == 0 {
		s.rowHeight = s.newItemRow().MinSize().Height
		s.headHeight = fyne.MeasureText("Ag", theme.TextSize(), fyne.TextStyle{Bold: true}).Height + 2*theme.Padding()
	}
	for _, i := range s.headings {
		if i >= len(s.rows) || s.rows[i].item >= 0 {
			s.list.SetItemHeight(i, s.rowHeight)
		}
	}
	s.headings = s.headings[:0]
	for i, r := range s.rows {
		if r.item < 0 {
			s.list.SetItemHeight(i, s.headHeight)
			s.headings = append(s.headings, i)
		}
	}
}

// dayHeading names the day: today, yesterday, or its date.
func (s *ReadingScreen) dayHeading(t time.Time) string {
	today := s.deps.now().In(s.zone.loc)
	y1, m1, d1 := t.Date()
	y2, m2, d2 := today.Date()
	switch {
	case y1 == y2 && m1 == m2 && d1 == d2:
		return lang.X("reading.today", "Today")
	case today.AddDate(0, 0, -1).Format(time.DateOnly) == t.Format(time.DateOnly):
		return lang.X("reading.yesterday", "Yesterday")
	case y1 != y2:
		return dayLabel(t, s.deps.Lang) + " " + t.Format("2006")
	}
	return dayLabel(t, s.deps.Lang)
}

func (s *ReadingScreen) showEmpty() {
	switch {
	case len(s.items) > 0:
		s.empty.Hide()
		return
	case len(s.feeds) == 0:
		s.empty.SetText(lang.X("reading.empty.no_feeds", "Follow a few sources you trust: add a feed or a site's address, or import an OPML file from your feed reader."))
	case strings.TrimSpace(s.search.Text) != "":
		s.empty.SetText(lang.X("reading.empty.search", "Nothing matches the search."))
	case s.filter.kind == filterSaved:
		s.empty.SetText(lang.X("reading.empty.saved", "Nothing saved for later."))
	default:
		s.empty.SetText(lang.X("reading.empty.unread", "All read. New items come with the next refresh."))
	}
	s.empty.Show()
}

// showStatus says when the feeds were last refreshed and how many fail.
func (s *ReadingScreen) showStatus() {
	if s.refreshes > 0 {
		s.status.SetText(lang.X("reading.refreshing", "Refreshing the feeds…"))
		return
	}
	var last time.Time
	failing := 0
	for _, f := range s.feeds {
		if f.Fetched.After(last) {
			last = f.Fetched
		}
		if f.LastError != nil {
			failing++
		}
	}
	var parts []string
	if !last.IsZero() {
		parts = append(parts, lang.X("reading.refreshed", "Refreshed {{.When}}", map[string]any{"When": s.when(last)}))
	} else if len(s.feeds) > 0 {
		parts = append(parts, lang.X("reading.never_refreshed", "Not refreshed yet"))
	}
	if failing > 0 {
		parts = append(parts, lang.X("reading.failing", "Feeds that cannot be read now: {{.N}}", map[string]any{"N": failing}))
	}
	s.status.SetText(strings.Join(parts, " · "))
}

// when is a time as the reading list says it: the clock today, else the day and the clock.
func (s *ReadingScreen) when(t time.Time) string {
	t = t.In(s.zone.loc)
	if t.Format(time.DateOnly) == s.deps.now().In(s.zone.loc).Format(time.DateOnly) {
		return clock(t)
	}
	return dayLabel(t, s.deps.Lang) + " " + clock(t)
}

// sideRow is a line of the feeds column: a name and, for a feed, when it
// was refreshed or why it cannot be.
type sideRow struct {
	name, note *widget.Label
	icon       *widget.Icon
}

func (s *ReadingScreen) newSideRow() fyne.CanvasObject {
	name := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	note := &widget.Label{SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	return container.NewBorder(nil, nil, widget.NewIcon(nil), nil, container.New(tightColumn{}, name, note))
}

// sideRowOf finds the parts of a row newSideRow made.
func sideRowOf(o fyne.CanvasObject) sideRow {
	box := o.(*fyne.Container)
	texts := box.Objects[0].(*fyne.Container).Objects
	return sideRow{name: texts[0].(*widget.Label), note: texts[1].(*widget.Label), icon: box.Objects[1].(*widget.Icon)}
}

func (s *ReadingScreen) updateSideRow(i widget.ListItemID, o fyne.CanvasObject) {
	r := sideRowOf(o)
	if i >= len(s.sideRows) {
		return
	}
	f := s.sideRows[i]
	r.name.TextStyle = fyne.TextStyle{}
	note := ""
	switch f.kind {
	case filterUnread:
		r.icon.SetResource(theme.ListIcon())
		r.name.Text = lang.X("reading.all_unread", "All unread")
	case filterSaved:
		r.icon.SetResource(theme.DocumentSaveIcon())
		r.name.Text = lang.X("reading.saved", "Saved for later")
	case filterFolder:
		r.icon.SetResource(theme.FolderIcon())
		r.name.Text = f.value
		r.name.TextStyle.Bold = true
	case filterFeed:
		feed := s.feedByID[f.value]
		r.icon.SetResource(nil)
		r.name.Text = feedName(feed)
		r.note.Importance = widget.LowImportance
		switch {
		case feed.LastError != nil:
			r.note.Importance = widget.DangerImportance
			note = feed.LastError.Explain(lang.X)
		case feed.Fetched.IsZero():
			note = lang.X("reading.never_refreshed", "Not refreshed yet")
		default:
			note = lang.X("reading.refreshed", "Refreshed {{.When}}", map[string]any{"When": s.when(feed.Fetched)})
		}
	}
	r.name.Refresh()
	if note == "" {
		r.note.Hide()
		return
	}
	r.note.Text = note
	r.note.Show()
	r.note.Refresh()
}

// feedName is the feed's title, or its host while it has none.
func feedName(f planner.Feed) string {
	if t := strings.TrimSpace(f.Title); t != "" {
		return t
	}
	if u, err := url.Parse(f.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return f.URL
}

// itemRow is a line of the item list: a day's heading, or an item's title
// with its source, time and the start of its summary.
type itemRow struct {
	heading, title, meta, summary *widget.Label
	item                          *fyne.Container
}

func (s *ReadingScreen) newItemRow() fyne.CanvasObject {
	heading := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.HighImportance}
	title := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	meta := &widget.Label{SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	summary := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	return container.NewStack(heading, container.New(tightColumn{}, title, meta, summary))
}

// itemRowOf finds the parts of a row newItemRow made.
func itemRowOf(o fyne.CanvasObject) itemRow {
	stack := o.(*fyne.Container).Objects
	item := stack[1].(*fyne.Container)
	return itemRow{heading: stack[0].(*widget.Label), item: item,
		title: item.Objects[0].(*widget.Label), meta: item.Objects[1].(*widget.Label), summary: item.Objects[2].(*widget.Label)}
}

func (s *ReadingScreen) updateItemRow(i widget.ListItemID, o fyne.CanvasObject) {
	r := itemRowOf(o)
	if i >= len(s.rows) {
		return
	}
	row := s.rows[i]
	if row.item < 0 {
		r.item.Hide()
		r.heading.Text = row.day
		r.heading.Show()
		r.heading.Refresh()
		return
	}
	r.heading.Hide()
	if i >= len(s.rows)-20 {
		s.more()
	}
	it := s.items[row.item]
	r.title.Text = itemTitle(it)
	r.title.TextStyle.Bold = !it.Read
	r.title.Refresh()
	r.meta.SetText(s.itemMeta(it))
	r.summary.SetText(firstLine(it.Summary))
	r.item.Show()
}

func itemTitle(it planner.Item) string {
	if t := strings.TrimSpace(it.Title); t != "" {
		return t
	}
	return it.URL
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// itemMeta is the item's source and time, and whether it is saved or shared.
func (s *ReadingScreen) itemMeta(it planner.Item) string {
	parts := []string{s.source(it), clock(it.Published.In(s.zone.loc))}
	if it.Saved {
		parts = append(parts, lang.X("reading.is_saved", "saved"))
	}
	if it.SharedPostID != "" {
		parts = append(parts, lang.X("reading.is_shared", "shared"))
	}
	return strings.Join(parts, " · ")
}

// source names where the item came from: its feed, or its link's host once
// the feed is no longer followed.
func (s *ReadingScreen) source(it planner.Item) string {
	if f, ok := s.feedByID[it.FeedID]; ok {
		return feedName(f)
	}
	if u, err := url.Parse(it.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return ""
}

// tightColumn stacks labels as lines of one text, without the padding
// each label has above and below.
type tightColumn struct{}

func (tightColumn) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height - theme.InnerPadding()
	}
	return fyne.NewSize(w, h+theme.InnerPadding())
}

func (tightColumn) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - theme.InnerPadding()
	}
}

// show brings the item at index i into the detail.
func (s *ReadingScreen) show(i int) {
	s.current = i
	s.showCurrent()
}

// Current is the item shown; false when none is.
func (s *ReadingScreen) Current() (planner.Item, bool) {
	if s.current < 0 || s.current >= len(s.items) {
		return planner.Item{}, false
	}
	return s.items[s.current], true
}

// Items are the items listed, in their order.
func (s *ReadingScreen) Items() []planner.Item { return s.items }

func (s *ReadingScreen) showCurrent() {
	if s.detail == nil {
		return
	}
	it, ok := s.Current()
	if !ok {
		s.title.SetText("")
		s.meta.SetText(lang.X("reading.choose", "Choose an item to read it here. Keys: j and k or the arrows move, Enter opens, s saves, m marks read."))
		s.summary.SetText("")
		s.address.SetText("")
		for _, o := range []fyne.CanvasObject{s.open, s.copyLink, s.save, s.read, s.share, s.address} {
			o.Hide()
		}
		return
	}
	s.title.SetText(itemTitle(it))
	meta := s.source(it) + " · " + s.when(it.Published)
	if it.SharedPostID != "" {
		meta += " · " + lang.X("reading.is_shared", "shared")
	}
	s.meta.SetText(meta)
	s.summary.SetText(it.Summary)
	s.address.SetText(it.URL)
	if it.Saved {
		s.save.SetText(lang.X("reading.unsave", "Saved for later ✓"))
	} else {
		s.save.SetText(lang.X("reading.save", "Save for later"))
	}
	if it.Read {
		s.read.SetText(lang.X("reading.mark_unread", "Mark unread"))
		s.read.SetIcon(theme.VisibilityIcon())
	} else {
		s.read.SetText(lang.X("reading.mark_read", "Mark read"))
		s.read.SetIcon(theme.VisibilityOffIcon())
	}
	for _, o := range []fyne.CanvasObject{s.save, s.read, s.share} {
		o.Show()
	}
	for _, o := range []fyne.CanvasObject{s.open, s.copyLink, s.address} {
		if it.URL != "" {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// selectRow selects the item at index i in the list and scrolls to it.
func (s *ReadingScreen) selectRow(i int) {
	for r, row := range s.rows {
		if row.item == i {
			s.list.Select(r)
			s.list.ScrollTo(r)
			return
		}
	}
}

// Step shows the next item (by > 0) or the one before.
func (s *ReadingScreen) Step(by int) {
	if len(s.items) == 0 {
		return
	}
	i := s.current + by
	if s.current < 0 {
		i = 0
	}
	i = max(0, min(i, len(s.items)-1))
	if i >= len(s.items)-20 {
		s.more()
	}
	s.current = i
	s.selectRow(i)
	s.showCurrent()
}

// OpenCurrent opens the item's link in the browser; where none opens, the
// address is shown to copy.
func (s *ReadingScreen) OpenCurrent() {
	it, ok := s.Current()
	if !ok || it.URL == "" {
		return
	}
	u, err := url.Parse(it.URL)
	if err == nil {
		err = fyne.CurrentApp().OpenURL(u)
	}
	if err != nil {
		s.deps.Log.WithError(err).Info("no browser opened the item's link")
		s.showAddress(it.URL)
		return
	}
	if !it.Read {
		s.setRead(it, true)
	}
}

// showAddress offers the link to copy, for a desktop where no browser opens.
func (s *ReadingScreen) showAddress(link string) {
	entry := newKeyEntry(s.win)
	entry.Text, entry.Wrapping, entry.MultiLine = link, fyne.TextWrapBreak, true
	copyButton := &widget.Button{Text: lang.X("reading.copy", "Copy"), Icon: theme.ContentCopyIcon()}
	body := container.NewVBox(
		&widget.Label{Text: lang.X("reading.no_browser", "No web browser opened. Copy the address and open it where you read the web:"), Wrapping: fyne.TextWrapWord},
		entry, container.NewHBox(copyButton))
	d := dialog.NewCustom(lang.X("reading.open", "Open in browser"), lang.X("dialog.close", "Close"), body, s.win)
	copyButton.OnTapped = func() {
		fyne.CurrentApp().Clipboard().SetContent(link)
		d.Hide()
	}
	d.Resize(fyne.NewSize(480, 220))
	showDialog(s.win, d, nil)
}

func (s *ReadingScreen) copyAddress() {
	if it, ok := s.Current(); ok && it.URL != "" {
		fyne.CurrentApp().Clipboard().SetContent(it.URL)
	}
}

// ToggleSaved keeps the item for later, or lets it go.
func (s *ReadingScreen) ToggleSaved() {
	it, ok := s.Current()
	if !ok {
		return
	}
	s.updateItem(it.ID, "save item", func(ctx context.Context, r ReadingList) (planner.Item, error) {
		return r.SetSaved(ctx, it.ID, !it.Saved)
	})
}

// ToggleRead marks the item read, or unread again.
func (s *ReadingScreen) ToggleRead() {
	if it, ok := s.Current(); ok {
		s.setRead(it, !it.Read)
	}
}

func (s *ReadingScreen) setRead(it planner.Item, read bool) {
	s.updateItem(it.ID, "mark item read", func(ctx context.Context, r ReadingList) (planner.Item, error) {
		return r.MarkRead(ctx, it.ID, read)
	})
}

// updateItem writes a change to an item and shows it in place: the item
// stays listed until the next load, so that moving on with j finds the
// next one where it was.
func (s *ReadingScreen) updateItem(id, what string, change func(context.Context, ReadingList) (planner.Item, error)) {
	r := s.deps.Reading
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		it, err := change(ctx, r)
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, what, err)
				return
			}
			for i := range s.items {
				if s.items[i].ID == id {
					s.items[i] = it
				}
			}
			s.list.Refresh()
			s.showCurrent()
		})
	})
}

// ShareCurrent starts a post that shares the item with the user's comment.
func (s *ReadingScreen) ShareCurrent() {
	if it, ok := s.Current(); ok && s.OnShare != nil {
		s.OnShare(it, s.source(it))
	}
}

// RefreshNow refreshes every feed and shows the result.
func (s *ReadingScreen) RefreshNow() {
	r := s.deps.Reading
	if r == nil {
		return
	}
	s.refreshes++
	s.refresh.Disable()
	s.showStatus()
	// Not in the write lane, for the same reason as Add: each feed's
	// refresh writes in transactions of its own, which keep what the user
	// marked meanwhile.
	s.deps.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		err := r.RefreshAll(ctx)
		s.deps.do(func() {
			s.refreshes--
			if s.refreshes == 0 {
				s.refresh.Enable()
			}
			if err != nil {
				showError(s.win, s.deps.Log, "refresh feeds", err)
			}
			s.changed.emit()
		})
	})
}

// TypedKey handles the reading list's keys when no field has the focus:
// the arrows move, Enter opens, Esc leaves.
func (s *ReadingScreen) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyDown:
		s.Step(1)
	case fyne.KeyUp:
		s.Step(-1)
	case fyne.KeyReturn, fyne.KeyEnter:
		s.OpenCurrent()
	case fyne.KeyEscape:
		if s.OnLeave != nil {
			s.OnLeave()
		}
	}
}

// TypedRune handles j and k (move), s (save) and m (mark read).
func (s *ReadingScreen) TypedRune(r rune) {
	switch r {
	case 'j':
		s.Step(1)
	case 'k':
		s.Step(-1)
	case 's':
		s.ToggleSaved()
	case 'm':
		s.ToggleRead()
	}
}
