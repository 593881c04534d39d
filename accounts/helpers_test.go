package accounts_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/zalando/go-keyring"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

func TestMain(m *testing.M) {
	// No test may touch the machine's real keyring.
	keyring.MockInit()
	if os.Getenv(crashChildEnv) != "" {
		os.Exit(crashChild())
	}
	os.Exit(m.Run())
}

// clock is a test's time: Sleep moves it on instead of waiting.
type clock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// syncBuffer is a log destination safe for the outbox's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// network is an HTTP transport the test can cut, as a lost connection does.
type network struct{ offline atomic.Bool }

func (n *network) client() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		// A fresh connection per request, so that going offline takes effect at once.
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, netw, addr string) (net.Conn, error) {
			if n.offline.Load() {
				return nil, &net.OpError{Op: "dial", Net: netw, Err: syscall.ENETUNREACH}
			}
			return d.DialContext(ctx, netw, addr)
		},
	}}
}

// env is one test's Kaiku: a data folder with a store, a fake X, a manager.
type env struct {
	t     *testing.T
	ctx   context.Context
	clock *clock
	srv   *xtest.Server
	dir   string
	store *storage.Store
	m     *accounts.Manager
	log   *syncBuffer
	net   *network
}

type envOption func(*accounts.Options)

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), clock: newClock(), dir: t.TempDir(), log: &syncBuffer{}, net: &network{}}
	e.srv = xtest.Start(t, xtest.Options{Now: e.clock.Now})
	e.open(opts...)
	return e
}

func (e *env) logger() *logrus.Logger {
	l := logrus.New()
	l.SetOutput(e.log)
	l.SetLevel(logrus.DebugLevel)
	return l
}

// open opens the data folder and a manager on it.
func (e *env) open(opts ...envOption) {
	e.t.Helper()
	st, err := storage.Open(e.dir, storage.Options{Logger: e.logger()})
	if err != nil {
		e.t.Fatal(err)
	}
	e.store = st
	e.t.Cleanup(func() { st.Close() })
	o := accounts.Options{Store: st, DataDir: e.dir, Logger: e.logger(), HTTPClient: e.net.client(), Now: e.clock.Now, Sleep: e.clock.Sleep}
	for _, opt := range opts {
		opt(&o)
	}
	if e.m, err = accounts.New(o); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) close() {
	e.t.Helper()
	if err := e.store.Close(); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) linkOptions() accounts.LinkOptions {
	return accounts.LinkOptions{ConsumerKey: e.srv.ConsumerKey(), ConsumerSecret: e.srv.ConsumerSecret(), APIBase: e.srv.URL}
}

// link links the fake X's user with a PIN.
func (e *env) link() planner.Account {
	e.t.Helper()
	l, err := e.m.LinkX(e.ctx, e.linkOptions())
	if err != nil {
		e.t.Fatal(err)
	}
	pin, err := e.srv.Authorize(l.AuthorizeURL())
	if err != nil {
		e.t.Fatal(err)
	}
	acc, err := l.Finish(e.ctx, pin)
	if err != nil {
		e.t.Fatal(err)
	}
	return acc
}

// relink links the account again, by its ID, as its "Link again" does.
func (e *env) relink(acc planner.Account) planner.Account {
	e.t.Helper()
	opts := e.linkOptions()
	opts.AccountID = acc.ID
	l, err := e.m.LinkX(e.ctx, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	pin, err := e.srv.Authorize(l.AuthorizeURL())
	if err != nil {
		e.t.Fatal(err)
	}
	again, err := l.Finish(e.ctx, pin)
	if err != nil {
		e.t.Fatalf("linking again: %v", err)
	}
	return again
}

// schedule saves a post due now through the account: a thread when given
// several parts.
func (e *env) schedule(acc planner.Account, at time.Time, parts ...string) planner.Post {
	e.t.Helper()
	now := e.clock.Now()
	p := planner.Post{ID: planner.NewID(), Status: planner.StatusScheduled, Time: at, Created: now, Updated: now,
		Targets: []planner.Target{{AccountID: acc.ID, Network: acc.Network}}}
	if len(parts) == 1 {
		p.Text = parts[0]
	} else {
		p.Parts = parts
	}
	if err := e.store.SavePost(e.ctx, p); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) post(id string) planner.Post {
	e.t.Helper()
	p, err := e.store.Post(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) account(id string) planner.Account {
	e.t.Helper()
	a, err := e.store.Account(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func (e *env) outbox(opts accounts.OutboxOptions) *accounts.Outbox {
	return e.m.NewOutbox(opts)
}

func (e *env) runDue(ob *accounts.Outbox) accounts.Summary {
	e.t.Helper()
	sum, err := ob.RunDue(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return sum
}

func (e *env) setLate(p planner.LatePolicy) {
	e.t.Helper()
	s, err := e.store.Settings(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	s.Late = p
	if err := e.store.SaveSettings(e.ctx, s); err != nil {
		e.t.Fatal(err)
	}
}

// texts lists what the fake X took, in order.
func texts(tw []xtest.Tweet) []string {
	out := make([]string, len(tw))
	for i, t := range tw {
		out[i] = t.Text
	}
	return out
}

// checkThread asserts that X took exactly these parts, once each, each
// replying to the one before.
func checkThread(t *testing.T, srv *xtest.Server, parts ...string) {
	t.Helper()
	tw := srv.Tweets()
	if len(tw) != len(parts) {
		t.Fatalf("X took %d posts %q, want %d %q", len(tw), texts(tw), len(parts), parts)
	}
	for i, p := range parts {
		if tw[i].Text != p {
			t.Errorf("post %d is %q, want %q", i, tw[i].Text, p)
		}
		want := ""
		if i > 0 {
			want = tw[i-1].ID
		}
		if tw[i].ReplyTo != want {
			t.Errorf("post %d replies to %q, want %q", i, tw[i].ReplyTo, want)
		}
	}
}

func errorKey(err error) string {
	var e *accounts.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}
