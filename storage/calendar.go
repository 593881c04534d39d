package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// The work calendars and the organization kit, as the planner asks for them.
var (
	_ planner.CalendarStore = (*Store)(nil)
	_ planner.OrgKitStore   = (*Store)(nil)
)

// SaveCalendarSource creates or replaces the calendar source; its busy time stays.
func (s *Store) SaveCalendarSource(ctx context.Context, c planner.CalendarSource) error {
	return s.save(ctx, "save calendar "+c.ID, idKey(prefixCalendar, c.ID), c)
}

// SaveCalendarBusy replaces the calendar's busy time and saves the source,
// with KnownUntil set to w.To, in one transaction. The source must be stored
// already: a refresh that finishes after the calendar was removed gets
// planner.ErrNotFound and writes nothing.
func (s *Store) SaveCalendarBusy(ctx context.Context, c planner.CalendarSource, w planner.BusyWindow) error {
	what := "save busy time of calendar " + c.ID
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if w.SourceID != c.ID {
		return fmt.Errorf("%s: %w", what, &planner.InvalidError{Field: "source_id", Key: "error.id", Msg: "the busy time belongs to another calendar"})
	}
	c.KnownUntil = w.To
	src, err := value(c)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	busy, err := value(w)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	err = s.update(ctx, func(txn *badger.Txn) error {
		if _, err := txn.Get(idKey(prefixCalendar, c.ID)); err != nil {
			return notFound(err)
		}
		if err := txn.Set(idKey(prefixCalendar, c.ID), src); err != nil {
			return err
		}
		return txn.Set(idKey(prefixBusy, c.ID), busy)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// UpdateCalendarSource reads the source, lets change edit it and saves it,
// in one transaction; a source removed meanwhile gives planner.ErrNotFound.
func (s *Store) UpdateCalendarSource(ctx context.Context, id string, change func(*planner.CalendarSource)) (planner.CalendarSource, error) {
	what := "update calendar " + id
	if err := ctx.Err(); err != nil {
		return planner.CalendarSource{}, fmt.Errorf("%s: %w", what, err)
	}
	var out planner.CalendarSource
	err := s.update(ctx, func(txn *badger.Txn) error {
		var c planner.CalendarSource
		if err := get(txn, idKey(prefixCalendar, id), &c); err != nil {
			return err
		}
		change(&c)
		if c.ID != id {
			return &planner.InvalidError{Field: "id", Key: "error.id", Msg: "an update cannot change the calendar's id"}
		}
		val, err := value(c)
		if err != nil {
			return err
		}
		out = c
		return txn.Set(idKey(prefixCalendar, id), val)
	})
	if err != nil {
		return planner.CalendarSource{}, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// CalendarSource returns the calendar source with the ID.
func (s *Store) CalendarSource(ctx context.Context, id string) (planner.CalendarSource, error) {
	return load[planner.CalendarSource](ctx, s, "load calendar "+id, idKey(prefixCalendar, id))
}

// CalendarSources returns the calendar sources by ID.
func (s *Store) CalendarSources(ctx context.Context) ([]planner.CalendarSource, error) {
	return list[planner.CalendarSource](ctx, s, "list calendars", prefixCalendar)
}

// DeleteCalendarSource removes the calendar source and its busy time together.
func (s *Store) DeleteCalendarSource(ctx context.Context, id string) error {
	what := "delete calendar " + id
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	err := s.update(ctx, func(txn *badger.Txn) error {
		if _, err := txn.Get(idKey(prefixCalendar, id)); err != nil {
			return notFound(err)
		}
		if err := txn.Delete(idKey(prefixCalendar, id)); err != nil {
			return err
		}
		return txn.Delete(idKey(prefixBusy, id))
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// BusyBetween returns the busy time of every calendar that overlaps
// [from, to), merged. Each calendar's busy time is one small value, so this
// reads them all; there are a few at most.
func (s *Store) BusyBetween(ctx context.Context, from, to time.Time) ([]planner.BusyInterval, error) {
	windows, err := list[planner.BusyWindow](ctx, s, "read busy time", prefixBusy)
	if err != nil {
		return nil, err
	}
	var all []planner.BusyInterval
	for _, w := range windows {
		all = append(all, planner.BusyBetween(w.Intervals, from, to)...)
	}
	if merged := planner.MergeBusy(all); merged != nil {
		return merged, nil
	}
	return []planner.BusyInterval{}, nil
}

// OrgKit returns the organization kit last imported; planner.ErrNotFound before any.
func (s *Store) OrgKit(ctx context.Context) (planner.OrgKitRecord, error) {
	return load[planner.OrgKitRecord](ctx, s, "load the organization kit", []byte(keyOrgKit))
}

// ApplyOrgKit imports a kit as planner.PlanOrgKit decides, in one
// transaction: the new goals, the settings with the kit's guidelines and the
// kit's record are written together, or nothing is. A kit that breaks a rule
// is refused before anything is read. A kit already applied, with nothing to
// change, writes nothing at all.
func (s *Store) ApplyOrgKit(ctx context.Context, kit planner.OrgKit, source string, now time.Time) (planner.OrgKitChanges, error) {
	const what = "import the organization kit"
	if err := ctx.Err(); err != nil {
		return planner.OrgKitChanges{}, fmt.Errorf("%s: %w", what, err)
	}
	if err := kit.Validate(); err != nil {
		return planner.OrgKitChanges{}, err
	}
	var ch planner.OrgKitChanges
	err := s.update(ctx, func(txn *badger.Txn) error {
		var prev *planner.OrgKitRecord
		var rec planner.OrgKitRecord
		switch err := get(txn, []byte(keyOrgKit), &rec); {
		case err == nil:
			prev = &rec
		case !errors.Is(err, planner.ErrNotFound):
			return fmt.Errorf("read the stored kit: %w", err)
		}
		settings := planner.DefaultSettings()
		if err := get(txn, []byte(keySettings), &settings); err != nil && !errors.Is(err, planner.ErrNotFound) {
			return fmt.Errorf("read the settings: %w", err)
		}
		var readErr error
		hasGoal := func(id string) bool {
			_, err := txn.Get(idKey(prefixGoal, id))
			if err != nil && !errors.Is(err, badger.ErrKeyNotFound) && readErr == nil {
				readErr = err
			}
			return err == nil
		}
		ch = planner.PlanOrgKit(kit, prev, settings, hasGoal, source, now)
		if readErr != nil {
			return fmt.Errorf("read the goals: %w", readErr)
		}
		if ch.Unchanged {
			return nil
		}
		// Every value is checked before the first write.
		type write struct {
			key []byte
			val []byte
		}
		var writes []write
		for _, g := range ch.Goals {
			val, err := value(g)
			if err != nil {
				return fmt.Errorf("goal %s: %w", g.ID, err)
			}
			writes = append(writes, write{idKey(prefixGoal, g.ID), val})
		}
		for key, v := range map[string]validator{keySettings: ch.Settings, keyOrgKit: ch.Record} {
			val, err := value(v)
			if err != nil {
				return err
			}
			writes = append(writes, write{[]byte(key), val})
		}
		for _, w := range writes {
			if err := txn.Set(w.key, w.val); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return planner.OrgKitChanges{}, fmt.Errorf("%s: %w", what, err)
	}
	return ch, nil
}
