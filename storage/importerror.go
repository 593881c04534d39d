package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// ImportError says what ImportJSON refused, and why. Nothing was written.
// Error gives the English text for logs; Explain gives the user's.
type ImportError struct {
	// Item names the item, like `post 3 (id "0h2…")`, counting from 1 in
	// its list; empty when the file as a whole is wrong.
	Item string
	// List is the item's kind (post, plan, exception, goal, account,
	// profile or settings), N its place in its list from 1 (0 for the
	// profile and the settings), and ID its ID when it has a readable one.
	List string
	N    int
	ID   string
	Err  error

	problem text // what is wrong, for Explain; empty: the planner's own message
}

// text is a message for the user: a translation key, its English, its
// data, and the planner's message that fills {{.Problem}}, if any.
type text struct {
	key, fallback string
	data          map[string]any
	inner         *planner.InvalidError
}

func (t text) in(tr planner.Translate) string {
	data := t.data
	if t.inner != nil {
		data = map[string]any{"Problem": tr(t.inner.Key, t.inner.Msg)}
		for k, v := range t.data {
			data[k] = v
		}
	}
	return tr(t.key, t.fallback, data)
}

func (e *ImportError) Error() string {
	if e.Item == "" {
		return "import: " + e.Err.Error()
	}
	return "import: " + e.Item + ": " + e.Err.Error()
}

func (e *ImportError) Unwrap() error { return e.Err }

// Explain says what is wrong in the user's language, naming the item as the
// file has it.
func (e *ImportError) Explain(tr planner.Translate) string {
	problem := ""
	var ie *planner.InvalidError
	switch {
	case e.problem.key != "":
		problem = e.problem.in(tr)
	case errors.As(e.Err, &ie):
		problem = tr(ie.Key, ie.Msg)
	default:
		problem = tr("import.problem.unreadable_item", "it cannot be read")
	}
	if e.List == "" {
		return problem
	}
	name := tr("import.item."+e.List, itemNames[e.List], map[string]any{"N": e.N})
	if e.ID != "" {
		name = tr("import.item.id", "{{.Item}} (id “{{.ID}}”)", map[string]any{"Item": name, "ID": e.ID})
	}
	return name + ": " + problem
}

// itemNames are the items' names in English, for Explain.
var itemNames = map[string]string{
	"post": "post {{.N}}", "plan": "plan {{.N}}", "exception": "slot change {{.N}}", "goal": "goal {{.N}}",
	"account": "account {{.N}}", "profile": "the role profile", "settings": "the settings", "image": "image {{.N}}",
}

// fileError is an *ImportError about the file as a whole.
func fileError(err error, key, fallback string, data map[string]any) *ImportError {
	return &ImportError{Err: err, problem: text{key: key, fallback: fallback, data: data}}
}

// fileJSONError is the file that does not even decode as an export.
func fileJSONError(err error) *ImportError {
	werr := fmt.Errorf("the file is %w (%s)", ErrNotExport, jsonProblem(err))
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fileError(werr, "import.file.not_json", "it is not a Kaiku export: it stops being valid JSON at byte {{.Offset}}",
			map[string]any{"Offset": syntax.Offset})
	}
	var stop *jsonStop
	if errors.As(err, &stop) {
		return fileError(werr, "import.file.not_json", "it is not a Kaiku export: it stops being valid JSON at byte {{.Offset}}",
			map[string]any{"Offset": stop.offset})
	}
	return fileError(werr, "import.file.not_export", "it is not a Kaiku export", nil)
}

// itemError is an *ImportError about one item.
func itemError(list string, n int, id string, err error) *ImportError {
	name := list
	if n > 0 {
		name += " " + strconv.Itoa(n)
	}
	if id != "" {
		name += " (id " + strconv.Quote(id) + ")"
	}
	e := &ImportError{Item: name, List: list, N: n, ID: id, Err: err}
	var se *shapeError
	var te *twiceError
	var ip *imageProblem
	var im *imageMissingError
	switch {
	case errors.As(err, &se):
		e.problem = se.text
	case errors.As(err, &te):
		e.problem = text{key: "import.problem.twice", fallback: "the file holds it twice"}
	case errors.As(err, &ip):
		e.problem = ip.text
	case errors.As(err, &im):
		e.problem = text{key: "import.problem.image_missing", fallback: "it names an image ({{.Hash}}) that the file does not hold",
			data: map[string]any{"Hash": im.hash}}
	}
	return e
}

// twiceError is an ID the file gives to two items of one list.
type twiceError struct{ list string }

func (e *twiceError) Error() string { return "invalid: the file holds this " + e.list + " twice" }
func (e *twiceError) Unwrap() error { return planner.ErrInvalid }

// shapeError is JSON that does not fit where it stands.
type shapeError struct {
	err   error
	field string // the field at fault, when known
	text  text
}

func (e *shapeError) Error() string {
	var pe *time.ParseError
	switch {
	case errors.As(e.err, &pe) && e.field != "":
		return fmt.Sprintf("cannot be read: %q is not a date and time like 2026-12-01T09:00:00+02:00", e.field)
	case e.field != "" && !isTypeError(e.err):
		return fmt.Sprintf("cannot be read: %q: %s", e.field, jsonProblem(e.err))
	}
	return "cannot be read: " + jsonProblem(e.err)
}
func (e *shapeError) Is(target error) bool { return target == ErrNotExport }
func (e *shapeError) Unwrap() error        { return e.err }

func isTypeError(err error) bool {
	var kind *json.UnmarshalTypeError
	return errors.As(err, &kind)
}

// shapeOf describes why raw, an item of type T, did not decode, naming the
// field at fault in the file's terms.
func shapeOf[T any](raw json.RawMessage, err error) *shapeError {
	var kind *json.UnmarshalTypeError
	var pe *time.ParseError
	var ie *planner.InvalidError
	switch {
	case errors.Is(err, errNullRecord):
		return &shapeError{err: err, text: text{key: "import.problem.null", fallback: "it is empty (null)"}}
	case errors.As(err, &kind) && kind.Field != "":
		return &shapeError{err: err, field: kind.Field, text: text{key: "import.problem.type",
			fallback: "“{{.Field}}” holds a JSON {{.Value}}, which does not belong there", data: map[string]any{"Field": kind.Field, "Value": kind.Value}}}
	case errors.As(err, &kind):
		return &shapeError{err: err, text: text{key: "import.problem.not_object", fallback: "it is a JSON {{.Value}}, not an item", data: map[string]any{"Value": kind.Value}}}
	}
	field := culprit[T](raw)
	se := &shapeError{err: err, field: field}
	switch {
	case errors.As(err, &pe) && field != "":
		se.text = text{key: "import.problem.time", fallback: "“{{.Field}}” is not a date and time like 2026-12-01T09:00:00+02:00", data: map[string]any{"Field": field}}
	case errors.As(err, &ie) && field != "":
		se.text = text{key: "import.problem.field", fallback: "“{{.Field}}”: {{.Problem}}", data: map[string]any{"Field": field}, inner: ie}
	case field != "":
		se.text = text{key: "import.problem.unreadable", fallback: "“{{.Field}}” cannot be read", data: map[string]any{"Field": field}}
	default:
		se.text = text{key: "import.problem.unreadable_item", fallback: "it cannot be read"}
	}
	return se
}

// culprit finds the top-level field of raw that T cannot decode, trying
// each on its own; "" if none fails alone.
func culprit[T any](raw json.RawMessage) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return ""
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		one, err := json.Marshal(map[string]json.RawMessage{name: fields[name]})
		if err != nil {
			continue
		}
		var v T
		if json.Unmarshal(one, &v) != nil {
			return name
		}
	}
	return ""
}

// jsonProblem says what is wrong with JSON in the file's terms, not Go's.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var kind *json.UnmarshalTypeError
	var pe *time.ParseError
	var ie *planner.InvalidError
	var stop *jsonStop
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("it is not valid JSON at byte %d: %s", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.As(err, &stop):
		return stop.Error()
	case errors.As(err, &kind) && kind.Field != "":
		return fmt.Sprintf("%q is a JSON %s, which does not belong there", kind.Field, kind.Value)
	case errors.As(err, &kind):
		return fmt.Sprintf("it is a JSON %s, not an object", kind.Value)
	case errors.As(err, &pe):
		return "a date and time is not written like 2026-12-01T09:00:00+02:00"
	case errors.As(err, &ie):
		return ie.Msg
	}
	return err.Error()
}
