package ui

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
)

// accountErrorText says an accounts error in the user's language.
func accountErrorText(err error) (string, bool) {
	var ae *accounts.Error
	if !errors.As(err, &ae) {
		return "", false
	}
	msg := lang.X(ae.Key, accounts.Message(ae.Key))
	if ae.Detail != "" {
		msg += " (" + ae.Detail + ")"
	}
	return msg, true
}

// AccountsScreen links, tests and unlinks accounts.
type AccountsScreen struct {
	widget.BaseWidget

	deps    *Deps
	win     fyne.Window
	changed *signal

	list    *fyne.Container
	warning *widget.Label
	start   *widget.Button

	key, secret, apiBase *widget.Entry
	loopback             *widget.Check
	pin                  *widget.Entry
	pinRow               *fyne.Container
	status               *widget.Label
	link                 *accounts.Link
	relinkID             string
}

// NewAccountsScreen lists the linked accounts.
func NewAccountsScreen(d *Deps, win fyne.Window, changed *signal) *AccountsScreen {
	s := &AccountsScreen{deps: d, win: win, changed: changed}
	s.list = container.NewVBox()
	s.warning = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
	s.warning.Hide()
	s.key = &widget.Entry{PlaceHolder: lang.X("link.key", "API key")}
	s.secret = widget.NewPasswordEntry()
	s.secret.SetPlaceHolder(lang.X("link.secret", "API key secret"))
	s.apiBase = &widget.Entry{PlaceHolder: accounts.DefaultXAPI}
	s.loopback = widget.NewCheck(lang.X("link.loopback", "Let X send me back to Kaiku (register http://127.0.0.1:47811/callback in your X app)"), nil)
	s.pin = &widget.Entry{PlaceHolder: lang.X("link.pin", "PIN from X")}
	finish := &widget.Button{Text: lang.X("link.finish", "Link"), Icon: theme.ConfirmIcon(), OnTapped: s.finishLink}
	s.pinRow = container.NewBorder(nil, nil, nil, finish, s.pin)
	s.pinRow.Hide()
	s.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.start = &widget.Button{Text: lang.X("link.start", "Open X to authorize"), Icon: theme.LoginIcon(), Importance: widget.HighImportance, OnTapped: s.startLink}
	if d.Accounts == nil {
		// Without the account tools the screen says so, and offers nothing that needs them.
		s.start.Disable()
		s.warning.SetText(lang.X("accounts.unavailable", "Kaiku could not start its account tools, so accounts cannot be linked, tested or unlinked now; the log says why. Posts can still be copied and posted by hand. Restart Kaiku to try again."))
		s.warning.Show()
	}
	s.ExtendBaseWidget(s)
	changed.listen(s.Reload)
	s.Reload()
	return s
}

func (s *AccountsScreen) CreateRenderer() fyne.WidgetRenderer {
	help := &widget.Label{Wrapping: fyne.TextWrapWord, Text: lang.X("link.help",
		"Kaiku publishes to X through your own X developer app. Create one at developer.x.com (Projects & Apps), give it read and write permission, and copy its API key and secret here. X bills posting through the API by its own price list; Kaiku has no server and never sees your keys, which stay in this computer's keyring.")}
	advanced := widget.NewAccordion(widget.NewAccordionItem(lang.X("link.advanced", "Advanced"), container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.X("link.api_base", "API address"), s.apiBase)), s.loopback)))
	form := widget.NewForm(
		widget.NewFormItem(lang.X("link.key", "API key"), s.key),
		widget.NewFormItem(lang.X("link.secret", "API key secret"), s.secret),
	)
	linkCard := widget.NewCard(lang.X("link.title", "Link an X account"), "", container.NewVBox(help, form, advanced, container.NewHBox(s.start), s.pinRow, s.status))
	heading := &widget.Label{Text: lang.X("accounts.heading", "Linked accounts"), TextStyle: fyne.TextStyle{Bold: true}}
	return widget.NewSimpleRenderer(container.NewVScroll(container.NewVBox(s.warning, heading, s.list, linkCard)))
}

// Reload reads the accounts off the UI goroutine.
func (s *AccountsScreen) Reload() {
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		list, err := s.deps.Store.Accounts(ctx)
		if s.deps.Accounts == nil {
			s.deps.do(func() {
				if err != nil {
					showError(s.win, s.deps.Log, "load accounts", err)
					return
				}
				s.show(list)
			})
			return
		}
		// The first look at the keyring may take a while, so not on the UI goroutine.
		path, fileInUse := s.deps.Accounts.SecretsFile()
		damaged := s.deps.Accounts.SecretsDamaged()
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "load accounts", err)
				return
			}
			s.show(list)
			switch {
			case damaged:
				s.warning.SetText(lang.X("accounts.secrets.damaged", accounts.Message("accounts.secrets.damaged"), map[string]any{"Path": path}))
				s.warning.Show()
			case fileInUse:
				s.warning.SetText(lang.X("accounts.secrets.file", accounts.Message("accounts.secrets.file"), map[string]any{"Path": path}))
				s.warning.Show()
			default:
				s.warning.Hide()
			}
		})
	})
}

// show lists the accounts.
func (s *AccountsScreen) show(list []planner.Account) {
	s.list.Objects = nil
	if len(list) == 0 {
		s.list.Add(&widget.Label{Text: lang.X("accounts.none", "No accounts are linked yet. Posts you write can still be copied and posted by hand."), Wrapping: fyne.TextWrapWord})
	}
	for _, a := range list {
		a := a
		name := &widget.Label{Text: a.Network.DisplayName() + "  @" + a.Handle, TextStyle: fyne.TextStyle{Bold: true}}
		st := &widget.Label{Text: lang.X("account.status."+string(a.Status), string(a.Status))}
		if a.Status == planner.AccountNeedsRelink {
			st.Importance = widget.DangerImportance
		}
		test := &widget.Button{Text: lang.X("accounts.test", "Test"), Importance: widget.LowImportance, OnTapped: func() { s.check(a) }}
		relink := &widget.Button{Text: lang.X("accounts.relink", "Link again"), Importance: widget.LowImportance, OnTapped: func() {
			s.relinkID = a.ID
			s.status.SetText(lang.X("accounts.relink_hint", "Enter the API key and secret below and authorize again."))
		}}
		unlink := &widget.Button{Text: lang.X("accounts.unlink", "Unlink"), Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() { s.confirmUnlink(a) }}
		if s.deps.Accounts == nil {
			test.Disable()
			relink.Disable()
			unlink.Disable()
		}
		s.list.Add(container.NewBorder(nil, nil, container.NewHBox(name, st), container.NewHBox(test, relink, unlink)))
	}
	s.list.Refresh()
}

func (s *AccountsScreen) accountsError(what string, err error) {
	if msg, ok := accountErrorText(err); ok {
		s.deps.Log.WithError(err).WithField("action", what).Warn("account action failed")
		dialog.ShowError(errors.New(msg), s.win)
		return
	}
	showError(s.win, s.deps.Log, what, err)
}

func (s *AccountsScreen) startLink() {
	if s.deps.Accounts == nil {
		return
	}
	if old := s.link; old != nil {
		// Closing waits for the link's lock and server: not on the UI goroutine.
		s.link = nil
		s.pinRow.Hide()
		s.deps.background(old.Close)
	}
	opts := accounts.LinkOptions{ConsumerKey: strings.TrimSpace(s.key.Text), ConsumerSecret: strings.TrimSpace(s.secret.Text),
		APIBase: strings.TrimSpace(s.apiBase.Text), AccountID: s.relinkID, Loopback: s.loopback.Checked,
		Translate: func(key, fallback string) string { return lang.X(key, fallback) }}
	s.status.SetText(lang.X("link.asking", "Asking X…"))
	s.deps.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		l, err := s.deps.Accounts.LinkX(ctx, opts)
		s.deps.do(func() {
			if err != nil {
				s.status.SetText("")
				s.accountsError("link", err)
				return
			}
			s.link = l
			if u, err := url.Parse(l.AuthorizeURL()); err == nil {
				_ = fyne.CurrentApp().OpenURL(u)
			}
			if opts.Loopback {
				s.status.SetText(lang.X("link.waiting", "Approve Kaiku in the browser; Kaiku finishes by itself."))
				s.waitLoopback(l)
				return
			}
			s.status.SetText(lang.X("link.paste_pin", "Approve Kaiku in the browser, then type the PIN X shows you here."))
			s.pinRow.Show()
		})
	})
}

func (s *AccountsScreen) waitLoopback(l *accounts.Link) {
	s.deps.background(func() {
		acc, err := l.Wait(context.Background())
		s.deps.do(func() { s.linked(l, acc, err) })
	})
}

func (s *AccountsScreen) finishLink() {
	if s.link == nil {
		return
	}
	l, pin := s.link, s.pin.Text
	s.status.SetText(lang.X("link.finishing", "Linking…"))
	s.deps.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		acc, err := l.Finish(ctx, pin)
		s.deps.do(func() { s.linked(l, acc, err) })
	})
}

// linked shows how link l ended. A link the user has since left for a new
// one only reports an account it linked.
func (s *AccountsScreen) linked(l *accounts.Link, acc planner.Account, err error) {
	current := s.link == l
	if err != nil {
		if !current {
			s.deps.Log.WithError(err).Info("an abandoned link ended")
			return
		}
		s.status.SetText("")
		s.accountsError("link", err)
		return
	}
	s.deps.background(l.Close) // stops its loopback server, if any
	if current {
		s.link, s.relinkID = nil, ""
		s.pin.SetText("")
		s.secret.SetText("")
		s.pinRow.Hide()
	}
	s.status.SetText(lang.X("accounts.linked_as", accounts.Message("accounts.linked_as"), map[string]any{"Handle": acc.DisplayHandle(), "Network": acc.Network.DisplayName()}))
	s.changed.emit()
}

func (s *AccountsScreen) check(a planner.Account) {
	if s.deps.Accounts == nil {
		return
	}
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		acc, err := s.deps.Accounts.Check(ctx, a.ID)
		s.deps.do(func() {
			if err != nil {
				s.accountsError("test account", err)
			} else {
				dialog.ShowInformation(lang.X("accounts.test", "Test"), lang.X("accounts.check.ok", accounts.Message("accounts.check.ok"), map[string]any{"Handle": acc.DisplayHandle(), "Network": acc.Network.DisplayName()}), s.win)
			}
			s.changed.emit()
		})
	})
}

func (s *AccountsScreen) confirmUnlink(a planner.Account) {
	dialog.ShowConfirm(lang.X("accounts.unlink", "Unlink"), lang.X("accounts.unlink_confirm", "Unlink @{{.Handle}}? Its keys are removed from this computer; your posts stay.", map[string]any{"Handle": a.Handle}), func(ok bool) {
		if !ok || s.deps.Accounts == nil {
			return
		}
		// Removing the keys asks the keyring, which may wait for the user.
		s.deps.background(func() {
			ctx, cancel := s.deps.ctx()
			defer cancel()
			_, err := s.deps.Accounts.Unlink(ctx, a.ID)
			s.deps.do(func() {
				if err != nil {
					s.accountsError("unlink", err)
					return
				}
				s.changed.emit()
			})
		})
	}, s.win)
}
