package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// TestValueLogGCBoundsFolder edits the same posts many times, small ones in
// the LSM tree and a few large ones in the value log, and checks that after
// closing, and the first GC pass of the next session, the folder is a small
// multiple of the data it holds.
func TestValueLogGCBoundsFolder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	// The collector runs often, as in a long session.
	s, err := Open(dir, Options{Logger: quietLogger(), gcFirst: 200 * time.Millisecond, gcEvery: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	const small, large, writers, perTxn = 200, 3, 4, 50
	rounds := 50
	if raceDetector {
		// Still every value overwritten many times, in half the time.
		rounds = 20
	}
	// A large post is slow to encode: edit them in 10 rounds and the last,
	// still 10 MB written to the value log.
	largeEvery := rounds / 10
	posts := make([]planner.Post, small+large)
	for i := range posts {
		posts[i] = testPost(fmt.Sprintf("p%03d", i), at(2026, 12, 1+i%28, 9, 0), planner.StatusDraft)
	}
	edit := func(i, round int) planner.Post {
		p := posts[i]
		p.Time = p.Time.Add(time.Duration(round) * time.Hour) // moves the index entries too
		p.Text = editText(i, round)
		if i >= small {
			// Over the value threshold, so the value goes to the value log.
			p.Variants = map[planner.Network]string{}
			for _, n := range planner.Networks() {
				p.Variants[n] = strings.Repeat(string(rune('a'+round%26)), 80<<10)
			}
		}
		return p
	}

	// savePosts writes posts through the same helper as SavePost, a batch
	// per transaction: the folder sees the same versions, and the test
	// spends its time in Badger rather than in 10,000 commits.
	var writtenBytes, savedPosts atomic.Int64
	savePosts := func(batch []planner.Post) error {
		vals := make([][]byte, len(batch))
		for i, p := range batch {
			val, err := postValue(p)
			if err != nil {
				return err
			}
			vals[i] = val
			writtenBytes.Add(int64(len(val)))
		}
		savedPosts.Add(int64(len(batch)))
		return s.update(ctx, func(txn *badger.Txn) error {
			for i, p := range batch {
				if err := putPost(txn, p, vals[i]); err != nil {
					return err
				}
			}
			return nil
		})
	}
	began := time.Now()
	for round := range rounds {
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				var batch []planner.Post
				flush := func() bool {
					if err := savePosts(batch); err != nil {
						t.Errorf("round %d: %v", round, err)
						return false
					}
					batch = batch[:0]
					return true
				}
				for i := w; i < len(posts); i += writers {
					if i >= small && round%largeEvery != 0 && round != rounds-1 {
						continue
					}
					if batch = append(batch, edit(i, round)); len(batch) == perTxn && !flush() {
						return
					}
				}
				flush()
			})
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
	}
	editing := time.Since(began)
	var live int64
	final := make([]planner.Post, len(posts))
	for i := range posts {
		final[i] = edit(i, rounds-1)
		val, err := encode(final[i])
		if err != nil {
			t.Fatal(err)
		}
		live += int64(len(postKey(final[i].ID)) + len(val))
	}
	written, edits := writtenBytes.Load(), savedPosts.Load()
	open1, _ := dirSize(t, dir)
	passes := s.gc.passes.Load()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	closed1, _ := dirSize(t, dir)

	// The next session: compaction at the last Close left the discard
	// statistics that the first pass after opening acts on.
	s, err = Open(dir, Options{Logger: quietLogger(), gcFirst: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); s.gc.passes.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the value-log collector never ran")
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	closed, closedAlloc := dirSize(t, dir)

	s = openAt(t, dir)
	for _, want := range final {
		got, err := s.Post(ctx, want.ID)
		if err != nil || got.Text != want.Text || len(got.Variants) != len(want.Variants) {
			t.Fatalf("post %s after reopen: %q, %v", want.ID, got.Text, err)
		}
	}
	if got, want := indexKeys(t, s), wantIndexKeys(final...); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("index after reopen differs from the posts")
	}

	t.Logf("%d edits in %v: %.1f MB of values written, %.2f MB live; folder while open %.1f MB, "+
		"closed %.2f MB (%d GC passes); after the next session's first pass %.2f MB (%.2f MB allocated), %.1f× live",
		edits, editing.Round(time.Millisecond), mb(written), mb(live), mb(open1),
		mb(closed1), passes, mb(closed), mb(closedAlloc), float64(closed)/float64(live))
	// Without GC the folder would keep every large value written, 10 MB.
	// With it, a value-log file is rewritten once half of it is garbage, and
	// the file being written to is never rewritten: at most twice the live
	// values, plus that file, plus the LSM tree and Badger's discard
	// statistics, a file of 1 MB (mostly sparse).
	vlogFile := badgerOptions(dir, quietLogger()).ValueLogFileSize
	if limit := 2*live + vlogFile + 1<<20; closed > limit {
		t.Errorf("folder after the next session's GC is %.2f MB, more than %.2f MB (twice the %.2f MB of live data, a value-log file and 1 MB)",
			mb(closed), mb(limit), mb(live))
	}
}

// TestCollectorStops: Close stops the collector, even one waiting for its
// first pass, and a second stop is harmless.
func TestCollectorStops(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir(), Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return: the collector did not stop")
	}
	s.gc.stop()
	if n := s.gc.passes.Load(); n != 0 {
		t.Errorf("collector ran %d passes before its first was due", n)
	}
}

// editText is a few hundred bytes of varied text, different in every edit,
// so the LSM tree compresses it as it would a user's.
func editText(i, round int) string {
	r := rand.New(rand.NewPCG(uint64(i), uint64(round)))
	var b strings.Builder
	fmt.Fprintf(&b, "Edit %d.", round)
	for b.Len() < 400 {
		b.WriteByte(' ')
		b.WriteString(sentences[r.IntN(len(sentences))])
	}
	return b.String()
}
