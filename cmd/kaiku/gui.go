package main

import (
	"fyne.io/fyne/v2/app"

	"github.com/kaiku-app/kaiku/assets"
	"github.com/kaiku-app/kaiku/ui"
)

// appID names Kaiku to the OS: preferences, notifications, the keyring.
const appID = "io.github.kaiku_app.kaiku"

// openWindow runs the desktop app until its window closes.
func openWindow(e *env, forcedLang string) error {
	a := app.NewWithID(appID)
	a.SetIcon(assets.Icon)
	w := ui.NewWindow(a, &ui.Deps{
		Store:   e.store,
		Log:     e.log,
		DataDir: e.dataDir,
		Loc:     e.loc,
		Lang:    assets.Current(),
	})
	w.Show()
	w.ShowWelcome()
	a.Run()
	return nil
}
