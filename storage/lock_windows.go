//go:build windows

package storage

import (
	"fmt"
	"path/filepath"
	"syscall"
)

// The flags Badger's own lock uses, which package syscall does not name.
const (
	fileAttributeTemporary = 0x00000100
	fileFlagDeleteOnClose  = 0x04000000

	errorSharingViolation syscall.Errno = 32
)

// lockFolder takes the data folder's lock before anything else in it is
// touched: the LOCK file Badger itself uses, open with no sharing and
// removed by Windows when the handle closes, so a Kaiku of any version sees
// the folder as in use. Badger is then opened without its own lock.
func lockFolder(dir string) (folderLock, error) {
	path, err := syscall.UTF16PtrFromString(filepath.Join(dir, "LOCK"))
	if err != nil {
		return nil, fmt.Errorf("lock data folder %s: %w", dir, err)
	}
	h, err := syscall.CreateFile(path, 0, 0, nil, syscall.OPEN_ALWAYS, fileAttributeTemporary|fileFlagDeleteOnClose, 0)
	switch {
	case err == errorSharingViolation || err == syscall.ERROR_ACCESS_DENIED:
		return nil, &LockedError{Dir: dir, Err: err}
	case err != nil:
		return nil, fmt.Errorf("lock data folder %s: %w", dir, err)
	}
	return handleLock(h), nil
}

type handleLock syscall.Handle

func (h handleLock) Close() error { return syscall.CloseHandle(syscall.Handle(h)) }
