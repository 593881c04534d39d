package planner

import (
	"context"
	"errors"
	"fmt"
)

// Sentinel errors; callers test them with errors.Is.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule of the domain.
	ErrInvalid = errors.New("invalid")
	// ErrConflict: the change clashes with the stored state (for example a
	// status change the life cycle does not allow).
	ErrConflict = errors.New("conflict")
)

// InvalidError says which field broke which rule. Key names the translation
// of the message shown to the user; Error gives the English text for logs.
type InvalidError struct {
	Field string
	Key   string
	Msg   string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Msg) }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Explain is the rule broken, in the user's language.
func (e *InvalidError) Explain(tr Translate) string { return tr(e.Key, e.Msg) }

func invalid(field, key, msg string) error {
	return &InvalidError{Field: field, Key: key, Msg: msg}
}

// Translate puts a message into the user's language: key names it in the
// translations, fallback is its English, and data (a map) fills its
// template. The window and the command line pass Fyne's lang.X.
type Translate func(key, fallback string, data ...any) string

// Explainer is an error that can tell the user what happened and what to
// do, in their language and without Kaiku's internals. The errors of the
// domain and of storage implement it; Explain finds it in a chain.
type Explainer interface {
	Explain(tr Translate) string
}

// Explain is the one place an error becomes what the user reads, in the
// window and on the command line alike: the first Explainer in err's
// chain, else a message for each of the sentinels. It reports false for an
// error Kaiku knows nothing of: the text is then a general one, and the
// error's own text is for the log or, on the command line, the terminal.
func Explain(err error, tr Translate) (string, bool) {
	var ex Explainer
	switch {
	case errors.As(err, &ex):
		return ex.Explain(tr), true
	case errors.Is(err, ErrNotFound):
		return tr("error.not_found", "It is not there: it may have been deleted meanwhile. Reload and try again."), true
	case errors.Is(err, ErrConflict):
		return tr("error.conflict", "It changed meanwhile. Reload it and try again."), true
	case errors.Is(err, context.DeadlineExceeded):
		return tr("error.timeout", "The disk did not answer in time. Check that the data folder is reachable and try again."), true
	case errors.Is(err, context.Canceled):
		return tr("error.interrupted", "interrupted"), true
	}
	return tr("error.unexpected", "Something went wrong and was written to the log. Try again; if it keeps happening, restart Kaiku."), false
}
