package accounts

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/dghubble/oauth1"
	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
)

// DefaultCallbackAddr is where a loopback link listens. X only returns to
// callback URLs registered with the app, so the user adds
// http://127.0.0.1:47811/callback to their X app's callback URLs.
const DefaultCallbackAddr = "127.0.0.1:47811"

// LinkOptions say which X app links which account, and how.
type LinkOptions struct {
	// ConsumerKey and ConsumerSecret are the user's X app's API key and
	// secret. Required.
	ConsumerKey    string
	ConsumerSecret string
	// APIBase replaces https://api.x.com for an API-compatible service or a
	// test server; it is stored with the account.
	APIBase string
	// AccountID links an existing account again (after needs-relink), so that
	// the posts that target it keep their target.
	AccountID string
	// Loopback has X send the browser back to a one-shot server on this
	// computer instead of showing a PIN; then Wait finishes the link.
	Loopback bool
	// CallbackAddr is the loopback server's address; DefaultCallbackAddr when empty.
	CallbackAddr string
	// Translate translates the loopback page's text; nil leaves it English.
	Translate func(key, fallback string) string
}

// Link is one linking in progress. The user opens AuthorizeURL in the
// browser and approves Kaiku; then Finish takes the PIN X shows, or, for a
// loopback link, Wait takes X's answer from the browser. Close abandons it.
type Link struct {
	m         *Manager
	cfg       *oauth1.Config
	base      string
	apiBase   string // as stored with the account: "" for X itself
	accountID string
	loopback  bool

	requestToken  string
	requestSecret string // kept in memory only; X checks it on the exchange
	authURL       string

	srv      *http.Server
	verifier chan callbackResult
	once     sync.Once
	closed   chan struct{} // closed by Close, to end a Wait
	closing  sync.Once

	// finishing lets one Finish run at a time, across its network and
	// keyring calls; mu guards done and the secret only for a moment, so
	// that Close never waits for the network.
	finishing sync.Mutex
	mu        sync.Mutex
	done      bool
}

type callbackResult struct {
	verifier string
	denied   bool
}

// LinkX starts linking an X account: it asks X for a request token and
// returns the link, whose AuthorizeURL the user opens.
func (m *Manager) LinkX(ctx context.Context, opts LinkOptions) (*Link, error) {
	key, secret := strings.TrimSpace(opts.ConsumerKey), strings.TrimSpace(opts.ConsumerSecret)
	if key == "" || secret == "" {
		return nil, newError(keyKeysRequired, nil)
	}
	base, err := normalizeBase(opts.APIBase)
	if err != nil {
		return nil, err
	}
	l := &Link{m: m, base: base, accountID: opts.AccountID, loopback: opts.Loopback, closed: make(chan struct{})}
	if base != DefaultXAPI {
		l.apiBase = base
	}
	if opts.AccountID != "" {
		acc, err := m.store.Account(ctx, opts.AccountID)
		if err != nil {
			return nil, err
		}
		if acc.Network != planner.NetworkX {
			return nil, newError(keyUnsupported, nil)
		}
	}
	l.cfg = &oauth1.Config{
		ConsumerKey: key, ConsumerSecret: secret, CallbackURL: "oob",
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: base + "/oauth/request_token",
			AuthorizeURL:    base + "/oauth/authorize",
			AccessTokenURL:  base + "/oauth/access_token",
		},
	}

	var ln net.Listener
	if opts.Loopback {
		addr := opts.CallbackAddr
		if addr == "" {
			addr = DefaultCallbackAddr
		}
		if host, _, err := net.SplitHostPort(addr); err != nil || !isLoopbackHost(host) {
			return nil, newError(keyPort, fmt.Errorf("%s is not an address on this computer", addr))
		}
		if ln, err = net.Listen("tcp", addr); err != nil {
			return nil, newError(keyPort, err)
		}
		l.cfg.CallbackURL = "http://" + ln.Addr().String() + "/callback"
	}

	client, status := m.oauthClient(ctx)
	l.cfg.HTTPClient = client
	tok, sec, err := l.cfg.RequestToken()
	if err != nil {
		if ln != nil {
			ln.Close()
			// X refuses a callback URL the app has not registered with a 403.
			if *status == http.StatusForbidden {
				return nil, oauthError(*status, err, keyCallback)
			}
		}
		return nil, oauthError(*status, err, keyConsumer)
	}
	l.requestToken, l.requestSecret = tok, sec
	u, err := l.cfg.AuthorizationURL(tok)
	if err != nil {
		if ln != nil {
			ln.Close()
		}
		return nil, newError(keyLinkServer, errors.New("cannot build the authorize URL"))
	}
	l.authURL = u.String()
	if ln != nil {
		l.serveCallback(ln, opts.Translate)
	}
	m.log.WithField("loopback", opts.Loopback).Info("linking an X account: waiting for the user to authorize")
	return l, nil
}

// String keeps the link's secrets out of anything that prints it.
func (l *Link) String() string { return "accounts.Link{…}" }

// GoString does the same for %#v.
func (l *Link) GoString() string { return l.String() }

// AuthorizeURL is the page where the user approves Kaiku; the app opens it
// in the browser and the command line prints it on its own line.
func (l *Link) AuthorizeURL() string { return l.authURL }

// Finish exchanges the PIN X showed for the account's tokens, reads who the
// user is, stores the secrets and the account, and returns the account.
func (l *Link) Finish(ctx context.Context, pin string) (planner.Account, error) {
	l.finishing.Lock()
	defer l.finishing.Unlock()
	l.mu.Lock()
	done, requestSecret := l.done, l.requestSecret
	l.mu.Unlock()
	if done {
		return planner.Account{}, newError(keyLinkFinished, errors.New("the link is finished or closed"))
	}
	verifier := strings.TrimSpace(pin)
	if verifier == "" {
		return planner.Account{}, newError(keyPIN, nil)
	}
	client, status := l.m.oauthClient(ctx)
	l.cfg.HTTPClient = client
	// A Close from here on abandons the link for later, not this exchange:
	// the user approved it at X, and the account it gives is kept.
	tok, sec, err := l.cfg.AccessToken(l.requestToken, requestSecret, verifier)
	if err != nil {
		return planner.Account{}, oauthError(*status, err, keyPIN)
	}
	creds := credentials{ConsumerKey: l.cfg.ConsumerKey, ConsumerSecret: l.cfg.ConsumerSecret, Token: tok, TokenSecret: sec}
	api := &xAPI{base: l.base, client: signedClient(l.m.http, creds), now: l.m.now, log: l.m.log}
	u, err := api.me(ctx)
	if err != nil {
		e := asError(err)
		switch {
		case e.Key == keyProject || e.Key == keyPermission:
		case e.kind == kindNetwork:
			e = newError(keyLinkNetwork, e)
		default:
			e = &Error{Key: keyLinkServer, Msg: Message(keyLinkServer), Detail: e.Detail, Status: e.Status, Err: e.Err}
		}
		return planner.Account{}, e
	}
	acc, isNew, err := l.account(ctx, u)
	if err != nil {
		return planner.Account{}, err
	}
	if err := l.m.vault.set(acc.ID, creds); err != nil {
		return planner.Account{}, newError(keySaveSecrets, err)
	}
	if err := l.m.store.SaveAccount(ctx, acc); err != nil {
		if isNew {
			if rerr := l.m.vault.remove(acc.ID); rerr != nil {
				l.m.log.WithField("account", acc.ID).WithField("cause", rerr.Error()).Warn("could not remove the keys of an account that was not saved")
			}
		}
		return planner.Account{}, err
	}
	l.mu.Lock()
	l.done = true
	l.requestSecret = ""
	l.stopCallback()
	l.mu.Unlock()
	l.m.log.WithFields(logrus.Fields{"account": acc.ID, "handle": acc.Handle}).Info("X account linked")
	return acc, nil
}

// account is the account the link fills in: the one being relinked, the
// one already linked to the same X user, or a new one.
func (l *Link) account(ctx context.Context, u xUser) (planner.Account, bool, error) {
	now := l.m.now()
	var acc planner.Account
	isNew := false
	if l.accountID != "" {
		var err error
		if acc, err = l.m.store.Account(ctx, l.accountID); err != nil {
			return acc, false, err
		}
	} else {
		all, err := l.m.store.Accounts(ctx)
		if err != nil {
			return acc, false, err
		}
		for _, a := range all {
			if a.Network == planner.NetworkX && a.RemoteID == u.ID && a.APIBase == l.apiBase {
				acc = a
			}
		}
		if acc.ID == "" {
			acc = planner.Account{ID: planner.NewID(), Network: planner.NetworkX, Created: now}
			isNew = true
		}
	}
	acc.Handle, acc.Name, acc.RemoteID, acc.APIBase = u.Username, u.Name, u.ID, l.apiBase
	acc.Status, acc.Updated = planner.AccountLinked, now
	return acc, isNew, nil
}

// Wait waits for the browser to come back to the loopback server, then
// finishes the link as Finish does. Close, or the end of ctx, stops it.
func (l *Link) Wait(ctx context.Context) (planner.Account, error) {
	if !l.loopback {
		return planner.Account{}, newError(keyNotLoopback, nil)
	}
	select {
	case r := <-l.verifier:
		if r.denied {
			l.Close()
			return planner.Account{}, newError(keyDenied, nil)
		}
		return l.Finish(ctx, r.verifier)
	case <-l.closed:
		return planner.Account{}, context.Canceled
	case <-ctx.Done():
		return planner.Account{}, ctx.Err()
	}
}

// Close abandons the link: the loopback server stops, a Wait returns
// context.Canceled, and the request token's secret is forgotten. Closing a
// finished link is harmless.
func (l *Link) Close() {
	l.closing.Do(func() { close(l.closed) })
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
	l.requestSecret = ""
	l.stopCallback()
}

// serveCallback answers the browser's one return from X.
func (l *Link) serveCallback(ln net.Listener, translate func(key, fallback string) string) {
	if translate == nil {
		translate = func(_, fallback string) string { return fallback }
	}
	l.verifier = make(chan callbackResult, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /callback", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var res callbackResult
		var key string
		switch {
		case q.Get("denied") == l.requestToken:
			res, key = callbackResult{denied: true}, keyLoopbackDenied
		case q.Get("oauth_token") == l.requestToken && q.Get("oauth_verifier") != "":
			res, key = callbackResult{verifier: q.Get("oauth_verifier")}, keyLoopbackDone
		default:
			http.NotFound(w, r)
			return
		}
		l.once.Do(func() { l.verifier <- res })
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><meta charset=\"utf-8\"><title>Kaiku</title><p style=\"font-family:sans-serif;margin:3em\">%s</p>\n",
			html.EscapeString(translate(key, Message(key))))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	l.srv = srv
	// Serving a server already closed returns at once and closes ln.
	go func() { _ = srv.Serve(ln) }()
}

func (l *Link) stopCallback() {
	if l.srv != nil {
		_ = l.srv.Close()
		l.srv = nil
	}
}

// statusTransport gives the OAuth library's requests a context and notes
// the answer's status, which the library only reports inside a message.
type statusTransport struct {
	base   http.RoundTripper
	ctx    context.Context
	status *int
}

func (t statusTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r.WithContext(t.ctx))
	if resp != nil {
		*t.status = resp.StatusCode
	}
	return resp, err
}

func (m *Manager) oauthClient(ctx context.Context) (*http.Client, *int) {
	base := m.http.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	status := new(int)
	return &http.Client{Transport: statusTransport{base: base, ctx: ctx, status: status}, Timeout: m.http.Timeout}, status
}

// oauthError explains a failed token request without the library's message,
// which quotes the server's answer.
func oauthError(status int, err error, unauthorizedKey string) *Error {
	switch {
	case status == 0:
		// A transport failure: its message names the URL, which holds no secret.
		var ue *url.Error
		if errors.As(err, &ue) {
			return newError(keyLinkNetwork, err)
		}
		return newError(keyLinkServer, errors.New("X's answer was not understood"))
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return &Error{Key: unauthorizedKey, Msg: Message(unauthorizedKey), Status: status, Err: fmt.Errorf("X answered %d", status)}
	case status >= 200 && status < 300:
		return &Error{Key: keyLinkServer, Msg: Message(keyLinkServer), Status: status, Err: errors.New("X's answer was not understood")}
	}
	return &Error{Key: keyLinkServer, Msg: Message(keyLinkServer), Status: status, Err: fmt.Errorf("X answered %d", status)}
}
