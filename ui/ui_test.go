package ui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/ical"
	"github.com/kaiku-app/kaiku/planner/textrules"
	"github.com/kaiku-app/kaiku/storage"
)

var helsinki = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		panic(err)
	}
	return loc
}()

// now is the tests' fixed clock: Wednesday of ISO week 49, 2026.
var now = time.Date(2026, 12, 2, 10, 0, 0, 0, helsinki)

func newDeps(t *testing.T) *Deps { return newDepsTB(t) }

func newDepsTB(t testing.TB) *Deps {
	t.Helper()
	log := logrus.New()
	log.SetLevel(logrus.WarnLevel)
	st, err := storage.Open(t.TempDir(), storage.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &Deps{Store: st, Log: log, DataDir: "/data", Loc: helsinki, Now: func() time.Time { return now }, Lang: "en",
		Background: func(f func()) { f() }, AutosaveDelay: time.Hour}
}

func savePost(t *testing.T, d *Deps, text string, at time.Time) planner.Post {
	t.Helper()
	p := planner.Post{ID: planner.NewID(), Text: text, Time: at, Status: planner.StatusScheduled, Created: now, Updated: now}
	if err := d.Store.SavePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

// eventually waits for a load that runs off the UI goroutine.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func shown(s *WeekScreen) []string {
	var out []string
	fyne.DoAndWait(func() {
		for _, p := range s.Posts() {
			out = append(out, p.FirstLine())
		}
	})
	return out
}

func TestWeekShowsThisWeeksPosts(t *testing.T) {
	test.NewTempApp(t)
	d := newDeps(t)
	savePost(t, d, "Monday morning", time.Date(2026, 11, 30, 0, 0, 0, 0, helsinki))
	savePost(t, d, "Sunday night", time.Date(2026, 12, 6, 23, 59, 0, 0, helsinki))
	savePost(t, d, "Next week", time.Date(2026, 12, 7, 0, 0, 0, 0, helsinki))
	savePost(t, d, "Last week", time.Date(2026, 11, 29, 23, 59, 0, 0, helsinki))
	w := NewWindow(test.NewTempApp(t), d)
	defer w.Close()

	eventually(t, "this week's posts", func() bool { return len(shown(w.Week)) == 2 })
	if got := strings.Join(shown(w.Week), "|"); got != "Monday morning|Sunday night" {
		t.Errorf("week 49 shows %q", got)
	}
	if got := w.Week.title.Text; !strings.Contains(got, "49") || !strings.Contains(got, "November") || !strings.Contains(got, "December") {
		t.Errorf("title = %q, want week 49 spanning November and December", got)
	}

	test.Tap(findButton(t, w.Week, "Today")) // stays
	w.Week.Next()
	eventually(t, "next week", func() bool { return strings.Join(shown(w.Week), "|") == "Next week" })
	w.Week.Previous()
	w.Week.Previous()
	eventually(t, "last week", func() bool { return strings.Join(shown(w.Week), "|") == "Last week" })
	w.Week.Today()
	eventually(t, "back to this week", func() bool { return len(shown(w.Week)) == 2 })
	if !w.Week.Monday().Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, helsinki)) {
		t.Errorf("Today went to %v", w.Week.Monday())
	}
}

func TestComposeSaveShowsInWeek(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()

	w.newPost()
	test.Type(w.Composer().text, "Tekoäly kirjastoissa: kolme havaintoa")
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, helsinki)
	w.Composer().date.SetDate(&day)
	w.Composer().timeMode.SetSelected(w.Composer().timeMode.Options[timeExact])
	w.Composer().clock.SetText("14:30")
	w.Composer().networks.SetSelected([]string{"X by hand"})
	test.Tap(w.Composer().schedule)
	eventually(t, "the new post in the week", func() bool { return len(shown(w.Week)) == 1 })
	p := w.Week.Posts()[0]
	if p.Text != "Tekoäly kirjastoissa: kolme havaintoa" || p.Status != planner.StatusScheduled {
		t.Errorf("saved %+v", p)
	}
	if want := time.Date(2026, 12, 3, 14, 30, 0, 0, helsinki); !p.Time.Equal(want) {
		t.Errorf("time %v, want %v", p.Time, want)
	}
}

func TestComposerRejectsBadTimeAndKeepsText(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	test.Type(w.Composer().text, "do not lose me")
	w.Composer().timeMode.SetSelected(w.Composer().timeMode.Options[timeExact])
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, helsinki)
	w.Composer().date.SetDate(&day)
	w.Composer().clock.SetText("25:99")
	if w.Composer().Save() {
		t.Fatal("a time that does not exist was saved")
	}
	if w.Composer().text.Text != "do not lose me" || !w.Composer().Dirty() {
		t.Error("the text was lost or marked saved")
	}
}

func TestAutosaveAndCloseKeepTyping(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	test.Type(w.Composer().text, "first thoughts")
	w.Composer().Autosave()
	undated, err := d.Store.UndatedPosts(context.Background())
	if err != nil || len(undated) != 1 || undated[0].Text != "first thoughts" || undated[0].Status != planner.StatusDraft {
		t.Fatalf("autosave stored %+v, %v", undated, err)
	}
	test.Type(w.Composer().text, " and more")
	w.close() // the window's close button
	undated, _ = d.Store.UndatedPosts(context.Background())
	if len(undated) != 1 || undated[0].Text != "first thoughts and more" {
		t.Fatalf("closing kept %+v", undated)
	}
}

func TestQuitKeepsTextWithBadTime(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	test.Type(w.Composer().text, "written just before logout")
	w.Composer().timeMode.SetSelected(w.Composer().timeMode.Options[timeExact])
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, helsinki)
	w.Composer().date.SetDate(&day)
	w.Composer().clock.SetText("25:")
	w.Quit() // SIGTERM: no dialog, no waiting
	undated, err := d.Store.UndatedPosts(context.Background())
	if err != nil || len(undated) != 1 || undated[0].Text != "written just before logout" || undated[0].Status != planner.StatusDraft {
		t.Fatalf("quitting kept %+v, %v", undated, err)
	}
	if w.Composer().Dirty() {
		t.Error("still marked unsaved")
	}
}

// Fyne ends its loop on SIGTERM by itself, and then Quit may never run: the
// text is saved all the same once the loop is over, and only once.
func TestSaveBeforeExitKeepsTheTextWhenTheLoopEndedFirst(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	writes := &countingStore{Store: d.Store}
	d.Store = writes
	w := NewWindow(a, d)
	test.Type(w.Composer().text, "typed a second before logout")
	w.SaveBeforeExit()
	w.SaveBeforeExit()
	w.WaitForWrites()
	undated, err := d.Store.UndatedPosts(context.Background())
	if err != nil || len(undated) != 1 || undated[0].Text != "typed a second before logout" {
		t.Fatalf("saving before the exit kept %+v, %v", undated, err)
	}
	if n := writes.n.Load(); n != 1 {
		t.Errorf("the post was written %d times, want once", n)
	}
}

// countingStore counts the posts written.
type countingStore struct {
	planner.Store
	n atomic.Int32
}

func (s *countingStore) SavePost(ctx context.Context, p planner.Post) error {
	s.n.Add(1)
	return s.Store.SavePost(ctx, p)
}

func (s *countingStore) UpdatePost(ctx context.Context, id string, change func(*planner.Post) error) (planner.Post, error) {
	s.n.Add(1)
	return s.Store.UpdatePost(ctx, id, change)
}

func TestWindowSizeIsRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	w.Resize(fyne.NewSize(1024, 700))
	w.close()
	if got := a.Preferences().Float(prefWidth); got != 1024 {
		t.Errorf("remembered width %v, want 1024", got)
	}
	w2 := NewWindow(a, d)
	defer w2.Close()
	if got := w2.Canvas().Size().Width; got < 1000 {
		t.Errorf("reopened at width %v", got)
	}
}

func TestWelcomeShowsOnce(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	w.ShowWelcome()
	overlay := w.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("no welcome on first start")
	}
	test.Tap(findButton(t, overlay, "Find my role"))
	st, _ := d.Store.Settings(context.Background())
	if !st.Welcomed {
		t.Fatal("the welcome was not remembered")
	}
	w.ShowWelcome()
	if w.Canvas().Overlays().Top() != nil {
		t.Error("the welcome showed twice")
	}
}

func TestSettingsValidateAndSave(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	s := w.Settings()
	s.zone.SetText("Mars/Olympus_Mons")
	s.Save()
	st, _ := d.Store.Settings(context.Background())
	if st.TimeZone != "" {
		t.Fatalf("a zone that does not exist was saved: %q", st.TimeZone)
	}
	s.zone.SetText("Europe/Stockholm")
	s.reminder.SetText("15")
	s.Save()
	st, _ = d.Store.Settings(context.Background())
	if st.TimeZone != "Europe/Stockholm" || st.ReminderMinutes != 15 {
		t.Fatalf("saved %+v", st)
	}
}

// findButton finds a button by its text anywhere under o.
func findButton(t *testing.T, o fyne.CanvasObject, text string) fyne.Tappable {
	t.Helper()
	var found fyne.Tappable
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil {
			return
		}
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
			return
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(x)
			for _, c := range r.Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

func TestWizardProposesAPlanShownInTheWeek(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	eventually(t, "the empty plan", func() bool {
		var id string
		fyne.DoAndWait(func() { id = w.Role().plan.ID })
		return id != ""
	})
	w.Role().StartWizard()
	// Answer the first question, skip the rest.
	for i := 0; i < len(planner.Questions()); i++ {
		if i == 0 {
			w.Role().answers["production"] = []string{"share"}
			w.Role().showStep()
			test.Tap(findButton(t, w.Role().actions, "Next"))
			continue
		}
		test.Tap(findButton(t, w.Role().actions, "Skip"))
	}
	if w.Role().rec == nil {
		t.Fatal("no recommendation after the last question")
	}
	test.Tap(findButton(t, w.Role().actions, "Use this and propose a plan"))
	plans, err := d.Store.Plans(context.Background())
	if err != nil || len(plans) != 1 || len(plans[0].Slots) == 0 {
		t.Fatalf("plans after the wizard: %+v %v", plans, err)
	}
	if _, err := d.Store.Profile(context.Background()); err != nil {
		t.Fatalf("profile not saved: %v", err)
	}
	if plans[0].TimeZone != "Europe/Helsinki" {
		t.Errorf("plan zone %q", plans[0].TimeZone)
	}
	eventually(t, "the plan's slots in the week", func() bool {
		var n int
		fyne.DoAndWait(func() { n = len(w.Week.Occurrences()) })
		return n == len(plans[0].Slots)
	})

	// Edit one slot's time in the table and save.
	fyne.DoAndWait(func() {
		w.Role().rows[0].at.SetText("07:45")
		w.Role().SavePlan()
	})
	plans, _ = d.Store.Plans(context.Background())
	if plans[0].Slots[0].Start.String() != "07:45" {
		t.Errorf("edited slot starts %v", plans[0].Slots[0].Start)
	}
	fyne.DoAndWait(func() {
		w.Role().rows[0].at.SetText("25:00")
		w.Role().SavePlan()
	})
	plans, _ = d.Store.Plans(context.Background())
	if plans[0].Slots[0].Start.String() != "07:45" {
		t.Errorf("a time that does not exist was saved: %v", plans[0].Slots[0].Start)
	}
}

func TestTapSlotComposeScheduleFillsIt(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		{ID: "thu", Weekday: time.Thursday, Start: planner.ClockTime{Hour: 14}, Minutes: 20, Purpose: planner.PurposeShare, Role: planner.RoleAdvising},
	}}
	if err := d.Store.SavePlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	var occs []planner.Occurrence
	eventually(t, "the slot", func() bool {
		fyne.DoAndWait(func() { occs = w.Week.Occurrences() })
		return len(occs) == 1
	})
	fyne.DoAndWait(func() { w.Week.view.OnSlotTapped(occs[0]) })
	test.Type(w.Composer().text, "Hyvä raportti kirjastojen tekoälystä https://example.org/raportti")
	fyne.DoAndWait(func() {
		w.Composer().networks.SetSelected([]string{"LinkedIn by hand"})
		test.Tap(w.Composer().schedule)
	})
	eventually(t, "the post in its slot", func() bool {
		var ps []planner.Post
		fyne.DoAndWait(func() { ps = w.Week.Posts() })
		return len(ps) == 1 && ps[0].OccurrenceID == "thu@2026-12-03"
	})
	p := w.Week.Posts()[0]
	if p.Status != planner.StatusScheduled || p.Purpose != planner.PurposeShare || p.Role != planner.RoleAdvising {
		t.Errorf("post %+v", p)
	}
	if want := time.Date(2026, 12, 3, 14, 0, 0, 0, helsinki); !p.Time.Equal(want) {
		t.Errorf("time %v, want %v", p.Time, want)
	}
}

func TestCounterAndThreadSplit(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	c := w.Composer()
	c.networks.SetSelected([]string{"X"})
	long := strings.Repeat("Kirjastot oppivat tekoälystä joka päivä. ", 12)
	test.Type(c.text, long)
	counter := c.counters.Objects[0].(*canvas.Text)
	if !strings.HasPrefix(counter.Text, "X 4") || !strings.HasSuffix(counter.Text, "/280") {
		t.Errorf("counter %q", counter.Text)
	}
	if c.split.Disabled() {
		t.Fatal("split is off for a text over the limit")
	}
	test.Tap(c.split)
	parts := c.parts()
	if len(parts) < 2 {
		t.Fatalf("split gave %d parts", len(parts))
	}
	for _, p := range parts {
		if r := textrules.Count(textrules.X, p); !r.Valid {
			t.Errorf("part over the limit: %d %q", r.Length, p)
		}
	}
	if !c.split.Disabled() {
		t.Error("split still on after splitting")
	}
	c.saveAs(planner.StatusDraft)
	undated, _ := d.Store.UndatedPosts(context.Background())
	if len(undated) != 1 || len(undated[0].Parts) != len(parts) {
		t.Fatalf("saved %+v", undated)
	}
}

func TestComposerWarnsBeforePublishing(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	test.Type(w.Composer().text, "This confidential report is out")
	if len(w.Composer().warnings.Objects) == 0 {
		t.Fatal("no warning for a confidential word")
	}
}

func TestSkipSlotAndCalendarLinks(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	plan := planner.SlotPlan{ID: "plan", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		{ID: "thu", Weekday: time.Thursday, Start: planner.ClockTime{Hour: 14}, Minutes: 20, Purpose: planner.PurposeShare},
	}}
	if err := d.Store.SavePlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	occ := w.Week.Occurrences()
	if len(occ) != 1 {
		t.Fatalf("%d occurrences", len(occ))
	}
	ev, err := eventFor(w.deps, w.Week.week, occ[0], now)
	if err != nil || !strings.Contains(ical.GoogleCalendarURL(ev), "calendar.google.com") || !strings.Contains(ical.OutlookURL(ev), "outlook") {
		t.Fatalf("event links: %v %+v", err, ev)
	}
	w.Week.skipOccurrence(occ[0])
	if n := len(w.Week.Occurrences()); n != 0 {
		t.Errorf("%d occurrences after skipping", n)
	}
}

func TestSettingsBackupAndJSONThroughArchive(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	d.Archive = d.Store.(*storage.Store)
	savePost(t, d, "Varmuuskopioitava", time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki))
	w := NewWindow(a, d)
	defer w.Close()
	var buf strings.Builder
	if err := d.Archive.ExportJSON(context.Background(), &buf); err != nil || !strings.Contains(buf.String(), "Varmuuskopioitava") {
		t.Fatalf("export: %v", err)
	}
	if w.Settings().archiveButtons() == nil {
		t.Fatal("no data tools")
	}
	// The data tools' errors read as the command line's.
	if got := errorText(fmt.Errorf("restore: %w", &storage.BackupError{File: "kaiku.backup", Kind: storage.ErrNotBackup})); got != "kaiku.backup is not a Kaiku backup" {
		t.Errorf("a file that is no backup reads %q", got)
	}
}

func TestNavBuildsScreensOnFirstUseAndSavesOnLeave(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	defer w.Close()
	if w.composer != nil || w.role != nil || w.accounts != nil || w.settings != nil {
		t.Fatal("screens other than the week were built before they were opened")
	}
	test.Tap(w.nav.buttons[screenCompose])
	if w.composer == nil || w.nav.content.Objects[0] != w.composer || w.nav.SelectedIndex() != screenCompose {
		t.Fatal("tapping Compose did not show the composer")
	}
	if w.nav.buttons[screenCompose].Importance != widget.HighImportance || w.nav.buttons[screenWeek].Importance != widget.LowImportance {
		t.Error("the selected button is not the highlighted one")
	}
	test.Type(w.composer.text, "kesken jäänyt ajatus")
	test.Tap(w.nav.buttons[screenWeek])
	undated, err := d.Store.UndatedPosts(context.Background())
	if err != nil || len(undated) != 1 || undated[0].Text != "kesken jäänyt ajatus" {
		t.Fatalf("leaving the composer kept %+v, %v", undated, err)
	}
	if w.role != nil {
		t.Error("the role screen was built without being opened")
	}
}

// editingPost opens a window with a post, scheduled for 3 December at 09:00,
// open in the composer.
func editingPost(t *testing.T, text string) (*Window, *Deps, planner.Post) {
	t.Helper()
	a := test.NewTempApp(t)
	d := newDeps(t)
	w := NewWindow(a, d)
	t.Cleanup(w.Close)
	p := savePost(t, d, text, time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki))
	w.openPost(p)
	return w, d, p
}

// TestComposerNeverUndoesPublishing: the outbox publishes a post while the
// composer has it open and the user is typing. Saving must not write the
// composer's older copy over the published post (the outbox would post it
// again); the edits become a new draft and the user is told.
func TestComposerNeverUndoesPublishing(t *testing.T) {
	w, d, p := editingPost(t, "Huomenna julkaistaan raportti.")
	ctx := context.Background()

	// The outbox publishes it.
	published, err := d.Store.UpdatePost(ctx, p.ID, func(q *planner.Post) error {
		q.Status, q.Updated = planner.StatusPublished, now.Add(time.Minute)
		q.Results = []planner.PublishResult{{AccountID: "a1", Network: planner.NetworkX, RemoteID: "1", At: now}}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := w.composer
	c.text.SetText(c.text.Text + " Lue lisää!")
	if !c.Save() {
		t.Fatal("the edits were not saved at all")
	}
	stored, _ := d.Store.Post(ctx, p.ID)
	if stored.Status != planner.StatusPublished || stored.Text != published.Text || len(stored.Results) != 1 {
		t.Fatalf("the published post was changed: %+v", stored)
	}
	if c.post.ID == p.ID || c.post.Status != planner.StatusDraft || c.post.Text != "Huomenna julkaistaan raportti. Lue lisää!" {
		t.Fatalf("the composer holds %+v, want a new draft with the edits", c.post)
	}
	draft, err := d.Store.Post(ctx, c.post.ID)
	if err != nil || draft.Text != c.post.Text || len(draft.Results) != 0 {
		t.Fatalf("the new draft is %+v, %v", draft, err)
	}
	if top := w.Canvas().Overlays().Top(); top == nil {
		t.Error("the user was not told")
	}
}

// TestComposerKeepsOthersChanges: the week moves a post while the composer
// has it open with other edits; both changes are kept.
func TestComposerKeepsOthersChanges(t *testing.T) {
	w, d, p := editingPost(t, "Ensimmäinen versio")
	ctx := context.Background()
	c := w.composer
	c.text.SetText(c.text.Text + " ja lisäys")

	moved := p.Time.Add(26 * time.Hour)
	if _, err := d.Store.UpdatePost(ctx, p.ID, func(q *planner.Post) error {
		q.Time, q.Updated, q.LastError = moved, now.Add(time.Minute), "error.rate_limited"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !c.Save() {
		t.Fatal("not saved")
	}
	stored, _ := d.Store.Post(ctx, p.ID)
	if stored.Text != "Ensimmäinen versio ja lisäys" || !stored.Time.Equal(moved) || stored.LastError != "error.rate_limited" || stored.Status != planner.StatusScheduled {
		t.Errorf("stored %+v: want the new text, the moved time and the outbox's note", stored)
	}
}

// TestComposerShowsWhatHappenedToTheOpenPost: with no edits of its own, the
// composer shows the post as the outbox left it.
func TestComposerShowsWhatHappenedToTheOpenPost(t *testing.T) {
	w, d, p := editingPost(t, "Lähtee pian")
	if _, err := d.Store.UpdatePost(context.Background(), p.ID, func(q *planner.Post) error {
		q.Status, q.Updated = planner.StatusFailed, now.Add(time.Minute)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	w.changed.emit() // as OutboxEvent does
	if got := w.Composer().post.Status; got != planner.StatusFailed {
		t.Errorf("the composer still shows %s", got)
	}
}

// TestMovePostChangesOnlyTheTime: dragging a post in the week moves it, and
// a copy the outbox has published since is left as it went out.
func TestMovePostChangesOnlyTheTime(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	ctx := context.Background()
	w := NewWindow(a, d)
	defer w.Close()
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki)
	p := savePost(t, d, "Siirrettävä", at)
	if _, err := d.Store.UpdatePost(ctx, p.ID, func(q *planner.Post) error { q.Text = "Muokattu"; return nil }); err != nil {
		t.Fatal(err)
	}
	to := at.Add(3 * time.Hour)
	w.Week.movePost(p, to) // p is the week's older copy
	got, _ := d.Store.Post(ctx, p.ID)
	if !got.Time.Equal(to) || got.Text != "Muokattu" {
		t.Errorf("after the move: %+v", got)
	}

	if _, err := d.Store.UpdatePost(ctx, p.ID, func(q *planner.Post) error { q.Status = planner.StatusPublished; return nil }); err != nil {
		t.Fatal(err)
	}
	w.Week.movePost(p, at) // the week still thinks it is scheduled
	got, _ = d.Store.Post(ctx, p.ID)
	if got.Status != planner.StatusPublished || !got.Time.Equal(to) {
		t.Errorf("a published post was moved or reopened: %+v", got)
	}
}
