package remote_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

func TestCutKeepsWholeCharacters(t *testing.T) {
	s := strings.Repeat("ä🇫🇮ö", 40)
	for n := 1; n < len(s); n++ {
		got := remote.Cut(s, n)
		if !utf8.ValidString(got) {
			t.Fatalf("Cut(%d) split a character: %q", n, got)
		}
		if len(got) > max(n, len("…")) {
			t.Fatalf("Cut(%d) is %d bytes", n, len(got))
		}
	}
	if got := remote.Cut("  two\n lines ", 100); got != "two lines" {
		t.Errorf("white space not folded: %q", got)
	}
}

func TestRateResetReadsEachNetworksHeader(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		header http.Header
		want   time.Time
	}{
		{"Mastodon's ISO 8601", http.Header{"X-Ratelimit-Reset": {"2026-12-01T09:05:00.123456Z"}}, time.Date(2026, 12, 1, 9, 5, 0, 123456000, time.UTC)},
		{"Bluesky's Unix seconds", http.Header{"Ratelimit-Reset": {"1796115900"}}, time.Unix(1796115900, 0)},
		{"seconds from now", http.Header{"Ratelimit-Reset": {"30"}}, now.Add(30 * time.Second)},
		{"Retry-After seconds", http.Header{"Retry-After": {"120"}}, now.Add(2 * time.Minute)},
		{"Retry-After date", http.Header{"Retry-After": {"Tue, 01 Dec 2026 09:10:00 GMT"}}, time.Date(2026, 12, 1, 9, 10, 0, 0, time.UTC)},
		{"a reset in the past is now", http.Header{"X-Ratelimit-Reset": {"2026-12-01T08:00:00Z"}}, now},
		{"nothing said", http.Header{}, now.Add(remote.DefaultRateWait)},
		{"nonsense", http.Header{"X-Ratelimit-Reset": {"soon"}}, now.Add(remote.DefaultRateWait)},
	} {
		if got := remote.RateReset(tc.header, now); !got.Equal(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCheckBaseAllowsPlainHTTPOnlyToThisComputer(t *testing.T) {
	for in, want := range map[string]string{
		"https://mastodon.social/":  "https://mastodon.social",
		"http://localhost:2583":     "http://localhost:2583",
		"http://127.0.0.1:8080/api": "http://127.0.0.1:8080/api",
		"http://[::1]:9000":         "http://[::1]:9000",
	} {
		if got, err := remote.CheckBase(in); err != nil || got != want {
			t.Errorf("CheckBase(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"http://mastodon.social", "ftp://x.org", "https://user:pw@x.org", "https://x.org/?a=1", "", "mastodon.social", "http://10.0.0.1"} {
		if _, err := remote.CheckBase(in); !errors.Is(err, remote.ErrBase) {
			t.Errorf("CheckBase(%q) accepted: %v", in, err)
		}
	}
}

func TestReadBodyRefusesMoreThanItsLimit(t *testing.T) {
	if b, err := remote.ReadBody(strings.NewReader("12345"), 5); err != nil || string(b) != "12345" {
		t.Fatalf("exactly the limit: %q %v", b, err)
	}
	if _, err := remote.ReadBody(strings.NewReader("123456"), 5); !errors.Is(err, remote.ErrTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
}

// A request that could not connect cannot have done anything; one whose
// connection broke after it was sent may have.
func TestTransportErrorsSayWhetherTheRequestMayHaveGone(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	c := remote.Caller{Network: planner.NetworkMastodon}
	req, _ := http.NewRequest(http.MethodPost, closed+"/api/v1/statuses?access_token=SECRET", nil)
	_, err = c.Do(req, "publish a status", true)
	e, ok := remote.As(err)
	if !ok || e.Kind != remote.KindNetwork || e.MaybeSent {
		t.Fatalf("refused connection: %#v", err)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("the error shows the query: %v", err)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/api/v1/statuses", strings.NewReader("status=x"))
	_, err = c.Do(req, "publish a status", true)
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindNetwork || !e.MaybeSent || !e.Transient() {
		t.Fatalf("dropped after sending: %#v", err)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/api/v1/instance", nil)
	if _, err = c.Do(req, "read", false); remote.KindOf(err) != remote.KindNetwork {
		t.Fatalf("dropped read: %v", err)
	}
}

func TestCallerSendsKaikusUserAgentAndFollowsNoRedirect(t *testing.T) {
	var ua string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		http.Redirect(w, r, "https://elsewhere.example/", http.StatusFound)
	}))
	defer srv.Close()
	c := remote.Caller{Network: planner.NetworkBluesky, UserAgent: remote.UserAgent("1.2.3")}
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := c.Do(req, "read", false)
	if err != nil || resp.Status != http.StatusFound {
		t.Fatalf("got %v, %v", resp, err)
	}
	if ua != "Kaiku/1.2.3" {
		t.Errorf("User-Agent %q", ua)
	}
	if !strings.HasPrefix(remote.UserAgent(""), "Kaiku/") {
		t.Errorf("default User-Agent %q", remote.UserAgent(""))
	}
}

func TestStatusErrorKinds(t *testing.T) {
	reset := time.Now().Add(time.Minute)
	for status, want := range map[int]remote.Kind{401: remote.KindAuth, 400: remote.KindRejected, 422: remote.KindRejected,
		404: remote.KindRejected, 429: remote.KindRate, 500: remote.KindServer, 503: remote.KindServer} {
		e := remote.StatusError(planner.NetworkMastodon, "publish", status, "", strings.Repeat("ö", 400), reset, true)
		if e.Kind != want {
			t.Errorf("%d: kind %v, want %v", status, e.Kind, want)
		}
		if e.MaybeSent != (status >= 500) {
			t.Errorf("%d: MaybeSent %v", status, e.MaybeSent)
		}
		if len(e.Detail) > remote.DetailLimit || !utf8.ValidString(e.Detail) {
			t.Errorf("%d: detail of %d bytes", status, len(e.Detail))
		}
	}
}

func TestCallbackTakesOnlyTheExpectedAnswer(t *testing.T) {
	cb, err := remote.ListenCallback("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	cb.Expect("the-state")
	get := func(q string) int {
		resp, err := http.Get(cb.RedirectURI() + "?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := get("code=stolen&state=other"); s != http.StatusBadRequest {
		t.Errorf("a wrong state answered %d", s)
	}
	if s := get("state=the-state"); s != http.StatusBadRequest {
		t.Errorf("no code answered %d", s)
	}
	if s := get("code=the-code&state=the-state"); s != http.StatusOK {
		t.Errorf("the answer got %d", s)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if code, err := cb.Wait(ctx); err != nil || code != "the-code" {
		t.Fatalf("Wait = %q, %v", code, err)
	}

	denied, _ := remote.ListenCallback("127.0.0.1:0", nil)
	defer denied.Close()
	denied.Expect("s")
	resp, err := http.Get(denied.RedirectURI() + "?error=access_denied&error_description=The+user+said+no&state=s")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := denied.Wait(ctx); !errors.Is(err, remote.ErrDenied) {
		t.Fatalf("denied: %v", err)
	}

	if _, err := remote.ListenCallback("0.0.0.0:0", nil); !errors.Is(err, remote.ErrNotLoopback) {
		t.Errorf("listening on every interface: %v", err)
	}
	closed, _ := remote.ListenCallback("127.0.0.1:0", nil)
	go closed.Close()
	if _, err := closed.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Close did not end the wait: %v", err)
	}
}

func TestSleepEndsWithItsContext(t *testing.T) {
	if err := remote.Sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("a short sleep: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := remote.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("a sleep in an ended context: %v, want context.Canceled", err)
	}
	if err := remote.Sleep(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("no sleep in an ended context: %v, want context.Canceled", err)
	}
}
