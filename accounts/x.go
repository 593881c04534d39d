package accounts

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dghubble/oauth1"
	"github.com/rivo/uniseg"
	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
)

// DefaultXAPI is X's API; an account's APIBase replaces it for an
// API-compatible service or a test server.
const DefaultXAPI = "https://api.x.com"

// xWeb is where X shows a post to people.
const xWeb = "https://x.com"

// maxBody bounds how much of an answer Kaiku reads.
const maxBody = 1 << 20

// maxDetail bounds, in bytes, how much of X's own words Kaiku keeps to show.
const maxDetail = 300

// shorten cuts s to at most n bytes and an ellipsis, between grapheme
// clusters, so that no character (nor an emoji with its skin tone) is split.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut, state := 0, -1
	for rest := s; rest != ""; {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if cut+len(cluster) > n {
			break
		}
		cut += len(cluster)
	}
	return s[:cut] + "…"
}

// normalizeBase checks an API base URL: https, or http to this computer only
// (a signed request still shows its token on the wire).
func normalizeBase(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		return DefaultXAPI, nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", newError(keyAPIBase, nil)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return "", newError(keyAPIBase, nil)
		}
	default:
		return "", newError(keyAPIBase, nil)
	}
	return s, nil
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// xAPI talks to X's API v2 for one linked account.
type xAPI struct {
	base   string
	client *http.Client // signs every request
	userID string
	handle string
	now    func() time.Time
	log    logrus.FieldLogger
}

// signedClient signs requests with OAuth 1.0a over the base client's transport.
func signedClient(base *http.Client, c credentials) *http.Client {
	cfg := oauth1.NewConfig(c.ConsumerKey, c.ConsumerSecret)
	ctx := context.WithValue(context.Background(), oauth1.HTTPClient, base)
	hc := cfg.Client(ctx, oauth1.NewToken(c.Token, c.TokenSecret))
	hc.Timeout = base.Timeout
	// An API call is never redirected; one that is goes nowhere signed.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return hc
}

// do sends one request and reads its answer; a failure is an *Error.
func (x *xAPI) do(ctx context.Context, method, path string, query url.Values, body any) ([]byte, error) {
	u := x.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, newError(keyUnexpected, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "Kaiku")
	start := time.Now()
	resp, err := x.client.Do(req)
	if err != nil {
		e := transportError(err, method == http.MethodPost)
		x.log.WithFields(logrus.Fields{"method": method, "path": path, "sent": e.maybeSent}).
			WithField("cause", err.Error()).Debug("X did not answer")
		return nil, e
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	x.log.WithFields(logrus.Fields{"method": method, "path": path, "status": resp.StatusCode, "took": time.Since(start).Round(time.Millisecond)}).Debug("X answered")
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err != nil {
			// It was taken; only the answer got lost.
			return nil, &Error{Key: keyServer, Msg: Message(keyServer), Status: resp.StatusCode, Err: err, kind: kindServer, maybeSent: method == http.MethodPost}
		}
		return b, nil
	}
	return nil, x.apiError(resp, b, method == http.MethodPost)
}

// transportError classifies a request that got no answer. Failures before
// the request left (no route, no name, no TLS) cannot have posted anything.
func transportError(err error, post bool) *Error {
	e := &Error{Key: keyOffline, Msg: Message(keyOffline), Err: err, kind: kindNetwork, maybeSent: post}
	var op *net.OpError
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var record tls.RecordHeaderError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") ||
		errors.As(err, &dns) || errors.As(err, &cert) || errors.As(err, &unknownCA) ||
		errors.As(err, &hostname) || errors.As(err, &record) {
		e.maybeSent = false
	}
	return e
}

// xProblem is X's error body: v2's problem details or v1.1's errors list.
type xProblem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Reason string `json:"reason"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// apiError turns X's error answer into an *Error, keeping X's own words
// from the JSON fields only.
func (x *xAPI) apiError(resp *http.Response, body []byte, post bool) *Error {
	var p xProblem
	_ = json.Unmarshal(body, &p)
	detail := p.Detail
	if len(p.Errors) > 0 && p.Errors[0].Message != "" && (detail == "" || strings.HasPrefix(detail, "One or more parameters")) {
		detail = p.Errors[0].Message
	}
	if detail == "" {
		detail = p.Title
	}
	detail = shorten(detail, maxDetail)
	e := &Error{Status: resp.StatusCode, Detail: detail, Err: fmt.Errorf("X answered %s", resp.Status)}
	low := strings.ToLower(detail + " " + p.Type + " " + p.Reason)
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized:
		e.kind, e.Key = kindAuth, keyRelink
	case s == http.StatusForbidden && strings.Contains(low, "duplicate"):
		e.kind, e.Key = kindRejected, keyDuplicate
	case s == http.StatusForbidden && strings.Contains(low, "oauth1-permissions"), s == http.StatusForbidden && strings.Contains(low, "oauth1 app permissions"):
		e.kind, e.Key = kindAuth, keyPermission
	case s == http.StatusForbidden && (strings.Contains(low, "client-not-enrolled") || strings.Contains(low, "client-forbidden")):
		e.kind, e.Key = kindAuth, keyProject
	case s == http.StatusTooManyRequests:
		e.kind, e.Key, e.reset = kindRate, keyRateLimited, rateReset(resp.Header, x.now())
	case s >= 500:
		e.kind, e.Key, e.maybeSent = kindServer, keyServer, post
	default:
		e.kind, e.Key = kindRejected, keyRejected
	}
	e.Msg = Message(e.Key)
	return e
}

// rateReset is when X lifts the limit that was hit: the latest reset among
// the exhausted windows, else Retry-After, else a 15-minute window.
func rateReset(h http.Header, now time.Time) time.Time {
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

// xUser is /2/users/me's answer.
type xUser struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

func (x *xAPI) me(ctx context.Context) (xUser, error) {
	b, err := x.do(ctx, http.MethodGet, "/2/users/me", nil, nil)
	if err != nil {
		return xUser{}, err
	}
	var r struct {
		Data xUser `json:"data"`
	}
	if json.Unmarshal(b, &r) != nil || r.Data.ID == "" || r.Data.Username == "" {
		return xUser{}, newError(keyLinkServer, errors.New("X's answer to users/me has no user"))
	}
	return r.Data, nil
}

// Publish sends one post, as a reply to replyTo when it continues a thread.
func (x *xAPI) Publish(ctx context.Context, text, replyTo string) (Remote, error) {
	body := map[string]any{"text": text}
	if replyTo != "" {
		body["reply"] = map[string]string{"in_reply_to_tweet_id": replyTo}
	}
	b, err := x.do(ctx, http.MethodPost, "/2/tweets", nil, body)
	if err != nil {
		return Remote{}, err
	}
	var r struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if json.Unmarshal(b, &r) != nil || r.Data.ID == "" {
		// X said yes but not to what: look before sending it again.
		return Remote{}, &Error{Key: keyServer, Msg: Message(keyServer), Err: errors.New("X's answer has no post ID"), kind: kindServer, maybeSent: true}
	}
	return Remote{ID: r.Data.ID, URL: x.postURL(r.Data.ID), Text: text, ReplyTo: replyTo, At: x.now()}, nil
}

// Recent lists the account's posts since a time, newest first, up to 100.
func (x *xAPI) Recent(ctx context.Context, since time.Time) ([]Remote, error) {
	if x.userID == "" {
		return nil, newError(keyRelink, errors.New("the account has no X user ID"))
	}
	q := url.Values{"max_results": {"100"}, "tweet.fields": {"created_at,referenced_tweets"}}
	if now := x.now(); since.After(now) {
		since = now.Add(-time.Minute)
	}
	if !since.IsZero() {
		q.Set("start_time", since.UTC().Format("2006-01-02T15:04:05Z"))
	}
	b, err := x.do(ctx, http.MethodGet, "/2/users/"+url.PathEscape(x.userID)+"/tweets", q, nil)
	if err != nil {
		return nil, err
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
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, newError(keyServer, errors.New("X's timeline answer is not JSON"))
	}
	out := make([]Remote, 0, len(r.Data))
	for _, d := range r.Data {
		rm := Remote{ID: d.ID, URL: x.postURL(d.ID), Text: d.Text}
		rm.At, _ = time.Parse(time.RFC3339, d.CreatedAt)
		for _, ref := range d.Referenced {
			if ref.Type == "replied_to" {
				rm.ReplyTo = ref.ID
			}
		}
		out = append(out, rm)
	}
	return out, nil
}

func (x *xAPI) postURL(id string) string {
	if x.handle == "" {
		return xWeb + "/i/web/status/" + id
	}
	return xWeb + "/" + x.handle + "/status/" + id
}

// xAccountAPI builds the API client of a linked X account.
func (m *Manager) xAccountAPI(acc planner.Account, c credentials) (*xAPI, error) {
	base, err := normalizeBase(acc.APIBase)
	if err != nil {
		return nil, err
	}
	return &xAPI{
		base: base, client: signedClient(m.http, c), userID: acc.RemoteID, handle: acc.Handle,
		now: m.now, log: m.log.WithField("account", acc.ID),
	}, nil
}
