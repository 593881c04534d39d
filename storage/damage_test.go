package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// damageRounds is how many single-bit flips TestDamagedTableIsRefused tries.
const damageRounds = 60

// damagedTemplate builds a settled store of n posts in dir and returns their IDs.
func damagedTemplate(t *testing.T, dir string, n int) map[string]bool {
	t.Helper()
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	posts := makePosts(n, at(2026, 1, 5, 9, 0), time.Hour)
	bulkSavePosts(t, s, posts)
	if err := s.db.Flatten(2); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, p := range posts {
		ids[p.ID] = true
	}
	return ids
}

// copyFolder copies the files of from into a new folder to, with their
// modification times.
func copyFolder(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
		if info, err := e.Info(); err == nil {
			_ = os.Chtimes(filepath.Join(to, e.Name()), info.ModTime(), info.ModTime())
		}
	}
}

// flipLargestTable flips one bit at a random place in the folder's largest
// table, as a failing disk or a careless tool would, and says where.
func flipLargestTable(t *testing.T, dir string, r *rand.Rand) (string, int) {
	t.Helper()
	name := largestTable(t, dir)
	if name == "" {
		t.Fatal("no table to damage")
	}
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pos := r.IntN(len(b))
	b[pos] ^= 1 << r.IntN(8)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return name, pos
}

// readAll reads every post the store shows, through its time index and
// through an export; it fails if either claims success with fewer posts than
// the other or than want.
func readAll(t *testing.T, s *Store, want map[string]bool) (found int, err error) {
	ctx := context.Background()
	posts, err := s.PostsBetween(ctx, planner.MinPostTime, planner.MaxPostTime)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	if err := s.ExportJSON(ctx, &buf); err != nil {
		return len(posts), err
	}
	var doc struct{ Posts []struct{ ID string } }
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	missing := 0
	for _, p := range doc.Posts {
		if !want[p.ID] {
			t.Errorf("the export holds a post nobody saved: %s", p.ID)
		}
	}
	if len(doc.Posts) != len(want) || len(posts) != len(want) {
		missing = len(want) - min(len(doc.Posts), len(posts))
	}
	return len(want) - missing, nil
}

// TestDamagedTableIsRefused flips one bit at a random place of the largest
// table, round after round, and opens the folder: the damage is found and
// refused with a *DamagedError naming the cure, or, where the bit did not
// matter, every post is still there. Never may the store open and read, or
// export, part of the posts as if that were all.
func TestDamagedTableIsRefused(t *testing.T) {
	t.Parallel()
	const n = 3000
	template := filepath.Join(t.TempDir(), "template")
	want := damagedTemplate(t, template, n)
	rounds := damageRounds
	if testing.Short() {
		rounds = 10
	}
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 12))
	var detected, harmless int
	for round := range rounds {
		dir := filepath.Join(t.TempDir(), "d")
		copyFolder(t, template, dir)
		name, pos := flipLargestTable(t, dir, r)

		s, err := Open(dir, Options{Logger: quietLogger()})
		if err != nil {
			var de *DamagedError
			if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) {
				t.Fatalf("round %d (%s, byte %d): Open: %v, want a *DamagedError", round, name, pos, err)
			}
			if de.Dir != dir || de.File != name || !strings.Contains(err.Error(), "restore the latest backup") {
				t.Errorf("round %d: the error names %q in %q: %v", round, de.File, de.Dir, err)
			}
			detected++
			continue
		}
		found, err := readAll(t, s, want)
		s.Close()
		switch {
		case errors.Is(err, ErrDamaged):
			detected++
		case err != nil:
			t.Fatalf("round %d (%s, byte %d): %v", round, name, pos, err)
		case found != n:
			t.Errorf("round %d (%s, byte %d): the store opened and read %d of %d posts as if that were all", round, name, pos, found, n)
		default:
			harmless++
		}
	}
	t.Logf("%d bits flipped in the largest table: %d found and refused, %d harmless (all %d posts read back), %d posts lost unnoticed",
		rounds, detected, harmless, n, rounds-detected-harmless)
}

// TestDamageAfterOpenIsRefused: a table damaged while the store is open is
// found before an export or a backup reads the whole store, and neither
// reports success with part of the data.
func TestDamageAfterOpenIsRefused(t *testing.T) {
	t.Parallel()
	const n = 3000
	template := filepath.Join(t.TempDir(), "template")
	damagedTemplate(t, template, n)
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 13))
	rounds := 10
	var detected, harmless int
	for round := range rounds {
		dir := filepath.Join(t.TempDir(), "d")
		copyFolder(t, template, dir)
		s := openAt(t, dir)
		name, pos := flipLargestTable(t, dir, r)
		var buf bytes.Buffer
		exportErr := s.ExportJSON(context.Background(), &buf)
		backupErr := s.Backup(context.Background(), io.Discard, nil)
		switch {
		case errors.Is(exportErr, ErrDamaged) && errors.Is(backupErr, ErrDamaged):
			detected++
		case exportErr != nil || backupErr != nil:
			t.Fatalf("round %d (%s, byte %d): export %v, backup %v", round, name, pos, exportErr, backupErr)
		default:
			var doc struct{ Posts []struct{ ID string } }
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Posts) != n {
				t.Errorf("round %d (%s, byte %d): the export succeeded with %d of %d posts", round, name, pos, len(doc.Posts), n)
			}
			harmless++
		}
	}
	t.Logf("%d bits flipped while open: %d refused by export and backup, %d harmless", rounds, detected, harmless)
}

// largestTable names the folder's largest table.
func largestTable(t *testing.T, dir string) string {
	t.Helper()
	var name string
	var size int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && strings.HasSuffix(e.Name(), ".sst") && info.Size() > size {
			name, size = e.Name(), info.Size()
		}
	}
	return name
}

// damageQuietly inverts the byte at pos (from the end when negative) and
// puts the file's modification time back, as a disk that rots in place would.
func damageQuietly(t *testing.T, path string, pos int) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if pos < 0 {
		pos += len(b)
	}
	b[pos] ^= 0xff
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
}

// TestOpenChecksEachTableOnce shows the bargain Open makes to start fast: a
// table it checked whole before, and that no write has changed since, gets
// only its index checked; whole-store reads check every block.
func TestOpenChecksEachTableOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	template := t.TempDir()
	damagedTemplate(t, template, 3000)
	s := openAt(t, template)
	s.Close()
	name := largestTable(t, template)
	if _, ok := readVerified(template)[name]; !ok {
		t.Fatalf("Open did not list %s as checked: %v", name, readVerified(template))
	}

	t.Run("a block rots in place", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "d")
		copyFolder(t, template, dir)
		damageQuietly(t, filepath.Join(dir, name), 200)
		s, err := Open(dir, Options{Logger: quietLogger()})
		if err != nil {
			t.Fatalf("Open read the whole table again: %v", err)
		}
		defer s.Close()
		if err := s.ExportJSON(ctx, io.Discard); !errors.Is(err, ErrDamaged) {
			t.Errorf("export: %v, want ErrDamaged", err)
		}
		if err := s.Backup(ctx, io.Discard, nil); !errors.Is(err, ErrDamaged) {
			t.Errorf("backup: %v, want ErrDamaged", err)
		}
	})
	t.Run("the index rots in place", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "d")
		copyFolder(t, template, dir)
		damageQuietly(t, filepath.Join(dir, name), -100)
		if _, err := Open(dir, Options{Logger: quietLogger()}); !errors.Is(err, ErrDamaged) {
			t.Errorf("Open: %v, want ErrDamaged", err)
		}
	})
	t.Run("a write changes a block", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "d")
		copyFolder(t, template, dir)
		damageQuietly(t, filepath.Join(dir, name), 200)
		now := time.Now()
		if err := os.Chtimes(filepath.Join(dir, name), now, now); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(dir, Options{Logger: quietLogger()}); !errors.Is(err, ErrDamaged) {
			t.Errorf("Open: %v, want ErrDamaged", err)
		}
	})
}

// TestMissingManifestIsDamage: without its manifest Badger would take every
// table for a leftover and delete it; Kaiku refuses instead, and touches nothing.
func TestMissingManifestIsDamage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	damagedTemplate(t, dir, 200)
	if err := os.Remove(filepath.Join(dir, "MANIFEST")); err != nil {
		t.Fatal(err)
	}
	tables := largestTable(t, dir)
	_, err := Open(dir, Options{Logger: quietLogger()})
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "MANIFEST") {
		t.Fatalf("Open: %v, want ErrDamaged naming the manifest", err)
	}
	if _, err := os.Stat(filepath.Join(dir, tables)); err != nil {
		t.Errorf("a table is gone: %v", err)
	}
}
