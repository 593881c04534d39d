package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// backupOf backs s up into memory.
func backupOf(t testing.TB, s *Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Backup(context.Background(), &buf, nil); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	return buf.Bytes()
}

// restoreAt restores b into dir and opens it.
func restoreAt(t testing.TB, dir string, b []byte) *Store {
	t.Helper()
	if err := Restore(context.Background(), dir, bytes.NewReader(b), Options{Logger: quietLogger()}, nil); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	return openAt(t, dir)
}

// entries lists the names in dir.
func entries(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestBackupRestore(t *testing.T) {
	t.Parallel()
	src := openTest(t)
	populate(t, src)
	want, _ := exportOf(t, src)
	wantIndex := indexKeys(t, src)

	var calls [][2]int64
	var buf bytes.Buffer
	if err := src.Backup(context.Background(), &buf, func(done, total int64) { calls = append(calls, [2]int64{done, total}) }); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, fmt.Appendf(nil, "KAIKU-BACKUP\n{\"format\":1,\"schema\":%d,\"created\":\"", len(migrations))) {
		t.Errorf("the backup starts %q", b[:min(len(b), 60)])
	}
	records := int64(keyCount(t, src))
	if len(calls) == 0 || calls[len(calls)-1] != [2]int64{records, records} {
		t.Errorf("progress calls %v, want the last to be {%d %d}", calls, records, records)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i][0] < calls[i-1][0] || calls[i][0] > calls[i][1] {
			t.Errorf("progress went %v then %v", calls[i-1], calls[i])
		}
	}

	parent := t.TempDir()
	empty := filepath.Join(parent, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	// A file manager's leftovers do not make a folder non-empty.
	if err := os.WriteFile(filepath.Join(empty, ".DS_Store"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(parent, "new", "data"), empty} {
		var read []int64
		err := Restore(context.Background(), dir, bytes.NewReader(b), Options{Logger: quietLogger()}, func(n int64) { read = append(read, n) })
		if err != nil {
			t.Fatalf("Restore into %s: %v", dir, err)
		}
		if len(read) == 0 || read[len(read)-1] != int64(len(b)) {
			t.Errorf("restore progress %v, want it to end at %d", read, len(b))
		}
		if _, err := os.Stat(filepath.Join(dir, markerName)); err != nil {
			t.Errorf("restored folder has no marker: %v", err)
		}
		s := openAt(t, dir)
		got, _ := exportOf(t, s)
		sameData(t, got, want)
		if got := indexKeys(t, s); !reflect.DeepEqual(got, wantIndex) {
			t.Errorf("restored index = %q, want %q", got, wantIndex)
		}
		if _, err := s.Post(context.Background(), "gone"); !errors.Is(err, planner.ErrNotFound) {
			t.Errorf("a deleted post came back: %v", err)
		}
		// New saves must win over the restored versions of the same records.
		p := want.Posts[0]
		p.Text = "Edited after the restore"
		if err := s.SavePost(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Post(context.Background(), p.ID); err != nil || got.Text != p.Text {
			t.Errorf("an edit after the restore reads back as %q, %v", got.Text, err)
		}
	}
	if got := entries(t, parent); !reflect.DeepEqual(got, []string{"empty", "new"}) {
		t.Errorf("beside the restored folders: %q", got)
	}
}

// TestRestoreRefusesNonEmpty: a folder with anything in it is left exactly as it was.
func TestRestoreRefusesNonEmpty(t *testing.T) {
	t.Parallel()
	src := openTest(t)
	populate(t, src)
	b := backupOf(t, src)

	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) // makes dir
	}{
		{"a user's file", func(t *testing.T, dir string) {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "thesis.docx"), []byte("years of work"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"a Kaiku data folder", func(t *testing.T, dir string) {
			s, err := Open(dir, Options{Logger: quietLogger()})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SaveGoal(context.Background(), planner.Goal{ID: "mine", Title: "Mine"}); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}},
		{"a file", func(t *testing.T, dir string) {
			if err := os.WriteFile(dir, []byte("not a folder"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			dir := filepath.Join(parent, "data")
			tc.setup(t, dir)
			before := snapshot(t, parent)
			err := Restore(context.Background(), dir, bytes.NewReader(b), Options{Logger: quietLogger()}, nil)
			if !errors.Is(err, ErrNotEmpty) {
				t.Fatalf("err = %v, want ErrNotEmpty", err)
			}
			var ne *NotEmptyError
			if !errors.As(err, &ne) || ne.Dir != dir {
				t.Errorf("err = %#v, want a *NotEmptyError for %s", err, dir)
			}
			if want := dir + " is not empty; restore into a new, empty folder"; err.Error() != want {
				t.Errorf("message = %q, want %q", err, want)
			}
			if after := snapshot(t, parent); !reflect.DeepEqual(after, before) {
				t.Errorf("the refused restore changed %s:\nbefore %v\nafter  %v", parent, before, after)
			}
		})
	}
}

// chunked wraps payload in the backup's chunks, after a header.
func chunked(t testing.TB, header string, payload []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(header)
	cw := &chunkWriter{ctx: context.Background(), w: &buf, buf: make([]byte, 0, 64)}
	if _, err := cw.Write(payload); err != nil {
		t.Fatal(err)
	}
	if err := cw.finish(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRestoreRejectsBadBackups: whatever is wrong with the file, Restore
// says what, does not panic and leaves nothing behind.
func TestRestoreRejectsBadBackups(t *testing.T) {
	t.Parallel()
	src := openTest(t)
	populate(t, src)
	good := backupOf(t, src)
	hdrEnd := bytes.IndexByte(good[len(backupMagic):], '\n') + len(backupMagic) + 1
	const header = "KAIKU-BACKUP\n{\"format\":1,\"schema\":1,\"created\":\"2026-12-01T09:00:00Z\"}\n"
	with := func(f func(b []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		return b
	}
	record := func(n uint64, body string) []byte {
		return append(binary.LittleEndian.AppendUint64(nil, n), body...)
	}

	tests := []struct {
		name   string
		in     []byte
		is     error
		phrase string
	}{
		{"empty", nil, ErrNotBackup, "the file is not a Kaiku backup"},
		{"text", []byte("Dear diary,\nToday I planned my posts.\n"), ErrNotBackup, "the file is not a Kaiku backup"},
		{"cut in the magic", good[:5], ErrNotBackup, "not a Kaiku backup"},
		{"cut in the header", good[:len(backupMagic)+10], ErrDamagedBackup, "it ends inside its header"},
		{"header not JSON", append([]byte("KAIKU-BACKUP\nformat=1\n"), good[hdrEnd:]...), ErrDamagedBackup, "its header cannot be read"},
		{"header without format", append([]byte("KAIKU-BACKUP\n{}\n"), good[hdrEnd:]...), ErrDamagedBackup, "names no format"},
		{"endless header", append([]byte("KAIKU-BACKUP\n"), bytes.Repeat([]byte("x"), 100<<10)...), ErrDamagedBackup, "its header is too long"},
		{"newer format", append([]byte("KAIKU-BACKUP\n{\"format\":2,\"schema\":1}\n"), good[hdrEnd:]...), ErrNewerBackup,
			"the file was made by a newer Kaiku (backup format 2, this Kaiku reads up to 1); update Kaiku to restore it"},
		{"newer schema", append([]byte("KAIKU-BACKUP\n{\"format\":1,\"schema\":99}\n"), good[hdrEnd:]...), ErrNewerBackup, "data schema 99"},
		{"cut after the header", good[:hdrEnd], ErrDamagedBackup, "it ends early"},
		{"cut in a chunk", good[:hdrEnd+(len(good)-hdrEnd)/2], ErrDamagedBackup, "it ends early"},
		{"cut before the end mark", good[:len(good)-8], ErrDamagedBackup, "it ends early"},
		{"cut in the end mark", good[:len(good)-3], ErrDamagedBackup, "it ends early"},
		{"flipped bit", with(func(b []byte) { b[hdrEnd+(len(b)-hdrEnd)/2] ^= 0x10 }), ErrDamagedBackup, "a block fails its checksum"},
		{"huge chunk", with(func(b []byte) { b[hdrEnd+3] = 0x7f }), ErrDamagedBackup, "a block claims"},
		{"wrong total", with(func(b []byte) { b[len(b)-1] ^= 1 }), ErrDamagedBackup, "its checksum does not match"},
		{"trailing bytes", append(bytes.Clone(good), 0), ErrDamagedBackup, "something follows its end"},
		{"two backups", append(bytes.Clone(good), good...), ErrDamagedBackup, "something follows its end"},
		{"huge record", chunked(t, header, record(1<<40, "x")), ErrDamagedBackup, "a record claims 1099511627776 bytes"},
		{"cut record", chunked(t, header, record(100, "short")), ErrDamagedBackup, "it ends inside a record"},
		{"garbage record", chunked(t, header, record(12, "not protobuf")), ErrDamagedBackup, "its records cannot be read"},
		{"no records", chunked(t, header, nil), ErrDamagedBackup, "it holds data schema 0, its header says 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			// Folders Restore makes on the way go again too.
			dir := filepath.Join(parent, "new", "data")
			err := Restore(context.Background(), dir, bytes.NewReader(tc.in), Options{Logger: quietLogger()}, nil)
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			var be *BackupError
			if !errors.As(err, &be) {
				t.Errorf("err = %#v, want a *BackupError", err)
			}
			if !strings.Contains(err.Error(), tc.phrase) {
				t.Errorf("message %q does not say %q", err, tc.phrase)
			}
			if got := entries(t, parent); len(got) != 0 {
				t.Errorf("a failed restore left %q", got)
			}
		})
	}
}

// TestRestoreNamesTheFile: the message names the file it was given.
func TestRestoreNamesTheFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "holiday.jpg")
	if err := os.WriteFile(path, []byte("\xff\xd8\xff\xe0 a photo"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = Restore(context.Background(), filepath.Join(t.TempDir(), "data"), f, Options{Logger: quietLogger()}, nil)
	if want := path + " is not a Kaiku backup"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

// TestBackupWhileWriting backs up a store that other goroutines keep
// changing: each backup is one moment, so every post comes back with exactly
// its index entries, and the posts never touched all come back. (Badger's
// stream splits the keys into ranges and, given several goroutines, reads
// each range in its own transaction; this test then fails within a few
// backups.)
func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	posts := makePosts(600, at(2026, 1, 5, 9, 0), time.Hour)
	bulkSavePosts(t, s, posts)
	// Reopened, the posts are in a table, which the stream splits into ranges.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, dir)

	const writers, untouched = 2, 100
	stop := make(chan struct{})
	var edits atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				// Each writer its own posts, which move, change status, go and come back.
				p := posts[untouched+w+writers*(i%((len(posts)-untouched)/writers))]
				p.Time = p.Time.Add(time.Duration(i%48) * time.Hour)
				p.Status = []planner.Status{planner.StatusDraft, planner.StatusScheduled, planner.StatusIdea}[i%3]
				if p.Status == planner.StatusIdea && i%2 == 0 {
					p.Time = time.Time{}
				}
				var err error
				if i%7 == 0 {
					if err = s.DeletePost(ctx, p.ID); errors.Is(err, planner.ErrNotFound) {
						err = nil
					}
				} else {
					err = s.SavePost(ctx, p)
				}
				if err != nil {
					t.Errorf("edit %d: %v", i, err)
					return
				}
				edits.Add(1)
			}
		})
	}
	n := 8
	if raceDetector {
		n = 2 // here to find races between backup and writes, not to catch the split
	}
	var backups [][]byte
	for range n {
		backups = append(backups, backupOf(t, s))
	}
	close(stop)
	wg.Wait()
	t.Logf("%d edits during %d backups", edits.Load(), len(backups))

	for i, b := range backups {
		r := restoreAt(t, filepath.Join(t.TempDir(), "data"), b)
		checkIndex(t, r)
		for _, p := range posts[:untouched] {
			if got, err := r.Post(ctx, p.ID); err != nil || got.Text != p.Text {
				t.Fatalf("backup %d: untouched post %s: %v", i, p.ID, err)
			}
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// cancelAfter cancels its context once n bytes have been read.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n -= n; c.n <= 0 {
		c.cancel()
	}
	return n, err
}

func TestBackupRestoreCanceled(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	bulkSavePosts(t, s, makePosts(1000, at(2026, 1, 5, 9, 0), time.Hour))
	b := backupOf(t, s)
	if len(b) < 2*chunkSize {
		t.Fatalf("the backup is %d bytes, too small to cancel midway", len(b))
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Backup(ctx, io.Discard, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Backup with a canceled context: err = %v", err)
	}
	// Canceled once the stream is under way.
	ctx, cancel = context.WithCancel(context.Background())
	var w bytes.Buffer
	err := s.Backup(ctx, writerFunc(func(p []byte) (int, error) {
		if w.Len() > 1000 {
			cancel()
		}
		return w.Write(p)
	}), nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Backup canceled midway: err = %v", err)
	}

	parent := t.TempDir()
	ctx, cancel = context.WithCancel(context.Background())
	err = Restore(ctx, filepath.Join(parent, "data"), &cancelAfter{r: bytes.NewReader(b), n: len(b) / 2, cancel: cancel}, Options{Logger: quietLogger()}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Restore canceled midway: err = %v", err)
	}
	if got := entries(t, parent); len(got) != 0 {
		t.Errorf("a canceled restore left %q", got)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestBackupClosedStore(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir(), Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(context.Background(), io.Discard, nil); err == nil {
		t.Error("Backup of a closed store worked")
	}
}

// BenchmarkBackup10k backs up and restores a store of 10,000 posts.
func BenchmarkBackup10k(b *testing.B) {
	ctx := context.Background()
	s := openBench(b, b.TempDir())
	defer s.Close()
	bulkSavePosts(b, s, store10kPosts())
	var size int64
	b.ReportAllocs()
	for b.Loop() {
		var n countingWriter
		if err := s.Backup(ctx, &n, nil); err != nil {
			b.Fatal(err)
		}
		size = int64(n)
	}
	b.ReportMetric(mb(size), "MB-backup")
}

// BenchmarkRestore10k restores a backup of 10,000 posts into a new folder.
func BenchmarkRestore10k(b *testing.B) {
	ctx := context.Background()
	s := openBench(b, b.TempDir())
	bulkSavePosts(b, s, store10kPosts())
	var buf bytes.Buffer
	if err := s.Backup(ctx, &buf, nil); err != nil {
		b.Fatal(err)
	}
	s.Close()
	parent := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		if err := Restore(ctx, filepath.Join(parent, fmt.Sprint(i)), bytes.NewReader(buf.Bytes()), Options{Logger: quietLogger()}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(mb(int64(buf.Len())), "MB-backup")
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
