package cmd

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

// fakeSaver counts the saves before the exit and the waits for the disk.
type fakeSaver struct{ saves, waits atomic.Int32 }

func (f *fakeSaver) SaveBeforeExit() { f.saves.Add(1) }
func (f *fakeSaver) WaitForWrites()  { f.waits.Add(1) }

func quietLog() logrus.FieldLogger {
	l := logrus.New()
	l.SetLevel(logrus.PanicLevel)
	return l
}

// A quit whose loop ends in time saves once, tells second starts it is
// quitting, and never exits on its own.
func TestQuitWhoseLoopEndsSavesOnce(t *testing.T) {
	var s fakeSaver
	var told, exited atomic.Int32
	q := &quitGuard{w: &s, log: quietLog(), quitting: func() { told.Add(1) }, wait: time.Hour,
		exit: func(int) { exited.Add(1) }}
	q.begin()
	q.begin() // the window's quit and the signal both begin it
	q.loopEnded()
	if s.saves.Load() != 1 || s.waits.Load() != 1 {
		t.Errorf("%d saves, %d waits for the disk; want 1 and 1", s.saves.Load(), s.waits.Load())
	}
	if told.Load() != 1 || exited.Load() != 0 {
		t.Errorf("told second starts %d times, exited %d times; want 1 and 0", told.Load(), exited.Load())
	}
}

// Fyne's own quit on SIGTERM ends the loop before Kaiku's begins: the end
// of the loop saves all the same.
func TestLoopEndedByFyneSaves(t *testing.T) {
	var s fakeSaver
	q := &quitGuard{w: &s, log: quietLog(), wait: time.Hour, exit: func(int) { t.Error("exited") }}
	q.loopEnded()
	q.begin() // too late to arm anything
	if s.saves.Load() != 1 {
		t.Errorf("%d saves, want 1", s.saves.Load())
	}
}

// A loop that never ends: the fallback saves, waits for the disk and exits.
func TestQuitWhoseLoopHangsSavesAndExits(t *testing.T) {
	var s fakeSaver
	exited := make(chan int, 1)
	q := &quitGuard{w: &s, log: quietLog(), wait: time.Millisecond, exit: func(code int) { exited <- code }}
	q.begin()
	if code := <-exited; code != exitOK {
		t.Errorf("exit %d, want %d", code, exitOK)
	}
	if s.saves.Load() != 1 || s.waits.Load() != 1 {
		t.Errorf("%d saves, %d waits for the disk; want 1 and 1", s.saves.Load(), s.waits.Load())
	}
}
