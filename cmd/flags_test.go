package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmptyDataFolderRefused: a script whose variable is unset passes
// --data "" (or KAIKU_DATA=""); that must not fall back to the user's own
// data folder.
func TestEmptyDataFolderRefused(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	for name, args := range map[string][]string{
		"--data \"\"":  {"--data", "", "post", "add", "--text", "x"},
		"--data=":      {"--data=", "post", "list"},
		"--data blank": {"--data", "  ", "post", "list"},
		"no command":   {"--data", ""},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := kaiku(t, append([]string{"--lang", "en"}, args...)...)
			if code != 2 || out != "" || !strings.Contains(errOut, "--data") {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and a line about --data", code, out, errOut)
			}
		})
	}
	t.Run("KAIKU_DATA empty", func(t *testing.T) {
		t.Setenv("KAIKU_DATA", "")
		code, _, errOut := kaiku(t, "--lang", "en", "post", "list")
		if code != 2 || !strings.Contains(errOut, "KAIKU_DATA") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	if _, err := os.Stat(filepath.Join(home, ".config", "kaiku")); err == nil {
		t.Error("the user's own data folder was created")
	}
}

// TestConsumerSecretNotOnTheCommandLine: a secret on the command line is
// readable by every user of the computer (/proc/PID/cmdline), so the flag
// is refused with a pointer to the ways that keep it private.
func TestConsumerSecretNotOnTheCommandLine(t *testing.T) {
	code, _, errOut := kaiku(t, "--lang", "en", "--data", t.TempDir(), "accounts", "link", "x", "--consumer-key", "k", "--consumer-secret", "s3cret")
	if code != 2 || !strings.Contains(errOut, "KAIKU_X_CONSUMER_SECRET") || strings.Contains(errOut, "s3cret") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	_, help, _ := kaiku(t, "help")
	if strings.Contains(help, "--consumer-secret") {
		t.Errorf("help still offers --consumer-secret:\n%s", help)
	}
}

// TestNewDataFolderIsPrivate and the folder a user made keeps its mode:
// Kaiku creates its folder for its owner alone, and changes nothing of a
// folder someone else chose to share.
func TestDataFolderMode(t *testing.T) {
	parent := t.TempDir()
	made := filepath.Join(parent, "new", "db")
	if code, _, errOut := kaiku(t, "--data", made, "post", "add", "--text", "x", "--status", "idea"); code != 0 {
		t.Fatal(errOut)
	}
	for _, dir := range []string{made, filepath.Dir(made)} {
		if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v, want 0700", dir, info.Mode(), err)
		}
	}
	shared := filepath.Join(parent, "shared")
	if err := os.Mkdir(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o755); err != nil { // whatever the umask
		t.Fatal(err)
	}
	if code, _, errOut := kaiku(t, "--data", shared, "post", "add", "--text", "x", "--status", "idea"); code != 0 {
		t.Fatal(errOut)
	}
	if info, _ := os.Stat(shared); info.Mode().Perm() != 0o755 {
		t.Errorf("the folder the user made is now %v, want it left 0755", info.Mode().Perm())
	}
}
