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
	openInBrowserWith(win, log, u, "")
}

// openInBrowserWith is openInBrowser for an address where the user will
// paste text, a post sent by hand: where no browser opens, the text can be
// copied as well as the address (copying the address would replace the
// text on the clipboard).
func openInBrowserWith(win fyne.Window, log logrus.FieldLogger, u *url.URL, text string) {
	err := fyne.CurrentApp().OpenURL(u)
	if err == nil {
		return
	}
	log.WithError(err).Info("no browser opened")
	showAddress(win, u.String(), text)
}

// showAddress offers an address to copy, when no browser opened it, and
// text to paste there, if any.
func showAddress(win fyne.Window, addr, text string) {
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
	)
	if text != "" {
		cp.SetText(lang.X("browser.copy_address", "Copy address"))
		body.Add(&widget.Label{Text: lang.X("browser.paste_text", "If the post's text is not there already, paste it:"), Wrapping: fyne.TextWrapWord})
		body.Add(&widget.Button{Text: lang.X("browser.copy_text", "Copy the text"), Icon: theme.ContentCopyIcon(), OnTapped: func() {
			fyne.CurrentApp().Clipboard().SetContent(text)
			copied.SetText(lang.X("browser.copied_text", "The text is copied."))
		}})
	}
	body.Add(copied)
	d := dialog.NewCustom(lang.X("browser.title", "Open in your browser"), lang.X("dialog.close", "Close"), body, win)
	d.Resize(fyne.NewSize(520, 200))
	showDialog(win, d, nil)
}
