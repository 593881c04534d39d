package bluesky

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

// tidAlphabet is base32-sortable: the order of the characters is the order
// of their values, so TIDs sort as text in the order they were made.
const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// TIDClock makes record keys as the AT Protocol's TIDs: 13 characters for
// 64 bits, the top bit 0, then 53 bits of microseconds since 1970, then a
// 10-bit clock ID. Each TID from one clock is later than the one before,
// even when the wall clock stands still or steps back.
type TIDClock struct {
	mu    sync.Mutex
	now   func() time.Time
	clock uint64
	last  uint64
}

// NewTIDClock makes a clock with a random clock ID; now is time.Now when nil.
func NewTIDClock(now func() time.Time) *TIDClock {
	if now == nil {
		now = time.Now
	}
	var b [2]byte
	_, _ = rand.Read(b[:])
	return &TIDClock{now: now, clock: uint64(binary.BigEndian.Uint16(b[:])) & 0x3ff}
}

// Next returns a new TID.
func (c *TIDClock) Next() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	us := uint64(c.now().UnixMicro()) & (1<<53 - 1)
	v := us<<10 | c.clock
	if v <= c.last {
		v = c.last + 1<<10 // the next microsecond, same clock ID
	}
	c.last = v
	return encodeTID(v)
}

func encodeTID(v uint64) string {
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

// ValidTID reports whether s is a TID: 13 characters of the alphabet, the
// first of which keeps the top bit 0.
func ValidTID(s string) bool {
	if len(s) != 13 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if indexTID(s[i]) < 0 {
			return false
		}
	}
	return indexTID(s[0]) < 16
}

// TIDTime is when a TID was made.
func TIDTime(s string) (time.Time, bool) {
	if !ValidTID(s) {
		return time.Time{}, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		v = v<<5 | uint64(indexTID(s[i]))
	}
	return time.UnixMicro(int64(v >> 10)), true
}

func indexTID(c byte) int {
	switch {
	case c >= '2' && c <= '7':
		return int(c - '2')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 6
	}
	return -1
}
