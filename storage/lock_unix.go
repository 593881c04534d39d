//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package storage

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFolder takes the data folder's lock before anything in it is touched:
// an flock on the folder itself, the very lock Badger takes, so a Kaiku of
// any version sees the folder as in use. Nothing is written. Badger is then
// opened without its own lock, since a process cannot take one flock twice.
func lockFolder(dir string) (folderLock, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("lock data folder %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &LockedError{Dir: dir, Err: err}
		}
		return nil, fmt.Errorf("lock data folder %s: %w", dir, err)
	}
	return f, nil // closing the folder releases the lock
}
