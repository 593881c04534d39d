package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// Images are stored once however many posts carry them, under the SHA-256
// of their bytes: image/<hash> holds an imageRecord, and the bytes follow
// in parts of at most imagePartBytes under imagedata/<hash>/<n>. Parts keep
// every value within Badger's value-log files (2 MB, see badgerOptions), so
// a photo of many megabytes is stored, backed up and restored like any
// other value; the parts of one image are written in one transaction, with
// its record, so that an image is there whole or not at all.
//
// The record counts the posts that name the image. A post and the counts
// of the images it gains or loses change in one transaction, so the count
// survives a crash at any point. An image no post names is removed:
//
//   - at once when the post that named it last is deleted, unless it was
//     stored again meanwhile for a post not yet saved;
//   - when an edit drops it, or when it was stored for a post not yet
//     saved, by SweepImages once imageGrace has passed, so that the composer
//     can put it back (undo) or save the post that is to name it.
const (
	// imagePartBytes is the most bytes one value of an image holds.
	imagePartBytes = maxValueBytes
	// maxImageBytes bounds an image the store takes, above any Kaiku prepares.
	maxImageBytes = 256 << 20
	// imageGrace is how long an image no post names waits for one.
	imageGrace = 24 * time.Hour
	// encodingImagePart marks a value as a part of an image's bytes, raw.
	encodingImagePart byte = 3
)

// imageRecord is what the store knows of an image besides its bytes.
type imageRecord struct {
	Type  string `json:"type"`
	Size  int64  `json:"size"`
	Parts int    `json:"parts"`
	// Refs counts the posts that name the image.
	Refs int `json:"refs"`
	// Waiting is set when the image is stored for a post not yet saved, or
	// when an edit leaves no post naming it: the sweep keeps it until
	// imageGrace after that.
	Waiting time.Time `json:"waiting,omitzero"`
}

// SaveImage stores an image's bytes, as media.Prepare made them, under
// their hash, unless they are stored already, and returns the hash. The
// post that is to carry it is saved after it; until one names it, the
// image waits imageGrace, after which SweepImages removes it.
func (s *Store) SaveImage(ctx context.Context, data []byte) (string, error) {
	hash := planner.ImageHash(data)
	what := "save image " + hash
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	typ := planner.ImageTypeOf(data)
	switch {
	case typ == "":
		return "", fmt.Errorf("%s: %w", what, &planner.InvalidError{Field: "images", Key: "error.image.type", Msg: "the data is not a JPEG, PNG or GIF image"})
	case len(data) > maxImageBytes:
		return "", fmt.Errorf("%s: %w", what, &planner.InvalidError{Field: "images", Key: "error.image.size", Msg: "the image is too large to store"})
	}
	// The parts go to the value log through memory maps: room for them
	// first, or a full disk ends the process (see space.go).
	if err := s.spaceForBytes(int64(len(data))); err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	err := s.update(ctx, func(txn *badger.Txn) error {
		return putImage(txn, hash, typ, data, time.Now())
	})
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	return hash, nil
}

// putImage stores the image unless it is stored, and marks it as waiting
// for its post either way.
func putImage(txn *badger.Txn, hash, typ string, data []byte, now time.Time) error {
	var rec imageRecord
	switch err := get(txn, imageKey(hash), &rec); {
	case err == nil:
		rec.Waiting = now
		return setImageRecord(txn, hash, rec)
	case !errors.Is(err, planner.ErrNotFound):
		return fmt.Errorf("read the image's record: %w", err)
	}
	rec = imageRecord{Type: typ, Size: int64(len(data)), Waiting: now}
	for off := 0; off < len(data) || off == 0; off += imagePartBytes {
		part := data[off:min(off+imagePartBytes, len(data))]
		val := make([]byte, 0, 1+len(part))
		if err := txn.Set(imagePartKey(hash, rec.Parts), append(append(val, encodingImagePart), part...)); err != nil {
			return err
		}
		rec.Parts++
	}
	return setImageRecord(txn, hash, rec)
}

func setImageRecord(txn *badger.Txn, hash string, rec imageRecord) error {
	val, err := encode(rec)
	if err != nil {
		return err
	}
	return txn.Set(imageKey(hash), val)
}

// dropImage removes the image's record and bytes.
func dropImage(txn *badger.Txn, hash string, rec imageRecord) error {
	for n := range rec.Parts {
		if err := txn.Delete(imagePartKey(hash, n)); err != nil {
			return err
		}
	}
	return txn.Delete(imageKey(hash))
}

// moveImageRefs counts a post's change from naming the images in old to
// naming those in now, in the post's transaction. An image the post gains
// must be stored. One it loses and no post names any more is removed at
// once when gone says the post is deleted, else left for the sweep.
func moveImageRefs(txn *badger.Txn, old, now []string, gone bool, at time.Time) error {
	for _, h := range now {
		if containsString(old, h) {
			continue
		}
		var rec imageRecord
		if err := get(txn, imageKey(h), &rec); err != nil {
			if errors.Is(err, planner.ErrNotFound) {
				return &planner.InvalidError{Field: "images", Key: "error.post.image_missing", Msg: "the post names an image that is not stored"}
			}
			return fmt.Errorf("read image %s: %w", h, err)
		}
		// Named, it waits no more: the post's deletion removes it at once.
		rec.Refs, rec.Waiting = rec.Refs+1, time.Time{}
		if err := setImageRecord(txn, h, rec); err != nil {
			return err
		}
	}
	for _, h := range old {
		if containsString(now, h) {
			continue
		}
		var rec imageRecord
		switch err := get(txn, imageKey(h), &rec); {
		case errors.Is(err, planner.ErrNotFound):
			continue // nothing to count down
		case err != nil:
			return fmt.Errorf("read image %s: %w", h, err)
		}
		if rec.Refs--; rec.Refs > 0 {
			if err := setImageRecord(txn, h, rec); err != nil {
				return err
			}
			continue
		}
		rec.Refs = 0
		if gone && (rec.Waiting.IsZero() || at.Sub(rec.Waiting) >= imageGrace) {
			if err := dropImage(txn, h, rec); err != nil {
				return err
			}
			continue
		}
		if !gone {
			rec.Waiting = at
		}
		if err := setImageRecord(txn, h, rec); err != nil {
			return err
		}
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ImageData returns an image's bytes; ErrNotFound when none is stored
// under the hash. It checks them against the hash.
func (s *Store) ImageData(ctx context.Context, hash string) ([]byte, error) {
	what := "load image " + hash
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if !planner.ValidImageHash(hash) {
		return nil, fmt.Errorf("%s: %w", what, planner.ErrNotFound)
	}
	var data []byte
	err := s.view(func(txn *badger.Txn) error {
		var err error
		data, err = readImage(txn, hash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if planner.ImageHash(data) != hash {
		if verr := s.verify(); verr != nil {
			return nil, fmt.Errorf("%s: %w", what, verr)
		}
		return nil, fmt.Errorf("%s: its stored bytes do not match it", what)
	}
	return data, nil
}

// readImage reads an image's parts and joins them.
func readImage(txn *badger.Txn, hash string) ([]byte, error) {
	var rec imageRecord
	if err := get(txn, imageKey(hash), &rec); err != nil {
		return nil, err
	}
	data := make([]byte, 0, rec.Size)
	for n := range rec.Parts {
		item, err := txn.Get(imagePartKey(hash, n))
		if err != nil {
			return nil, fmt.Errorf("part %d of %d: %w", n+1, rec.Parts, err)
		}
		err = item.Value(func(b []byte) error {
			if len(b) == 0 || b[0] != encodingImagePart {
				return fmt.Errorf("part %d of %d is not image data", n+1, rec.Parts)
			}
			data = append(data, b[1:]...)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if int64(len(data)) != rec.Size {
		return nil, fmt.Errorf("%d bytes stored, %d expected", len(data), rec.Size)
	}
	return data, nil
}

// SweepImages removes the images no post names that have waited since
// before before (the background collector passes now less imageGrace),
// and returns how many. Each goes in its own transaction, which checks
// again that no post has come to name it meanwhile.
func (s *Store) SweepImages(ctx context.Context, before time.Time) (int, error) {
	const what = "remove images no post names"
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	var unused []string
	err := s.view(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.Prefix = []byte(prefixImage)
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var rec imageRecord
			item := it.Item()
			if err := item.Value(func(b []byte) error { return decode(b, &rec) }); err != nil {
				return fmt.Errorf("read %s: %w", item.Key(), err)
			}
			if rec.Refs <= 0 && rec.Waiting.Before(before) {
				unused = append(unused, string(bytes.TrimPrefix(item.Key(), []byte(prefixImage))))
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	n := 0
	for _, h := range unused {
		if err := ctx.Err(); err != nil {
			return n, fmt.Errorf("%s: %w", what, err)
		}
		removed := false
		err := s.update(ctx, func(txn *badger.Txn) error {
			removed = false
			var rec imageRecord
			switch err := get(txn, imageKey(h), &rec); {
			case errors.Is(err, planner.ErrNotFound):
				return nil
			case err != nil:
				return err
			}
			if rec.Refs > 0 || !rec.Waiting.Before(before) {
				return nil
			}
			removed = true
			return dropImage(txn, h, rec)
		})
		if err != nil {
			return n, fmt.Errorf("%s: %w", what, err)
		}
		if removed {
			n++
		}
	}
	if n > 0 {
		s.log.WithField("images", n).Debug("removed images no post names")
	}
	return n, nil
}

// sweepImages is the background collector's pass: images that have waited
// imageGrace for a post go.
func (s *Store) sweepImages() {
	if _, err := s.SweepImages(context.Background(), time.Now().Add(-imageGrace)); err != nil && !errors.Is(err, errClosed) {
		s.log.WithError(err).Warn("removing images no post names failed; the next pass tries again")
	}
}

// spaceForBytes checks the space before writing n bytes more than a usual
// write: the value log takes them whole.
func (s *Store) spaceForBytes(n int64) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	lsm, _ := s.db.Size()
	return checkSpace(s.dir, spaceNeeded(lsm)+uint64(2*n), s.freeSpace, s.log)
}
