package mastodon

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// RedirectOOB asks the server to show the code in the browser for the
// user to copy, where a loopback return cannot work.
const RedirectOOB = "urn:ietf:wg:oauth:2.0:oob"

// The scopes Kaiku asks for: publishing statuses, and reading who the user
// is (with "profile" where the server knows it, which reads nothing else).
const (
	ScopesProfile  = "write:statuses profile"
	ScopesAccounts = "write:statuses read:accounts"
)

// Scopes are the scopes to ask this server for.
func (o OAuthSupport) Scopes() string {
	if o.ProfileScope {
		return ScopesProfile
	}
	return ScopesAccounts
}

// App is Kaiku's registration on an instance. ClientSecret is a secret:
// keep it in the keyring.
type App struct {
	ClientID     string
	ClientSecret string
	Scopes       string
	RedirectURIs []string
}

// String keeps the secret out of anything that prints an App.
func (a App) String() string { return "mastodon.App{" + a.ClientID + "}" }

// GoString does the same for %#v.
func (a App) GoString() string { return a.String() }

// RegisterApp registers Kaiku on the instance (POST /api/v1/apps) with the
// return addresses it will use. Mastodon takes several; GoToSocial 0.17
// takes the first alone and fails the sign-in otherwise, so register the
// one address the sign-in will use (and again when it changes). A server
// that refuses the scopes asked (an old one that does not know "profile")
// is asked again with read:accounts.
func (s *Server) RegisterApp(ctx context.Context, name, website string, redirectURIs []string, scopes string) (App, error) {
	app, err := s.register(ctx, name, website, redirectURIs, scopes)
	if e, ok := remote.As(err); ok && e.Kind == remote.KindRejected && scopes == ScopesProfile {
		return s.register(ctx, name, website, redirectURIs, ScopesAccounts)
	}
	return app, err
}

func (s *Server) register(ctx context.Context, name, website string, redirectURIs []string, scopes string) (App, error) {
	const op = "register Kaiku on the instance"
	form := url.Values{
		"client_name":   {name},
		"redirect_uris": {strings.Join(redirectURIs, "\n")},
		"scopes":        {scopes},
	}
	if website != "" {
		form.Set("website", website)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/api/v1/apps", strings.NewReader(form.Encode()))
	if err != nil {
		return App{}, &remote.Error{Network: planner.NetworkMastodon, Op: op, Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var r struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := s.send(req, op, "", false, &r); err != nil {
		return App{}, err
	}
	if r.ClientID == "" || r.ClientSecret == "" {
		return App{}, remote.Unexpected(planner.NetworkMastodon, op, http.StatusOK, "the answer has no client ID or secret", false)
	}
	return App{ClientID: r.ClientID, ClientSecret: r.ClientSecret, Scopes: scopes, RedirectURIs: redirectURIs}, nil
}

// Authorization is one sign-in in progress: the user opens URL in the
// browser, and the code the server gives back (to RedirectURI, or shown for
// RedirectOOB) goes to Exchange. It holds the PKCE verifier, a secret that
// stays in memory.
type Authorization struct {
	URL         string
	State       string
	RedirectURI string

	app      App
	verifier string // "" without PKCE
	scopes   string
}

// String keeps the verifier out of anything that prints an Authorization.
func (a *Authorization) String() string { return "mastodon.Authorization{" + a.RedirectURI + "}" }

// GoString does the same for %#v.
func (a *Authorization) GoString() string { return a.String() }

func (s *Server) oauthConfig(app App, redirectURI, scopes string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: app.ClientID, ClientSecret: app.ClientSecret, RedirectURL: redirectURI,
		Scopes: strings.Fields(scopes),
		Endpoint: oauth2.Endpoint{
			AuthURL: s.base + "/oauth/authorize", TokenURL: s.base + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// Authorize starts the authorization-code flow for app, returning to
// redirectURI (one the app was registered with). With pkce, the request
// carries an S256 code challenge and the exchange its verifier; the client
// secret is sent either way.
func (s *Server) Authorize(app App, redirectURI string, pkce bool) (*Authorization, error) {
	state, err := randomState()
	if err != nil {
		return nil, &remote.Error{Network: planner.NetworkMastodon, Op: "start signing in", Err: err}
	}
	a := &Authorization{State: state, RedirectURI: redirectURI, app: app, scopes: app.Scopes}
	opts := []oauth2.AuthCodeOption{}
	if pkce {
		a.verifier = oauth2.GenerateVerifier()
		opts = append(opts, oauth2.S256ChallengeOption(a.verifier))
	}
	a.URL = s.oauthConfig(app, redirectURI, a.scopes).AuthCodeURL(state, opts...)
	return a, nil
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Token is an account's access token: a secret for the keyring.
type Token struct {
	AccessToken string
	Scope       string
	Created     time.Time
}

// String keeps the token out of anything that prints it.
func (t Token) String() string { return "mastodon.Token{" + t.Scope + "}" }

// GoString does the same for %#v.
func (t Token) GoString() string { return t.String() }

// Exchange trades the code the user brought back for an access token.
// A code that is wrong, used or too old is KindRejected; an app the
// server no longer knows (invalid_client) is KindAuth with that Code, and
// registering again helps.
func (s *Server) Exchange(ctx context.Context, a *Authorization, code string) (Token, error) {
	const op = "sign in"
	code = strings.TrimSpace(code)
	if code == "" {
		return Token{}, &remote.Error{Network: planner.NetworkMastodon, Op: op, Kind: remote.KindRejected, Detail: "no code was given"}
	}
	hc := http.Client{}
	if s.call.HTTP != nil {
		hc = *s.call.HTTP
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ctx = context.WithValue(ctx, oauth2.HTTPClient, remote.WithUserAgent(&hc, s.userAgent()))
	opts := []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("scope", a.scopes)}
	if a.verifier != "" {
		opts = append(opts, oauth2.VerifierOption(a.verifier))
	}
	start := time.Now()
	tok, err := s.oauthConfig(a.app, a.RedirectURI, a.scopes).Exchange(ctx, code, opts...)
	if err != nil {
		return Token{}, s.tokenError(op, err, start)
	}
	s.traceToken(http.StatusOK, start, nil)
	t := Token{AccessToken: tok.AccessToken, Scope: a.scopes, Created: s.now()}
	if sc, ok := tok.Extra("scope").(string); ok && sc != "" {
		t.Scope = sc
	}
	if ts, ok := tok.Extra("created_at").(float64); ok && ts > 0 {
		t.Created = time.Unix(int64(ts), 0)
	}
	return t, nil
}

func (s *Server) userAgent() string {
	if s.call.UserAgent != "" {
		return s.call.UserAgent
	}
	return remote.UserAgent("")
}

func (s *Server) traceToken(status int, start time.Time, err error) {
	if s.call.Trace != nil {
		s.call.Trace(remote.Exchange{Network: planner.NetworkMastodon, Method: http.MethodPost, Path: "/oauth/token", Status: status, Took: time.Since(start), Err: err})
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
			reset = remote.RateReset(h, s.now())
		}
		e := remote.StatusError(planner.NetworkMastodon, op, status, re.ErrorCode, detail, reset, false)
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
		te := remote.TransportError(planner.NetworkMastodon, op, err, false)
		s.traceToken(0, start, te.Err)
		return te
	}
	s.traceToken(http.StatusOK, start, nil)
	// The library's other failures are about the answer's shape.
	return remote.Unexpected(planner.NetworkMastodon, op, http.StatusOK, "the token answer was not understood", false)
}

// Revoke ends a token (POST /oauth/revoke), as unlinking does. A server
// that has no such endpoint gives a KindRejected error with Status 404.
func (s *Server) Revoke(ctx context.Context, app App, token Token) error {
	const op = "revoke Kaiku's access"
	form := url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "token": {token.AccessToken}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/oauth/revoke", strings.NewReader(form.Encode()))
	if err != nil {
		return &remote.Error{Network: planner.NetworkMastodon, Op: op, Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.send(req, op, "", false, nil)
}
