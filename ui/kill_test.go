package ui

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

// TestMain lets the test binary act as a composer that is killed mid-edit.
func TestMain(m *testing.M) {
	if dir := os.Getenv("KAIKU_TYPING_CHILD"); dir != "" {
		typeUntilKilled(dir)
		return
	}
	os.Exit(m.Run())
}

// typeUntilKilled types into a real composer, with real timers, one word at
// a time, and reports on stdout each word once it is typed ("typed word7")
// and each save once the store has it on disk ("saved 7": the words the
// saved post holds).
func typeUntilKilled(dir string) {
	a := test.NewApp()
	log := logrus.New()
	st, err := storage.Open(dir, storage.Options{Logger: log})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	// The test driver has no UI goroutine: one lock stands in for it, shared
	// by the typing below and the autosave timer.
	var ui sync.Mutex
	onUI := func(f func()) { ui.Lock(); defer ui.Unlock(); f() }
	d := &Deps{Store: reportingStore{st}, Log: log, Loc: helsinki, Now: time.Now, Lang: "en", AutosaveDelay: 100 * time.Millisecond,
		Do: onUI}
	var w *Window
	onUI(func() { w = NewWindow(a, d) })
	for i := 0; ; i++ {
		word := fmt.Sprintf("word%d ", i)
		onUI(func() { test.Type(w.Composer().text, word) })
		fmt.Println("typed", word)
		time.Sleep(20 * time.Millisecond)
	}
}

// reportingStore tells on stdout of every post it has saved.
type reportingStore struct{ *storage.Store }

func (s reportingStore) SavePost(ctx context.Context, p planner.Post) error {
	err := s.Store.SavePost(ctx, p)
	if err == nil {
		fmt.Println("saved", len(strings.Fields(p.Text)))
	}
	return err
}

func (s reportingStore) UpdatePost(ctx context.Context, id string, change func(*planner.Post) error) (planner.Post, error) {
	p, err := s.Store.UpdatePost(ctx, id, change)
	if err == nil {
		fmt.Println("saved", len(strings.Fields(p.Text)))
	}
	return p, err
}

// TestKilledMidEditKeepsTyping kills a composer while its user types and
// checks that the draft on disk holds every word of the last save the store
// acknowledged, after the composer saved again and again without a pause in
// the typing. It waits for those saves, never for a time, so a slow machine
// makes it slower, not wrong.
func TestKilledMidEditKeepsTyping(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "KAIKU_TYPING_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	typed, saves, acknowledged := 0, 0, 0
	for (typed < 40 || saves < 3) && lines.Scan() {
		var n int
		switch line := lines.Text(); {
		case strings.HasPrefix(line, "typed "):
			typed++
		case strings.HasPrefix(line, "saved "):
			if _, err := fmt.Sscan(strings.TrimPrefix(line, "saved "), &n); err == nil {
				saves++
				acknowledged = max(acknowledged, n)
			}
		}
	}
	killedAt := time.Now()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if typed < 40 || saves < 3 {
		t.Fatalf("the child typed %d words and saved %d times", typed, saves)
	}

	st, err := storage.Open(dir, storage.Options{Logger: logrus.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	undated, err := st.UndatedPosts(context.Background())
	if err != nil || len(undated) != 1 {
		t.Fatalf("after the kill: %d drafts, %v", len(undated), err)
	}
	p := undated[0]
	if p.Status != planner.StatusDraft {
		t.Errorf("status %s", p.Status)
	}
	var saved int
	for i := 0; ; i++ {
		if !contains(p.Text, fmt.Sprintf("word%d ", i)) && !strings.HasSuffix(p.Text, fmt.Sprintf("word%d", i)) {
			break
		}
		saved = i + 1
	}
	t.Logf("typed %d words, saved %d times, %d words acknowledged, %d on disk after SIGKILL at %s", typed, saves, acknowledged, saved, killedAt.Format(time.StampMilli))
	if saved < acknowledged {
		t.Errorf("only %d words on disk, but a save of %d was acknowledged", saved, acknowledged)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
