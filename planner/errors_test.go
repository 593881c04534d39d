package planner_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"text/template"

	"github.com/kaiku-app/kaiku/planner"
)

// english is a Translate without translations: the English fallback with
// its template filled, as lang.X gives for a missing key.
func english(key, fallback string, data ...any) string {
	tpl, err := template.New(key).Parse(fallback)
	if err != nil {
		return fallback
	}
	var b strings.Builder
	var d any
	if len(data) > 0 {
		d = data[0]
	}
	if tpl.Execute(&b, d) != nil {
		return fallback
	}
	return b.String()
}

// keyOf is a Translate that answers with the key, to see which message was chosen.
func keyOf(key, _ string, _ ...any) string { return key }

type explained struct{ error }

func (explained) Explain(tr planner.Translate) string { return tr("error.own", "its own words") }

// TestExplain: every error the user can meet has its message, wherever it
// is wrapped; an error Kaiku knows nothing of gets the general one and says so.
func TestExplain(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("save post 0h2: %w", err) }
	for _, c := range []struct {
		name  string
		err   error
		key   string
		known bool
	}{
		{"a rule broken", wrap(&planner.InvalidError{Field: "text", Key: "error.post.empty", Msg: "the post has no text"}), "error.post.empty", true},
		{"its own words", wrap(explained{errors.New("x")}), "error.own", true},
		{"own words before the sentinel", wrap(explained{planner.ErrNotFound}), "error.own", true},
		{"gone", wrap(planner.ErrNotFound), "error.not_found", true},
		{"changed meanwhile", wrap(planner.ErrConflict), "error.conflict", true},
		{"a refused status change", wrap(&planner.StatusError{From: planner.StatusPublished, To: planner.StatusDraft}), "error.post.status_change", true},
		{"no answer in time", wrap(context.DeadlineExceeded), "error.timeout", true},
		{"stopped", wrap(context.Canceled), "error.interrupted", true},
		{"unknown", wrap(errors.New("value log truncated")), "error.unexpected", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			key, known := planner.Explain(c.err, keyOf)
			if key != c.key || known != c.known {
				t.Errorf("Explain = %q, %v; want %q, %v", key, known, c.key, c.known)
			}
			if msg, _ := planner.Explain(c.err, english); strings.Contains(msg, "0h2") || strings.Contains(msg, "value log") {
				t.Errorf("the message shows internals: %q", msg)
			}
		})
	}
}
