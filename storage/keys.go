package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// Key prefixes. Each kind of record has its own, and no prefix is the start
// of another's (post/ is not a prefix of posttime/), so a prefix scan sees one kind.
const (
	prefixPost        = "post/"        // post/<id> -> Post
	prefixPostTime    = "posttime/"    // posttime/<unix-be>/<id> -> empty
	prefixPostStatus  = "poststatus/"  // poststatus/<status>/<unix-be>/<id> -> empty; undated posts at 0
	prefixPostUndated = "postundated/" // postundated/<id> -> empty
	prefixPlan        = "plan/"        // plan/<id> -> SlotPlan
	prefixException   = "slotx/"       // slotx/<occurrence-id> -> SlotException
	prefixGoal        = "goal/"        // goal/<id> -> Goal
	prefixAccount     = "account/"     // account/<id> -> Account
	prefixCalendar    = "calendar/"    // calendar/<id> -> CalendarSource: a work calendar's address, never its events
	prefixBusy        = "busy/"        // busy/<calendar-id> -> BusyWindow: that calendar's busy intervals only
	keyOrgKit         = "orgkit"       // OrgKitRecord: the organization kit last imported
	prefixFeed        = "feed/"        // feed/<id> -> Feed
	prefixItem        = "item/"        // item/<id> -> Item
	prefixItemTime    = "itemtime/"    // itemtime/<inverted-unix-be>/<id> -> Item (a copy): every item, newest first
	prefixItemFeed    = "itemfeed/"    // itemfeed/<feed-id>/<unix-be>/<id> -> empty: a feed's items, by published time
	prefixItemLink    = "itemlink/"    // itemlink/<feed-id>/<sha-256 of the link> -> item id
	prefixImage       = "image/"       // image/<sha-256 hex> -> imageRecord: type, size, parts, the posts naming it
	prefixImageData   = "imagedata/"   // imagedata/<sha-256 hex>/<n big-endian uint32> -> part n of its bytes, raw after a version byte
	keyProfile        = "profile"      // RoleProfile
	keySettings       = "settings"     // Settings
	keySchema         = "meta/schema"  // int: the schema version
)

// unixLen is the length of a big-endian Unix time in an index key.
const unixLen = 8

func idKey(prefix, id string) []byte {
	k := make([]byte, 0, len(prefix)+len(id))
	return append(append(k, prefix...), id...)
}

func postKey(id string) []byte { return idKey(prefixPost, id) }

// unixSeconds is t's index position: whole seconds, floored, 0 for the zero
// time and anything before 1970 (posts are kept to 2000–2199).
func unixSeconds(t time.Time) uint64 {
	if t.IsZero() || t.Unix() < 0 {
		return 0
	}
	return uint64(t.Unix())
}

// timeKey is prefix, the big-endian seconds and, when id is given, "/" and id;
// without id it is where a scan for that second starts.
func timeKey(prefix string, sec uint64, id string) []byte {
	k := make([]byte, 0, len(prefix)+unixLen+1+len(id))
	k = append(k, prefix...)
	k = binary.BigEndian.AppendUint64(k, sec)
	if id == "" {
		return k
	}
	return append(append(k, '/'), id...)
}

func statusPrefix(st planner.Status) string { return prefixPostStatus + string(st) + "/" }

// postIndexKeys lists the index entries that find p.
func postIndexKeys(p planner.Post) [][]byte {
	status := timeKey(statusPrefix(p.Status), unixSeconds(p.Time), p.ID)
	if p.Time.IsZero() {
		return [][]byte{idKey(prefixPostUndated, p.ID), status}
	}
	return [][]byte{timeKey(prefixPostTime, unixSeconds(p.Time), p.ID), status}
}

func hasKey(keys [][]byte, k []byte) bool {
	for _, x := range keys {
		if bytes.Equal(x, k) {
			return true
		}
	}
	return false
}

func feedKey(id string) []byte { return idKey(prefixFeed, id) }

func itemKey(id string) []byte { return idKey(prefixItem, id) }

// itemFeedPrefix is where the feed's entries of the itemfeed index start.
func itemFeedPrefix(feedID string) string { return prefixItemFeed + feedID + "/" }

// itemLinkKey finds the feed's item with the link; the link is hashed
// because links can be longer than a key should be.
func itemLinkKey(feedID, link string) []byte {
	sum := sha256.Sum256([]byte(link))
	k := make([]byte, 0, len(prefixItemLink)+len(feedID)+1+len(sum))
	k = append(append(append(k, prefixItemLink...), feedID...), '/')
	return append(k, sum[:]...)
}

// itemIndexKeys lists the index entries that find it. The itemtime entry
// holds a copy of the item, so that the reading list is one forward scan,
// newest first (its seconds are inverted); the link entry holds the item's
// ID; the itemfeed entry is empty.
func itemIndexKeys(it planner.Item) (timeKeys [][]byte, linkKey []byte) {
	sec := unixSeconds(it.Published)
	timeKeys = [][]byte{timeKey(prefixItemTime, math.MaxUint64-sec, it.ID), timeKey(itemFeedPrefix(it.FeedID), sec, it.ID)}
	if it.URL != "" {
		linkKey = itemLinkKey(it.FeedID, it.URL)
	}
	return timeKeys, linkKey
}

func imageKey(hash string) []byte { return idKey(prefixImage, hash) }

// imagePartKey is where part n of the image's bytes is; the parts of one
// image sort in order.
func imagePartKey(hash string, n int) []byte {
	k := make([]byte, 0, len(prefixImageData)+len(hash)+1+4)
	k = append(append(append(k, prefixImageData...), hash...), '/')
	return binary.BigEndian.AppendUint32(k, uint32(n))
}
