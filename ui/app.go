package ui

import (
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
	deps     *Deps
	changed  *signal
	tabs     *container.AppTabs
	Week     *WeekScreen
	Composer *Composer
	Settings *SettingsScreen
	Role     *RoleScreen
	Accounts *AccountsScreen
}

// NewWindow builds the main window; call ShowAndRun on it.
func NewWindow(a fyne.App, d *Deps) *Window {
	w := &Window{Window: a.NewWindow(lang.X("app.title", "Kaiku")), deps: d, changed: &signal{}}
	w.SetIcon(a.Icon())
	w.Composer = NewComposer(d, w, w.changed)
	w.Week = NewWeekScreen(d, w, w.changed)
	w.Week.OnOpenPost = w.openPost
	w.Week.OnOpenSlot = w.openSlot
	w.Settings = NewSettingsScreen(d, w, w.changed)
	w.Role = NewRoleScreen(d, w, w.changed)
	w.Accounts = NewAccountsScreen(d, w, w.changed)
	w.Role.OnDone = func() { w.tabs.SelectIndex(0) }
	w.changed.listen(w.Week.Reload)

	w.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.X("nav.week", "Week"), theme.GridIcon(), w.Week),
		container.NewTabItemWithIcon(lang.X("nav.compose", "Compose"), theme.DocumentCreateIcon(), w.Composer),
		container.NewTabItemWithIcon(lang.X("nav.role", "Role"), theme.AccountIcon(), w.Role),
		container.NewTabItemWithIcon(lang.X("nav.accounts", "Accounts"), theme.LoginIcon(), w.Accounts),
		container.NewTabItemWithIcon(lang.X("nav.settings", "Settings"), theme.SettingsIcon(), w.Settings),
	)
	w.tabs.SetTabLocation(container.TabLocationLeading)
	w.tabs.OnUnselected = func(t *container.TabItem) {
		if t.Content == w.Composer {
			w.Composer.Save()
		}
	}
	w.SetContent(w.tabs)

	prefs := a.Preferences()
	size := fyne.NewSize(
		float32(prefs.FloatWithFallback(prefWidth, float64(defaultSize.Width))),
		float32(prefs.FloatWithFallback(prefHeight, float64(defaultSize.Height))),
	)
	w.Resize(size.Max(minSize))
	w.SetCloseIntercept(w.close)
	w.addShortcuts()
	return w
}

// close saves unsaved work and the window's size, then quits.
func (w *Window) close() {
	if w.Composer.Dirty() && !w.Composer.Save() {
		return // the dialog says why; closing now would lose the text
	}
	size := w.Canvas().Size()
	prefs := fyne.CurrentApp().Preferences()
	prefs.SetFloat(prefWidth, float64(size.Width))
	prefs.SetFloat(prefHeight, float64(size.Height))
	w.Window.Close()
}

func (w *Window) addShortcuts() {
	c := w.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { w.newPost() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { w.Composer.Save() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.tabs.SelectIndex(0)
		w.Week.Today()
	})
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if w.tabs.SelectedIndex() != 0 {
			return
		}
		switch k.Name {
		case fyne.KeyLeft, fyne.KeyPageUp:
			w.Week.Previous()
		case fyne.KeyRight, fyne.KeyPageDown:
			w.Week.Next()
		}
	})
}

func (w *Window) newPost() {
	w.Composer.Save()
	w.Composer.New()
	w.tabs.SelectIndex(1)
	w.Canvas().Focus(w.Composer.text)
}

func (w *Window) openSlot(o planner.Occurrence) {
	w.Composer.Save()
	w.Composer.NewForSlot(o)
	w.tabs.SelectIndex(1)
	w.Canvas().Focus(w.Composer.text)
}

func (w *Window) openPost(p planner.Post) {
	w.Composer.Save()
	w.Composer.Edit(p)
	w.tabs.SelectIndex(1)
}

// ShowWelcome greets a first-time user and remembers that it did.
func (w *Window) ShowWelcome() {
	ctx, cancel := w.deps.ctx()
	defer cancel()
	st, err := w.deps.Store.Settings(ctx)
	if err != nil || st.Welcomed {
		return
	}
	body := &widget.Label{Text: lang.X("welcome.body", "Kaiku helps you speak for your organization in your own voice. Find the role that suits you, plan a few slots a week, write posts when you have a moment, and let Kaiku remind you and publish them on time. Everything stays on this computer."), Wrapping: fyne.TextWrapWord}
	title := &widget.Label{Text: lang.X("welcome.title", "Welcome to Kaiku"), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	content := container.NewVBox(title, body)
	remember := func() {
		st.Welcomed = true
		ctx, cancel := w.deps.ctx()
		defer cancel()
		if err := w.deps.Store.SaveSettings(ctx, st); err != nil {
			w.deps.Log.WithError(err).Warn("save welcome seen")
		}
	}
	d := dialog.NewCustomConfirm(lang.X("welcome.window", "Welcome"), lang.X("welcome.start", "Find my role"), lang.X("welcome.skip", "Skip for now"), content, func(start bool) {
		remember()
		if start {
			w.tabs.SelectIndex(2)
			w.Role.StartWizard()
		}
	}, w)
	d.Resize(fyne.NewSize(560, 300))
	d.Show()
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
