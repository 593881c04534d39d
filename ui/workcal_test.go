package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// fakeWorkCalendars keeps work calendars in the test's store as the real
// ones do, without reading any file or address: the first calendar added
// is busy on Monday 30 November 2026 from 9 to 10, the second from 11 to 12.
type fakeWorkCalendars struct {
	st planner.Store
	mu sync.Mutex
	// addErr is what Add answers; failing names the sources whose next
	// refresh fails, with the reason.
	addErr  error
	failing map[string]string
	added   []string
	// onRefresh, if set, is called at each Refresh.
	onRefresh func()
}

// explainedErr is an error in the user's words, as cmd hands them over.
type explainedErr string

func (e explainedErr) Error() string                    { return string(e) }
func (e explainedErr) Explain(planner.Translate) string { return string(e) }

func (f *fakeWorkCalendars) Sources(ctx context.Context) ([]planner.CalendarSource, error) {
	return f.st.CalendarSources(ctx)
}

func (f *fakeWorkCalendars) Add(ctx context.Context, address string) (planner.CalendarSource, error) {
	f.mu.Lock()
	f.added = append(f.added, address)
	err := f.addErr
	f.mu.Unlock()
	if err != nil {
		return planner.CalendarSource{}, err
	}
	src := planner.CalendarSource{ID: planner.NewID(), Kind: planner.CalendarFile, Address: address, Added: now, Refreshed: now}
	if calendarAddress(address) {
		src.Kind, src.Address = planner.CalendarURL, strings.Replace(address, "webcal://", "https://", 1)
	}
	before, err := f.st.CalendarSources(ctx)
	if err != nil {
		return src, err
	}
	if err := f.st.SaveCalendarSource(ctx, src); err != nil {
		return src, err
	}
	start := time.Date(2026, 11, 30, 9+2*len(before), 0, 0, 0, helsinki)
	w := planner.BusyWindow{SourceID: src.ID, From: start.Truncate(24 * time.Hour), To: start.AddDate(0, 0, 14), Intervals: []planner.BusyInterval{
		{Start: start, End: start.Add(time.Hour)},
	}}
	return src, f.st.SaveCalendarBusy(ctx, src, w)
}

func (f *fakeWorkCalendars) Remove(ctx context.Context, id string) error {
	return f.st.DeleteCalendarSource(ctx, id)
}

func (f *fakeWorkCalendars) Refresh(ctx context.Context) error {
	list, err := f.st.CalendarSources(ctx)
	if err != nil {
		return err
	}
	f.mu.Lock()
	failing, onRefresh := f.failing, f.onRefresh
	f.mu.Unlock()
	if onRefresh != nil {
		onRefresh()
	}
	for _, src := range list {
		msg := failing[src.Address]
		if _, err := f.st.UpdateCalendarSource(ctx, src.ID, func(s *planner.CalendarSource) {
			s.LastError = msg
			if msg == "" {
				s.Refreshed = now.Add(time.Hour)
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

func workCalSettings(t *testing.T, d *Deps) (*Window, *workCalSection, *fakeWorkCalendars) {
	t.Helper()
	f := &fakeWorkCalendars{st: d.Store}
	d.WorkCalendars = f
	w := NewWindow(test.NewTempApp(t), d)
	t.Cleanup(w.Close)
	w.nav.SelectIndex(screenSettings)
	test.WidgetRenderer(w.Settings())
	if w.Settings().workCal == nil {
		t.Fatal("the settings have no work calendars section")
	}
	return w, w.Settings().workCal, f
}

// topDialogText is the text of the dialog on top of w, which it closes.
func topDialogText(t *testing.T, w *Window) string {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	text := dialogText(top)
	w.Canvas().Overlays().Remove(top)
	return text
}

func TestWorkCalendarsAddAFileListsItAndShadesTheWeek(t *testing.T) {
	d := newDeps(t)
	w, o, _ := workCalSettings(t, d)
	if !o.none.Visible() || len(o.rows.Objects) != 0 || !o.refresh.Disabled() {
		t.Fatal("with no calendars the section does not say so")
	}
	if len(w.Week.week.Busy) != 0 {
		t.Fatal("busy time before any calendar")
	}
	o.Add("/home/me/work.ics")

	if o.none.Visible() || len(o.rows.Objects) != 1 {
		t.Fatalf("%d rows after adding a calendar", len(o.rows.Objects))
	}
	row := dialogText(o.rows)
	for _, want := range []string{"/home/me/work.ics", "Read Wed 2 Dec 10:00"} {
		if !strings.Contains(row, want) {
			t.Errorf("the row says %q, without %q", row, want)
		}
	}
	if o.note.Text != "Added /home/me/work.ics: its busy time shows in the week." {
		t.Errorf("note = %q", o.note.Text)
	}
	if o.refresh.Disabled() || o.addFile.Disabled() || o.addAddress.Disabled() {
		t.Error("the actions stay disabled after the calendar was read")
	}
	if len(w.Week.week.Busy) != 1 {
		t.Errorf("the week has %d busy times after the calendar came, want 1: it was not redrawn", len(w.Week.week.Busy))
	}

	o.Add("/home/me/work.ics")
	if got := topDialogText(t, w); !strings.Contains(got, "/home/me/work.ics is in the list already.") {
		t.Errorf("the same file again: %q", got)
	}
	if len(o.rows.Objects) != 1 {
		t.Errorf("%d rows after adding the same file twice", len(o.rows.Objects))
	}
}

func TestWorkCalendarsAddressThatFailsIsExplainedAndNothingAdded(t *testing.T) {
	d := newDeps(t)
	w, o, f := workCalSettings(t, d)
	f.addErr = explainedErr("cannot fetch https://outlook.office365.com/owa/calendar/…: the server answered 404 Not Found; the address may have expired or been unpublished")

	o.AddAddress("  webcal://outlook.office365.com/owa/calendar/abc/def/calendar.ics  ")
	if got := topDialogText(t, w); !strings.Contains(got, "Calendar not added") || !strings.Contains(got, "Cannot fetch https://outlook.office365.com/owa/calendar/…: the server answered 404 Not Found; the address may have expired or been unpublished.") {
		t.Errorf("the dialog says %q", got)
	}
	if len(f.added) != 1 || f.added[0] != "webcal://outlook.office365.com/owa/calendar/abc/def/calendar.ics" {
		t.Errorf("the calendars were asked to add %q", f.added)
	}
	if list, _ := d.Store.CalendarSources(context.Background()); len(list) != 0 || len(o.rows.Objects) != 0 || !o.none.Visible() {
		t.Errorf("a calendar that failed was kept: %+v", list)
	}
	if o.addAddress.Disabled() {
		t.Error("the actions stay disabled after a failure")
	}

	o.AddAddress("calendar at work")
	if got := topDialogText(t, w); !strings.Contains(got, "starting with https:// or webcal://") {
		t.Errorf("a text that is no address: %q", got)
	}
	if len(f.added) != 1 {
		t.Errorf("a text that is no address was tried: %q", f.added)
	}
}

func TestWorkCalendarsAddressDialogAnswersEnterAndEsc(t *testing.T) {
	d := newDeps(t)
	w, o, f := workCalSettings(t, d)
	o.askAddress()
	entry, ok := w.Canvas().Focused().(*keyEntry)
	if !ok {
		t.Fatalf("the address entry has no focus: %T", w.Canvas().Focused())
	}
	test.Type(entry, "https://calendar.google.com/calendar/ical/x/private-abc/basic.ics")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(f.added) != 1 || len(o.rows.Objects) != 1 {
		t.Fatalf("Enter did not add the calendar: %q", f.added)
	}
	if row := dialogText(o.rows); strings.Contains(row, "private-abc") {
		t.Errorf("the row shows the address's secret: %q", row)
	}

	o.askAddress()
	entry = w.Canvas().Focused().(*keyEntry)
	test.Type(entry, "https://example.org/other.ics")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(f.added) != 1 || topDialog(w) != nil {
		t.Errorf("Esc did not cancel: %q", f.added)
	}
}

func TestWorkCalendarsRemoveAsksFirst(t *testing.T) {
	d := newDeps(t)
	w, o, _ := workCalSettings(t, d)
	o.Add("/home/me/work.ics")
	o.Add("https://example.org/team.ics")
	if len(o.sources) != 2 {
		t.Fatalf("%d calendars", len(o.sources))
	}
	gone := o.sources[0]
	test.Tap(findButton(t, o.rows.Objects[0], "Remove"))
	c, ok := topDialog(w).(*dialog.ConfirmDialog)
	if !ok {
		t.Fatal("Remove did not ask first")
	}
	if got := dialogText(w.Canvas().Overlays().Top()); !strings.Contains(got, "Kaiku forgets "+gone.Label()+" and its busy time") {
		t.Errorf("the question is %q", got)
	}
	c.Confirm()

	list, err := d.Store.CalendarSources(context.Background())
	if err != nil || len(list) != 1 || list[0].ID == gone.ID {
		t.Fatalf("after Remove the store has %+v, %v", list, err)
	}
	if len(o.rows.Objects) != 1 || strings.Contains(dialogText(o.rows), gone.Label()) {
		t.Errorf("the list still shows the calendar removed: %q", dialogText(o.rows))
	}
	if !strings.HasPrefix(o.note.Text, "Calendar removed") {
		t.Errorf("note = %q", o.note.Text)
	}
	if len(w.Week.week.Busy) != 1 {
		t.Errorf("the week shows %d busy times, want the 1 of the calendar left", len(w.Week.week.Busy))
	}
}

func TestWorkCalendarsRefreshShowsWhyOneFailed(t *testing.T) {
	d := newDeps(t)
	_, o, f := workCalSettings(t, d)
	o.Add("/home/me/work.ics")
	o.Add("https://example.org/team.ics")
	f.failing = map[string]string{"https://example.org/team.ics": "cannot fetch https://example.org/team.ics: the server did not answer in time"}

	test.Tap(o.refresh)
	rows := dialogText(o.rows)
	if !strings.Contains(rows, "Read Wed 2 Dec 11:00") {
		t.Errorf("the calendar read again does not say when: %q", rows)
	}
	if !strings.Contains(rows, "Cannot fetch https://example.org/team.ics: the server did not answer in time. The busy time read earlier stays. Read Wed 2 Dec 10:00.") {
		t.Errorf("the failing calendar does not say why: %q", rows)
	}
	var danger int
	for _, r := range o.rows.Objects {
		walkLabels(r, func(l *widget.Label) {
			if l.Importance == widget.DangerImportance {
				danger++
			}
		})
	}
	if danger != 1 {
		t.Errorf("%d rows stand out as failing, want 1", danger)
	}
	if o.note.Text != "1 of 2 calendars could not be read; they keep their earlier busy time." {
		t.Errorf("note = %q", o.note.Text)
	}

	f.failing = nil
	test.Tap(o.refresh)
	if rows := dialogText(o.rows); strings.Contains(rows, "did not answer") {
		t.Errorf("a calendar read again still says it failed: %q", rows)
	}
	if o.note.Text != "Work calendars read at 10:00." {
		t.Errorf("note = %q", o.note.Text)
	}
}

// walkLabels calls f with each label under o.
func walkLabels(o fyne.CanvasObject, f func(*widget.Label)) {
	switch x := o.(type) {
	case *widget.Label:
		f(x)
	case *fyne.Container:
		for _, c := range x.Objects {
			walkLabels(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkLabels(c, f)
		}
	}
}

func TestWorkCalendarsReadOnTheirOwnRedrawTheWeekAndTheList(t *testing.T) {
	d := newDeps(t)
	w, o, f := workCalSettings(t, d)
	o.Add("/home/me/work.ics")
	if len(w.Week.week.Busy) != 1 {
		t.Fatalf("the week shows %d busy times, want 1", len(w.Week.week.Busy))
	}
	// Meanwhile `kaiku calendar add` adds another, and the first fails.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := f.Add(ctx, "/home/me/team.ics"); err != nil {
		t.Fatal(err)
	}
	f.failing = map[string]string{"/home/me/work.ics": "cannot read the calendar /home/me/work.ics: the file is not an iCalendar calendar"}
	refreshes := 0
	f.onRefresh = func() { refreshes++ }
	w.deps.Do = func(apply func()) {
		apply()
		cancel() // one round is enough: the loop then ends
	}
	w.RefreshWorkCalendars(ctx, time.Hour)
	if refreshes != 1 {
		t.Fatalf("%d refreshes, want 1", refreshes)
	}
	rows := dialogText(o.rows)
	if len(o.rows.Objects) != 2 || !strings.Contains(rows, "/home/me/team.ics") {
		t.Errorf("after the hourly read the list is %q", rows)
	}
	if !strings.Contains(rows, "Cannot read the calendar /home/me/work.ics: the file is not an iCalendar calendar. The busy time read earlier stays.") {
		t.Errorf("after the hourly read the failing row says %q", rows)
	}
	if len(w.Week.week.Busy) != 2 {
		t.Errorf("the week shows %d busy times, want 2: it was not redrawn", len(w.Week.week.Busy))
	}
}
