package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
)

// Preference keys for the window's size, kept between runs.
const (
	prefWidth  = "window.width"
	prefHeight = "window.height"
)

// Default and smallest window sizes: the screens are laid out for 1024×700.
var (
	defaultSize = fyne.NewSize(1100, 740)
	minSize     = fyne.NewSize(800, 560)
)

// Window is Kaiku's main window and its screens.
type Window struct {
	fyne.Window
	gate    *textGate
	deps    *Deps
	changed *signal
	zone    *zone
	nav     *nav
	Week    *WeekScreen

	// The other screens are built the first time they are needed (see
	// Composer): most starts only look at the week.
	composer *Composer
	posts    *PostsScreen
	settings *SettingsScreen
	role     *RoleScreen
	accounts *AccountsScreen
	reading  *ReadingScreen

	// tray is the system tray's menu; nil where the desktop has no tray.
	tray *tray
	// inTray: the window is closed and Kaiku runs in the tray.
	inTray bool

	// remindedUntil is when CheckSlotReminders last looked; reminderTimer
	// runs it while reminders are on.
	remindedUntil time.Time
	reminderTimer *time.Timer

	// OnExit, if set, runs when Kaiku quits, after the composer is saved
	// and before the app is told to end.
	OnExit func()
}

// Indexes of the screens in the navigation.
const (
	screenWeek = iota
	screenCompose
	screenPosts
	screenReading
	screenRole
	screenAccounts
	screenSettings
)

// Composer is the composer, built on first use: building a screen shapes
// all of its texts, tens of milliseconds that would delay the first window.
func (w *Window) Composer() *Composer {
	if w.composer == nil {
		w.composer = NewComposer(w.deps, w, w.changed, w.zone)
	}
	return w.composer
}

// Posts is the list of every post, built on first use.
func (w *Window) Posts() *PostsScreen {
	if w.posts == nil {
		w.posts = NewPostsScreen(w.deps, w, w.changed, w.zone)
		w.posts.OnOpen = w.openPost
		w.posts.InView = func() bool { return w.nav.SelectedIndex() == screenPosts }
	}
	return w.posts
}

// Role is the role screen, built on first use.
func (w *Window) Role() *RoleScreen {
	if w.role == nil {
		w.role = NewRoleScreen(w.deps, w, w.changed, w.zone)
		w.role.OnDone = func() { w.nav.SelectIndex(screenWeek) }
	}
	return w.role
}

// Accounts is the accounts screen, built on first use.
func (w *Window) Accounts() *AccountsScreen {
	if w.accounts == nil {
		w.accounts = NewAccountsScreen(w.deps, w, w.changed)
	}
	return w.accounts
}

// Reading is the reading list, built on first use.
func (w *Window) Reading() *ReadingScreen {
	if w.reading == nil {
		w.reading = NewReadingScreen(w.deps, w, w.changed, w.zone)
		w.reading.OnShare = w.ShareItem
		w.reading.OnLeave = func() { w.nav.SelectIndex(screenWeek) }
	}
	return w.reading
}

// Settings is the settings screen, built on first use.
func (w *Window) Settings() *SettingsScreen {
	if w.settings == nil {
		w.settings = NewSettingsScreen(w.deps, w, w.changed, w.zone)
		w.settings.OnLanguage = w.LanguageChanged
	}
	return w.settings
}

// NewWindow builds the main window; call ShowAndRun on it. The window keeps
// a copy of d: changing d afterwards changes nothing.
func NewWindow(a fyne.App, d *Deps) *Window {
	own := *d
	own.writes = newLane()
	d = &own
	if d.TextReady == nil {
		UseSavedAppearance(a)
	}
	w := &Window{Window: a.NewWindow(lang.X("app.title", "Kaiku")), deps: d, changed: &signal{}, zone: &zone{loc: d.loc()}}
	w.SetIcon(a.Icon())
	w.buildScreens()

	prefs := a.Preferences()
	size := fyne.NewSize(
		float32(prefs.FloatWithFallback(prefWidth, float64(defaultSize.Width))),
		float32(prefs.FloatWithFallback(prefHeight, float64(defaultSize.Height))),
	)
	w.Resize(size.Max(minSize))
	// Until the user chooses, a narrow window leaves the week the review's room.
	if unset := prefs.BoolWithFallback(prefReviewShown, true) != prefs.BoolWithFallback(prefReviewShown, false); unset && size.Width < 1000 {
		w.Week.reviewShown = false
		w.Week.showMode()
	}
	w.SetCloseIntercept(w.close)
	w.addShortcuts()
	if d.TrayHost != nil {
		w.tray = newTray(w)
	}
	return w
}

// buildScreens makes the week and the navigation, and leaves the other
// screens to be made when first shown, in the window's language.
func (w *Window) buildScreens() {
	d := w.deps
	w.composer, w.settings, w.role, w.accounts, w.posts, w.reading = nil, nil, nil, nil, nil, nil
	w.Week = NewWeekScreen(d, w, w.changed, w.zone)
	w.Week.OnOpenPost = w.openPost
	w.Week.OnOpenSlot = w.openSlot
	w.Week.OnNewPostAt = w.newPostAt
	w.changed.listen(w.Week.Reload)

	w.nav = newNav(
		navItem{lang.X("nav.week", "Week"), theme.GridIcon(), func() fyne.CanvasObject { return w.Week }},
		navItem{lang.X("nav.compose", "Compose"), theme.DocumentCreateIcon(), func() fyne.CanvasObject { return w.Composer() }},
		navItem{lang.X("nav.posts", "Posts"), theme.ListIcon(), func() fyne.CanvasObject { return w.Posts().Refreshed() }},
		navItem{lang.X("nav.reading", "Reading"), theme.FileTextIcon(), func() fyne.CanvasObject { return w.Reading() }},
		navItem{lang.X("nav.role", "Role"), theme.AccountIcon(), func() fyne.CanvasObject { return w.Role() }},
		navItem{lang.X("nav.accounts", "Accounts"), theme.LoginIcon(), func() fyne.CanvasObject { return w.Accounts() }},
		navItem{lang.X("nav.settings", "Settings"), theme.SettingsIcon(), func() fyne.CanvasObject { return w.Settings() }},
	)
	w.nav.onUnselected = func(i int) {
		if i == screenCompose {
			w.composer.Save()
		}
		// The focus must not stay on the screen left behind, out of view,
		// where it would take the keys the next screen answers (j, k, W, M…).
		w.Canvas().Unfocus()
	}
	if w.gate == nil {
		w.gate = &textGate{ready: d.TextReady}
	}
	w.SetContent(container.New(w.gate, w.nav.object()))
}

// Show shows the window, once the text faces have loaded.
func (w *Window) Show() {
	w.gate.wait = true
	w.Window.Show()
}

// LanguageChanged shows the window in language, "fi" or "en", which the
// app's translations now speak: the screens are made anew, since each
// keeps the texts it was made with. What the composer holds is saved
// first, and the screen shown stays shown.
func (w *Window) LanguageChanged(language string) {
	w.saveComposerThen(func() {
		own := *w.deps
		own.Lang = language
		w.deps = &own
		shown := w.nav.SelectedIndex()
		// The old screens stop hearing of changes with their signal.
		w.changed = &signal{}
		if w.tray != nil {
			w.changed.listen(w.tray.reload)
			w.tray.relabel()
		}
		w.buildScreens()
		w.SetTitle(lang.X("app.title", "Kaiku"))
		w.nav.SelectIndex(shown)
	})
}

// close saves unsaved work and the window's size, then quits, or keeps
// Kaiku running in the tray while posts are scheduled to go out.
func (w *Window) close() {
	w.saveComposerThen(w.closeSaved)
}

// saveComposerThen saves what the composer holds and runs then once it is
// on disk; when it cannot be saved, the dialog says why and then does not
// run: closing now would lose the text.
func (w *Window) saveComposerThen(then func()) {
	if w.composer == nil || !w.composer.Dirty() {
		then()
		return
	}
	w.composer.SaveThen(func(saved bool) {
		if saved {
			then()
		}
	})
}

func (w *Window) closeSaved() {
	w.saveSize()
	if w.keepsRunning() {
		w.toTray()
		return
	}
	w.exit()
}

// WaitForWrites returns once every write the window asked for is on disk:
// call it when the app's loop has ended, before the store closes.
func (w *Window) WaitForWrites() { w.deps.writes.flush() }

// SaveBeforeExit saves, without asking, what the composer holds and has not
// saved yet; once it is saved, a second call does nothing. Call it on the UI
// goroutine, or once the app's loop has ended: Fyne ends its loop on SIGTERM
// by itself, and then Quit may never have run.
func (w *Window) SaveBeforeExit() {
	if w.composer != nil {
		w.composer.SaveBeforeExit()
	}
}

// Quit saves what it can without asking and quits: the session is ending
// (SIGTERM at logout or shutdown) and nobody is there to answer a dialog.
// The save finishes after the window is gone (see WaitForWrites).
func (w *Window) Quit() {
	w.SaveBeforeExit()
	if !w.inTray {
		w.saveSize()
	}
	w.exit()
}

// exit closes the window and ends the app, which the tray would otherwise
// keep running.
func (w *Window) exit() {
	w.stopSlotReminders()
	if w.OnExit != nil {
		w.OnExit()
	}
	if w.tray != nil {
		w.tray.cancel()
	}
	w.Window.Close()
	fyne.CurrentApp().Quit()
}

func (w *Window) saveSize() {
	size := w.Canvas().Size()
	prefs := fyne.CurrentApp().Preferences()
	prefs.SetFloat(prefWidth, float64(size.Width))
	prefs.SetFloat(prefHeight, float64(size.Height))
}

func (w *Window) addShortcuts() {
	c := w.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { w.newPost() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if w.composer != nil {
			w.composer.Save()
		}
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.nav.SelectIndex(screenWeek)
		w.Week.Today()
	})
	// Ctrl+Enter schedules the post in the composer, wherever the focus is in it.
	for _, k := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter} {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
			if w.nav.SelectedIndex() == screenCompose && w.composer != nil {
				w.composer.Schedule()
			}
		})
	}
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { w.find() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeySlash, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { w.showShortcuts() })
	// Ctrl+1… brings each screen into view, in the navigation's order.
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9} {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { w.showScreen(i) })
	}
	// Alt+1, 2 and 3 show the calendar as a week, a month or an agenda.
	for i, key := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3} {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierAlt}, func(fyne.Shortcut) { w.showCalendar(calendarMode(i)) })
	}
	c.SetOnTypedRune(func(r rune) {
		switch w.nav.SelectedIndex() {
		case screenReading:
			w.Reading().TypedRune(r)
		case screenRole:
			w.Role().answerRune(r)
		}
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if w.nav.SelectedIndex() == screenWeek {
			w.Week.UndoMove()
		}
	})
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if dialogKey(w, k) {
			return
		}
		if k.Name == fyne.KeyF1 {
			w.showShortcuts()
			return
		}
		if w.nav.SelectedIndex() == screenReading {
			w.Reading().TypedKey(k)
			return
		}
		if w.nav.SelectedIndex() == screenRole {
			w.Role().answerKey(k)
			return
		}
		if w.nav.SelectedIndex() != screenWeek {
			return
		}
		switch k.Name {
		case fyne.KeyW:
			w.Week.SetMode(modeWeek)
		case fyne.KeyM:
			w.Week.SetMode(modeMonth)
		case fyne.KeyA:
			w.Week.SetMode(modeAgenda)
		case fyne.KeyLeft, fyne.KeyPageUp:
			w.Week.Previous()
		case fyne.KeyRight, fyne.KeyPageDown:
			w.Week.Next()
		}
	})
}

// showScreen brings the screen at index i into view and the keyboard's
// focus to where its work starts.
func (w *Window) showScreen(i int) {
	w.nav.SelectIndex(i)
	switch i {
	case screenCompose:
		w.Canvas().Focus(w.Composer().text)
	case screenPosts:
		w.Canvas().Focus(w.Posts().list)
	}
}

// find brings the keyboard to a search: the reading list's on the Reading
// screen, the posts' anywhere else.
func (w *Window) find() {
	if w.nav.SelectedIndex() == screenReading {
		w.Canvas().Focus(w.Reading().search)
		return
	}
	w.nav.SelectIndex(screenPosts)
	w.Canvas().Focus(w.Posts().search)
}

// showCalendar brings the calendar into view as a week, month or agenda.
func (w *Window) showCalendar(m calendarMode) {
	w.nav.SelectIndex(screenWeek)
	w.Week.SetMode(m)
}

func (w *Window) newPost() {
	c := w.Composer()
	c.Save()
	c.New()
	w.nav.SelectIndex(screenCompose)
	w.Canvas().Focus(c.text)
}

// newPostAt opens the composer on a new post at t.
func (w *Window) newPostAt(t time.Time) {
	c := w.Composer()
	c.Save()
	c.Edit(planner.Post{Status: planner.StatusDraft, Time: t})
	w.nav.SelectIndex(screenCompose)
	w.Canvas().Focus(c.text)
}

func (w *Window) openSlot(o planner.Occurrence) {
	// A follow slot is time for reading, not writing.
	if o.Purpose == planner.PurposeFollow {
		w.showScreen(screenReading)
		return
	}
	c := w.Composer()
	c.Save()
	c.NewForSlot(o)
	w.nav.SelectIndex(screenCompose)
	w.Canvas().Focus(c.text)
}

func (w *Window) openPost(p planner.Post) {
	c := w.Composer()
	c.Save()
	c.Edit(p)
	w.nav.SelectIndex(screenCompose)
}

// ShowWelcome greets a first-time user and remembers that it did.
func (w *Window) ShowWelcome() {
	d := w.deps
	d.background(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		st, err := d.Store.Settings(ctx)
		if err != nil {
			d.Log.WithError(err).Warn("read whether the welcome was seen")
			return
		}
		if !st.Welcomed {
			d.do(w.welcome)
		}
	})
}

func (w *Window) welcome() {
	body := &widget.Label{Text: lang.X("welcome.body", "Kaiku helps you speak for your organization in your own voice. Find the role that suits you, plan a few slots a week, write posts when you have a moment, and let Kaiku remind you and publish them on time. Everything stays on this computer."), Wrapping: fyne.TextWrapWord}
	title := &widget.Label{Text: lang.X("welcome.title", "Welcome to Kaiku"), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	content := container.NewVBox(title, body)
	d := dialog.NewCustomConfirm(lang.X("welcome.window", "Welcome"), lang.X("welcome.start", "Find my role"), lang.X("welcome.skip", "Skip for now"), content, func(start bool) {
		w.rememberWelcome()
		if start {
			w.nav.SelectIndex(screenRole)
			w.Role().StartWizard()
		}
	}, w)
	d.Resize(fyne.NewSize(560, 300))
	showDialog(w, d, nil)
}

// rememberWelcome notes in the settings that the welcome was seen, on the
// settings as stored then: the user may have saved others meanwhile.
func (w *Window) rememberWelcome() {
	d := w.deps
	d.write(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		st, err := d.Store.Settings(ctx)
		if err == nil {
			st.Welcomed = true
			err = d.Store.SaveSettings(ctx, st)
		}
		if err != nil {
			d.Log.WithError(err).Warn("save welcome seen")
		}
	})
}

// OutboxEvent shows what the outbox did: the screens reload, and a desktop
// notification tells of a post published or in trouble. Call it on the UI
// goroutine.
func (w *Window) OutboxEvent(ev accounts.Event) {
	w.changed.emit()
	if ev.Key == "" {
		return
	}
	title := lang.X("notify.title", "Kaiku")
	switch ev.Status {
	case planner.StatusPublished:
		title = lang.X("notify.published", "Published")
	case planner.StatusFailed, planner.StatusNeedsAttention:
		title = lang.X("notify.problem", "A post needs you")
	}
	fyne.CurrentApp().SendNotification(fyne.NewNotification(title, lang.X(ev.Key, accounts.Message(ev.Key))))
}
