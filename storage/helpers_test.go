package storage

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Helsinki on machines without a zone database

	"github.com/dgraph-io/badger/v4"
	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
)

// Child processes: the lock and crash tests run this test binary again with
// childEnv set, to act as a second Kaiku.
const (
	childEnv    = "KAIKU_STORAGE_TEST_CHILD"
	childDirEnv = "KAIKU_STORAGE_TEST_DIR"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode, os.Getenv(childDirEnv)))
	}
	code := m.Run()
	for _, dir := range sharedTempDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// runChild is the second process's work; its exit status tells the parent what happened.
func runChild(mode, dir string) int {
	switch mode {
	case "open":
		s, err := Open(dir, Options{Logger: quietLogger()})
		if err != nil {
			fmt.Println(err)
			if errors.Is(err, ErrLocked) {
				return 3
			}
			return 1
		}
		s.Close()
		return 0
	case "measure":
		if err := measureChild(dir); err != nil {
			fmt.Println(err)
			return 1
		}
		return 0
	case "images":
		if err := imagesChild(dir); err != nil {
			fmt.Println(err)
			return 1
		}
		return 0
	case "save-then-hang":
		s, err := Open(dir, Options{Logger: quietLogger()})
		if err != nil {
			fmt.Println(err)
			return 1
		}
		if err := s.SavePost(context.Background(), testPost("survivor", at(2026, 12, 1, 9, 0), planner.StatusScheduled)); err != nil {
			fmt.Println(err)
			return 1
		}
		fmt.Println("saved")
		// Wait to be killed (or for the parent to go away); never close the store.
		_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin))
		return 2
	}
	return 1
}

func quietLogger() *logrus.Logger {
	l := logrus.New()
	l.SetOutput(io.Discard)
	return l
}

// openTest opens a store in a fresh folder, closed when the test ends.
func openTest(t testing.TB) *Store {
	t.Helper()
	return openAt(t, t.TempDir())
}

func openAt(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func testPost(id string, t time.Time, st planner.Status) planner.Post {
	created := at(2026, 11, 1, 8, 0)
	return planner.Post{
		ID:      id,
		Text:    "Post " + id + ": what we learnt this week & why it matters #kaiku",
		Purpose: planner.PurposeWrite,
		Role:    planner.RoleInforming,
		Targets: []planner.Target{{Network: planner.NetworkMastodon}},
		Time:    t,
		Status:  st,
		Created: created,
		Updated: created,
	}
}

func ids(posts []planner.Post) []string {
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p.ID
	}
	return out
}

// indexKeys lists every post index entry in the store, readable.
func indexKeys(t testing.TB, s *Store) []string {
	t.Helper()
	var out []string
	err := s.db.View(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.PrefetchValues = false
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			for _, prefix := range []string{prefixPostTime, prefixPostStatus, prefixPostUndated} {
				if strings.HasPrefix(string(k), prefix) {
					out = append(out, showKey(k))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// wantIndexKeys is what indexKeys should say for exactly these posts.
func wantIndexKeys(posts ...planner.Post) []string {
	out := []string{}
	for _, p := range posts {
		for _, k := range postIndexKeys(p) {
			out = append(out, showKey(k))
		}
	}
	sort.Strings(out)
	return out
}

// showKey prints the binary seconds in a key as a number.
func showKey(k []byte) string {
	s := string(k)
	for _, prefix := range []string{prefixPostTime, prefixPostStatus} {
		if !strings.HasPrefix(s, prefix) {
			continue
		}
		start := len(prefix)
		if prefix == prefixPostStatus {
			start += strings.IndexByte(s[start:], '/') + 1
		}
		var sec uint64
		for _, b := range k[start : start+unixLen] {
			sec = sec<<8 | uint64(b)
		}
		return fmt.Sprintf("%s%d%s", s[:start], sec, s[start+unixLen:])
	}
	return s
}

// keyCount counts every key in the store.
func keyCount(t testing.TB, s *Store) int {
	t.Helper()
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.PrefetchValues = false
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
