package main

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/theme"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/assets"
	"github.com/kaiku-app/kaiku/ui"
)

// appID names Kaiku to the OS: preferences, notifications, the keyring.
const appID = "io.github.kaiku_app.kaiku"

// openWindow runs the desktop app, with its outbox, until its window closes.
func openWindow(e *env, forcedLang string) error {
	a := app.NewWithID(appID)
	a.SetIcon(assets.Icon)
	warmFonts()
	deps := &ui.Deps{
		Store:   e.store,
		Log:     e.log,
		DataDir: e.dataDir,
		Loc:     e.loc,
		Lang:    assets.Current(),
		Archive: e.store,
	}
	m, err := accounts.New(accounts.Options{Store: e.store, DataDir: e.dataDir, Logger: e.log})
	if err != nil {
		// Without accounts the app still plans and posts by hand.
		e.log.WithError(err).Warn("accounts unavailable")
	}
	var w *ui.Window
	if m != nil {
		deps.Accounts = m
		deps.Outbox = m.NewOutbox(accounts.OutboxOptions{Notify: func(ev accounts.Event) {
			fyne.Do(func() {
				if w != nil {
					w.OutboxEvent(ev)
				}
			})
		}})
	}
	w = ui.NewWindow(a, deps)
	w.Show()
	w.ShowWelcome()
	if deps.Outbox != nil {
		ctx, cancel := context.WithCancel(e.ctx)
		defer cancel()
		if err := deps.Outbox.Start(ctx); err != nil {
			e.log.WithError(err).Warn("outbox did not start")
		}
		defer deps.Outbox.Stop()
	}
	// SIGTERM (logout, shutdown) or Ctrl+C in the terminal: save and quit
	// rather than wait to be killed with the text unsaved.
	ran := make(chan struct{})
	defer close(ran)
	go func() {
		select {
		case <-e.ctx.Done():
			e.log.Info("asked to quit; saving")
			fyne.Do(w.Quit)
		case <-ran:
		}
	}()
	a.Run()
	return nil
}

// warmFonts loads the regular and bold text faces on other goroutines. The
// first text measured otherwise pays for the system font scan and for parsing
// each face, tens of milliseconds on the UI goroutine before the window can
// open; meanwhile the UI goroutine creates the window and its screens. Fyne
// keeps its font caches behind locks for such use.
func warmFonts() {
	size := theme.TextSize()
	for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
		go fyne.MeasureText("Kaiku", size, style)
	}
}
