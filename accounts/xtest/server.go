// Package xtest is a stand-in for the X API for Kaiku's tests: OAuth 1.0a
// with PIN and callback, /2/users/me, /2/tweets and a user's timeline. It
// checks every request's HMAC-SHA1 signature with its own code, answers with
// X's own error bodies and headers, and lets a test inject failures.
package xtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The endpoints, as Failure.Endpoint names them.
const (
	RequestToken = "POST /oauth/request_token"
	Authorize    = "GET /oauth/authorize"
	AccessToken  = "POST /oauth/access_token"
	UsersMe      = "GET /2/users/me"
	CreateTweet  = "POST /2/tweets"
	UserTweets   = "GET /2/users/:id/tweets"
)

// X's own error bodies.
const (
	BodyUnauthorized = `{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}`
	BodyDuplicate    = `{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}`
	BodyTooMany      = `{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}`
	BodyPermissions  = `{"title":"Forbidden","detail":"Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.","type":"https://api.twitter.com/2/problems/oauth1-permissions","status":403}`
	BodyServerError  = `{"title":"Internal Server Error","detail":"Internal Server Error","type":"about:blank","status":500}`
	BodyUnavailable  = `{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}`
	BodyInvalid      = `{"errors":[{"parameters":{},"message":"Requests with bodies must have content-type of application/json."}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`
	// The OAuth endpoints still answer in the v1.1 style.
	bodyCouldNotAuth = `{"errors":[{"code":32,"message":"Could not authenticate you."}]}`
	bodyBadVerifier  = `Error processing your OAuth request: Invalid oauth_verifier parameter`
	bodyCallback     = `<?xml version='1.0' encoding='UTF-8'?><errors><error code="415">Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings</error></errors>`
)

// User is the X user who authorizes Kaiku.
type User struct {
	ID       string
	Username string
	Name     string
}

// Tweet is a post the server accepted.
type Tweet struct {
	ID       string
	AuthorID string
	Text     string
	ReplyTo  string // the in_reply_to_tweet_id, if any
	Created  time.Time
	MediaIDs []string
}

// Failure is an injected failure for the next request to an endpoint.
type Failure struct {
	Endpoint string // one of the endpoint constants
	Status   int    // the HTTP status to answer with; 0 with Drop
	Body     string // "" uses X's own body for the status
	// Reset is the x-rate-limit-reset of a 429; zero means 15 minutes from now.
	Reset time.Time
	// Drop closes the connection without an answer.
	Drop bool
	// Created makes a failing CreateTweet take the post first: it went out
	// although the client hears a failure.
	Created bool
	// Text limits a CreateTweet failure to the post with this text.
	Text string
	// Header adds headers to the answer, such as X's 24-hour limit's.
	Header http.Header
}

// Options configure a Server.
type Options struct {
	ConsumerKey    string // the X app's API key; a default when empty
	ConsumerSecret string
	User           User
	// Callbacks are the app's registered callback URLs; when set, a request
	// token for any other callback (but "oob") is refused, as X does.
	Callbacks []string
	// ProcessLooks makes a GIF's upload pending after finalize, and its
	// status in progress that many looks, before it succeeds.
	ProcessLooks int
	// Now is the server's clock for created_at and rate-limit resets;
	// time.Now when nil. Signature timestamps are always checked against the
	// real clock, since the OAuth client stamps them with it.
	Now func() time.Time
}

// Server is a running fake X API.
type Server struct {
	URL string
	srv *httptest.Server

	mu            sync.Mutex
	opts          Options
	requestTokens map[string]*requestToken
	accessTokens  map[string]*accessToken
	nonces        map[string]bool
	tweets        []Tweet
	nextID        int64
	failures      []Failure
	counts        map[string]int
	sigFailures   int
	deny          bool
	beforeTweet   func(text, replyTo string) bool
	afterTweet    func(Tweet)
	media         []*Media
}

type requestToken struct {
	secret, callback, verifier string
	used                       bool
}

type accessToken struct {
	secret, userID string
	revoked        bool
}

// Default credentials of the server's X app and user.
const (
	DefaultConsumerKey    = "xtestConsumerKey0000000001"
	DefaultConsumerSecret = "xtestConsumerSecret000000000000000000000001"
)

// New starts a server; Close stops it.
func New(opts Options) *Server {
	if opts.ConsumerKey == "" {
		opts.ConsumerKey, opts.ConsumerSecret = DefaultConsumerKey, DefaultConsumerSecret
	}
	if opts.User.ID == "" {
		opts.User = User{ID: "1500000000000000001", Username: "kaiku_tester", Name: "Kaiku Tester"}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:          opts,
		requestTokens: map[string]*requestToken{},
		accessTokens:  map[string]*accessToken{},
		nonces:        map[string]bool{},
		counts:        map[string]int{},
		nextID:        1800000000000000000,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Start starts a server that the test's end closes.
func Start(t interface{ Cleanup(func()) }, opts Options) *Server {
	s := New(opts)
	t.Cleanup(s.Close)
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Fail queues failures; each answers one request to its endpoint, in order.
func (s *Server) Fail(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, f...)
}

// Deny makes the user refuse at the authorize step.
func (s *Server) Deny(deny bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deny = deny
}

// RevokeAll invalidates every access token, as revoking the app does.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.accessTokens {
		t.revoked = true
	}
}

// BeforeTweet sets a function called when a post arrives, before it is
// taken; when it returns false, the connection is dropped and the post is
// not taken. The hooks run with the server locked: they must not call it.
func (s *Server) BeforeTweet(fn func(text, replyTo string) (take bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeTweet = fn
}

// AfterTweet sets a function called once a post is taken, before the answer.
func (s *Server) AfterTweet(fn func(Tweet)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.afterTweet = fn
}

// Tweets returns the posts taken, oldest first.
func (s *Server) Tweets() []Tweet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Tweet(nil), s.tweets...)
}

// AddTweet puts a post on the user's timeline as if it had been sent.
func (s *Server) AddTweet(text, replyTo string) Tweet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.take(s.opts.User.ID, text, replyTo)
}

// Count is how many requests reached an endpoint, failed ones included.
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[endpoint]
}

// IssuedSecrets lists every secret the server knows: the app's key and
// secret, and each request token, its secret and verifier, and access token
// and secret it issued. A test looks for them where they must not be.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{s.opts.ConsumerKey, s.opts.ConsumerSecret}
	for tok, rt := range s.requestTokens {
		out = append(out, tok, rt.secret)
		if rt.verifier != "" {
			out = append(out, rt.verifier)
		}
	}
	for tok, at := range s.accessTokens {
		out = append(out, tok, at.secret)
	}
	return out
}

// SignatureFailures counts the requests refused for a bad signature.
func (s *Server) SignatureFailures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sigFailures
}

// ConsumerKey and ConsumerSecret are the server's X app credentials.
func (s *Server) ConsumerKey() string    { return s.opts.ConsumerKey }
func (s *Server) ConsumerSecret() string { return s.opts.ConsumerSecret }

// User is the user who authorizes.
func (s *Server) User() User { return s.opts.User }

// Authorize plays the user in the browser: it opens the authorize URL and
// returns the PIN shown; when the request asked for a callback, it follows
// the redirect to it instead and returns "".
func (s *Server) Authorize(authorizeURL string) (string, error) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authorizeURL)
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusFound:
		cb, err := http.Get(resp.Header.Get("Location"))
		if err != nil {
			return "", err
		}
		io.Copy(io.Discard, cb.Body)
		cb.Body.Close()
		if cb.StatusCode != http.StatusOK {
			return "", fmt.Errorf("the callback answered %s", cb.Status)
		}
		return "", nil
	case http.StatusOK:
		_, rest, ok := strings.Cut(string(body), "<code>")
		pin, _, ok2 := strings.Cut(rest, "</code>")
		if !ok || !ok2 {
			return "", fmt.Errorf("no PIN on the page")
		}
		return pin, nil
	}
	return "", fmt.Errorf("authorize answered %s", resp.Status)
}

func (s *Server) now() time.Time { return s.opts.Now() }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	endpoint, mediaID := mediaEndpoint(r.Method, r.URL.Path)
	var userID string
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/2/users/") && strings.HasSuffix(r.URL.Path, "/tweets") {
		userID = strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/2/users/"), "/tweets")
		endpoint = UserTweets
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[endpoint]++

	switch endpoint {
	case RequestToken:
		s.requestToken(w, r)
	case Authorize:
		s.authorize(w, r)
	case AccessToken:
		s.accessToken(w, r)
	case UsersMe, CreateTweet, UserTweets, MediaUpload, MediaInit, MediaAppend, MediaFinalize, MediaStatus, MediaMetadata:
		tok, ok := s.verifyAPI(w, r)
		if !ok {
			return
		}
		if endpoint != CreateTweet && s.popFailure(w, endpoint) {
			return
		}
		switch endpoint {
		case MediaUpload:
			s.uploadOnce(w, r, tok)
		case MediaInit:
			s.initUpload(w, r, tok)
		case MediaAppend:
			s.appendUpload(w, r, tok, mediaID)
		case MediaFinalize:
			s.finalize(w, tok, mediaID)
		case MediaStatus:
			s.status(w, r, tok)
		case MediaMetadata:
			s.metadata(w, r, tok)
		case UsersMe:
			s.rateHeaders(w, 75, 74, time.Time{})
			writeJSON(w, http.StatusOK, map[string]any{"data": map[string]string{
				"id": s.opts.User.ID, "name": s.opts.User.Name, "username": s.opts.User.Username,
			}})
		case CreateTweet:
			s.createTweet(w, r, tok)
		case UserTweets:
			s.userTweets(w, r, userID)
		}
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"title": "Not Found Error", "detail": "Sorry, that page does not exist.", "type": "https://api.twitter.com/2/problems/resource-not-found", "status": 404})
	}
}

// verify checks the request's OAuth signature with the consumer secret and
// tokenSecret(token), and returns the request's OAuth and other parameters.
func (s *Server) verify(r *http.Request, tokenSecret func(token string) (string, bool)) (map[string]string, bool) {
	oauth, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		s.sigFailures++
		return nil, false
	}
	params := []Param{}
	got := map[string]string{}
	for _, p := range oauth {
		if p.Name == "realm" {
			continue
		}
		if _, dup := got[p.Name]; dup {
			s.sigFailures++
			return nil, false
		}
		got[p.Name] = p.Value
		if p.Name != "oauth_signature" {
			params = append(params, p)
		}
	}
	q, err := formParams(r.URL.RawQuery)
	if err != nil {
		s.sigFailures++
		return nil, false
	}
	params = append(params, q...)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") && r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		f, err := formParams(string(b))
		if err != nil {
			s.sigFailures++
			return nil, false
		}
		params = append(params, f...)
	}

	if got["oauth_consumer_key"] != s.opts.ConsumerKey || got["oauth_signature_method"] != "HMAC-SHA1" ||
		got["oauth_nonce"] == "" || got["oauth_signature"] == "" {
		s.sigFailures++
		return nil, false
	}
	if v, ok := got["oauth_version"]; ok && v != "1.0" {
		s.sigFailures++
		return nil, false
	}
	ts, err := strconv.ParseInt(got["oauth_timestamp"], 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		s.sigFailures++
		return nil, false
	}
	secret, ok := tokenSecret(got["oauth_token"])
	if !ok {
		s.sigFailures++
		return nil, false
	}
	nonce := got["oauth_token"] + "\x00" + got["oauth_timestamp"] + "\x00" + got["oauth_nonce"]
	if s.nonces[nonce] {
		s.sigFailures++
		return nil, false
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := BaseString(r.Method, BaseURI(scheme, r.Host, r.URL.EscapedPath()), params)
	want := Sign(base, s.opts.ConsumerSecret, secret)
	if !hmac.Equal([]byte(want), []byte(got["oauth_signature"])) {
		s.sigFailures++
		return nil, false
	}
	s.nonces[nonce] = true
	for _, p := range params {
		got[p.Name] = p.Value
	}
	return got, true
}

func (s *Server) requestToken(w http.ResponseWriter, r *http.Request) {
	p, ok := s.verify(r, func(token string) (string, bool) { return "", token == "" })
	if !ok || p["oauth_callback"] == "" {
		writeRaw(w, http.StatusUnauthorized, "application/json", bodyCouldNotAuth)
		return
	}
	if cb := p["oauth_callback"]; cb != "oob" && len(s.opts.Callbacks) > 0 && !slices.Contains(s.opts.Callbacks, cb) {
		writeRaw(w, http.StatusForbidden, "application/xml;charset=utf-8", bodyCallback)
		return
	}
	if s.popFailure(w, RequestToken) {
		return
	}
	tok, secret := randomString(40), randomString(32)
	s.requestTokens[tok] = &requestToken{secret: secret, callback: p["oauth_callback"]}
	writeRaw(w, http.StatusOK, "text/html; charset=utf-8", url.Values{
		"oauth_token": {tok}, "oauth_token_secret": {secret}, "oauth_callback_confirmed": {"true"},
	}.Encode())
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("oauth_token")
	rt := s.requestTokens[tok]
	if rt == nil || rt.used {
		writeRaw(w, http.StatusBadRequest, "text/html; charset=utf-8", "<p>This page is no longer valid.</p>")
		return
	}
	if s.deny {
		if rt.callback == "oob" {
			writeRaw(w, http.StatusOK, "text/html; charset=utf-8", "<p>You did not authorize the app.</p>")
			return
		}
		http.Redirect(w, r, withQuery(rt.callback, url.Values{"denied": {tok}}), http.StatusFound)
		return
	}
	n, _ := rand.Int(rand.Reader, big.NewInt(9000000))
	rt.verifier = strconv.FormatInt(n.Int64()+1000000, 10)
	if rt.callback == "oob" {
		writeRaw(w, http.StatusOK, "text/html; charset=utf-8",
			`<div id="oauth_pin"><p>Next, return to the app and enter this PIN to complete the authorization process:</p><kbd aria-labelledby="code-desc"><code>`+rt.verifier+`</code></kbd></div>`)
		return
	}
	http.Redirect(w, r, withQuery(rt.callback, url.Values{"oauth_token": {tok}, "oauth_verifier": {rt.verifier}}), http.StatusFound)
}

func (s *Server) accessToken(w http.ResponseWriter, r *http.Request) {
	var rt *requestToken
	p, ok := s.verify(r, func(token string) (string, bool) {
		rt = s.requestTokens[token]
		if rt == nil || rt.used || rt.verifier == "" {
			return "", false
		}
		return rt.secret, true
	})
	if !ok {
		writeRaw(w, http.StatusUnauthorized, "application/json", bodyCouldNotAuth)
		return
	}
	if p["oauth_verifier"] != rt.verifier {
		writeRaw(w, http.StatusUnauthorized, "text/plain; charset=utf-8", bodyBadVerifier)
		return
	}
	if s.popFailure(w, AccessToken) {
		return
	}
	rt.used = true
	tok, secret := s.opts.User.ID+"-"+randomString(40), randomString(45)
	s.accessTokens[tok] = &accessToken{secret: secret, userID: s.opts.User.ID}
	writeRaw(w, http.StatusOK, "text/html; charset=utf-8", url.Values{
		"oauth_token": {tok}, "oauth_token_secret": {secret},
		"user_id": {s.opts.User.ID}, "screen_name": {s.opts.User.Username},
	}.Encode())
}

// verifyAPI checks a v2 request's signature with an access token.
func (s *Server) verifyAPI(w http.ResponseWriter, r *http.Request) (*accessToken, bool) {
	var at *accessToken
	_, ok := s.verify(r, func(token string) (string, bool) {
		at = s.accessTokens[token]
		if at == nil || at.revoked {
			return "", false
		}
		return at.secret, true
	})
	if !ok {
		writeRaw(w, http.StatusUnauthorized, "application/problem+json", BodyUnauthorized)
		return nil, false
	}
	return at, true
}

// popFailure answers with the next queued failure for endpoint, if any.
func (s *Server) popFailure(w http.ResponseWriter, endpoint string) bool {
	f, ok := s.nextFailure(endpoint)
	if !ok {
		return false
	}
	s.answerFailure(w, f)
	return true
}

func (s *Server) nextFailure(endpoint string) (Failure, bool) {
	return s.nextFailureFor(endpoint, "")
}

func (s *Server) nextFailureFor(endpoint, text string) (Failure, bool) {
	for i, f := range s.failures {
		if f.Endpoint == endpoint && (f.Text == "" || f.Text == text) {
			s.failures = append(s.failures[:i], s.failures[i+1:]...)
			return f, true
		}
	}
	return Failure{}, false
}

func (s *Server) answerFailure(w http.ResponseWriter, f Failure) {
	if f.Drop {
		hijackClose(w)
		return
	}
	body := f.Body
	if body == "" {
		switch f.Status {
		case http.StatusUnauthorized:
			body = BodyUnauthorized
		case http.StatusForbidden:
			body = BodyDuplicate
		case http.StatusTooManyRequests:
			body = BodyTooMany
		case http.StatusServiceUnavailable:
			body = BodyUnavailable
		case http.StatusBadRequest:
			body = BodyInvalid
		default:
			body = BodyServerError
		}
	}
	if f.Status == http.StatusTooManyRequests {
		reset := f.Reset
		if reset.IsZero() {
			reset = s.now().Add(15 * time.Minute)
		}
		s.rateHeaders(w, 100, 0, reset)
	}
	for k, v := range f.Header {
		w.Header()[http.CanonicalHeaderKey(k)] = v
	}
	writeRaw(w, f.Status, "application/problem+json", body)
}

// hijackClose drops the connection without an answer.
func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (s *Server) rateHeaders(w http.ResponseWriter, limit, remaining int, reset time.Time) {
	if reset.IsZero() {
		reset = s.now().Add(15 * time.Minute)
	}
	w.Header().Set("x-rate-limit-limit", strconv.Itoa(limit))
	w.Header().Set("x-rate-limit-remaining", strconv.Itoa(remaining))
	w.Header().Set("x-rate-limit-reset", strconv.FormatInt(reset.Unix(), 10))
}

type tweetRequest struct {
	Text  string `json:"text"`
	Reply struct {
		InReplyTo string `json:"in_reply_to_tweet_id"`
	} `json:"reply"`
	Media struct {
		IDs []string `json:"media_ids"`
	} `json:"media"`
}

func (s *Server) createTweet(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	var req tweetRequest
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.NewDecoder(r.Body).Decode(&req) != nil || strings.TrimSpace(req.Text) == "" {
		writeRaw(w, http.StatusBadRequest, "application/problem+json", BodyInvalid)
		return
	}
	if msg := s.checkPostMedia(tok.userID, req.Media.IDs); msg != "" {
		invalidRequest(w, msg)
		return
	}
	if s.beforeTweet != nil && !s.beforeTweet(req.Text, req.Reply.InReplyTo) {
		hijackClose(w)
		return
	}
	if f, ok := s.nextFailureFor(CreateTweet, req.Text); ok {
		if f.Created {
			t := s.take(tok.userID, req.Text, req.Reply.InReplyTo, req.Media.IDs...)
			if s.afterTweet != nil {
				s.afterTweet(t)
			}
		}
		s.answerFailure(w, f)
		return
	}
	if req.Reply.InReplyTo != "" && s.find(req.Reply.InReplyTo) == nil {
		writeRaw(w, http.StatusBadRequest, "application/problem+json",
			`{"errors":[{"parameters":{"reply.in_reply_to_tweet_id":["`+req.Reply.InReplyTo+`"]},"message":"The reply.in_reply_to_tweet_id parameter is invalid."}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`)
		return
	}
	for _, t := range s.tweets {
		if t.AuthorID == tok.userID && t.Text == req.Text {
			writeRaw(w, http.StatusForbidden, "application/problem+json", BodyDuplicate)
			return
		}
	}
	t := s.take(tok.userID, req.Text, req.Reply.InReplyTo, req.Media.IDs...)
	if s.afterTweet != nil {
		s.afterTweet(t)
	}
	s.rateHeaders(w, 100, 99, time.Time{})
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]any{
		"id": t.ID, "text": escapeText(t.Text), "edit_history_tweet_ids": []string{t.ID},
	}})
}

func (s *Server) take(author, text, replyTo string, mediaIDs ...string) Tweet {
	s.nextID++
	t := Tweet{ID: strconv.FormatInt(s.nextID, 10), AuthorID: author, Text: text, ReplyTo: replyTo, Created: s.now().UTC(), MediaIDs: slices.Clone(mediaIDs)}
	s.tweets = append(s.tweets, t)
	return t
}

func (s *Server) find(id string) *Tweet {
	for i := range s.tweets {
		if s.tweets[i].ID == id {
			return &s.tweets[i]
		}
	}
	return nil
}

func (s *Server) userTweets(w http.ResponseWriter, r *http.Request, userID string) {
	q := r.URL.Query()
	max := 10
	if v := q.Get("max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 100 {
			writeRaw(w, http.StatusBadRequest, "application/problem+json", BodyInvalid)
			return
		}
		max = n
	}
	var since time.Time
	if v := q.Get("start_time"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeRaw(w, http.StatusBadRequest, "application/problem+json", BodyInvalid)
			return
		}
		since = t
	}
	fields := map[string]bool{}
	for _, f := range strings.Split(q.Get("tweet.fields"), ",") {
		fields[f] = true
	}
	var mine []Tweet
	for _, t := range s.tweets {
		if t.AuthorID == userID && !t.Created.Before(since) {
			mine = append(mine, t)
		}
	}
	sort.SliceStable(mine, func(i, j int) bool { return mine[i].ID > mine[j].ID })
	if len(mine) > max {
		mine = mine[:max]
	}
	s.rateHeaders(w, 1500, 1499, time.Time{})
	if len(mine) == 0 {
		writeJSON(w, http.StatusOK, map[string]any{"meta": map[string]any{"result_count": 0}})
		return
	}
	data := make([]map[string]any, 0, len(mine))
	for _, t := range mine {
		text := escapeText(t.Text)
		if len(t.MediaIDs) > 0 {
			// X ends a post with media with a link to it.
			text += " https://t.co/" + t.ID[len(t.ID)-10:]
		}
		d := map[string]any{"id": t.ID, "text": text, "edit_history_tweet_ids": []string{t.ID}}
		if fields["created_at"] {
			d["created_at"] = t.Created.Format("2006-01-02T15:04:05.000Z")
		}
		if fields["referenced_tweets"] && t.ReplyTo != "" {
			d["referenced_tweets"] = []map[string]string{{"type": "replied_to", "id": t.ReplyTo}}
		}
		data = append(data, d)
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": map[string]any{
		"result_count": len(mine), "newest_id": mine[0].ID, "oldest_id": mine[len(mine)-1].ID,
	}})
}

// escapeText escapes text as X's v2 API returns it.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func withQuery(base string, v url.Values) string {
	if strings.Contains(base, "?") {
		return base + "&" + v.Encode()
	}
	return base + "?" + v.Encode()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	writeRaw(w, status, "application/json; charset=utf-8", string(b))
}

func writeRaw(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func randomString(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}
