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
	// Reports how many words are on disk whenever that grows, so that the
	// test knows what was saved before the kill, however slow the machine.
	go func() {
		onDisk := 0
		for {
			time.Sleep(5 * time.Millisecond)
			undated, err := st.UndatedPosts(context.Background())
			if err != nil || len(undated) != 1 {
				continue
			}
			if n := wordsIn(undated[0].Text); n > onDisk {
				onDisk = n
				fmt.Printf("ondisk %d\n", n)
			}
		}
	}()
	for i := 0; ; i++ {
		word := fmt.Sprintf("word%d ", i)
		onUI(func() { test.Type(w.Composer().text, word) })
		fmt.Println("typed")
		time.Sleep(20 * time.Millisecond)
	}
}

// wordsIn counts the words typed, in order, at the start of text: word0
// word1 … A text typed out of order (a reload that moved the cursor) counts
// only up to the first word out of place.
func wordsIn(text string) int {
	n := 0
	for {
		w := fmt.Sprintf("word%d ", n)
		if !strings.HasPrefix(text, w) {
			return n
		}
		text = text[len(w):]
		n++
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
	// Kill once 40 words are typed and some autosaves are known to be on
	// disk: what was on disk then must survive the kill.
	lines := bufio.NewScanner(out)
	typed, onDisk := 0, 0
	for (typed < 40 || onDisk < 10) && lines.Scan() {
		if n, ok := strings.CutPrefix(lines.Text(), "ondisk "); ok {
			fmt.Sscan(n, &onDisk)
		} else {
			typed++
		}
	}
	killedAt := time.Now()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if typed < 40 || onDisk < 10 {
		t.Fatalf("the child stopped early: %d words typed, %d on disk", typed, onDisk)
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
	saved := wordsIn(p.Text)
	t.Logf("typed %d words, %d seen on disk before SIGKILL at %s, %d after", typed, onDisk, killedAt.Format(time.StampMilli), saved)
	if saved < onDisk {
		t.Errorf("%d words were on disk before the kill, only %d after", onDisk, saved)
	}
}
