package x

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// CallbackOOB asks X to show a PIN for the user to type, instead of
// sending the browser back.
const CallbackOOB = "oob"

// Consumer is the user's X app signing Kaiku in with OAuth 1.0a: a request
// token, the page where the user authorizes it, and the access token that
// the PIN (or the loopback return's verifier) buys.
type Consumer struct {
	base string
	cfg  oauth1.Config
	http *http.Client
}

// NewConsumer makes the app's sign-in at base (see Base), returning to
// callbackURL (CallbackOOB for a PIN).
func NewConsumer(base, key, secret, callbackURL string, hc *http.Client) (*Consumer, error) {
	b, err := Base(base)
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Consumer{base: b, http: hc, cfg: oauth1.Config{
		ConsumerKey: key, ConsumerSecret: secret, CallbackURL: callbackURL,
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: b + "/oauth/request_token",
			AuthorizeURL:    b + "/oauth/authorize",
			AccessTokenURL:  b + "/oauth/access_token",
		},
	}}, nil
}

// String keeps the app's secret out of anything that prints a Consumer.
func (c *Consumer) String() string { return "x.Consumer{" + c.base + "}" }

// GoString does the same for %#v.
func (c *Consumer) GoString() string { return c.String() }

// statusTransport gives the OAuth library's requests a context and notes
// the answer's status, which the library only reports inside a message.
type statusTransport struct {
	base   http.RoundTripper
	ctx    context.Context
	status *int
}

func (t statusTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.WithContext(t.ctx)
	r.Header.Set("User-Agent", remote.UserAgent(""))
	resp, err := t.base.RoundTrip(r)
	if resp != nil {
		*t.status = resp.StatusCode
	}
	return resp, err
}

func (c *Consumer) client(ctx context.Context) (*http.Client, *int) {
	base := c.http.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	status := new(int)
	return &http.Client{Transport: statusTransport{base: base, ctx: ctx, status: status}, Timeout: c.http.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, status
}

// RequestToken asks X for a request token; its secret stays in memory
// until the exchange. A refused callback URL is KindAuth with Status 403.
func (c *Consumer) RequestToken(ctx context.Context) (token, secret string, err error) {
	cfg := c.cfg
	hc, status := c.client(ctx)
	cfg.HTTPClient = hc
	token, secret, err = cfg.RequestToken()
	if err != nil {
		return "", "", oauthError("ask for a request token", *status, err)
	}
	return token, secret, nil
}

// AuthorizeURL is the page where the user authorizes the request token.
func (c *Consumer) AuthorizeURL(token string) (string, error) {
	u, err := c.cfg.AuthorizationURL(token)
	if err != nil {
		return "", &remote.Error{Network: planner.NetworkX, Op: "make the authorize address", Err: errors.New("cannot build the authorize URL")}
	}
	return u.String(), nil
}

// AccessToken trades the authorized request token and its verifier (the
// PIN) for the account's credentials. A wrong PIN is KindAuth.
func (c *Consumer) AccessToken(ctx context.Context, token, secret, verifier string) (Credentials, error) {
	cfg := c.cfg
	hc, status := c.client(ctx)
	cfg.HTTPClient = hc
	tok, sec, err := cfg.AccessToken(token, secret, verifier)
	if err != nil {
		return Credentials{}, oauthError("exchange the PIN", *status, err)
	}
	return Credentials{ConsumerKey: c.cfg.ConsumerKey, ConsumerSecret: c.cfg.ConsumerSecret, Token: tok, TokenSecret: sec}, nil
}

// oauthError explains a failed token request without the library's message,
// which quotes the server's answer.
func oauthError(op string, status int, err error) *remote.Error {
	switch {
	case status == 0:
		// A transport failure: its message names the URL, which holds no secret.
		var ue *url.Error
		if errors.As(err, &ue) {
			return remote.TransportError(planner.NetworkX, op, err, false)
		}
		return remote.Unexpected(planner.NetworkX, op, 0, "X's answer was not understood", false)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return &remote.Error{Network: planner.NetworkX, Op: op, Kind: remote.KindAuth, Status: status, Err: fmt.Errorf("X answered %d", status)}
	case status >= 200 && status < 300:
		return remote.Unexpected(planner.NetworkX, op, status, "X's answer was not understood", false)
	}
	return remote.StatusError(planner.NetworkX, op, status, "", "", time.Time{}, false)
}
