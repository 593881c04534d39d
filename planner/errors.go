package planner

import (
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

func invalid(field, key, msg string) error {
	return &InvalidError{Field: field, Key: key, Msg: msg}
}
