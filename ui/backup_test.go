package ui

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/storage"
)

// Restoring a backup moves the progress bar from start to end: the file's
// size is the whole.
func TestRestoreProgressMoves(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	d.Archive = d.Store.(*storage.Store)
	for i := range 300 {
		savePost(t, d, "Varmuuskopioon menevä julkaisu", now.Add(time.Duration(i)*time.Hour))
	}
	file := filepath.Join(t.TempDir(), "kaiku.backup")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Archive.Backup(context.Background(), f, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	s := w.Settings()

	r, err := fstorage.Reader(fstorage.NewFileURI(file))
	if err != nil {
		t.Fatal(err)
	}
	into := filepath.Join(t.TempDir(), "restored")
	s.restoreFrom(r, into)
	if s.progress == nil || s.progress.Hidden || s.progress.Value < 0.99 || s.progress.Value > 1 {
		t.Fatalf("the bar ended at %+v", s.progress)
	}
	if _, err := os.Stat(filepath.Join(into, "MANIFEST")); err != nil {
		t.Fatalf("nothing restored: %v", err)
	}
}
