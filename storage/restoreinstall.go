package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/sirupsen/logrus"
)

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
