package accounts

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/accounts/mastodon"
	"github.com/kaiku-app/kaiku/accounts/outbox"
	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/accounts/vault"
	"github.com/kaiku-app/kaiku/planner"
)

// DefaultMastodonCallbackAddr is where a Mastodon link listens for the
// browser's return; a fixed port lets Kaiku's registration on an instance
// serve every link (GoToSocial takes one return address per app). When it
// is taken, any free port serves, with a registration of its own.
const DefaultMastodonCallbackAddr = "127.0.0.1:47813"

// kaikuWebsite is what an instance shows as the app's website.
const kaikuWebsite = "https://github.com/kaiku-app/kaiku"

// MastodonOptions say which Mastodon account to link, and how.
type MastodonOptions struct {
	// Instance is the server's address: mastodon.social, or
	// https://mastodon.social (http:// only to this computer). Required.
	Instance string
	// OOB has the server show a code that the user types in (Finish)
	// instead of sending the browser back to Kaiku (Wait), where a browser
	// on this computer cannot reach Kaiku.
	OOB bool
	// AccountID links an existing account again.
	AccountID string
	// CallbackAddr is where to wait for the browser;
	// DefaultMastodonCallbackAddr when empty.
	CallbackAddr string
	// Translate translates the loopback page's text; nil leaves it English.
	Translate func(key, fallback string) string
}

func (m *Manager) mastodonServer(address string) (*mastodon.Server, error) {
	s, err := mastodon.NewServer(address, mastodon.Options{HTTP: m.http, Now: m.now, Trace: m.trace, Sleep: m.sleep})
	if err != nil {
		return nil, explain.New(explain.Instance, err)
	}
	return s, nil
}

// LinkMastodon starts linking a Mastodon account: it registers Kaiku on the
// instance (once per instance and return address; again when the instance
// has forgotten it) and returns the link, whose AuthorizeURL the user
// opens. Where the server supports it, the sign-in uses PKCE.
func (m *Manager) LinkMastodon(ctx context.Context, opts MastodonOptions) (*OAuthLink, error) {
	srv, err := m.mastodonServer(opts.Instance)
	if err != nil {
		return nil, err
	}
	if err := m.checkRelinkTarget(ctx, planner.NetworkMastodon, opts.AccountID); err != nil {
		return nil, err
	}
	support, err := srv.SupportedOAuth(ctx)
	if err != nil {
		return nil, mastodonLinkError(err)
	}
	l := &OAuthLink{}
	redirect := mastodon.RedirectOOB
	var cb *remote.Callback
	if !opts.OOB {
		page := loopbackPage(planner.NetworkMastodon, opts.Translate)
		addr := opts.CallbackAddr
		if addr == "" {
			addr = DefaultMastodonCallbackAddr
			if cb, err = remote.ListenCallback(addr, page); err != nil {
				addr = "127.0.0.1:0"
			}
		}
		if cb == nil {
			if cb, err = remote.ListenCallback(addr, page); err != nil {
				return nil, explain.New(explain.For(explain.Port, planner.NetworkMastodon), err)
			}
		}
		redirect, l.close = cb.RedirectURI(), cb.Close
	}
	app, cached, err := m.mastodonApp(ctx, srv, redirect, support.Scopes())
	if err != nil {
		l.Close()
		return nil, err
	}
	if cached {
		// An instance that has forgotten Kaiku says so only in the browser:
		// a link given up on registers again next time.
		l.abandoned = func() { _ = m.vault.Remove(mastodonAppKey(srv, redirect)) }
	}
	auth, err := srv.Authorize(app, redirect, support.PKCE)
	if err != nil {
		l.Close()
		return nil, mastodonLinkError(err)
	}
	l.authURL = auth.URL
	exchange := func(ctx context.Context, code string) (planner.Account, error) {
		tok, err := srv.Exchange(ctx, auth, code)
		if err != nil {
			if e, ok := remote.As(err); ok && e.Kind == remote.KindAuth {
				// The instance forgot Kaiku: the next link registers again.
				_ = m.vault.Remove(mastodonAppKey(srv, redirect))
			}
			return planner.Account{}, mastodonLinkError(err)
		}
		return m.finishMastodon(ctx, srv, app, tok, opts.AccountID)
	}
	if cb != nil {
		cb.Expect(auth.State)
		l.wait = func(ctx context.Context) (planner.Account, error) {
			code, err := cb.Wait(ctx)
			switch {
			case errors.Is(err, remote.ErrDenied):
				return planner.Account{}, explain.New(explain.Denied, err)
			case err != nil:
				return planner.Account{}, err
			}
			return exchange(ctx, code)
		}
	} else {
		l.finish = exchange
	}
	m.log.WithField("instance", srv.Host()).WithField("oob", opts.OOB).Info("linking a Mastodon account: waiting for the user to authorize")
	return l, nil
}

// mastodonAppKey names Kaiku's registration on an instance for a return
// address in the vault.
func mastodonAppKey(srv *mastodon.Server, redirect string) vault.Key {
	return vault.App("mastodon " + srv.Base() + " " + redirect)
}

// mastodonApp is Kaiku's registration on the instance for the return
// address: the one kept from before (cached), else a new one.
func (m *Manager) mastodonApp(ctx context.Context, srv *mastodon.Server, redirect, scopes string) (app mastodon.App, cached bool, err error) {
	key := mastodonAppKey(srv, redirect)
	if s, err := m.vault.Get(key); err == nil && s["client_id"] != "" && s["client_secret"] != "" && s["asked"] == scopes {
		return mastodon.App{ClientID: s["client_id"], ClientSecret: s["client_secret"], Scopes: s["scopes"], RedirectURIs: []string{redirect}}, true, nil
	}
	app, err = srv.RegisterApp(ctx, "Kaiku", kaikuWebsite, []string{redirect}, scopes)
	if err != nil {
		return mastodon.App{}, false, mastodonLinkError(err)
	}
	if err := m.vault.Set(key, vault.Secrets{"client_id": app.ClientID, "client_secret": app.ClientSecret, "scopes": app.Scopes, "asked": scopes}); err != nil {
		// Registering again next time costs only a request.
		m.log.WithField("instance", srv.Host()).WithField("cause", err.Error()).Warn("could not keep Kaiku's registration on the instance")
	}
	return app, false, nil
}

// finishMastodon reads who signed in and what the instance allows, and
// stores the account and its secrets.
func (m *Manager) finishMastodon(ctx context.Context, srv *mastodon.Server, app mastodon.App, tok mastodon.Token, relinkID string) (planner.Account, error) {
	c := srv.Client(tok)
	who, err := c.VerifyCredentials(ctx)
	if err != nil {
		return planner.Account{}, mastodonLinkError(err)
	}
	info, err := srv.Info(ctx)
	if err != nil {
		return planner.Account{}, mastodonLinkError(err)
	}
	acc, isNew, err := m.linkTarget(ctx, planner.NetworkMastodon, relinkID, who.ID, srv.Base())
	if err != nil {
		return planner.Account{}, err
	}
	applyMastodon(&acc, srv, who, info)
	acc.Status, acc.Updated = planner.AccountLinked, m.now()
	return m.saveLinked(ctx, acc, isNew, vault.Secrets{
		"client_id": app.ClientID, "client_secret": app.ClientSecret, "access_token": tok.AccessToken, "scope": tok.Scope,
	})
}

// applyMastodon fills in the account from the instance's answers: the
// handle is user@domain, and the composer counts with the instance's
// limit and link weight.
func applyMastodon(acc *planner.Account, srv *mastodon.Server, who mastodon.Account, info mastodon.Info) {
	acc.Handle = strings.TrimPrefix(who.Handle(info.Domain), "@")
	acc.Name, acc.RemoteID, acc.APIBase = who.DisplayName, who.ID, srv.Base()
	acc.TextLimit, acc.URLWeight = info.MaxCharacters, info.CharactersPerURL
}

// mastodonLinkError explains a failed step of linking Mastodon.
func mastodonLinkError(err error) error {
	if _, ok := explain.As(err); ok {
		return err
	}
	e, ok := remote.As(err)
	if !ok {
		return explain.New(explain.For(explain.LinkServer, planner.NetworkMastodon), err)
	}
	key := explain.For(explain.LinkServer, planner.NetworkMastodon)
	switch {
	case e.Kind == remote.KindNetwork:
		key = explain.For(explain.LinkNetwork, planner.NetworkMastodon)
	case e.Op == "sign in" && (e.Kind == remote.KindRejected || e.Kind == remote.KindAuth):
		key = explain.For(explain.Code, planner.NetworkMastodon)
	case e.Kind == remote.KindRejected || e.Kind == remote.KindAuth:
		key = explain.For(explain.Refused, planner.NetworkMastodon)
	}
	return &explain.Error{Key: key, Msg: explain.Message(key), Detail: e.Detail, Status: e.Status, Err: err}
}

func (m *Manager) mastodonClient(acc planner.Account) (*mastodon.Server, *mastodon.Client, vault.Secrets, error) {
	s, err := m.secrets(acc, "access_token")
	if err != nil {
		return nil, nil, nil, err
	}
	srv, err := m.mastodonServer(acc.APIBase)
	if err != nil {
		return nil, nil, nil, relinkError(explain.For(explain.Relink, planner.NetworkMastodon), err)
	}
	return srv, srv.Client(mastodon.Token{AccessToken: s["access_token"], Scope: s["scope"]}), s, nil
}

func (m *Manager) checkMastodon(ctx context.Context, acc planner.Account) (planner.Account, error) {
	srv, c, _, err := m.mastodonClient(acc)
	if err != nil {
		return acc, err
	}
	who, err := c.VerifyCredentials(ctx)
	if err != nil {
		return acc, err
	}
	info, err := srv.Info(ctx)
	if err != nil {
		return acc, err
	}
	applyMastodon(&acc, srv, who, info)
	return acc, nil
}

// revokeMastodon asks the instance to end the account's token, as
// unlinking does; a server without /oauth/revoke (GoToSocial answers 404)
// or that cannot be reached keeps it, and the user is told where to end it.
func (m *Manager) revokeMastodon(ctx context.Context, acc planner.Account) bool {
	srv, _, s, err := m.mastodonClient(acc)
	if err != nil || s["client_id"] == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	err = srv.Revoke(ctx, mastodon.App{ClientID: s["client_id"], ClientSecret: s["client_secret"]}, mastodon.Token{AccessToken: s["access_token"]})
	if err != nil {
		m.log.WithField("account", acc.ID).WithField("cause", err.Error()).Info("the instance did not revoke Kaiku's token; unlinking it here anyway")
		return false
	}
	return true
}

// mastodonPublisher publishes statuses through a Mastodon account. Each
// part carries an Idempotency-Key, which some servers ignore: a part of
// unknown fate is looked for among the account's own statuses, which the
// server reads from its database at once.
type mastodonPublisher struct {
	srv *mastodon.Server
	c   *mastodon.Client
	acc planner.Account
}

func (m *Manager) mastodonPublisher(acc planner.Account) (outbox.Publisher, error) {
	srv, c, _, err := m.mastodonClient(acc)
	if err != nil {
		return nil, err
	}
	return &mastodonPublisher{srv: srv, c: c, acc: acc}, nil
}

// ImageRules are what the instance says it takes; Mastodon's defaults
// when it cannot be asked now (the upload then says what it refuses).
func (p *mastodonPublisher) ImageRules(ctx context.Context) planner.ImageRules {
	info, err := p.srv.Info(ctx)
	if err != nil {
		return planner.ImageRulesFor(planner.NetworkMastodon)
	}
	return info.ImageRules()
}

func (p *mastodonPublisher) Limits() outbox.Limits {
	return outbox.Limits{Length: p.acc.TextLimit, URLWeight: p.acc.URLWeight, Certain: true}
}

func (p *mastodonPublisher) NewKey() string { return planner.NewID() }

func (p *mastodonPublisher) Publish(ctx context.Context, part outbox.Part) (outbox.Remote, error) {
	var ids []string
	for _, im := range part.Images {
		a, err := p.c.UploadImage(ctx, im.Data, im.Type, im.Alt)
		if err != nil {
			return outbox.Remote{}, err
		}
		ids = append(ids, a.ID)
	}
	st, err := p.c.Publish(ctx, mastodon.NewStatus{Text: part.Text, Language: part.Language, InReplyToID: replyID(part), IdempotencyKey: part.Key, MediaIDs: ids})
	if err != nil {
		return outbox.Remote{}, err
	}
	return mastodonRemote(st), nil
}

func (p *mastodonPublisher) Find(ctx context.Context, part outbox.Part) (outbox.Remote, bool, error) {
	st, found, err := p.c.Find(ctx, p.acc.RemoteID, part.Text, replyID(part), part.Since)
	if err != nil || !found {
		return outbox.Remote{}, false, err
	}
	return mastodonRemote(st), true, nil
}

func mastodonRemote(st mastodon.Status) outbox.Remote {
	u := st.URL
	if u == "" {
		u = st.URI
	}
	return outbox.Remote{ID: st.ID, URL: u, At: st.CreatedAt}
}

// loopbackPage is the text the browser shows after coming back to Kaiku.
func loopbackPage(n planner.Network, translate func(key, fallback string) string) func(denied bool) string {
	if translate == nil {
		translate = func(_, fallback string) string { return fallback }
	}
	return func(denied bool) string {
		key := explain.For(explain.LoopbackDone, n)
		if denied {
			key = explain.LoopbackDenied
		}
		return translate(key, explain.Message(key))
	}
}
