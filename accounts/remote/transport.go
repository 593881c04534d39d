package remote

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// MaxBody is how much of an API answer Kaiku reads; no answer it expects
// comes near it.
const MaxBody = 1 << 20

// ErrTooLarge is returned, wrapped, for an answer larger than allowed.
var ErrTooLarge = errors.New("the answer is larger than Kaiku reads")

// ErrBase is returned, wrapped, for an API address Kaiku will not use.
var ErrBase = errors.New("the address must be https:// (http:// only to this computer)")

// CheckBase checks an API base address and returns it without a trailing
// slash: https, or http to this computer only, since a request to it
// carries a token; no user, query or fragment.
func CheckBase(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("%q: %w", s, ErrBase)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return "", fmt.Errorf("%q: %w", s, ErrBase)
		}
	default:
		return "", fmt.Errorf("%q: %w", s, ErrBase)
	}
	return s, nil
}

// IsLoopbackHost reports whether a host name or address is this computer.
func IsLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// ReadBody reads r whole, up to limit bytes; a longer answer is an error
// wrapping ErrTooLarge rather than a silently cut one.
func ReadBody(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("more than %d bytes: %w", limit, ErrTooLarge)
	}
	return b, nil
}

// UserAgent is Kaiku's User-Agent: "Kaiku/VERSION", with the version given,
// else the one the binary was built as, else "dev".
func UserAgent(version string) string {
	if version == "" {
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = strings.TrimPrefix(bi.Main.Version, "v")
		}
	}
	if version == "" {
		version = "dev"
	}
	return "Kaiku/" + version
}

// TransportError classifies a request that got no answer. A failure before
// the request left (no route, no such host, a refused connection, a bad
// certificate) cannot have done anything; otherwise a request with an
// effect (sent is true) may have reached the network.
func TransportError(network planner.Network, op string, err error, sent bool) *Error {
	e := &Error{Network: network, Op: op, Kind: KindNetwork, MaybeSent: sent, Err: cleanURLError(err)}
	if sent && notSent(err) {
		e.MaybeSent = false
	}
	return e
}

func notSent(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var record tls.RecordHeaderError
	return errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") ||
		errors.As(err, &dns) || errors.As(err, &cert) || errors.As(err, &unknownCA) ||
		errors.As(err, &hostname) || errors.As(err, &record)
}

// cleanURLError keeps a *url.Error's cause but drops its query string,
// where a careless server's redirect could have put a code or a token.
func cleanURLError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return &url.Error{Op: ue.Op, URL: "(address)", Err: ue.Err}
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
}

// Exchange is what a request did, for the log: never a header or a body.
type Exchange struct {
	Network planner.Network
	Method  string
	Path    string // without the query
	Status  int    // 0 when there was no answer
	Took    time.Duration
	Err     error // the transport failure, if any (never holds a secret)
}

// Caller sends requests to one network and reads their answers whole.
type Caller struct {
	Network   planner.Network
	HTTP      *http.Client // http.DefaultClient when nil
	UserAgent string       // UserAgent("") when empty
	// Trace, when set, hears of every request after its answer, for the log.
	Trace func(Exchange)
}

// Response is an answer read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// OK reports a 2xx status.
func (r *Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

// Do sends req and reads its answer, whatever its status. A request that
// got no answer, or whose answer could not be read, is an *Error; sent says
// whether the request has an effect (publishing), so that such a failure
// is marked MaybeSent.
func (c *Caller) Do(req *http.Request, op string, sent bool) (*Response, error) {
	hc := http.Client{}
	if c.HTTP != nil {
		hc = *c.HTTP
	}
	// An API call is never redirected; one that is would carry its token
	// (and a POST turned into a GET) somewhere else.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ua := c.UserAgent
	if ua == "" {
		ua = UserAgent("")
	}
	req.Header.Set("User-Agent", ua)
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		e := TransportError(c.Network, op, err, sent)
		c.trace(req, 0, start, e.Err)
		return nil, e
	}
	defer resp.Body.Close()
	body, err := ReadBody(resp.Body, MaxBody)
	c.trace(req, resp.StatusCode, start, nil)
	if err != nil {
		// The request was answered; only the answer got lost.
		return nil, &Error{Network: c.Network, Op: op, Kind: KindServer, Status: resp.StatusCode,
			MaybeSent: sent && resp.StatusCode < 400, Err: fmt.Errorf("reading the answer: %w", cleanURLError(err))}
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// DoJSON sends req as Do does and decodes a 2xx JSON answer into v (nil:
// the answer is not needed); any other answer becomes fail(resp), the
// network's reading of its error body.
func (c *Caller) DoJSON(req *http.Request, op string, sent bool, v any, fail func(op string, resp *Response, sent bool) *Error) error {
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req, op, sent)
	if err != nil {
		return err
	}
	if !resp.OK() {
		return fail(op, resp, sent)
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return Unexpected(c.Network, op, resp.Status, "the answer is not the JSON expected", sent)
	}
	return nil
}

func (c *Caller) trace(req *http.Request, status int, start time.Time, err error) {
	if c.Trace == nil {
		return
	}
	c.Trace(Exchange{Network: c.Network, Method: req.Method, Path: req.URL.Path, Status: status, Took: time.Since(start), Err: err})
}

// StatusError is the generic reading of a failed answer: 401 needs
// relinking, 429 is a rate limit until reset, 5xx is the server's trouble
// (a request with an effect may have gone through), and any other status
// is a refusal. Code and detail are the network's own, from its body.
func StatusError(network planner.Network, op string, status int, code, detail string, reset time.Time, sent bool) *Error {
	e := &Error{Network: network, Op: op, Status: status, Code: Cut(code, 64), Detail: Cut(detail, DetailLimit)}
	switch {
	case status == http.StatusUnauthorized:
		e.Kind = KindAuth
	case status == http.StatusTooManyRequests:
		e.Kind, e.Reset = KindRate, reset
	case status >= 500:
		e.Kind, e.MaybeSent = KindServer, sent
	case status >= 400:
		e.Kind = KindRejected
	default:
		// A redirect or an informational answer where an API answers.
		e.Kind = KindServer
	}
	return e
}

// Unexpected is an answer that made no sense: a success without the
// fields it must have. A request with an effect may have gone through.
func Unexpected(network planner.Network, op string, status int, why string, sent bool) *Error {
	kind := KindOther
	if sent {
		kind = KindServer
	}
	return &Error{Network: network, Op: op, Kind: kind, Status: status, MaybeSent: sent, Err: errors.New(why)}
}

// WithUserAgent returns a client that sends ua on every request over hc's
// transport, for libraries (OAuth token exchange) that build their own
// requests.
func WithUserAgent(hc *http.Client, ua string) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c := *hc
	c.Transport = uaTransport{base: base, ua: ua}
	return &c
}

type uaTransport struct {
	base http.RoundTripper
	ua   string
}

func (t uaTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", t.ua)
	return t.base.RoundTrip(r)
}
