// Package linkedintest is a stand-in for LinkedIn in Kaiku's tests: the
// OAuth 2.0 authorization-code flow of a member's own app (the consent
// page, the access token), OpenID Connect userinfo, and text posts through
// the versioned Posts API. It checks what LinkedIn checks: the app's client
// ID, registered redirect URLs and products (scopes), the state, one use
// per code, the client secret, the token on every call and its 60-day end,
// the LinkedIn-Version (YYYYMM, a version still served) and
// X-Restli-Protocol-Version headers, a post's fields and their values, and
// its length. It reads the commentary as little text, as LinkedIn does: an
// unescaped reserved character cuts the post there, which the fake records
// so that a test can see it. The same text again within a while is refused
// as DUPLICATE_POST, and a test can inject failures. Images go through the
// Images API: an uploaded image is PROCESSING for as many looks at its
// status as Options.ProcessingLooks says (or ends PROCESSING_FAILED, see
// FailProcessing), and a post naming one not yet AVAILABLE is refused.
package linkedintest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/kaiku-app/kaiku/accounts/remote/remotetest"
)

// The endpoints, as Failure.Endpoint names them.
const (
	Authorization = "GET /oauth/v2/authorization"
	Decide        = "POST /oauth/v2/authorization/decide"
	AccessToken   = "POST /oauth/v2/accessToken"
	UserInfo      = "GET /v2/userinfo"
	Posts         = "POST /rest/posts"
)

// DefaultRedirectURI is the redirect URL a new app has registered: the
// one Kaiku's README asks for.
const DefaultRedirectURI = "http://127.0.0.1:47812/callback"

// MaxLength is the longest text LinkedIn takes, in UTF-16 code units of the
// text it shows.
const MaxLength = 3000

// Options configure a Server.
type Options struct {
	ClientID, ClientSecret string // random when empty
	// RedirectURIs are the app's registered redirect URLs,
	// DefaultRedirectURI when empty; RegisterRedirect adds more.
	RedirectURIs []string
	// NoShareProduct is an app without the product "Share on LinkedIn":
	// asking for w_member_social fails with unauthorized_scope_error.
	NoShareProduct bool
	// TokenLifetime is how long an access token lasts; 60 days when 0.
	TokenLifetime time.Duration
	// DuplicateWindow is how long the same text from the same author is
	// refused as DUPLICATE_POST; a day when 0. LinkedIn does not say how
	// long its own is.
	DuplicateWindow time.Duration
	// The member: Sub is random when empty, the names Finnish ones.
	Sub, GivenName, FamilyName string
	Now                        func() time.Time
	// ProcessingLooks is how many looks at an uploaded image (GET
	// /rest/images/{urn}) find it PROCESSING before one finds it AVAILABLE;
	// 0 makes it AVAILABLE as soon as its bytes come. A post naming an
	// image not yet AVAILABLE is refused.
	ProcessingLooks int
}

// Post is a post the server took.
type Post struct {
	URN        string
	Author     string
	Commentary string // as sent
	// Text is what LinkedIn shows: the commentary read as little text,
	// cut short at an unescaped reserved character (Cut, at CutAt).
	Text     string
	Hashtags []string
	Cut      bool
	CutAt    int

	Visibility       string
	FeedDistribution string
	LifecycleState   string
	ReshareDisabled  bool
	Version          string // the LinkedIn-Version it came with
	Created          time.Time
	Images           []PostImage
}

// Failure is an injected failure for the next request to an endpoint.
// For a 429, a zero Reset sends no header, as LinkedIn's daily limits do;
// a Reset set sends Retry-After.
type Failure = remotetest.Failure

// Server is a running fake LinkedIn.
type Server struct {
	URL string
	srv *httptest.Server

	mu        sync.Mutex
	opts      Options
	redirects []string
	pending   map[string]*grant // consent pages shown, by their ID
	codes     map[string]*grant
	tokens    map[string]*token
	idTokens  []string
	posts     []Post
	images    []*Image
	uploads   int
	onUpload  func(n int)
	looks     int
	onLook    func(n int)
	// failProcessing are the uploads (from 1) that end PROCESSING_FAILED.
	failProcessing []int
	nextID         int64
	failures       remotetest.Failures
	counts         map[string]int
}

type grant struct {
	redirect, state string
	scopes          []string
	issued          time.Time
	used            bool
}

type token struct {
	scopes  []string
	expires time.Time
	revoked bool
}

// codeLife is how long LinkedIn takes an authorization code.
const codeLife = 30 * time.Minute

// New starts a server; Close stops it.
func New(opts Options) *Server {
	if opts.ClientID == "" {
		opts.ClientID = randomString(14)
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "WPL_AP1." + randomString(16) + "." + randomString(8)
	}
	if len(opts.RedirectURIs) == 0 {
		opts.RedirectURIs = []string{DefaultRedirectURI}
	}
	if opts.TokenLifetime == 0 {
		opts.TokenLifetime = 60 * 24 * time.Hour
	}
	if opts.DuplicateWindow == 0 {
		opts.DuplicateWindow = 24 * time.Hour
	}
	if opts.Sub == "" {
		opts.Sub = randomString(10)
	}
	if opts.GivenName == "" && opts.FamilyName == "" {
		opts.GivenName, opts.FamilyName = "Kaisa", "Kokeilija"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, redirects: slices.Clone(opts.RedirectURIs), pending: map[string]*grant{},
		codes: map[string]*grant{}, tokens: map[string]*token{}, counts: map[string]int{}, nextID: 7400000000000000000}
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

// ClientID is the app's client ID.
func (s *Server) ClientID() string { return s.opts.ClientID }

// ClientSecret is the app's client secret.
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

// AuthorURN is the member as an author, urn:li:person:{sub}.
func (s *Server) AuthorURN() string { return "urn:li:person:" + s.opts.Sub }

// Name is the member's full name, as userinfo gives it.
func (s *Server) Name() string { return strings.TrimSpace(s.opts.GivenName + " " + s.opts.FamilyName) }

// RegisterRedirect adds a redirect URL to the app, as its owner does in
// LinkedIn's developer portal.
func (s *Server) RegisterRedirect(uri string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redirects = append(s.redirects, uri)
}

// Fail queues failures; each answers one request to its endpoint, in order.
func (s *Server) Fail(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures.Add(f...)
}

// Posts are the posts taken, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.posts)
}

// Count is how many requests reached an endpoint.
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[endpoint]
}

// RevokeAll invalidates every token, as a member who removed the app.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.revoked = true
	}
}

// IssuedSecrets lists every secret the server handed out or holds: the
// client secret, codes, access tokens and ID tokens.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{s.opts.ClientSecret}
	for c := range s.codes {
		out = append(out, c)
	}
	for t := range s.tokens {
		out = append(out, t)
	}
	return append(out, s.idTokens...)
}

// Authorize plays the member in the browser: it opens the authorization
// URL, allows, and follows LinkedIn's redirect to the app's redirect URL.
func (s *Server) Authorize(authorizeURL string) error { return s.decide(authorizeURL, "allow") }

// Deny does the same but cancels on the consent page.
func (s *Server) Deny(authorizeURL string) error { return s.decide(authorizeURL, "cancel") }

func (s *Server) decide(authorizeURL, action string) error {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authorizeURL)
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		_, rest, ok := strings.Cut(string(page), `name="id" value="`)
		id, _, ok2 := strings.Cut(rest, `"`)
		if !ok || !ok2 {
			return fmt.Errorf("no consent form on the page")
		}
		resp, err = client.PostForm(s.URL+"/oauth/v2/authorization/decide", url.Values{"id": {id}, "action": {action}})
		if err != nil {
			return err
		}
		page, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if resp.StatusCode != http.StatusFound {
		return fmt.Errorf("authorization answered %s: %s", resp.Status, page)
	}
	cb, err := http.Get(resp.Header.Get("Location"))
	if err != nil {
		return err
	}
	io.Copy(io.Discard, cb.Body)
	cb.Body.Close()
	if cb.StatusCode != http.StatusOK {
		return fmt.Errorf("the redirect answered %s", cb.Status)
	}
	return nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	endpoint := r.Method + " " + r.URL.Path
	if r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/dms-uploads/") {
		endpoint = ImageUpload
	}
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/rest/images/") {
		endpoint = ImageStatus
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[endpoint]++
	if endpoint != Posts {
		if f, ok := s.failures.Next(endpoint); ok {
			s.answerFailure(w, f)
			return
		}
	}
	switch endpoint {
	case Authorization:
		s.authorize(w, r)
	case Decide:
		s.decideAnswer(w, r)
	case AccessToken:
		s.accessToken(w, r)
	case UserInfo:
		if s.bearer(w, r, "openid", "profile") != nil {
			remotetest.WriteJSON(w, http.StatusOK, map[string]any{"sub": s.opts.Sub, "name": s.Name(),
				"given_name": s.opts.GivenName, "family_name": s.opts.FamilyName,
				"picture": "https://media.licdn.com/dms/image/kaiku-test/profile.jpg", "locale": map[string]string{"country": "FI", "language": "fi"}})
		}
	case Posts:
		s.createPost(w, r)
	case ImagesInit:
		s.initializeUpload(w, r)
	case ImageUpload:
		s.upload(w, r)
	case ImageStatus:
		s.imageStatus(w, r)
	default:
		apiError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND", "No virtual resource found")
	}
}

// errorPage is what LinkedIn shows instead of redirecting, for a request
// it cannot trust to send anywhere.
func errorPage(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, "<!doctype html><title>LinkedIn</title><h1>Bummer, something went wrong.</h1><p>%s</p>\n", html.EscapeString(text))
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.ClientID {
		errorPage(w, "The passed in client_id is invalid \""+q.Get("client_id")+"\"")
		return
	}
	redirect := q.Get("redirect_uri")
	if !slices.Contains(s.redirects, redirect) {
		errorPage(w, "The redirect_uri does not match the registered value")
		return
	}
	if q.Get("response_type") != "code" {
		errorPage(w, "The response_type must be code")
		return
	}
	state := q.Get("state")
	if state == "" {
		// LinkedIn only recommends it; Kaiku must always send one.
		errorPage(w, "The state is missing: the answer could not be tied to this sign-in")
		return
	}
	scopes := strings.Fields(q.Get("scope"))
	if len(scopes) == 0 {
		redirectError(w, r, redirect, state, "invalid_request", "The scope is missing")
		return
	}
	for _, sc := range scopes {
		if !s.grantable(sc) {
			redirectError(w, r, redirect, state, "unauthorized_scope_error", fmt.Sprintf("Scope %q is not authorized for your application", sc))
			return
		}
	}
	id := randomString(20)
	s.pending[id] = &grant{redirect: redirect, state: state, scopes: scopes}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><title>LinkedIn</title><p>Kaiku would like to use your name, photo and post on your behalf (%s).</p>
<form method="post" action="/oauth/v2/authorization/decide"><input type="hidden" name="id" value="%s">
<button name="action" value="cancel">Cancel</button><button name="action" value="allow">Allow</button></form>
`, html.EscapeString(strings.Join(scopes, ", ")), id)
}

func (s *Server) grantable(scope string) bool {
	switch scope {
	case "openid", "profile", "email":
		return true
	case "w_member_social":
		return !s.opts.NoShareProduct
	}
	return false
}

func redirectError(w http.ResponseWriter, r *http.Request, redirect, state, code, desc string) {
	v := url.Values{"error": {code}, "error_description": {desc}, "state": {state}}
	http.Redirect(w, r, redirect+"?"+v.Encode(), http.StatusFound)
}

func (s *Server) decideAnswer(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	g := s.pending[r.PostForm.Get("id")]
	if g == nil {
		errorPage(w, "This sign-in has ended")
		return
	}
	delete(s.pending, r.PostForm.Get("id"))
	if r.PostForm.Get("action") != "allow" {
		redirectError(w, r, g.redirect, g.state, "user_cancelled_authorize", "The user cancelled the authorization")
		return
	}
	code := "AQ" + randomString(60)
	g.issued = s.opts.Now()
	s.codes[code] = g
	http.Redirect(w, r, g.redirect+"?"+url.Values{"code": {code}, "state": {g.state}}.Encode(), http.StatusFound)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	remotetest.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func (s *Server) accessToken(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || r.ParseForm() != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "A required parameter \"grant_type\" is missing")
		return
	}
	f := r.PostForm
	if f.Get("grant_type") != "authorization_code" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "A required parameter \"grant_type\" is missing or invalid")
		return
	}
	if f.Get("client_id") != s.opts.ClientID || f.Get("client_secret") != s.opts.ClientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed")
		return
	}
	g := s.codes[f.Get("code")]
	if g == nil || g.used || g.redirect != f.Get("redirect_uri") || s.opts.Now().Sub(g.issued) > codeLife {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists")
		return
	}
	g.used = true
	life := s.opts.TokenLifetime - time.Second // LinkedIn says 5183999 for its 60 days
	tok := "AQV" + randomString(120)
	s.tokens[tok] = &token{scopes: g.scopes, expires: s.opts.Now().Add(life)}
	answer := map[string]any{"access_token": tok, "expires_in": int64(life / time.Second), "scope": strings.Join(g.scopes, ","), "token_type": "Bearer"}
	if slices.Contains(g.scopes, "openid") {
		idt := jwtLike()
		s.idTokens = append(s.idTokens, idt)
		answer["id_token"] = idt
	}
	remotetest.WriteJSON(w, http.StatusOK, answer)
}

// apiError answers in the API's error shape.
func apiError(w http.ResponseWriter, status int, code, message string) {
	body := map[string]any{"status": status, "message": message}
	if code != "" {
		body["code"] = code
	}
	switch status {
	case http.StatusUnauthorized:
		body["serviceErrorCode"] = 65600
	case http.StatusForbidden:
		body["serviceErrorCode"] = 100
	case http.StatusTooManyRequests:
		body["serviceErrorCode"] = 101
	}
	remotetest.WriteJSON(w, status, body)
}

// inputError answers as LinkedIn does for a field it will not take.
// An empty path is an error of the whole post.
func inputError(w http.ResponseWriter, status int, path, message, code, description string) {
	input := map[string]any{}
	if path != "" {
		input["inputPath"] = map[string]string{"fieldPath": path}
	}
	remotetest.WriteJSON(w, status, map[string]any{
		"errorDetailType": "com.linkedin.common.error.BadRequest",
		"message":         message,
		"errorDetails": map[string]any{"inputErrors": []map[string]any{{
			"description": description, "input": input, "code": code}}},
		"status": status,
	})
}

// bearer checks the request's token and its scopes; nil means it answered.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request, scopes ...string) *token {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	t := s.tokens[tok]
	switch {
	case !ok || t == nil:
		apiError(w, http.StatusUnauthorized, "INVALID_ACCESS_TOKEN", "Invalid access token")
		return nil
	case t.revoked:
		apiError(w, http.StatusUnauthorized, "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user")
		return nil
	case !s.opts.Now().Before(t.expires):
		remotetest.WriteJSON(w, http.StatusUnauthorized, map[string]any{"status": 401, "serviceErrorCode": 65601,
			"code": "EXPIRED_ACCESS_TOKEN", "message": "The token used in the request has expired"})
		return nil
	}
	for _, sc := range scopes {
		if !slices.Contains(t.scopes, sc) {
			what := "userinfo.GET.NO_VERSION"
			if r.URL.Path == "/rest/posts" {
				what = "partnerApiPostsExternal.CREATE." + r.Header.Get("LinkedIn-Version") + "01"
			}
			apiError(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: "+what)
			return nil
		}
	}
	return t
}

var versionFormat = regexp.MustCompile(`^([0-9]{4})([0-9]{2})(\.[0-9]{2})?$`)

// versionServed reports whether LinkedIn serves a version at now: a month
// already released and less than a year old.
func versionServed(v string, now time.Time) (served, wellFormed bool) {
	m := versionFormat.FindStringSubmatch(v)
	if m == nil {
		return false, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if mo < 1 || mo > 12 {
		return false, false
	}
	now = now.UTC()
	age := (now.Year()-y)*12 + int(now.Month()) - mo
	return age >= 0 && age < 12, true
}

// required are a text post's fields; optional are those a post may have
// besides.
var (
	required = []string{"author", "commentary", "visibility", "distribution", "lifecycleState", "isReshareDisabledByAuthor"}
	optional = []string{"content", "contentLandingPage", "contentCallToActionLabel", "container", "reshareContext", "adContext"}
)

func (s *Server) createPost(w http.ResponseWriter, r *http.Request) {
	t := s.bearer(w, r)
	if t == nil {
		return
	}
	version := r.Header.Get("LinkedIn-Version")
	switch served, ok := versionServed(version, s.opts.Now()); {
	case version == "":
		apiError(w, http.StatusBadRequest, "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.")
		return
	case !ok:
		apiError(w, http.StatusBadRequest, "INVALID_VERSION", "Invalid LinkedIn-Version "+strconv.Quote(version)+"; expected YYYYMM")
		return
	case !served:
		apiError(w, http.StatusUpgradeRequired, "NONEXISTENT_VERSION", "Requested version "+version+" is not active")
		return
	}
	if p := r.Header.Get("X-Restli-Protocol-Version"); p != "2.0.0" {
		apiError(w, http.StatusBadRequest, "", "X-Restli-Protocol-Version must be 2.0.0, not "+strconv.Quote(p))
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		apiError(w, http.StatusUnsupportedMediaType, "", "Unsupported Content-Type "+strconv.Quote(ct))
		return
	}
	if s.bearer(w, r, "w_member_social") == nil {
		return
	}
	p, ok := s.readPost(w, r)
	if !ok {
		return
	}
	p.Version = version
	if p.Author != s.AuthorURN() {
		apiError(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.CREATE."+version+"01 as "+p.Author)
		return
	}
	f, failing := s.failures.Next(Posts)
	refuse := s.refusal(p)
	if failing {
		if f.Created && refuse == nil {
			s.take(&p)
		}
		// Taken or not, the answer fails.
		s.answerFailure(w, f)
		return
	}
	if refuse != nil {
		refuse(w)
		return
	}
	s.take(&p)
	w.Header().Set("X-RestLi-Id", p.URN)
	w.Header().Set("Location", "/rest/posts/"+url.PathEscape(p.URN))
	w.WriteHeader(http.StatusCreated)
}

// refusal is LinkedIn's answer to a post it will not take (too long, or
// the same text again), or nil.
func (s *Server) refusal(p Post) func(http.ResponseWriter) {
	if n := len(utf16.Encode([]rune(p.Text))); n > MaxLength {
		return func(w http.ResponseWriter) {
			inputError(w, http.StatusBadRequest, "/commentary",
				fmt.Sprintf("com.linkedin.content.common.exception.BadRequestResponseException: ShareCommentary text length (%d characters) exceeded the maximum allowed (%d characters)", n, MaxLength),
				"FIELD_LENGTH_TOO_LONG", "Length of the field cannot be higher than the maxLength")
		}
	}
	now := s.opts.Now()
	for _, old := range s.posts {
		if old.Author == p.Author && old.Text == p.Text && now.Sub(old.Created) < s.opts.DuplicateWindow {
			return func(w http.ResponseWriter) {
				inputError(w, http.StatusUnprocessableEntity, "",
					"com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of "+old.URN,
					"DUPLICATE_POST", "Duplicate post is detected")
			}
		}
	}
	return nil
}

func (s *Server) take(p *Post) {
	s.nextID++
	p.URN, p.Created = "urn:li:share:"+strconv.FormatInt(s.nextID, 10), s.opts.Now()
	s.posts = append(s.posts, *p)
}

// readPost reads and checks a post's body as LinkedIn does.
func (s *Server) readPost(w http.ResponseWriter, r *http.Request) (Post, bool) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var fields map[string]json.RawMessage
	if err != nil || json.Unmarshal(raw, &fields) != nil {
		apiError(w, http.StatusBadRequest, "", "Unable to parse the request body as JSON")
		return Post{}, false
	}
	for name := range fields {
		if !slices.Contains(required, name) && !slices.Contains(optional, name) {
			inputError(w, http.StatusUnprocessableEntity, "/"+name, "ERROR :: /"+name+" :: unrecognized field found but not allowed\n", "UNRECOGNIZED_FIELD", "Unrecognized field")
			return Post{}, false
		}
	}
	for _, name := range required {
		if _, ok := fields[name]; !ok {
			inputError(w, http.StatusUnprocessableEntity, "/"+name, "ERROR :: /"+name+" :: field is required but not found and has no default value\n", "FIELD_VALUE_MISSING", "Field is required")
			return Post{}, false
		}
	}
	var p Post
	var dist map[string]json.RawMessage
	wrong := func(path, want string) (Post, bool) {
		inputError(w, http.StatusUnprocessableEntity, path, "ERROR :: "+path+" :: "+want+"\n", "INVALID_VALUE", "Invalid value")
		return Post{}, false
	}
	switch {
	case json.Unmarshal(fields["author"], &p.Author) != nil || p.Author == "":
		return wrong("/author", "is not a URN")
	case json.Unmarshal(fields["commentary"], &p.Commentary) != nil:
		return wrong("/commentary", "is not a string")
	case json.Unmarshal(fields["visibility"], &p.Visibility) != nil || !slices.Contains([]string{"PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"}, p.Visibility):
		return wrong("/visibility", "is not an enum symbol")
	case json.Unmarshal(fields["lifecycleState"], &p.LifecycleState) != nil || !slices.Contains([]string{"PUBLISHED", "DRAFT"}, p.LifecycleState):
		return wrong("/lifecycleState", "is not an enum symbol")
	case json.Unmarshal(fields["isReshareDisabledByAuthor"], &p.ReshareDisabled) != nil:
		return wrong("/isReshareDisabledByAuthor", "is not a boolean")
	case json.Unmarshal(fields["distribution"], &dist) != nil:
		return wrong("/distribution", "is not a record")
	}
	if json.Unmarshal(dist["feedDistribution"], &p.FeedDistribution) != nil || !slices.Contains([]string{"MAIN_FEED", "NONE"}, p.FeedDistribution) {
		return wrong("/distribution/feedDistribution", "is not an enum symbol")
	}
	for _, name := range []string{"targetEntities", "thirdPartyDistributionChannels"} {
		var list []json.RawMessage
		if v, ok := dist[name]; !ok || json.Unmarshal(v, &list) != nil || list == nil {
			return wrong("/distribution/"+name, "is required and must be an array")
		}
	}
	if raw, ok := fields["content"]; ok {
		ims, path, why := s.readContent(raw, p.Author)
		if path != "" {
			return wrong(path, why)
		}
		p.Images = ims
	}
	if strings.TrimSpace(p.Commentary) == "" && len(p.Images) == 0 {
		return wrong("/commentary", "must not be empty for a post without content")
	}
	little := ParseLittle(p.Commentary)
	p.Text, p.Hashtags, p.Cut, p.CutAt = little.Text, little.Hashtags, little.Cut, little.CutAt
	return p, true
}

func (s *Server) answerFailure(w http.ResponseWriter, f Failure) {
	if f.Drop {
		remotetest.Drop(w)
		return
	}
	if f.Body != "" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		io.WriteString(w, f.Body)
		return
	}
	switch f.Status {
	case http.StatusUnauthorized:
		apiError(w, f.Status, "INVALID_ACCESS_TOKEN", "Invalid access token")
	case http.StatusForbidden:
		apiError(w, f.Status, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.CREATE.20261101")
	case http.StatusTooManyRequests:
		if !f.Reset.IsZero() {
			w.Header().Set("Retry-After", strconv.FormatInt(int64(max(f.Reset.Sub(s.opts.Now()), 0)/time.Second), 10))
		}
		apiError(w, f.Status, "TOO_MANY_REQUESTS", "Resource level throttle MEMBER DAY limit for calls to this resource is reached.")
	case http.StatusUnprocessableEntity:
		inputError(w, f.Status, "/commentary", "ERROR :: /commentary :: is not valid\n", "INVALID_VALUE", "Invalid value")
	default:
		apiError(w, f.Status, "", http.StatusText(f.Status))
	}
}

func randomString(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

// jwtLike is an ID token's shape: three base64url parts.
func jwtLike() string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","kid":"kaiku-test"}`)) + "." + enc([]byte(`{"iss":"https://www.linkedin.com/oauth","nonce":"`+randomString(12)+`"}`)) + "." + randomString(86)
}
