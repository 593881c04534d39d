package cmd

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/kaiku-app/kaiku/cmd/autostart"
	"github.com/kaiku-app/kaiku/ui"
)

// loginStart starts Kaiku in the tray at login: the Settings screen's
// "Start Kaiku in the tray when I log in".
type loginStart struct {
	entry autostart.Entry
}

// newLoginStart works out the login entry for this binary and data folder;
// nil when there can be none (the binary's path or the home folder is
// unknown). An entry an earlier install left for another path is brought
// up to date, so that turning the setting on once keeps working.
func newLoginStart(e *env) ui.Autostart {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		e.log.WithError(err).Warn("start at login: cannot find Kaiku's own path")
		return nil
	}
	dirs, err := autostart.UserDirs()
	if err != nil {
		e.log.WithError(err).Warn("start at login")
		return nil
	}
	entry, err := autostart.For(runtime.GOOS, dirs, autostart.App{
		ID: e.about.ID, Name: e.about.Name,
		Comment: tr("autostart.comment", "Publishes your scheduled posts from the tray"),
		Command: loginCommand(exe, e),
	})
	if err != nil {
		e.log.WithError(err).Warn("start at login")
		return nil
	}
	l := &loginStart{entry: entry}
	if present, current, err := autostart.Enabled(entry); err == nil && present && !current {
		if err := autostart.Enable(entry); err != nil {
			e.log.WithError(err).Warn("update the start at login")
		}
	}
	return l
}

// loginCommand is the command the login runs: this binary in the tray, on
// this data folder when it was chosen rather than the default.
func loginCommand(exe string, e *env) []string {
	command := []string{exe, "--background"}
	if e.globals.data != "" || os.Getenv("KAIKU_DATA") != "" {
		command = append(command, "--data", e.dataDir)
	}
	return command
}

func (l *loginStart) Enabled() (bool, error) {
	present, _, err := autostart.Enabled(l.entry)
	return present, err
}

func (l *loginStart) SetEnabled(on bool) error {
	if on {
		return autostart.Enable(l.entry)
	}
	return autostart.Disable(l.entry)
}
