package ui

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
)

// newManager makes the account tools over the test's store, with keys in
// dir (or the keyring), an HTTP client if given, and no waiting.
func newManager(t *testing.T, d *Deps, dir string, client *http.Client) *accounts.Manager {
	t.Helper()
	m, err := accounts.New(accounts.Options{Store: d.Store, DataDir: dir, Logger: d.Log, Now: d.Now, HTTPClient: client,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLinkPublishNowFromTheWindow(t *testing.T) {
	a := test.NewTempApp(t)
	srv := xtest.Start(t, xtest.Options{User: xtest.User{ID: "42", Username: "maija", Name: "Maija"}})
	d := newDeps(t)
	m := newManager(t, d, t.TempDir(), nil)
	d.Accounts, d.Outbox = m, m.NewOutbox(accounts.OutboxOptions{})
	w := NewWindow(a, d)
	defer w.Close()

	s := w.Accounts()
	s.key.SetText(srv.ConsumerKey())
	s.secret.SetText(srv.ConsumerSecret())
	s.apiBase.SetText(srv.URL)
	s.startLink()
	if s.link == nil || !s.pinRow.Visible() {
		t.Fatalf("no PIN step: %q", s.status.Text)
	}
	pin, err := srv.Authorize(s.link.AuthorizeURL())
	if err != nil {
		t.Fatal(err)
	}
	s.pin.SetText(pin)
	s.finishLink()
	if !strings.Contains(s.status.Text, "@maija") {
		t.Fatalf("after the PIN: %q", s.status.Text)
	}
	linked, _ := d.Store.Accounts(context.Background())
	if len(linked) != 1 || linked[0].Handle != "maija" {
		t.Fatalf("accounts %+v", linked)
	}

	c := w.Composer()
	c.New()
	test.Type(c.text, "Hei X, terveisiä Kaiusta")
	c.selectTargets([]planner.Target{{AccountID: linked[0].ID, Network: planner.NetworkX}})
	c.updateActions()
	if c.publish.Disabled() {
		t.Fatal("Publish now is off with a linked account chosen")
	}
	test.Tap(c.publish)
	tweets := srv.Tweets()
	if len(tweets) != 1 || tweets[0].Text != "Hei X, terveisiä Kaiusta" {
		t.Fatalf("X got %+v", tweets)
	}
	if c.post.Status != planner.StatusPublished {
		t.Errorf("composer shows %s", c.post.Status)
	}
}

// Starting a new link while the last one still waits for X does not block
// the UI goroutine.
func TestNewLinkWhileOneFinishesDoesNotFreeze(t *testing.T) {
	a := test.NewTempApp(t)
	srv := xtest.Start(t, xtest.Options{})
	slow := xtest.Slow("/oauth/access_token")
	defer slow.Release()
	d := newDeps(t)
	// The test driver has no UI goroutine: one lock stands in for it.
	var ui sync.Mutex
	onUI := func(f func()) { ui.Lock(); defer ui.Unlock(); f() }
	var work sync.WaitGroup
	d.Background = func(f func()) {
		work.Add(1)
		go func() { defer work.Done(); f() }()
	}
	d.Do = onUI
	d.Accounts = newManager(t, d, t.TempDir(), &http.Client{Transport: slow, Timeout: time.Minute})
	var s *AccountsScreen
	onUI(func() {
		s = NewWindow(a, d).Accounts()
		s.key.SetText(srv.ConsumerKey())
		s.secret.SetText(srv.ConsumerSecret())
		s.apiBase.SetText(srv.URL)
		s.startLink()
	})
	authURL := ""
	eventually(t, "the PIN step", func() bool {
		onUI(func() {
			if s.link != nil {
				authURL = s.link.AuthorizeURL()
			}
		})
		return authURL != ""
	})
	pin, err := srv.Authorize(authURL)
	if err != nil {
		t.Fatal(err)
	}
	onUI(func() {
		s.pin.SetText(pin)
		s.finishLink()
	})
	<-slow.Held() // X is slow to answer the PIN

	started := make(chan struct{})
	go func() {
		onUI(s.startLink) // the user starts over
		close(started)
	}()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("starting a new link waited on the UI goroutine for the old one")
	}
	slow.Release()
	work.Wait()
}

// Without the account tools the screen says so, and its buttons do nothing
// that needs them.
func TestAccountsScreenWithoutAccountTools(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	acc := planner.Account{ID: planner.NewID(), Network: planner.NetworkX, Handle: "maija", Status: planner.AccountLinked, Created: now, Updated: now}
	if err := d.Store.SaveAccount(context.Background(), acc); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	s := w.Accounts()
	if !s.warning.Visible() || !strings.Contains(s.warning.Text, "could not start its account tools") {
		t.Fatalf("the screen says %q", s.warning.Text)
	}
	test.Tap(findButton(t, s, "Test"))
	test.Tap(findButton(t, s, "Unlink"))
	if !s.start.Disabled() {
		t.Error("linking is offered without the tools to do it")
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Error("a button without its tools opened a dialog")
	}
}

// A damaged secrets file is named on the accounts screen, with what to do.
func TestAccountsScreenSaysSecretsAreDamaged(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, accounts.SecretsFileName), []byte("{damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	d.Accounts = newManager(t, d, dir, nil)
	w := NewWindow(a, d)
	defer w.Close()
	s := w.Accounts()
	if !s.warning.Visible() || !strings.Contains(s.warning.Text, "is damaged") || !strings.Contains(s.warning.Text, "Link your accounts again") {
		t.Fatalf("the screen says %q", s.warning.Text)
	}
}

// Mastodon (with a code typed in) and Bluesky (with an app password) are
// linked from the screen, which then lists them with their handles.
func TestLinkMastodonAndBlueskyFromTheScreen(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	d.Accounts = newManager(t, d, t.TempDir(), nil)
	w := NewWindow(a, d)
	defer w.Close()
	s := w.Accounts()

	masto := mastodontest.Start(t, mastodontest.Options{})
	s.network.SetSelected("Mastodon")
	if s.start.Text != "Open the server to authorize" || !s.forms[planner.NetworkMastodon].Visible() || s.forms[planner.NetworkX].Visible() {
		t.Fatalf("the Mastodon form is not shown: %q", s.start.Text)
	}
	s.instance.SetText(masto.URL)
	s.oob.SetChecked(true)
	s.startLink()
	if s.link == nil || !s.pinRow.Visible() || s.pin.PlaceHolder != "Code from the server" {
		t.Fatalf("no code step: %q", s.status.Text)
	}
	code, err := masto.Authorize(s.link.AuthorizeURL())
	if err != nil {
		t.Fatal(err)
	}
	s.pin.SetText(code)
	s.finishLink()
	if !strings.Contains(s.status.Text, "Linked as @kaiku_tester@") {
		t.Fatalf("after the code: %q", s.status.Text)
	}

	bsky := blueskytest.Start(t, blueskytest.Options{Handle: "maija.test"})
	s.network.SetSelected("Bluesky")
	s.handle.SetText("maija.test")
	s.service.SetText(bsky.URL)
	s.appPassword.SetText(bsky.AppPassword())
	s.startLink()
	if !strings.Contains(s.status.Text, "Linked as @maija.test") || s.appPassword.Text != "" {
		t.Fatalf("after the app password: %q", s.status.Text)
	}
	said := strings.Join(textsUnder(s.list), " ")
	if !strings.Contains(said, "Mastodon  @kaiku_tester@") || !strings.Contains(said, "Bluesky  @maija.test") {
		t.Fatalf("the list says %q", said)
	}
	// A wrong app password says where to make one.
	s.appPassword.SetText("wrong-pass-word-0000")
	s.startLink()
	top := w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(strings.Join(textsUnder(top), " "), "App passwords") {
		t.Fatal("a wrong app password was not explained")
	}
}

// LinkedIn links through the browser's return, off the UI goroutine; its
// row then shows the days the link has left.
func TestLinkLinkedInFromTheScreen(t *testing.T) {
	a := test.NewTempApp(t)
	li := linkedintest.Start(t, linkedintest.Options{GivenName: "Maija", FamilyName: "Meikäläinen"})
	d := newDeps(t)
	// The test driver has no UI goroutine: one lock stands in for it.
	var ui sync.Mutex
	onUI := func(f func()) { ui.Lock(); defer ui.Unlock(); f() }
	var work sync.WaitGroup
	d.Background = func(f func()) {
		work.Add(1)
		go func() { defer work.Done(); f() }()
	}
	d.Do = onUI
	d.Accounts = newManager(t, d, t.TempDir(), nil)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	li.RegisterRedirect("http://127.0.0.1:" + strconv.Itoa(port) + "/callback")
	var s *AccountsScreen
	onUI(func() {
		s = NewWindow(a, d).Accounts()
		s.network.SetSelected("LinkedIn")
		s.clientID.SetText(li.ClientID())
		s.clientSecret.SetText(li.ClientSecret())
		s.port.SetText(strconv.Itoa(port))
		s.linkedinBase.SetText(li.URL)
		s.startLink()
	})
	authURL := ""
	eventually(t, "the address to open", func() bool {
		onUI(func() {
			if s.link != nil {
				authURL = s.link.AuthorizeURL()
			}
		})
		return authURL != ""
	})
	if err := li.Authorize(authURL); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the link", func() bool {
		linked := false
		onUI(func() { linked = strings.Contains(s.status.Text, "Linked as Maija Meikäläinen") })
		return linked
	})
	work.Wait()
	eventually(t, "the list", func() bool {
		said := ""
		onUI(func() { said = strings.Join(textsUnder(s.list), " ") })
		return strings.Contains(said, "LinkedIn  Maija Meikäläinen") && strings.Contains(said, "60 days left")
	})
}

// A LinkedIn link in its last week is warned of, and so are the posts due
// after it ends; an ended link says so.
func TestAccountsScreenWarnsOfLinkEnds(t *testing.T) {
	a := test.NewTempApp(t)
	d := newDeps(t)
	soon := planner.Account{ID: planner.NewID(), Network: planner.NetworkLinkedIn, Handle: "Maija", Name: "Maija", Status: planner.AccountLinked,
		Expires: now.Add(5*24*time.Hour - time.Hour), Created: now, Updated: now}
	ended := planner.Account{ID: planner.NewID(), Network: planner.NetworkLinkedIn, Handle: "Matti", Name: "Matti", Status: planner.AccountLinked,
		Expires: now.Add(-time.Hour), Created: now, Updated: now}
	late := planner.Post{ID: planner.NewID(), Text: "Liian myöhään", Status: planner.StatusScheduled, Time: now.Add(6 * 24 * time.Hour), Created: now, Updated: now,
		Targets: []planner.Target{{AccountID: soon.ID, Network: planner.NetworkLinkedIn}}}
	ctx := context.Background()
	if err := errors.Join(d.Store.SaveAccount(ctx, soon), d.Store.SaveAccount(ctx, ended), d.Store.SavePost(ctx, late)); err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, d)
	defer w.Close()
	said := strings.Join(textsUnder(w.Accounts().list), " ")
	for _, want := range []string{"The link ends in 5 days", "Scheduled posts due after the link ends: 1.", "The link has ended"} {
		if !strings.Contains(said, want) {
			t.Errorf("the screen does not say %q: %q", want, said)
		}
	}
}
