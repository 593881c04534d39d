package storage

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// The export document's format name and the newest version this build
// writes and reads. A document with images is version 2: a Kaiku that
// reads only version 1 would take its posts without their images. One
// without is version 1, which any Kaiku reads.
const (
	ExportFormat  = "kaiku-export"
	ExportVersion = 2
)

// maxImportBytes bounds an export file ImportJSON reads: far above years of
// posts, far below what would exhaust a desktop's memory.
const maxImportBytes = 512 << 20

// importBatch is how many items ImportJSON writes per transaction at first;
// it halves the batch when Badger finds a transaction too big.
const importBatch = 256

// Sentinels for ImportJSON's errors, for errors.Is. An item that breaks a
// rule of the planner wraps planner.ErrInvalid instead.
var (
	// ErrNotExport: the file, or an item in it, is not what ExportJSON writes.
	ErrNotExport = errors.New("not a Kaiku export")
	// ErrNewerExport: the file was exported by a newer Kaiku.
	ErrNewerExport = errors.New("export from a newer Kaiku")
)

// ImportSummary counts what ImportJSON wrote: planner's, which the window
// reads without importing storage.
type ImportSummary = planner.ImportSummary

// ExportJSON writes all of the user's data to w as one JSON document (UTF-8),
// read from one consistent snapshot:
//
//	{"format":"kaiku-export","version":1,"exported":"2026-12-01T09:00:00Z",
//	"posts":[
//	{"id":"…","text":"…","time":"2026-12-02T09:00:00+02:00","status":"scheduled",…},
//	…
//	],
//	"plans":[…],
//	"exceptions":[…],
//	"goals":[…],
//	"profile":{…},
//	"settings":{…},
//	"accounts":[…],
//	"calendars":[…],
//	"busy":[…],
//	"org_kit":{…}
//	"feeds":[…],
//	"items":[…],
//	"images":[{"hash":"…","type":"image/jpeg","size":123456,"data":"/9j/4AAQ…"},…]
//	}
//
// "format" is always "kaiku-export". "version" is the document's version:
// 2 when it holds images, else 1; it goes up only for a change an older
// Kaiku could not read right.
// "exported" is when, in RFC 3339. Each list holds whole records, one a line,
// in the JSON of the planner types. Times are RFC 3339 with their offset;
// an optional field that is empty is left out. Records:
//
//   - posts (planner.Post): "id"; "text", or "parts" for a thread; "variants"
//     (network → text); "purpose" (write, share, converse, follow); "role"
//     (informing, advising, current-affairs, collaboration, networking,
//     interests); "goal_id"; "targets" ([{"account_id","network"}]); "time",
//     absent for an undated post; "occurrence_id", the slot occurrence it
//     fills; "status" (idea, draft, scheduled, publishing, published, failed,
//     needs-attention); "created"; "updated"; "attempt"; "results"
//     ([{"account_id","network","part","remote_id","cid","url","at",
//     "pending","key","attempt","error"}]: per account and part, "remote_id"
//     is the network's ID of it (a Bluesky at:// URI, a LinkedIn URN) and
//     "cid" Bluesky's content ID; "pending" marks a part whose request was
//     under way, on record before it, with "key", the part's name on the
//     network chosen beforehand (Mastodon's Idempotency-Key, Bluesky's
//     record key), and "attempt", the attempt that sent it; a result without
//     "account_id" is a post made by hand); "last_error"; "language", an ISO
//     639-1 code such as fi, absent to follow the settings. Networks are x,
//     mastodon, bluesky and linkedin.
//   - plans (planner.SlotPlan): "id"; "time_zone", an IANA name; "slots"
//     ([{"id","weekday" (0 Sunday … 6 Saturday),"start" ("09:30"),"minutes",
//     "purpose","role","changed"}]); "updated"; "revision".
//   - exceptions (planner.SlotException), one slot occurrence changed:
//     "occurrence_id"; "skip": true, or "move_to", a time; "updated".
//   - goals (planner.Goal): "id"; "title"; "description"; "audiences"
//     (decision-makers, media, customers, peers, future-colleagues);
//     "created"; "updated".
//   - profile (planner.RoleProfile), or null before one is chosen: "primary"
//     and "secondary" roles; "mix" ({"own","shared","conversation"}, percent
//     summing to 100); "scope" (work, wider); "weekly_minutes"; "networks";
//     "updated".
//   - settings (planner.Settings), the defaults when none were saved:
//     "language" (fi, en, or absent for the system's); "time_zone";
//     "reminder_minutes"; "late_policy" (publish, ask, skip); "guidelines"
//     ({"disclosure","avoid_words"}); "welcomed".
//   - accounts (planner.Account), the linked accounts' metadata only: "id";
//     "network"; "handle" (user@instance on Mastodon, the member's name on
//     LinkedIn); "name"; "remote_id"; "api_base" (a Mastodon instance's
//     address, a Bluesky account's PDS); "status" (linked, needs-relink);
//     "text_limit" and "url_weight" (a Mastodon instance's own length and
//     what a link counts); "expires" (when a LinkedIn link ends);
//     "rate_limited_until"; "created"; "updated". Their tokens and secrets
//     live in the OS keyring, never in the store, and never here.
//   - calendars (planner.CalendarSource), the work calendars busy time is
//     read from: "id"; "kind" (file, url); "address"; "etag";
//     "last_modified"; "refreshed"; "last_error"; "skipped"; "known_until";
//     "added". Of a calendar Kaiku keeps only this and its busy intervals.
//   - busy (planner.BusyWindow), one per calendar: "source_id"; "from" and
//     "to", the span read; "intervals" ([{"start","end","tentative"}]).
//   - org_kit (planner.OrgKitRecord), or null before a kit is imported:
//     "kit" (the kit as imported: "format", "version", "organization",
//     "made", "goals", "guidelines", "hashtags", "feeds", "networks");
//     "source"; "received"; "applied_goals".
//   - feeds (planner.Feed), the reading list's sources: "id"; "title"; "url",
//     the feed's address; "site_url"; "folder"; "etag" and "last_modified",
//     the last answer's validators; "fetched", the last refresh that
//     worked; "last_error" ({"code","status","text","at"}) when the last
//     one failed, with "failures" and "backoff_until"; "created".
//   - items (planner.Item), the feeds' entries: "id"; "feed_id"; "guid",
//     the feed's own identity for it; "title"; "url"; "published";
//     "summary", plain text; "read"; "saved"; "shared_post_id", the post
//     that shared it; "added". A post that shares an item names it in
//     "source_item".
//   - images, last, each image some post carries, once however many posts
//     carry it: "hash", the SHA-256 of its bytes in lowercase hex; "type"
//     (image/jpeg, image/png, image/gif); "size" in bytes; "data", the bytes
//     in standard base64 (RFC 4648). Posts name them in "images"
//     ([{"hash","alt","type","width","height","part"}], "part" the thread
//     part from 0, left out for 0). Base64 in the document, rather than
//     files beside it, keeps an export one file, which "-o -" can pipe; it
//     costs a third more bytes. ImportJSON reads the images one at a time,
//     so their size is bounded by the disk, not by memory.
//
// ImportJSON reads the document back. On an error w holds part of a
// document, so write to a temporary file and rename it when ExportJSON
// returns nil.
func (s *Store) ExportJSON(ctx context.Context, w io.Writer) error {
	const what = "export the data"
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	// Badger's iterators skip what they cannot read: check it all first.
	if err := s.verifyOpen(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	x := newExportWriter(w)
	err := s.view(func(txn *badger.Txn) error {
		version := 1
		if anyImage(txn) {
			version = 2
		}
		x.printf(`{"format":%q,"version":%d,"exported":%q`, ExportFormat, version,
			time.Now().UTC().Format(time.RFC3339))
		if err := exportList[planner.Post](ctx, txn, x, "posts", prefixPost); err != nil {
			return err
		}
		if err := exportList[planner.SlotPlan](ctx, txn, x, "plans", prefixPlan); err != nil {
			return err
		}
		if err := exportList[planner.SlotException](ctx, txn, x, "exceptions", prefixException); err != nil {
			return err
		}
		if err := exportList[planner.Goal](ctx, txn, x, "goals", prefixGoal); err != nil {
			return err
		}
		var profile *planner.RoleProfile
		var p planner.RoleProfile
		switch err := get(txn, []byte(keyProfile), &p); {
		case err == nil:
			profile = &p
		case !errors.Is(err, planner.ErrNotFound):
			return fmt.Errorf("read the role profile: %w", err)
		}
		x.printf(",\n%q:", "profile")
		x.value(profile)
		settings := planner.DefaultSettings()
		if err := get(txn, []byte(keySettings), &settings); err != nil && !errors.Is(err, planner.ErrNotFound) {
			return fmt.Errorf("read the settings: %w", err)
		}
		x.printf(",\n%q:", "settings")
		x.value(settings)
		if err := exportList[planner.Account](ctx, txn, x, "accounts", prefixAccount); err != nil {
			return err
		}
		if err := exportList[planner.CalendarSource](ctx, txn, x, "calendars", prefixCalendar); err != nil {
			return err
		}
		if err := exportList[planner.BusyWindow](ctx, txn, x, "busy", prefixBusy); err != nil {
			return err
		}
		var kit *planner.OrgKitRecord
		var rec planner.OrgKitRecord
		switch err := get(txn, []byte(keyOrgKit), &rec); {
		case err == nil:
			kit = &rec
		case !errors.Is(err, planner.ErrNotFound):
			return fmt.Errorf("read the organization kit: %w", err)
		}
		x.printf(",\n%q:", "org_kit")
		x.value(kit)
		if err := exportList[planner.Feed](ctx, txn, x, "feeds", prefixFeed); err != nil {
			return err
		}
		if err := exportList[planner.Item](ctx, txn, x, "items", prefixItem); err != nil {
			return err
		}
		if err := exportImages(ctx, txn, x); err != nil {
			return err
		}
		x.printf("\n}\n")
		return x.err
	})
	if err == nil {
		err = x.bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// exportList writes `,"name":[`, the records under prefix one a line, and `]`.
func exportList[T any](ctx context.Context, txn *badger.Txn, x *exportWriter, name, prefix string) error {
	x.printf(",\n%q:[", name)
	opt := badger.DefaultIteratorOptions
	opt.Prefix = []byte(prefix)
	opt.PrefetchSize = 16
	it := txn.NewIterator(opt)
	defer it.Close()
	n := 0
	for it.Rewind(); it.Valid(); it.Next() {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var v T
		item := it.Item()
		if err := item.Value(func(b []byte) error { return decode(b, &v) }); err != nil {
			return fmt.Errorf("read %s: %w", item.Key(), err)
		}
		if n > 0 {
			x.printf(",")
		}
		x.printf("\n")
		x.value(v)
		if x.err != nil {
			return x.err
		}
		n++
	}
	if n > 0 {
		x.printf("\n")
	}
	x.printf("]")
	return x.err
}

// exportWriter writes the document, keeping the first error.
type exportWriter struct {
	bw  *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

func newExportWriter(w io.Writer) *exportWriter {
	x := &exportWriter{bw: bufio.NewWriterSize(w, 64<<10)}
	x.enc = json.NewEncoder(&x.buf)
	// Posts are full of & < >; escaping them only makes the file harder to read.
	x.enc.SetEscapeHTML(false)
	return x
}

func (x *exportWriter) printf(format string, args ...any) {
	if x.err == nil {
		_, x.err = fmt.Fprintf(x.bw, format, args...)
	}
}

// value writes v as JSON, without the encoder's newline.
func (x *exportWriter) value(v any) {
	if x.err != nil {
		return
	}
	x.buf.Reset()
	if x.err = x.enc.Encode(v); x.err == nil {
		_, x.err = x.bw.Write(bytes.TrimSuffix(x.buf.Bytes(), []byte("\n")))
	}
}

// anyImage reports whether some post carries an image.
func anyImage(txn *badger.Txn) bool {
	found := false
	_ = eachImage(txn, func(string, imageRecord) error {
		found = true
		return errStopImages
	})
	return found
}

var errStopImages = errors.New("stop")

// eachImage calls fn with every image some post names, in hash order; an
// image waiting for its post is not the user's yet.
func eachImage(txn *badger.Txn, fn func(hash string, rec imageRecord) error) error {
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
		if rec.Refs <= 0 {
			continue
		}
		if err := fn(string(item.Key()[len(prefixImage):]), rec); err != nil {
			return err
		}
	}
	return nil
}

// exportImages writes `,"images":[`, the images one a line with their
// bytes in base64, streamed part by part, and `]`. An image whose bytes do
// not match its hash stops the export.
func exportImages(ctx context.Context, txn *badger.Txn, x *exportWriter) error {
	x.printf(",\n%q:[", "images")
	n := 0
	err := eachImage(txn, func(hash string, rec imageRecord) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if n > 0 {
			x.printf(",")
		}
		x.printf("\n{\"hash\":%q,\"type\":%q,\"size\":%d,\"data\":\"", hash, rec.Type, rec.Size)
		if x.err != nil {
			return x.err
		}
		sum := sha256.New()
		enc := base64.NewEncoder(base64.StdEncoding, x.bw)
		size := int64(0)
		for part := range rec.Parts {
			item, err := txn.Get(imagePartKey(hash, part))
			if err != nil {
				return fmt.Errorf("read image %s, part %d: %w", hash, part+1, err)
			}
			err = item.Value(func(b []byte) error {
				if len(b) == 0 || b[0] != encodingImagePart {
					return fmt.Errorf("image %s, part %d, is not image data", hash, part+1)
				}
				sum.Write(b[1:])
				size += int64(len(b) - 1)
				_, err := enc.Write(b[1:])
				return err
			})
			if err != nil {
				return err
			}
		}
		if err := enc.Close(); err != nil {
			return err
		}
		if size != rec.Size || hex.EncodeToString(sum.Sum(nil)) != hash {
			return fmt.Errorf("image %s: its stored bytes do not match it", hash)
		}
		x.printf("\"}")
		n++
		return x.err
	})
	if err != nil {
		return err
	}
	if n > 0 {
		x.printf("\n")
	}
	x.printf("]")
	return x.err
}
