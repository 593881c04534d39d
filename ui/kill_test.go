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
// a time, and reports each word on stdout once it is typed.
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
	d := &Deps{Store: st, Log: log, Loc: helsinki, Now: time.Now, Lang: "en", AutosaveDelay: 100 * time.Millisecond,
		Do: onUI}
	var w *Window
	onUI(func() { w = NewWindow(a, d) })
	for i := 0; ; i++ {
		word := fmt.Sprintf("word%d ", i)
		onUI(func() { test.Type(w.Composer().text, word) })
		fmt.Println(word)
		time.Sleep(20 * time.Millisecond)
	}
}

// TestKilledMidEditKeepsTyping kills a composer while its user types and
// checks that the draft on disk holds all but the last moments of typing.
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
	typed := 0
	for typed < 40 && lines.Scan() {
		typed++
	}
	killedAt := time.Now()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if typed < 40 {
		t.Fatalf("the child typed only %d words", typed)
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
	// At most the words of one autosave period (100 ms at 20 ms a word, with
	// slack for a loaded machine) may be lost; the rest must be on disk.
	var saved int
	for i := 0; ; i++ {
		if !contains(p.Text, fmt.Sprintf("word%d ", i)) {
			break
		}
		saved = i + 1
	}
	t.Logf("typed %d words, %d on disk after SIGKILL at %s", typed, saved, killedAt.Format(time.StampMilli))
	if saved == 0 || saved < typed/2 {
		t.Errorf("only %d of %d typed words survived", saved, typed)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
