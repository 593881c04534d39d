package bluesky

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// Options are what a Client needs from outside; every field may be left empty.
type Options struct {
	HTTP      *http.Client // http.DefaultClient when nil
	UserAgent string       // remote.UserAgent("") when empty
	Now       func() time.Time
	// PLCDirectory resolves did:plc; DefaultPLCDirectory when empty. Set,
	// it also finds the PDS of an account whose sign-in answer (at a
	// service other than DefaultService) has no DID document.
	PLCDirectory string
	// Trace hears of every request (never its headers or body), for the log.
	Trace func(remote.Exchange)
	// OnSession hears of every new session (after a refresh), so that the
	// caller can keep it in the keyring.
	OnSession func(Session)
}

// Session is a signed-in account: secrets for the keyring, never Badger.
type Session struct {
	DID    string
	Handle string
	// Service is where the account's repository lives, its PDS.
	Service    string
	AccessJWT  string
	RefreshJWT string
}

// String keeps the tokens out of anything that prints a Session.
func (s Session) String() string { return "bluesky.Session{" + s.DID + " " + s.Handle + "}" }

// GoString does the same for %#v.
func (s Session) GoString() string { return s.String() }

// AccessExpires is when the access token ends (zero when it does not say).
func (s Session) AccessExpires() time.Time { return jwtExpiry(s.AccessJWT) }

// RefreshExpires is when the refresh token ends.
func (s Session) RefreshExpires() time.Time { return jwtExpiry(s.RefreshJWT) }

// jwtExpiry reads a JWT's exp claim without checking its signature, which
// only the server can; Kaiku only needs to know when to refresh.
func jwtExpiry(token string) time.Time {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return time.Time{}
	}
	sec, err := claims.Exp.Int64()
	if err != nil || sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// refreshAhead is how long before its end an access token is renewed.
const refreshAhead = 2 * time.Minute

// Client acts for one signed-in account.
type Client struct {
	x         xrpc
	opts      Options
	tids      *TIDClock
	refreshMu sync.Mutex // one refresh at a time

	mu   sync.Mutex
	sess Session
}

// String keeps the session's tokens out of anything that prints a Client.
func (c *Client) String() string { return "bluesky.Client{" + c.Session().DID + "}" }

// GoString does the same for %#v.
func (c *Client) GoString() string { return c.String() }

func newXRPC(opts *Options) xrpc {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.UserAgent == "" {
		opts.UserAgent = remote.UserAgent("")
	}
	if opts.PLCDirectory == "" {
		opts.PLCDirectory = DefaultPLCDirectory
	}
	return xrpc{call: remote.Caller{Network: planner.NetworkBluesky, HTTP: opts.HTTP, UserAgent: opts.UserAgent, Trace: opts.Trace}, now: opts.Now}
}

// sessionAnswer is createSession's and refreshSession's answer.
type sessionAnswer struct {
	DID        string          `json:"did"`
	Handle     string          `json:"handle"`
	AccessJWT  string          `json:"accessJwt"`
	RefreshJWT string          `json:"refreshJwt"`
	DIDDoc     json.RawMessage `json:"didDoc"`
	Active     *bool           `json:"active"`
	Status     string          `json:"status"` // why it is not active
}

// Login signs in with an app password (com.atproto.server.createSession)
// at service ("" for DefaultService), identifier being the handle, the
// email or the DID. The session then talks to the account's own PDS, which
// its DID document names: from the answer, or resolved when signing in at
// DefaultService. A wrong handle or password is KindAuth.
func Login(ctx context.Context, service, identifier, appPassword string, opts Options) (*Client, error) {
	const op = "sign in"
	explicitPLC := opts.PLCDirectory != ""
	x := newXRPC(&opts)
	if strings.TrimSpace(service) == "" {
		service = DefaultService
	}
	base, err := remote.CheckBase(service)
	if err != nil {
		return nil, &remote.Error{Network: planner.NetworkBluesky, Op: op, Kind: remote.KindRejected, Err: err}
	}
	identifier = strings.TrimPrefix(strings.TrimSpace(identifier), "@")
	if identifier == "" || appPassword == "" {
		return nil, &remote.Error{Network: planner.NetworkBluesky, Op: op, Kind: remote.KindRejected, Detail: "a handle and an app password are needed"}
	}
	var a sessionAnswer
	body := map[string]string{"identifier": identifier, "password": appPassword}
	if err := x.procedure(ctx, base, "com.atproto.server.createSession", "", body, "", op, false, &a); err != nil {
		return nil, err
	}
	if a.DID == "" || a.AccessJWT == "" || a.RefreshJWT == "" {
		return nil, remote.Unexpected(planner.NetworkBluesky, op, http.StatusOK, "the answer has no session", false)
	}
	if a.Active != nil && !*a.Active {
		// Deactivated or taken down: it signs in but cannot post.
		return nil, &remote.Error{Network: planner.NetworkBluesky, Op: op, Kind: remote.KindAuth, Code: a.Status, Detail: "the account is not active"}
	}
	sess := Session{DID: a.DID, Handle: a.Handle, Service: base, AccessJWT: a.AccessJWT, RefreshJWT: a.RefreshJWT}
	// The repository lives on the PDS the DID document names, which an
	// entryway such as DefaultService is not.
	var doc didDocument
	if len(a.DIDDoc) > 0 && json.Unmarshal(a.DIDDoc, &doc) == nil && doc.ID == a.DID {
		if pds, ok := doc.pds(); ok {
			sess.Service = pds
		}
	} else if base == DefaultService || explicitPLC {
		pds, err := x.resolvePDS(ctx, opts.PLCDirectory, a.DID)
		if err != nil {
			return nil, err
		}
		sess.Service = pds
	}
	return &Client{x: x, opts: opts, tids: NewTIDClock(opts.Now), sess: sess}, nil
}

// ResolvePDS finds where a DID's repository lives from its DID document:
// did:plc through the PLC directory (opts.PLCDirectory), did:web through
// the host's /.well-known/did.json.
func ResolvePDS(ctx context.Context, did string, opts Options) (string, error) {
	x := newXRPC(&opts)
	return x.resolvePDS(ctx, opts.PLCDirectory, did)
}

// Resume acts with a session kept from before.
func Resume(sess Session, opts Options) (*Client, error) {
	x := newXRPC(&opts)
	base, err := remote.CheckBase(sess.Service)
	if err != nil {
		return nil, &remote.Error{Network: planner.NetworkBluesky, Op: "resume the session", Kind: remote.KindAuth, Err: err}
	}
	sess.Service = base
	return &Client{x: x, opts: opts, tids: NewTIDClock(opts.Now), sess: sess}, nil
}

// Session is the current session, as the keyring should keep it.
func (c *Client) Session() Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess
}

// Refresh renews the session (com.atproto.server.refreshSession). A
// refresh token that is no longer good is KindAuth: sign in again.
func (c *Client) Refresh(ctx context.Context) error {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	return c.refresh(ctx, c.Session())
}

func (c *Client) refresh(ctx context.Context, old Session) error {
	const op = "renew the session"
	var a sessionAnswer
	if err := c.x.procedure(ctx, old.Service, "com.atproto.server.refreshSession", old.RefreshJWT, nil, "", op, false, &a); err != nil {
		return err
	}
	if a.AccessJWT == "" || a.RefreshJWT == "" {
		return remote.Unexpected(planner.NetworkBluesky, op, http.StatusOK, "the answer has no session", false)
	}
	sess := old
	sess.AccessJWT, sess.RefreshJWT = a.AccessJWT, a.RefreshJWT
	if a.Handle != "" {
		sess.Handle = a.Handle
	}
	c.mu.Lock()
	c.sess = sess
	c.mu.Unlock()
	if c.opts.OnSession != nil {
		c.opts.OnSession(sess)
	}
	return nil
}

// token is an access token good for a while yet, refreshing first when the
// current one ends soon.
func (c *Client) token(ctx context.Context) (Session, error) {
	sess := c.Session()
	exp := sess.AccessExpires()
	if exp.IsZero() || c.opts.Now().Add(refreshAhead).Before(exp) {
		return sess, nil
	}
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	// Another call may have refreshed while this one waited.
	if cur := c.Session(); cur.AccessJWT != sess.AccessJWT {
		return cur, nil
	}
	if err := c.refresh(ctx, sess); err != nil {
		return Session{}, err
	}
	return c.Session(), nil
}

// authed runs call with a fresh access token; an answer that the token
// expired after all (a clock that is off) refreshes and tries once more.
func (c *Client) authed(ctx context.Context, call func(sess Session) error) error {
	sess, err := c.token(ctx)
	if err != nil {
		return err
	}
	err = call(sess)
	if e, ok := remote.As(err); ok && e.Code == CodeExpiredToken {
		c.refreshMu.Lock()
		if cur := c.Session(); cur.AccessJWT == sess.AccessJWT {
			err = c.refresh(ctx, sess)
		} else {
			err = nil
		}
		c.refreshMu.Unlock()
		if err != nil {
			return err
		}
		return call(c.Session())
	}
	return err
}
