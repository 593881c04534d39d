package mastodon

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// Options are what a Server needs from outside; every field may be left empty.
type Options struct {
	HTTP      *http.Client // http.DefaultClient when nil
	UserAgent string       // remote.UserAgent("") when empty
	Now       func() time.Time
	// Trace hears of every request (never its headers or body), for the log.
	Trace func(remote.Exchange)
	// Sleep waits between looks at an upload the server still processes,
	// returning early with ctx's error; nil waits for real.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Server is one Mastodon-API instance, before any account is known.
type Server struct {
	base  string
	call  remote.Caller
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// NewServer checks an instance's address: "mastodon.social" or
// "https://mastodon.social" (http:// only to this computer).
func NewServer(address string, opts Options) (*Server, error) {
	a := strings.TrimSpace(address)
	if a != "" && !strings.Contains(a, "://") {
		a = "https://" + a
	}
	base, err := remote.CheckBase(a)
	if err != nil {
		return nil, fmt.Errorf("mastodon instance: %w", err)
	}
	if u, _ := url.Parse(base); u.Path != "" {
		return nil, fmt.Errorf("mastodon instance %q: %w", address, remote.ErrBase)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = remote.Sleep
	}
	if opts.UserAgent == "" {
		opts.UserAgent = remote.UserAgent("")
	}
	return &Server{
		base:  base,
		call:  remote.Caller{Network: planner.NetworkMastodon, HTTP: opts.HTTP, UserAgent: opts.UserAgent, Trace: opts.Trace},
		now:   opts.Now,
		sleep: opts.Sleep,
	}, nil
}

// Base is the instance's address, as "https://mastodon.social".
func (s *Server) Base() string { return s.base }

// Host is the instance's host name (with its port, if any).
func (s *Server) Host() string {
	u, _ := url.Parse(s.base)
	return u.Host
}

// Info is what an instance tells about itself and its limits.
type Info struct {
	// Domain is where its accounts live (@user@Domain); it may differ from
	// the address the API is served at.
	Domain  string
	Title   string
	Version string
	// MaxCharacters is the longest status; URLs count CharactersPerURL each.
	MaxCharacters       int
	CharactersPerURL    int
	MaxMediaAttachments int
	ImageSizeLimit      int64 // bytes
	ImageMatrixLimit    int64 // pixels
	VideoSizeLimit      int64 // bytes
	MediaTypes          []string
	Languages           []string
}

// Mastodon's defaults, for a server that does not say.
const (
	DefaultMaxCharacters    = 500
	DefaultCharactersPerURL = 23
)

// Info reads GET /api/v2/instance, or /api/v1/instance on a server too old
// to have it.
func (s *Server) Info(ctx context.Context) (Info, error) {
	const op = "read the instance's limits"
	var v2 struct {
		Domain        string        `json:"domain"`
		Title         string        `json:"title"`
		Version       string        `json:"version"`
		Languages     []string      `json:"languages"`
		Configuration configuration `json:"configuration"`
	}
	err := s.get(ctx, op, "", "/api/v2/instance", nil, &v2)
	if e, ok := remote.As(err); ok && e.Status == http.StatusNotFound {
		return s.infoV1(ctx)
	}
	if err != nil {
		return Info{}, err
	}
	info := v2.Configuration.info()
	info.Domain, info.Title, info.Version, info.Languages = v2.Domain, v2.Title, v2.Version, v2.Languages
	return s.withDefaults(info), nil
}

// configuration is the limits part of both versions of /instance.
type configuration struct {
	Statuses struct {
		MaxCharacters       int `json:"max_characters"`
		MaxMediaAttachments int `json:"max_media_attachments"`
		CharactersPerURL    int `json:"characters_reserved_per_url"`
	} `json:"statuses"`
	Media struct {
		MediaTypes       []string `json:"supported_mime_types"`
		ImageSizeLimit   int64    `json:"image_size_limit"`
		ImageMatrixLimit int64    `json:"image_matrix_limit"`
		VideoSizeLimit   int64    `json:"video_size_limit"`
	} `json:"media_attachments"`
}

func (c configuration) info() Info {
	st, m := c.Statuses, c.Media
	return Info{
		MaxCharacters: st.MaxCharacters, CharactersPerURL: st.CharactersPerURL, MaxMediaAttachments: st.MaxMediaAttachments,
		ImageSizeLimit: m.ImageSizeLimit, ImageMatrixLimit: m.ImageMatrixLimit, VideoSizeLimit: m.VideoSizeLimit, MediaTypes: m.MediaTypes,
	}
}

func (s *Server) infoV1(ctx context.Context) (Info, error) {
	var v1 struct {
		URI           string        `json:"uri"`
		Title         string        `json:"title"`
		Version       string        `json:"version"`
		Languages     []string      `json:"languages"`
		MaxTootChars  int           `json:"max_toot_chars"`
		Configuration configuration `json:"configuration"`
	}
	if err := s.get(ctx, "read the instance's limits", "", "/api/v1/instance", nil, &v1); err != nil {
		return Info{}, err
	}
	info := v1.Configuration.info()
	info.Domain, info.Title, info.Version, info.Languages = v1.URI, v1.Title, v1.Version, v1.Languages
	if info.MaxCharacters == 0 {
		info.MaxCharacters = v1.MaxTootChars
	}
	return s.withDefaults(info), nil
}

func (s *Server) withDefaults(info Info) Info {
	if info.MaxCharacters <= 0 {
		info.MaxCharacters = DefaultMaxCharacters
	}
	if info.CharactersPerURL <= 0 {
		info.CharactersPerURL = DefaultCharactersPerURL
	}
	// v1's uri was once a URL; the domain is its host.
	if u, err := url.Parse(info.Domain); err == nil && u.Host != "" {
		info.Domain = u.Host
	}
	if info.Domain == "" {
		info.Domain = s.Host()
	}
	return info
}

// OAuthSupport is what the instance's OAuth metadata (RFC 8414, Mastodon
// 4.3 and later) says Kaiku may use.
type OAuthSupport struct {
	// PKCE: the server checks an S256 code challenge.
	PKCE bool
	// ProfileScope: the server knows the "profile" scope, which reads only
	// who the user is; older servers need "read:accounts" for that.
	ProfileScope bool
}

// SupportedOAuth reads /.well-known/oauth-authorization-server. A server
// without it (older Mastodon, GoToSocial) gets the safe answer: no PKCE,
// no profile scope.
func (s *Server) SupportedOAuth(ctx context.Context) (OAuthSupport, error) {
	var meta struct {
		Scopes     []string `json:"scopes_supported"`
		Challenges []string `json:"code_challenge_methods_supported"`
	}
	err := s.get(ctx, "read the OAuth settings", "", "/.well-known/oauth-authorization-server", nil, &meta)
	if k := remote.KindOf(err); err != nil && (k == remote.KindRejected || k == remote.KindOther) {
		// Not there, or a web page where metadata would be.
		return OAuthSupport{}, nil
	}
	if err != nil {
		return OAuthSupport{}, err
	}
	var o OAuthSupport
	for _, m := range meta.Challenges {
		o.PKCE = o.PKCE || m == "S256"
	}
	for _, sc := range meta.Scopes {
		o.ProfileScope = o.ProfileScope || sc == "profile"
	}
	return o, nil
}

// get sends a GET and decodes its JSON answer into v.
func (s *Server) get(ctx context.Context, op, token, path string, q url.Values, v any) error {
	u := s.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return &remote.Error{Network: planner.NetworkMastodon, Op: op, Kind: remote.KindOther, Err: err}
	}
	return s.send(req, op, token, false, v)
}

// send sends req with the token (if any) and decodes a 2xx JSON answer into
// v; any other answer becomes a *remote.Error.
func (s *Server) send(req *http.Request, op, token string, effect bool, v any) error {
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return s.call.DoJSON(req, op, effect, v, s.apiError)
}

// apiError reads Mastodon's error body, {"error": "…"} or OAuth's
// {"error": "code", "error_description": "…"}.
func (s *Server) apiError(op string, resp *remote.Response, effect bool) *remote.Error {
	var body struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(resp.Body, &body)
	code, detail := "", body.Error
	if body.Description != "" {
		code, detail = body.Error, body.Description
	}
	var reset time.Time
	if resp.Status == http.StatusTooManyRequests {
		reset = remote.RateReset(resp.Header, s.now())
	}
	e := remote.StatusError(planner.NetworkMastodon, op, resp.Status, code, detail, reset, effect)
	low := strings.ToLower(detail + " " + code)
	switch {
	case resp.Status == http.StatusForbidden && strings.Contains(low, "scope"):
		// A token without the scope it needs: only linking again helps.
		e.Kind = remote.KindAuth
	case code == "invalid_client" || code == "invalid_token" || code == "unauthorized_client":
		e.Kind = remote.KindAuth
	}
	return e
}
