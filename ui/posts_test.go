package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
)

// pngBytes is a tiny PNG, as the composer stores a picture.
func pngBytes(t testing.TB) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func savePostAs(t testing.TB, d *Deps, p planner.Post) planner.Post {
	t.Helper()
	if p.ID == "" {
		p.ID = planner.NewID()
	}
	if p.Created.IsZero() {
		p.Created, p.Updated = now, now
	}
	if err := d.Store.SavePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

func firstLines(ps []planner.Post) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.FirstLine())
	}
	return strings.Join(out, "|")
}

// overlayButton taps a button of the dialog on top of the window.
func overlayButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	o := w.Canvas().Overlays().Top()
	if o == nil {
		t.Fatalf("no dialog to tap %q in", text)
	}
	test.Tap(findButton(t, o, text))
}

func TestPostsScreenViewsAndSearch(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	savePostAs(t, d, planner.Post{Text: "Later on Thursday", Time: now.Add(26 * time.Hour), Status: planner.StatusScheduled})
	savePostAs(t, d, planner.Post{Text: "Earlier on Thursday", Time: now.Add(25 * time.Hour), Status: planner.StatusScheduled})
	savePostAs(t, d, planner.Post{Text: "Friday's", Time: now.Add(48 * time.Hour), Status: planner.StatusScheduled})
	savePostAs(t, d, planner.Post{Text: "An idea about libraries", Status: planner.StatusIdea})
	savePostAs(t, d, planner.Post{Text: "Went out first", Time: now.Add(-48 * time.Hour), Status: planner.StatusPublished,
		Results: []planner.PublishResult{{Network: planner.NetworkX, URL: "https://x.com/a/status/1", At: now.Add(-48 * time.Hour)}}})
	savePostAs(t, d, planner.Post{Text: "Went out last", Time: now.Add(-time.Hour), Status: planner.StatusPublished})
	savePostAs(t, d, planner.Post{Text: "Refused", Time: now.Add(-2 * time.Hour), Status: planner.StatusFailed})
	w := NewWindow(a, d)
	defer w.Close()
	w.showScreen(screenPosts)
	s := w.Posts()

	eventually(t, "the scheduled posts", func() bool { return firstLines(s.Posts()) == "Earlier on Thursday|Later on Thursday|Friday's" })
	var headers []string
	for _, r := range s.rows {
		if r.item == nil {
			headers = append(headers, r.header)
		}
	}
	if strings.Join(headers, "|") != "Thu 3 Dec|Fri 4 Dec" {
		t.Errorf("day headers %q", headers)
	}
	for f, want := range map[postsFilter]string{
		filterIdeas:     "An idea about libraries",
		filterPublished: "Went out last|Went out first",
		filterAttention: "Refused",
	} {
		s.ShowFilter(f)
		if got := firstLines(s.Posts()); got != want {
			t.Errorf("view %d shows %q, want %q", f, got, want)
		}
	}
	s.ShowFilter(filterScheduled)
	test.Type(s.search, "THURSDAY")
	if got := firstLines(s.Posts()); got != "Earlier on Thursday|Later on Thursday" {
		t.Errorf("search shows %q", got)
	}
	s.search.SetText("nothing like this")
	if len(s.Posts()) != 0 || !s.empty.Visible() {
		t.Error("an empty search result says nothing")
	}
	s.search.SetText("")

	// A row opens in the composer.
	s.list.Select(1)
	if w.nav.SelectedIndex() != screenCompose || w.Composer().text.Text != "Earlier on Thursday" {
		t.Fatalf("the row did not open: screen %d, text %q", w.nav.SelectedIndex(), w.Composer().text.Text)
	}
}

// A search that finds nothing in this view, or an empty view, says which
// other views have the post: it is not gone, only elsewhere.
func TestPostsSearchSaysWhichOtherViewHasThePost(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	savePostAs(t, d, planner.Post{Text: "Spring report, first draft", Status: planner.StatusDraft})
	savePostAs(t, d, planner.Post{Text: "The spring report is out", Time: now.Add(-time.Hour), Status: planner.StatusPublished})
	savePostAs(t, d, planner.Post{Text: "Autumn plans", Time: now.Add(-2 * time.Hour), Status: planner.StatusPublished})
	w := NewWindow(a, d)
	defer w.Close()
	w.showScreen(screenPosts)
	s := w.Posts()

	eventually(t, "the posts", func() bool { return s.loaded })
	if got, want := s.empty.Text, "Nothing here. In the other lists: Drafts (1), Published (2)."; got != want {
		t.Errorf("the empty view says %q, want %q", got, want)
	}
	test.Type(s.search, "SPRING report")
	if got, want := s.empty.Text, "No post here has that text. In the other lists: Drafts (1), Published (1)."; got != want {
		t.Errorf("the search says %q, want %q", got, want)
	}
	s.search.SetText("nothing like this")
	if got, want := s.empty.Text, "No post here has that text."; got != want {
		t.Errorf("a search that finds nothing anywhere says %q, want %q", got, want)
	}
}

// Ctrl+F brings the keyboard to the posts' search from anywhere, even from
// the composer's text, and to the reading list's on the Reading screen.
func TestCtrlFGoesToTheSearch(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()

	w.showScreen(screenCompose)
	press(w, fyne.KeyF, fyne.KeyModifierShortcutDefault)
	if w.nav.SelectedIndex() != screenPosts || w.Canvas().Focused() != w.Posts().search {
		t.Fatalf("after Ctrl+F in the composer: screen %d, focus %T", w.nav.SelectedIndex(), w.Canvas().Focused())
	}
	w.showScreen(screenReading)
	press(w, fyne.KeyF, fyne.KeyModifierShortcutDefault)
	if w.nav.SelectedIndex() != screenReading || w.Canvas().Focused() != w.Reading().search {
		t.Fatalf("after Ctrl+F in the reading list: screen %d, focus %T", w.nav.SelectedIndex(), w.Canvas().Focused())
	}
}

func TestDeleteFromThePostsListThenUndo(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ctx := context.Background()
	hash, err := d.Store.SaveImage(ctx, pngBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	p := savePostAs(t, d, planner.Post{Text: "Delete me", Time: now.Add(time.Hour), Status: planner.StatusScheduled,
		Images: []planner.Image{{Hash: hash, Alt: "a chart", Type: planner.ImagePNG, Width: 2, Height: 2}}})
	savePostAs(t, d, planner.Post{Text: "Keep me", Time: now.Add(2 * time.Hour), Status: planner.StatusScheduled})
	w := NewWindow(a, d)
	defer w.Close()
	w.showScreen(screenPosts)
	s := w.Posts()
	eventually(t, "the posts", func() bool { return len(s.Posts()) == 2 })

	// The Delete key deletes the row with the keyboard's focus: the first post, below its day's header.
	w.Canvas().Focus(s.list)
	s.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	s.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if _, err := d.Store.Post(ctx, p.ID); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("the post is still stored: %v", err)
	}
	if got := firstLines(s.Posts()); got != "Keep me" {
		t.Fatalf("the list shows %q", got)
	}
	if !strings.Contains(s.notice.Text(), "Delete me") {
		t.Fatalf("notice %q", s.notice.Text())
	}
	test.Tap(s.notice.action)
	back, err := d.Store.Post(ctx, p.ID)
	if err != nil || back.Text != "Delete me" || back.Status != planner.StatusScheduled || !back.Time.Equal(p.Time) {
		t.Fatalf("undo brought back %+v, %v", back, err)
	}
	if _, err := d.Store.ImageData(ctx, hash); err != nil {
		t.Fatalf("the image did not come back: %v", err)
	}
	if got := firstLines(s.Posts()); got != "Delete me|Keep me" {
		t.Fatalf("after undo the list shows %q", got)
	}
}

func TestRemovingAPublishedPostSaysItStaysOnTheNetwork(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	p := savePostAs(t, d, planner.Post{Text: "Out there", Time: now.Add(-time.Hour), Status: planner.StatusPublished, Targets: []planner.Target{{Network: planner.NetworkMastodon}}})
	w := NewWindow(a, d)
	defer w.Close()
	s := w.Posts()
	s.Delete(p)
	o := w.Canvas().Overlays().Top()
	if o == nil {
		t.Fatal("no confirmation")
	}
	if !strings.Contains(allText(o), "stays on Mastodon") {
		t.Fatalf("the confirmation says %q", allText(o))
	}
	overlayButton(t, w, "Cancel")
	if _, err := d.Store.Post(context.Background(), p.ID); err != nil {
		t.Fatal("cancel deleted it")
	}
	s.Delete(p)
	overlayButton(t, w, "Remove from Kaiku")
	if _, err := d.Store.Post(context.Background(), p.ID); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("still stored: %v", err)
	}
}

func TestIdeaBecomesADraftForTheNextFreeSlot(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ctx := context.Background()
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		{ID: "thu", Weekday: time.Thursday, Start: planner.ClockTime{Hour: 9}, Minutes: 30, Purpose: planner.PurposeWrite, Role: planner.RoleInforming},
	}}
	if err := d.Store.SavePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	idea := savePostAs(t, d, planner.Post{Text: "What libraries do with AI", Status: planner.StatusIdea})
	w := NewWindow(a, d)
	defer w.Close()
	s := w.Posts()
	s.ShowFilter(filterIdeas)
	eventually(t, "the idea", func() bool { return len(s.Posts()) == 1 })
	s.ideaToDraft(idea)
	got, err := d.Store.Post(ctx, idea.ID)
	if err != nil || got.Status != planner.StatusDraft || !got.Time.Equal(time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki)) || got.Purpose != planner.PurposeWrite {
		t.Fatalf("the idea became %+v, %v", got, err)
	}
	if !strings.Contains(s.notice.Text(), "Thu 3 Dec") {
		t.Errorf("notice %q", s.notice.Text())
	}
}

func TestDuplicateAndMoveFromTheList(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ctx := context.Background()
	p := savePostAs(t, d, planner.Post{Text: "Original", Time: now.Add(time.Hour), Status: planner.StatusScheduled})
	w := NewWindow(a, d)
	defer w.Close()
	w.showScreen(screenPosts)
	s := w.Posts()
	s.duplicate(p)
	s.ShowFilter(filterDrafts)
	if got := firstLines(s.Posts()); got != "Original" {
		t.Fatalf("drafts %q", got)
	}
	s.askMove(p)
	o := w.Canvas().Overlays().Top()
	date := findDateField(t, o)
	date.SetText("10.12.2026") // Finnish order is read in any language
	if !strings.Contains(allText(o), "Thu 10 Dec") {
		t.Errorf("the dialog does not name the day: %q", allText(o))
	}
	overlayButton(t, w, "Move")
	got, _ := d.Store.Post(ctx, p.ID)
	if want := time.Date(2026, 12, 10, 11, 0, 0, 0, helsinki); !got.Time.Equal(want) {
		t.Fatalf("moved to %v, want %v", got.Time, want)
	}
	test.Tap(s.notice.action) // Undo
	got, _ = d.Store.Post(ctx, p.ID)
	if !got.Time.Equal(p.Time) {
		t.Fatalf("undo left it at %v", got.Time)
	}
}

func findDateField(t *testing.T, o fyne.CanvasObject) *dateField {
	t.Helper()
	var found *dateField
	walkObjects(o, func(o fyne.CanvasObject) {
		if f, ok := o.(*dateField); ok && found == nil {
			found = f
		}
	})
	if found == nil {
		t.Fatal("no date field")
	}
	return found
}

// walkObjects calls f on o and everything under it.
func walkObjects(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkObjects(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkObjects(c, f)
		}
	}
}

// allText is every label's and entry's text under o.
func allText(o fyne.CanvasObject) string {
	var b strings.Builder
	walkObjects(o, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			if x.Visible() {
				b.WriteString(x.Text + "\n")
			}
		case *widget.Entry:
			b.WriteString(x.Text + "\n")
		case *keyEntry:
			b.WriteString(x.Text + "\n")
		}
	})
	return b.String()
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2026-12-10":    "2026-12-10",
		" 10.12.2026 ":  "2026-12-10",
		"to 10.12.2026": "2026-12-10",
		"10.12.26":      "2026-12-10",
		"10.12.":        "2026-12-10",
		"1.2.2027":      "2027-02-01",
	} {
		got, err := parseDate(in, 2026)
		if err != nil || got.Format("2006-01-02") != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, in := range []string{"30.2.2026", "2026-13-01", "tomorrow", "12/10/2026", "10..2026"} {
		if _, err := parseDate(in, 2026); err == nil {
			t.Errorf("%q was read as a date", in)
		}
	}
}

// postsFixture is n posts spread over statuses and ten years, as a heavy
// user's data would be after years.
func postsFixture(n int) []postItem {
	items := make([]postItem, n)
	statuses := []planner.Status{planner.StatusScheduled, planner.StatusPublished, planner.StatusDraft, planner.StatusIdea, planner.StatusFailed}
	for i := range items {
		p := planner.Post{ID: fmt.Sprintf("p%05d", i), Text: fmt.Sprintf("Post %d: kirjastot ja tekoäly, osa %d\nToinen rivi", i, i%37),
			Status: statuses[i%len(statuses)], Created: now, Updated: now.Add(time.Duration(i) * time.Minute),
			Targets: []planner.Target{{Network: planner.NetworkX}, {Network: planner.NetworkLinkedIn}}}
		if p.Status != planner.StatusIdea {
			p.Time = now.Add(time.Duration(i-n/2) * 8 * time.Hour)
		}
		items[i] = postItem{post: p, search: planner.SearchText(p)}
	}
	return items
}

// BenchmarkPostsFilter10k measures what one keystroke in the Posts screen's
// search costs with 10,000 posts: picking, ordering and grouping the view's
// posts. The budget is 16 ms, one frame.
func BenchmarkPostsFilter10k(b *testing.B) {
	test.NewTempApp(b)
	items := postsFixture(10000)
	queries := []string{"", "k", "ki", "kir", "kirjastot ja", "osa 1"}
	for i := 0; b.Loop(); i++ {
		postsRows(items, filterScheduled, queries[i%len(queries)], helsinki, "en")
	}
}

// BenchmarkPostsScroll10k measures scrolling the Posts screen's list of
// 10,000 posts by a screenful: the rows in view are made once and reused.
func BenchmarkPostsScroll10k(b *testing.B) {
	a := test.NewTempApp(b)
	d := newDepsTB(b)
	w := a.NewWindow("")
	s := NewPostsScreen(d, w, &signal{}, &zone{loc: helsinki})
	s.items, s.loaded = postsFixture(10000), true
	s.refilter()
	w.SetContent(s)
	w.Resize(fyne.NewSize(1000, 700))
	rows := len(s.rows)
	for i := 0; b.Loop(); i++ {
		s.list.ScrollTo((i * 17) % rows)
	}
	b.ReportMetric(float64(rows), "rows")
}

func TestDeleteFromTheComposerThenUndo(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ctx := context.Background()
	p := savePostAs(t, d, planner.Post{Text: "Stored", Time: now.Add(time.Hour), Status: planner.StatusDraft})
	w := NewWindow(a, d)
	defer w.Close()
	w.openPost(p)
	c := w.Composer()
	c.text.SetText("Stored and edited")
	test.Tap(c.remove)
	if _, err := d.Store.Post(ctx, p.ID); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("still stored: %v", err)
	}
	if c.text.Text != "" || c.post.ID != "" {
		t.Fatalf("the composer still holds %q", c.text.Text)
	}
	test.Tap(c.notice.action)
	back, err := d.Store.Post(ctx, p.ID)
	if err != nil || back.Text != "Stored and edited" {
		t.Fatalf("undo brought back %q, %v: the edits made before Delete are lost", back.Text, err)
	}

	// A post never saved is cleared, and Undo puts the text back.
	c.New()
	test.Type(c.text, "Half a thought")
	test.Tap(c.remove)
	if c.text.Text != "" {
		t.Fatal("not cleared")
	}
	test.Tap(c.notice.action)
	if c.text.Text != "Half a thought" || !c.Dirty() {
		t.Fatalf("undo gave %q", c.text.Text)
	}
}

func TestThePostsListOutOfViewReadsAgainWhenShown(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	w.showScreen(screenPosts)
	s := w.Posts()
	w.showScreen(screenWeek)
	savePostAs(t, d, planner.Post{Text: "Made elsewhere", Time: now.Add(time.Hour), Status: planner.StatusScheduled})
	w.changed.emit()
	if len(s.Posts()) != 0 {
		t.Fatal("read while out of view")
	}
	w.showScreen(screenPosts)
	if got := firstLines(s.Posts()); got != "Made elsewhere" {
		t.Fatalf("shown %q", got)
	}
}

// fakeOutbox records what the screens ask of the outbox.
type fakeOutbox struct {
	store     planner.Store
	published []string
}

func (f *fakeOutbox) RunDue(context.Context) (accounts.Summary, error) {
	return accounts.Summary{}, nil
}
func (f *fakeOutbox) PublishNow(ctx context.Context, id string) (planner.Post, error) {
	f.published = append(f.published, id)
	return f.store.UpdatePost(ctx, id, func(p *planner.Post) error {
		p.Status = planner.StatusPublished
		p.Results = []planner.PublishResult{{AccountID: "x1", Network: planner.NetworkX, URL: "https://x.com/maija/status/1", At: now}}
		return nil
	})
}
func (f *fakeOutbox) Retry(context.Context, string) (planner.Post, error) { return planner.Post{}, nil }
func (f *fakeOutbox) ConfirmPublished(context.Context, string, string) (planner.Post, error) {
	return planner.Post{}, nil
}
func (f *fakeOutbox) MarkPublishedByHand(context.Context, string, planner.Network, string) (planner.Post, error) {
	return planner.Post{}, nil
}
func (f *fakeOutbox) Skip(context.Context, string) (planner.Post, error) { return planner.Post{}, nil }

func TestPublishNowFromTheList(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ob := &fakeOutbox{store: d.Store}
	d.Outbox = ob
	byHand := savePostAs(t, d, planner.Post{Text: "By hand", Time: now.Add(time.Hour), Status: planner.StatusScheduled, Targets: []planner.Target{{Network: planner.NetworkX}}})
	linked := savePostAs(t, d, planner.Post{Text: "Through the account", Time: now.Add(2 * time.Hour), Status: planner.StatusScheduled, Targets: []planner.Target{{AccountID: "x1", Network: planner.NetworkX}}})
	w := NewWindow(a, d)
	defer w.Close()
	w.showScreen(screenPosts)
	s := w.Posts()
	if s.canPostNow(byHand) || !s.canPostNow(linked) {
		t.Fatal("Publish now is offered for the wrong post")
	}
	s.postNow(linked)
	if len(ob.published) != 1 || ob.published[0] != linked.ID {
		t.Fatalf("published %v", ob.published)
	}
	s.ShowFilter(filterPublished)
	if got := firstLines(s.Posts()); got != "Through the account" {
		t.Fatalf("published view %q", got)
	}
	if firstLink(s.Posts()[0]) != "https://x.com/maija/status/1" {
		t.Fatal("no link to the live post")
	}
}
