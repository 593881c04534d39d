package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

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

// importOp writes one record whole: a post with its index entries.
type importOp func(txn *badger.Txn) error

// ImportJSON reads a document written by ExportJSON and stores what it
// holds. Records replace stored ones with the same ID (exceptions: the same
// occurrence ID); stored records the document does not name stay. A list
// that is missing or null imports nothing, and so does a null or missing
// "profile" or "settings". Every record is read and checked first: a file
// that is not an export, a record that cannot be read, one that breaks a
// rule (wrapping planner.ErrInvalid) or an ID given twice stops the import
// with an *ImportError naming the record, and nothing is written. The
// records are then written a batch per transaction, each post with its index
// entries; a failure of the disk midway leaves the batches before it written.
func (s *Store) ImportJSON(ctx context.Context, r io.Reader) (ImportSummary, error) {
	var sum ImportSummary
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("import: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return sum, fmt.Errorf("import: read the file: %w", err)
	}
	if len(data) > maxImportBytes {
		return sum, &ImportError{Err: fmt.Errorf("the file is %w (it is larger than %d MB)", ErrNotExport, maxImportBytes>>20)}
	}
	ops, sum, err := prepareImport(data)
	if err != nil {
		return ImportSummary{}, err
	}
	if err := s.writeBatches(ctx, ops); err != nil {
		return ImportSummary{}, fmt.Errorf("import: %w", err)
	}
	return sum, nil
}

// prepareImport decodes and checks every record and returns the writes.
func prepareImport(data []byte) ([]importOp, ImportSummary, error) {
	var sum ImportSummary
	var doc importDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, sum, &ImportError{Err: fmt.Errorf("the file is %w (%s)", ErrNotExport, jsonProblem(err))}
	}
	switch {
	case doc.Format != ExportFormat:
		return nil, sum, &ImportError{Err: fmt.Errorf("the file is %w (its format is %q, not %q)", ErrNotExport, doc.Format, ExportFormat)}
	case doc.Version > ExportVersion:
		return nil, sum, &ImportError{Err: fmt.Errorf("the file is an %w (export version %d, this Kaiku reads up to %d); update Kaiku to import it",
			ErrNewerExport, doc.Version, ExportVersion)}
	case doc.Version < 1:
		return nil, sum, &ImportError{Err: fmt.Errorf("the file is %w (it has no version)", ErrNotExport)}
	}

	var ops []importOp
	var err error
	add := func(more []importOp, e error) int {
		if err == nil {
			err = e
		}
		ops = append(ops, more...)
		return len(more)
	}
	sum.Posts = add(prepareList(doc.Posts, "post", func(p planner.Post) (string, importOp, error) {
		val, err := postValue(p)
		return p.ID, func(txn *badger.Txn) error { return putPost(txn, p, val) }, err
	}))
	sum.Plans = add(prepareList(doc.Plans, "plan", func(p planner.SlotPlan) (string, importOp, error) {
		return keyed(p.ID, idKey(prefixPlan, p.ID), p)
	}))
	sum.Exceptions = add(prepareList(doc.Exceptions, "exception", func(x planner.SlotException) (string, importOp, error) {
		return keyed(x.OccurrenceID, idKey(prefixException, x.OccurrenceID), x)
	}))
	sum.Goals = add(prepareList(doc.Goals, "goal", func(g planner.Goal) (string, importOp, error) {
		return keyed(g.ID, idKey(prefixGoal, g.ID), g)
	}))
	sum.Profile = add(prepareOne(doc.Profile, "profile", planner.RoleProfile{}, func(p planner.RoleProfile) (importOp, error) {
		return setOp([]byte(keyProfile), p)
	})) > 0
	// Settings written by hand may leave out what they keep at the default.
	sum.Settings = add(prepareOne(doc.Settings, "settings", planner.DefaultSettings(), func(st planner.Settings) (importOp, error) {
		return setOp([]byte(keySettings), st)
	})) > 0
	sum.Accounts = add(prepareList(doc.Accounts, "account", func(a planner.Account) (string, importOp, error) {
		return keyed(a.ID, idKey(prefixAccount, a.ID), a)
	}))
	calendars := map[string]bool{}
	sum.Calendars = add(prepareList(doc.Calendars, "calendar", func(c planner.CalendarSource) (string, importOp, error) {
		calendars[c.ID] = true
		return keyed(c.ID, idKey(prefixCalendar, c.ID), c)
	}))
	add(prepareList(doc.Busy, "busy time", func(w planner.BusyWindow) (string, importOp, error) {
		if !calendars[w.SourceID] {
			return w.SourceID, nil, fmt.Errorf("%w: it belongs to no calendar in the file", planner.ErrInvalid)
		}
		return keyed(w.SourceID, idKey(prefixBusy, w.SourceID), w)
	}))
	sum.OrgKit = add(prepareOne(doc.OrgKit, "org_kit", planner.OrgKitRecord{}, func(r planner.OrgKitRecord) (importOp, error) {
		return setOp([]byte(keyOrgKit), r)
	})) > 0
	sum.Feeds = add(prepareList(doc.Feeds, "feed", func(f planner.Feed) (string, importOp, error) {
		return keyed(f.ID, feedKey(f.ID), f)
	}))
	sum.Items = add(prepareList(doc.Items, "item", func(it planner.Item) (string, importOp, error) {
		val, err := itemValue(it)
		return it.ID, func(txn *badger.Txn) error { return replaceItem(txn, it, val) }, err
	}))
	if err != nil {
		return nil, ImportSummary{}, err
	}
	return ops, sum, nil
}

// prepareList decodes and checks each record of a list; check returns the
// record's ID, its write and whether it is valid.
func prepareList[T any](raws []json.RawMessage, kind string, check func(T) (string, importOp, error)) ([]importOp, error) {
	ops := make([]importOp, 0, len(raws))
	seen := make(map[string]bool, len(raws))
	for i, raw := range raws {
		name := kind + " " + strconv.Itoa(i+1)
		var v T
		if err := decodeStrict(raw, &v); err != nil {
			if id := rawID(raw); id != "" {
				name += " (id " + strconv.Quote(id) + ")"
			}
			return nil, &ImportError{Item: name, Err: &shapeError{err}}
		}
		id, op, err := check(v)
		name += " (id " + strconv.Quote(id) + ")"
		if err != nil {
			return nil, &ImportError{Item: name, Err: err}
		}
		if seen[id] {
			return nil, &ImportError{Item: name, Err: fmt.Errorf("%w: the file holds this %s twice", planner.ErrInvalid, kind)}
		}
		seen[id] = true
		ops = append(ops, op)
	}
	return ops, nil
}

// prepareOne decodes a single record over v and checks it; null or missing writes nothing.
func prepareOne[T any](raw json.RawMessage, name string, v T, check func(T) (importOp, error)) ([]importOp, error) {
	if len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, nil
	}
	if err := decodeStrict(raw, &v); err != nil {
		return nil, &ImportError{Item: name, Err: &shapeError{err}}
	}
	op, err := check(v)
	if err != nil {
		return nil, &ImportError{Item: name, Err: err}
	}
	return []importOp{op}, nil
}

// jsonProblem says what is wrong with JSON in the file's terms, not Go's.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var kind *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("it is not valid JSON at byte %d: %s", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.As(err, &kind) && kind.Field != "":
		return fmt.Sprintf("%q is a JSON %s, which does not belong there", kind.Field, kind.Value)
	case errors.As(err, &kind):
		return fmt.Sprintf("it is a JSON %s, not an object", kind.Value)
	}
	return err.Error()
}

// decodeStrict decodes one record; null is not a record.
func decodeStrict(raw json.RawMessage, v any) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return errors.New("null is not a record")
	}
	return json.Unmarshal(raw, v)
}

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

// keyed is setOp for a record of a list, with its ID.
func keyed(id string, key []byte, v validator) (string, importOp, error) {
	op, err := setOp(key, v)
	return id, op, err
}

// setOp checks v and returns the write that stores it at key.
func setOp(key []byte, v validator) (importOp, error) {
	val, err := value(v)
	return func(txn *badger.Txn) error { return txn.Set(key, val) }, err
}

// writeBatches runs ops in transactions of up to importBatch ops, halving a
// batch Badger finds too big; an op is never split across transactions.
func (s *Store) writeBatches(ctx context.Context, ops []importOp) error {
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
