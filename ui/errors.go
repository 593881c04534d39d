package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
)

// errorText says what went wrong and what to do, in the user's language,
// without the internals (those go to the log).
func errorText(err error) string {
	var ie *planner.InvalidError
	switch {
	case errors.As(err, &ie):
		return lang.X(ie.Key, ie.Msg)
	case errors.Is(err, planner.ErrNotFound):
		return lang.X("error.ui.not_found", "It is no longer there: it may have been deleted. Reload the view and try again.")
	case errors.Is(err, planner.ErrConflict):
		return lang.X("error.ui.conflict", "It changed while you were editing. Reload it and try again.")
	case errors.Is(err, context.DeadlineExceeded):
		return lang.X("error.ui.timeout", "The disk did not answer in time. Check that the data folder is reachable and try again.")
	}
	return lang.X("error.ui.unexpected", "Something went wrong and was written to the log. Try again; if it keeps happening, restart Kaiku.")
}

// showError logs err with its cause and shows the user a dialog about it.
func showError(w fyne.Window, log logrus.FieldLogger, what string, err error) {
	log.WithError(err).WithField("action", what).Warn("action failed")
	dialog.ShowError(errors.New(errorText(err)), w)
}
