package storage

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/sirupsen/logrus"
)

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
