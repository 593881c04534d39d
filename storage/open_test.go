package storage

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
)

func TestOpenLockedInSameProcess(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openAt(t, dir)

	_, err := Open(dir, Options{Logger: quietLogger()})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
	var le *LockedError
	if !errors.As(err, &le) || le.Dir != dir {
		t.Fatalf("second Open: err = %#v, want a *LockedError for %s", err, dir)
	}
	if want := "Kaiku is already open on " + dir; err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
	// The failed Open must not disturb the first.
	ctx := context.Background()
	if err := s.SaveGoal(ctx, planner.Goal{ID: "g", Title: "Still here"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openAt(t, dir)
	if _, err := s2.Goal(ctx, "g"); err != nil {
		t.Errorf("after the lock was released: %v", err)
	}
}

// childProcess runs this test binary as a second Kaiku on dir.
func childProcess(t testing.TB, mode, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, childDirEnv+"="+dir)
	return cmd
}

func TestOpenLockedByAnotherProcess(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openAt(t, dir)

	out, err := childProcess(t, "open", dir).Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("child: err = %v, output %q; want exit status 3 (ErrLocked)", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "Kaiku is already open on "+dir; got != want {
		t.Errorf("child said %q, want %q", got, want)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if out, err := childProcess(t, "open", dir).Output(); err != nil {
		t.Errorf("child after Close: %v, output %q", err, out)
	}
}

// TestSaveSurvivesKill: a Save that returned nil is there after the process
// is killed without closing the store.
func TestSaveSurvivesKill(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd := childProcess(t, "save-then-hang", dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "saved\n" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("child said %q, %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	s := openAt(t, dir)
	ctx := context.Background()
	p, err := s.Post(ctx, "survivor")
	if err != nil {
		t.Fatalf("after the kill: %v", err)
	}
	if got, err := s.PostsBetween(ctx, p.Time, p.Time.Add(time.Second)); err != nil || len(got) != 1 {
		t.Errorf("time index after the kill = %v, %v", ids(got), err)
	}
}

// snapshot records every file under dir with its mode and content, to show
// that Open left a folder alone.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		desc := info.Mode().String() + " " + info.ModTime().String()
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			desc += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		files[rel] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestOpenForeignFolder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T) string // returns the folder to open
	}{
		{"someone's documents", func(t *testing.T) string {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "thesis.txt"), []byte("Chapter 1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
		{"a folder with a sub-folder", func(t *testing.T) string {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "photos"), 0o755); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
		{"another program's Badger database", func(t *testing.T) string {
			dir := t.TempDir()
			db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(func(txn *badger.Txn) error { return txn.Set([]byte("k"), []byte("v")) }); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
		{"a Kaiku log beside someone's file", func(t *testing.T) string {
			dir := t.TempDir()
			for _, name := range []string{"kaiku.log", "notes.md"} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			return dir
		}},
		{"a file, not a folder", func(t *testing.T) string {
			path := filepath.Join(t.TempDir(), "data")
			if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			return path
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.setup(t)
			parent := filepath.Dir(dir)
			before := snapshot(t, parent)

			s, err := Open(dir, Options{Logger: quietLogger()})
			if err == nil {
				s.Close()
				t.Fatal("Open worked")
			}
			if !errors.Is(err, ErrForeign) {
				t.Fatalf("err = %v, want ErrForeign", err)
			}
			var fe *ForeignError
			if !errors.As(err, &fe) || fe.Dir != dir {
				t.Fatalf("err = %#v, want a *ForeignError for %s", err, dir)
			}
			want := dir + " is not a Kaiku data folder; choose an empty folder or an existing Kaiku data folder"
			if err.Error() != want {
				t.Errorf("message = %q, want %q", err, want)
			}
			if after := snapshot(t, parent); !reflect.DeepEqual(after, before) {
				t.Errorf("Open changed the folder:\nbefore %q\nafter  %q", before, after)
			}
		})
	}
}

func TestOpenFolderWithKaikusOwnFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files []string
	}{
		{"empty", nil},
		{"log and secrets", []string{"kaiku.log", "kaiku.log.1", "secrets.json"}},
		{"a file manager's litter", []string{".DS_Store"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, name := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(name+" content"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			s := openAt(t, dir)
			if err := s.SaveGoal(context.Background(), planner.Goal{ID: "g", Title: "T"}); err != nil {
				t.Fatal(err)
			}
			for _, name := range append(tc.files, markerName) {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if name != markerName && string(b) != name+" content" {
					t.Errorf("%s changed to %q", name, b)
				}
			}
		})
	}
}

func TestOpenCreatesMissingFolder(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "kaiku", "db")
	s := openAt(t, dir)
	if err := s.SaveGoal(context.Background(), planner.Goal{ID: "g", Title: "T"}); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		t.Errorf("new folder's mode = %v, want it private", perm)
	}
	if _, err := os.Stat(filepath.Join(dir, markerName)); err != nil {
		t.Errorf("no marker: %v", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	val, _ := encode(len(migrations) + 5)
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte(keySchema), val) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	_, err = Open(dir, Options{Logger: quietLogger()})
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	var se *SchemaError
	if !errors.As(err, &se) || se.Dir != dir || se.Found != len(migrations)+5 || se.Known != len(migrations) {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), "newer Kaiku") {
		t.Errorf("message = %q", err)
	}

	// A build that knows the schema opens it: the refusal released the lock and kept the version.
	newer := make([]migration, len(migrations)+5)
	for i := range newer {
		newer[i] = migration{name: "noop", run: func(*badger.Txn) error { t.Error("a migration ran"); return nil }}
	}
	s, err = open(dir, Options{Logger: quietLogger()}, newer)
	if err != nil {
		t.Fatalf("open by a newer build: %v", err)
	}
	s.Close()
}

func TestMigrationsRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s := openAt(t, dir)
	if err := s.SaveGoal(ctx, planner.Goal{ID: "g", Title: "old title"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	var runs []string
	upper := migration{name: "upper-case goal titles", run: func(txn *badger.Txn) error {
		runs = append(runs, "upper")
		var g planner.Goal
		if err := get(txn, idKey(prefixGoal, "g"), &g); err != nil {
			return err
		}
		g.Title = strings.ToUpper(g.Title)
		val, err := encode(g)
		if err != nil {
			return err
		}
		return txn.Set(idKey(prefixGoal, "g"), val)
	}}
	broken := migration{name: "broken", run: func(txn *badger.Txn) error {
		runs = append(runs, "broken")
		if err := txn.Set([]byte("half/done"), nil); err != nil {
			return err
		}
		return errors.New("disk on fire")
	}}

	migs := append(append([]migration{}, migrations...), upper)
	// upper runs and is kept; broken fails, stops the open and leaves nothing of itself.
	_, err := open(dir, Options{Logger: quietLogger()}, append(migs, broken))
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "(broken)") {
		t.Fatalf("open with a broken migration: err = %v", err)
	}
	if want := []string{"upper", "broken"}; !reflect.DeepEqual(runs, want) {
		t.Fatalf("migrations run: %v, want %v", runs, want)
	}

	s, err = open(dir, Options{Logger: quietLogger()}, migs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if want := []string{"upper", "broken"}; !reflect.DeepEqual(runs, want) {
		t.Errorf("migrations run again: %v", runs)
	}
	if g, err := s.Goal(ctx, "g"); err != nil || g.Title != "OLD TITLE" {
		t.Errorf("goal after migration = %+v, %v", g, err)
	}
	var version int
	err = s.db.View(func(txn *badger.Txn) error {
		if _, err := txn.Get([]byte("half/done")); !errors.Is(err, badger.ErrKeyNotFound) {
			t.Errorf("the failed migration's write is there: %v", err)
		}
		version, err = readSchema(txn)
		return err
	})
	if err != nil || version != len(migs) {
		t.Errorf("schema = %d, %v; want %d", version, err, len(migs))
	}
}

func TestBadgerLogger(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := logrus.New()
	l.SetOutput(&buf)
	l.SetLevel(logrus.DebugLevel)
	bl := newBadgerLogger(l)
	bl.Debugf("debug %d", 1)
	bl.Infof("info %d", 2)
	bl.Warningf("warning %d\n", 3)
	bl.Errorf("error %d", 4)
	out := buf.String()
	for _, want := range []string{`level=warning msg="warning 3" component=badger`, `level=error msg="error 4" component=badger`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "debug 1") || strings.Contains(out, "info 2") {
		t.Errorf("log has Badger's chatter:\n%s", out)
	}
}
