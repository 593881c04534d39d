// Package blueskytest is a stand-in for an atproto PDS (and its PLC
// directory) in Kaiku's tests: sessions with expiring access tokens and
// one-use refresh tokens, handle resolution, putRecord, getRecord and
// uploadBlob. It checks what a real PDS checks of a post record (length in
// graphemes and bytes, createdAt, the record key is a TID, facets lie on
// the text's byte boundaries, reply refs and blobs exist), keeps putRecord
// of an unchanged record a no-op, answers with the PDS's own error bodies,
// and lets a test inject failures.
package blueskytest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/kaiku-app/kaiku/accounts/remote/remotetest"
)

// The endpoints, as Failure.Endpoint names them.
const (
	CreateSession  = "POST /xrpc/com.atproto.server.createSession"
	RefreshSession = "POST /xrpc/com.atproto.server.refreshSession"
	ResolveHandle  = "GET /xrpc/com.atproto.identity.resolveHandle"
	PutRecord      = "POST /xrpc/com.atproto.repo.putRecord"
	GetRecord      = "GET /xrpc/com.atproto.repo.getRecord"
	UploadBlob     = "POST /xrpc/com.atproto.repo.uploadBlob"
	PLC            = "GET /plc/:did"
	DIDWeb         = "GET /.well-known/did.json"
)

// MaxBlob is the largest blob the server takes.
const MaxBlob = 1_000_000

// Options configure a Server.
type Options struct {
	Handle string // "tester.test" when empty
	// AccessTTL is how long an access token lasts; two hours when 0.
	AccessTTL time.Duration
	// OmitDIDDoc leaves the DID document out of createSession's answer, so
	// that the client must resolve it through the PLC directory (/plc).
	OmitDIDDoc bool
	// Deactivated makes the account sign in as not active, as a
	// deactivated or taken-down account does.
	Deactivated bool
	// Others are other accounts' handles, for mentions: handle -> DID.
	Others map[string]string
	Now    func() time.Time
}

// Record is a post record the server holds.
type Record struct {
	RKey  string
	CID   string
	Value map[string]any
}

// Failure is an injected failure for the next request to an endpoint.
type Failure = remotetest.Failure

// Server is a running fake PDS.
type Server struct {
	URL string
	DID string
	srv *httptest.Server

	mu          sync.Mutex
	opts        Options
	appPassword string
	access      map[string]time.Time // token -> expiry
	refresh     map[string]bool      // token -> still good
	records     map[string]*Record   // by rkey
	order       []string
	blobs       map[string]int
	uploads     int
	onUpload    func(n int)
	failures    remotetest.Failures
	counts      map[string]int
	writes      int // putRecord calls that changed the repository
}

// New starts a server; Close stops it.
func New(opts Options) *Server {
	if opts.Handle == "" {
		opts.Handle = "tester.test"
	}
	if opts.AccessTTL == 0 {
		opts.AccessTTL = 2 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, DID: "did:plc:" + strings.ToLower(random(15))[:24], appPassword: appPassword(),
		access: map[string]time.Time{}, refresh: map[string]bool{}, records: map[string]*Record{},
		blobs: map[string]int{}, counts: map[string]int{}}
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

// Handle is the account's handle.
func (s *Server) Handle() string { return s.opts.Handle }

// AppPassword is the account's app password.
func (s *Server) AppPassword() string { return s.appPassword }

// WebDID is the did:web of the server's host, whose document
// (/.well-known/did.json) names the server as the PDS.
func (s *Server) WebDID() string {
	return "did:web:" + strings.ReplaceAll(strings.TrimPrefix(s.URL, "http://"), ":", "%3A")
}

// PLCDirectory is the address of the server's PLC directory.
func (s *Server) PLCDirectory() string { return s.URL + "/plc" }

// Fail queues failures; each answers one request to its endpoint, in order.
func (s *Server) Fail(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures.Add(f...)
}

// Records are the post records, in the order they were first written.
func (s *Server) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Record, 0, len(s.order))
	for _, k := range s.order {
		out = append(out, *s.records[k])
	}
	return out
}

// Writes counts the putRecord calls that changed the repository.
func (s *Server) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// Count is how many requests reached an endpoint.
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[endpoint]
}

// IssuedSecrets lists the app password and every token handed out.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{s.appPassword}
	for t := range s.access {
		out = append(out, t)
	}
	for t := range s.refresh {
		out = append(out, t)
	}
	return out
}

// ExpireAccess ends every access token now, as time passing would.
func (s *Server) ExpireAccess() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.access {
		s.access[t] = time.Time{}
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	endpoint := r.Method + " " + r.URL.Path
	if strings.HasPrefix(r.URL.Path, "/plc/") {
		endpoint = PLC
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[endpoint]++
	if endpoint != PutRecord && s.popFailure(w, endpoint) {
		return
	}
	switch endpoint {
	case CreateSession:
		s.createSession(w, r)
	case RefreshSession:
		s.refreshSession(w, r)
	case ResolveHandle:
		s.resolveHandle(w, r)
	case DIDWeb:
		doc := s.didDoc()
		doc["id"] = s.WebDID()
		remotetest.WriteJSON(w, http.StatusOK, doc)
	case PLC:
		if strings.TrimPrefix(r.URL.Path, "/plc/") != s.DID {
			xrpcError(w, http.StatusNotFound, "NotFound", "DID not registered: "+strings.TrimPrefix(r.URL.Path, "/plc/"))
			return
		}
		remotetest.WriteJSON(w, http.StatusOK, s.didDoc())
	case PutRecord:
		if s.auth(w, r) {
			s.putRecord(w, r)
		}
	case GetRecord:
		s.getRecord(w, r)
	case UploadBlob:
		if s.auth(w, r) {
			s.uploadBlob(w, r)
		}
	default:
		xrpcError(w, http.StatusNotImplemented, "MethodNotImplemented", "Method Not Implemented")
	}
}

func (s *Server) didDoc() map[string]any {
	return map[string]any{
		"@context":    []string{"https://www.w3.org/ns/did/v1"},
		"id":          s.DID,
		"alsoKnownAs": []string{"at://" + s.opts.Handle},
		"service":     []map[string]string{{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": s.URL}},
	}
}

func (s *Server) newSession() map[string]any {
	now := s.opts.Now()
	access, refresh := s.jwt("com.atproto.appPass", now.Add(s.opts.AccessTTL)), s.jwt("com.atproto.refresh", now.Add(90*24*time.Hour))
	s.access[access] = now.Add(s.opts.AccessTTL)
	s.refresh[refresh] = true
	out := map[string]any{"did": s.DID, "handle": s.opts.Handle, "accessJwt": access, "refreshJwt": refresh, "active": !s.opts.Deactivated}
	if s.opts.Deactivated {
		out["status"] = "deactivated"
	}
	if !s.opts.OmitDIDDoc {
		out["didDoc"] = s.didDoc()
	}
	return out
}

func (s *Server) jwt(scope string, exp time.Time) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"typ":"at+jwt","alg":"HS256"}`))
	body, _ := json.Marshal(map[string]any{"scope": scope, "sub": s.DID, "iat": s.opts.Now().Unix(), "exp": exp.Unix(), "aud": "did:web:localhost", "jti": random(8)})
	return head + "." + enc.EncodeToString(body) + "." + enc.EncodeToString([]byte(random(32)))
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	var in struct{ Identifier, Password string }
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.NewDecoder(r.Body).Decode(&in) != nil {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Wrong request encoding (Content-Type): ")
		return
	}
	id := strings.ToLower(in.Identifier)
	if (id != s.opts.Handle && id != s.DID && id != "tester@example.test") || in.Password != s.appPassword {
		xrpcError(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
		return
	}
	remotetest.WriteJSON(w, http.StatusOK, s.newSession())
}

func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !s.refresh[tok] {
		xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has been revoked")
		return
	}
	s.refresh[tok] = false
	remotetest.WriteJSON(w, http.StatusOK, s.newSession())
}

// auth checks the access token as a PDS does: none is 401, a bad one 400.
func (s *Server) auth(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if h == "" {
		xrpcError(w, http.StatusUnauthorized, "AuthMissing", "Authentication Required")
		return false
	}
	tok, _ := strings.CutPrefix(h, "Bearer ")
	exp, ok := s.access[tok]
	switch {
	case !ok:
		xrpcError(w, http.StatusBadRequest, "InvalidToken", "Token could not be verified")
		return false
	case !s.opts.Now().Before(exp):
		xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
		return false
	}
	return true
}

func (s *Server) resolveHandle(w http.ResponseWriter, r *http.Request) {
	h := strings.ToLower(r.URL.Query().Get("handle"))
	if h == s.opts.Handle {
		remotetest.WriteJSON(w, http.StatusOK, map[string]string{"did": s.DID})
		return
	}
	if did, ok := s.opts.Others[h]; ok {
		remotetest.WriteJSON(w, http.StatusOK, map[string]string{"did": did})
		return
	}
	xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Unable to resolve handle")
}

var tidPattern = regexp.MustCompile(`^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`)

func (s *Server) putRecord(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Repo       string          `json:"repo"`
		Collection string          `json:"collection"`
		RKey       string          `json:"rkey"`
		Record     json.RawMessage `json:"record"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Input must be JSON")
		return
	}
	if in.Repo != s.DID && in.Repo != s.opts.Handle {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Could not find repo: "+in.Repo)
		return
	}
	if in.Collection != "app.bsky.feed.post" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Kaiku's fake only holds posts")
		return
	}
	if !tidPattern.MatchString(in.RKey) {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Invalid record key: "+in.RKey)
		return
	}
	var value map[string]any
	if err := json.Unmarshal(in.Record, &value); err != nil {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.post record: Record must be an object")
		return
	}
	if msg := s.checkPost(value); msg != "" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.post record: "+msg)
		return
	}
	canon, _ := json.Marshal(value)
	cid := cidOf(canon)
	uri := "at://" + s.DID + "/app.bsky.feed.post/" + in.RKey
	fail, failing := s.nextFailure(PutRecord)
	if failing && !fail.Created {
		s.answerFailure(w, fail)
		return
	}
	old := s.records[in.RKey]
	if old != nil && old.CID == cid {
		remotetest.WriteJSON(w, http.StatusOK, map[string]any{"uri": uri, "cid": cid})
		return
	}
	if old == nil {
		s.order = append(s.order, in.RKey)
	}
	s.records[in.RKey] = &Record{RKey: in.RKey, CID: cid, Value: value}
	s.writes++
	if failing {
		s.answerFailure(w, fail)
		return
	}
	remotetest.WriteJSON(w, http.StatusOK, map[string]any{"uri": uri, "cid": cid, "commit": map[string]string{"cid": cidOf([]byte(uri + cid)), "rev": in.RKey}, "validationStatus": "valid"})
}

// checkPost is the post lexicon's checks; "" when the record passes.
func (s *Server) checkPost(v map[string]any) string {
	if v["$type"] != "app.bsky.feed.post" {
		return "Record/$type must be app.bsky.feed.post"
	}
	text, ok := v["text"].(string)
	if !ok {
		return `Record must have the property "text"`
	}
	if n := uniseg.GraphemeClusterCount(text); n > 300 {
		return fmt.Sprintf("grapheme too big (maximum 300, got %d) at $.record.text", n)
	}
	if len(text) > 3000 {
		return fmt.Sprintf("string too long (maximum 3000, got %d) at $.record.text", len(text))
	}
	created, ok := v["createdAt"].(string)
	if _, err := time.Parse(time.RFC3339Nano, created); !ok || err != nil {
		return `Record must have the property "createdAt"`
	}
	facets, _ := v["facets"].([]any)
	for i, f := range facets {
		fm, _ := f.(map[string]any)
		idx, _ := fm["index"].(map[string]any)
		start, ok1 := idx["byteStart"].(float64)
		end, ok2 := idx["byteEnd"].(float64)
		if !ok1 || !ok2 || start < 0 || end <= start || int(end) > len(text) ||
			!utf8.RuneStart(text[int(start)]) || (int(end) < len(text) && !utf8.RuneStart(text[int(end)])) {
			return fmt.Sprintf("Record/facets/%d/index is not a slice of the text's bytes", i)
		}
		feats, _ := fm["features"].([]any)
		if len(feats) == 0 {
			return fmt.Sprintf("Record/facets/%d/features must not be empty", i)
		}
		for _, ft := range feats {
			fe, _ := ft.(map[string]any)
			switch fe["$type"] {
			case "app.bsky.richtext.facet#link":
				if u, _ := fe["uri"].(string); !strings.Contains(u, "://") {
					return fmt.Sprintf("Record/facets/%d/features/0/uri must be a uri", i)
				}
			case "app.bsky.richtext.facet#tag":
				if t, _ := fe["tag"].(string); t == "" || strings.HasPrefix(t, "#") || uniseg.GraphemeClusterCount(t) > 64 {
					return fmt.Sprintf("Record/facets/%d/features/0/tag is not a tag", i)
				}
			case "app.bsky.richtext.facet#mention":
				if d, _ := fe["did"].(string); !strings.HasPrefix(d, "did:") {
					return fmt.Sprintf("Record/facets/%d/features/0/did must be a did", i)
				}
			default:
				return fmt.Sprintf("Record/facets/%d/features/0 has an unknown $type", i)
			}
		}
	}
	if reply, ok := v["reply"].(map[string]any); ok {
		for _, k := range []string{"root", "parent"} {
			ref, _ := reply[k].(map[string]any)
			uri, _ := ref["uri"].(string)
			cid, _ := ref["cid"].(string)
			rec := s.records[uri[strings.LastIndexByte(uri, '/')+1:]]
			if rec == nil || rec.CID != cid || !strings.HasPrefix(uri, "at://"+s.DID+"/app.bsky.feed.post/") {
				return "Record/reply/" + k + " does not point at a post that exists"
			}
		}
	}
	if embed, ok := v["embed"].(map[string]any); ok {
		switch embed["$type"] {
		case "app.bsky.embed.external":
			return s.checkExternal(embed)
		case "app.bsky.embed.images":
			return s.checkImages(embed)
		}
		return "Record/embed has an unknown $type"
	}
	return ""
}

// checkExternal checks a link card as the lexicon app.bsky.embed.external does.
func (s *Server) checkExternal(embed map[string]any) string {
	ext, _ := embed["external"].(map[string]any)
	if u, _ := ext["uri"].(string); u == "" {
		return "Record/embed/external/uri is required"
	}
	if _, ok := ext["title"].(string); !ok {
		return `Record/embed/external must have the property "title"`
	}
	if thumb, ok := ext["thumb"].(map[string]any); ok && !s.uploaded(thumb, "image/") {
		return "Record/embed/external/thumb is not a blob that was uploaded"
	}
	return ""
}

// checkImages checks images as the lexicon app.bsky.embed.images does: one
// to four, each an uploaded image blob with an alt text and, if any, an
// aspect ratio of positive integers.
func (s *Server) checkImages(embed map[string]any) string {
	ims, ok := embed["images"].([]any)
	if !ok || len(ims) == 0 || len(ims) > 4 {
		return "Record/embed/images must be an array of 1 to 4 images"
	}
	for i, x := range ims {
		im, _ := x.(map[string]any)
		at := fmt.Sprintf("Record/embed/images/%d", i)
		blob, _ := im["image"].(map[string]any)
		if !s.uploaded(blob, "image/") {
			return at + "/image is not an image blob that was uploaded"
		}
		if _, ok := im["alt"].(string); !ok {
			return at + ` must have the property "alt"`
		}
		if ar, ok := im["aspectRatio"]; ok {
			r, _ := ar.(map[string]any)
			w, wok := r["width"].(float64)
			h, hok := r["height"].(float64)
			if !wok || !hok || w < 1 || h < 1 || w != float64(int64(w)) || h != float64(int64(h)) {
				return at + "/aspectRatio must have positive integer width and height"
			}
		}
	}
	return ""
}

// uploaded reports whether a blob ref names a blob uploaded here, of a
// MIME type with the prefix and the size it was uploaded with.
func (s *Server) uploaded(blob map[string]any, typePrefix string) bool {
	ref, _ := blob["ref"].(map[string]any)
	link, _ := ref["$link"].(string)
	size, ok := s.blobs[link]
	mt, _ := blob["mimeType"].(string)
	n, _ := blob["size"].(float64)
	return ok && blob["$type"] == "blob" && strings.HasPrefix(mt, typePrefix) && int(n) == size
}

func (s *Server) getRecord(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	uri := "at://" + s.DID + "/" + q.Get("collection") + "/" + q.Get("rkey")
	rec := s.records[q.Get("rkey")]
	if (q.Get("repo") != s.DID && q.Get("repo") != s.opts.Handle) || q.Get("collection") != "app.bsky.feed.post" || rec == nil {
		xrpcError(w, http.StatusBadRequest, "RecordNotFound", "Could not locate record: "+uri)
		return
	}
	remotetest.WriteJSON(w, http.StatusOK, map[string]any{"uri": uri, "cid": rec.CID, "value": rec.Value})
}

func (s *Server) uploadBlob(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(io.LimitReader(r.Body, MaxBlob+1))
	if len(b) > MaxBlob {
		xrpcError(w, http.StatusBadRequest, "BlobTooLarge", fmt.Sprintf("This file is too large. It is %d but the maximum size is %d.", r.ContentLength, MaxBlob))
		return
	}
	mt := r.Header.Get("Content-Type")
	if mt == "" || len(b) == 0 {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Request encoding (Content-Type) required but not provided")
		return
	}
	cid := cidOf(b)
	s.blobs[cid] = len(b)
	s.uploads++
	if s.onUpload != nil {
		s.onUpload(s.uploads)
	}
	remotetest.WriteJSON(w, http.StatusOK, map[string]any{"blob": map[string]any{"$type": "blob", "ref": map[string]string{"$link": cid}, "mimeType": mt, "size": len(b)}})
}

// AfterUpload calls fn(n) as the server takes its nth blob (from 1),
// before it answers; nil stops it.
func (s *Server) AfterUpload(fn func(n int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onUpload = fn
}

// Uploads is how many blobs the server took, the same one again counted.
func (s *Server) Uploads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.uploads
}

// Blobs are the sizes of the uploaded blobs, by CID.
func (s *Server) Blobs() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.blobs))
	for k, v := range s.blobs {
		out[k] = v
	}
	return out
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
	if f.Status == http.StatusTooManyRequests {
		reset := f.Reset
		if reset.IsZero() {
			reset = s.opts.Now().Add(5 * time.Minute)
		}
		w.Header().Set("RateLimit-Limit", "5000")
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", fmt.Sprint(reset.Unix()))
		w.Header().Set("RateLimit-Policy", "5000;w=3600")
	}
	if f.Body != "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.Status)
		io.WriteString(w, f.Body)
		return
	}
	switch f.Status {
	case http.StatusTooManyRequests:
		xrpcError(w, f.Status, "RateLimitExceeded", "Rate Limit Exceeded")
	case http.StatusUnauthorized:
		xrpcError(w, f.Status, "AuthMissing", "Authentication Required")
	case http.StatusBadRequest:
		xrpcError(w, f.Status, "InvalidRequest", "Invalid request")
	default:
		xrpcError(w, f.Status, "InternalServerError", "Internal Server Error")
	}
}

func xrpcError(w http.ResponseWriter, status int, name, msg string) {
	remotetest.WriteJSON(w, status, map[string]string{"error": name, "message": msg})
}

// cidOf stands in for a CID: a content hash in the base32 text form.
func cidOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "bafyrei" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))[:52]
}

func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.TrimRight(base32.StdEncoding.EncodeToString(b), "=")
}

func appPassword() string {
	p := strings.ToLower(random(10))[:16]
	return p[0:4] + "-" + p[4:8] + "-" + p[8:12] + "-" + p[12:16]
}
