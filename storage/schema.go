package storage

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/sirupsen/logrus"
)

// migration moves the stored data from one schema version to the next. It runs
// in one transaction with the version bump, so it happens whole or not at all;
// one that rewrites many records must stay under Badger's transaction size
// (about 15% of the memtable) or split its work across versions.
type migration struct {
	name string
	run  func(txn *badger.Txn) error
}

// migrations[i] brings data at schema i to schema i+1. Append only: never
// edit or reorder a migration that has shipped.
var migrations = []migration{
	{name: "initial layout", run: func(*badger.Txn) error { return nil }},
	// Posts are written in encodingPost from now on; those in JSON stay
	// readable. Nothing moves: the new version keeps an older Kaiku, which
	// cannot read the new posts, from opening the data.
	{name: "posts in the compact encoding", run: func(*badger.Txn) error { return nil }},
	// Nothing stored changes shape; posts may now name images, which a
	// Kaiku before this one would drop from a post it saved again.
	{name: "images", run: func(*badger.Txn) error { return nil }},
}

// readSchema returns the stored schema version; 0 for a new folder.
func readSchema(txn *badger.Txn) (int, error) {
	item, err := txn.Get([]byte(keySchema))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var v int
	err = item.Value(func(b []byte) error { return decode(b, &v) })
	return v, err
}

// migrate brings the data in db up to len(migs), refusing data newer than that.
func migrate(db *badger.DB, dir string, migs []migration, log logrus.FieldLogger) error {
	var version int
	if err := db.View(func(txn *badger.Txn) error {
		var err error
		version, err = readSchema(txn)
		return err
	}); err != nil {
		return fmt.Errorf("read data schema in %s: %w", dir, err)
	}
	if version > len(migs) {
		return &SchemaError{Dir: dir, Found: version, Known: len(migs)}
	}
	for ; version < len(migs); version++ {
		m, next := migs[version], version+1
		val, err := encode(next)
		if err != nil {
			return fmt.Errorf("migrate data in %s to schema %d (%s): %w", dir, next, m.name, err)
		}
		if err := db.Update(func(txn *badger.Txn) error {
			if err := m.run(txn); err != nil {
				return err
			}
			return txn.Set([]byte(keySchema), val)
		}); err != nil {
			return fmt.Errorf("migrate data in %s to schema %d (%s): %w", dir, next, m.name, err)
		}
		log.WithFields(logrus.Fields{"schema": next, "migration": m.name}).Info("migrated data")
	}
	return nil
}
