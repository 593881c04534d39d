package ui

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/accounts"
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
