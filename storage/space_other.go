//go:build !(linux || darwin || freebsd || windows)

package storage

import "errors"

// freeSpace cannot ask this system; the check is skipped.
func freeSpace(string) (uint64, error) { return 0, errors.ErrUnsupported }
