package media

import (
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
)

// The kinds of refusal, for errors.Is.
var (
	// ErrUnsupported: not a JPEG, PNG, GIF or (still) WebP image.
	ErrUnsupported = errors.New("not a JPEG, PNG, GIF or WebP image")
	// ErrDamaged: the file says it is an image of a known kind but cannot be read whole.
	ErrDamaged = errors.New("the image is damaged")
	// ErrTooLarge: more pixels or bytes than Kaiku takes, or than a network's limit can be met with.
	ErrTooLarge = errors.New("the image is too large")
)

// Error says why an image was refused: Error in English for the log, Key,
// Fallback and Data for the user (lang.X(Key, Fallback, Data)).
type Error struct {
	Kind     error // ErrUnsupported, ErrDamaged or ErrTooLarge
	Key      string
	Fallback string
	Data     map[string]any
	// Detail is the English detail for the log; Err the decoder's error, if any.
	Detail string
	Err    error
}

func (e *Error) Error() string {
	msg := e.Kind.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap makes errors.Is(err, e.Kind) true, and reaches the decoder's error.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func unsupported(detail string) *Error {
	return &Error{Kind: ErrUnsupported, Key: "image.error.unsupported",
		Fallback: "it is not a JPEG, PNG, GIF or WebP image", Detail: detail}
}

// heicError names the format iPhones take photos in by default, with what to do.
func heicError(format string) *Error {
	return &Error{Kind: ErrUnsupported, Key: "image.error.heic",
		Fallback: "it is a {{.Format}} photo, which the networks do not all take; save it as JPEG (on an iPhone: Settings → Camera → Formats → Most Compatible)",
		Data:     map[string]any{"Format": format}, Detail: format}
}

func animatedWebP() *Error {
	return &Error{Kind: ErrUnsupported, Key: "image.error.animated_webp",
		Fallback: "it is an animated WebP, which Kaiku cannot read; save it as a GIF", Detail: "animated WebP"}
}

// damaged is a file that cannot be read whole; or one the decoder says is
// a variant of its format that it does not read (an arithmetic-coded or
// 12-bit JPEG, say), which is no damage.
func damaged(kind string, err error) *Error {
	var ju jpeg.UnsupportedError
	var pu png.UnsupportedError
	if errors.As(err, &ju) || errors.As(err, &pu) {
		return &Error{Kind: ErrUnsupported, Key: "image.error.variant",
			Fallback: "it is a kind of {{.Format}} that Kaiku cannot read; save it again as an ordinary {{.Format}}",
			Data:     map[string]any{"Format": kind}, Detail: kind, Err: err}
	}
	return &Error{Kind: ErrDamaged, Key: "image.error.damaged",
		Fallback: "the {{.Format}} file is damaged or cut short", Data: map[string]any{"Format": kind}, Detail: kind, Err: err}
}

func tooManyPixels(w, h int) *Error {
	return &Error{Kind: ErrTooLarge, Key: "image.error.pixels",
		Fallback: "it is {{.Width}}×{{.Height}} pixels; Kaiku takes images up to {{.Max}} megapixels",
		Data:     map[string]any{"Width": w, "Height": h, "Max": MaxPixels / 1_000_000},
		Detail:   fmt.Sprintf("%d×%d pixels, more than %d", w, h, MaxPixels)}
}

func tooManyBytes(n int) *Error {
	return &Error{Kind: ErrTooLarge, Key: "image.error.bytes",
		Fallback: "the file is {{.MB}} MB; Kaiku takes images up to {{.Max}} MB",
		Data:     map[string]any{"MB": (n + 1<<20 - 1) >> 20, "Max": MaxFileBytes >> 20},
		Detail:   fmt.Sprintf("%d bytes, more than %d", n, MaxFileBytes)}
}

func cannotFit(detail string) *Error {
	return &Error{Kind: ErrTooLarge, Key: "image.error.cannot_fit",
		Fallback: "it cannot be made small enough for the network", Detail: detail}
}
