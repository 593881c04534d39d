//go:build unix

package storage

import (
	"io/fs"
	"syscall"
)

// allocatedSize is the disk space the file takes, which for Badger's sparse,
// preallocated files is less than its size.
func allocatedSize(info fs.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Blocks * 512
	}
	return info.Size()
}
