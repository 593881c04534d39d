package remote

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"sync"
	"time"
)

// ErrDenied is returned when the user refused in the browser.
var ErrDenied = errors.New("the user did not allow access")

// ErrNotLoopback is returned, wrapped, for a callback address that is not
// on this computer.
var ErrNotLoopback = errors.New("not an address on this computer")

// Callback is a one-shot server on this computer that takes the browser's
// return from an OAuth consent page: GET /callback?code=…&state=… (or
// ?error=…). Only an answer with the state given to Expect counts.
type Callback struct {
	ln   net.Listener
	srv  *http.Server
	page func(denied bool) string

	mu    sync.Mutex
	state string

	once   sync.Once
	result chan callbackResult
	stop   sync.Once
	closed chan struct{}
}

type callbackResult struct {
	code   string
	denied bool
	detail string
}

// ListenCallback listens on addr ("127.0.0.1:0" for any free port); its
// RedirectURI goes into the authorization request, whose state then goes
// to Expect. page gives the text the browser shows afterwards (nil: a
// plain English text).
func ListenCallback(addr string, page func(denied bool) string) (*Callback, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !IsLoopbackHost(host) {
		return nil, fmt.Errorf("%s: %w", addr, ErrNotLoopback)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for the browser on %s: %w", addr, err)
	}
	if page == nil {
		page = func(denied bool) string {
			if denied {
				return "Linking was cancelled. You can close this tab."
			}
			return "Kaiku got the answer. You can close this tab and return to Kaiku."
		}
	}
	c := &Callback{ln: ln, page: page, result: make(chan callbackResult, 1), closed: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /callback", c.serve)
	c.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = c.srv.Serve(ln) }()
	return c, nil
}

// RedirectURI is the address to give the authorization server:
// http://127.0.0.1:PORT/callback.
func (c *Callback) RedirectURI() string { return "http://" + c.ln.Addr().String() + "/callback" }

// Expect sets the state the answer must carry: the authorization
// request's, which ties the answer to this sign-in.
func (c *Callback) Expect(state string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state = state
}

func (c *Callback) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c.mu.Lock()
	want := c.state
	c.mu.Unlock()
	if want == "" || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(want)) != 1 {
		http.Error(w, "This address is not waiting for that answer.", http.StatusBadRequest)
		return
	}
	var res callbackResult
	switch {
	case q.Get("error") != "":
		res = callbackResult{denied: true, detail: Cut(q.Get("error_description"), DetailLimit)}
	case q.Get("code") != "":
		res = callbackResult{code: q.Get("code")}
	default:
		http.Error(w, "The answer has no code.", http.StatusBadRequest)
		return
	}
	c.once.Do(func() { c.result <- res })
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The page must not send the address, code included, on to anybody.
	w.Header().Set("Referrer-Policy", "no-referrer")
	fmt.Fprintf(w, "<!doctype html><meta charset=\"utf-8\"><title>Kaiku</title><p style=\"font-family:sans-serif;margin:3em\">%s</p>\n",
		html.EscapeString(c.page(res.denied)))
}

// Wait waits for the browser's answer and returns the authorization code;
// a refusal is ErrDenied (with the server's words, if any). The end of ctx
// or Close ends the wait.
func (c *Callback) Wait(ctx context.Context) (string, error) {
	// An answer that came before a Close still counts.
	select {
	case r := <-c.result:
		c.Close()
		return r.outcome()
	default:
	}
	select {
	case r := <-c.result:
		c.Close()
		return r.outcome()
	case <-ctx.Done():
		c.Close()
		return "", ctx.Err()
	case <-c.closed:
		return "", context.Canceled
	}
}

// Close stops the server and ends a Wait with context.Canceled; closing
// twice is harmless. A page being sent to the browser is let finish.
func (c *Callback) Close() {
	c.stop.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if c.srv.Shutdown(ctx) != nil {
			_ = c.srv.Close()
		}
		close(c.closed)
	})
}

func (r callbackResult) outcome() (string, error) {
	if !r.denied {
		return r.code, nil
	}
	if r.detail != "" {
		return "", fmt.Errorf("%w: %s", ErrDenied, r.detail)
	}
	return "", ErrDenied
}
