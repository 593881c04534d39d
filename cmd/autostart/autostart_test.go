package autostart_test

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaiku-app/kaiku/cmd/autostart"
)

func app(command ...string) autostart.App {
	return autostart.App{ID: "io.github.kaiku_app.kaiku", Name: "Kaiku", Comment: "Publishes your scheduled posts from the tray", Command: command}
}

func TestLinuxEntryStartsKaikuInTheBackground(t *testing.T) {
	dirs := autostart.Dirs{Home: "/home/maija"}
	e, err := autostart.For("linux", dirs, app("/home/maija/.local/bin/kaiku", "--background"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Path != "/home/maija/.config/autostart/kaiku.desktop" {
		t.Errorf("path %s", e.Path)
	}
	want := `[Desktop Entry]
Type=Application
Name=Kaiku
Comment=Publishes your scheduled posts from the tray
Exec=/home/maija/.local/bin/kaiku --background
Icon=io.github.kaiku_app.kaiku
Terminal=false
X-GNOME-Autostart-enabled=true
`
	if e.Content != want {
		t.Errorf("content:\n%s\nwant:\n%s", e.Content, want)
	}
	dirs.ConfigHome = "/home/maija/cfg"
	if e, _ := autostart.For("freebsd", dirs, app("/usr/local/bin/kaiku", "--background")); e.Path != "/home/maija/cfg/autostart/kaiku.desktop" {
		t.Errorf("XDG_CONFIG_HOME not followed: %s", e.Path)
	}
	dirs.ConfigHome = "relative/cfg" // the spec says to ignore it
	if e, _ := autostart.For("linux", dirs, app("/usr/bin/kaiku")); e.Path != "/home/maija/.config/autostart/kaiku.desktop" {
		t.Errorf("a relative XDG_CONFIG_HOME was used: %s", e.Path)
	}
}

func TestLinuxExecQuotesWhatTheSpecReserves(t *testing.T) {
	e, err := autostart.For("linux", autostart.Dirs{Home: "/h"}, app(`/opt/My Apps/kaiku`, "--data", `/h/100% "mine"/$x\y`, "--background"))
	if err != nil {
		t.Fatal(err)
	}
	// The Exec rules quote and escape, then the string type doubles backslashes.
	want := `Exec="/opt/My Apps/kaiku" --data "/h/100%% \\"mine\\"/\\$x\\\\y" --background`
	if !strings.Contains(e.Content, want+"\n") {
		t.Errorf("got:\n%s\nwant the line %s", e.Content, want)
	}
}

func TestGeneratedDesktopEntryValidates(t *testing.T) {
	validate, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		t.Skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
	}
	dir := t.TempDir()
	e, err := autostart.For("linux", autostart.Dirs{Home: dir}, app(`/opt/My Apps/kaiku`, "--data", `/h/100% "x"`, "--background"))
	if err != nil {
		t.Fatal(err)
	}
	if err := autostart.Enable(e); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(validate, e.Path).CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("desktop-file-validate: %v\n%s", err, out)
	}
}

func TestMacLaunchAgentRunsAtLoad(t *testing.T) {
	e, err := autostart.For("darwin", autostart.Dirs{Home: "/Users/maija"}, app("/Applications/Kaiku.app/Contents/MacOS/kaiku", "--background", "--data", "/Users/maija/a&b <c>"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Path != "/Users/maija/Library/LaunchAgents/io.github.kaiku_app.kaiku.plist" {
		t.Errorf("path %s", e.Path)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>io.github.kaiku_app.kaiku</string>
	<key>ProgramArguments</key>
	<array>
		<string>/Applications/Kaiku.app/Contents/MacOS/kaiku</string>
		<string>--background</string>
		<string>--data</string>
		<string>/Users/maija/a&amp;b &lt;c&gt;</string>
	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>ProcessType</key>
	<string>Interactive</string>
</dict>
</plist>
`
	if e.Content != want {
		t.Errorf("content:\n%s\nwant:\n%s", e.Content, want)
	}
	// It is well-formed XML whose arguments read back as given.
	var plist struct {
		Dict struct {
			Strings []string `xml:"array>string"`
		} `xml:"dict"`
	}
	if err := xml.Unmarshal([]byte(e.Content), &plist); err != nil {
		t.Fatal(err)
	}
	if got := plist.Dict.Strings; len(got) != 4 || got[3] != "/Users/maija/a&b <c>" {
		t.Errorf("arguments read back %q", got)
	}
}

func TestWindowsRunKeyValue(t *testing.T) {
	for _, tc := range []struct {
		command []string
		want    string
	}{
		{[]string{`C:\Users\maija\AppData\Local\Kaiku\kaiku.exe`, "--background"}, `C:\Users\maija\AppData\Local\Kaiku\kaiku.exe --background`},
		{[]string{`C:\Program Files\Kaiku\kaiku.exe`, "--background"}, `"C:\Program Files\Kaiku\kaiku.exe" --background`},
		{[]string{`C:\k.exe`, "--data", `D:\My data\`, "--background"}, `C:\k.exe --data "D:\My data\\" --background`},
		{[]string{`C:\k.exe`, "--data", `D:\say "hi"`}, `C:\k.exe --data "D:\say \"hi\""`},
	} {
		e, err := autostart.For("windows", autostart.Dirs{}, app(tc.command...))
		if err != nil {
			t.Fatal(err)
		}
		if e.Path != "" || e.Value != "Kaiku" || e.Content != tc.want {
			t.Errorf("%q: got %+v, want the value Kaiku = %s", tc.command, e, tc.want)
		}
	}
	if autostart.RunKey != `Software\Microsoft\Windows\CurrentVersion\Run` {
		t.Errorf("run key %s", autostart.RunKey)
	}
}

func TestEntryNeedsAnAbsolutePath(t *testing.T) {
	for goos, path := range map[string]string{"linux": "kaiku", "darwin": "bin/kaiku", "windows": `kaiku.exe`} {
		if _, err := autostart.For(goos, autostart.Dirs{Home: "/h"}, app(path)); err == nil {
			t.Errorf("%s accepted %q", goos, path)
		}
	}
	if _, err := autostart.For("plan9", autostart.Dirs{Home: "/h"}, app("/bin/kaiku")); err == nil {
		t.Error("an unknown system was accepted")
	}
}

func TestEnableDisableAndEnabled(t *testing.T) {
	home := t.TempDir()
	e, err := autostart.For("linux", autostart.Dirs{Home: home}, app("/usr/bin/kaiku", "--background"))
	if err != nil {
		t.Fatal(err)
	}
	if present, _, err := autostart.Enabled(e); err != nil || present {
		t.Fatalf("enabled before Enable: %v %v", present, err)
	}
	if err := autostart.Enable(e); err != nil {
		t.Fatal(err)
	}
	if present, current, err := autostart.Enabled(e); err != nil || !present || !current {
		t.Fatalf("after Enable: %v %v %v", present, current, err)
	}
	if b, _ := os.ReadFile(e.Path); string(b) != e.Content {
		t.Fatalf("wrote %q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(e.Path))
	if len(entries) != 1 {
		t.Errorf("the autostart folder holds %d files, want only kaiku.desktop", len(entries))
	}

	// An entry an older install wrote, for another path, is there but stale.
	moved, _ := autostart.For("linux", autostart.Dirs{Home: home}, app("/opt/kaiku/kaiku", "--background"))
	if present, current, _ := autostart.Enabled(moved); !present || current {
		t.Errorf("a stale entry: present %v, current %v", present, current)
	}

	if err := autostart.Disable(e); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(e.Path); !os.IsNotExist(err) {
		t.Fatalf("still there: %v", err)
	}
	if err := autostart.Disable(e); err != nil {
		t.Errorf("disabling twice: %v", err)
	}
}
