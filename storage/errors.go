package storage

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// Sentinels for errors.Is; the typed errors below carry the folder for errors.As.
var (
	// ErrLocked: another Kaiku has the data folder open.
	ErrLocked = errors.New("data folder in use")
	// ErrForeign: the folder holds something other than Kaiku's data.
	ErrForeign = errors.New("not a Kaiku data folder")
	// ErrNewerSchema: the data was written by a newer Kaiku than this one.
	ErrNewerSchema = errors.New("data from a newer Kaiku")
	// ErrDamaged: a file of the data fails its checksum or cannot be read.
	ErrDamaged = errors.New("damaged data")
	// ErrDiskFull: the disk has too little room left for Kaiku to write safely.
	ErrDiskFull = errors.New("disk full")
)

// LockedError is returned by Open when another process has Dir open.
type LockedError struct {
	Dir string
	Err error // Badger's own report, for the log
}

func (e *LockedError) Error() string { return "Kaiku is already open on " + e.Dir }

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

func (e *LockedError) Unwrap() error { return e.Err }

// Explain says so in the user's language.
func (e *LockedError) Explain(tr planner.Translate) string {
	return tr("error.locked", "Kaiku is already open on {{.Dir}}", map[string]any{"Dir": e.Dir})
}

// ForeignError is returned by Open for a non-empty folder that is not Kaiku's;
// Open has neither written to it nor changed it.
type ForeignError struct {
	Dir string
}

func (e *ForeignError) Error() string {
	return e.Dir + " is not a Kaiku data folder; choose an empty folder or an existing Kaiku data folder"
}

// Is makes errors.Is(err, ErrForeign) true.
func (e *ForeignError) Is(target error) bool { return target == ErrForeign }

// Explain says so in the user's language.
func (e *ForeignError) Explain(tr planner.Translate) string {
	return tr("error.foreign", "{{.Dir}} is not a Kaiku data folder; choose an empty folder or an existing Kaiku data folder", map[string]any{"Dir": e.Dir})
}

// SchemaError is returned by Open when Dir holds data of a schema newer than
// this build knows; the data is left as it is.
type SchemaError struct {
	Dir   string
	Found int // the schema version in the folder
	Known int // the newest schema this build can read
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("%s holds data from a newer Kaiku (data schema %d, this Kaiku reads up to %d); update Kaiku to open it",
		e.Dir, e.Found, e.Known)
}

// Is makes errors.Is(err, ErrNewerSchema) true.
func (e *SchemaError) Is(target error) bool { return target == ErrNewerSchema }

// Explain says so in the user's language.
func (e *SchemaError) Explain(tr planner.Translate) string {
	return tr("error.newer_schema", "the data in {{.Dir}} was written by a newer Kaiku; update Kaiku to open it", map[string]any{"Dir": e.Dir})
}

// DamagedError is returned by Open, and by anything that reads the whole
// store, when a file of the database in Dir fails its checksum, is missing
// or cannot be read. Kaiku then reads and writes nothing more of it: what
// can be read would be part of the data, and Badger's compactions would
// make the loss of the rest permanent. The cure is the latest backup.
type DamagedError struct {
	Dir  string
	File string // the damaged file's name, when known
	Err  error  // what was found, for the log
}

func (e *DamagedError) Error() string {
	what := "a file"
	if e.File != "" {
		what = e.File
	}
	return fmt.Sprintf("the data in %s is damaged (%s fails its checksum or cannot be read: %v); restore the latest backup", e.Dir, what, e.Err)
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

func (e *DamagedError) Unwrap() error { return e.Err }

// Explain tells the user that their data is damaged and what cures it.
func (e *DamagedError) Explain(tr planner.Translate) string {
	file := e.File
	if file == "" {
		file = tr("error.damaged_some_file", "a file of it")
	}
	return tr("error.damaged", "the data in {{.Dir}} is damaged ({{.File}} fails its checksum), so Kaiku leaves it as it is, to lose nothing more. Restore your latest backup into a new folder: kaiku --data NEW-FOLDER restore BACKUP-FILE",
		map[string]any{"Dir": e.Dir, "File": file})
}

// DiskFullError is returned by Open and by every write when the disk that
// holds Dir has less room than Kaiku keeps for a safe write: Free bytes
// against Need. Nothing was written.
type DiskFullError struct {
	Dir        string
	Free, Need uint64
}

func (e *DiskFullError) Error() string {
	return fmt.Sprintf("the disk that holds %s is full (%.1f MB free; Kaiku needs %.1f MB to write safely); free some space",
		e.Dir, float64(e.Free)/(1<<20), float64(e.Need)/(1<<20))
}

// Is makes errors.Is(err, ErrDiskFull) true.
func (e *DiskFullError) Is(target error) bool { return target == ErrDiskFull }

// Explain tells the user that the disk is too full to work on safely.
func (e *DiskFullError) Explain(tr planner.Translate) string {
	return tr("error.disk_full", "the disk that holds {{.Dir}} is full ({{.Free}} MB free; Kaiku needs {{.Need}} MB to save safely). Free some space and try again; nothing was changed.",
		map[string]any{"Dir": e.Dir, "Free": fmt.Sprintf("%.1f", float64(e.Free)/(1<<20)), "Need": fmt.Sprintf("%.0f", float64(e.Need)/(1<<20))})
}

// errClosed is returned by methods called after Close.
var errClosed = errors.New("the data folder is closed")

// notFound is the one place Badger's missing key becomes the planner's ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, badger.ErrKeyNotFound) {
		return planner.ErrNotFound
	}
	return err
}

// Sentinels for Restore's errors; the typed errors below carry the folder or file.
var (
	// ErrNotEmpty: Restore was given a folder that already holds something.
	ErrNotEmpty = errors.New("folder not empty")
	// ErrNotBackup: the file is not a Kaiku backup at all.
	ErrNotBackup = errors.New("not a Kaiku backup")
	// ErrNewerBackup: the backup was made by a newer Kaiku than this one.
	ErrNewerBackup = errors.New("backup from a newer Kaiku")
	// ErrDamagedBackup: the backup is truncated or corrupted.
	ErrDamagedBackup = errors.New("damaged backup")
)

// NotEmptyError is returned by Restore for a folder that is not empty (or
// not a folder); Restore has not changed it.
type NotEmptyError struct {
	Dir string
}

func (e *NotEmptyError) Error() string {
	return e.Dir + " is not empty; restore into a new, empty folder"
}

// Is makes errors.Is(err, ErrNotEmpty) true.
func (e *NotEmptyError) Is(target error) bool { return target == ErrNotEmpty }

// Explain says where to restore instead, in the user's language.
func (e *NotEmptyError) Explain(tr planner.Translate) string {
	return tr("error.restore_not_empty", "{{.Dir}} is not empty; restore into a new, empty folder", map[string]any{"Dir": e.Dir})
}

// BackupError is returned by Restore for a backup it cannot restore. Kind is
// ErrNotBackup, ErrNewerBackup or ErrDamagedBackup, for errors.Is.
type BackupError struct {
	File   string // the backup's file name when the reader has one, else "the file"
	Kind   error
	Detail string // what exactly is wrong
	Err    error  // the underlying failure, if any, for the log
}

func (e *BackupError) Error() string {
	switch e.Kind {
	case ErrNotBackup:
		return e.File + " is not a Kaiku backup"
	case ErrNewerBackup:
		return fmt.Sprintf("%s was made by a newer Kaiku (%s); update Kaiku to restore it", e.File, e.Detail)
	}
	return fmt.Sprintf("%s is damaged or incomplete (%s); it cannot be restored", e.File, e.Detail)
}

// Is makes errors.Is(err, e.Kind) true.
func (e *BackupError) Is(target error) bool { return target == e.Kind }

func (e *BackupError) Unwrap() error { return e.Err }

// Explain says why the backup cannot be restored, in the user's language.
func (e *BackupError) Explain(tr planner.Translate) string {
	data := map[string]any{"File": e.File}
	switch e.Kind {
	case ErrNotBackup:
		return tr("error.not_backup", "{{.File}} is not a Kaiku backup", data)
	case ErrNewerBackup:
		return tr("error.newer_backup", "{{.File}} was made by a newer Kaiku; update Kaiku to restore it", data)
	}
	return tr("error.damaged_backup", "{{.File}} is damaged or cut short; nothing was restored", data)
}
