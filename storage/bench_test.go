package storage

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// benchStart is a Monday; posts follow it at a steady pace.
var benchStart = time.Date(2000, 1, 3, 0, 0, 0, 0, time.UTC)

const week = 7 * 24 * time.Hour

// postsPerWeek is a busy expert's pace, so a week's query returns this many.
const postsPerWeek = 20

var sentences = []string{
	"Our team published the new open data interface today.",
	"Three things I learnt at the conference in Tampere this week:",
	"How do you measure the impact of research on policy?",
	"Great discussion with colleagues from the ministry about procurement.",
	"We are hiring two data engineers – come and work with us!",
	"Here is a short thread on what the new regulation means for small firms.",
	"Kiitos kaikille, jotka osallistuivat eilen webinaariimme!",
	"Uusi raporttimme kertoo, miten tekoäly muuttaa asiantuntijatyötä.",
	"A reminder that the call for papers closes on Friday.",
	"I disagree with the framing of this article; the numbers tell another story.",
	"Photos and slides from the workshop are now online.",
	"Which tools do you use to plan your week? Curious to hear.",
}

var hashtags = []string{"#opendata", "#research", "#tekoäly", "#policy", "#hiring", "#kaiku"}

// makePosts makes n varied, realistic posts, one every step from start.
func makePosts(n int, start time.Time, step time.Duration) []planner.Post {
	r := rand.New(rand.NewPCG(1, 2))
	statuses := []planner.Status{planner.StatusPublished, planner.StatusPublished, planner.StatusPublished,
		planner.StatusScheduled, planner.StatusDraft, planner.StatusFailed}
	posts := make([]planner.Post, n)
	for i := range posts {
		var text strings.Builder
		for range 2 + r.IntN(4) {
			text.WriteString(sentences[r.IntN(len(sentences))])
			text.WriteByte(' ')
		}
		text.WriteString(hashtags[r.IntN(len(hashtags))])
		at := start.Add(time.Duration(i) * step)
		st := statuses[r.IntN(len(statuses))]
		p := planner.Post{
			ID:      planner.NewID(),
			Text:    text.String(),
			Purpose: planner.Purposes()[r.IntN(3)],
			Role:    planner.Roles()[r.IntN(6)],
			Targets: []planner.Target{{AccountID: "acct1", Network: planner.NetworkX}, {Network: planner.NetworkLinkedIn}},
			Time:    at,
			Status:  st,
			Created: at.Add(-48 * time.Hour),
			Updated: at.Add(-time.Hour),
		}
		if st == planner.StatusPublished {
			p.Results = []planner.PublishResult{{
				AccountID: "acct1", Network: planner.NetworkX, RemoteID: strconv.Itoa(1e15 + i),
				URL: "https://x.com/expert/status/" + strconv.Itoa(1e15+i), At: at,
			}}
		}
		posts[i] = p
	}
	return posts
}

// bulkSavePosts writes new posts and their index entries fast, for setting up
// benchmarks; it trusts the posts are valid and not yet stored.
func bulkSavePosts(tb testing.TB, s *Store, posts []planner.Post) {
	tb.Helper()
	if err := bulkSave(s, posts); err != nil {
		tb.Fatal(err)
	}
}

func bulkSave(s *Store, posts []planner.Post) error {
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, p := range posts {
		val, err := postValue(p)
		if err != nil {
			return err
		}
		if err := wb.Set(postKey(p.ID), val); err != nil {
			return err
		}
		for _, k := range postIndexKeys(p) {
			if err := wb.Set(k, nil); err != nil {
				return err
			}
		}
	}
	return wb.Flush()
}

// dirSize sums the folder's file sizes as listed, and as allocated on disk
// (sparse, preallocated files differ).
func dirSize(tb testing.TB, dir string) (listed, allocated int64) {
	tb.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		listed += info.Size()
		allocated += allocatedSize(info)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return listed, allocated
}

// heapInUse is the live heap after the collector has settled.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// residentSize is the process's RSS where the system tells it (Linux).
func residentSize() (uint64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func openBench(b *testing.B, dir string) *Store {
	b.Helper()
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// store100k builds a settled store of 100,000 posts, 20 a week, once per
// benchmark run, and returns its folder and the size listed on disk.
var store100k = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "kaiku-bench-100k-")
	if err != nil {
		return "", err
	}
	sharedTempDirs = append(sharedTempDirs, dir)
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		return "", err
	}
	if err := bulkSave(s, makePosts(n100k, benchStart, week/postsPerWeek)); err != nil {
		s.Close()
		return "", err
	}
	// Measure a settled store, as years of use leave it, not one mid-compaction.
	if err := s.db.Flatten(2); err != nil {
		s.Close()
		return "", err
	}
	return dir, s.Close()
})

const n100k = 100_000

// sharedTempDirs outlive one benchmark; TestMain removes them.
var sharedTempDirs []string

func open100k(b *testing.B) string {
	b.Helper()
	dir, err := store100k()
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkOpen100k opens and closes a store of 100,000 posts: the store's
// share of an app start after years of use.
func BenchmarkOpen100k(b *testing.B) {
	dir := open100k(b)
	listed, _ := dirSize(b, dir)
	// A start after years of use: the tables were checked by an earlier one
	// (BenchmarkVerifyTables100k measures the check of them all).
	openBench(b, dir).Close()
	b.ReportAllocs()
	for b.Loop() {
		s := openBench(b, dir)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(mb(listed), "MB-disk")
}

// BenchmarkWeekOutOf100k reads one week (20 posts) from a store of 100,000:
// the week calendar's query.
func BenchmarkWeekOutOf100k(b *testing.B) {
	ctx := context.Background()
	s := openBench(b, open100k(b))
	defer s.Close()

	from := benchStart.Add(n100k / postsPerWeek / 2 * week)
	to := from.Add(week)
	b.ReportAllocs()
	for b.Loop() {
		posts, err := s.PostsBetween(ctx, from, to)
		if err != nil {
			b.Fatal(err)
		}
		if len(posts) != postsPerWeek {
			b.Fatalf("got %d posts, want %d", len(posts), postsPerWeek)
		}
	}
}

// BenchmarkSavePost edits a post in a store of 1,000, moving it in time so
// its index entries change; every save is synced to disk.
func BenchmarkSavePost(b *testing.B) {
	ctx := context.Background()
	s := openBench(b, b.TempDir())
	defer s.Close()
	posts := makePosts(1000, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), week/postsPerWeek)
	bulkSavePosts(b, s, posts)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := posts[i%len(posts)]
		p.Time = p.Time.Add(time.Duration(i%7+1) * time.Hour)
		p.Text = fmt.Sprintf("%s (edit %d)", p.Text, i)
		if err := s.SavePost(ctx, p); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkStore10k measures a realistic store: 10,000 posts written one
// SavePost at a time. ns/op is an app start's store work: open, read a week,
// close. MB-disk is the folder after closing (MB-disk-alloc: the blocks it
// takes); MB-heap and MB-rss are what opening the store and reading a week,
// the scheduled posts and the ideas add to a fresh process.
func BenchmarkStore10k(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	s := openBench(b, dir)
	began := time.Now()
	for _, p := range store10kPosts() {
		if err := s.SavePost(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	writing := time.Since(began)
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	listed, allocated := dirSize(b, dir)

	from, to := store10kWeek()
	for b.Loop() {
		s := openBench(b, dir)
		if _, err := s.PostsBetween(ctx, from, to); err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}

	// A child process, so that nothing this one did before counts.
	out, err := childProcess(b, "measure", dir).Output()
	if err != nil {
		b.Fatalf("measuring child: %v: %s", err, out)
	}
	var m memoryUse
	if err := json.Unmarshal(out, &m); err != nil {
		b.Fatalf("measuring child said %q: %v", out, err)
	}
	b.ReportMetric(mb(listed), "MB-disk")
	b.ReportMetric(mb(allocated), "MB-disk-alloc")
	b.ReportMetric(mb(int64(m.HeapAfter)-int64(m.HeapBefore)), "MB-heap")
	if m.RSSAfter > 0 {
		b.ReportMetric(mb(int64(m.RSSAfter)-int64(m.RSSBefore)), "MB-rss")
	}
	b.ReportMetric(float64(writing.Microseconds())/float64(store10k), "µs/save")
	b.Logf("fresh process: heap in use %.1f MB -> %.1f MB, RSS %.1f MB -> %.1f MB",
		mb(int64(m.HeapBefore)), mb(int64(m.HeapAfter)), mb(int64(m.RSSBefore)), mb(int64(m.RSSAfter)))
}

const store10k = 10_000

// store10kPosts are a few years of a busy expert's posts, with some ideas.
func store10kPosts() []planner.Post {
	posts := makePosts(store10k, benchStart, week/postsPerWeek)
	for i := 0; i < store10k; i += 50 {
		posts[i].Time, posts[i].Status = time.Time{}, planner.StatusIdea
	}
	return posts
}

// store10kWeek is a full week in the middle of store10kPosts.
func store10kWeek() (time.Time, time.Time) {
	from := benchStart.Add(store10k / postsPerWeek / 2 * week)
	return from, from.Add(week)
}

// memoryUse is what the measuring child reports.
type memoryUse struct {
	HeapBefore, HeapAfter uint64
	RSSBefore, RSSAfter   uint64
}

// measureChild opens dir, reads as the app does at start and prints memoryUse.
func measureChild(dir string) error {
	ctx := context.Background()
	var m memoryUse
	m.HeapBefore = heapInUse()
	m.RSSBefore, _ = residentSize()
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		return err
	}
	defer s.Close()
	from, to := store10kWeek()
	if _, err := s.PostsBetween(ctx, from, to); err != nil {
		return err
	}
	if _, err := s.PostsWithStatus(ctx, planner.StatusScheduled); err != nil {
		return err
	}
	if _, err := s.UndatedPosts(ctx); err != nil {
		return err
	}
	m.HeapAfter = heapInUse()
	m.RSSAfter, _ = residentSize()
	return json.NewEncoder(os.Stdout).Encode(m)
}

// BenchmarkVerifyTables100k checks every table of a store of 100,000 posts
// against its checksums, as Open does before Badger opens the tables.
func BenchmarkVerifyTables100k(b *testing.B) {
	dir := open100k(b)
	opt := badgerOptions(dir, quietLogger())
	b.ReportAllocs()
	for b.Loop() {
		os.Remove(filepath.Join(dir, verifiedName)) // as if every table were new
		if err := verifyTables(dir, opt, quietLogger()); err != nil {
			b.Fatal(err)
		}
	}
}
