// Package mastodontest is a stand-in for a Mastodon instance in Kaiku's
// tests: app registration, OAuth with PKCE (S256) or the client secret,
// verify_credentials, the instance's limits, statuses and the account's
// timeline, and token revocation. It checks the protocol itself (the
// verifier against the challenge, the redirect URI, one use per code, the
// token on every call), answers with Mastodon's own error bodies and
// headers, and lets a test inject failures.
package mastodontest

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"image"
	_ "image/gif"  // uploads are checked as images
	_ "image/jpeg" // uploads are checked as images
	_ "image/png"  // uploads are checked as images
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/kaiku-app/kaiku/accounts/remote/remotetest"
)

// The endpoints, as Failure.Endpoint names them.
const (
	Apps       = "POST /api/v1/apps"
	Metadata   = "GET /.well-known/oauth-authorization-server"
	Authorize  = "GET /oauth/authorize"
	Token      = "POST /oauth/token"
	Revoke     = "POST /oauth/revoke"
	VerifyCred = "GET /api/v1/accounts/verify_credentials"
	InstanceV2 = "GET /api/v2/instance"
	Statuses   = "POST /api/v1/statuses"
	Timeline   = "GET /api/v1/accounts/:id/statuses"
	Upload     = "POST /api/v2/media"
	MediaGet   = "GET /api/v1/media/:id"
)

// Options configure a Server.
type Options struct {
	// PKCE makes the server publish its OAuth metadata with S256 and the
	// profile scope, as Mastodon 4.3 does; without it the server is an
	// older one that refuses "profile" and ignores a code challenge.
	PKCE bool
	// HonourIdempotency makes a repeated Idempotency-Key return the first
	// status, as Mastodon does; GoToSocial ignores it.
	HonourIdempotency bool
	MaxCharacters     int    // 500 when 0
	Domain            string // the account domain; the server's host when empty
	Username          string // "kaiku_tester" when empty
	// ImageSizeLimit is the instance's image_size_limit, 16 MiB when 0;
	// MaxMedia its max_media_attachments, 4 when 0.
	ImageSizeLimit int64
	MaxMedia       int
	// ProcessPolls makes an upload answer 202 Accepted, still processing,
	// and GET /api/v1/media/:id answer 206 that many times before it is done.
	ProcessPolls int
	Now          func() time.Time
}

// Media is an attachment the server took.
type Media struct {
	ID, Type, Description string
	Size, Width, Height   int
	// StatusID is the status that carries it, "" while none does.
	StatusID string
	polls    int // looks left before it is processed
}

// Status is a status the server took.
type Status struct {
	ID          string
	Text        string
	InReplyToID string
	Language    string
	Visibility  string
	Created     time.Time
	MediaIDs    []string
}

// Failure is an injected failure for the next request to an endpoint.
type Failure = remotetest.Failure

// Server is a running fake instance.
type Server struct {
	URL string
	srv *httptest.Server

	mu        sync.Mutex
	opts      Options
	apps      map[string]*app // by client ID
	codes     map[string]*grant
	tokens    map[string]*token
	statuses  []Status
	idem      map[string]string // idempotency key -> status ID
	media     map[string]*Media
	onUpload  func(n int)
	mediaList []string // media IDs, in upload order
	nextID    int64
	failures  remotetest.Failures
	counts    map[string]int
	headers   []http.Header // every request's headers, for leak checks
	challenge []string      // code challenges seen, in order
}

type app struct {
	id, secret string
	redirects  []string
	scopes     []string
}

type grant struct {
	app                  *app
	redirect, challenge  string
	method, scope, state string
	used                 bool
}

type token struct {
	app     *app
	scope   string
	revoked bool
}

// AccountID is the ID of the server's one account.
const AccountID = "109000000000000001"

// New starts a server; Close stops it.
func New(opts Options) *Server {
	if opts.MaxCharacters == 0 {
		opts.MaxCharacters = 500
	}
	if opts.Username == "" {
		opts.Username = "kaiku_tester"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ImageSizeLimit == 0 {
		opts.ImageSizeLimit = 16 << 20
	}
	if opts.MaxMedia == 0 {
		opts.MaxMedia = 4
	}
	s := &Server{opts: opts, apps: map[string]*app{}, codes: map[string]*grant{}, tokens: map[string]*token{},
		idem: map[string]string{}, media: map[string]*Media{}, counts: map[string]int{}, nextID: 110000000000000000}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	if s.opts.Domain == "" {
		u, _ := url.Parse(s.URL)
		s.opts.Domain = u.Host
	}
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
	s.failures.Add(f...)
}

// Statuses are the statuses taken, oldest first.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.statuses)
}

// AfterUpload calls fn(n) as the server takes its nth upload (from 1),
// before it answers; nil stops it.
func (s *Server) AfterUpload(fn func(n int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onUpload = fn
}

// Media are the attachments uploaded, in order.
func (s *Server) Media() []Media {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Media, 0, len(s.mediaList))
	for _, id := range s.mediaList {
		out = append(out, *s.media[id])
	}
	return out
}

// Count is how many requests reached an endpoint.
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[endpoint]
}

// Challenges are the PKCE code challenges the authorize step saw.
func (s *Server) Challenges() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.challenge)
}

// RevokeAll invalidates every token.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.revoked = true
	}
}

// ForgetApps drops every registered app, as an instance that was reset.
func (s *Server) ForgetApps() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apps = map[string]*app{}
}

// TokenRevoked reports whether a token was revoked.
func (s *Server) TokenRevoked(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[tok]
	return t != nil && t.revoked
}

// IssuedSecrets lists every secret the server handed out: client secrets,
// codes and access tokens.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, a := range s.apps {
		out = append(out, a.secret)
	}
	for c := range s.codes {
		out = append(out, c)
	}
	for t := range s.tokens {
		out = append(out, t)
	}
	return out
}

// Authorize plays the user in the browser: it opens the authorize URL and
// approves. For the out-of-band redirect it returns the code shown; for a
// loopback redirect it follows the redirect there and returns "".
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
			return "", fmt.Errorf("the redirect answered %s", cb.Status)
		}
		return "", nil
	case http.StatusOK:
		_, rest, ok := strings.Cut(string(body), `<input class="oob-token" readonly value="`)
		code, _, ok2 := strings.Cut(rest, `"`)
		if !ok || !ok2 {
			return "", fmt.Errorf("no code on the page")
		}
		return code, nil
	}
	return "", fmt.Errorf("authorize answered %s: %s", resp.Status, body)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	endpoint := r.Method + " " + r.URL.Path
	var pathID string
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/v1/accounts/") && strings.HasSuffix(r.URL.Path, "/statuses") {
		pathID = strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/accounts/"), "/statuses")
		endpoint = Timeline
	}
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/v1/media/") {
		pathID, endpoint = strings.TrimPrefix(r.URL.Path, "/api/v1/media/"), MediaGet
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[endpoint]++
	s.headers = append(s.headers, r.Header.Clone())
	if endpoint != Statuses && s.popFailure(w, endpoint) {
		return
	}
	switch endpoint {
	case Apps:
		s.registerApp(w, r)
	case Metadata:
		if !s.opts.PKCE {
			remotetest.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "Record not found"})
			return
		}
		remotetest.WriteJSON(w, http.StatusOK, map[string]any{
			"issuer": s.URL + "/", "authorization_endpoint": s.URL + "/oauth/authorize", "token_endpoint": s.URL + "/oauth/token",
			"revocation_endpoint": s.URL + "/oauth/revoke", "scopes_supported": []string{"read", "write", "write:statuses", "read:accounts", "profile"},
			"response_types_supported": []string{"code"}, "code_challenge_methods_supported": []string{"S256"},
			"grant_types_supported": []string{"authorization_code", "client_credentials"},
		})
	case Authorize:
		s.authorize(w, r)
	case Token:
		s.token(w, r)
	case Revoke:
		s.revoke(w, r)
	case InstanceV2:
		remotetest.WriteJSON(w, http.StatusOK, map[string]any{"domain": s.opts.Domain, "title": "Kaiku test", "version": "4.3.0",
			"languages": []string{"fi", "en"},
			"configuration": map[string]any{
				"statuses":          map[string]any{"max_characters": s.opts.MaxCharacters, "max_media_attachments": s.opts.MaxMedia, "characters_reserved_per_url": 23},
				"media_attachments": map[string]any{"supported_mime_types": mediaTypes, "image_size_limit": s.opts.ImageSizeLimit, "image_matrix_limit": 33177600, "video_size_limit": 103809024},
			}})
	case VerifyCred, Statuses, Timeline, Upload, MediaGet:
		if _, ok := s.bearer(w, r); !ok {
			return
		}
		switch endpoint {
		case Upload:
			s.upload(w, r)
		case MediaGet:
			s.getMedia(w, pathID)
		case VerifyCred:
			remotetest.WriteJSON(w, http.StatusOK, s.account())
		case Statuses:
			s.postStatus(w, r)
		case Timeline:
			s.timeline(w, r, pathID)
		}
	default:
		remotetest.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "Record not found"})
	}
}

func (s *Server) account() map[string]any {
	return map[string]any{"id": AccountID, "username": s.opts.Username, "acct": s.opts.Username,
		"display_name": "Kaiku Tester", "url": s.URL + "/@" + s.opts.Username}
}

func (s *Server) registerApp(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("client_name") == "" || r.PostForm.Get("redirect_uris") == "" {
		remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Name can't be blank, Redirect URI can't be blank"})
		return
	}
	scopes := strings.Fields(r.PostForm.Get("scopes"))
	if len(scopes) == 0 {
		scopes = []string{"read"}
	}
	for _, sc := range scopes {
		if !s.knownScope(sc) {
			remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Scopes are invalid"})
			return
		}
	}
	a := &app{id: randomString(43), secret: randomString(43), redirects: strings.Fields(r.PostForm.Get("redirect_uris")), scopes: scopes}
	s.apps[a.id] = a
	remotetest.WriteJSON(w, http.StatusOK, map[string]any{"id": strconv.Itoa(len(s.apps)), "name": r.PostForm.Get("client_name"),
		"redirect_uri": strings.Join(a.redirects, "\n"), "client_id": a.id, "client_secret": a.secret, "scopes": scopes})
}

func (s *Server) knownScope(sc string) bool {
	switch sc {
	case "read", "write", "write:statuses", "read:accounts":
		return true
	case "profile":
		return s.opts.PKCE // only the newer server knows it
	}
	return false
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a := s.apps[q.Get("client_id")]
	if a == nil {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
		return
	}
	redirect := q.Get("redirect_uri")
	if !slices.Contains(a.redirects, redirect) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_redirect_uri", "The redirect uri included is not valid.")
		return
	}
	if q.Get("response_type") != "code" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_response_type", "The authorization server does not support this response type.")
		return
	}
	for _, sc := range strings.Fields(q.Get("scope")) {
		if !slices.Contains(a.scopes, sc) {
			writeOAuthError(w, http.StatusBadRequest, "invalid_scope", "The requested scope is invalid, unknown, or malformed.")
			return
		}
	}
	g := &grant{app: a, redirect: redirect, scope: q.Get("scope"), state: q.Get("state")}
	if s.opts.PKCE && q.Get("code_challenge") != "" {
		if q.Get("code_challenge_method") != "S256" {
			writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Code challenge method must be S256.")
			return
		}
		g.challenge, g.method = q.Get("code_challenge"), "S256"
	}
	s.challenge = append(s.challenge, q.Get("code_challenge"))
	code := randomString(43)
	s.codes[code] = g
	if redirect == "urn:ietf:wg:oauth:2.0:oob" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<div class="form-container"><p>Copy this authorization code and paste it to the application.</p><input class="oob-token" readonly value="%s"></div>`, code)
		return
	}
	v := url.Values{"code": {code}}
	if g.state != "" {
		v.Set("state", g.state)
	}
	http.Redirect(w, r, redirect+"?"+v.Encode(), http.StatusFound)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The request is missing a required parameter.")
		return
	}
	f := r.PostForm
	if r.Header.Get("Authorization") != "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Kaiku sends its client credentials in the body.")
		return
	}
	a := s.apps[f.Get("client_id")]
	if a == nil || f.Get("client_secret") != a.secret {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
		return
	}
	if f.Get("grant_type") != "authorization_code" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
		return
	}
	g := s.codes[f.Get("code")]
	invalid := "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."
	if g == nil || g.used || g.app != a || g.redirect != f.Get("redirect_uri") {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", invalid)
		return
	}
	if g.challenge != "" {
		sum := sha256.Sum256([]byte(f.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", invalid)
			return
		}
	}
	g.used = true
	tok := randomString(43)
	s.tokens[tok] = &token{app: a, scope: g.scope}
	remotetest.WriteJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "scope": g.scope, "created_at": s.opts.Now().Unix()})
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	a := s.apps[r.PostForm.Get("client_id")]
	if a == nil || r.PostForm.Get("client_secret") != a.secret {
		writeOAuthError(w, http.StatusForbidden, "unauthorized_client", "You are not authorized to revoke this token")
		return
	}
	if t := s.tokens[r.PostForm.Get("token")]; t != nil && t.app == a {
		t.revoked = true
	}
	remotetest.WriteJSON(w, http.StatusOK, map[string]any{})
}

func (s *Server) bearer(w http.ResponseWriter, r *http.Request) (*token, bool) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	t := s.tokens[tok]
	if !ok || t == nil || t.revoked {
		remotetest.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "The access token is invalid"})
		return nil, false
	}
	return t, true
}

func (s *Server) postStatus(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		remotetest.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "Bad request"})
		return
	}
	f := r.PostForm
	text := f.Get("status")
	if key := r.Header.Get("Idempotency-Key"); key != "" && s.opts.HonourIdempotency {
		if id, ok := s.idem[key]; ok {
			remotetest.WriteJSON(w, http.StatusOK, s.statusJSON(*s.find(id)))
			return
		}
	}
	ids := f["media_ids[]"]
	if msg := s.checkMedia(ids); msg != "" {
		remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": msg})
		return
	}
	if fl, ok := s.nextFailure(Statuses); ok {
		if fl.Created {
			s.take(text, f.Get("in_reply_to_id"), f.Get("language"), f.Get("visibility"), r.Header.Get("Idempotency-Key"), ids)
		}
		s.answerFailure(w, fl)
		return
	}
	if strings.TrimSpace(text) == "" && len(ids) == 0 {
		remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Text can't be blank"})
		return
	}
	if n := uniseg.GraphemeClusterCount(text); n > s.opts.MaxCharacters {
		remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": fmt.Sprintf("Validation failed: Text character limit of %d exceeded", s.opts.MaxCharacters)})
		return
	}
	if id := f.Get("in_reply_to_id"); id != "" && s.find(id) == nil {
		remotetest.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "Record not found"})
		return
	}
	switch f.Get("visibility") {
	case "", "public", "unlisted", "private", "direct":
	default:
		remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Visibility is not included in the list"})
		return
	}
	st := s.take(text, f.Get("in_reply_to_id"), f.Get("language"), f.Get("visibility"), r.Header.Get("Idempotency-Key"), ids)
	remotetest.WriteJSON(w, http.StatusOK, s.statusJSON(st))
}

func (s *Server) take(text, replyTo, lang, vis, key string, mediaIDs []string) Status {
	s.nextID++
	if vis == "" {
		vis = "unlisted" // what a new account defaults to on some servers
	}
	st := Status{ID: strconv.FormatInt(s.nextID, 10), Text: text, InReplyToID: replyTo, Language: lang, Visibility: vis, Created: s.opts.Now().UTC(),
		MediaIDs: slices.Clone(mediaIDs)}
	for _, id := range mediaIDs {
		s.media[id].StatusID = st.ID
	}
	s.statuses = append(s.statuses, st)
	if key != "" {
		s.idem[key] = st.ID
	}
	return st
}

func (s *Server) find(id string) *Status {
	for i := range s.statuses {
		if s.statuses[i].ID == id {
			return &s.statuses[i]
		}
	}
	return nil
}

// statusJSON is a status as Mastodon shows it: HTML content, no source.
func (s *Server) statusJSON(st Status) map[string]any {
	var replyTo any
	if st.InReplyToID != "" {
		replyTo = st.InReplyToID
	}
	paras := strings.Split(st.Text, "\n\n")
	for i, p := range paras {
		paras[i] = strings.ReplaceAll(html.EscapeString(p), "\n", "<br>")
	}
	return map[string]any{"id": st.ID, "uri": s.URL + "/users/" + s.opts.Username + "/statuses/" + st.ID,
		"url": s.URL + "/@" + s.opts.Username + "/" + st.ID, "content": "<p>" + strings.Join(paras, "</p><p>") + "</p>",
		"in_reply_to_id": replyTo, "language": st.Language, "visibility": st.Visibility,
		"created_at": st.Created.Format("2006-01-02T15:04:05.000Z"), "account": s.account(), "media_attachments": s.attachments(st.MediaIDs)}
}

func (s *Server) attachments(ids []string) []map[string]any {
	out := []map[string]any{}
	for _, id := range ids {
		out = append(out, s.mediaJSON(s.media[id]))
	}
	return out
}

// mediaTypes are the image types the instance says it takes.
var mediaTypes = []string{"image/jpeg", "image/png", "image/gif", "video/mp4"}

// checkMedia refuses what Mastodon refuses of a status's media_ids[]:
// more than the instance takes, an ID not uploaded, one still processing,
// one another status carries already.
func (s *Server) checkMedia(ids []string) string {
	if len(ids) > s.opts.MaxMedia {
		return fmt.Sprintf("Validation failed: Media attachments You can attach up to %d media attachments", s.opts.MaxMedia)
	}
	for i, id := range ids {
		m := s.media[id]
		switch {
		case m == nil || slices.Contains(ids[:i], id):
			return "Validation failed: Media attachments are invalid"
		case m.polls > 0:
			return "Cannot attach files that have not finished processing. Try again in a moment!"
		case m.StatusID != "":
			return "Validation failed: Media attachments already attached to a status"
		}
	}
	return ""
}

// upload takes POST /api/v2/media: a multipart form with the file and its
// description, checked as Mastodon checks them.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(64 << 20); err != nil {
		remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: File can't be blank"})
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: File can't be blank"})
		return
	}
	data, _ := io.ReadAll(file)
	file.Close()
	typ := hdr.Header.Get("Content-Type")
	desc := r.FormValue("description")
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err != nil || !slices.Contains(mediaTypes, typ) || "image/"+format != typ:
		remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: File content type is invalid, File is invalid"})
		return
	case int64(len(data)) > s.opts.ImageSizeLimit:
		remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": fmt.Sprintf("Validation failed: File file size must be less than %d Bytes", s.opts.ImageSizeLimit)})
		return
	case utf8.RuneCountInString(desc) > 1500:
		remotetest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Description is too long (maximum is 1500 characters)"})
		return
	}
	s.nextID++
	m := &Media{ID: strconv.FormatInt(s.nextID, 10), Type: typ, Description: desc, Size: len(data), Width: cfg.Width, Height: cfg.Height, polls: s.opts.ProcessPolls}
	s.media[m.ID] = m
	s.mediaList = append(s.mediaList, m.ID)
	if s.onUpload != nil {
		s.onUpload(len(s.mediaList))
	}
	status := http.StatusOK
	if m.polls > 0 {
		status = http.StatusAccepted
	}
	remotetest.WriteJSON(w, status, s.mediaJSON(m))
}

func (s *Server) getMedia(w http.ResponseWriter, id string) {
	m := s.media[id]
	if m == nil {
		remotetest.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "Record not found"})
		return
	}
	if m.polls > 0 {
		remotetest.WriteJSON(w, http.StatusPartialContent, s.mediaJSON(m))
		m.polls--
		return
	}
	remotetest.WriteJSON(w, http.StatusOK, s.mediaJSON(m))
}

// mediaJSON is an attachment as Mastodon shows it: no URL while processing.
func (s *Server) mediaJSON(m *Media) map[string]any {
	var u, desc any
	if m.polls == 0 {
		u = s.URL + "/system/media_attachments/files/" + m.ID + "/original/" + path.Base(m.Type)
	}
	if m.Description != "" {
		desc = m.Description
	}
	return map[string]any{"id": m.ID, "type": "image", "url": u, "preview_url": u, "description": desc,
		"meta": map[string]any{"original": map[string]any{"width": m.Width, "height": m.Height, "size": fmt.Sprintf("%dx%d", m.Width, m.Height)}}}
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request, id string) {
	if id != AccountID {
		remotetest.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "Record not found"})
		return
	}
	limit := 20
	if v, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && v > 0 {
		limit = min(v, 40)
	}
	out := []map[string]any{}
	for i := len(s.statuses) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, s.statusJSON(s.statuses[i]))
	}
	remotetest.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) popFailure(w http.ResponseWriter, endpoint string) bool {
	f, ok := s.nextFailure(endpoint)
	if ok {
		s.answerFailure(w, f)
	}
	return ok
}

func (s *Server) nextFailure(endpoint string) (Failure, bool) { return s.failures.Next(endpoint) }

func (s *Server) answerFailure(w http.ResponseWriter, f Failure) {
	if f.Drop {
		remotetest.Drop(w)
		return
	}
	body := f.Body
	if body == "" {
		switch f.Status {
		case http.StatusUnauthorized:
			body = `{"error":"The access token is invalid"}`
		case http.StatusTooManyRequests:
			body = `{"error":"Too many requests"}`
		case http.StatusUnprocessableEntity:
			body = `{"error":"Validation failed: Text character limit of 500 exceeded"}`
		case http.StatusServiceUnavailable:
			body = `{"error":"Service Unavailable"}`
		default:
			body = `{"error":"We're sorry, but something went wrong on our end."}`
		}
	}
	if f.Status == http.StatusTooManyRequests {
		reset := f.Reset
		if reset.IsZero() {
			reset = s.opts.Now().Add(5 * time.Minute)
		}
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000000Z"))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(f.Status)
	io.WriteString(w, body)
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	remotetest.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
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
