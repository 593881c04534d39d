package cmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/kaiku-app/kaiku/assets"
	"github.com/kaiku-app/kaiku/cmd/instance"
)

// nextLine reads the app's next line of output, or fails after a while.
func nextLine(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	lines := make(chan string, 1)
	go func() {
		line, _ := r.ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		return line
	case <-time.After(10 * time.Second):
		t.Fatal("the running app said nothing")
		return ""
	}
}

// TestSecondStartBringsTheWindowForward: starting Kaiku again on the data
// folder of a running window hands over to it instead of failing on the lock.
func TestSecondStartBringsTheWindowForward(t *testing.T) {
	dir := t.TempDir()
	app := openApp(t, dir)

	second := child(t, "main", "--data", dir)
	var out, errOut bytes.Buffer
	second.Stdout, second.Stderr = &out, &errOut
	if err := second.Run(); err != nil {
		t.Fatalf("second start: %v; stderr %q", err, errOut.String())
	}
	if out.Len() > 0 || errOut.Len() > 0 {
		t.Errorf("the second start printed %q %q", out.String(), errOut.String())
	}
	if line := nextLine(t, app); line != "raised\n" {
		t.Fatalf("the running app said %q, want raised", line)
	}

	// A start at login finds Kaiku running and leaves its window be.
	login := child(t, "main", "--data", dir, "--background")
	login.Stderr = &errOut
	if err := login.Run(); err != nil {
		t.Fatalf("start at login: %v; stderr %q", err, errOut.String())
	}
	third := child(t, "main", "--data", dir)
	if err := third.Run(); err != nil {
		t.Fatal(err)
	}
	if line := nextLine(t, app); line != "raised\n" {
		t.Fatalf("after the start at login the app said %q: it raised the window", line)
	}
}

// TestCrashedAppsSocketIsReplaced: an app killed without cleaning up leaves
// its socket; the next start on the folder takes the folder and answers.
func TestCrashedAppsSocketIsReplaced(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix socket on Windows")
	}
	dir, err := os.MkdirTemp("", "kc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	first := child(t, "main", "--data", dir)
	stdout, _ := first.StdoutPipe()
	first.StdinPipe() // held open: the app runs until killed
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	if line := nextLine(t, bufio.NewReader(stdout)); line != "open\n" {
		t.Fatalf("first app: %q", line)
	}
	first.Process.Kill()
	first.Wait()
	if _, err := os.Lstat(filepath.Join(dir, instance.SocketName)); err != nil {
		t.Fatalf("the killed app left no socket to test with: %v", err)
	}

	app := openApp(t, dir)
	if err := child(t, "main", "--data", dir).Run(); err != nil {
		t.Fatal(err)
	}
	if line := nextLine(t, app); line != "raised\n" {
		t.Fatalf("the new app said %q", line)
	}
}

// fyneAppVersion reads Version and Build from FyneApp.toml on its own.
func fyneAppVersion(t *testing.T) (string, string) {
	t.Helper()
	b := fyneAppTOML()
	v := regexp.MustCompile(`(?m)^Version = "([^"]+)"`).FindSubmatch(b)
	n := regexp.MustCompile(`(?m)^Build = (\d+)`).FindSubmatch(b)
	if v == nil || n == nil {
		t.Fatal("FyneApp.toml has no Version or Build")
	}
	return string(v[1]), string(n[1])
}

func TestVersionComesFromFyneAppToml(t *testing.T) {
	version, build := fyneAppVersion(t)
	a, err := readAbout(fyneAppTOML(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "Kaiku " + version + " (build " + build + ")\n" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}, {"--data", t.TempDir(), "version"}} {
		var out, errOut bytes.Buffer
		code := run(append([]string{"--lang", "en"}, args...), strings.NewReader(""), &out, &errOut, desktop{about: a})
		if code != 0 || out.String() != want || errOut.Len() > 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", args, code, out.String(), errOut.String(), want)
		}
	}

	var out bytes.Buffer
	if code := run([]string{"version", "--json"}, strings.NewReader(""), &out, &bytes.Buffer{}, desktop{about: a}); code != 0 {
		t.Fatalf("version --json: exit %d", code)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["version"] != version || got["name"] != "Kaiku" || got["go"] != runtime.Version() || got["id"] != "io.github.kaiku_app.kaiku" {
		t.Errorf("version --json: %s", out.String())
	}
}

func TestVersionNamesTheCommit(t *testing.T) {
	info := &debug.BuildInfo{Settings: []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "9d4ad66871f8ba0894888c4f5039980701e1f2a9"},
		{Key: "vcs.modified", Value: "false"},
	}}
	a, err := readAbout(fyneAppTOML(), info)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(a.text(), "\n"); len(lines) != 3 || lines[1] != "commit 9d4ad66871f8" {
		t.Errorf("clean build: %q", a.text())
	}
	info.Settings[2].Value = "true"
	a, _ = readAbout(fyneAppTOML(), info)
	if !strings.Contains(a.text(), "commit 9d4ad66871f8, with changes not yet committed") {
		t.Errorf("modified build: %q", a.text())
	}
	if a.Migrations["fyneDo"] != true {
		t.Error("FyneApp.toml's fyneDo migration is not handed to Fyne")
	}
}

func TestBrokenFyneAppTomlIsAnError(t *testing.T) {
	for _, text := range []string{"[Details\nName = 1", "[Details]\nName = \"Kaiku\"\n"} {
		if _, err := readAbout([]byte(text), nil); err == nil {
			t.Errorf("%q was accepted", text)
		}
	}
}

func TestBackgroundGoesWithoutACommand(t *testing.T) {
	code, _, errOut := kaiku(t, "--lang", "en", "--background", "post", "list")
	if code != 2 || !strings.Contains(errOut, "--background starts the app in the tray") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestLoginCommandNamesAChosenDataFolder(t *testing.T) {
	t.Setenv("KAIKU_DATA", "")
	e := &env{dataDir: "/home/maija/.config/kaiku/db"}
	if got := loginCommand("/usr/bin/kaiku", e); strings.Join(got, " ") != "/usr/bin/kaiku --background" {
		t.Errorf("default folder: %q", got)
	}
	e.globals.data, e.dataDir = "work", "/home/maija/work"
	if got := loginCommand("/usr/bin/kaiku", e); strings.Join(got, " ") != "/usr/bin/kaiku --background --data /home/maija/work" {
		t.Errorf("chosen folder: %q", got)
	}
}

// TestDesktopEntryTranslations: the package's desktop entry takes its
// English from FyneApp.toml and its Finnish from the translations; the
// English keys must say what FyneApp.toml says.
func TestDesktopEntryTranslations(t *testing.T) {
	var f struct {
		LinuxAndBSD struct {
			GenericName string
			Comment     string
			Keywords    []string
		}
		Languages []string
	}
	if _, err := toml.Decode(string(fyneAppTOML()), &f); err != nil {
		t.Fatal(err)
	}
	if strings.Join(f.Languages, ",") != "fi,en" {
		t.Errorf("FyneApp.toml's languages: %q", f.Languages)
	}
	en, err := assets.Keys("en")
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := assets.Keys("fi")
	want := map[string]string{
		"desktop.generic_name": f.LinuxAndBSD.GenericName,
		"desktop.comment":      f.LinuxAndBSD.Comment,
		"desktop.keywords":     strings.Join(f.LinuxAndBSD.Keywords, ";") + ";",
	}
	for k, v := range want {
		if en[k] != v {
			t.Errorf("en.json %s = %q, FyneApp.toml says %q", k, en[k], v)
		}
		if fi[k] == "" || fi[k] == v {
			t.Errorf("fi.json %s = %q: no Finnish", k, fi[k])
		}
	}
}
