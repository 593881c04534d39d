package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// markerName is the file that tells a Kaiku data folder from any other folder.
const markerName = "KAIKU"

const markerText = "This folder holds Kaiku's data. Kaiku uses this file to recognise it; do not delete it.\n"

// ownName reports whether a file, found in a folder without the marker, is
// one Kaiku itself (or the desktop's file manager) may have put there.
func ownName(name string) bool {
	switch name {
	case "secrets.json", ".DS_Store", "Thumbs.db", "desktop.ini":
		return true
	}
	return strings.HasPrefix(name, "kaiku.log")
}

// folderLock is the data folder's lock, held from before anything in the
// folder is touched until the store is closed; closing releases it.
type folderLock interface{ Close() error }

// checkFolder makes sure dir can become or is a Kaiku data folder before its
// lock is taken: it creates a missing folder (only its owner reads a
// planner's drafts and account names) and refuses a file, or a folder with
// other content and no marker, without touching it. It writes nothing into
// an existing folder.
func checkFolder(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create data folder %s: %w", dir, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("look at data folder %s: %w", dir, err)
	case !info.IsDir():
		return &ForeignError{Dir: dir}
	}
	_, _, err = readFolder(dir)
	return err
}

// readFolder lists dir and tells whether it holds Kaiku's marker; a folder
// with other content and no marker is a *ForeignError.
func readFolder(dir string) (entries []fs.DirEntry, marked bool, err error) {
	entries, err = os.ReadDir(dir)
	if err != nil {
		return nil, false, fmt.Errorf("read data folder %s: %w", dir, err)
	}
	for _, e := range entries {
		if e.Name() == markerName && e.Type().IsRegular() {
			return entries, true, nil
		}
	}
	for _, e := range entries {
		if !ownName(e.Name()) {
			return nil, false, &ForeignError{Dir: dir}
		}
	}
	return entries, false, nil
}

// prepareFolder makes dir, whose lock this process holds, ready for Badger:
// it marks an empty folder as Kaiku's and removes the empty logs a kill can
// leave. Without a lock of its own (held is false) it removes nothing: the
// file might be another process's log, just created.
func prepareFolder(dir string, held bool) error {
	entries, marked, err := readFolder(dir)
	switch {
	case err != nil:
		return err
	case !marked:
		return writeMarker(dir)
	case held:
		return dropEmptyMemtables(dir, entries)
	}
	return nil
}

// dropEmptyMemtables removes zero-byte memtable and value logs. A process
// killed between creating such a file and sizing it leaves one behind, and
// Badger then refuses to open (dgraph-io/badger#2207). An empty log holds no
// write, so removing it loses nothing.
func dropEmptyMemtables(dir string, entries []fs.DirEntry) error {
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); !e.Type().IsRegular() || (ext != ".mem" && ext != ".vlog") {
			continue
		}
		info, err := e.Info()
		if err != nil || info.Size() != 0 {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove empty log %s: %w", e.Name(), err)
		}
	}
	return nil
}

// writeMarker writes the marker durably before Badger creates its first file,
// so a folder with Badger's files and no marker is never one of ours.
func writeMarker(dir string) error {
	path := filepath.Join(dir, markerName)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("mark data folder %s: %w", dir, err)
	}
	_, err = f.WriteString(markerText)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("mark data folder %s: %w", dir, err)
	}
	return nil
}

// isLockError recognises Badger's directory-lock failure, which it reports
// only as text (Unix: flock; Windows: the exclusive LOCK file).
func isLockError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot acquire directory lock") ||
		strings.Contains(msg, "Another process is using this Badger database")
}
