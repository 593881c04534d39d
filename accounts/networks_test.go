package accounts_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/accountstest"
	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/planner"
)

// keyringEntry reads an account's secrets from the (mock) keyring.
func keyringEntry(t *testing.T, id string) map[string]string {
	t.Helper()
	s, err := keyring.Get("Kaiku", "account/"+id)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLinkMastodonThroughTheBrowsersReturn(t *testing.T) {
	e := newEnv(t)
	srv := e.Mastodon(mastodontest.Options{PKCE: true, MaxCharacters: 1000, Domain: "kaiku.example"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().String() // as the default port, the same every time
	ln.Close()
	acc := e.LinkMastodonWith(srv, accounts.MastodonOptions{CallbackAddr: port})
	if acc.Network != planner.NetworkMastodon || acc.Handle != "kaiku_tester@kaiku.example" || acc.DisplayHandle() != "@kaiku_tester@kaiku.example" ||
		acc.APIBase != srv.URL || acc.RemoteID != mastodontest.AccountID || acc.TextLimit != 1000 || acc.URLWeight != 23 || acc.Status != planner.AccountLinked {
		t.Fatalf("account %+v", acc)
	}
	if ch := srv.Challenges(); len(ch) != 1 || ch[0] == "" {
		t.Errorf("no PKCE challenge: %q", ch)
	}
	s := keyringEntry(t, acc.ID)
	if s["access_token"] == "" || s["client_id"] == "" || s["client_secret"] == "" {
		t.Errorf("the keyring holds %d secrets", len(s))
	}
	// Linking again, the same registration serves, and the account keeps its ID.
	again := e.LinkMastodonWith(srv, accounts.MastodonOptions{CallbackAddr: port, AccountID: acc.ID})
	if again.ID != acc.ID || srv.Count(mastodontest.Apps) != 1 {
		t.Fatalf("linked again as %s with %d registrations", again.ID, srv.Count(mastodontest.Apps))
	}
	if list, _ := e.Store.Accounts(e.Ctx); len(list) != 1 {
		t.Errorf("%d accounts", len(list))
	}
}

// Where the browser cannot come back to Kaiku, the code the server shows
// is typed in; an older server gets read:accounts and no PKCE.
func TestLinkMastodonWithACode(t *testing.T) {
	e := newEnv(t)
	srv := e.Mastodon(mastodontest.Options{})
	acc := e.LinkMastodon(srv, true, "")
	if acc.Handle == "" || acc.Status != planner.AccountLinked {
		t.Fatalf("account %+v", acc)
	}
	if s := keyringEntry(t, acc.ID); s["scope"] != "write:statuses read:accounts" {
		t.Errorf("scope %q", s["scope"])
	}
	l, err := e.M.LinkMastodon(e.Ctx, accounts.MastodonOptions{Instance: srv.URL, OOB: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Finish(e.Ctx, "not-the-code"); accountstest.ErrorKey(err) != "link.error.code.mastodon" {
		t.Errorf("a wrong code: %v", err)
	}
	if _, err := l.Wait(e.Ctx); accountstest.ErrorKey(err) != "link.error.not_loopback" {
		t.Errorf("waiting for the browser on a code link: %v", err)
	}
}

// An instance that forgot Kaiku's registration refuses the sign-in in the
// browser; after the user gives up on that link, the next one registers
// Kaiku again.
func TestLinkMastodonRegistersAgainWhenForgotten(t *testing.T) {
	e := newEnv(t)
	srv := e.Mastodon(mastodontest.Options{PKCE: true})
	e.LinkMastodon(srv, true, "")
	srv.ForgetApps()
	l, err := e.M.LinkMastodon(e.Ctx, accounts.MastodonOptions{Instance: srv.URL, OOB: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Authorize(l.AuthorizeURL()); err == nil {
		t.Fatal("a forgotten registration was accepted")
	}
	l.Close()
	e.LinkMastodon(srv, true, "")
	if n := srv.Count(mastodontest.Apps); n != 2 {
		t.Errorf("%d registrations, want 2", n)
	}
}

func TestLinkMastodonErrors(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ instance, key string }{
		{"http://mastodon.social", "hand.error.instance"},
		{"https://mastodon.social/@maija", "hand.error.instance"},
		{"http://127.0.0.1:1", "link.error.network.mastodon"},
	} {
		if _, err := e.M.LinkMastodon(e.Ctx, accounts.MastodonOptions{Instance: tc.instance, OOB: true}); accountstest.ErrorKey(err) != tc.key {
			t.Errorf("%s: %v (key %q)", tc.instance, err, accountstest.ErrorKey(err))
		}
	}
	x := e.LinkX()
	srv := e.Mastodon(mastodontest.Options{})
	if _, err := e.M.LinkMastodon(e.Ctx, accounts.MastodonOptions{Instance: srv.URL, OOB: true, AccountID: x.ID}); accountstest.ErrorKey(err) != "link.error.unsupported" {
		t.Errorf("relinking an X account through Mastodon: %v", err)
	}
	// The user says no in the browser.
	l, err := e.M.LinkMastodon(e.Ctx, accounts.MastodonOptions{Instance: srv.URL, CallbackAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	u, _ := url.Parse(l.AuthorizeURL())
	go func() {
		resp, err := http.Get(u.Query().Get("redirect_uri") + "?error=access_denied&state=" + url.QueryEscape(u.Query().Get("state")))
		if err == nil {
			resp.Body.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(e.Ctx, 10*time.Second)
	defer cancel()
	if _, err := l.Wait(ctx); accountstest.ErrorKey(err) != "link.error.denied" {
		t.Errorf("denied: %v", err)
	}
}

func TestLinkBluesky(t *testing.T) {
	e := newEnv(t)
	srv := e.Bluesky(blueskytest.Options{Handle: "maija.test"})
	acc := e.LinkBluesky(srv)
	if acc.Handle != "maija.test" || acc.DisplayHandle() != "@maija.test" || acc.RemoteID != srv.DID || acc.APIBase != srv.URL {
		t.Fatalf("account %+v", acc)
	}
	s := keyringEntry(t, acc.ID)
	if s["refresh_jwt"] == "" || s["access_jwt"] == "" {
		t.Errorf("no session in the keyring")
	}
	for _, v := range s {
		if v == srv.AppPassword() {
			t.Error("the app password was kept")
		}
	}
	for _, tc := range []struct {
		handle, password, key string
	}{
		{"maija.test", "wrong-pass-word-0000", "link.error.password.bluesky"},
		{"", srv.AppPassword(), "link.error.handle.bluesky"},
		{"maija.test", "", "link.error.handle.bluesky"},
	} {
		if _, err := e.M.LinkBluesky(e.Ctx, accounts.BlueskyOptions{Service: srv.URL, Handle: tc.handle, AppPassword: tc.password}); accountstest.ErrorKey(err) != tc.key {
			t.Errorf("%q %q: %v", tc.handle, tc.password, err)
		}
	}
	if _, err := e.M.LinkBluesky(e.Ctx, accounts.BlueskyOptions{Service: "http://bsky.example", Handle: "a.test", AppPassword: "x"}); accountstest.ErrorKey(err) != "link.error.api_base" {
		t.Errorf("a plain-http service: %v", err)
	}
	deactivated := e.Bluesky(blueskytest.Options{Deactivated: true})
	if _, err := e.M.LinkBluesky(e.Ctx, accounts.BlueskyOptions{Service: deactivated.URL, Handle: deactivated.Handle(), AppPassword: deactivated.AppPassword()}); accountstest.ErrorKey(err) != "link.error.inactive.bluesky" {
		t.Errorf("a deactivated account: %v", err)
	}
}

func TestLinkLinkedIn(t *testing.T) {
	e := newEnv(t)
	srv := e.LinkedIn(linkedintest.Options{Sub: "782bbtaQ", GivenName: "Maija", FamilyName: "Meikäläinen"})
	acc := e.LinkLinkedIn(srv)
	if acc.Handle != "Maija Meikäläinen" || acc.DisplayHandle() != "Maija Meikäläinen" || acc.RemoteID != "782bbtaQ" || acc.APIBase != srv.URL {
		t.Fatalf("account %+v", acc)
	}
	if d := acc.LinkDaysLeft(e.Clock.Now()); d != 60 {
		t.Errorf("%d days left", d)
	}
	if s := keyringEntry(t, acc.ID); s["access_token"] == "" || s["client_secret"] != srv.ClientSecret() || s["expires"] == "" {
		t.Errorf("the keyring holds %d secrets", len(s))
	}
	if _, err := e.M.LinkLinkedIn(e.Ctx, accounts.LinkedInOptions{ClientID: srv.ClientID()}); accountstest.ErrorKey(err) != "link.error.keys_required.linkedin" {
		t.Errorf("no secret: %v", err)
	}
	wait := func(opts accounts.LinkedInOptions, decide func(string) error) error {
		opts.APIBase, opts.CallbackAddr = srv.URL, "127.0.0.1:0"
		l, err := e.M.LinkLinkedIn(e.Ctx, opts)
		if err != nil {
			return err
		}
		defer l.Close()
		u, _ := url.Parse(l.AuthorizeURL())
		srv.RegisterRedirect(u.Query().Get("redirect_uri"))
		go decide(l.AuthorizeURL())
		ctx, cancel := context.WithTimeout(e.Ctx, 10*time.Second)
		defer cancel()
		_, err = l.Wait(ctx)
		return err
	}
	if err := wait(accounts.LinkedInOptions{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret()}, srv.Deny); accountstest.ErrorKey(err) != "link.error.denied" {
		t.Errorf("denied: %v", err)
	}
	if err := wait(accounts.LinkedInOptions{ClientID: srv.ClientID(), ClientSecret: "wrong"}, srv.Authorize); accountstest.ErrorKey(err) != "link.error.client.linkedin" {
		t.Errorf("a wrong secret: %v", err)
	}
	noShare := e.LinkedIn(linkedintest.Options{NoShareProduct: true})
	l, err := e.M.LinkLinkedIn(e.Ctx, accounts.LinkedInOptions{ClientID: noShare.ClientID(), ClientSecret: noShare.ClientSecret(), APIBase: noShare.URL, CallbackAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	u, _ := url.Parse(l.AuthorizeURL())
	noShare.RegisterRedirect(u.Query().Get("redirect_uri"))
	go noShare.Authorize(l.AuthorizeURL())
	ctx, cancel := context.WithTimeout(e.Ctx, 10*time.Second)
	defer cancel()
	if _, err := l.Wait(ctx); accountstest.ErrorKey(err) != "link.error.permission.linkedin" {
		t.Errorf("an app without Share on LinkedIn: %v", err)
	}
}

// Test asks each network who the account is; one that no longer accepts
// Kaiku becomes needs-relink; Bluesky's renewed session is kept, so that
// the next check (its refresh token used once) still works.
func TestCheckEveryNetwork(t *testing.T) {
	e := newEnv(t)
	masto := e.Mastodon(mastodontest.Options{})
	bsky := e.Bluesky(blueskytest.Options{})
	li := e.LinkedIn(linkedintest.Options{})
	accs := []planner.Account{e.LinkX(), e.LinkMastodon(masto, true, ""), e.LinkBluesky(bsky), e.LinkLinkedIn(li)}
	for range 2 {
		for _, a := range accs {
			got, err := e.M.Check(e.Ctx, a.ID)
			if err != nil || got.Status != planner.AccountLinked || got.Handle != a.Handle {
				t.Fatalf("%s: %+v %v", a.Network, got, err)
			}
		}
	}
	masto.RevokeAll()
	if _, err := e.M.Check(e.Ctx, accs[1].ID); accountstest.ErrorKey(err) != "outbox.error.relink.mastodon" || e.Account(accs[1].ID).Status != planner.AccountNeedsRelink {
		t.Errorf("a revoked Mastodon token: %v", err)
	}
	e.Clock.Advance(61 * 24 * time.Hour)
	if _, err := e.M.Check(e.Ctx, accs[3].ID); accountstest.ErrorKey(err) != "outbox.error.expired.linkedin" || e.Account(accs[3].ID).Status != planner.AccountNeedsRelink {
		t.Errorf("an ended LinkedIn link: %v", err)
	}
}

// Unlinking a Mastodon account ends its token on the server; a server
// without revocation (GoToSocial) is unlinked here all the same.
func TestUnlinkRevokesMastodon(t *testing.T) {
	e := newEnv(t)
	srv := e.Mastodon(mastodontest.Options{})
	acc := e.LinkMastodon(srv, true, "")
	tok := keyringEntry(t, acc.ID)["access_token"]
	revoked, err := e.M.Unlink(e.Ctx, acc.ID)
	if err != nil || !revoked || !srv.TokenRevoked(tok) {
		t.Fatalf("revoked %v, %v; the server holds it revoked: %v", revoked, err, srv.TokenRevoked(tok))
	}
	if accounts.HasSecrets(e.M, acc.ID) {
		t.Error("the secrets stayed")
	}
	acc = e.LinkMastodon(srv, true, "")
	srv.Fail(mastodontest.Failure{Endpoint: mastodontest.Revoke, Status: 404, Body: `{"error":"Not Found"}`})
	revoked, err = e.M.Unlink(e.Ctx, acc.ID)
	if err != nil || revoked {
		t.Fatalf("without revocation: %v %v", revoked, err)
	}
	if _, err := e.Store.Account(e.Ctx, acc.ID); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("the account stayed: %v", err)
	}
	if !strings.Contains(e.Log.String(), "did not revoke") {
		t.Error("the failed revocation was not logged")
	}
}
