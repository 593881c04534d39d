package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The settings of Kaiku on this desktop: whether it keeps running in the
// tray, and whether it starts at login. They belong to this computer, not
// to the data (a backup restored elsewhere must not start Kaiku at login
// there), so they live in Fyne's preferences and in the login entry itself.

func (s *SettingsScreen) newDesktopChecks() {
	if s.deps.TrayHost != nil {
		s.keepInTray = &widget.Check{Text: lang.X("settings.keep_in_tray", "Keep Kaiku running in the tray while posts are scheduled")}
	}
	if s.deps.Autostart != nil {
		s.atLogin = &widget.Check{Text: lang.X("settings.at_login", "Start Kaiku in the tray when I log in")}
		s.atLogin.Disable() // until the entry has been read
	}
}

func (s *SettingsScreen) addDesktopItems(form *widget.Form) {
	if s.keepInTray == nil && s.atLogin == nil {
		return
	}
	box := container.NewVBox()
	for _, c := range []*widget.Check{s.keepInTray, s.atLogin} {
		if c != nil {
			box.Add(c)
		}
	}
	form.Append(lang.X("settings.desktop", "On this computer"), box)
}

// loadDesktop shows the desktop settings as they are now.
func (s *SettingsScreen) loadDesktop() {
	if s.keepInTray != nil {
		s.keepInTray.SetChecked(fyne.CurrentApp().Preferences().BoolWithFallback(prefKeepInTray, true))
	}
	if s.atLogin == nil {
		return
	}
	auto := s.deps.Autostart
	s.deps.background(func() {
		on, err := auto.Enabled()
		s.deps.do(func() {
			if err != nil {
				s.deps.Log.WithError(err).Warn("read the start at login")
			}
			s.loginOn = on
			s.atLogin.SetChecked(on)
			s.atLogin.Enable()
		})
	})
}

// saveDesktop applies the desktop settings; Save calls it with the rest.
func (s *SettingsScreen) saveDesktop() {
	if s.keepInTray != nil {
		fyne.CurrentApp().Preferences().SetBool(prefKeepInTray, s.keepInTray.Checked)
	}
	if s.atLogin == nil || s.atLogin.Disabled() || s.atLogin.Checked == s.loginOn {
		return
	}
	on, auto := s.atLogin.Checked, s.deps.Autostart
	s.deps.background(func() {
		err := auto.SetEnabled(on)
		s.deps.do(func() {
			if err != nil {
				s.atLogin.SetChecked(s.loginOn)
				showError(s.win, s.deps.Log, "set the start at login", err)
				return
			}
			s.loginOn = on
		})
	})
}

// showAbout shows Kaiku's name and version, as `kaiku version` prints them.
func (s *SettingsScreen) showAbout() {
	icon := canvas.NewImageFromResource(fyne.CurrentApp().Icon())
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(64, 64))
	name := &widget.Label{Text: lang.X("app.title", "Kaiku"), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	what := &widget.Label{Text: lang.X("about.what", "Plan, write and schedule your posts for your organization. Everything stays on this computer."), Wrapping: fyne.TextWrapWord}
	version := &widget.Label{Text: s.deps.Version, TextStyle: fyne.TextStyle{Monospace: true}}
	copyVersion := &widget.Button{Text: lang.X("about.copy", "Copy version"), Icon: theme.ContentCopyIcon(), OnTapped: func() {
		fyne.CurrentApp().Clipboard().SetContent(s.deps.Version)
	}}
	content := container.NewBorder(nil, nil, container.NewVBox(icon), nil,
		container.NewVBox(name, what, version, container.NewHBox(copyVersion, layout.NewSpacer())))
	d := dialog.NewCustom(lang.X("settings.about", "About Kaiku"), lang.X("about.close", "Close"), content, s.win)
	d.Resize(fyne.NewSize(520, 280))
	d.Show()
}
