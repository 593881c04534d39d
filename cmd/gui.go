package cmd

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	fynedesktop "fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/assets"
	"github.com/kaiku-app/kaiku/cmd/notify"
	"github.com/kaiku-app/kaiku/cmd/trayhost"
	"github.com/kaiku-app/kaiku/ui"
)

// startSettle is how long after the window opens its start has settled.
const startSettle = 3 * time.Second

// loginTrayWait is how long a start at login waits for the desktop's tray
// to appear before it shows the window: the panel may start after Kaiku.
const loginTrayWait = time.Minute

// haveDisplay reports whether a window can open: on Linux and the BSDs
// Fyne needs an X or Wayland display, and without one GLFW panics.
func haveDisplay() bool {
	switch runtime.GOOS {
	case "darwin", "windows":
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

// gui is the window side of the binary as main runs it. Fyne starts, and
// the text faces begin to load, while the data folder opens (warm); the
// window then opens on that app (open), or the reason it cannot does
// (refuse).
type gui struct {
	about about
	// app is what warm started, and fonts is closed once the text faces
	// have loaded; both nil before.
	app   fyne.App
	fonts <-chan struct{}
}

// warm starts Fyne and loads the text faces on another goroutine. Loading
// them takes longer than anything else before the window, and neither they
// nor the data folder's opening, nor the making of the window, need the
// others, so they overlap.
func (g *gui) warm() {
	if g.app != nil || !haveDisplay() {
		return
	}
	defer func() {
		// The window's own start tries again and says what is wrong.
		if recover() != nil {
			g.app, g.fonts = nil, nil
		}
	}()
	// The app's ID, name and version are those of FyneApp.toml, however
	// the binary was built.
	app.SetMetadata(g.about.metadata())
	a := app.NewWithID(g.about.ID)
	a.SetIcon(assets.Icon)
	ui.UseSavedAppearance(a) // before the faces load: loading them reads the theme
	g.fonts = warmFonts()
	g.app = a
}

// open runs the desktop app, with its outbox, until its window closes.
func (g *gui) open(e *env, forcedLang string) (err error) {
	if !haveDisplay() {
		return userErrorf(nil, "error.no_display", "Kaiku needs a graphical desktop to open its window, and none was found (DISPLAY and WAYLAND_DISPLAY are not set). The commands work without one: kaiku help")
	}
	// A display that does not answer makes GLFW panic as the first window is
	// made. Until the window shows, a panic becomes one line for the user and
	// its stack goes to the log; after that it is a bug and crashes as one.
	shown := false
	defer func() {
		if r := recover(); r != nil {
			if shown {
				panic(r)
			}
			e.log.WithField("stack", string(debug.Stack())).Debugf("the window did not open: %v", r)
			display := os.Getenv("WAYLAND_DISPLAY")
			if display == "" {
				display = os.Getenv("DISPLAY")
			}
			err = userErrorf(fmt.Errorf("%v", r), "error.window", "Kaiku could not open its window on the display {{.Display}}. Is the desktop session running?", map[string]any{"Display": display})
		}
	}()
	g.warm()
	if g.app == nil {
		// warm gave up: make the app here, where a panic is told as above.
		app.SetMetadata(e.about.metadata())
		g.app = app.NewWithID(e.about.ID)
		g.app.SetIcon(assets.Icon)
		ui.UseSavedAppearance(g.app)
		g.fonts = warmFonts()
	}
	a := g.app
	deps := &ui.Deps{
		Store:     e.store,
		Log:       e.log,
		DataDir:   e.dataDir,
		Loc:       e.loc,
		Lang:      assets.Current(),
		Archive:   e.store,
		Version:   e.about.text(),
		Autostart: newLoginStart(e),
		Reading:   readingList(e),
		FetchKit:  fetchKit(e),
		TextReady: g.fonts,
	}
	deps.WorkCalendars = newWorkCalendars(e)
	// Notifications that answer a click, connected when the first is sent.
	var (
		notifyOnce sync.Once
		notifier   *notify.Notifier
		notifyErr  error
	)
	deps.Notify = func(title, body, action string, onClick func()) error {
		notifyOnce.Do(func() { notifier, notifyErr = notify.New(e.about.Name) })
		if notifier == nil {
			return notifyErr
		}
		return notifier.Send(title, body, action, onClick)
	}
	defer func() {
		// Waits for a connection being made, and keeps a later one from starting.
		notifyOnce.Do(func() {})
		if notifier != nil {
			notifier.Close()
		}
	}()
	deps.SetLanguage = func(code string) string {
		if err := assets.LoadTranslations(code); err != nil {
			e.log.WithError(err).Warn("change the language")
		}
		return assets.Current()
	}
	var w *ui.Window
	host := trayhost.Watch(func(present bool) {
		e.log.WithField("present", present).Info("the desktop's tray changed")
		fyne.Do(func() {
			if w != nil {
				w.TrayHostChanged(present)
			}
		})
	})
	defer host.Close()
	desk, hasTray := a.(fynedesktop.App)
	hasTray = hasTray && host.Possible()
	if hasTray {
		deps.TrayHost = host.Present
	}
	m, err := accounts.New(accounts.Options{Store: e.store, DataDir: e.dataDir, Logger: e.log})
	if err != nil {
		// Without accounts the app still plans and posts by hand.
		e.log.WithError(err).Warn("accounts unavailable")
	}
	var outbox *accounts.Outbox
	if m != nil {
		outbox = m.NewOutbox(accounts.OutboxOptions{Language: assets.Current(), Notify: func(ev accounts.Event) {
			fyne.Do(func() {
				if w != nil {
					w.OutboxEvent(ev)
				}
			})
		}})
		deps.Accounts, deps.Outbox = m, outbox
	}
	w = ui.NewWindow(a, deps)
	quit := &quitGuard{w: w, log: e.log, quitting: e.quitting, wait: quitWait, exit: os.Exit}
	w.OnExit = quit.begin
	w.StartSlotReminders()
	if e.globals.background {
		w.StartInTray()
	} else {
		w.Show()
		w.ShowWelcome()
	}
	if hasTray {
		// Fyne's tray must be set up before the app runs; the icon shows
		// whenever a tray host is there, now or later. After the window:
		// setting it up makes a hidden window of its own, which would
		// otherwise delay Kaiku's.
		desk.SetSystemTrayMenu(w.TrayMenu())
	}
	shown = true
	if outbox != nil {
		ctx, cancel := context.WithCancel(e.ctx)
		defer cancel()
		if err := outbox.Start(ctx); err != nil {
			e.log.WithError(err).Warn("outbox did not start")
		}
		defer outbox.Stop()
	}
	// The start leaves garbage behind (the posts of the first week decoded,
	// the font files parsed, the translations read); once it has settled,
	// the heap it freed goes back to the system, where Go's scavenger would
	// keep it for minutes: Kaiku may sit in the tray all day.
	settled := time.AfterFunc(startSettle, debug.FreeOSMemory)
	defer settled.Stop()
	// Work calendars at an address are read again every hour while the window is open.
	calCtx, stopCalendars := context.WithCancel(e.ctx)
	defer stopCalendars()
	go w.RefreshWorkCalendars(calCtx, time.Hour)
	// The feeds too, every 30 minutes unless the settings say otherwise.
	go w.RefreshFeeds(calCtx)
	// SIGTERM (logout, shutdown) or Ctrl+C in the terminal: save and quit
	// rather than wait to be killed with the text unsaved.
	ran := make(chan struct{})
	defer close(ran)
	go func() {
		select {
		case <-e.ctx.Done():
			// Fyne hears the signal too and ends its loop, maybe before
			// w.Quit runs; the save after the loop covers that.
			e.log.Info("asked to quit; saving")
			quit.begin()
			fyne.Do(w.Quit)
		case <-ran:
		}
	}()
	// Kaiku started again on this data folder: it wants the window.
	go func() {
		for {
			select {
			case <-e.raise:
				fyne.Do(w.Bring)
			case <-ran:
				return
			}
		}
	}()
	if e.globals.background && hasTray && !host.Present() {
		go func() {
			select {
			case <-time.After(loginTrayWait):
				fyne.Do(func() {
					if w.InTray() && !host.Present() {
						w.Bring()
					}
				})
			case <-ran:
			}
		}()
	}
	a.Run()
	quit.loopEnded()
	return nil
}

// refuse shows why Kaiku did not start in a small window of its own:
// someone who started it from the desktop has no terminal to read.
func (g *gui) refuse(msg string) {
	if !haveDisplay() {
		return
	}
	defer func() { _ = recover() }() // no window after all: the message is on stderr
	a := g.app
	if a != nil {
		<-g.fonts // before this window measures its text
	} else {
		app.SetMetadata(g.about.metadata())
		a = app.NewWithID(g.about.ID)
		a.SetIcon(assets.Icon)
	}
	w := a.NewWindow(lang.X("app.title", "Kaiku"))
	text := &widget.Label{Text: msg, Wrapping: fyne.TextWrapWord}
	closeButton := &widget.Button{Text: lang.X("start_error.close", "Close"), Importance: widget.HighImportance, OnTapped: w.Close}
	icon := container.NewVBox(widget.NewIcon(theme.WarningIcon()))
	w.SetContent(container.NewPadded(container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), closeButton), icon, nil,
		container.New(textWidth(400), text))))
	w.CenterOnScreen()
	w.Canvas().Focus(closeButton)
	w.ShowAndRun()
}

// textWidth lays a wrapping label out at a fixed width and as tall as its
// text is there; on its own a wrapping label asks only for one word's width,
// which made the window tall and narrow.
type textWidth float32

func (l textWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objects {
		o.Resize(fyne.NewSize(float32(l), o.Size().Height))
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(l), h)
}

func (l textWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// warmFonts loads the regular and bold text faces on another goroutine and
// closes the returned channel when they are in. The first text measured
// otherwise pays for the system font scan and for parsing each face (and
// Fyne's emoji face with each), some 150 ms on the UI goroutine before the
// window can open; meanwhile the UI goroutine opens the data folder, builds
// the window and has the windowing system make it, which takes longer still.
// Built with migrated_fynedo, Fyne's caches of faces and text sizes are plain
// maps that only one goroutine may write at a time: one goroutine loads both
// faces, and nothing else may measure text until the channel is closed (else
// Kaiku now and then died at start with "concurrent map writes"). The
// window's content waits for it (ui.Deps.TextReady), and so does refuse.
func warmFonts() <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		size := theme.TextSize()
		for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
			fyne.MeasureText("Kaiku", size, style)
		}
	}()
	return done
}
