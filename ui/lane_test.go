package ui

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// TestWritesGoInOrderAndReadsSeeThem: writes run one at a time in the order
// they were asked for, off the caller's goroutine, and work started in the
// background after them waits until they are done; work started before a
// write does not wait for it.
func TestWritesGoInOrderAndReadsSeeThem(t *testing.T) {
	d := &Deps{writes: newLane()}
	var mu sync.Mutex
	var done []int
	record := func(i int) {
		mu.Lock()
		defer mu.Unlock()
		done = append(done, i)
	}
	release := make(chan struct{})
	var early sync.WaitGroup
	early.Add(1)
	d.background(func() { defer early.Done(); record(0) }) // asked before any write
	early.Wait()
	d.write(func() { <-release; record(1) })
	d.write(func() { record(2) })
	seen := make(chan []int, 1)
	d.background(func() {
		mu.Lock()
		defer mu.Unlock()
		seen <- slices.Clone(done)
	})
	select {
	case got := <-seen:
		t.Fatalf("a read ran before the writes asked before it: it saw %v", got)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if got := <-seen; !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("the read saw %v, want [0 1 2]", got)
	}
	d.write(func() { time.Sleep(20 * time.Millisecond); record(3) })
	d.writes.flush()
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(done, []int{0, 1, 2, 3}) {
		t.Errorf("after flush: %v", done)
	}
}
