// Package storage keeps Kaiku's data in a Badger database in one folder on the
// user's machine. It implements planner.Store: typed, prefixed keys, values
// that are a version byte and JSON, time and status indexes for posts that
// change in the same transaction as the post, and schema migrations on open.
package storage

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
)

var _ planner.Store = (*Store)(nil)

// Options tune Open.
type Options struct {
	// Logger receives the store's and Badger's warnings and errors; nil uses
	// logrus's standard logger.
	Logger logrus.FieldLogger

	// gcFirst and gcEvery override the value-log GC schedule in tests; 0 keeps the default.
	gcFirst, gcEvery time.Duration
	// freeSpace overrides how the free space on the disk is found, in tests.
	freeSpace func(dir string) (uint64, error)
}

// Store is Kaiku's data folder, open. Its methods are safe for concurrent use.
type Store struct {
	db        *badger.DB
	dir       string
	log       logrus.FieldLogger
	lock      folderLock // nil where Badger's own lock is the folder's
	freeSpace func(dir string) (uint64, error)

	// mu lets Close wait for the calls in flight; closed refuses later ones.
	mu     sync.RWMutex
	closed bool

	// writes is held shared by every write and exclusively by a value-log GC
	// pass: Badger v4.9.6 reads the memtable's newest version unsynchronised
	// when a rewrite starts, racing with writes. Reads never wait for it.
	writes sync.RWMutex
	// gc is the background value-log collector, stopped by Close.
	gc *collector
	// importMu lets one import at a time use the records set aside.
	importMu sync.Mutex
}

// Open opens the Kaiku data folder dir, creating it (and marking it as
// Kaiku's, for its owner alone) when it is missing or empty, checks its
// tables, finishes or removes an import that was stopped, and migrates its
// data to the schema this build writes. It returns a *LockedError
// (ErrLocked) when another process has dir open, a *ForeignError
// (ErrForeign) when dir holds anything else, in which case dir is left
// untouched, a *SchemaError (ErrNewerSchema) when a newer Kaiku wrote the
// data, a *DamagedError (ErrDamaged) when a file of it fails its checksum,
// and a *DiskFullError (ErrDiskFull) when its disk is too full to write on
// safely. Nothing in dir is touched before its lock is taken.
func Open(dir string, opts Options) (*Store, error) {
	return open(dir, opts, migrations)
}

func open(dir string, opts Options, migs []migration) (*Store, error) {
	if dir == "" {
		return nil, errors.New("open data folder: no folder given")
	}
	log := opts.Logger
	if log == nil {
		log = logrus.StandardLogger()
	}
	if err := checkFolder(dir); err != nil {
		return nil, err
	}
	removeStaleRestores(dir, log)
	// The lock comes first: nothing in a folder another process holds is touched.
	lock, err := lockFolder(dir)
	if err != nil {
		return nil, err
	}
	free := opts.freeSpace
	if free == nil {
		free = freeSpace
	}
	db, err := openLocked(dir, lock != nil, migs, free, log)
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		return nil, err
	}
	log.WithFields(logrus.Fields{"dir": dir, "schema": len(migs)}).Debug("opened data folder")
	s := &Store{db: db, dir: dir, log: log, lock: lock, freeSpace: free}
	if err := s.finishImport(); err != nil {
		s.db.Close()
		if lock != nil {
			lock.Close()
		}
		return nil, err
	}
	s.gc = startCollector(db, &s.writes, log, opts.gcFirst, opts.gcEvery, s.sweepImages)
	return s, nil
}

// openLocked opens the database in dir, whose lock this process holds when
// held is true, and brings its data up to the schema migs make.
func openLocked(dir string, held bool, migs []migration, free func(string) (uint64, error), log logrus.FieldLogger) (db *badger.DB, err error) {
	if err := checkSpace(dir, spaceNeeded(tableBytes(dir)), free, log); err != nil {
		return nil, err
	}
	if err := prepareFolder(dir, held); err != nil {
		return nil, err
	}
	opt := badgerOptions(dir, log).WithBypassLockGuard(held)
	if err := verifyTables(dir, opt, log); err != nil {
		return nil, err
	}
	// Badger replays its logs here, through memory maps: a page the disk
	// cannot give faults in this goroutine, which can then recover.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = faultError(dir, r, free, log)
		}
	}()
	db, err = badger.Open(opt)
	if err != nil {
		if isLockError(err) {
			return nil, &LockedError{Dir: dir, Err: err}
		}
		return nil, fmt.Errorf("open data folder %s: %w", dir, err)
	}
	if err := migrate(db, dir, migs, log); err != nil {
		if cerr := db.Close(); cerr != nil {
			log.WithError(cerr).WithField("dir", dir).Warn("closing the data folder after a failed open")
		}
		return nil, err
	}
	return db, nil
}

// maxValueBytes bounds a stored value well inside one value-log file; an
// image's bytes are stored in parts of this size.
const maxValueBytes = 1 << 20

// badgerOptions size Badger for one person's planner: thousands of small posts, saved one by one, read a week at a time.
func badgerOptions(dir string, log logrus.FieldLogger) badger.Options {
	return badger.DefaultOptions(dir).
		WithLogger(newBadgerLogger(log)).
		WithSyncWrites(true). // a Save that returned nil is on disk, whatever happens next
		WithMetricsEnabled(false).
		WithMemTableSize(4 << 20). // a heap arena of ~1.3× this plus a sparse WAL of 2×; holds thousands of edits
		WithNumMemtables(2).
		WithValueThreshold(256 << 10).  // posts stay in the compressed LSM tree, needing no value-log GC; < 15% of the memtable
		WithValueLogFileSize(2 << 20).  // images (in parts of 1 MB, images.go) and freak values; the open file is mapped at twice this
		WithBaseTableSize(1 << 20).     // small tables: small compactions and builder buffers
		WithBaseLevelSize(4 << 20).     // small levels: a planner's data is a few megabytes
		WithNumLevelZeroTables(2).      // compact early so reads merge few tables
		WithNumLevelZeroTablesStall(8). // a burst of saves is never stalled in practice
		WithNumCompactors(2).           // Badger's minimum other than none
		WithNumGoroutines(2).
		WithCompression(options.ZSTD). // JSON text compresses well: a quarter smaller than with Snappy
		WithZSTDCompressionLevel(1).
		WithBlockCacheSize(4 << 20). // decompressed blocks: a planner's hot weeks and status lists
		WithIndexCacheSize(2 << 20). // table indexes and bloom filters, bounded
		WithCompactL0OnClose(true)   // the next start finds few, compacted tables
}

// Dir is the data folder.
func (s *Store) Dir() string { return s.dir }

// Close flushes and closes the data folder, after the calls in flight finish.
// Closing twice is harmless.
func (s *Store) Close() error {
	// The collector does not take mu, so it stops first: a pass in progress
	// ends after its current file, and none starts on a closed database.
	s.gc.stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.collectOnClose()
	err := s.db.Close()
	// The lock goes last, when nothing of the database is left to write.
	if s.lock != nil {
		if lerr := s.lock.Close(); err == nil && lerr != nil {
			err = lerr
		}
	}
	if err != nil {
		return fmt.Errorf("close data folder %s: %w", s.dir, err)
	}
	s.log.WithField("dir", s.dir).Debug("closed the data folder")
	return nil
}

// view runs fn in a read-only transaction.
func (s *Store) view(fn func(txn *badger.Txn) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	return s.guard(func() error { return s.db.View(fn) })
}

// conflictRetries bounds how often a write that lost a race is run again.
const conflictRetries = 5

// update runs fn in a read-write transaction and commits it durably. A
// transaction that read something another one changed is run again from the
// start, since fn reads the state it changes; after a few losses the
// error wraps planner.ErrConflict.
func (s *Store) update(ctx context.Context, fn func(txn *badger.Txn) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	if err := s.spaceForWrite(); err != nil {
		return err
	}
	s.writes.RLock()
	defer s.writes.RUnlock()
	for attempt := 0; ; attempt++ {
		err := s.guard(func() error { return s.db.Update(fn) })
		if !errors.Is(err, badger.ErrConflict) {
			return err
		}
		if attempt == conflictRetries {
			return fmt.Errorf("%w: changed by another save %d times in a row", planner.ErrConflict, attempt+1)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// validator is what every planner value offers.
type validator interface{ Validate() error }

// get reads the value at key into v; a missing key wraps planner.ErrNotFound.
func get(txn *badger.Txn, key []byte, v any) error {
	item, err := txn.Get(key)
	if err != nil {
		return notFound(err)
	}
	return item.Value(func(b []byte) error { return decode(b, v) })
}

// save validates v and stores it whole at key.
func (s *Store) save(ctx context.Context, what string, key []byte, v validator) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	val, err := value(v)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	// A blind write reads nothing, so it never conflicts.
	if err := s.update(ctx, func(txn *badger.Txn) error { return txn.Set(key, val) }); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// value validates v and encodes it for storing.
func value(v validator) ([]byte, error) {
	if err := v.Validate(); err != nil {
		return nil, err
	}
	val, err := encode(v)
	if err != nil {
		return nil, err
	}
	if len(val) > maxValueBytes {
		return nil, fmt.Errorf("the value is too large to store (%d bytes, at most %d)", len(val), maxValueBytes)
	}
	return val, nil
}

// load reads one value; a missing one wraps planner.ErrNotFound.
func load[T any](ctx context.Context, s *Store, what string, key []byte) (T, error) {
	var v T
	if err := ctx.Err(); err != nil {
		return v, fmt.Errorf("%s: %w", what, err)
	}
	if err := s.view(func(txn *badger.Txn) error { return get(txn, key, &v) }); err != nil {
		var zero T
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// list reads every value under prefix, in key order.
func list[T any](ctx context.Context, s *Store, what, prefix string) ([]T, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out := []T{}
	err := s.view(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.Prefix = []byte(prefix)
		opt.PrefetchSize = 16
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var v T
			item := it.Item()
			if err := item.Value(func(b []byte) error { return decode(b, &v) }); err != nil {
				return fmt.Errorf("read %s: %w", item.Key(), err)
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// remove deletes the value at key; a missing one wraps planner.ErrNotFound.
func (s *Store) remove(ctx context.Context, what string, key []byte) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	err := s.update(ctx, func(txn *badger.Txn) error {
		if _, err := txn.Get(key); err != nil {
			return notFound(err)
		}
		return txn.Delete(key)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
