package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/badger/v4/y"
	"github.com/sirupsen/logrus"
	"google.golang.org/protobuf/proto"
)

// Badger reads its tables without telling its iterators about a block that
// fails to read: the scan just ends early, a lookup finds nothing, and a
// compaction writes what it could read and deletes the rest for good. So
// Kaiku checks the tables itself, against the checksums Badger keeps, before
// Badger opens them (its compactions start as it opens) and before anything
// reads the whole store (export and backup). Badger v4.9.6 can also panic on
// a bad block, or end the process with log.Fatalf on a table whose footer is
// garbled; the checks below recover the panics and test the footer first.
//
// Reading every block takes an order of magnitude longer than opening the
// store, too long for every start. Tables never change once written, so Open checks
// each table once, when it is new or its size or modification time changed
// (anything that writes to a file through the file system changes the
// latter), and keeps what it checked in verifiedName. Export and backup
// check every table, each time.

// verifiedName is the file in the data folder that lists the tables Open has
// checked, with their size and modification time.
const verifiedName = "VERIFIED"

// tableStamp is what a checked table looked like on disk.
type tableStamp struct {
	Size     int64 `json:"size"`
	Modified int64 `json:"modified"` // Unix nanoseconds
}

func stampOf(fi fs.FileInfo) tableStamp {
	return tableStamp{Size: fi.Size(), Modified: fi.ModTime().UnixNano()}
}

// verifyTables checks the tables that the database in dir lists and that
// were not checked as they are now, reading each block and comparing it with
// its checksum; a damaged or missing table is a *DamagedError, and so is a
// missing manifest beside tables. A folder without either has no data yet.
func verifyTables(dir string, opt badger.Options, log logrus.FieldLogger) error {
	f, err := os.Open(filepath.Join(dir, badger.ManifestFilename))
	if errors.Is(err, fs.ErrNotExist) {
		// Badger would start a new manifest and delete every table it does
		// not list, which is all of them.
		if tableBytes(dir) > 0 {
			return &DamagedError{Dir: dir, File: badger.ManifestFilename, Err: err}
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("check the data in %s: %w", dir, err)
	}
	mf, _, err := badger.ReplayManifestFile(f, opt.ExternalMagicVersion, opt)
	f.Close()
	if err != nil {
		return &DamagedError{Dir: dir, File: badger.ManifestFilename, Err: err}
	}
	ids := make([]uint64, 0, len(mf.Tables))
	for id := range mf.Tables {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	checked := readVerified(dir)
	now := make(map[string]tableStamp, len(ids))
	var scratch []byte // one buffer for every index read
	for _, id := range ids {
		name := table.IDToFilename(id)
		path := filepath.Join(dir, name)
		fi, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return &DamagedError{Dir: dir, File: name, Err: err}
		}
		if err != nil {
			return fmt.Errorf("check %s in %s: %w", name, dir, err)
		}
		stamp := stampOf(fi)
		if old, ok := checked[name]; ok && old == stamp {
			// Checked before: only what Badger reads as it opens, whose
			// damage would end the process instead of returning an error.
			err = checkTableIndex(path, &scratch)
		} else {
			err = verifyTable(path, id, mf.Tables[id].Compression, opt.BlockSize)
		}
		if err != nil {
			if !isDamage(err) {
				return fmt.Errorf("check %s in %s: %w", name, dir, err)
			}
			return &DamagedError{Dir: dir, File: name, Err: err}
		}
		now[name] = stamp
	}
	if !maps.Equal(now, checked) {
		// Losing this list costs a slower start, never data: no sync, and
		// a failure to write it is no reason not to open.
		if err := writeVerified(dir, now); err != nil {
			log.WithError(err).WithField("dir", dir).Warn("cannot note the checked tables")
		}
	}
	return nil
}

// readVerified reads the list of checked tables; a missing or unreadable
// list is empty, and every table is checked again.
func readVerified(dir string) map[string]tableStamp {
	var m map[string]tableStamp
	b, err := os.ReadFile(filepath.Join(dir, verifiedName))
	if err != nil || json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m
}

// writeVerified replaces the list of checked tables, through a rename so
// that it is whole or absent.
func writeVerified(dir string, m map[string]tableStamp) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, verifiedName+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, verifiedName))
}

// errDamagedTable marks what verifyTable found wrong with a table's content,
// as opposed to a failure to read the file at all.
var errDamagedTable = errors.New("damaged table")

func isDamage(err error) bool { return errors.Is(err, errDamagedTable) }

// verifyTable checks one table file block by block.
func verifyTable(path string, id uint64, compression options.CompressionType, blockSize int) (err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := checkFooter(data); err != nil {
		return fmt.Errorf("%w: %v", errDamagedTable, err)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: reading it failed: %v", errDamagedTable, r)
		}
	}()
	t, err := table.OpenInMemoryTable(data, id, &table.Options{Compression: compression, BlockSize: blockSize})
	if err != nil {
		return fmt.Errorf("%w: %v", errDamagedTable, err)
	}
	if err := t.VerifyChecksum(); err != nil {
		return fmt.Errorf("%w: %v", errDamagedTable, err)
	}
	return nil
}

// checkTableIndex checks a table's footer and index against the index's
// checksum, reading only those, from the end of the file, into scratch.
func checkTableIndex(path string, scratch *[]byte) (err error) {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	// Backwards from the end: the checksum's length, the checksum and the
	// index's length, the index.
	pos := fi.Size() - 4
	if pos < 0 {
		return fmt.Errorf("%w: it is shorter than its footer", errDamagedTable)
	}
	var word [4]byte
	if _, err := f.ReadAt(word[:], pos); err != nil {
		return err
	}
	sumLen := int64(binary.BigEndian.Uint32(word[:]))
	if sumLen <= 0 || sumLen+4 > pos {
		return fmt.Errorf("%w: its index checksum claims %d bytes", errDamagedTable, sumLen)
	}
	pos -= sumLen + 4
	buf := make([]byte, sumLen+4)
	if _, err := f.ReadAt(buf, pos); err != nil {
		return err
	}
	indexLen := int64(binary.BigEndian.Uint32(buf[:4]))
	if indexLen <= 0 || indexLen > pos {
		return fmt.Errorf("%w: its index claims %d bytes", errDamagedTable, indexLen)
	}
	var cs pb.Checksum
	if err := proto.Unmarshal(buf[4:], &cs); err != nil {
		return fmt.Errorf("%w: its index checksum cannot be read: %v", errDamagedTable, err)
	}
	index := slices.Grow((*scratch)[:0], int(indexLen))[:indexLen]
	*scratch = index
	if _, err := f.ReadAt(index, pos-indexLen); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil { // an unknown checksum algorithm
			err = fmt.Errorf("%w: its index checksum cannot be read: %v", errDamagedTable, r)
		}
	}()
	if err := y.VerifyChecksum(index, &cs); err != nil {
		return fmt.Errorf("%w: its index fails its checksum: %v", errDamagedTable, err)
	}
	return nil
}

// checkFooter tests the lengths at a table's end, which Badger reads
// without checking them (a bad one ends the process): the file ends with
// the index, its length (4 bytes), the index's checksum and that checksum's
// length (4 bytes), both big-endian.
func checkFooter(data []byte) error {
	pos := len(data) - 4
	if pos < 0 {
		return errors.New("it is shorter than its footer")
	}
	sumLen := int(binary.BigEndian.Uint32(data[pos:]))
	pos -= sumLen
	if sumLen <= 0 || pos < 4 {
		return fmt.Errorf("its index checksum claims %d bytes", sumLen)
	}
	pos -= 4
	indexLen := int(binary.BigEndian.Uint32(data[pos:]))
	if indexLen <= 0 || indexLen > pos {
		return fmt.Errorf("its index claims %d bytes", indexLen)
	}
	return nil
}

// verify checks the tables of the open database, for a reader of the whole
// store: a table damaged since the store was opened would otherwise make it
// read half of the data and call that all.
func (s *Store) verify() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &DamagedError{Dir: s.dir, Err: fmt.Errorf("%w: reading it failed: %v", errDamagedTable, r)}
		}
	}()
	if err := s.db.VerifyChecksum(); err != nil {
		return &DamagedError{Dir: s.dir, Err: err}
	}
	return nil
}

// guard runs fn, which reads or writes through Badger. A fault reading a
// memory-mapped file (a disk that cannot give a page) becomes an error
// instead of ending the process, as faults in this goroutine can. A panic
// in Badger is a damaged table, the only cause known, when a check of the
// tables then fails; then it becomes a *DamagedError, and a fault on a full
// disk a *DiskFullError. Anything else is a bug, and panics on as one.
func (s *Store) guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		stack := debug.Stack()
		if _, fault := r.(interface{ Addr() uintptr }); fault {
			if ferr := checkSpace(s.dir, spaceNeeded(0), s.freeSpace, s.log); ferr != nil {
				err = ferr
				return
			}
		}
		if verr := s.verify(); verr != nil {
			s.log.WithFields(logrus.Fields{"panic": fmt.Sprint(r), "stack": string(stack)}).Error("reading the data failed")
			err = verr
			return
		}
		panic(r)
	}()
	return fn()
}

// faultError makes what Open recovered from into an error: a full disk, a
// damaged file, or, for anything else, a bug that panics on.
func faultError(dir string, r any, free func(string) (uint64, error), log logrus.FieldLogger) error {
	log.WithFields(logrus.Fields{"panic": fmt.Sprint(r), "stack": string(debug.Stack())}).Error("opening the data failed")
	if _, fault := r.(interface{ Addr() uintptr }); !fault {
		panic(r)
	}
	if err := checkSpace(dir, spaceNeeded(0), free, log); err != nil {
		return err
	}
	return &DamagedError{Dir: dir, Err: fmt.Errorf("%w: reading it failed: %v", errDamagedTable, r)}
}

// verifyOpen is verify for a caller that does not hold s.mu.
func (s *Store) verifyOpen() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	return s.verify()
}
