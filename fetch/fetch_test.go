package fetch_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/fetch"
)

var now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func client(t *testing.T, opts fetch.Options) (*fetch.Client, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	log := logrus.New()
	log.SetOutput(&logs)
	log.SetLevel(logrus.DebugLevel)
	opts.Logger = log
	if opts.Now == nil {
		opts.Now = func() time.Time { return now }
	}
	if opts.Version == "" {
		opts.Version = "1.2.3"
	}
	return fetch.New(opts), &logs
}

func TestConditionalGetAnswersNotModified(t *testing.T) {
	const etag = `"v1"`
	const lastMod = "Tue, 01 Dec 2026 08:00:00 GMT"
	var ua string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "application/rss+xml; charset=iso-8859-1")
		w.Write([]byte("<rss/>"))
	}))
	defer srv.Close()
	c, _ := client(t, fetch.Options{})

	first, err := c.Get(context.Background(), fetch.Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || string(first.Body) != "<rss/>" || first.ETag != etag || first.LastModified != lastMod {
		t.Fatalf("first = %+v", first)
	}
	if first.ContentType != "application/rss+xml; charset=iso-8859-1" {
		t.Errorf("content type %q", first.ContentType)
	}
	if ua != "Kaiku/1.2.3 (+https://github.com/kaiku-app/kaiku)" {
		t.Errorf("User-Agent %q", ua)
	}

	for _, req := range []fetch.Request{
		{URL: srv.URL, ETag: first.ETag},
		{URL: srv.URL, LastModified: first.LastModified},
	} {
		again, err := c.Get(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if !again.NotModified || len(again.Body) != 0 {
			t.Errorf("%+v: got %+v, want NotModified", req, again)
		}
		if again.ETag != req.ETag || again.LastModified != req.LastModified {
			t.Errorf("a 304 without validators lost the request's own: %+v", again)
		}
	}
}

func TestBodyOverTheLimitIsAnErrorNotATruncation(t *testing.T) {
	big := strings.Repeat("x", 2000)
	for _, chunked := range []bool{false, true} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if chunked {
				// No Content-Length: the limit must hold while reading.
				w.Write([]byte(big[:1000]))
				w.(http.Flusher).Flush()
				w.Write([]byte(big[1000:]))
				return
			}
			w.Write([]byte(big))
		}))
		c, _ := client(t, fetch.Options{MaxBytes: 1500})
		resp, err := c.Get(context.Background(), fetch.Request{URL: srv.URL})
		var tl *fetch.TooLargeError
		if !errors.As(err, &tl) || len(resp.Body) != 0 {
			t.Errorf("chunked=%v: got %d bytes, err %v; want a TooLargeError", chunked, len(resp.Body), err)
		}
		srv.Close()
	}
	// Exactly at the limit is fine.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(big[:1500])) }))
	defer srv.Close()
	c, _ := client(t, fetch.Options{MaxBytes: 1500})
	if resp, err := c.Get(context.Background(), fetch.Request{URL: srv.URL}); err != nil || len(resp.Body) != 1500 {
		t.Errorf("a body of exactly the limit: %d bytes, %v", len(resp.Body), err)
	}
}

func TestRetryAfterSecondsAndDate(t *testing.T) {
	tests := []struct {
		header string
		status int
		want   time.Time
	}{
		{"120", http.StatusTooManyRequests, now.Add(2 * time.Minute)},
		{"Tue, 01 Dec 2026 12:00:00 GMT", http.StatusServiceUnavailable, time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)},
		{"soon", http.StatusServiceUnavailable, time.Time{}},
		{"-5", http.StatusTooManyRequests, time.Time{}},
		{"", http.StatusTooManyRequests, time.Time{}},
	}
	for _, tc := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.header != "" {
				w.Header().Set("Retry-After", tc.header)
			}
			w.WriteHeader(tc.status)
		}))
		c, _ := client(t, fetch.Options{})
		_, err := c.Get(context.Background(), fetch.Request{URL: srv.URL})
		srv.Close()
		var se *fetch.StatusError
		if !errors.As(err, &se) || se.Status != tc.status {
			t.Fatalf("%q: err %v, want a StatusError %d", tc.header, err, tc.status)
		}
		if got := fetch.RetryAfter(err); !got.Equal(tc.want) {
			t.Errorf("Retry-After %q: %v, want %v", tc.header, got, tc.want)
		}
	}
}

func TestRedirectsAreFollowedAFewTimes(t *testing.T) {
	var hops atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusMovedPermanently) })
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("here")) })
	mux.HandleFunc("/temp", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusFound) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		hops.Add(1)
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.com/x", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, _ := client(t, fetch.Options{MaxRedirects: 3})
	ctx := context.Background()

	resp, err := c.Get(ctx, fetch.Request{URL: srv.URL + "/old"})
	if err != nil || string(resp.Body) != "here" || resp.URL != srv.URL+"/new" || !resp.Moved {
		t.Errorf("permanent: %+v %v", resp, err)
	}
	resp, err = c.Get(ctx, fetch.Request{URL: srv.URL + "/temp"})
	if err != nil || resp.URL != srv.URL+"/new" || resp.Moved {
		t.Errorf("temporary: %+v %v; a temporary redirect is not a move", resp, err)
	}
	_, err = c.Get(ctx, fetch.Request{URL: srv.URL + "/loop"})
	var re *fetch.RedirectError
	if !errors.As(err, &re) {
		t.Errorf("loop: %v, want a RedirectError", err)
	}
	if hops.Load() > 4 {
		t.Errorf("the loop was followed %d times", hops.Load())
	}
	_, err = c.Get(ctx, fetch.Request{URL: srv.URL + "/ftp"})
	var se *fetch.SchemeError
	if !errors.As(err, &se) {
		t.Errorf("redirect to ftp: %v, want a SchemeError", err)
	}
}

func TestTimeoutIsANetErrorThatSaysSo(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, _ := client(t, fetch.Options{Timeout: 50 * time.Millisecond})
	_, err := c.Get(context.Background(), fetch.Request{URL: srv.URL})
	var ne *fetch.NetError
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err %v, want a NetError that timed out", err)
	}
	if !strings.Contains(err.Error(), "no answer in time") {
		t.Errorf("message %q", err)
	}
}

func TestContextCancelsTheRequest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	c, _ := client(t, fetch.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err := c.Get(ctx, fetch.Request{URL: srv.URL})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

func TestNotAWebAddress(t *testing.T) {
	c, _ := client(t, fetch.Options{})
	for _, u := range []string{"", "example.com/feed", "file:///etc/passwd", "ftp://example.com/feed.xml", "http://"} {
		_, err := c.Get(context.Background(), fetch.Request{URL: u})
		var se *fetch.SchemeError
		var ae *fetch.AddressError
		if !errors.As(err, &se) && !errors.As(err, &ae) {
			t.Errorf("%q: %v, want an address or scheme error", u, err)
		}
	}
}

func TestUnreachableHost(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there now
	c, _ := client(t, fetch.Options{})
	_, err := c.Get(context.Background(), fetch.Request{URL: addr + "/feed"})
	var ne *fetch.NetError
	if !errors.As(err, &ne) || ne.Timeout() {
		t.Fatalf("err %v, want a NetError", err)
	}
	if !strings.Contains(err.Error(), "could not be reached") {
		t.Errorf("message %q", err)
	}
}

// TestSecretsStayOutOfLogsAndErrors: a private feed's token in its query or
// its user name and password appear in no log line and no error.
func TestSecretsStayOutOfLogsAndErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("token") == "" {
			t.Error("the query did not reach the server")
		}
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()
	c, logs := client(t, fetch.Options{})
	u := strings.Replace(srv.URL, "http://", "http://maija:hunter2@", 1) + "/private.rss?token=s3cr3t"
	_, err := c.Get(context.Background(), fetch.Request{URL: u})
	if err == nil {
		t.Fatal("a 403 was not an error")
	}
	for _, where := range []string{err.Error(), logs.String()} {
		for _, secret := range []string{"s3cr3t", "hunter2", "maija"} {
			if strings.Contains(where, secret) {
				t.Errorf("%q shows %q", where, secret)
			}
		}
	}
	if !strings.Contains(err.Error(), "/private.rss") {
		t.Errorf("the error does not name the feed: %q", err)
	}
	if logs.Len() == 0 {
		t.Error("nothing was logged; the test proves nothing")
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/feed.xml":                  "https://example.com/feed.xml",
		"https://u:p@example.com/feed?key=1#x":          "https://example.com/feed?…",
		"https://example.com/a#frag":                    "https://example.com/a",
		"not a url at all %zz?token=x":                  "not a url at all %zz",
		"https://user@example.com/private?access=abcd1": "https://example.com/private?…",
	} {
		if got := fetch.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBackoffGrowsAndRespectsRetryAfter(t *testing.T) {
	var b fetch.Backoff
	if !b.Ready(now) {
		t.Fatal("a healthy source is not ready")
	}
	plain := errors.New("boom")
	wants := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour}
	for i, want := range wants {
		b = b.Failed(now, plain)
		if got := b.Until.Sub(now); got != want || b.Failures != i+1 {
			t.Errorf("failure %d: wait %v (failures %d), want %v", i+1, got, b.Failures, want)
		}
	}
	for range 20 {
		b = b.Failed(now, plain)
	}
	if got := b.Until.Sub(now); got != fetch.MaxBackoff {
		t.Errorf("after many failures: wait %v, want the cap %v", got, fetch.MaxBackoff)
	}
	if b.Ready(now.Add(time.Hour)) || !b.Ready(now.Add(fetch.MaxBackoff)) {
		t.Error("Ready does not follow Until")
	}

	limited := &fetch.StatusError{Status: http.StatusTooManyRequests, RetryAfter: now.Add(3 * time.Hour)}
	b = fetch.Backoff{}.Failed(now, limited)
	if !b.Until.Equal(now.Add(3 * time.Hour)) {
		t.Errorf("Retry-After 3 h: until %v", b.Until)
	}
	// A Retry-After sooner than the schedule does not shorten it.
	soon := &fetch.StatusError{Status: http.StatusServiceUnavailable, RetryAfter: now.Add(time.Minute)}
	if b := (fetch.Backoff{}).Failed(now, soon); !b.Until.Equal(now.Add(fetch.FirstBackoff)) {
		t.Errorf("Retry-After 1 min: until %v", b.Until)
	}
	// An absurd Retry-After is capped.
	absurd := &fetch.StatusError{Status: http.StatusServiceUnavailable, RetryAfter: now.AddDate(1, 0, 0)}
	if b := (fetch.Backoff{}).Failed(now, absurd); !b.Until.Equal(now.Add(fetch.MaxRetryAfter)) {
		t.Errorf("Retry-After a year: until %v", b.Until)
	}
	// A 404's Retry-After means nothing.
	notFound := &fetch.StatusError{Status: http.StatusNotFound, RetryAfter: now.Add(5 * time.Hour)}
	if b := (fetch.Backoff{}).Failed(now, notFound); !b.Until.Equal(now.Add(fetch.FirstBackoff)) {
		t.Errorf("404 with Retry-After: until %v", b.Until)
	}
	if b := b.Succeeded(); b != (fetch.Backoff{}) {
		t.Errorf("after success: %+v", b)
	}
}
