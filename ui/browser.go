package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"
)

// openInBrowser opens u in the user's browser. Where none opens (no
// xdg-open, no browser set), it shows the address with a Copy button
// instead of the system's error, so the user can take it to a browser.
func openInBrowser(win fyne.Window, log logrus.FieldLogger, u *url.URL) {
	err := fyne.CurrentApp().OpenURL(u)
	if err == nil {
		return
	}
	log.WithError(err).Info("no browser opened")
	showAddress(win, u.String())
}

// showAddress offers an address to copy, when no browser opened it.
func showAddress(win fyne.Window, addr string) {
	field := newKeyEntry(win)
	field.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	field.SetText(addr)
	field.OnChanged = func(string) { field.SetText(addr) } // to select and copy, not to edit
	copied := &widget.Label{Importance: widget.LowImportance}
	cp := &widget.Button{Text: lang.X("browser.copy", "Copy"), Icon: theme.ContentCopyIcon(), OnTapped: func() {
		fyne.CurrentApp().Clipboard().SetContent(addr)
		copied.SetText(lang.X("browser.copied", "Copied."))
	}}
	body := container.NewVBox(
		&widget.Label{Text: lang.X("browser.none", "No browser opened. Copy the address and open it in your browser:"), Wrapping: fyne.TextWrapWord},
		container.NewBorder(nil, nil, nil, cp, field),
		copied,
	)
	d := dialog.NewCustom(lang.X("browser.title", "Open in your browser"), lang.X("dialog.close", "Close"), body, win)
	d.Resize(fyne.NewSize(520, 200))
	showDialog(win, d, nil)
}
