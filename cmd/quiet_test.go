package cmd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// localeEnv is the test's own environment without any locale variable, then
// the given ones: what cron, systemd and a container's shell hand a command.
func localeEnv(mode string, vars ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "LANG" || name == "LANGUAGE" || strings.HasPrefix(name, "LC_") {
			continue
		}
		env = append(env, kv)
	}
	return append(append(env, "KAIKU_AS_MAIN="+mode), vars...)
}

// TestCommandsAreQuietInEveryLocale runs real processes under the locales
// that scripts and schedulers get (Debian's C.UTF-8 in containers and CI, C,
// POSIX, none at all) and wants nothing on stderr from commands that worked.
func TestCommandsAreQuietInEveryLocale(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	commands := [][]string{
		{"post", "add", "--at", "2026-12-01T09:00", "--text", "Hei"},
		{"post", "list"},
		{"plan", "--week", "2026-W49"},
		{"export-json", "-o", filepath.Join(t.TempDir(), "x.json")},
		{"help"},
	}
	locales := map[string][]string{
		"C.UTF-8":        {"LANG=C.UTF-8"},
		"C":              {"LANG=C"},
		"POSIX":          {"LANG=POSIX"},
		"unset":          nil,
		"LC_ALL C.UTF-8": {"LC_ALL=C.UTF-8", "LANG=fi_FI.UTF-8"},
	}
	for name, vars := range locales {
		for _, args := range commands {
			c := exec.Command(os.Args[0], append([]string{"--", "--data", dir}, args...)...)
			c.Env = localeEnv("main", vars...)
			var out, errOut bytes.Buffer
			c.Stdout, c.Stderr = &out, &errOut
			if err := c.Run(); err != nil {
				t.Errorf("%s: kaiku %s: %v; stderr %q", name, strings.Join(args, " "), err, errOut.String())
				continue
			}
			if errOut.Len() > 0 {
				t.Errorf("%s: kaiku %s wrote to stderr:\n%s", name, strings.Join(args, " "), errOut.String())
			}
			if args[0] == "post" && args[1] == "list" && !strings.Contains(out.String(), "Hei") {
				t.Errorf("%s: post list printed %q", name, out.String())
			}
		}
	}
}
