package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// newAccountsScreen lists linked accounts.
func newAccountsScreen(d *Deps) fyne.CanvasObject {
	ctx, cancel := d.ctx()
	defer cancel()
	accounts, err := d.Store.Accounts(ctx)
	if err != nil {
		d.Log.WithError(err).Warn("load accounts")
	}
	box := container.NewVBox()
	if len(accounts) == 0 {
		box.Add(&widget.Label{Text: lang.X("accounts.none", "No accounts are linked yet. Posts you write can still be copied and posted by hand."), Wrapping: fyne.TextWrapWord})
	}
	for _, a := range accounts {
		box.Add(widget.NewLabel(string(a.Network) + "  @" + a.Handle + "  " + lang.X("account.status."+string(a.Status), string(a.Status))))
	}
	return container.NewVScroll(box)
}
