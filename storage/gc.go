package storage

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/sirupsen/logrus"
)

// The value-log GC schedule. Values under the value threshold live in the LSM
// tree, where compaction reclaims old versions; images and the rare large
// post reach the value log, whose files Badger frees only when asked.
const (
	gcFirst = 30 * time.Second // once the app has settled after start
	gcEvery = 10 * time.Minute
	// gcDiscardRatio rewrites a value-log file when half of it is garbage,
	// Badger's advice: at most twice the writes over a value's lifetime.
	gcDiscardRatio = 0.5
	// gcCloseRounds bounds the work Close does, so closing the window stays quick.
	gcCloseRounds = 4
)

// collector runs the value-log GC in the background until stopped, after
// removing the images no post names any more, whose bytes the GC then frees.
type collector struct {
	db     *badger.DB
	sweep  func()      // may be nil
	writes sync.Locker // held while a file is rewritten, see Store.writes
	log    logrus.FieldLogger
	quit   chan struct{}
	done   chan struct{}
	once   sync.Once
	// passes counts finished GC passes, for tests.
	passes atomic.Int64
}

// startCollector starts the GC: first after first, then every every (0: the defaults).
func startCollector(db *badger.DB, writes sync.Locker, log logrus.FieldLogger, first, every time.Duration, sweep func()) *collector {
	if first <= 0 {
		first = gcFirst
	}
	if every <= 0 {
		every = gcEvery
	}
	c := &collector{db: db, sweep: sweep, writes: writes, log: log, quit: make(chan struct{}), done: make(chan struct{})}
	go c.loop(first, every)
	return c
}

func (c *collector) loop(first, every time.Duration) {
	defer close(c.done)
	t := time.NewTimer(first)
	defer t.Stop()
	for {
		select {
		case <-c.quit:
			return
		case <-t.C:
		}
		if c.sweep != nil {
			c.sweep()
		}
		collectValueLog(c.db, c.log, c.quit, c.writes, 0)
		c.passes.Add(1)
		t.Reset(every)
	}
}

// stop ends the collector and waits for a pass in progress; calling it again is harmless.
func (c *collector) stop() {
	c.once.Do(func() { close(c.quit) })
	<-c.done
}

// collectValueLog rewrites value-log files while one is at least half
// garbage, until Badger finds none, quit closes or, when limit > 0, after
// limit files. It holds writes (when not nil) one file at a time, so a save
// waits for one rewrite at most. It returns how many files it rewrote.
func collectValueLog(db *badger.DB, log logrus.FieldLogger, quit <-chan struct{}, writes sync.Locker, limit int) int {
	n := 0
	for limit <= 0 || n < limit {
		select {
		case <-quit:
			return n
		default:
		}
		if writes != nil {
			writes.Lock()
		}
		err := db.RunValueLogGC(gcDiscardRatio)
		if writes != nil {
			writes.Unlock()
		}
		if err != nil {
			// ErrNoRewrite: nothing worth rewriting; ErrRejected: another pass got there first.
			if !errors.Is(err, badger.ErrNoRewrite) && !errors.Is(err, badger.ErrRejected) {
				log.WithError(err).Warn("value-log garbage collection failed")
			}
			break
		}
		n++
	}
	if n > 0 {
		log.WithField("files", n).Debug("rewrote value-log files")
	}
	return n
}

// collectOnClose gives the value log one bounded pass before the database
// closes, on what compactions found since the last pass. Close holds mu, so
// no write is in flight.
func (s *Store) collectOnClose() {
	collectValueLog(s.db, s.log, nil, nil, gcCloseRounds)
}
