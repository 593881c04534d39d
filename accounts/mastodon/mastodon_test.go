package mastodon_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts/mastodon"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/accounts/remote"
)

// tracer keeps what the client said it did, for the leak checks.
type tracer struct {
	mu   sync.Mutex
	said []string
}

func (tr *tracer) trace(e remote.Exchange) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.said = append(tr.said, fmt.Sprintf("%+v", e))
}

func newServer(t *testing.T, srv *mastodontest.Server, tr *tracer) *mastodon.Server {
	t.Helper()
	opts := mastodon.Options{}
	if tr != nil {
		opts.Trace = tr.trace
	}
	s, err := mastodon.NewServer(srv.URL, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// link runs the whole sign-in against the fake, through the loopback
// return, and gives the signed-in client.
func link(t *testing.T, fake *mastodontest.Server, s *mastodon.Server) (*mastodon.Client, mastodon.App, mastodon.Token) {
	t.Helper()
	ctx := context.Background()
	as, err := s.SupportedOAuth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := remote.ListenCallback("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	app, err := s.RegisterApp(ctx, "Kaiku", "https://github.com/kaiku-app/kaiku", []string{cb.RedirectURI(), mastodon.RedirectOOB}, as.Scopes())
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Authorize(app, cb.RedirectURI(), as.PKCE)
	if err != nil {
		t.Fatal(err)
	}
	cb.Expect(a.State)
	go fake.Authorize(a.URL)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	code, err := cb.Wait(wctx)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Exchange(ctx, a, code)
	if err != nil {
		t.Fatal(err)
	}
	return s.Client(tok), app, tok
}

func TestLinkUsesPKCEWhereTheServerOffersIt(t *testing.T) {
	fake := mastodontest.Start(t, mastodontest.Options{PKCE: true})
	s := newServer(t, fake, nil)
	as, err := s.SupportedOAuth(context.Background())
	if err != nil || !as.PKCE || as.Scopes() != mastodon.ScopesProfile {
		t.Fatalf("metadata: %+v %v", as, err)
	}
	c, app, tok := link(t, fake, s)
	if app.Scopes != mastodon.ScopesProfile || tok.Scope != mastodon.ScopesProfile {
		t.Errorf("scopes: app %q, token %q", app.Scopes, tok.Scope)
	}
	ch := fake.Challenges()
	if len(ch) != 1 || len(ch[0]) != 43 {
		t.Fatalf("the authorize request carried no S256 challenge: %q", ch)
	}
	acc, err := c.VerifyCredentials(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if h := acc.Handle(info.Domain); h != "@kaiku_tester@"+s.Host() {
		t.Errorf("handle %q", h)
	}
}

// The authorization URL's challenge is the S256 of the verifier the
// exchange sends: the fake refuses the code otherwise, and a second
// exchange of the same code.
func TestExchangeProvesTheVerifierAndUsesACodeOnce(t *testing.T) {
	fake := mastodontest.Start(t, mastodontest.Options{PKCE: true})
	s := newServer(t, fake, nil)
	ctx := context.Background()
	app, err := s.RegisterApp(ctx, "Kaiku", "", []string{mastodon.RedirectOOB}, mastodon.ScopesProfile)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Authorize(app, mastodon.RedirectOOB, true)
	u, _ := url.Parse(a.URL)
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("state") != a.State || q.Get("scope") != mastodon.ScopesProfile || q.Get("redirect_uri") != mastodon.RedirectOOB {
		t.Fatalf("authorize URL %s", a.URL)
	}
	code, err := fake.Authorize(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	// Another sign-in's verifier does not prove this one's challenge.
	other, _ := s.Authorize(app, mastodon.RedirectOOB, true)
	if _, err := s.Exchange(ctx, other, code); remote.KindOf(err) != remote.KindRejected {
		t.Fatalf("a wrong verifier: %v", err)
	}
	if _, err := s.Exchange(ctx, a, code); err != nil {
		t.Fatalf("the right verifier: %v", err)
	}
	if _, err := s.Exchange(ctx, a, code); remote.KindOf(err) != remote.KindRejected {
		t.Fatalf("a used code: %v", err)
	}

	fake.ForgetApps()
	a2, _ := s.Authorize(app, mastodon.RedirectOOB, true)
	_, err = s.Exchange(ctx, a2, "whatever")
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindAuth || e.Code != "invalid_client" {
		t.Fatalf("an app the server forgot: %#v", err)
	}
}

func TestOlderServerGetsReadAccountsAndTheClientSecretOutOfBand(t *testing.T) {
	fake := mastodontest.Start(t, mastodontest.Options{})
	s := newServer(t, fake, nil)
	ctx := context.Background()
	as, err := s.SupportedOAuth(ctx)
	if err != nil || as.PKCE || as.ProfileScope {
		t.Fatalf("metadata of an older server: %+v %v", as, err)
	}
	// Asked for "profile" anyway, registration falls back.
	app, err := s.RegisterApp(ctx, "Kaiku", "", []string{mastodon.RedirectOOB}, mastodon.ScopesProfile)
	if err != nil || app.Scopes != mastodon.ScopesAccounts {
		t.Fatalf("register: %+v %v", app.Scopes, err)
	}
	a, _ := s.Authorize(app, mastodon.RedirectOOB, as.PKCE)
	if strings.Contains(a.URL, "code_challenge") {
		t.Errorf("a challenge went to a server without PKCE: %s", a.URL)
	}
	code, err := fake.Authorize(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Exchange(ctx, a, " "+code+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Client(tok).VerifyCredentials(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestPublishAThreadInFinnish(t *testing.T) {
	fake := mastodontest.Start(t, mastodontest.Options{PKCE: true, HonourIdempotency: true})
	s := newServer(t, fake, nil)
	c, _, _ := link(t, fake, s)
	ctx := context.Background()
	parts := []string{"Hyvää huomenta 🇫🇮! Ketju alkaa.", "Toinen osa: https://example.fi/ääkköset 👩‍💻", "Kolmas ja viimeinen. #kaiku"}
	var prev string
	for i, p := range parts {
		st, err := c.Publish(ctx, mastodon.NewStatus{Text: p, Language: "fi", InReplyToID: prev, IdempotencyKey: fmt.Sprintf("attempt-1-part-%d", i)})
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if st.InReplyToID != prev || st.URL == "" || st.PlainText() != p {
			t.Fatalf("part %d came back as %+v (text %q)", i, st, st.PlainText())
		}
		prev = st.ID
	}
	got := fake.Statuses()
	for i, st := range got {
		if st.Visibility != "public" || st.Language != "fi" {
			t.Errorf("status %d: visibility %q language %q", i, st.Visibility, st.Language)
		}
		if i > 0 && st.InReplyToID != got[i-1].ID {
			t.Errorf("status %d does not reply to the one before", i)
		}
	}
	// A server that honours the key gives the first status again.
	again, err := c.Publish(ctx, mastodon.NewStatus{Text: parts[2], Language: "fi", InReplyToID: got[1].ID, IdempotencyKey: "attempt-1-part-2"})
	if err != nil || again.ID != got[2].ID || len(fake.Statuses()) != 3 {
		t.Fatalf("repeat with the same key: %+v %v", again, err)
	}
}

func TestPublishErrorsSayWhatToDo(t *testing.T) {
	fake := mastodontest.Start(t, mastodontest.Options{})
	s := newServer(t, fake, nil)
	c, _, _ := link(t, fake, s)
	ctx := context.Background()
	reset := time.Now().Add(7 * time.Minute).UTC().Truncate(time.Microsecond)
	fake.Fail(
		mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 422},
		mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 429, Reset: reset},
		mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 503},
		mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 401},
		mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 403, Body: `{"error":"This action is outside the authorized scopes"}`},
	)
	_, err := c.Publish(ctx, mastodon.NewStatus{Text: "Liian pitkä"})
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindRejected || e.Status != 422 || !strings.Contains(e.Detail, "character limit") {
		t.Errorf("422: %#v", err)
	}
	_, err = c.Publish(ctx, mastodon.NewStatus{Text: "Rajoitus"})
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindRate || !e.Reset.Equal(reset) {
		t.Errorf("429: %#v (want reset %v)", err, reset)
	}
	_, err = c.Publish(ctx, mastodon.NewStatus{Text: "Palvelin väsyy"})
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindServer || !e.MaybeSent {
		t.Errorf("503: %#v", err)
	}
	_, err = c.Publish(ctx, mastodon.NewStatus{Text: "Vanhentunut"})
	if remote.KindOf(err) != remote.KindAuth {
		t.Errorf("401: %v", err)
	}
	_, err = c.Publish(ctx, mastodon.NewStatus{Text: "Väärä lupa"})
	if remote.KindOf(err) != remote.KindAuth {
		t.Errorf("a token without the scope: %v", err)
	}
	_, err = c.Publish(ctx, mastodon.NewStatus{Text: "Vastaus", InReplyToID: "404404"})
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindRejected || e.Status != 404 {
		t.Errorf("reply to nothing: %#v", err)
	}
	if _, err := c.Publish(ctx, mastodon.NewStatus{Text: "  "}); remote.KindOf(err) != remote.KindRejected {
		t.Errorf("empty: %v", err)
	}
	if len(fake.Statuses()) != 0 {
		t.Errorf("a failure published: %+v", fake.Statuses())
	}
}

// A status whose answer was lost is found among the account's statuses,
// replying to the right one; one that never arrived is not.
func TestFindSettlesAStatusOfUnknownFate(t *testing.T) {
	fake := mastodontest.Start(t, mastodontest.Options{})
	s := newServer(t, fake, nil)
	c, _, _ := link(t, fake, s)
	ctx := context.Background()
	acc, _ := c.VerifyCredentials(ctx)
	since := time.Now()
	first, err := c.Publish(ctx, mastodon.NewStatus{Text: "Ketjun alku <3 & muuta"})
	if err != nil {
		t.Fatal(err)
	}
	text := "Toinen osa,\n\nkahdessa kappaleessa: @someone@example.social 🇫🇮"
	fake.Fail(mastodontest.Failure{Endpoint: mastodontest.Statuses, Drop: true, Created: true})
	_, err = c.Publish(ctx, mastodon.NewStatus{Text: text, InReplyToID: first.ID})
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindNetwork || !e.MaybeSent {
		t.Fatalf("dropped: %#v", err)
	}
	st, found, err := c.Find(ctx, acc.ID, text, first.ID, since)
	if err != nil || !found || st.ID != fake.Statuses()[1].ID {
		t.Fatalf("Find = %+v %v %v", st, found, err)
	}
	if _, found, _ := c.Find(ctx, acc.ID, text, "", since); found {
		t.Error("found as a reply to nothing")
	}
	fake.Fail(mastodontest.Failure{Endpoint: mastodontest.Statuses, Drop: true})
	c.Publish(ctx, mastodon.NewStatus{Text: "Ei koskaan perillä", InReplyToID: first.ID})
	if _, found, _ := c.Find(ctx, acc.ID, "Ei koskaan perillä", first.ID, since); found {
		t.Error("found a status that never arrived")
	}
	if _, found, _ := c.Find(ctx, acc.ID, "Ketjun alku <3 & muuta", "", since); !found {
		t.Error("HTML entities in the content hid the first status")
	}
}

func TestInstanceLimits(t *testing.T) {
	fake := mastodontest.Start(t, mastodontest.Options{MaxCharacters: 5000, Domain: "example.social"})
	info, err := newServer(t, fake, nil).Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.MaxCharacters != 5000 || info.CharactersPerURL != 23 || info.Domain != "example.social" || info.ImageSizeLimit == 0 || info.MaxMediaAttachments != 4 {
		t.Errorf("info %+v", info)
	}
}

func TestRevokeEndsTheToken(t *testing.T) {
	fake := mastodontest.Start(t, mastodontest.Options{PKCE: true})
	s := newServer(t, fake, nil)
	c, app, tok := link(t, fake, s)
	ctx := context.Background()
	if err := s.Revoke(ctx, app, tok); err != nil {
		t.Fatal(err)
	}
	if !fake.TokenRevoked(tok.AccessToken) {
		t.Fatal("the server still holds the token good")
	}
	if _, err := c.VerifyCredentials(ctx); remote.KindOf(err) != remote.KindAuth {
		t.Errorf("a revoked token: %v", err)
	}
}

func TestNewServerReadsAnInstanceAddress(t *testing.T) {
	for in, want := range map[string]string{"mastodon.social": "https://mastodon.social", " https://mastodon.social/ ": "https://mastodon.social", "http://localhost:3000": "http://localhost:3000"} {
		s, err := mastodon.NewServer(in, mastodon.Options{})
		if err != nil || s.Base() != want {
			t.Errorf("NewServer(%q) = %v, %v", in, s, err)
		}
	}
	for _, in := range []string{"http://mastodon.social", "https://mastodon.social/@maija", ""} {
		if _, err := mastodon.NewServer(in, mastodon.Options{}); err == nil {
			t.Errorf("NewServer(%q) accepted", in)
		}
	}
	if u, d, ok := mastodon.ParseHandle("@maija@mastodon.social"); !ok || u != "maija" || d != "mastodon.social" {
		t.Errorf("ParseHandle: %q %q %v", u, d, ok)
	}
}

// Nothing the client says (errors, traces, printed values) holds a token,
// a client secret, a code or an Authorization header.
func TestSecretsNeverLeak(t *testing.T) {
	fake := mastodontest.Start(t, mastodontest.Options{PKCE: true})
	tr := &tracer{}
	s := newServer(t, fake, tr)
	c, app, tok := link(t, fake, s)
	ctx := context.Background()
	var said []string
	note := func(err error) {
		if err != nil {
			said = append(said, err.Error(), fmt.Sprintf("%+v", err))
		}
	}
	fake.Fail(mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 401},
		mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 500, Body: `{"error":"boom"}`},
		mastodontest.Failure{Endpoint: mastodontest.Statuses, Drop: true},
		mastodontest.Failure{Endpoint: mastodontest.Token, Status: 400, Body: `{"error":"invalid_grant"}`})
	for range 3 {
		_, err := c.Publish(ctx, mastodon.NewStatus{Text: "Vuoto?"})
		note(err)
	}
	a, _ := s.Authorize(app, mastodon.RedirectOOB, true)
	_, err := s.Exchange(ctx, a, "bad")
	note(err)
	note(s.Revoke(ctx, mastodon.App{ClientID: app.ClientID, ClientSecret: "wrong"}, tok))
	note(s.Revoke(ctx, app, tok))
	_, err = c.VerifyCredentials(ctx)
	note(err)
	said = append(said, fmt.Sprintf("%v %+v %#v %v %#v %v %#v %v", app, app, app, tok, tok, c, c, a))
	said = append(said, tr.said...)
	all := strings.Join(said, "\n")
	if len(tr.said) < 8 {
		t.Fatalf("too little traced to prove anything: %d", len(tr.said))
	}
	secrets := fake.IssuedSecrets()
	if len(secrets) < 3 {
		t.Fatalf("only %d secrets", len(secrets))
	}
	for _, sec := range secrets {
		if strings.Contains(all, sec) {
			t.Errorf("a secret %.4s… leaked", sec)
		}
	}
	if low := strings.ToLower(all); strings.Contains(low, "bearer") || strings.Contains(low, "authorization:") || strings.Contains(low, "client_secret") {
		t.Error("a request header leaked")
	}
}
