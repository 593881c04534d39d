package storage

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestStaleRestoreIsRemoved: what a killed restore left beside the folder
// goes at the next restore (or start), and nothing else does: not a restore
// still running, not a folder without Kaiku's marker, not one with a file
// Kaiku did not put there.
func TestStaleRestoreIsRemoved(t *testing.T) {
	t.Parallel()
	src := openTest(t)
	populate(t, src)
	b := backupOf(t, src)

	parent := t.TempDir()
	dir := filepath.Join(parent, "db")
	mk := func(name string, marked bool, files ...string) string {
		t.Helper()
		path := filepath.Join(parent, name)
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
		if marked {
			if err := writeMarker(path); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(path, f), []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return path
	}
	stale := mk("db.restoring-111", true, "000001.sst", "MANIFEST", "00001.mem", "000001.vlog", "KEYREGISTRY", "DISCARD")
	mk("db.restoring-112", true, "MANIFEST-REWRITE") // killed as Badger set up its manifest
	rewriting := filepath.Join(parent, "db.restoring-112")
	running := mk("db.restoring-222", true, "000001.sst")
	lock, err := lockFolder(running)
	if err != nil || lock == nil {
		t.Fatalf("lock: %v", err)
	}
	defer lock.Close()
	unmarked := mk("db.restoring-333", false, "000001.sst")
	empty := mk("db.restoring-777", false) // killed before it was locked and marked
	foreign := mk("db.restoring-444", true, "000001.sst", "notes.txt")
	other := mk("photos.restoring-555", true, "000001.sst")

	if err := Restore(context.Background(), dir, bytes.NewReader(b), Options{Logger: quietLogger()}, nil); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{stale, empty, rewriting} {
		if _, err := os.Stat(gone); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is still there: %v", filepath.Base(gone), err)
		}
	}
	for _, keep := range []string{running, unmarked, foreign, other} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(keep), err)
		}
	}

	// A start finds one too.
	again := mk("db.restoring-666", true, "000001.sst")
	s := openAt(t, dir)
	s.Close()
	if _, err := os.Stat(again); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open left the stale restore: %v", err)
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("Open removed a running restore: %v", err)
	}
}
