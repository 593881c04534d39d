package ui

import "sync"

// lane runs the window's writes to the store one at a time, off the UI
// goroutine, in the order the user made them. Work in the background that
// is started after a write was asked for waits until that write is done,
// so that a read sees what the user saved and the outbox publishes the text
// as last saved, as if the writes had been made at once.
type lane struct {
	mu      sync.Mutex
	done    sync.Cond // signalled whenever a write finishes
	jobs    []func()
	asked   uint64 // writes asked for so far
	written uint64 // writes finished so far
	running bool
}

func newLane() *lane {
	l := &lane{}
	l.done.L = &l.mu
	return l
}

// write runs f after the writes asked for before it, on a goroutine of the lane's.
func (l *lane) write(f func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.jobs = append(l.jobs, f)
	l.asked++
	if !l.running {
		l.running = true
		go l.run()
	}
}

func (l *lane) run() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.jobs) > 0 {
		f := l.jobs[0]
		l.jobs = l.jobs[1:]
		l.mu.Unlock()
		f()
		l.mu.Lock()
		l.written++
		l.done.Broadcast()
	}
	l.running = false
}

// mark is the number of writes asked for until now; wait(mark) returns
// once they are done.
func (l *lane) mark() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.asked
}

// wait returns once the first n writes are done.
func (l *lane) wait(n uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.written < n {
		l.done.Wait()
	}
}

// flush returns once every write asked for until now is done.
func (l *lane) flush() { l.wait(l.mark()) }
