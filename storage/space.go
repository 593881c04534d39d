package storage

import (
	"errors"
	"os"
	"strings"

	"github.com/sirupsen/logrus"
)

// Badger writes its logs and tables through memory-mapped files, created
// sparse at their full size and filled later. When the disk has no room for
// a page it touches, the system sends SIGBUS, and Go ends the process
// ("fatal error: fault") in whichever goroutine touched it, usually one of
// Badger's own. An error cannot be returned from there, so Kaiku keeps room
// on the disk instead: it refuses to open or to write with less free than
// Badger may need.

// spaceHeadroom is room for what Badger creates whatever the data's size:
// two 8 MB memtable logs, a 4 MB value log, the table a memtable flushes to,
// and a level-0 compaction's output.
const spaceHeadroom = 32 << 20

// spaceNeeded is the free space a store with tableBytes of tables needs: the
// headroom, and room for a compaction that rewrites every table.
func spaceNeeded(tableBytes int64) uint64 {
	return spaceHeadroom + uint64(max(tableBytes, 0))
}

// tableBytes sums the sizes of the tables in dir.
func tableBytes(dir string) int64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	var n int64
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sst") {
			if info, err := e.Info(); err == nil {
				n += info.Size()
			}
		}
	}
	return n
}

// checkSpace returns a *DiskFullError when the disk of dir has less than
// need free. A system that cannot tell passes.
func checkSpace(dir string, need uint64, free func(string) (uint64, error), log logrus.FieldLogger) error {
	have, err := free(dir)
	if err != nil {
		if !errors.Is(err, errors.ErrUnsupported) {
			log.WithError(err).WithField("dir", dir).Debug("cannot tell the free space")
		}
		return nil
	}
	if have < need {
		return &DiskFullError{Dir: dir, Free: have, Need: need}
	}
	return nil
}

// spaceForWrite checks the space before a write to the open store.
func (s *Store) spaceForWrite() error {
	lsm, _ := s.db.Size()
	return checkSpace(s.dir, spaceNeeded(lsm), s.freeSpace, s.log)
}
