//go:build !unix

package storage

import "io/fs"

// allocatedSize is the file's size where the system gives no block count.
func allocatedSize(info fs.FileInfo) int64 { return info.Size() }
