package linkedin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// LinkedIn's two hosts: sign-in and tokens on one, the API on the other.
const (
	AuthHost = "https://www.linkedin.com"
	APIHost  = "https://api.linkedin.com"
)

// Version is the LinkedIn-Version (YYYYMM) of the versioned API (/rest/)
// that Kaiku speaks. LinkedIn serves each monthly version for about a year
// and then answers 426 (NONEXISTENT_VERSION), so it must move forward
// with the releases.
const Version = "202611"

// restliProtocol is the Rest.li protocol version /rest/ requires.
const restliProtocol = "2.0.0"

// ErrExpired is in the error, through errors.Is, when LinkedIn's access
// token has run out (60 days after linking; most apps get no refresh
// token): the account must be linked again.
var ErrExpired = errors.New("the LinkedIn link has expired; link the account again")

// ErrPermission is in the error, through errors.Is, when LinkedIn did not
// let Kaiku do what it asked: the LinkedIn app lacks a product ("Share on
// LinkedIn" to post, "Sign In with LinkedIn using OpenID Connect" to sign
// in), or the token was granted without its scope.
var ErrPermission = errors.New(`LinkedIn did not allow this: add the products "Share on LinkedIn" and "Sign In with LinkedIn using OpenID Connect" to your LinkedIn app, then link the account again`)

// ErrVersion is in the error, through errors.Is, when LinkedIn no longer
// serves the API version this Kaiku speaks (426): a newer Kaiku is needed.
var ErrVersion = errors.New("LinkedIn no longer serves the API version this Kaiku speaks; update Kaiku")

// Options are what a Server needs from outside; every field may be left empty.
type Options struct {
	HTTP      *http.Client // http.DefaultClient when nil
	UserAgent string       // remote.UserAgent("") when empty
	Now       func() time.Time
	// Trace hears of every request (never its headers or body), for the log.
	Trace func(remote.Exchange)
	// APIBase replaces both LinkedIn hosts, AuthHost and APIHost, with one
	// address (https, or http to this computer), as for a test server.
	APIBase string
	// Version replaces Version, the LinkedIn-Version sent.
	Version string
	// Sleep waits between looks at an uploaded image LinkedIn still
	// processes, returning early with ctx's error; nil waits for real.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Server is LinkedIn (or what stands in for it at Options.APIBase), before
// any member is known.
type Server struct {
	auth, api string
	version   string
	call      remote.Caller
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error
}

var versionFormat = regexp.MustCompile(`^[0-9]{4}(0[1-9]|1[0-2])$`)

// NewServer makes a Server from its options.
func NewServer(opts Options) (*Server, error) {
	s := &Server{auth: AuthHost, api: APIHost, version: Version, now: opts.Now, sleep: opts.Sleep}
	if opts.APIBase != "" {
		base, err := remote.CheckBase(opts.APIBase)
		if err != nil {
			return nil, fmt.Errorf("linkedin API address: %w", err)
		}
		s.auth, s.api = base, base
	}
	if opts.Version != "" {
		if !versionFormat.MatchString(opts.Version) {
			return nil, fmt.Errorf("linkedin API version %q: not YYYYMM", opts.Version)
		}
		s.version = opts.Version
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.sleep == nil {
		s.sleep = remote.Sleep
	}
	if opts.UserAgent == "" {
		opts.UserAgent = remote.UserAgent("")
	}
	s.call = remote.Caller{Network: planner.NetworkLinkedIn, HTTP: opts.HTTP, UserAgent: opts.UserAgent, Trace: opts.Trace}
	return s, nil
}

// AuthBase is where sign-in and tokens are served: AuthHost, or the
// APIBase given.
func (s *Server) AuthBase() string { return s.auth }

// APIBase is where the API is served: APIHost, or the APIBase given.
func (s *Server) APIBase() string { return s.api }

// errorBody is what LinkedIn says of a failure: the API's
// {"status", "code", "message", "errorDetails": {"inputErrors": […]}}, or
// OAuth's {"error", "error_description"} from the sign-in host.
type errorBody struct {
	Code         string `json:"code"`
	Message      string `json:"message"`
	ErrorDetails struct {
		InputErrors []struct {
			Code        string `json:"code"`
			Description string `json:"description"`
		} `json:"inputErrors"`
	} `json:"errorDetails"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// codes lists every error name the body gives, the main one first.
func (b errorBody) codes() []string {
	var out []string
	for _, c := range append([]string{b.Code, b.Error}, inputCodes(b)...) {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

func inputCodes(b errorBody) []string {
	out := make([]string, 0, len(b.ErrorDetails.InputErrors))
	for _, ie := range b.ErrorDetails.InputErrors {
		out = append(out, ie.Code)
	}
	return out
}

// javaException is the class name LinkedIn puts before some messages.
var javaException = regexp.MustCompile(`^(?:[a-z0-9_]+\.)+[A-Za-z0-9_$]+(?:Exception|Error): *`)

// detail is the body's message for a person: without a Java class name
// before it, else an input error's description, else OAuth's description.
func (b errorBody) detail() string {
	if m := strings.TrimSpace(javaException.ReplaceAllString(strings.TrimSpace(b.Message), "")); m != "" {
		return m
	}
	for _, ie := range b.ErrorDetails.InputErrors {
		if ie.Description != "" {
			return ie.Description
		}
	}
	return b.ErrorDescription
}

// apiError reads a failed answer from LinkedIn's API.
func (s *Server) apiError(op string, resp *remote.Response, sent bool) *remote.Error {
	var body errorBody
	_ = json.Unmarshal(resp.Body, &body)
	code := ""
	if cs := body.codes(); len(cs) > 0 {
		code = cs[0]
	}
	var reset time.Time
	if resp.Status == http.StatusTooManyRequests {
		reset = s.rateReset(resp.Header)
	}
	e := remote.StatusError(planner.NetworkLinkedIn, op, resp.Status, code, body.detail(), reset, sent)
	switch resp.Status {
	case http.StatusUnauthorized:
		if code == "EXPIRED_ACCESS_TOKEN" {
			e.Err = ErrExpired
		}
	case http.StatusUpgradeRequired:
		e.Err = ErrVersion
	case http.StatusForbidden:
		// Not this post's fault: the app or the token lacks what posting
		// needs, and only the user (in LinkedIn's portal) and a new link
		// can change that.
		e.Kind, e.Err = remote.KindAuth, ErrPermission
	}
	return e
}

// rateReset is when a rate limit lifts. LinkedIn's limits are counted per
// day and start again at midnight UTC, and its 429 for them carries no
// header saying when: without one, Kaiku waits for the next midnight UTC
// rather than knocking again and again on a door closed for the day.
func (s *Server) rateReset(h http.Header) time.Time {
	for _, name := range []string{"Retry-After", "X-RateLimit-Reset", "RateLimit-Reset"} {
		if h.Get(name) != "" {
			return remote.RateReset(h, s.now())
		}
	}
	return NextUTCMidnight(s.now())
}

// NextUTCMidnight is the first midnight UTC after t, when LinkedIn's daily
// limits start again.
func NextUTCMidnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}
