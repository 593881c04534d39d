package storage

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/sirupsen/logrus"
)

// The backup file's layout; Backup's comment describes it.
const (
	backupMagic  = "KAIKU-BACKUP\n"
	backupFormat = 1
	// maxHeader bounds the header line.
	maxHeader = 4 << 10
	// chunkSize is what Backup puts in one chunk; maxChunk is what Restore accepts.
	chunkSize = 256 << 10
	maxChunk  = 1 << 20
	// maxRecord bounds one record of Badger's stream, which batches up to
	// 100 MB; Restore refuses a larger length before Badger allocates for it.
	maxRecord = 256 << 20
	// loadPending is how many write batches Badger's loader keeps in flight.
	loadPending = 16
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// backupHeader is the JSON line after the magic.
type backupHeader struct {
	Format  int       `json:"format"`
	Schema  int       `json:"schema"`
	Created time.Time `json:"created"`
}

// Backup writes a consistent snapshot of the whole store to w while the
// store stays open for reading and writing. progress, when not nil, is
// called from time to time, never concurrently, with the records written so
// far and the records the store held when the backup began; the last call
// has done == total. On an error w holds an incomplete backup, so write to a
// temporary file and rename it when Backup returns nil. Restore reads it.
//
// A backup file is:
//
//	KAIKU-BACKUP\n
//	{"format":1,"schema":1,"created":"2026-12-01T09:00:00Z"}\n
//	chunks
//
// The first line names the file; the second is a JSON header: the backup
// format (this layout), the data schema of the store it was made from and
// when, in RFC 3339. The chunks carry Badger's backup stream (DB.Backup's
// records: an 8-byte little-endian length and a protobuf KVList), each chunk
// a 4-byte length (1 byte to 1 MiB) and the 4-byte CRC-32C of its bytes, both
// little-endian, then the bytes. A chunk of length 0 ends the stream; its
// checksum is that of the whole stream, and nothing follows it. The
// checksums let Restore tell a damaged or truncated file before any of it
// counts.
func (s *Store) Backup(ctx context.Context, w io.Writer, progress func(done, total int64)) error {
	const what = "back up the data"
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return fmt.Errorf("%s: %w", what, errClosed)
	}
	// Badger's stream skips what it cannot read: check it all first.
	if err := s.verify(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	var schema int
	var total int64
	err := s.guard(func() error {
		return s.db.View(func(txn *badger.Txn) error {
			var err error
			if schema, err = readSchema(txn); err != nil {
				return err
			}
			opt := badger.DefaultIteratorOptions
			opt.PrefetchValues = false
			it := txn.NewIterator(opt)
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				total++
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}

	hdr, err := json.Marshal(backupHeader{Format: backupFormat, Schema: schema, Created: time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if _, err := io.WriteString(w, backupMagic); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if _, err := w.Write(append(hdr, '\n')); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}

	var done atomic.Int64
	report := func() {
		if progress != nil {
			progress(min(done.Load(), total), total)
		}
	}
	cw := &chunkWriter{ctx: ctx, w: w, buf: make([]byte, 0, chunkSize), afterChunk: report}
	stream := s.db.NewStream()
	// One goroutine reads one snapshot; several would each open their own
	// transaction, and a post could be backed up apart from its index.
	stream.NumGo = 1
	stream.LogPrefix = "Kaiku backup"
	stream.ChooseKey = func(item *badger.Item) bool {
		// A deleted record has nothing to restore, nor have its older versions.
		if item.IsDeletedOrExpired() {
			return false
		}
		done.Add(1)
		return true
	}
	if err := s.guard(func() error { _, err := stream.Backup(cw, 0); return err }); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := cw.finish(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if progress != nil {
		progress(done.Load(), done.Load())
	}
	return nil
}

// chunkWriter cuts what it is given into checksummed chunks.
type chunkWriter struct {
	ctx        context.Context
	w          io.Writer
	buf        []byte
	crc        uint32 // of everything so far
	afterChunk func()
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	// Badger's stream stops on a write error, so this is where a cancel lands.
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	for len(p) > 0 {
		k := copy(c.buf[len(c.buf):cap(c.buf)], p)
		c.buf, p, n = c.buf[:len(c.buf)+k], p[k:], n+k
		if len(c.buf) == cap(c.buf) {
			if err := c.flush(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

func (c *chunkWriter) flush() error {
	if len(c.buf) == 0 {
		return nil
	}
	// Badger hands over a whole batch in one Write; a cancel lands between chunks.
	if err := c.ctx.Err(); err != nil {
		return err
	}
	if err := c.writeChunk(uint32(len(c.buf)), crc32.Checksum(c.buf, castagnoli), c.buf); err != nil {
		return err
	}
	c.crc = crc32.Update(c.crc, castagnoli, c.buf)
	c.buf = c.buf[:0]
	if c.afterChunk != nil {
		c.afterChunk()
	}
	return nil
}

func (c *chunkWriter) writeChunk(n, sum uint32, data []byte) error {
	var head [8]byte
	binary.LittleEndian.PutUint32(head[:4], n)
	binary.LittleEndian.PutUint32(head[4:], sum)
	if _, err := c.w.Write(head[:]); err != nil {
		return err
	}
	if len(data) == 0 {
		return nil
	}
	_, err := c.w.Write(data)
	return err
}

// finish writes what is buffered and the end mark.
func (c *chunkWriter) finish() error {
	if err := c.flush(); err != nil {
		return err
	}
	return c.writeChunk(0, c.crc, nil)
}

// RestoreInto restores the backup read from r into dir as Restore does,
// with the open store's logger; the open store itself is not touched. It
// lets the window restore through an interface, without importing storage.
func (s *Store) RestoreInto(ctx context.Context, dir string, r io.Reader, progress func(done int64)) error {
	return Restore(ctx, dir, r, Options{Logger: s.log}, progress)
}

// Restore makes dir a Kaiku data folder holding the backup read from r. dir
// must be missing or empty, a file manager's .DS_Store, Thumbs.db or
// desktop.ini aside (a *NotEmptyError, ErrNotEmpty, otherwise, and dir is
// not touched). The backup is restored into a new folder beside dir,
// which becomes dir only once the whole backup has been read, checked and
// written; on any failure that folder is removed and dir is as it was. A
// file that is not a backup, one made by a newer Kaiku, and a damaged or
// truncated one give a *BackupError (ErrNotBackup, ErrNewerBackup,
// ErrDamagedBackup). progress, when not nil, is called from time to time with
// the bytes read from r so far. The next Open migrates a backup made by an
// older Kaiku.
func Restore(ctx context.Context, dir string, r io.Reader, opts Options, progress func(done int64)) error {
	if dir == "" {
		return errors.New("restore: no folder given")
	}
	what := "restore into " + dir
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	log := opts.Logger
	if log == nil {
		log = logrus.StandardLogger()
	}
	file := "the file"
	if f, ok := r.(interface{ Name() string }); ok && f.Name() != "" {
		file = f.Name()
	}
	if err := checkRestoreTarget(dir); err != nil {
		return err
	}
	// Badger writes the restored data through memory maps; see space.go.
	need := spaceNeeded(0)
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			need += 2 * uint64(fi.Size()) // the restored tables, and a compaction of them
		}
	}
	free := opts.freeSpace
	if free == nil {
		free = freeSpace
	}
	if err := checkSpace(existingAncestor(filepath.Clean(dir)), need, free, log); err != nil {
		return err
	}

	counted := &countingReader{r: r}
	br := bufio.NewReaderSize(counted, 64<<10)
	hdr, err := readBackupHeader(br, file)
	if err != nil {
		return err
	}
	if hdr.Schema > len(migrations) {
		return &BackupError{File: file, Kind: ErrNewerBackup,
			Detail: fmt.Sprintf("data schema %d, this Kaiku reads up to %d", hdr.Schema, len(migrations))}
	}

	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	made := missingAncestor(parent)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	removeStaleRestores(dir, log)
	tmp, lock, err := restoringFolder(dir)
	if err != nil {
		removeMade(parent, made)
		return fmt.Errorf("%s: %w", what, err)
	}
	unlock := func() {
		if lock != nil {
			lock.Close()
			lock = nil
		}
	}
	defer func() {
		unlock()
		if tmp == "" {
			return
		}
		if err := os.RemoveAll(tmp); err != nil {
			log.WithError(err).WithField("dir", tmp).Warn("removing a failed restore")
		}
		removeMade(parent, made)
	}()
	if err := writeMarker(tmp); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	chunks := &chunkReader{ctx: ctx, r: br, file: file, progress: func() {
		if progress != nil {
			progress(counted.n)
		}
	}}
	if err := loadBackup(tmp, lock != nil, log, chunks, hdr, file); err != nil {
		// A *BackupError names the file and says it all; others need the folder.
		var berr *BackupError
		if errors.As(err, &berr) {
			return berr
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if runtime.GOOS == "windows" {
		unlock() // Windows renames no folder with an open file in it
	}
	if err := install(tmp, dir); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	tmp = ""
	syncDir(parent)
	if progress != nil {
		progress(counted.n)
	}
	log.WithFields(logrus.Fields{"dir": dir, "schema": hdr.Schema, "created": hdr.Created}).Info("restored a backup")
	return nil
}

// readBackupHeader reads and checks the magic and the header line.
func readBackupHeader(br *bufio.Reader, file string) (backupHeader, error) {
	var hdr backupHeader
	magic := make([]byte, len(backupMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != backupMagic {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return hdr, fmt.Errorf("read %s: %w", file, err)
		}
		return hdr, &BackupError{File: file, Kind: ErrNotBackup}
	}
	line, err := br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull), err == nil && len(line) > maxHeader:
		return hdr, &BackupError{File: file, Kind: ErrDamagedBackup, Detail: "its header is too long"}
	case errors.Is(err, io.EOF):
		return hdr, &BackupError{File: file, Kind: ErrDamagedBackup, Detail: "it ends inside its header"}
	case err != nil:
		return hdr, fmt.Errorf("read %s: %w", file, err)
	}
	if err := json.Unmarshal(line, &hdr); err != nil {
		return hdr, &BackupError{File: file, Kind: ErrDamagedBackup, Detail: "its header cannot be read", Err: err}
	}
	switch {
	case hdr.Format > backupFormat:
		return hdr, &BackupError{File: file, Kind: ErrNewerBackup,
			Detail: fmt.Sprintf("backup format %d, this Kaiku reads up to %d", hdr.Format, backupFormat)}
	case hdr.Format < 1 || hdr.Schema < 1:
		return hdr, &BackupError{File: file, Kind: ErrDamagedBackup, Detail: "its header names no format or schema"}
	}
	return hdr, nil
}

// loadBackup writes the stream into a new Badger database in dir and checks that
// it holds the schema the header promised.
func loadBackup(dir string, held bool, log logrus.FieldLogger, chunks *chunkReader, hdr backupHeader, file string) (err error) {
	db, err := badger.Open(badgerOptions(dir, log).WithBypassLockGuard(held))
	if err != nil {
		return fmt.Errorf("create the data folder: %w", err)
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close the restored data: %w", cerr)
		}
	}()
	if err := db.Load(&recordGuard{r: chunks, file: file}, loadPending); err != nil {
		var berr *BackupError
		switch {
		case errors.As(err, &berr), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
			chunks.readErr != nil:
			return err
		case strings.Contains(err.Error(), "proto:"):
			// Badger reports records it cannot decode only in the text of
			// protobuf's error; anything else is a failure to write.
			return &BackupError{File: file, Kind: ErrDamagedBackup, Detail: "its records cannot be read", Err: err}
		}
		return fmt.Errorf("write the restored data: %w", err)
	}
	var schema int
	if err := db.View(func(txn *badger.Txn) error {
		var err error
		schema, err = readSchema(txn)
		return err
	}); err != nil {
		return &BackupError{File: file, Kind: ErrDamagedBackup, Detail: "its data schema cannot be read", Err: err}
	}
	if schema != hdr.Schema {
		return &BackupError{File: file, Kind: ErrDamagedBackup,
			Detail: fmt.Sprintf("it holds data schema %d, its header says %d", schema, hdr.Schema)}
	}
	return nil
}

// countingReader counts the bytes read, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// chunkReader checks the chunks written by chunkWriter and returns their bytes.
type chunkReader struct {
	ctx      context.Context
	r        io.Reader
	file     string
	progress func()
	buf      []byte
	data     []byte // the current chunk's unread bytes
	crc      uint32
	err      error // sticky: io.EOF after the end mark
	readErr  error // a failure to read r, as opposed to bad content
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.data) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		c.err = c.next()
	}
	n := copy(p, c.data)
	c.data = c.data[n:]
	return n, nil
}

func (c *chunkReader) damaged(detail string, err error) error {
	return &BackupError{File: c.file, Kind: ErrDamagedBackup, Detail: detail, Err: err}
}

// short tells a file that ends early from one that could not be read.
func (c *chunkReader) short(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// Not wrapping io.EOF, which would read as the stream's proper end.
		return c.damaged("it ends early; it may not have been copied whole", nil)
	}
	c.readErr = err
	return fmt.Errorf("read %s: %w", c.file, err)
}

// next reads one chunk into c.data, or the end mark (io.EOF).
func (c *chunkReader) next() error {
	if err := c.ctx.Err(); err != nil {
		return err
	}
	var head [8]byte
	if _, err := io.ReadFull(c.r, head[:]); err != nil {
		return c.short(err)
	}
	n, sum := binary.LittleEndian.Uint32(head[:4]), binary.LittleEndian.Uint32(head[4:])
	if n == 0 {
		if sum != c.crc {
			return c.damaged("its checksum does not match its contents", nil)
		}
		var b [1]byte
		switch _, err := io.ReadFull(c.r, b[:]); {
		case err == nil:
			return c.damaged("something follows its end", nil)
		case !errors.Is(err, io.EOF):
			c.readErr = err
			return fmt.Errorf("read %s: %w", c.file, err)
		}
		return io.EOF
	}
	if n > maxChunk {
		return c.damaged(fmt.Sprintf("a block claims %d bytes", n), nil)
	}
	c.buf = slices.Grow(c.buf[:0], int(n))[:n]
	if _, err := io.ReadFull(c.r, c.buf); err != nil {
		return c.short(err)
	}
	if crc32.Checksum(c.buf, castagnoli) != sum {
		return c.damaged("a block fails its checksum", nil)
	}
	c.crc = crc32.Update(c.crc, castagnoli, c.buf)
	c.data = c.buf
	if c.progress != nil {
		c.progress()
	}
	return nil
}

// recordGuard passes Badger's backup stream through, refusing a record
// length no Kaiku backup has before Badger allocates that much for it.
type recordGuard struct {
	r       io.Reader
	file    string
	head    [8]byte
	pending []byte // the current record's length, not yet passed on
	remain  uint64 // the current record's bytes not yet passed on
}

func (g *recordGuard) Read(p []byte) (int, error) {
	if len(g.pending) == 0 && g.remain == 0 {
		// At a record boundary: read the next length whole and check it.
		// io.EOF itself, never wrapped, is the chunks' verified end.
		switch _, err := io.ReadFull(g.r, g.head[:]); {
		case err == io.EOF:
			return 0, io.EOF
		case err == io.ErrUnexpectedEOF:
			return 0, &BackupError{File: g.file, Kind: ErrDamagedBackup, Detail: "it ends inside a record"}
		case err != nil:
			return 0, err
		}
		g.remain = binary.LittleEndian.Uint64(g.head[:])
		if g.remain > maxRecord {
			return 0, &BackupError{File: g.file, Kind: ErrDamagedBackup, Detail: fmt.Sprintf("a record claims %d bytes", g.remain)}
		}
		g.pending = g.head[:]
	}
	if len(g.pending) > 0 {
		n := copy(p, g.pending)
		g.pending = g.pending[n:]
		return n, nil
	}
	if uint64(len(p)) > g.remain {
		p = p[:g.remain]
	}
	n, err := g.r.Read(p)
	g.remain -= uint64(n)
	if err == io.EOF {
		if g.remain > 0 {
			return n, &BackupError{File: g.file, Kind: ErrDamagedBackup, Detail: "it ends inside a record"}
		}
		// More records may follow; the next call finds out.
		err = nil
	}
	return n, err
}

// desktopName reports files a file manager may put in any folder it shows.
func desktopName(name string) bool {
	switch name {
	case ".DS_Store", "Thumbs.db", "desktop.ini":
		return true
	}
	return false
}

// checkRestoreTarget accepts a missing folder and an empty one.
func checkRestoreTarget(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("restore into %s: %w", dir, err)
	case !info.IsDir():
		return &NotEmptyError{Dir: dir}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("restore into %s: %w", dir, err)
	}
	for _, e := range entries {
		if !desktopName(e.Name()) {
			return &NotEmptyError{Dir: dir}
		}
	}
	return nil
}

// install makes the restored folder tmp the folder dir: a rename when dir is
// missing, else a move of each file into the empty dir, the marker last, so
// that an interrupted move leaves a folder Open refuses rather than a
// half-restored one it would open. A failed move takes its files back.
func install(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		rerr := os.Rename(tmp, dir)
		if rerr == nil {
			return nil
		}
		if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
			return rerr
		}
		// Created meanwhile: then it must be empty, as below.
	}
	if err := checkRestoreTarget(dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Name() != markerName {
			names = append(names, e.Name())
		}
	}
	names = append(names, markerName)
	var moved []string
	for _, name := range names {
		if err := moveNew(filepath.Join(tmp, name), filepath.Join(dir, name)); err != nil {
			for _, m := range slices.Backward(moved) {
				_ = os.Rename(filepath.Join(dir, m), filepath.Join(tmp, m))
			}
			return err
		}
		moved = append(moved, name)
	}
	return os.Remove(tmp)
}

// moveNew renames from to to, refusing to replace a file (rename would).
func moveNew(from, to string) error {
	if _, err := os.Lstat(to); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s appeared while restoring", to)
	}
	return os.Rename(from, to)
}

// missingAncestor is the outermost of dir and its parents that does not
// exist, which MkdirAll(dir) would create; "" when dir exists.
func missingAncestor(dir string) string {
	made := ""
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
			return made
		}
		made = d
		if filepath.Dir(d) == d {
			return made
		}
	}
}

// restoringFolder makes and locks the folder a restore into dir fills,
// beside dir, so that moving it into place is a rename on one file system.
// It is locked before anything is put in it: an empty or marked folder
// nobody holds is a stale one that the next restore or start removes. Should
// one do so between the two steps, a new folder is made.
func restoringFolder(dir string) (string, folderLock, error) {
	for attempt := 0; ; attempt++ {
		tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+restoringSuffix)
		if err != nil {
			return "", nil, err
		}
		lock, err := lockFolder(tmp)
		if err == nil {
			return tmp, lock, nil
		}
		os.Remove(tmp)
		if !errors.Is(err, fs.ErrNotExist) || attempt == 2 {
			return "", nil, err
		}
	}
}

// restoringSuffix, and a random number, name the folder a restore into dir
// fills beside it.
const restoringSuffix = ".restoring-"

// removeStaleRestores removes the folders that restores into dir, killed
// before they finished, left beside it. A folder goes only when its lock can
// be taken (no restore is running in it), and it is empty or holds Kaiku's
// marker (a restore marks its folder once it holds the lock) and nothing but
// Kaiku's and Badger's files. Nobody reuses such a folder, so it can go once the
// lock is released again.
func removeStaleRestores(dir string, log logrus.FieldLogger) {
	dir = filepath.Clean(dir)
	parent, prefix := filepath.Dir(dir), filepath.Base(dir)+restoringSuffix
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		path := filepath.Join(parent, e.Name())
		if !staleRestore(path) {
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			log.WithError(err).WithField("dir", path).Warn("cannot remove what a stopped restore left")
			continue
		}
		log.WithField("dir", path).Info("removed what a stopped restore left")
	}
}

// staleRestore reports whether path is a restore's folder that no process holds.
func staleRestore(path string) bool {
	lock, err := lockFolder(path)
	if err != nil || lock == nil {
		return false // in use, or no lock to tell it by
	}
	defer lock.Close()
	entries, marked, err := readFolder(path)
	if err != nil || (!marked && len(entries) > 0) {
		return false
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !badgerName(e.Name()) {
			return false
		}
	}
	return true
}

// badgerName reports whether a file in a data folder is Kaiku's or Badger's.
func badgerName(name string) bool {
	switch name {
	case markerName, verifiedName, verifiedName + ".tmp", badger.ManifestFilename, "MANIFEST-REWRITE",
		badger.KeyRegistryFileName, badger.KeyRegistryRewriteFileName, "DISCARD", "LOCK":
		return true
	}
	switch filepath.Ext(name) {
	case ".sst", ".vlog", ".mem":
		return true
	}
	return desktopName(name)
}

// existingAncestor is dir, or the nearest of its parents that exists.
func existingAncestor(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
			return d
		}
	}
}

// removeMade removes the folders from dir up to made that MkdirAll created,
// as long as they are empty.
func removeMade(dir, made string) {
	if made == "" {
		return
	}
	for d := dir; ; d = filepath.Dir(d) {
		if os.Remove(d) != nil || d == made || filepath.Dir(d) == d {
			return
		}
	}
}

// syncDir makes a rename in dir durable where the system allows it.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		_ = f.Sync() // Windows cannot sync a folder; its renames are durable anyway
		_ = f.Close()
	}
}
