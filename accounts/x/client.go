// Package x speaks to X's API for an account linked through the user's own
// X developer app: OAuth 1.0a (a request token, the authorize page, a PIN
// or a loopback return, the access token), who the user is, publishing a
// post (as a reply, for a thread's later parts), and the user's recent
// posts, where a post of unknown fate is looked for before it is sent
// again.
//
// Every failure is a *remote.Error (see package remote for the kinds). X's
// refusals that mean more than their status carry a Code: CodeDuplicate
// (KindRejected: the same text was posted recently), CodePermission and
// CodeProject (KindAuth: the app may only read, or belongs to no project).
package x

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// DefaultAPI is X's API; an account's APIBase replaces it for an
// API-compatible service or a test server.
const DefaultAPI = "https://api.x.com"

// web is where X shows a post to people.
const web = "https://x.com"

// X's refusals, as remote.Error.Code holds them.
const (
	CodeDuplicate  = "duplicate"  // a repeat of a recent post's text
	CodePermission = "permission" // the app may only read
	CodeProject    = "project"    // the app belongs to no project, or may not use the endpoint
)

// Credentials are an account's OAuth 1.0a secrets: the app's consumer key
// and secret and the user's access token and its secret.
type Credentials struct {
	ConsumerKey    string
	ConsumerSecret string
	Token          string
	TokenSecret    string
}

// String keeps the values out of any log line or error that prints them.
func (Credentials) String() string { return "x.Credentials{redacted}" }

// GoString does the same for %#v.
func (Credentials) GoString() string { return "x.Credentials{redacted}" }

// Complete reports whether every part is there.
func (c Credentials) Complete() bool {
	return c.ConsumerKey != "" && c.ConsumerSecret != "" && c.Token != "" && c.TokenSecret != ""
}

// Options are what a Client needs from outside; every field may be left empty.
type Options struct {
	HTTP *http.Client // http.DefaultClient when nil
	Now  func() time.Time
	// Trace hears of every request (never its headers or body), for the log.
	Trace func(remote.Exchange)
	// Sleep waits between looks at an upload X still processes, returning
	// early with ctx's error; nil waits for real.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Base checks an API address: "" for DefaultAPI, else https (http only to
// this computer: a signed request still shows its token on the wire).
func Base(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultAPI, nil
	}
	return remote.CheckBase(s)
}

// Client acts for one linked X account.
type Client struct {
	base  string
	call  remote.Caller
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// NewClient makes the client of an account at base (see Base).
func NewClient(base string, c Credentials, opts Options) (*Client, error) {
	b, err := Base(base)
	if err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = remote.Sleep
	}
	return &Client{base: b, now: opts.Now, sleep: opts.Sleep,
		call: remote.Caller{Network: planner.NetworkX, HTTP: signedClient(opts.HTTP, c), UserAgent: remote.UserAgent(""), Trace: opts.Trace}}, nil
}

// String keeps the credentials out of anything that prints a Client.
func (c *Client) String() string { return "x.Client{" + c.base + "}" }

// GoString does the same for %#v.
func (c *Client) GoString() string { return c.String() }

// signedClient signs requests with OAuth 1.0a over the base client's transport.
func signedClient(base *http.Client, c Credentials) *http.Client {
	if base == nil {
		base = http.DefaultClient
	}
	cfg := oauth1.NewConfig(c.ConsumerKey, c.ConsumerSecret)
	ctx := context.WithValue(context.Background(), oauth1.HTTPClient, base)
	hc := cfg.Client(ctx, oauth1.NewToken(c.Token, c.TokenSecret))
	hc.Timeout = base.Timeout
	return hc
}

// do sends one request and decodes its JSON answer into v; a POST may
// publish.
func (c *Client) do(ctx context.Context, method, path, op string, query url.Values, body, v any) error {
	return c.send(ctx, method, path, op, query, body, method == http.MethodPost, v)
}

// send sends one request, its body as JSON, and decodes its JSON answer
// into v; sent says whether it may publish.
func (c *Client) send(ctx context.Context, method, path, op string, query url.Values, body any, sent bool, v any) error {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return &remote.Error{Network: planner.NetworkX, Op: op, Err: err}
		}
		rd = bytes.NewReader(b)
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequestWithContext(ctx, method, u, rd)
	} else {
		req, err = http.NewRequestWithContext(ctx, method, u, nil)
	}
	if err != nil {
		return &remote.Error{Network: planner.NetworkX, Op: op, Err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.call.DoJSON(req, op, sent, v, c.apiError)
}

// problem is X's error body: v2's problem details or v1.1's errors list.
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Reason string `json:"reason"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// apiError reads X's error answer, keeping X's own words from the JSON
// fields only.
func (c *Client) apiError(op string, resp *remote.Response, sent bool) *remote.Error {
	var p problem
	_ = json.Unmarshal(resp.Body, &p)
	detail := p.Detail
	if len(p.Errors) > 0 && p.Errors[0].Message != "" && (detail == "" || strings.HasPrefix(detail, "One or more parameters")) {
		detail = p.Errors[0].Message
	}
	if detail == "" {
		detail = p.Title
	}
	var reset time.Time
	if resp.Status == http.StatusTooManyRequests {
		reset = RateReset(resp.Header, c.now())
	}
	e := remote.StatusError(planner.NetworkX, op, resp.Status, "", detail, reset, sent)
	low := strings.ToLower(detail + " " + p.Type + " " + p.Reason)
	if resp.Status == http.StatusForbidden {
		switch {
		case strings.Contains(low, "duplicate"):
			e.Kind, e.Code = remote.KindRejected, CodeDuplicate
		case strings.Contains(low, "oauth1-permissions"), strings.Contains(low, "oauth1 app permissions"):
			e.Kind, e.Code = remote.KindAuth, CodePermission
		case strings.Contains(low, "client-not-enrolled"), strings.Contains(low, "client-forbidden"):
			e.Kind, e.Code = remote.KindAuth, CodeProject
		}
	}
	return e
}

// RateReset is when X lifts the limit that was hit: the latest reset among
// the exhausted windows, else Retry-After, else a 15-minute window.
func RateReset(h http.Header, now time.Time) time.Time {
	var reset time.Time
	for _, w := range []string{"x-rate-limit", "x-user-limit-24hour", "x-app-limit-24hour"} {
		r := h.Get(w + "-reset")
		if r == "" {
			continue
		}
		if rem := h.Get(w + "-remaining"); rem != "" && rem != "0" {
			continue
		}
		if sec, err := strconv.ParseInt(r, 10, 64); err == nil && time.Unix(sec, 0).After(reset) {
			reset = time.Unix(sec, 0)
		}
	}
	if reset.IsZero() {
		if sec, err := strconv.Atoi(h.Get("Retry-After")); err == nil && sec >= 0 {
			reset = now.Add(time.Duration(sec) * time.Second)
		}
	}
	if reset.IsZero() {
		reset = now.Add(15 * time.Minute)
	}
	return reset
}

// User is who an account is on X.
type User struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

// Me reads who the account is (GET /2/users/me).
func (c *Client) Me(ctx context.Context) (User, error) {
	const op = "read the signed-in user"
	var r struct {
		Data User `json:"data"`
	}
	if err := c.do(ctx, http.MethodGet, "/2/users/me", op, nil, nil, &r); err != nil {
		return User{}, err
	}
	if r.Data.ID == "" || r.Data.Username == "" {
		return User{}, remote.Unexpected(planner.NetworkX, op, http.StatusOK, "the answer has no user", false)
	}
	return r.Data, nil
}

// Post is a post as X has it.
type Post struct {
	ID      string
	Text    string    // as X returns it (it may shorten links)
	ReplyTo string    // the ID of the post it replies to, if any
	At      time.Time // when it was posted, if known
}

// Publish sends one post, as a reply to replyTo when it continues a
// thread, carrying the uploaded media (UploadImage) in order.
func (c *Client) Publish(ctx context.Context, text, replyTo string, mediaIDs ...string) (Post, error) {
	const op = "publish a post"
	body := map[string]any{"text": text}
	if replyTo != "" {
		body["reply"] = map[string]string{"in_reply_to_tweet_id": replyTo}
	}
	if len(mediaIDs) > 0 {
		body["media"] = map[string]any{"media_ids": mediaIDs}
	}
	var r struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := c.do(ctx, http.MethodPost, "/2/tweets", op, nil, body, &r); err != nil {
		return Post{}, err
	}
	if r.Data.ID == "" {
		// X said yes but not to what: look before sending it again.
		return Post{}, remote.Unexpected(planner.NetworkX, op, http.StatusOK, "the answer has no post ID", true)
	}
	return Post{ID: r.Data.ID, Text: text, ReplyTo: replyTo, At: c.now()}, nil
}

// Recent lists a user's posts since a time, newest first, up to 100.
func (c *Client) Recent(ctx context.Context, userID string, since time.Time) ([]Post, error) {
	const op = "list the account's posts"
	if userID == "" {
		return nil, &remote.Error{Network: planner.NetworkX, Op: op, Kind: remote.KindAuth, Err: errors.New("the account has no X user ID")}
	}
	q := url.Values{"max_results": {"100"}, "tweet.fields": {"created_at,referenced_tweets"}}
	if now := c.now(); since.After(now) {
		since = now.Add(-time.Minute)
	}
	if !since.IsZero() {
		q.Set("start_time", since.UTC().Format("2006-01-02T15:04:05Z"))
	}
	var r struct {
		Data []struct {
			ID         string `json:"id"`
			Text       string `json:"text"`
			CreatedAt  string `json:"created_at"`
			Referenced []struct {
				Type string `json:"type"`
				ID   string `json:"id"`
			} `json:"referenced_tweets"`
		} `json:"data"`
	}
	if err := c.do(ctx, http.MethodGet, "/2/users/"+url.PathEscape(userID)+"/tweets", op, q, nil, &r); err != nil {
		return nil, err
	}
	out := make([]Post, 0, len(r.Data))
	for _, d := range r.Data {
		p := Post{ID: d.ID, Text: d.Text}
		p.At, _ = time.Parse(time.RFC3339, d.CreatedAt)
		for _, ref := range d.Referenced {
			if ref.Type == "replied_to" {
				p.ReplyTo = ref.ID
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// PostURL is where people see a post: under the handle when it is known.
func PostURL(handle, id string) string {
	if handle == "" {
		return web + "/i/web/status/" + id
	}
	return web + "/" + handle + "/status/" + id
}
