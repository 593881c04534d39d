package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
)

// errorText says what went wrong and what to do, in the user's language,
// without the internals (those go to the log): planner.Explain's words,
// which the command line prints too.
func errorText(err error) string {
	msg, _ := planner.Explain(err, lang.X)
	return msg
}

// showError logs err with its cause and shows the user a dialog about it.
func showError(w fyne.Window, log logrus.FieldLogger, what string, err error) {
	log.WithError(err).WithField("action", what).Warn("action failed")
	showDialog(w, dialog.NewError(errors.New(errorText(err)), w), nil)
}
