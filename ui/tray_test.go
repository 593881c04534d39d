package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
)

// withTray gives the deps a desktop whose tray host is there while *host is.
func withTray(d *Deps, host *bool) *Deps {
	d.TrayHost = func() bool { return *host }
	return d
}

// thursday9 is 09:00 on the Thursday after the tests' now (Wednesday 10:00).
var thursday9 = time.Date(2026, 12, 3, 9, 0, 0, 0, helsinki)

func scheduleOnX(t *testing.T, d *Deps, text string, at time.Time) planner.Post {
	t.Helper()
	p := planner.Post{ID: planner.NewID(), Text: text, Time: at, Status: planner.StatusScheduled, Created: now, Updated: now,
		Targets: []planner.Target{{Network: planner.NetworkX}}}
	if err := d.Store.SavePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

func menuLabels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		if it.IsSeparator {
			out = append(out, "—")
			continue
		}
		out = append(out, it.Label)
	}
	return out
}

func menuItem(t *testing.T, m *fyne.Menu, prefix string) *fyne.MenuItem {
	t.Helper()
	for _, it := range m.Items {
		if !it.IsSeparator && strings.HasPrefix(it.Label, prefix) {
			return it
		}
	}
	t.Fatalf("no %q in the tray menu %q", prefix, menuLabels(m))
	return nil
}

// isOpen reports whether the window is still one of the app's windows.
func isOpen(a fyne.App, w *Window) bool {
	for _, x := range a.Driver().AllWindows() {
		if x == w.Window {
			return true
		}
	}
	return false
}

// tapDialogButton taps a button of the dialog on top of the window.
func tapDialogButton(t *testing.T, w *Window, text string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog for %q", text)
	}
	test.Tap(findButton(t, top, text))
}

func TestTrayMenuShowsTheNextPostAndActs(t *testing.T) {
	a := test.NewTempApp(t)
	host := true
	d := withTray(newDeps(t), &host)
	p := scheduleOnX(t, d, "Thursday's post", thursday9)
	scheduleOnX(t, d, "A later one", thursday9.Add(48*time.Hour))
	w := NewWindow(a, d)
	defer w.Close()

	m := w.TrayMenu()
	want := []string{"Open Kaiku", "Write a post", "—", "Next: Thu 09:00 on X", "Publish due posts now", "—", "Quit Kaiku"}
	if got := menuLabels(m); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("tray menu %q, want %q", got, want)
	}
	if !menuItem(t, m, "Quit").IsQuit {
		t.Error("Quit is not the menu's quit item: Fyne would add its own")
	}
	if !menuItem(t, m, "Publish due").Disabled {
		t.Error("publishing is offered without an outbox")
	}

	// Write a post: the window comes back with a new post in the composer.
	w.inTray = true
	menuItem(t, m, "Write a post").Action()
	if w.InTray() || w.nav.SelectedIndex() != screenCompose || w.Composer().post.ID != "" {
		t.Fatalf("Write a post: in tray %v, screen %d, post %q", w.InTray(), w.nav.SelectedIndex(), w.Composer().post.ID)
	}

	// The next post opens in the composer.
	w.inTray = true
	menuItem(t, m, "Next:").Action()
	if w.InTray() || w.Composer().post.ID != p.ID {
		t.Fatalf("Next opened %q, want %q", w.Composer().post.ID, p.ID)
	}

	w.inTray = true
	menuItem(t, m, "Open Kaiku").Action()
	if w.InTray() {
		t.Error("Open Kaiku left the window in the tray")
	}
}

func TestTrayNextFollowsThePosts(t *testing.T) {
	a := test.NewTempApp(t)
	host := true
	d := withTray(newDeps(t), &host)
	w := NewWindow(a, d)
	defer w.Close()
	next := menuItem(t, w.TrayMenu(), "No posts scheduled")
	if !next.Disabled {
		t.Error("an empty schedule can be tapped")
	}

	p := scheduleOnX(t, d, "soon", thursday9)
	w.changed.emit() // as the composer and the outbox do after a change
	if next.Label != "Next: Thu 09:00 on X" || next.Disabled {
		t.Fatalf("after scheduling: %q", next.Label)
	}

	// A post to several networks, one more than a week away.
	far := time.Date(2026, 12, 14, 8, 30, 0, 0, helsinki)
	p.Time, p.Targets = far, []planner.Target{{Network: planner.NetworkMastodon}, {Network: planner.NetworkBluesky}}
	if err := d.Store.SavePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	w.changed.emit()
	if next.Label != "Next: Mon 14 Dec 08:30 on Bluesky, Mastodon" {
		t.Fatalf("a post far ahead: %q", next.Label)
	}

	p.Status = planner.StatusPublished
	if err := d.Store.SavePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	w.changed.emit()
	if next.Label != "No posts scheduled" || !next.Disabled {
		t.Fatalf("after it went out: %q", next.Label)
	}
}

func TestClosingKeepsKaikuInTheTrayWithANoticeOnce(t *testing.T) {
	a := test.NewTempApp(t)
	host := true
	d := withTray(newDeps(t), &host)
	scheduleOnX(t, d, "goes out tomorrow", thursday9)
	w := NewWindow(a, d)
	defer w.Close()

	w.close() // the window's close button
	if w.InTray() {
		t.Fatal("hidden before the notice was answered")
	}
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no notice the first time")
	}
	if !strings.Contains(dialogText(top), "To quit, choose Quit Kaiku in the tray's menu") {
		t.Errorf("the notice does not say how to quit: %q", dialogText(top))
	}
	tapDialogButton(t, w, "Keep running")
	if !w.InTray() || !isOpen(a, w) {
		t.Fatalf("after Keep running: in tray %v, open %v", w.InTray(), isOpen(a, w))
	}

	// Once told, closing goes to the tray without a word.
	w.Bring()
	w.close()
	if !w.InTray() || w.Canvas().Overlays().Top() != nil {
		t.Fatal("the second close did not go quietly to the tray")
	}
}

func TestTheNoticeCanQuitInstead(t *testing.T) {
	a := test.NewTempApp(t)
	host := true
	d := withTray(newDeps(t), &host)
	scheduleOnX(t, d, "goes out tomorrow", thursday9)
	w := NewWindow(a, d)
	w.close()
	tapDialogButton(t, w, "Quit now")
	if w.InTray() || isOpen(a, w) {
		t.Fatal("Quit now did not quit")
	}
	if !a.Preferences().Bool(prefTrayNoticeSeen) {
		t.Error("the notice will show again")
	}
}

func TestClosingQuitsWhenNothingKeepsKaikuRunning(t *testing.T) {
	for _, tc := range []struct {
		name      string
		tray      bool // the desktop can have a tray
		host      bool // a tray host is there now
		scheduled bool
		setting   bool
	}{
		{"no tray on this desktop", false, false, true, true},
		{"no tray host now", true, false, true, true},
		{"nothing scheduled", true, true, false, true},
		{"turned off in the settings", true, true, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			a.Preferences().SetBool(prefKeepInTray, tc.setting)
			d := newDeps(t)
			host := tc.host
			if tc.tray {
				withTray(d, &host)
			}
			if tc.scheduled {
				scheduleOnX(t, d, "tomorrow", thursday9)
			}
			w := NewWindow(a, d)
			if (w.TrayMenu() != nil) != tc.tray {
				t.Errorf("tray menu %v on a desktop with tray %v", w.TrayMenu() != nil, tc.tray)
			}
			w.close()
			if w.InTray() || isOpen(a, w) || w.Canvas().Overlays().Top() != nil {
				t.Fatalf("closing did not quit: in tray %v, open %v", w.InTray(), isOpen(a, w))
			}
		})
	}
}

func TestQuitFromTheTraySavesTheComposer(t *testing.T) {
	a := test.NewTempApp(t)
	host := true
	d := withTray(newDeps(t), &host)
	w := NewWindow(a, d)
	test.Type(w.Composer().text, "half a thought")
	menuItem(t, w.TrayMenu(), "Quit").Action()
	if isOpen(a, w) {
		t.Fatal("Quit did not quit")
	}
	undated, err := d.Store.UndatedPosts(context.Background())
	if err != nil || len(undated) != 1 || undated[0].Text != "half a thought" {
		t.Fatalf("quitting kept %+v, %v", undated, err)
	}
}

func TestQuitFromTheTrayKeepsTextItCannotSave(t *testing.T) {
	a := test.NewTempApp(t)
	host := true
	d := withTray(newDeps(t), &host)
	w := NewWindow(a, d)
	defer w.Close()
	test.Type(w.Composer().text, "for a day that does not exist")
	c := w.Composer()
	c.timeMode.SetSelected(c.timeMode.Options[timeExact])
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, helsinki)
	c.date.SetDate(&day)
	c.clock.SetText("25:")
	w.inTray = true
	menuItem(t, w.TrayMenu(), "Quit").Action()
	if !isOpen(a, w) || w.InTray() {
		t.Fatal("quit with text it could not save, or left the window hidden")
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Error("nothing says why Kaiku did not quit")
	}
}

func TestTrayHostGoneBringsTheWindowBack(t *testing.T) {
	a := test.NewTempApp(t)
	host := true
	d := withTray(newDeps(t), &host)
	w := NewWindow(a, d)
	defer w.Close()
	w.StartInTray()
	if !w.InTray() {
		t.Fatal("a start at login showed the window")
	}
	w.TrayHostChanged(true)
	if !w.InTray() {
		t.Fatal("a tray appearing showed the window")
	}
	host = false
	w.TrayHostChanged(false)
	if w.InTray() {
		t.Fatal("the tray went and the window stayed hidden, out of reach")
	}
}

func TestStartInTrayWithoutATrayShowsTheWindow(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewWindow(a, newDeps(t))
	defer w.Close()
	w.StartInTray()
	if w.InTray() {
		t.Fatal("hidden on a desktop without a tray")
	}
}

func TestPublishDueFromTheTray(t *testing.T) {
	a := test.NewTempApp(t)
	host := true
	d := withTray(newDeps(t), &host)
	m, err := accounts.New(accounts.Options{Store: d.Store, DataDir: t.TempDir(), Logger: d.Log, Now: d.Now,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	d.Accounts, d.Outbox = m, m.NewOutbox(accounts.OutboxOptions{})
	w := NewWindow(a, d)
	defer w.Close()
	publish := menuItem(t, w.TrayMenu(), "Publish due")
	if publish.Disabled {
		t.Fatal("publishing is off with an outbox")
	}
	test.AssertNotificationSent(t, fyne.NewNotification("Publish due posts", "Nothing was due."), publish.Action)

	// A post due now with no linked account is for the user to post by hand.
	scheduleOnX(t, d, "due now", now.Add(-time.Minute))
	test.AssertNotificationSent(t, fyne.NewNotification("Publish due posts", "Published 0, waiting 0, needing you 0, to post by hand 1."), publish.Action)
}

func TestNextLabelSaysWhenAndWhere(t *testing.T) {
	p := planner.Post{Time: thursday9, Targets: []planner.Target{{Network: planner.NetworkX}}}
	if got := nextLabel(p, now, "en"); got != "Next: Thu 09:00 on X" {
		t.Errorf("en: %q", got)
	}
	p.Targets = nil
	if got := nextLabel(p, now, "en"); got != "Next: Thu 09:00, to post by hand" {
		t.Errorf("by hand: %q", got)
	}
}

// fakeAutostart records the start at login.
type fakeAutostart struct {
	on  bool
	err error
}

func (f *fakeAutostart) Enabled() (bool, error) { return f.on, nil }
func (f *fakeAutostart) SetEnabled(on bool) error {
	if f.err != nil {
		return f.err
	}
	f.on = on
	return nil
}

func TestSettingsForThisComputer(t *testing.T) {
	a := test.NewTempApp(t)
	host := true
	d := withTray(newDeps(t), &host)
	auto := &fakeAutostart{}
	d.Autostart = auto
	w := NewWindow(a, d)
	defer w.Close()
	s := w.Settings()
	if !s.keepInTray.Checked || s.atLogin.Checked || s.atLogin.Disabled() {
		t.Fatalf("defaults: keep in tray %v, at login %v (disabled %v)", s.keepInTray.Checked, s.atLogin.Checked, s.atLogin.Disabled())
	}
	s.keepInTray.SetChecked(false)
	s.atLogin.SetChecked(true)
	s.Save()
	if !auto.on {
		t.Error("start at login was not turned on")
	}
	if a.Preferences().BoolWithFallback(prefKeepInTray, true) {
		t.Error("keep running in the tray was not turned off")
	}

	// A failure to write the entry is told, and the box shows the truth.
	auto.err = errors.New("read-only home")
	s.atLogin.SetChecked(false)
	s.Save()
	if !auto.on || !s.atLogin.Checked {
		t.Errorf("after a failed change: enabled %v, box %v", auto.on, s.atLogin.Checked)
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Error("the failure was not shown")
	}
}

func TestSettingsHideWhatTheDesktopCannotDo(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewWindow(a, newDeps(t))
	defer w.Close()
	if s := w.Settings(); s.keepInTray != nil || s.atLogin != nil {
		t.Error("tray and login settings offered where there can be none")
	}
}

func TestAboutShowsTheVersion(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	d.Version = "Kaiku 0.2.0 (build 1)\ncommit 0123456789ab\ngo1.26.0 linux/amd64"
	w := NewWindow(a, d)
	defer w.Close()
	s := w.Settings()
	test.Tap(findButton(t, test.WidgetRenderer(s).Objects()[0], "About Kaiku"))
	top := w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), d.Version) {
		t.Fatalf("the About box does not show the version")
	}
	test.Tap(findButton(t, top, "Copy version"))
	if got := a.Clipboard().Content(); got != d.Version {
		t.Errorf("copied %q", got)
	}
}

// dialogText is the text of the labels under o, joined by newlines.
func dialogText(o fyne.CanvasObject) string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return strings.Join(out, "\n")
}
