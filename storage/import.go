package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// importDoc is the export document with its records still undecoded, so
// that an error can name the record it is in.
type importDoc struct {
	Format     string            `json:"format"`
	Version    int               `json:"version"`
	Posts      []json.RawMessage `json:"posts"`
	Plans      []json.RawMessage `json:"plans"`
	Exceptions []json.RawMessage `json:"exceptions"`
	Goals      []json.RawMessage `json:"goals"`
	Profile    json.RawMessage   `json:"profile"`
	Settings   json.RawMessage   `json:"settings"`
	Accounts   []json.RawMessage `json:"accounts"`
	Calendars  []json.RawMessage `json:"calendars"`
	Busy       []json.RawMessage `json:"busy"`
	OrgKit     json.RawMessage   `json:"org_kit"`
	Feeds      []json.RawMessage `json:"feeds"`
	Items      []json.RawMessage `json:"items"`
}

// staged is one record of an import, checked and encoded, waiting to be
// written: a value for its key, or a post or a feed's item, whose index
// entries move with it.
type staged struct {
	kind byte // recordSet, recordPost or recordItem
	key  []byte
	val  []byte
}

// ImportJSON reads a document written by ExportJSON and stores what it
// holds. Records replace stored ones with the same ID (exceptions: the same
// occurrence ID); stored records the document does not name stay. A list
// that is missing or null imports nothing, and so does a null or missing
// "profile" or "settings". A time the file leaves out (a goal's "created",
// a plan's "updated") becomes the time of the import.
//
// Every record is read and checked first: a file that is not an export, a
// record that cannot be read, one that breaks a rule (wrapping
// planner.ErrInvalid) or an ID given twice stops the import with an
// *ImportError naming the record, and nothing is written.
//
// The import is all or nothing, however large, even if the process is
// killed: the records are first written aside, a batch per transaction,
// then one small transaction marks the import as decided, and then they are
// moved into place. Open finishes a decided import and removes the records
// of one that was not decided.
func (s *Store) ImportJSON(ctx context.Context, r io.Reader) (ImportSummary, error) {
	var sum ImportSummary
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("import: %w", err)
	}
	// One import at a time: the records aside are the import's own. What
	// an import killed before its decision left is not this one's.
	s.importMu.Lock()
	defer s.importMu.Unlock()
	if err := s.dropStaged(); err != nil {
		return sum, fmt.Errorf("import: %w", err)
	}
	fail := func(err error) (ImportSummary, error) {
		if cerr := s.dropStaged(); cerr != nil {
			s.log.WithError(cerr).Warn("removing an import that did not finish; the next start removes it")
		}
		return ImportSummary{}, err
	}
	// The images, which may be many megabytes, are checked and set aside as
	// they are read; the rest is read whole, then checked.
	now := time.Now()
	images := importedImages{hashes: map[string]bool{}}
	data, err := splitImages(r, func(n int, raw json.RawMessage) error {
		return s.stageImage(ctx, &images, n, raw, now)
	})
	if err != nil {
		var ie *ImportError
		switch {
		case errors.As(err, &ie):
		case errors.Is(err, errImportTooLarge):
			err = fileError(fmt.Errorf("the file is %w (it is larger than %d MB besides its images)", ErrNotExport, maxImportBytes>>20),
				"import.file.too_large", "it is larger than {{.MB}} MB, more than any Kaiku export", map[string]any{"MB": maxImportBytes >> 20})
		case isJSONError(err):
			err = fileJSONError(err)
		default:
			err = fmt.Errorf("import: read the file: %w", err)
		}
		return fail(err)
	}
	recs, sum, err := prepareImportWith(data, now, images.hashes)
	if err != nil {
		return fail(err)
	}
	sum.Images = images.count
	if err := s.setAsideFrom(ctx, recs, images.next); err != nil {
		return fail(fmt.Errorf("import: %w", err))
	}
	if err := s.decide(ctx); err != nil {
		return fail(fmt.Errorf("import: %w", err))
	}
	// Decided: from here the import completes, now or at the next start.
	if err := s.applyStaged(); err != nil {
		return ImportSummary{}, fmt.Errorf("import: the records were taken in, but writing them in place stopped; Kaiku finishes it the next time it opens the folder: %w", err)
	}
	return sum, nil
}

// prepareImport decodes, checks and encodes every record of a document without images.
func prepareImport(data []byte, now time.Time) ([]staged, ImportSummary, error) {
	return prepareImportWith(data, now, nil)
}

// prepareImportWith decodes, checks and encodes every record; images are
// the hashes of the images the file holds, which its posts may name.
func prepareImportWith(data []byte, now time.Time, images map[string]bool) ([]staged, ImportSummary, error) {
	var sum ImportSummary
	var doc importDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, sum, fileJSONError(err)
	}
	switch {
	case doc.Format != ExportFormat:
		return nil, sum, fileError(fmt.Errorf("the file is %w (its format is %q, not %q)", ErrNotExport, doc.Format, ExportFormat),
			"import.file.format", "it is not a Kaiku export (its format is “{{.Format}}”)", map[string]any{"Format": doc.Format})
	case doc.Version > ExportVersion:
		return nil, sum, fileError(fmt.Errorf("the file is an %w (export version %d, this Kaiku reads up to %d); update Kaiku to import it",
			ErrNewerExport, doc.Version, ExportVersion),
			"import.file.newer", "it comes from a newer Kaiku (export version {{.Found}}; this Kaiku reads up to {{.Known}}); update Kaiku to import it",
			map[string]any{"Found": doc.Version, "Known": ExportVersion})
	case doc.Version < 1:
		return nil, sum, fileError(fmt.Errorf("the file is %w (it has no version)", ErrNotExport),
			"import.file.no_version", "it is not a Kaiku export (it has no version)", nil)
	}

	var recs []staged
	var err error
	add := func(more []staged, e error) int {
		if err == nil {
			err = e
		}
		recs = append(recs, more...)
		return len(more)
	}
	sum.Posts = add(prepareList(doc.Posts, "post", func(p planner.Post) (string, staged, error) {
		stamp(&p.Created, &p.Updated, now)
		val, err := postValue(p)
		if err == nil {
			// Every image a post names comes with it: the store has no other.
			for _, h := range p.ImageHashes() {
				if !images[h] {
					err = &imageMissingError{hash: h}
					break
				}
			}
		}
		return p.ID, staged{kind: recordPost, key: postKey(p.ID), val: val}, err
	}))
	sum.Plans = add(prepareList(doc.Plans, "plan", func(p planner.SlotPlan) (string, staged, error) {
		stamp(nil, &p.Updated, now)
		return keyed(p.ID, idKey(prefixPlan, p.ID), p)
	}))
	sum.Exceptions = add(prepareList(doc.Exceptions, "exception", func(x planner.SlotException) (string, staged, error) {
		stamp(nil, &x.Updated, now)
		return keyed(x.OccurrenceID, idKey(prefixException, x.OccurrenceID), x)
	}))
	sum.Goals = add(prepareList(doc.Goals, "goal", func(g planner.Goal) (string, staged, error) {
		stamp(&g.Created, &g.Updated, now)
		return keyed(g.ID, idKey(prefixGoal, g.ID), g)
	}))
	sum.Profile = add(prepareOne(doc.Profile, "profile", planner.RoleProfile{}, func(p planner.RoleProfile) (staged, error) {
		stamp(nil, &p.Updated, now)
		return setRecord([]byte(keyProfile), p)
	})) > 0
	// Settings written by hand may leave out what they keep at the default.
	sum.Settings = add(prepareOne(doc.Settings, "settings", planner.DefaultSettings(), func(st planner.Settings) (staged, error) {
		return setRecord([]byte(keySettings), st)
	})) > 0
	sum.Accounts = add(prepareList(doc.Accounts, "account", func(a planner.Account) (string, staged, error) {
		stamp(&a.Created, &a.Updated, now)
		return keyed(a.ID, idKey(prefixAccount, a.ID), a)
	}))
	calendars := map[string]bool{}
	sum.Calendars = add(prepareList(doc.Calendars, "calendar", func(c planner.CalendarSource) (string, staged, error) {
		calendars[c.ID] = true
		return keyed(c.ID, idKey(prefixCalendar, c.ID), c)
	}))
	add(prepareList(doc.Busy, "busy time", func(w planner.BusyWindow) (string, staged, error) {
		if !calendars[w.SourceID] {
			return w.SourceID, staged{}, fmt.Errorf("%w: it belongs to no calendar in the file", planner.ErrInvalid)
		}
		return keyed(w.SourceID, idKey(prefixBusy, w.SourceID), w)
	}))
	sum.OrgKit = add(prepareOne(doc.OrgKit, "org_kit", planner.OrgKitRecord{}, func(r planner.OrgKitRecord) (staged, error) {
		return setRecord([]byte(keyOrgKit), r)
	})) > 0
	sum.Feeds = add(prepareList(doc.Feeds, "feed", func(f planner.Feed) (string, staged, error) {
		return keyed(f.ID, feedKey(f.ID), f)
	}))
	sum.Items = add(prepareList(doc.Items, "item", func(it planner.Item) (string, staged, error) {
		val, err := itemValue(it)
		return it.ID, staged{kind: recordItem, key: itemKey(it.ID), val: val}, err
	}))
	if err != nil {
		return nil, ImportSummary{}, err
	}
	return recs, sum, nil
}

// stamp fills the times a record left out: created (when the record has
// one) with now, updated with created, or with now.
func stamp(created, updated *time.Time, now time.Time) {
	if created != nil && created.IsZero() {
		*created = now
	}
	if updated.IsZero() {
		*updated = now
		if created != nil {
			*updated = *created
		}
	}
}

// prepareList decodes and checks each record of a list; check returns the
// record's ID, its encoding and whether it is valid.
func prepareList[T any](raws []json.RawMessage, list string, check func(T) (string, staged, error)) ([]staged, error) {
	recs := make([]staged, 0, len(raws))
	seen := make(map[string]bool, len(raws))
	for i, raw := range raws {
		var v T
		if err := decodeStrict(raw, &v); err != nil {
			return nil, itemError(list, i+1, rawID(raw), shapeOf[T](raw, err))
		}
		id, rec, err := check(v)
		if err != nil {
			return nil, itemError(list, i+1, id, err)
		}
		if seen[id] {
			return nil, itemError(list, i+1, id, &twiceError{list})
		}
		seen[id] = true
		recs = append(recs, rec)
	}
	return recs, nil
}

// prepareOne decodes a single record over v and checks it; null or missing writes nothing.
func prepareOne[T any](raw json.RawMessage, name string, v T, check func(T) (staged, error)) ([]staged, error) {
	if len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, nil
	}
	if err := decodeStrict(raw, &v); err != nil {
		return nil, itemError(name, 0, "", shapeOf[T](raw, err))
	}
	rec, err := check(v)
	if err != nil {
		return nil, itemError(name, 0, "", err)
	}
	return []staged{rec}, nil
}

// decodeStrict decodes one record; null is not a record.
func decodeStrict(raw json.RawMessage, v any) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return errNullRecord
	}
	return json.Unmarshal(raw, v)
}

var errNullRecord = errors.New("null is not a record")

// rawID is the record's "id" or "occurrence_id", if it has a readable one.
func rawID(raw json.RawMessage) string {
	var ids struct {
		ID           string `json:"id"`
		OccurrenceID string `json:"occurrence_id"`
	}
	if json.Unmarshal(raw, &ids) != nil {
		return ""
	}
	if ids.ID != "" {
		return ids.ID
	}
	return ids.OccurrenceID
}

// keyed is setRecord for a record of a list, with its ID.
func keyed(id string, key []byte, v validator) (string, staged, error) {
	rec, err := setRecord(key, v)
	return id, rec, err
}

// setRecord checks v and encodes it for key.
func setRecord(key []byte, v validator) (staged, error) {
	val, err := value(v)
	return staged{kind: recordSet, key: key, val: val}, err
}

// The records of an import wait under prefixImport, numbered, until
// keyImportDecided says that the import goes ahead; see ImportJSON.
const (
	prefixImport     = "import/"     // import/<n big-endian> -> kind, key length, key, value
	keyImportDecided = "meta/import" // present while a decided import is moved into place
	recordSet        = byte(1)       // a value for a key
	recordPost       = byte(2)       // a post, with its index entries
	recordItem       = byte(3)       // a feed's item, with its index entries
	recordImagePart  = byte(4)       // a part of an image's bytes, unless the image is stored
	recordImage      = byte(5)       // an image's record, after its parts; a stored one keeps its count
)

// stagedBatchBytes bounds the values one transaction of an import moves,
// so that an import of many large images never holds them all at once (a
// variable for tests).
var stagedBatchBytes = 16 << 20

func stagedKey(n int) []byte {
	return binary.BigEndian.AppendUint64([]byte(prefixImport), uint64(n))
}

func (r staged) encode() []byte {
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(r.key)+len(r.val))
	b = append(b, r.kind)
	b = binary.AppendUvarint(b, uint64(len(r.key)))
	return append(append(b, r.key...), r.val...)
}

func decodeStaged(b []byte) (staged, error) {
	if len(b) < 2 || b[0] < recordSet || b[0] > recordImage {
		return staged{}, errors.New("an import record cannot be read")
	}
	n, w := binary.Uvarint(b[1:])
	if w <= 0 || uint64(len(b)-1-w) < n {
		return staged{}, errors.New("an import record cannot be read")
	}
	key := b[1+w : 1+w+int(n)]
	return staged{kind: b[0], key: key, val: b[1+w+int(n):]}, nil
}

// stageImport writes the records aside, a batch per transaction, then
// marks the import as decided in one more.
func (s *Store) stageImport(ctx context.Context, recs []staged) error {
	if err := s.setAside(ctx, recs); err != nil {
		return err
	}
	return s.decide(ctx)
}

// decide marks the records set aside as an import that goes ahead.
func (s *Store) decide(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(ctx, func(txn *badger.Txn) error { return txn.Set([]byte(keyImportDecided), nil) })
}

// setAside writes the records under prefixImport, a batch per transaction.
func (s *Store) setAside(ctx context.Context, recs []staged) error {
	// What an import killed before its decision left is not this one's.
	if err := s.dropStaged(); err != nil {
		return err
	}
	return s.setAsideFrom(ctx, recs, 0)
}

// setAsideFrom writes the records under prefixImport numbered from first,
// after those already set aside.
func (s *Store) setAsideFrom(ctx context.Context, recs []staged, first int) error {
	ops := make([]func(*badger.Txn) error, len(recs))
	for i, r := range recs {
		key, val := stagedKey(first+i), r.encode()
		ops[i] = func(txn *badger.Txn) error { return txn.Set(key, val) }
	}
	return s.writeBatches(ctx, ops)
}

// applyStaged moves a decided import's records into place, a batch per
// transaction, each batch removing the records it wrote, so that it can stop
// anywhere and go on from there; the last removes the decision. It does not
// stop for a cancelled context: the import was decided.
func (s *Store) applyStaged() error {
	return s.eachStagedBatch(applyRecord, true)
}

// applyRecord writes one record of an import in place.
func applyRecord(txn *badger.Txn, r staged) error {
	switch r.kind {
	case recordPost:
		var p planner.Post
		if err := decode(r.val, &p); err != nil {
			return err
		}
		return putPost(txn, p, r.val)
	case recordItem:
		var it planner.Item
		if err := decode(r.val, &it); err != nil {
			return err
		}
		return replaceItem(txn, it, r.val)
	case recordImagePart:
		if len(r.key) < len(prefixImageData)+64 {
			return errors.New("an import record cannot be read")
		}
		hash := string(r.key[len(prefixImageData) : len(prefixImageData)+64])
		switch _, err := txn.Get(imageKey(hash)); {
		case err == nil:
			return nil // stored already, the same bytes
		case !errors.Is(err, badger.ErrKeyNotFound):
			return err
		}
	case recordImage:
		var have imageRecord
		switch err := get(txn, r.key, &have); {
		case errors.Is(err, planner.ErrNotFound):
		case err != nil:
			return err
		default:
			// Stored already: its count stays; unnamed, it waits for the
			// import's posts as a new one does.
			var rec imageRecord
			if err := decode(r.val, &rec); err != nil {
				return err
			}
			if have.Refs == 0 {
				have.Waiting = rec.Waiting
			}
			val, err := encode(have)
			if err != nil {
				return err
			}
			return txn.Set(r.key, val)
		}
	}
	return txn.Set(r.key, r.val)
}

// dropStaged removes the records of an import that was not decided.
func (s *Store) dropStaged() error {
	return s.eachStagedBatch(nil, false)
}

// eachStagedBatch runs fn (when not nil) on the waiting import records and
// deletes them, a batch per transaction, halving a batch Badger finds too
// big. With decided, the transaction that finds none left removes the decision.
func (s *Store) eachStagedBatch(fn func(*badger.Txn, staged) error, decided bool) error {
	n := importBatch
	for {
		empty := false
		err := s.update(context.Background(), func(txn *badger.Txn) error {
			empty = false
			opt := badger.DefaultIteratorOptions
			opt.Prefix = []byte(prefixImport)
			opt.PrefetchValues = fn != nil
			opt.PrefetchSize = min(n, 64)
			it := txn.NewIterator(opt)
			var keys [][]byte
			var recs []staged
			size := 0
			// A batch ends at n records or stagedBatchBytes, but never
			// between the parts of an image and its record: the record
			// goes in where its parts did, in one transaction.
			whole := true
			for it.Rewind(); it.Valid() && (!whole || len(keys) < n && size < stagedBatchBytes); it.Next() {
				item := it.Item()
				keys = append(keys, item.KeyCopy(nil))
				if fn != nil {
					b, err := item.ValueCopy(nil)
					if err != nil {
						it.Close()
						return err
					}
					r, err := decodeStaged(b)
					if err != nil {
						it.Close()
						return fmt.Errorf("%s: %w", item.Key(), err)
					}
					recs = append(recs, r)
					size += len(b)
					whole = r.kind != recordImagePart
				}
			}
			it.Close()
			if len(keys) == 0 {
				empty = true
				if decided {
					return txn.Delete([]byte(keyImportDecided))
				}
				return nil
			}
			for i, k := range keys {
				if fn != nil {
					if err := fn(txn, recs[i]); err != nil {
						return err
					}
				}
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		switch {
		case errors.Is(err, badger.ErrTxnTooBig) && n > 1:
			n /= 2
		case err != nil:
			return err
		case empty:
			return nil
		}
	}
}

// finishImport runs as the store opens: it completes an import that was
// decided and removes the records of one that was not.
func (s *Store) finishImport() error {
	var decided, waiting bool
	err := s.view(func(txn *badger.Txn) error {
		_, err := txn.Get([]byte(keyImportDecided))
		switch {
		case err == nil:
			decided = true
		case !errors.Is(err, badger.ErrKeyNotFound):
			return err
		}
		opt := badger.DefaultIteratorOptions
		opt.Prefix = []byte(prefixImport)
		opt.PrefetchValues = false
		it := txn.NewIterator(opt)
		defer it.Close()
		it.Rewind()
		waiting = it.Valid()
		return nil
	})
	switch {
	case err != nil:
		return fmt.Errorf("look for an unfinished import: %w", err)
	case decided:
		s.log.Info("finishing an import that was stopped")
		if err := s.applyStaged(); err != nil {
			return fmt.Errorf("finish an import that was stopped: %w", err)
		}
	case waiting:
		s.log.Info("removing an import that was stopped before it was decided")
		if err := s.dropStaged(); err != nil {
			return fmt.Errorf("remove an import that was stopped: %w", err)
		}
	}
	return nil
}

// writeBatches runs ops in transactions of up to importBatch ops, halving a
// batch Badger finds too big; an op is never split across transactions.
func (s *Store) writeBatches(ctx context.Context, ops []func(*badger.Txn) error) error {
	n := importBatch
	for len(ops) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := min(n, len(ops))
		err := s.update(ctx, func(txn *badger.Txn) error {
			for _, op := range ops[:k] {
				if err := op(txn); err != nil {
					return err
				}
			}
			return nil
		})
		if errors.Is(err, badger.ErrTxnTooBig) && k > 1 {
			n = k / 2
			continue
		}
		if err != nil {
			return err
		}
		ops = ops[k:]
	}
	return nil
}
