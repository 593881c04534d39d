// Package accountstest is a Kaiku with linked accounts for tests: a data
// folder with a real store, a clock that tests move, an HTTP client they
// can cut off, an accounts.Manager, and the networks' fakes linked through
// Kaiku's own linking code.
package accountstest

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/media"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

// Clock is a test's time: Sleep moves it on instead of waiting.
type Clock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

// NewClock starts at 1 December 2026, 9:00 UTC.
func NewClock() *Clock { return &Clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Sleep moves the clock on by d, unless ctx has ended.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Slept lists the sleeps, in order.
func (c *Clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// SyncBuffer is a log destination safe for the outbox's goroutine.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Network is an HTTP transport the test can cut, as a lost connection does.
type Network struct{ Offline atomic.Bool }

// Client is an HTTP client over the network.
func (n *Network) Client() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		// A fresh connection per request, so that going offline takes effect at once.
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, netw, addr string) (net.Conn, error) {
			if n.Offline.Load() {
				return nil, &net.OpError{Op: "dial", Net: netw, Err: syscall.ENETUNREACH}
			}
			return d.DialContext(ctx, netw, addr)
		},
	}}
}

// errNoKeyring is what a machine without a keyring answers.
var errNoKeyring = errors.New("org.freedesktop.DBus.Error.ServiceUnknown: no keyring here")

type noKeyring struct{}

func (noKeyring) Set(string, string, string) error   { return errNoKeyring }
func (noKeyring) Get(string, string) (string, error) { return "", errNoKeyring }
func (noKeyring) Delete(string, string) error        { return errNoKeyring }

// Option changes the manager's options.
type Option func(*accounts.Options)

// WithoutKeyring makes the manager find no keyring, as on a headless Linux box.
func WithoutKeyring(o *accounts.Options) { o.Keyring = noKeyring{} }

// Env is one test's Kaiku: a data folder with a store, a manager, and the
// networks' fakes, each started when first asked for.
type Env struct {
	T     testing.TB
	Ctx   context.Context
	Clock *Clock
	Dir   string
	Store *storage.Store
	M     *accounts.Manager
	Log   *SyncBuffer
	Net   *Network
	// X is a fake X, whose user LinkX links.
	X *xtest.Server
}

// New makes a test's Kaiku in a new data folder.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	e := &Env{T: t, Ctx: context.Background(), Clock: NewClock(), Dir: t.TempDir(), Log: &SyncBuffer{}, Net: &Network{}}
	e.X = xtest.Start(t, xtest.Options{Now: e.Clock.Now})
	e.Open(opts...)
	return e
}

func (e *Env) logger() *logrus.Logger {
	l := logrus.New()
	l.SetOutput(e.Log)
	l.SetLevel(logrus.DebugLevel)
	return l
}

// Open opens the data folder and a manager on it.
func (e *Env) Open(opts ...Option) {
	e.T.Helper()
	st, err := storage.Open(e.Dir, storage.Options{Logger: e.logger()})
	if err != nil {
		e.T.Fatal(err)
	}
	e.Store = st
	e.T.Cleanup(func() { st.Close() })
	o := accounts.Options{Store: st, DataDir: e.Dir, Logger: e.logger(), HTTPClient: e.Net.Client(), Now: e.Clock.Now, Sleep: e.Clock.Sleep}
	for _, opt := range opts {
		opt(&o)
	}
	if e.M, err = accounts.New(o); err != nil {
		e.T.Fatal(err)
	}
}

// Close closes the store, as quitting Kaiku does.
func (e *Env) Close() {
	e.T.Helper()
	if err := e.Store.Close(); err != nil {
		e.T.Fatal(err)
	}
}

// XLinkOptions link the fake X's user.
func (e *Env) XLinkOptions() accounts.LinkOptions {
	return accounts.LinkOptions{ConsumerKey: e.X.ConsumerKey(), ConsumerSecret: e.X.ConsumerSecret(), APIBase: e.X.URL}
}

// LinkX links the fake X's user with a PIN.
func (e *Env) LinkX() planner.Account {
	e.T.Helper()
	return e.linkX(e.XLinkOptions())
}

// RelinkX links the account again, by its ID, as its "Link again" does.
func (e *Env) RelinkX(acc planner.Account) planner.Account {
	e.T.Helper()
	opts := e.XLinkOptions()
	opts.AccountID = acc.ID
	return e.linkX(opts)
}

func (e *Env) linkX(opts accounts.LinkOptions) planner.Account {
	e.T.Helper()
	l, err := e.M.LinkX(e.Ctx, opts)
	if err != nil {
		e.T.Fatal(err)
	}
	pin, err := e.X.Authorize(l.AuthorizeURL())
	if err != nil {
		e.T.Fatal(err)
	}
	acc, err := l.Finish(e.Ctx, pin)
	if err != nil {
		e.T.Fatalf("linking X: %v", err)
	}
	return acc
}

// Mastodon starts a fake Mastodon instance on the test's clock.
func (e *Env) Mastodon(opts mastodontest.Options) *mastodontest.Server {
	opts.Now = e.Clock.Now
	return mastodontest.Start(e.T, opts)
}

// LinkMastodon links the instance's account through the browser's return
// to Kaiku, or, with oob, the code typed in.
func (e *Env) LinkMastodon(srv *mastodontest.Server, oob bool, relinkID string) planner.Account {
	e.T.Helper()
	return e.LinkMastodonWith(srv, accounts.MastodonOptions{OOB: oob, CallbackAddr: "127.0.0.1:0", AccountID: relinkID})
}

// LinkMastodonWith links the instance's account with these options.
func (e *Env) LinkMastodonWith(srv *mastodontest.Server, opts accounts.MastodonOptions) planner.Account {
	e.T.Helper()
	opts.Instance = srv.URL
	oob := opts.OOB
	l, err := e.M.LinkMastodon(e.Ctx, opts)
	if err != nil {
		e.T.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(e.Ctx, 10*time.Second)
	defer cancel()
	var acc planner.Account
	if oob {
		code, aerr := srv.Authorize(l.AuthorizeURL())
		if aerr != nil {
			e.T.Fatal(aerr)
		}
		acc, err = l.Finish(ctx, code)
	} else {
		errs := make(chan error, 1)
		go func() { _, err := srv.Authorize(l.AuthorizeURL()); errs <- err }()
		acc, err = l.Wait(ctx)
		if aerr := <-errs; aerr != nil {
			e.T.Fatal(aerr)
		}
	}
	if err != nil {
		e.T.Fatalf("linking Mastodon: %v", err)
	}
	return acc
}

// Bluesky starts a fake PDS on the test's clock.
func (e *Env) Bluesky(opts blueskytest.Options) *blueskytest.Server {
	opts.Now = e.Clock.Now
	return blueskytest.Start(e.T, opts)
}

// LinkBluesky links the PDS's account with its app password.
func (e *Env) LinkBluesky(srv *blueskytest.Server) planner.Account {
	e.T.Helper()
	acc, err := e.M.LinkBluesky(e.Ctx, accounts.BlueskyOptions{Service: srv.URL, Handle: srv.Handle(), AppPassword: srv.AppPassword()})
	if err != nil {
		e.T.Fatalf("linking Bluesky: %v", err)
	}
	return acc
}

// LinkedIn starts a fake LinkedIn on the test's clock.
func (e *Env) LinkedIn(opts linkedintest.Options) *linkedintest.Server {
	opts.Now = e.Clock.Now
	return linkedintest.Start(e.T, opts)
}

// LinkLinkedIn links the fake LinkedIn's member through the app, on a free
// port the app has registered.
func (e *Env) LinkLinkedIn(srv *linkedintest.Server) planner.Account {
	e.T.Helper()
	l, err := e.M.LinkLinkedIn(e.Ctx, accounts.LinkedInOptions{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), APIBase: srv.URL, CallbackAddr: "127.0.0.1:0"})
	if err != nil {
		e.T.Fatal(err)
	}
	defer l.Close()
	u, err := url.Parse(l.AuthorizeURL())
	if err != nil {
		e.T.Fatal(err)
	}
	srv.RegisterRedirect(u.Query().Get("redirect_uri"))
	errs := make(chan error, 1)
	go func() { errs <- srv.Authorize(l.AuthorizeURL()) }()
	ctx, cancel := context.WithTimeout(e.Ctx, 10*time.Second)
	defer cancel()
	acc, err := l.Wait(ctx)
	if aerr := <-errs; aerr != nil {
		e.T.Fatal(aerr)
	}
	if err != nil {
		e.T.Fatalf("linking LinkedIn: %v", err)
	}
	return acc
}

// Schedule saves a post due at a time through the account: a thread when
// given several parts.
func (e *Env) Schedule(acc planner.Account, at time.Time, parts ...string) planner.Post {
	e.T.Helper()
	return e.ScheduleTo([]planner.Account{acc}, at, parts...)
}

// ScheduleTo saves a post due at a time through several accounts.
func (e *Env) ScheduleTo(accs []planner.Account, at time.Time, parts ...string) planner.Post {
	e.T.Helper()
	now := e.Clock.Now()
	p := planner.Post{ID: planner.NewID(), Status: planner.StatusScheduled, Time: at, Created: now, Updated: now}
	for _, acc := range accs {
		p.Targets = append(p.Targets, planner.Target{AccountID: acc.ID, Network: acc.Network})
	}
	if len(parts) == 1 {
		p.Text = parts[0]
	} else {
		p.Parts = parts
	}
	if err := e.Store.SavePost(e.Ctx, p); err != nil {
		e.T.Fatal(err)
	}
	return p
}

// Post reads a post.
func (e *Env) Post(id string) planner.Post {
	e.T.Helper()
	p, err := e.Store.Post(e.Ctx, id)
	if err != nil {
		e.T.Fatal(err)
	}
	return p
}

// Account reads an account.
func (e *Env) Account(id string) planner.Account {
	e.T.Helper()
	a, err := e.Store.Account(e.Ctx, id)
	if err != nil {
		e.T.Fatal(err)
	}
	return a
}

// Outbox makes the manager's outbox.
func (e *Env) Outbox(opts accounts.OutboxOptions) *accounts.Outbox {
	return e.M.NewOutbox(opts)
}

// RunDue runs the outbox once.
func (e *Env) RunDue(ob *accounts.Outbox) accounts.Summary {
	e.T.Helper()
	sum, err := ob.RunDue(e.Ctx)
	if err != nil {
		e.T.Fatal(err)
	}
	return sum
}

// SetLate sets what happens to posts that fell due while Kaiku was closed.
func (e *Env) SetLate(p planner.LatePolicy) {
	e.T.Helper()
	s, err := e.Store.Settings(e.Ctx)
	if err != nil {
		e.T.Fatal(err)
	}
	s.Late = p
	if err := e.Store.SaveSettings(e.Ctx, s); err != nil {
		e.T.Fatal(err)
	}
}

// Texts lists what the fake X took, in order.
func Texts(tw []xtest.Tweet) []string {
	out := make([]string, len(tw))
	for i, t := range tw {
		out[i] = t.Text
	}
	return out
}

// CheckThread asserts that X took exactly these parts, once each, each
// replying to the one before.
func CheckThread(t testing.TB, srv *xtest.Server, parts ...string) {
	t.Helper()
	tw := srv.Tweets()
	if len(tw) != len(parts) {
		t.Fatalf("X took %d posts %q, want %d %q", len(tw), Texts(tw), len(parts), parts)
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

// ErrorKey is the translation key of an accounts error, "" for another.
func ErrorKey(err error) string {
	if e, ok := explain.As(err); ok {
		return e.Key
	}
	return ""
}

// ImageFile is an image to attach to a post: a file's bytes, its alt
// text, and the thread part it goes with.
type ImageFile struct {
	Data []byte
	Alt  string
	Part int
}

// AttachImages prepares the images as attaching one does (media.Prepare),
// stores them, and adds them to the post.
func (e *Env) AttachImages(id string, files ...ImageFile) planner.Post {
	e.T.Helper()
	var ims []planner.Image
	for _, f := range files {
		prep, err := media.Prepare(f.Data)
		if err != nil {
			e.T.Fatalf("preparing an image: %v", err)
		}
		hash, err := e.Store.SaveImage(e.Ctx, prep.Data)
		if err != nil {
			e.T.Fatal(err)
		}
		ims = append(ims, planner.Image{Hash: hash, Alt: f.Alt, Type: prep.Type, Width: prep.Width, Height: prep.Height, Part: f.Part})
	}
	p, err := e.Store.UpdatePost(e.Ctx, id, func(p *planner.Post) error {
		p.Images = append(p.Images, ims...)
		return nil
	})
	if err != nil {
		e.T.Fatal(err)
	}
	return p
}

// Photo is a JPEG of w×h pixels of noise, which compresses badly: some
// 0.5 bytes a pixel and up at quality 95, so that a size limit bites.
func Photo(t testing.TB, w, h int, seed uint64) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for y := range h {
		for x := range w {
			v := uint8(r.UintN(256))
			m.SetRGBA(x, y, color.RGBA{R: v, G: uint8(x * 255 / max(w, 1)), B: uint8(y * 255 / max(h, 1)), A: 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
