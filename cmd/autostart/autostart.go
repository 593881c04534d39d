// Package autostart starts Kaiku when the user logs in: an XDG autostart
// entry on Linux and the BSDs, a LaunchAgent on macOS, a value under the
// Run key on Windows. Entry works out, as plain data, what each system
// needs, so that the same code path serves all three and tests can read
// the result; Enable, Disable and Enabled apply it.
package autostart

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// App is the program to start at login.
type App struct {
	// ID is the reverse-DNS app ID: the LaunchAgent's label and the desktop
	// entry's icon name.
	ID string
	// Name names the program to the user (the desktop entry's Name, the
	// Run key value's name).
	Name string
	// Comment says what it does when it starts, in the user's language.
	Comment string
	// Command is the executable's absolute path, then its arguments.
	Command []string
}

// Dirs are the user's folders an entry goes in.
type Dirs struct {
	Home string
	// ConfigHome is $XDG_CONFIG_HOME; empty means Home/.config.
	ConfigHome string
}

// UserDirs are the running user's folders.
func UserDirs() (Dirs, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Dirs{}, fmt.Errorf("find the home folder: %w", err)
	}
	return Dirs{Home: home, ConfigHome: os.Getenv("XDG_CONFIG_HOME")}, nil
}

// Entry is what starts the program at login on one system: a file at
// Path with Content, or on Windows a Run key value named Value whose data
// is Content, a command line.
type Entry struct {
	Path    string
	Value   string
	Content string
}

// RunKey is the Windows registry key, under HKEY_CURRENT_USER, whose values
// are started at login.
const RunKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// For returns the entry that starts app at login on goos.
func For(goos string, dirs Dirs, app App) (Entry, error) {
	if len(app.Command) == 0 || !isAbs(goos, app.Command[0]) {
		return Entry{}, fmt.Errorf("autostart needs the program's absolute path, not %q", strings.Join(app.Command, " "))
	}
	switch goos {
	case "windows":
		return Entry{Value: app.Name, Content: windowsCommandLine(app.Command)}, nil
	case "darwin":
		if dirs.Home == "" {
			return Entry{}, errors.New("autostart needs the home folder")
		}
		return Entry{Path: filepath.Join(dirs.Home, "Library", "LaunchAgents", app.ID+".plist"), Content: launchAgent(app)}, nil
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		config := dirs.ConfigHome
		if config == "" || !filepath.IsAbs(config) { // the XDG spec ignores a relative one
			if dirs.Home == "" {
				return Entry{}, errors.New("autostart needs the home folder")
			}
			config = filepath.Join(dirs.Home, ".config")
		}
		return Entry{Path: filepath.Join(config, "autostart", "kaiku.desktop"), Content: desktopEntry(app)}, nil
	}
	return Entry{}, fmt.Errorf("starting at login is not supported on %s", goos)
}

func isAbs(goos, path string) bool {
	if goos == "windows" {
		// C:\... or \\server\share\...
		return len(path) > 2 && (path[1] == ':' && (path[2] == '\\' || path[2] == '/') || strings.HasPrefix(path, `\\`))
	}
	return strings.HasPrefix(path, "/")
}

// desktopEntry is an XDG autostart entry (Desktop Entry Specification 1.5).
func desktopEntry(app App) string {
	args := make([]string, len(app.Command))
	for i, a := range app.Command {
		args[i] = execArg(a)
	}
	var b strings.Builder
	b.WriteString("[Desktop Entry]\n")
	b.WriteString("Type=Application\n")
	b.WriteString("Name=" + desktopString(app.Name) + "\n")
	if app.Comment != "" {
		b.WriteString("Comment=" + desktopString(app.Comment) + "\n")
	}
	b.WriteString("Exec=" + desktopString(strings.Join(args, " ")) + "\n")
	b.WriteString("Icon=" + desktopString(app.ID) + "\n")
	b.WriteString("Terminal=false\n")
	b.WriteString("X-GNOME-Autostart-enabled=true\n")
	return b.String()
}

// execArg quotes one argument of an Exec key: reserved characters need
// double quotes, inside which ", `, $ and \ take a backslash; a literal %
// is written %%.
func execArg(a string) string {
	a = strings.ReplaceAll(a, "%", "%%")
	if a != "" && !strings.ContainsAny(a, " \t\n\"'\\><~|&;$*?#()`=") {
		return a
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range a {
		if strings.ContainsRune("\"`$\\", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// desktopString escapes a value of type string: a backslash is doubled and
// control characters are written as escapes.
func desktopString(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s)
}

// launchAgent is a macOS LaunchAgent property list that runs the command at login.
func launchAgent(app App) string {
	esc := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString(`<plist version="1.0">` + "\n<dict>\n")
	b.WriteString("\t<key>Label</key>\n\t<string>" + esc(app.ID) + "</string>\n")
	b.WriteString("\t<key>ProgramArguments</key>\n\t<array>\n")
	for _, a := range app.Command {
		b.WriteString("\t\t<string>" + esc(a) + "</string>\n")
	}
	b.WriteString("\t</array>\n")
	b.WriteString("\t<key>RunAtLoad</key>\n\t<true/>\n")
	b.WriteString("\t<key>ProcessType</key>\n\t<string>Interactive</string>\n")
	b.WriteString("</dict>\n</plist>\n")
	return b.String()
}

// windowsCommandLine joins arguments as Windows programs split them
// (CommandLineToArgvW): an argument with a space, a tab or a quote is
// quoted, a quote inside is escaped, and backslashes before a quote doubled.
func windowsCommandLine(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && !strings.ContainsAny(a, " \t\"") {
			out[i] = a
			continue
		}
		var b strings.Builder
		b.WriteByte('"')
		slashes := 0
		for _, r := range a {
			switch r {
			case '\\':
				slashes++
			case '"':
				b.WriteString(strings.Repeat(`\`, slashes+1))
				slashes = 0
			default:
				slashes = 0
			}
			b.WriteRune(r)
		}
		b.WriteString(strings.Repeat(`\`, slashes))
		b.WriteByte('"')
		out[i] = b.String()
	}
	return strings.Join(out, " ")
}

// Enable writes the entry, replacing an older one.
func Enable(e Entry) error {
	if e.Path == "" {
		return setRunValue(e.Value, e.Content)
	}
	if err := os.MkdirAll(filepath.Dir(e.Path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(e.Path), err)
	}
	// A half-written entry could start a broken command at every login:
	// write beside it and rename over it.
	tmp, err := os.CreateTemp(filepath.Dir(e.Path), ".kaiku-autostart-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", e.Path, err)
	}
	_, err = tmp.WriteString(e.Content)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), e.Path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", e.Path, err)
	}
	return nil
}

// Disable removes the entry; one that is not there is already disabled.
func Disable(e Entry) error {
	if e.Path == "" {
		return deleteRunValue(e.Value)
	}
	if err := os.Remove(e.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", e.Path, err)
	}
	return nil
}

// Enabled reports whether an entry is in place, and whether it is this
// one: an entry written by an earlier install may start another path.
func Enabled(e Entry) (present, current bool, err error) {
	var content string
	if e.Path == "" {
		content, present, err = runValue(e.Value)
	} else {
		var b []byte
		b, err = os.ReadFile(e.Path)
		present, content = err == nil, string(b)
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
	}
	if err != nil {
		return false, false, fmt.Errorf("read the autostart entry: %w", err)
	}
	return present, present && content == e.Content, nil
}
