package linkedin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// Scopes are what Kaiku asks for: who the member is (OpenID Connect) and
// posting as them.
const Scopes = "openid profile w_member_social"

// DefaultPort is the port of the redirect URL the user registers in their
// LinkedIn app, http://127.0.0.1:47812/callback. LinkedIn takes only a
// registered redirect URL, port included, so it cannot be any free port.
const DefaultPort = 47812

// Lifetime is how long LinkedIn's member tokens last, for an answer that
// does not say.
const Lifetime = 60 * 24 * time.Hour

// RedirectURI is the loopback redirect URL for a port (DefaultPort when 0).
func RedirectURI(port int) string { return "http://" + CallbackAddress(port) + "/callback" }

// CallbackAddress is where to listen for the browser's return on a port
// (DefaultPort when 0).
func CallbackAddress(port int) string {
	if port == 0 {
		port = DefaultPort
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// App is the user's own LinkedIn app. ClientSecret is a secret: keep it in
// the keyring.
type App struct {
	ClientID     string
	ClientSecret string
}

// String keeps the secret out of anything that prints an App.
func (a App) String() string { return "linkedin.App{" + a.ClientID + "}" }

// GoString does the same for %#v.
func (a App) GoString() string { return a.String() }

// Authorization is one sign-in in progress: the user opens URL in the
// browser, and the code LinkedIn gives back to RedirectURI goes to Exchange.
type Authorization struct {
	URL         string
	State       string
	RedirectURI string

	app App
}

// String keeps the app's secret out of anything that prints an Authorization.
func (a *Authorization) String() string { return "linkedin.Authorization{" + a.RedirectURI + "}" }

// GoString does the same for %#v.
func (a *Authorization) GoString() string { return a.String() }

func (s *Server) oauthConfig(app App, redirectURI string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: app.ClientID, ClientSecret: app.ClientSecret, RedirectURL: redirectURI,
		Scopes: strings.Fields(Scopes),
		Endpoint: oauth2.Endpoint{
			AuthURL: s.auth + "/oauth/v2/authorization", TokenURL: s.auth + "/oauth/v2/accessToken",
			// LinkedIn documents the client's credentials in the form.
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// Authorize starts the authorization-code flow for app, returning to
// redirectURI, which must be registered in the app.
func (s *Server) Authorize(app App, redirectURI string) (*Authorization, error) {
	const op = "start signing in"
	if strings.TrimSpace(app.ClientID) == "" || strings.TrimSpace(app.ClientSecret) == "" {
		return nil, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindAuth,
			Err: errors.New("the LinkedIn app's client ID and client secret are both needed")}
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return nil, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Err: err}
	}
	state := base64.RawURLEncoding.EncodeToString(b)
	a := &Authorization{State: state, RedirectURI: redirectURI, app: app}
	a.URL = s.oauthConfig(app, redirectURI).AuthCodeURL(state)
	return a, nil
}

// Token is a member's access token: a secret for the keyring. LinkedIn
// gives most apps no refresh token, so when Expires comes the member must
// link again.
type Token struct {
	AccessToken string
	Scope       string // space-separated
	Created     time.Time
	Expires     time.Time
}

// String keeps the token out of anything that prints it.
func (t Token) String() string {
	return "linkedin.Token{" + t.Scope + ", expires " + t.Expires.UTC().Format(time.RFC3339) + "}"
}

// GoString does the same for %#v.
func (t Token) GoString() string { return t.String() }

// Exchange trades the code the browser brought back for an access token.
// A code that is wrong, used or too old is KindRejected; an app LinkedIn
// does not know by that ID and secret is KindAuth with Code invalid_client.
func (s *Server) Exchange(ctx context.Context, a *Authorization, code string) (Token, error) {
	const op = "sign in"
	code = strings.TrimSpace(code)
	if code == "" {
		return Token{}, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindRejected, Detail: "no code was given"}
	}
	hc := http.Client{}
	if s.call.HTTP != nil {
		hc = *s.call.HTTP
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ctx = context.WithValue(ctx, oauth2.HTTPClient, remote.WithUserAgent(&hc, s.call.UserAgent))
	start := time.Now()
	tok, err := s.oauthConfig(a.app, a.RedirectURI).Exchange(ctx, code)
	if err != nil {
		return Token{}, s.tokenError(op, err, start)
	}
	s.traceToken(http.StatusOK, start, nil)
	now := s.now()
	t := Token{AccessToken: tok.AccessToken, Scope: Scopes, Created: now, Expires: now.Add(Lifetime)}
	if tok.ExpiresIn > 0 {
		t.Expires = now.Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
	if sc, ok := tok.Extra("scope").(string); ok && strings.TrimSpace(sc) != "" {
		// LinkedIn lists the scopes granted with commas.
		t.Scope = strings.Join(strings.FieldsFunc(sc, func(r rune) bool { return r == ',' || r == ' ' }), " ")
	}
	return t, nil
}

func (s *Server) traceToken(status int, start time.Time, err error) {
	if s.call.Trace != nil {
		s.call.Trace(remote.Exchange{Network: planner.NetworkLinkedIn, Method: http.MethodPost, Path: "/oauth/v2/accessToken", Status: status, Took: time.Since(start), Err: err})
	}
}

// tokenError explains a failed exchange from the OAuth error's fields,
// never its message, which quotes the whole answer.
func (s *Server) tokenError(op string, err error, start time.Time) *remote.Error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		var h http.Header
		if re.Response != nil {
			status, h = re.Response.StatusCode, re.Response.Header
		}
		s.traceToken(status, start, nil)
		detail := re.ErrorDescription
		if detail == "" {
			detail = re.ErrorCode
		}
		var reset time.Time
		if status == http.StatusTooManyRequests {
			reset = s.rateReset(h)
		}
		e := remote.StatusError(planner.NetworkLinkedIn, op, status, re.ErrorCode, detail, reset, false)
		switch re.ErrorCode {
		case "invalid_client", "unauthorized_client":
			e.Kind = remote.KindAuth
		case "invalid_grant", "invalid_request", "access_denied":
			e.Kind = remote.KindRejected
		}
		return e
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		te := remote.TransportError(planner.NetworkLinkedIn, op, err, false)
		s.traceToken(0, start, te.Err)
		return te
	}
	s.traceToken(http.StatusOK, start, nil)
	// The library's other failures are about the answer's shape.
	return remote.Unexpected(planner.NetworkLinkedIn, op, http.StatusOK, "the token answer was not understood", false)
}

// LinkOptions shape a Link.
type LinkOptions struct {
	// Addr is where to listen for the browser's return,
	// CallbackAddress(DefaultPort) when empty; its RedirectURI must be
	// registered in the LinkedIn app.
	Addr string
	// Page gives the text the browser shows afterwards (nil: a plain
	// English text).
	Page func(denied bool) string
}

// Link is linking a member's account, from the address to open in the
// browser to the member's token and identity.
type Link struct {
	srv  *Server
	cb   *remote.Callback
	auth *Authorization
}

// Linked is what linking gives: the token (a secret, for the keyring) and
// who it belongs to.
type Linked struct {
	Token  Token
	Member Member
}

// StartLink listens on this computer for the browser's return and makes
// the address the user opens. Close it when it is not waited for.
func (s *Server) StartLink(app App, opts LinkOptions) (*Link, error) {
	if opts.Addr == "" {
		opts.Addr = CallbackAddress(DefaultPort)
	}
	cb, err := remote.ListenCallback(opts.Addr, opts.Page)
	if err != nil {
		return nil, &remote.Error{Network: planner.NetworkLinkedIn, Op: "wait for the browser", Err: err}
	}
	a, err := s.Authorize(app, cb.RedirectURI())
	if err != nil {
		cb.Close()
		return nil, err
	}
	cb.Expect(a.State)
	return &Link{srv: s, cb: cb, auth: a}, nil
}

// URL is the address for the user to open in the browser.
func (l *Link) URL() string { return l.auth.URL }

// RedirectURI is where the browser comes back to: the redirect URL the
// LinkedIn app must have registered.
func (l *Link) RedirectURI() string { return l.auth.RedirectURI }

// String keeps the app's secret out of anything that prints a Link.
func (l *Link) String() string { return "linkedin.Link{" + l.auth.RedirectURI + "}" }

// GoString does the same for %#v.
func (l *Link) GoString() string { return l.String() }

// Close stops waiting for the browser; closing twice is harmless.
func (l *Link) Close() { l.cb.Close() }

// Wait waits for the browser's return (with this sign-in's state), trades
// its code for a token and reads who the member is. The user's refusal is
// KindRejected wrapping remote.ErrDenied; an app that may not ask for the
// scopes is KindAuth wrapping ErrPermission.
func (l *Link) Wait(ctx context.Context) (Linked, error) {
	const op = "link the account"
	code, err := l.cb.Wait(ctx)
	switch {
	case errors.Is(err, remote.ErrDenied) && strings.Contains(strings.ToLower(err.Error()), "scope"):
		// unauthorized_scope_error: the app lacks a product, not the
		// user's will.
		return Linked{}, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindAuth,
			Detail: remote.Cut(strings.TrimPrefix(err.Error(), remote.ErrDenied.Error()+": "), remote.DetailLimit), Err: ErrPermission}
	case errors.Is(err, remote.ErrDenied):
		return Linked{}, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindRejected, Err: err}
	case err != nil:
		return Linked{}, fmt.Errorf("linkedin: waiting for the browser: %w", err)
	}
	tok, err := l.srv.Exchange(ctx, l.auth, code)
	if err != nil {
		return Linked{}, err
	}
	m, err := l.srv.Client(tok).UserInfo(ctx)
	if err != nil {
		return Linked{}, err
	}
	return Linked{Token: tok, Member: m}, nil
}
