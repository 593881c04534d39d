package cmd

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killedImportRounds is how many imports TestKilledImportIsAllOrNothing kills.
const killedImportRounds = 8

func countPosts(t *testing.T, dir string) int {
	t.Helper()
	code, list, errOut := kaiku(t, "--data", dir, "post", "list", "--json")
	if code != 0 {
		t.Fatalf("post list: %s", errOut)
	}
	var posts []json.RawMessage
	if err := json.Unmarshal([]byte(list), &posts); err != nil {
		t.Fatal(err)
	}
	return len(posts)
}

// TestKilledImportIsAllOrNothing kills import-json at random moments of a
// large import: afterwards the folder holds the whole file or none of it,
// next to what it held before.
func TestKilledImportIsAllOrNothing(t *testing.T) {
	const n = 12000
	file, _ := writeExport(t, n)
	fresh := func() string {
		dir := filepath.Join(t.TempDir(), "d")
		if code, _, errOut := kaiku(t, "--data", dir, "post", "add", "--text", "mine, from before", "--status", "idea"); code != 0 {
			t.Fatal(errOut)
		}
		return dir
	}
	// How long a whole import takes here, so the kills land inside one.
	start := time.Now()
	if err := child(t, "main", "--data", fresh(), "import-json", file).Run(); err != nil {
		t.Fatal(err)
	}
	whole := time.Since(start)

	rounds := killedImportRounds
	if testing.Short() {
		rounds = 3
	}
	var none, all int
	for round := range rounds {
		dir := fresh()
		c := child(t, "main", "--data", dir, "import-json", file)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(whole))))
		_ = c.Process.Signal(syscall.SIGKILL)
		_ = c.Wait()
		switch got := countPosts(t, dir); got {
		case 1:
			none++
		case 1 + n:
			all++
		default:
			t.Errorf("round %d: killed import left %d posts, want 1 (none imported) or %d (all)", round, got, 1+n)
		}
	}
	t.Logf("%d imports of %d posts killed at random within %v: %d left nothing, %d everything, %d part",
		rounds, n, whole.Round(time.Millisecond), none, all, rounds-none-all)
}

// TestImportNamesTheItem: the command line says which item of the file is
// wrong and what is wrong with it, in the user's language.
func TestImportNamesTheItem(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.json")
	doc := `{"format":"kaiku-export","version":1,"posts":[{"id":"ok","text":"a","status":"draft"},{"id":"empty","status":"draft"}]}`
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{
		"en": "cannot import " + file + ": post 2 (id “empty”): The post has no text. Write something first. Nothing was imported.",
		"fi": "tiedostoa " + file + " ei voi tuoda: julkaisu 2 (tunniste ”empty”): Julkaisussa ei ole tekstiä. Kirjoita ensin jotain. Mitään ei tuotu.",
	} {
		dir := t.TempDir()
		code, _, errOut := kaiku(t, "--lang", lang, "--data", dir, "import-json", file)
		if code != 1 || strings.TrimSpace(errOut) != "kaiku: "+want {
			t.Errorf("%s: exit %d, stderr %q, want %q", lang, code, errOut, want)
		}
		if got := countPosts(t, dir); got != 0 {
			t.Errorf("%s: a refused import left %d posts", lang, got)
		}
	}
}

// restoringLeft lists what restores into dir left beside it.
func restoringLeft(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(dir + ".restoring-*")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestKilledRestoreIsCleanedUp kills restore at random moments; what it
// left beside the folder is gone after the next restore, which works.
func TestKilledRestoreIsCleanedUp(t *testing.T) {
	file, _ := writeExport(t, 8000)
	src := filepath.Join(t.TempDir(), "src")
	if code, _, errOut := kaiku(t, "--data", src, "import-json", file); code != 0 {
		t.Fatal(errOut)
	}
	backup := filepath.Join(t.TempDir(), "kaiku.backup")
	if code, _, errOut := kaiku(t, "--data", src, "backup", "-o", backup); code != 0 {
		t.Fatal(errOut)
	}
	start := time.Now()
	if err := child(t, "main", "--data", filepath.Join(t.TempDir(), "timed"), "restore", backup).Run(); err != nil {
		t.Fatal(err)
	}
	whole := time.Since(start)

	rounds := killedImportRounds
	if testing.Short() {
		rounds = 3
	}
	left := 0
	for round := range rounds {
		dir := filepath.Join(t.TempDir(), "db")
		c := child(t, "main", "--data", dir, "restore", backup)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(whole))))
		_ = c.Process.Signal(syscall.SIGKILL)
		_ = c.Wait()
		left += len(restoringLeft(t, dir))
		if _, err := os.Stat(dir); err == nil {
			continue // it had finished
		}
		if code, _, errOut := kaiku(t, "--data", dir, "restore", backup); code != 0 {
			t.Fatalf("round %d: restore after a killed one: %s", round, errOut)
		}
		for _, m := range restoringLeft(t, dir) {
			var names []string
			entries, _ := os.ReadDir(m)
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("round %d: left after the next restore: %s, holding %v", round, m, names)
		}
		if got := countPosts(t, dir); got != 8000 {
			t.Errorf("round %d: restored %d posts", round, got)
		}
	}
	t.Logf("%d restores killed at random within %v: %d left a folder behind, all removed by the next restore", rounds, whole.Round(time.Millisecond), left)
}
