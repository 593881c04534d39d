package accounts_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/accountstest"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
)

func TestLinkWithPIN(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	u := e.X.User()
	if acc.Handle != u.Username || acc.Name != u.Name || acc.RemoteID != u.ID || acc.Network != planner.NetworkX ||
		acc.Status != planner.AccountLinked || acc.APIBase != e.X.URL {
		t.Fatalf("account %+v", acc)
	}
	if stored := e.Account(acc.ID); stored.Handle != u.Username {
		t.Fatalf("stored account %+v", stored)
	}
	if path, inUse := e.M.SecretsFile(); inUse {
		t.Errorf("the secrets file %s is in use with a keyring", path)
	}
	if e.X.SignatureFailures() != 0 {
		t.Errorf("%d signature failures", e.X.SignatureFailures())
	}
	// The same X user linked again is the same account.
	if again := e.LinkX(); again.ID != acc.ID {
		t.Errorf("linking the same user again made account %s, want %s", again.ID, acc.ID)
	}
	all, _ := e.Store.Accounts(e.Ctx)
	if len(all) != 1 {
		t.Errorf("%d accounts", len(all))
	}
	checked, err := e.M.Check(e.Ctx, acc.ID)
	if err != nil || checked.Status != planner.AccountLinked {
		t.Fatalf("check: %+v %v", checked, err)
	}
}

func TestLinkWithLoopback(t *testing.T) {
	e := newEnv(t)
	opts := e.XLinkOptions()
	opts.Loopback, opts.CallbackAddr = true, "127.0.0.1:0"
	l, err := e.M.LinkX(e.Ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Finish(e.Ctx, ""); accountstest.ErrorKey(err) != "link.error.pin" {
		t.Errorf("an empty PIN: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := e.X.Authorize(l.AuthorizeURL())
		done <- err
	}()
	ctx, cancel := context.WithTimeout(e.Ctx, 10*time.Second)
	defer cancel()
	acc, err := l.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if acc.Handle != e.X.User().Username {
		t.Fatalf("account %+v", acc)
	}
	if _, err := l.Finish(e.Ctx, "1234567"); accountstest.ErrorKey(err) != "link.error.finished" {
		t.Errorf("a finished link finished again: %v", err)
	}
}

// A link finished or closed says so, and not something about posts.
func TestFinishedLinkSaysSo(t *testing.T) {
	e := newEnv(t)
	l, err := e.M.LinkX(e.Ctx, e.XLinkOptions())
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	_, err = l.Finish(e.Ctx, "1234567")
	if accountstest.ErrorKey(err) != "link.error.finished" || strings.Contains(strings.ToLower(accounts.Message(accountstest.ErrorKey(err))), "post") {
		t.Fatalf("finishing a closed link: %v", err)
	}
}

func TestLinkCallbackNotRegistered(t *testing.T) {
	e := newEnv(t)
	srv := xtest.Start(t, xtest.Options{Callbacks: []string{"http://127.0.0.1:47811/callback"}})
	_, err := e.M.LinkX(e.Ctx, accounts.LinkOptions{ConsumerKey: srv.ConsumerKey(), ConsumerSecret: srv.ConsumerSecret(), APIBase: srv.URL, Loopback: true, CallbackAddr: "127.0.0.1:0"})
	if accountstest.ErrorKey(err) != "link.error.callback" {
		t.Fatalf("got %v", err)
	}
	// The PIN flow needs no registered callback.
	if _, err := e.M.LinkX(e.Ctx, accounts.LinkOptions{ConsumerKey: srv.ConsumerKey(), ConsumerSecret: srv.ConsumerSecret(), APIBase: srv.URL}); err != nil {
		t.Fatal(err)
	}
}

func TestLinkDenied(t *testing.T) {
	e := newEnv(t)
	e.X.Deny(true)
	opts := e.XLinkOptions()
	opts.Loopback, opts.CallbackAddr = true, "127.0.0.1:0"
	l, err := e.M.LinkX(e.Ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	go e.X.Authorize(l.AuthorizeURL())
	ctx, cancel := context.WithTimeout(e.Ctx, 10*time.Second)
	defer cancel()
	if _, err := l.Wait(ctx); accountstest.ErrorKey(err) != "link.error.denied" {
		t.Fatalf("denied: %v", err)
	}
}

func TestLinkErrors(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name string
		opts accounts.LinkOptions
		key  string
	}{
		{"no key", accounts.LinkOptions{ConsumerSecret: "s", APIBase: e.X.URL}, "link.error.keys_required"},
		{"wrong secret", accounts.LinkOptions{ConsumerKey: e.X.ConsumerKey(), ConsumerSecret: "wrongSecretValue123", APIBase: e.X.URL}, "link.error.consumer"},
		{"http elsewhere", accounts.LinkOptions{ConsumerKey: "k", ConsumerSecret: "s", APIBase: "http://api.example.com"}, "link.error.api_base"},
		{"not a URL", accounts.LinkOptions{ConsumerKey: "k", ConsumerSecret: "s", APIBase: "ftp://x"}, "link.error.api_base"},
		{"unreachable", accounts.LinkOptions{ConsumerKey: "k", ConsumerSecret: "s", APIBase: "http://127.0.0.1:1"}, "link.error.network"},
		{"callback elsewhere", accounts.LinkOptions{ConsumerKey: "k", ConsumerSecret: "s", APIBase: e.X.URL, Loopback: true, CallbackAddr: "0.0.0.0:0"}, "link.error.port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.M.LinkX(e.Ctx, tc.opts)
			if accountstest.ErrorKey(err) != tc.key {
				t.Fatalf("got %v, want %s", err, tc.key)
			}
			if strings.Contains(err.Error(), "wrongSecretValue123") {
				t.Fatalf("the error shows the secret: %v", err)
			}
		})
	}

	l, err := e.M.LinkX(e.Ctx, e.XLinkOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.X.Authorize(l.AuthorizeURL()); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Finish(e.Ctx, "0000000"); accountstest.ErrorKey(err) != "link.error.pin" {
		t.Fatalf("a wrong PIN: %v", err)
	}
	if _, err := l.Wait(e.Ctx); accountstest.ErrorKey(err) != "link.error.not_loopback" {
		t.Fatalf("wait on a PIN link: %v", err)
	}
}

// A 401 makes the account need a new link; linking it again by its ID keeps
// it, and the posts that wait for it.
func TestRelink(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	e.X.RevokeAll()
	got, err := e.M.Check(e.Ctx, acc.ID)
	if accountstest.ErrorKey(err) != "outbox.error.relink" || got.Status != planner.AccountNeedsRelink {
		t.Fatalf("check after revoke: %+v %v", got, err)
	}
	opts := e.XLinkOptions()
	opts.AccountID = acc.ID
	l, err := e.M.LinkX(e.Ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	pin, _ := e.X.Authorize(l.AuthorizeURL())
	again, err := l.Finish(e.Ctx, pin)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != acc.ID || again.Status != planner.AccountLinked || !again.Created.Equal(acc.Created) {
		t.Fatalf("relinked %+v, was %+v", again, acc)
	}
	opts.AccountID = "no-such-account"
	if _, err := e.M.LinkX(e.Ctx, opts); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("relinking a missing account: %v", err)
	}
}

// X refuses API access to an app that is not in a project.
func TestLinkAppNotEnrolled(t *testing.T) {
	e := newEnv(t)
	e.X.Fail(xtest.Failure{Endpoint: xtest.UsersMe, Status: 403, Body: `{"client_id":"1","detail":"When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.","registration_url":"https://developer.twitter.com/en/docs/projects/overview","title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access","reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}`})
	l, err := e.M.LinkX(e.Ctx, e.XLinkOptions())
	if err != nil {
		t.Fatal(err)
	}
	pin, _ := e.X.Authorize(l.AuthorizeURL())
	_, err = l.Finish(e.Ctx, pin)
	if accountstest.ErrorKey(err) != "link.error.project" {
		t.Fatalf("got %v", err)
	}
	all, _ := e.Store.Accounts(e.Ctx)
	if len(all) != 0 {
		t.Fatalf("an account was saved: %+v", all)
	}
}

func TestUnlinkRemovesSecrets(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	if _, err := e.M.Publisher(e.Ctx, acc); err != nil {
		t.Fatal(err)
	}
	if _, err := e.M.Unlink(e.Ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Account(e.Ctx, acc.ID); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("the account is still stored: %v", err)
	}
	if accounts.HasSecrets(e.M, acc.ID) {
		t.Fatal("the secrets outlived the unlink")
	}
	if _, err := e.M.Unlink(e.Ctx, acc.ID); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("unlinking twice: %v", err)
	}
}

func TestCloseEndsWait(t *testing.T) {
	e := newEnv(t)
	opts := e.XLinkOptions()
	opts.Loopback, opts.CallbackAddr = true, "127.0.0.1:0"
	l, err := e.M.LinkX(e.Ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := l.Wait(e.Ctx)
		done <- err
	}()
	l.Close()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("wait: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end Wait")
	}
	if _, err := e.X.Authorize(l.AuthorizeURL()); err == nil {
		t.Fatal("the loopback server still answers after Close")
	}
}

// Closing a link never waits for the network calls of a Finish under way.
func TestCloseDoesNotWaitForFinish(t *testing.T) {
	slow := xtest.Slow("/oauth/access_token")
	defer slow.Release()
	e := newEnv(t, func(o *accounts.Options) { o.HTTPClient = &http.Client{Transport: slow, Timeout: 30 * time.Second} })
	l, err := e.M.LinkX(e.Ctx, e.XLinkOptions())
	if err != nil {
		t.Fatal(err)
	}
	pin, _ := e.X.Authorize(l.AuthorizeURL())
	finished := make(chan error, 1)
	go func() {
		_, err := l.Finish(e.Ctx, pin)
		finished <- err
	}()
	<-slow.Held()
	closed := make(chan struct{})
	go func() {
		l.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for Finish's network call")
	}
	slow.Release()
	if err := <-finished; err != nil {
		t.Fatalf("the finish under way: %v", err)
	}
	if _, err := l.Finish(e.Ctx, pin); accountstest.ErrorKey(err) != "link.error.finished" {
		t.Fatalf("finishing again: %v", err)
	}
}
