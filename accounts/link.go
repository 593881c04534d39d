package accounts

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/accounts/x"
	"github.com/kaiku-app/kaiku/planner"
)

// DefaultXAPI is X's API; an account's APIBase replaces it for an
// API-compatible service or a test server.
const DefaultXAPI = x.DefaultAPI

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

// Link is one X linking in progress. The user opens AuthorizeURL in the
// browser and approves Kaiku; then Finish takes the PIN X shows, or, for a
// loopback link, Wait takes X's answer from the browser. Close abandons it.
type Link struct {
	m         *Manager
	consumer  *x.Consumer
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
		return nil, explain.New(explain.KeysRequired, nil)
	}
	base, err := x.Base(opts.APIBase)
	if err != nil {
		return nil, explain.New(explain.APIBase, err)
	}
	if err := m.checkRelinkTarget(ctx, planner.NetworkX, opts.AccountID); err != nil {
		return nil, err
	}
	l := &Link{m: m, accountID: opts.AccountID, loopback: opts.Loopback, closed: make(chan struct{})}
	if base != x.DefaultAPI {
		l.apiBase = base
	}
	callback := x.CallbackOOB
	var ln net.Listener
	if opts.Loopback {
		addr := opts.CallbackAddr
		if addr == "" {
			addr = DefaultCallbackAddr
		}
		if host, _, err := net.SplitHostPort(addr); err != nil || !remote.IsLoopbackHost(host) {
			return nil, explain.New(explain.Port, fmt.Errorf("%s is not an address on this computer", addr))
		}
		if ln, err = net.Listen("tcp", addr); err != nil {
			return nil, explain.New(explain.Port, err)
		}
		callback = "http://" + ln.Addr().String() + "/callback"
	}
	closeListener := func() {
		if ln != nil {
			ln.Close()
		}
	}
	if l.consumer, err = x.NewConsumer(base, key, secret, callback, m.http); err != nil {
		closeListener()
		return nil, explain.New(explain.APIBase, err)
	}
	tok, sec, err := l.consumer.RequestToken(ctx)
	if err != nil {
		closeListener()
		// X refuses a callback URL the app has not registered with a 403.
		if e, ok := remote.As(err); ok && ln != nil && e.Status == http.StatusForbidden {
			return nil, xLinkError(err, explain.Callback)
		}
		return nil, xLinkError(err, explain.Consumer)
	}
	l.requestToken, l.requestSecret = tok, sec
	if l.authURL, err = l.consumer.AuthorizeURL(tok); err != nil {
		closeListener()
		return nil, xLinkError(err, explain.Consumer)
	}
	if ln != nil {
		l.serveCallback(ln, opts.Translate)
	}
	m.log.WithField("loopback", opts.Loopback).Info("linking an X account: waiting for the user to authorize")
	return l, nil
}

// xLinkError explains a failed step of linking X: refused credentials are
// unauthorizedKey.
func xLinkError(err error, unauthorizedKey string) *explain.Error {
	e, _ := remote.As(err)
	switch {
	case e == nil:
		return explain.New(explain.For(explain.LinkServer, planner.NetworkX), err)
	case e.Kind == remote.KindAuth && e.Code == x.CodeProject:
		return &explain.Error{Key: explain.Project, Msg: explain.Message(explain.Project), Detail: e.Detail, Status: e.Status, Err: err}
	case e.Kind == remote.KindAuth && e.Code == x.CodePermission:
		return &explain.Error{Key: explain.Permission, Msg: explain.Message(explain.Permission), Detail: e.Detail, Status: e.Status, Err: err}
	case e.Kind == remote.KindAuth:
		return &explain.Error{Key: unauthorizedKey, Msg: explain.Message(unauthorizedKey), Status: e.Status, Err: err}
	case e.Kind == remote.KindNetwork:
		return explain.New(explain.For(explain.LinkNetwork, planner.NetworkX), err)
	}
	key := explain.For(explain.LinkServer, planner.NetworkX)
	return &explain.Error{Key: key, Msg: explain.Message(key), Detail: e.Detail, Status: e.Status, Err: err}
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
		return planner.Account{}, explain.New(explain.LinkFinished, errors.New("the link is finished or closed"))
	}
	verifier := strings.TrimSpace(pin)
	if verifier == "" {
		return planner.Account{}, explain.New(explain.PIN, nil)
	}
	// A Close from here on abandons the link for later, not this exchange:
	// the user approved it at X, and the account it gives is kept.
	creds, err := l.consumer.AccessToken(ctx, l.requestToken, requestSecret, verifier)
	if err != nil {
		return planner.Account{}, xLinkError(err, explain.PIN)
	}
	c, err := x.NewClient(l.apiBase, creds, x.Options{HTTP: l.m.http, Now: l.m.now, Trace: l.m.trace})
	if err != nil {
		return planner.Account{}, explain.New(explain.APIBase, err)
	}
	u, err := c.Me(ctx)
	if err != nil {
		return planner.Account{}, xLinkError(err, explain.For(explain.LinkServer, planner.NetworkX))
	}
	acc, isNew, err := l.m.linkTarget(ctx, planner.NetworkX, l.accountID, u.ID, l.apiBase)
	if err != nil {
		return planner.Account{}, err
	}
	acc.Handle, acc.Name, acc.RemoteID, acc.APIBase = u.Username, u.Name, u.ID, l.apiBase
	acc.Status, acc.Updated = planner.AccountLinked, l.m.now()
	acc, err = l.m.saveLinked(ctx, acc, isNew, xSecrets(creds))
	if err != nil {
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

// Wait waits for the browser to come back to the loopback server, then
// finishes the link as Finish does. Close, or the end of ctx, stops it.
func (l *Link) Wait(ctx context.Context) (planner.Account, error) {
	if !l.loopback {
		return planner.Account{}, explain.New(explain.NotLoopback, nil)
	}
	select {
	case r := <-l.verifier:
		if r.denied {
			l.Close()
			return planner.Account{}, explain.New(explain.Denied, nil)
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
			res, key = callbackResult{denied: true}, explain.LoopbackDenied
		case q.Get("oauth_token") == l.requestToken && q.Get("oauth_verifier") != "":
			res, key = callbackResult{verifier: q.Get("oauth_verifier")}, explain.LoopbackDone
		default:
			http.NotFound(w, r)
			return
		}
		l.once.Do(func() { l.verifier <- res })
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Referrer-Policy", "no-referrer")
		fmt.Fprintf(w, "<!doctype html><meta charset=\"utf-8\"><title>Kaiku</title><p style=\"font-family:sans-serif;margin:3em\">%s</p>\n",
			html.EscapeString(translate(key, explain.Message(key))))
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
