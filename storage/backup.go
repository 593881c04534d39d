package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
)

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
