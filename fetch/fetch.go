// Package fetch reads from the outside world that is not an account: feeds,
// published calendars, link cards, an org kit at an address. It is polite and
// cheap: conditional requests (a 304 is reported as such, never as an
// error), a User-Agent that names Kaiku and its version, a timeout, a size
// limit that fails instead of truncating, Retry-After read into an instant,
// a few redirects, and a backoff state that the caller stores per source.
//
// Nothing it logs or returns holds a URL's user name, password or query, where
// private feeds keep their tokens.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
)

// Defaults for Options left at zero.
const (
	DefaultTimeout      = 15 * time.Second
	DefaultMaxBytes     = 10 << 20
	DefaultMaxRedirects = 5
)

// projectURL is where a server's administrator learns what Kaiku is.
const projectURL = "https://github.com/kaiku-app/kaiku"

// Options configure a Client.
type Options struct {
	// Version is Kaiku's version, named in the User-Agent.
	Version string
	// Timeout bounds one request, redirects and body included; 0 is DefaultTimeout.
	Timeout time.Duration
	// MaxBytes bounds a response body; 0 is DefaultMaxBytes.
	MaxBytes int64
	// MaxRedirects is how many redirects a request follows; 0 is DefaultMaxRedirects.
	MaxRedirects int
	// Transport sends the requests; nil is http.DefaultTransport.
	Transport http.RoundTripper
	// Now is the clock for Retry-After; nil is time.Now.
	Now func() time.Time
	// Logger receives debug lines about requests; nil is logrus's standard logger.
	Logger logrus.FieldLogger
}

// Client fetches documents over HTTP(S). It is safe for concurrent use.
type Client struct {
	http      *http.Client
	userAgent string
	maxBytes  int64
	now       func() time.Time
	log       logrus.FieldLogger
}

// New returns a client with the options.
func New(opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = logrus.StandardLogger()
	}
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	maxRedirects := opts.MaxRedirects
	return &Client{
		http: &http.Client{
			Transport: opts.Transport,
			Timeout:   opts.Timeout,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) > maxRedirects {
					return &RedirectError{URL: Redact(via[0].URL.String()), Count: len(via)}
				}
				if err := checkScheme(req.URL); err != nil {
					return err
				}
				if permanent, ok := req.Context().Value(redirectWatch{}).(*bool); ok && req.Response != nil {
					switch req.Response.StatusCode {
					case http.StatusMovedPermanently, http.StatusPermanentRedirect:
					default:
						*permanent = false
					}
				}
				return nil
			},
		},
		userAgent: "Kaiku/" + version + " (+" + projectURL + ")",
		maxBytes:  opts.MaxBytes,
		now:       opts.Now,
		log:       opts.Logger,
	}
}

// UserAgent is what the client calls itself.
func (c *Client) UserAgent() string { return c.userAgent }

// Request is one GET. ETag and LastModified come from the previous Response
// for the same URL; with either, an unchanged document answers NotModified.
type Request struct {
	URL          string
	ETag         string
	LastModified string
	// Accept is the Accept header; empty sends "*/*".
	Accept string
}

// Response is a document fetched, or the news that it did not change.
type Response struct {
	// URL is where the document was found, after redirects.
	URL string
	// Moved is true when every redirect on the way was permanent (301, 308):
	// the caller should use URL from now on.
	Moved bool
	// NotModified is true for a 304: Body is empty and the caller's copy stands.
	NotModified bool
	Body        []byte
	// ContentType is the Content-Type header, charset included.
	ContentType string
	// ETag and LastModified are the validators to send next time; on a 304
	// they are the request's own unless the server sent new ones.
	ETag         string
	LastModified string
}

// Get fetches req.URL. A status other than 200 or 304 is a *StatusError; a
// body over the size limit is a *TooLargeError; a failure on the way is a
// *NetError. Every error names the URL without its secrets.
func (c *Client) Get(ctx context.Context, req Request) (Response, error) {
	u, err := url.Parse(strings.TrimSpace(req.URL))
	if err != nil || u.Host == "" {
		return Response{}, &AddressError{URL: Redact(req.URL)}
	}
	if err := checkScheme(u); err != nil {
		return Response{}, err
	}
	// The redirect check sees each hop; it reports here whether all were permanent.
	permanent := true
	hreq, err := http.NewRequestWithContext(withRedirectWatch(ctx, &permanent), http.MethodGet, u.String(), nil)
	if err != nil {
		return Response{}, &AddressError{URL: Redact(req.URL)}
	}
	hreq.Header.Set("User-Agent", c.userAgent)
	accept := req.Accept
	if accept == "" {
		accept = "*/*"
	}
	hreq.Header.Set("Accept", accept)
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	safe := Redact(u.String())
	log := c.log.WithField("url", safe)
	start := c.now()
	resp, err := c.http.Do(hreq)
	if err != nil {
		return Response{}, c.netError(safe, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	out := Response{
		URL:          final,
		Moved:        permanent && final != u.String(),
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	log = log.WithField("status", resp.StatusCode)
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		// A 304 may leave the validators out: the ones sent still hold.
		if out.ETag == "" {
			out.ETag = req.ETag
		}
		if out.LastModified == "" {
			out.LastModified = req.LastModified
		}
		out.NotModified = true
		log.Debug("not modified")
		return out, nil
	default:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		serr := &StatusError{URL: safe, Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), c.now())}
		log.Debug("refused")
		return Response{}, serr
	}
	if resp.ContentLength > c.maxBytes {
		return Response{}, &TooLargeError{URL: safe, Limit: c.maxBytes}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return Response{}, c.netError(safe, err)
	}
	if int64(len(body)) > c.maxBytes {
		return Response{}, &TooLargeError{URL: safe, Limit: c.maxBytes}
	}
	out.Body = body
	log.WithFields(logrus.Fields{"bytes": len(body), "took": c.now().Sub(start).Round(time.Millisecond)}).Debug("fetched")
	return out, nil
}

// redirectWatch carries the flag that the redirect check clears on a temporary redirect.
type redirectWatch struct{}

func withRedirectWatch(ctx context.Context, permanent *bool) context.Context {
	return context.WithValue(ctx, redirectWatch{}, permanent)
}

// netError wraps a failure of the exchange, keeping the URL out of its text.
func (c *Client) netError(safe string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var re *RedirectError
	if errors.As(err, &re) {
		return re
	}
	var se *SchemeError
	if errors.As(err, &se) {
		return se
	}
	return &NetError{URL: safe, Err: err}
}

func checkScheme(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return nil
	}
	return &SchemeError{URL: Redact(u.String()), Scheme: u.Scheme}
}

// retryAfter reads a Retry-After header, seconds or an HTTP date, as an
// instant; zero when there is none or it cannot be read.
func retryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return time.Time{}
		}
		// A year is past any sensible wait; a larger number is a mistake.
		secs = min(secs, int64(365*24*time.Hour/time.Second))
		return now.Add(time.Duration(secs) * time.Second)
	}
	if t, err := http.ParseTime(v); err == nil {
		return t
	}
	return time.Time{}
}

// Redact is u without its user name, password, query and fragment, for logs
// and messages: private feeds carry their tokens there.
func Redact(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// Unreadable: keep what cannot be a secret, the scheme and host if any.
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			raw = raw[:i]
		}
		if i := strings.Index(raw, "@"); i >= 0 {
			raw = raw[i+1:]
		}
		return raw
	}
	u.User = nil
	if u.RawQuery != "" || u.ForceQuery {
		u.RawQuery = ""
		u.ForceQuery = false
		u.Fragment = ""
		return u.String() + "?…"
	}
	u.Fragment = ""
	return u.String()
}

// String describes r for a log line: the URL without secrets.
func (r Request) String() string { return fmt.Sprintf("GET %s", Redact(r.URL)) }
