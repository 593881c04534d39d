package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seed fills a data folder with a plan and posts through the command line.
func seed(t *testing.T, dir string) {
	t.Helper()
	steps := [][]string{
		{"plan", "add-slot", "--day", "tue", "--time", "09:00", "--minutes", "30", "--purpose", "share"},
		{"post", "add", "--at", "2026-12-01T09:00", "--text", "Hei", "--status", "draft"},
		{"post", "add", "--text", "Idea ilman aikaa", "--status", "idea"},
		{"post", "add", "--at", "2026-12-03T10:00", "--text", "Osa 1", "--text", "Osa 2"},
	}
	for _, s := range steps {
		if code, _, errOut := kaiku(t, append([]string{"--data", dir}, s...)...); code != 0 {
			t.Fatalf("%v: %s", s, errOut)
		}
	}
}

// dump is what must survive a move: the posts and the plan, as printed.
func dump(t *testing.T, dir string) string {
	t.Helper()
	_, posts, _ := kaiku(t, "--data", dir, "post", "list", "--json")
	_, slots, _ := kaiku(t, "--data", dir, "plan", "slots", "--json")
	return posts + slots
}

func TestBackupRestoreSameData(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	src := t.TempDir()
	seed(t, src)
	file := filepath.Join(t.TempDir(), "kaiku.backup")
	if code, _, errOut := kaiku(t, "--data", src, "backup", "-o", file); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	dst := filepath.Join(t.TempDir(), "new")
	if code, _, errOut := kaiku(t, "--data", dst, "--lang", "en", "restore", file); code != 0 {
		t.Fatalf("restore: %s", errOut)
	}
	if a, b := dump(t, src), dump(t, dst); a != b {
		t.Errorf("restored data differs:\n%s\n---\n%s", a, b)
	}

	code, _, errOut := kaiku(t, "--data", src, "--lang", "en", "restore", file)
	if code != 1 || !strings.Contains(errOut, "not empty") {
		t.Errorf("restore into a used folder: %d %q", code, errOut)
	}
	junk := filepath.Join(t.TempDir(), "junk")
	os.WriteFile(junk, []byte("not a backup at all"), 0o600)
	code, _, errOut = kaiku(t, "--data", filepath.Join(t.TempDir(), "x"), "--lang", "en", "restore", junk)
	if code != 1 || !strings.Contains(errOut, "not a Kaiku backup") {
		t.Errorf("restore of junk: %d %q", code, errOut)
	}
}

func TestJSONExportImportSameData(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	src := t.TempDir()
	seed(t, src)
	file := filepath.Join(t.TempDir(), "kaiku.json")
	if code, _, errOut := kaiku(t, "--data", src, "export-json", "-o", file); code != 0 {
		t.Fatalf("export-json: %s", errOut)
	}
	b, _ := os.ReadFile(file)
	if !strings.Contains(string(b), `"format":"kaiku-export"`) && !strings.Contains(string(b), `"format": "kaiku-export"`) {
		t.Fatalf("export: %.200s", b)
	}
	dst := t.TempDir()
	if code, _, errOut := kaiku(t, "--data", dst, "import-json", file); code != 0 {
		t.Fatalf("import-json: %s", errOut)
	}
	if a, b := dump(t, src), dump(t, dst); a != b {
		t.Errorf("imported data differs:\n%s\n---\n%s", a, b)
	}
	broken := filepath.Join(t.TempDir(), "broken.json")
	os.WriteFile(broken, b[:len(b)/2], 0o600)
	code, _, errOut := kaiku(t, "--data", t.TempDir(), "--lang", "en", "import-json", broken)
	if code != 1 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("broken file: %d %q", code, errOut)
	}
}
