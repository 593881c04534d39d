package cmd

import (
	"context"
	"errors"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/ui"
)

// workCalendars is the window's way to the work calendars
// (ui.WorkCalendars): what `kaiku calendar` does, with the command line's
// errors handed over as errors that explain themselves.
type workCalendars struct{ c *calendars }

var _ ui.WorkCalendars = workCalendars{}

func newWorkCalendars(e *env) workCalendars { return workCalendars{newCalendars(e)} }

func (w workCalendars) Sources(ctx context.Context) ([]planner.CalendarSource, error) {
	return w.c.store.CalendarSources(ctx)
}

func (w workCalendars) Add(ctx context.Context, address string) (planner.CalendarSource, error) {
	src, _, err := w.c.add(ctx, address)
	if err != nil {
		return planner.CalendarSource{}, explained(err)
	}
	return src, nil
}

func (w workCalendars) Remove(ctx context.Context, id string) error {
	if err := w.c.store.DeleteCalendarSource(ctx, id); err != nil {
		if errors.Is(err, planner.ErrNotFound) {
			return nil // removed already, by `kaiku calendar remove` say
		}
		return explained(err)
	}
	return nil
}

// Refresh reads every calendar anew; the failures stay on their sources
// (LastError), which the window lists, and go to the log.
func (w workCalendars) Refresh(ctx context.Context) error {
	outcomes, err := w.c.refreshAll(ctx)
	for _, o := range outcomes {
		if o.err != nil && ctx.Err() == nil {
			w.c.log.WithField("calendar", o.src.ID).WithError(o.err).Warn("a work calendar was not refreshed")
		}
	}
	return explained(err)
}

// explainedError carries a message already put in the user's words
// (userErrorf) to the window, which shows what planner.Explain says.
type explainedError struct {
	msg   string
	cause error
}

func (e explainedError) Error() string                    { return e.msg }
func (e explainedError) Unwrap() error                    { return e.cause }
func (e explainedError) Explain(planner.Translate) string { return e.msg }

// explained makes the command line's user errors explain themselves; other
// errors (the store's) explain themselves already or are for the log.
func explained(err error) error {
	var ue userError
	if err == nil || !errors.As(err, &ue) {
		return err
	}
	return explainedError{msg: ue.msg, cause: err}
}
