package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/kaiku-app/kaiku/planner"
)

// encodingItem marks a reading-list item in a compact binary form: the
// reading list decodes thousands of items to open, and JSON made that cost
// ten times more. The layout, after the byte: ID, FeedID, GUID, Title, URL,
// Summary and SharedPostID as a uvarint length and UTF-8 bytes; Published
// and Added as a varint of Unix seconds and a uvarint of nanoseconds (a
// zero time is seconds 0 with nanoseconds 1<<30); then ReadAt the same
// way; then a byte of flags, 1 for Read and 2 for Saved. A new field needs a
// new encoding byte. encodingItemNoReadAt is the same without ReadAt, as
// items were written before it.
const (
	encodingItem         byte = 4
	encodingItemNoReadAt byte = 2
)

// itemFields is how many fields planner.Item has; the codec test fails when
// it grows, so that a new field is not lost silently.
const itemFields = 12

const zeroNanos = 1 << 30

// itemValue validates it and encodes it for storing.
func itemValue(it planner.Item) ([]byte, error) {
	if err := it.Validate(); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 64+len(it.ID)+len(it.FeedID)+len(it.GUID)+len(it.Title)+len(it.URL)+len(it.Summary)+len(it.SharedPostID))
	b = append(b, encodingItem)
	for _, s := range []string{it.ID, it.FeedID, it.GUID, it.Title, it.URL, it.Summary, it.SharedPostID} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, t := range []time.Time{it.Published, it.Added, it.ReadAt} {
		if t.IsZero() {
			b = binary.AppendVarint(b, 0)
			b = binary.AppendUvarint(b, zeroNanos)
			continue
		}
		b = binary.AppendVarint(b, t.Unix())
		b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	}
	var flags byte
	if it.Read {
		flags |= 1
	}
	if it.Saved {
		flags |= 2
	}
	b = append(b, flags)
	if len(b) > maxValueBytes {
		return nil, fmt.Errorf("the item is too large to store (%d bytes)", len(b))
	}
	return b, nil
}

var errItemValue = errors.New("decode: a damaged item value")

// decodeItem reads what itemValue wrote, after its first byte; readAt says
// whether the value holds ReadAt. Times come back in UTC.
func decodeItem(b []byte, it *planner.Item, readAt bool) error {
	str := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return "", false
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, utf8.ValidString(s)
	}
	tm := func() (time.Time, bool) {
		sec, k := binary.Varint(b)
		if k <= 0 {
			return time.Time{}, false
		}
		b = b[k:]
		ns, k := binary.Uvarint(b)
		if k <= 0 || (ns >= 1e9 && ns != zeroNanos) {
			return time.Time{}, false
		}
		b = b[k:]
		if ns == zeroNanos {
			return time.Time{}, true
		}
		return time.Unix(sec, int64(ns)).UTC(), true
	}
	var out planner.Item
	ok := true
	for _, p := range []*string{&out.ID, &out.FeedID, &out.GUID, &out.Title, &out.URL, &out.Summary, &out.SharedPostID} {
		var good bool
		*p, good = str()
		ok = ok && good
	}
	times := []*time.Time{&out.Published, &out.Added}
	if readAt {
		times = append(times, &out.ReadAt)
	}
	for _, p := range times {
		var good bool
		*p, good = tm()
		ok = ok && good
	}
	if !ok || len(b) != 1 || b[0]&^3 != 0 {
		return errItemValue
	}
	out.Read, out.Saved = b[0]&1 != 0, b[0]&2 != 0
	*it = out
	return nil
}
