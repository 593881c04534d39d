package ui

import (
	"context"
	"errors"
	"net/url"
	"strconv"
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

// Where the accounts screen sends the user to make what linking needs.
const (
	blueskyAppPasswordsURL = "https://bsky.app/settings/app-passwords"
	linkedinDevelopersURL  = "https://www.linkedin.com/developers/apps"
	xDevelopersURL         = "https://developer.x.com/en/portal/projects-and-apps"
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

// pendingLink is a link waiting for the user in the browser: X's, or an
// OAuth 2.0 link (Mastodon, LinkedIn).
type pendingLink interface {
	AuthorizeURL() string
	Finish(ctx context.Context, code string) (planner.Account, error)
	Wait(ctx context.Context) (planner.Account, error)
	Close()
}

// AccountsScreen links, tests and unlinks accounts on the four networks.
type AccountsScreen struct {
	widget.BaseWidget

	deps    *Deps
	win     fyne.Window
	changed *signal

	list    *fyne.Container
	warning *widget.Label

	network *widget.RadioGroup
	forms   map[planner.Network]fyne.CanvasObject
	start   *widget.Button

	// X
	key, secret, apiBase *widget.Entry
	loopback             *widget.Check
	// Mastodon
	instance *widget.Entry
	oob      *widget.Check
	// Bluesky
	handle, appPassword, service *widget.Entry
	// LinkedIn
	clientID, clientSecret, port, linkedinBase *widget.Entry

	// The code the browser shows (X's PIN, a Mastodon code), typed in.
	pin    *widget.Entry
	pinRow *fyne.Container
	status *widget.Label

	link     pendingLink
	linking  planner.Network // the network of link
	relinkID string
}

// networkNames are the network choices, in the order shown.
var networkNames = []planner.Network{planner.NetworkX, planner.NetworkMastodon, planner.NetworkBluesky, planner.NetworkLinkedIn}

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

	s.instance = &widget.Entry{PlaceHolder: "mastodon.social", OnSubmitted: func(string) { s.startLink() }}
	s.oob = widget.NewCheck(lang.X("link.mastodon.oob", "Type in a code from the server instead (when the browser cannot come back to Kaiku)"), nil)

	s.handle = &widget.Entry{PlaceHolder: lang.X("link.bluesky.handle_hint", "name.bsky.social")}
	s.appPassword = widget.NewPasswordEntry()
	s.appPassword.SetPlaceHolder("xxxx-xxxx-xxxx-xxxx")
	s.appPassword.OnSubmitted = func(string) { s.startLink() }
	s.service = &widget.Entry{PlaceHolder: "https://bsky.social"}

	s.clientID = &widget.Entry{}
	s.clientSecret = widget.NewPasswordEntry()
	s.port = &widget.Entry{Text: "47812"}
	s.linkedinBase = &widget.Entry{PlaceHolder: "https://api.linkedin.com"}

	s.pin = &widget.Entry{PlaceHolder: lang.X("link.pin", "PIN from X"), OnSubmitted: func(string) { s.finishLink() }}
	finish := &widget.Button{Text: lang.X("link.finish", "Link"), Icon: theme.ConfirmIcon(), OnTapped: s.finishLink}
	s.pinRow = container.NewBorder(nil, nil, nil, finish, s.pin)
	s.pinRow.Hide()
	s.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.start = &widget.Button{Icon: theme.LoginIcon(), Importance: widget.HighImportance, OnTapped: s.startLink}

	names := make([]string, len(networkNames))
	for i, n := range networkNames {
		names[i] = n.DisplayName()
	}
	s.network = widget.NewRadioGroup(names, func(string) { s.showForm() })
	s.network.Horizontal = true
	s.network.Required = true
	s.forms = map[planner.Network]fyne.CanvasObject{
		planner.NetworkX: s.xForm(), planner.NetworkMastodon: s.mastodonForm(),
		planner.NetworkBluesky: s.blueskyForm(), planner.NetworkLinkedIn: s.linkedinForm(),
	}
	s.network.SetSelected(planner.NetworkX.DisplayName())

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

// hyperlink is a link that opens in the browser.
func hyperlink(text, address string) *widget.Hyperlink {
	u, _ := url.Parse(address)
	return widget.NewHyperlink(text, u)
}

func helpText(text string) *widget.Label {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
}

func (s *AccountsScreen) xForm() fyne.CanvasObject {
	help := helpText(lang.X("link.help",
		"Kaiku publishes to X through your own X developer app. Create one at developer.x.com (Projects & Apps), give it read and write permission, and copy its API key and secret here. X bills posting through the API by its own price list; Kaiku has no server and never sees your keys, which stay in this computer's keyring."))
	advanced := widget.NewAccordion(widget.NewAccordionItem(lang.X("link.advanced", "Advanced"), container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.X("link.api_base", "API address"), s.apiBase)), s.loopback)))
	form := widget.NewForm(
		widget.NewFormItem(lang.X("link.key", "API key"), s.key),
		widget.NewFormItem(lang.X("link.secret", "API key secret"), s.secret),
	)
	return container.NewVBox(help, hyperlink(lang.X("link.x.portal", "Open the X developer portal"), xDevelopersURL), form, advanced)
}

func (s *AccountsScreen) mastodonForm() fyne.CanvasObject {
	help := helpText(lang.X("link.mastodon.help",
		"Write your Mastodon server's address and open it to authorize Kaiku: you sign in there, allow Kaiku to post, and the browser comes back to Kaiku. Kaiku never sees your password."))
	advanced := widget.NewAccordion(widget.NewAccordionItem(lang.X("link.advanced", "Advanced"), s.oob))
	form := widget.NewForm(widget.NewFormItem(lang.X("link.mastodon.instance", "Server"), s.instance))
	return container.NewVBox(help, form, advanced)
}

func (s *AccountsScreen) blueskyForm() fyne.CanvasObject {
	help := helpText(lang.X("link.bluesky.help",
		"Kaiku signs in to Bluesky with an app password, never your own password. Make one in Bluesky under Settings → Privacy and security → App passwords, and paste it here. Kaiku keeps only the session Bluesky gives, in this computer's keyring."))
	advanced := widget.NewAccordion(widget.NewAccordionItem(lang.X("link.advanced", "Advanced"),
		widget.NewForm(widget.NewFormItem(lang.X("link.bluesky.service", "Service address"), s.service))))
	form := widget.NewForm(
		widget.NewFormItem(lang.X("link.bluesky.handle", "Handle"), s.handle),
		widget.NewFormItem(lang.X("link.bluesky.password", "App password"), s.appPassword),
	)
	return container.NewVBox(help, hyperlink(lang.X("link.bluesky.where", "Make an app password in Bluesky"), blueskyAppPasswordsURL), form, advanced)
}

func (s *AccountsScreen) linkedinForm() fyne.CanvasObject {
	help := helpText(lang.X("link.linkedin.help",
		"Kaiku posts to LinkedIn through your own LinkedIn app:\n1. In LinkedIn's developer portal, create an app (it needs a LinkedIn page for your organization).\n2. Under Products, add “Sign In with LinkedIn using OpenID Connect” and “Share on LinkedIn”.\n3. On the Auth tab, add http://127.0.0.1:47812/callback under Authorized redirect URLs.\n4. Copy the app's client ID and client secret here.\nA link lasts 60 days; Kaiku tells you a week before it ends."))
	advanced := widget.NewAccordion(widget.NewAccordionItem(lang.X("link.advanced", "Advanced"),
		widget.NewForm(widget.NewFormItem(lang.X("link.linkedin.port", "Port of the redirect URL"), s.port),
			widget.NewFormItem(lang.X("link.api_base", "API address"), s.linkedinBase))))
	form := widget.NewForm(
		widget.NewFormItem(lang.X("link.linkedin.client_id", "Client ID"), s.clientID),
		widget.NewFormItem(lang.X("link.linkedin.client_secret", "Client secret"), s.clientSecret),
	)
	return container.NewVBox(help, hyperlink(lang.X("link.linkedin.portal", "Open LinkedIn's developer portal"), linkedinDevelopersURL), form, advanced)
}

// chosen is the network the link form is for.
func (s *AccountsScreen) chosen() planner.Network {
	for _, n := range networkNames {
		if n.DisplayName() == s.network.Selected {
			return n
		}
	}
	return planner.NetworkX
}

// showForm shows the chosen network's form and names its start button.
func (s *AccountsScreen) showForm() {
	n := s.chosen()
	for m, f := range s.forms {
		if m == n {
			f.Show()
		} else {
			f.Hide()
		}
	}
	switch n {
	case planner.NetworkX:
		s.start.SetText(lang.X("link.start", "Open X to authorize"))
	case planner.NetworkMastodon:
		s.start.SetText(lang.X("link.mastodon.start", "Open the server to authorize"))
	case planner.NetworkBluesky:
		s.start.SetText(lang.X("link.bluesky.start", "Link"))
	case planner.NetworkLinkedIn:
		s.start.SetText(lang.X("link.linkedin.start", "Open LinkedIn to authorize"))
	}
}

func (s *AccountsScreen) CreateRenderer() fyne.WidgetRenderer {
	forms := container.NewStack()
	for _, n := range networkNames {
		forms.Add(s.forms[n])
	}
	linkCard := widget.NewCard(lang.X("link.title", "Link an account"), "", container.NewVBox(s.network, forms, container.NewHBox(s.start), s.pinRow, s.status))
	heading := &widget.Label{Text: lang.X("accounts.heading", "Linked accounts"), TextStyle: fyne.TextStyle{Bold: true}}
	return widget.NewSimpleRenderer(container.NewVScroll(container.NewVBox(s.warning, heading, s.list, linkCard)))
}

// accountsView is what the list shows, read off the UI goroutine.
type accountsView struct {
	list []planner.Account
	// late counts, per account, the scheduled posts due after its link ends.
	late      map[string]int
	path      string
	fileInUse bool
	damaged   bool
}

// Reload reads the accounts off the UI goroutine.
func (s *AccountsScreen) Reload() {
	s.deps.background(func() {
		v, err := s.load()
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "load accounts", err)
				return
			}
			s.show(v)
		})
	})
}

func (s *AccountsScreen) load() (accountsView, error) {
	ctx, cancel := s.deps.ctx()
	defer cancel()
	var v accountsView
	var err error
	if v.list, err = s.deps.Store.Accounts(ctx); err != nil {
		return v, err
	}
	v.late = map[string]int{}
	due, err := s.deps.Store.PostsWithStatus(ctx, planner.StatusScheduled)
	if err != nil {
		return v, err
	}
	for _, p := range due {
		for _, a := range planner.LinksEndedWhenDue(p, v.list) {
			v.late[a.ID]++
		}
	}
	if s.deps.Accounts != nil {
		// The first look at the keyring may take a while, so not on the UI goroutine.
		v.path, v.fileInUse = s.deps.Accounts.SecretsFile()
		v.damaged = s.deps.Accounts.SecretsDamaged()
	}
	return v, nil
}

// show lists the accounts.
func (s *AccountsScreen) show(v accountsView) {
	s.list.Objects = nil
	if len(v.list) == 0 {
		s.list.Add(helpText(lang.X("accounts.none", "No accounts are linked yet. Posts you write can still be copied and posted by hand.")))
	}
	now := s.deps.now()
	for _, a := range v.list {
		s.list.Add(s.accountRow(a, v.late[a.ID], now))
	}
	s.list.Refresh()
	switch {
	case s.deps.Accounts == nil:
	case v.damaged:
		s.warning.SetText(lang.X("accounts.secrets.damaged", accounts.Message("accounts.secrets.damaged"), map[string]any{"Path": v.path}))
		s.warning.Show()
	case v.fileInUse:
		s.warning.SetText(lang.X("accounts.secrets.file", accounts.Message("accounts.secrets.file"), map[string]any{"Path": v.path}))
		s.warning.Show()
	default:
		s.warning.Hide()
	}
}

// accountRow is one account: its network, handle and status, how long its
// link lasts where it ends, and what can be done with it.
func (s *AccountsScreen) accountRow(a planner.Account, late int, now time.Time) fyne.CanvasObject {
	name := &widget.Label{Text: a.Network.DisplayName() + "  " + a.DisplayHandle(), TextStyle: fyne.TextStyle{Bold: true}}
	st := &widget.Label{Text: lang.X("account.status."+string(a.Status), string(a.Status))}
	if a.Status == planner.AccountNeedsRelink {
		st.Importance = widget.DangerImportance
	}
	info := container.NewHBox(st)
	var notes []fyne.CanvasObject
	switch {
	case a.Expires.IsZero():
	case a.LinkEnded(now):
		notes = append(notes, &widget.Label{Text: lang.X("accounts.link_ended", "The link has ended: link the account again."), Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance})
	case a.LinkEndsSoon(now):
		notes = append(notes, &widget.Label{Text: lang.X("accounts.link_ends_soon", "The link ends in {{.Days}} days: link the account again before then.", map[string]any{"Days": a.LinkDaysLeft(now)}),
			Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	default:
		info.Add(&widget.Label{Text: lang.X("accounts.days_left", "{{.Days}} days left", map[string]any{"Days": a.LinkDaysLeft(now)}), Importance: widget.LowImportance})
	}
	if late > 0 {
		notes = append(notes, &widget.Label{Text: lang.X("accounts.posts_after_link", "Scheduled posts due after the link ends: {{.Count}}. Link the account again first.", map[string]any{"Count": late}),
			Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	}
	test := &widget.Button{Text: lang.X("accounts.test", "Test"), Importance: widget.LowImportance, OnTapped: func() { s.check(a) }}
	relink := &widget.Button{Text: lang.X("accounts.relink", "Link again"), Importance: widget.LowImportance, OnTapped: func() { s.relink(a) }}
	unlink := &widget.Button{Text: lang.X("accounts.unlink", "Unlink"), Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() { s.confirmUnlink(a) }}
	if s.deps.Accounts == nil {
		test.Disable()
		relink.Disable()
		unlink.Disable()
	}
	row := container.NewBorder(nil, nil, nil, container.NewHBox(test, relink, unlink), container.NewHBox(name, info))
	return container.NewVBox(append([]fyne.CanvasObject{row}, notes...)...)
}

// relink fills in the link form for the account, to link it again.
func (s *AccountsScreen) relink(a planner.Account) {
	s.relinkID = a.ID
	s.network.SetSelected(a.Network.DisplayName())
	switch a.Network {
	case planner.NetworkX:
		s.apiBase.SetText(a.APIBase)
		s.status.SetText(lang.X("accounts.relink_hint", "Enter the API key and secret below and authorize again."))
	case planner.NetworkMastodon:
		s.instance.SetText(a.APIBase)
		s.status.SetText(lang.X("accounts.relink_hint.mastodon", "Open the server below and authorize Kaiku again."))
	case planner.NetworkBluesky:
		s.handle.SetText(a.Handle)
		s.service.SetText(a.APIBase)
		s.status.SetText(lang.X("accounts.relink_hint.bluesky", "Enter an app password below and link again."))
	case planner.NetworkLinkedIn:
		s.linkedinBase.SetText(a.APIBase)
		s.status.SetText(lang.X("accounts.relink_hint.linkedin", "Enter your LinkedIn app's client ID and secret below and authorize again."))
	}
}

func (s *AccountsScreen) accountsError(what string, err error) {
	if msg, ok := accountErrorText(err); ok {
		s.deps.Log.WithError(err).WithField("action", what).Warn("account action failed")
		dialog.ShowError(errors.New(msg), s.win)
		return
	}
	showError(s.win, s.deps.Log, what, err)
}

// loopbackText is lang.X for the accounts package's loopback pages.
func loopbackText(key, fallback string) string { return lang.X(key, fallback) }

// startLink starts linking an account on the chosen network.
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
	n := s.chosen()
	relinkID := s.relinkID
	s.status.SetText(lang.X("link.asking", "Asking {{.Network}}…", map[string]any{"Network": n.DisplayName()}))
	var start func(ctx context.Context) (pendingLink, planner.Account, error)
	oob, loopback := false, false
	switch n {
	case planner.NetworkX:
		opts := accounts.LinkOptions{ConsumerKey: strings.TrimSpace(s.key.Text), ConsumerSecret: strings.TrimSpace(s.secret.Text),
			APIBase: strings.TrimSpace(s.apiBase.Text), AccountID: relinkID, Loopback: s.loopback.Checked, Translate: loopbackText}
		loopback = opts.Loopback
		start = func(ctx context.Context) (pendingLink, planner.Account, error) {
			l, err := s.deps.Accounts.LinkX(ctx, opts)
			if err != nil {
				return nil, planner.Account{}, err
			}
			return l, planner.Account{}, nil
		}
	case planner.NetworkMastodon:
		opts := accounts.MastodonOptions{Instance: strings.TrimSpace(s.instance.Text), OOB: s.oob.Checked, AccountID: relinkID, Translate: loopbackText}
		oob, loopback = opts.OOB, !opts.OOB
		start = func(ctx context.Context) (pendingLink, planner.Account, error) {
			l, err := s.deps.Accounts.LinkMastodon(ctx, opts)
			if err != nil {
				return nil, planner.Account{}, err
			}
			return l, planner.Account{}, nil
		}
	case planner.NetworkBluesky:
		opts := accounts.BlueskyOptions{Service: strings.TrimSpace(s.service.Text), Handle: strings.TrimSpace(s.handle.Text), AppPassword: s.appPassword.Text, AccountID: relinkID}
		start = func(ctx context.Context) (pendingLink, planner.Account, error) {
			acc, err := s.deps.Accounts.LinkBluesky(ctx, opts)
			return nil, acc, err
		}
	case planner.NetworkLinkedIn:
		port, err := strconv.Atoi(strings.TrimSpace(s.port.Text))
		if err != nil || port < 1 || port > 65535 {
			s.status.SetText("")
			dialog.ShowError(errors.New(lang.X("link.linkedin.bad_port", "The port is a number from 1 to 65535; 47812 unless you registered another.")), s.win)
			return
		}
		opts := accounts.LinkedInOptions{ClientID: strings.TrimSpace(s.clientID.Text), ClientSecret: strings.TrimSpace(s.clientSecret.Text), Port: port,
			APIBase: strings.TrimSpace(s.linkedinBase.Text), AccountID: relinkID, Translate: loopbackText}
		loopback = true
		start = func(ctx context.Context) (pendingLink, planner.Account, error) {
			l, err := s.deps.Accounts.LinkLinkedIn(ctx, opts)
			if err != nil {
				return nil, planner.Account{}, err
			}
			return l, planner.Account{}, nil
		}
	}
	s.deps.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		l, acc, err := start(ctx)
		s.deps.do(func() {
			if err != nil {
				s.status.SetText("")
				s.accountsError("link", err)
				return
			}
			if l == nil {
				// Linked at once (Bluesky).
				s.linked(nil, acc, nil)
				return
			}
			s.link, s.linking = l, n
			if u, err := url.Parse(l.AuthorizeURL()); err == nil {
				openInBrowser(s.win, s.deps.Log, u)
			}
			if loopback {
				s.status.SetText(lang.X("link.waiting", "Approve Kaiku in the browser; Kaiku finishes by itself."))
				s.waitLoopback(l)
				return
			}
			if oob {
				s.pin.SetPlaceHolder(lang.X("link.code", "Code from the server"))
				s.status.SetText(lang.X("link.paste_code", "Approve Kaiku in the browser, then type the code the server shows you here."))
			} else {
				s.pin.SetPlaceHolder(lang.X("link.pin", "PIN from X"))
				s.status.SetText(lang.X("link.paste_pin", "Approve Kaiku in the browser, then type the PIN X shows you here."))
			}
			s.pinRow.Show()
			s.win.Canvas().Focus(s.pin)
		})
	})
}

func (s *AccountsScreen) waitLoopback(l pendingLink) {
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

// linked shows how link l ended (nil for a link made at once). A link the
// user has since left for a new one only reports an account it linked.
func (s *AccountsScreen) linked(l pendingLink, acc planner.Account, err error) {
	current := s.link == l
	if err != nil {
		if !current || errors.Is(err, context.Canceled) {
			s.deps.Log.WithError(err).Info("an abandoned link ended")
			return
		}
		s.status.SetText("")
		s.accountsError("link", err)
		return
	}
	if l != nil {
		s.deps.background(l.Close) // stops its loopback server, if any
	}
	if current {
		s.link, s.relinkID = nil, ""
		for _, e := range []*widget.Entry{s.pin, s.secret, s.appPassword, s.clientSecret} {
			e.SetText("")
		}
		s.pinRow.Hide()
	}
	s.status.SetText(lang.X("accounts.linked_as", accounts.Message("accounts.linked_as"), map[string]any{"Handle": acc.DisplayHandle()}))
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
				dialog.ShowInformation(lang.X("accounts.test", "Test"), lang.X("accounts.check.ok", accounts.Message("accounts.check.ok"),
					map[string]any{"Handle": acc.DisplayHandle(), "Network": acc.Network.DisplayName()}), s.win)
			}
			s.changed.emit()
		})
	})
}

func (s *AccountsScreen) confirmUnlink(a planner.Account) {
	dialog.ShowConfirm(lang.X("accounts.unlink", "Unlink"), lang.X("accounts.unlink_confirm", "Unlink {{.Handle}}? Its keys are removed from this computer; your posts stay.",
		map[string]any{"Handle": a.DisplayHandle()}), func(ok bool) {
		if !ok || s.deps.Accounts == nil {
			return
		}
		// Removing the keys asks the keyring, which may wait for the user;
		// ending the access asks the network.
		s.deps.background(func() {
			ctx, cancel := s.deps.ctx()
			defer cancel()
			revoked, err := s.deps.Accounts.Unlink(ctx, a.ID)
			s.deps.do(func() {
				if err != nil {
					s.accountsError("unlink", err)
					return
				}
				if a.Network == planner.NetworkMastodon && !revoked {
					dialog.ShowInformation(lang.X("accounts.unlink", "Unlink"), lang.X("accounts.not_revoked.mastodon", accounts.Message("accounts.not_revoked.mastodon")), s.win)
				}
				s.changed.emit()
			})
		})
	}, s.win)
}
