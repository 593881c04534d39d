//go:build live

package mastodon_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts/mastodon"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/accounts/remote"
)

// liveEnv reads where make test-live started GoToSocial.
func liveEnv(t *testing.T) (base, email, password, username string) {
	t.Helper()
	get := func(k string) string {
		v := os.Getenv(k)
		if v == "" {
			t.Fatalf("%s is not set: run the live tests with make test-live", k)
		}
		return v
	}
	return get("KAIKU_LIVE_GTS_URL"), get("KAIKU_LIVE_GTS_EMAIL"), get("KAIKU_LIVE_GTS_PASSWORD"), get("KAIKU_LIVE_GTS_USERNAME")
}

// loseAnswers sends requests to the status endpoint and then throws the
// answer away, as a connection that breaks after the request went out.
type loseAnswers struct{ lose bool }

func (l *loseAnswers) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || !l.lose || r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses" {
		return resp, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil, errors.New("connection reset by peer")
}

// linkLive runs Kaiku's sign-in against GoToSocial with the browser's
// part played over HTTP, returning through a loopback server.
func linkLive(t *testing.T, s *mastodon.Server, email, password string) (*mastodon.Client, mastodon.App, mastodon.Token) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	as, err := s.SupportedOAuth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := remote.ListenCallback("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	app, err := s.RegisterApp(ctx, "Kaiku", "https://github.com/kaiku-app/kaiku", []string{cb.RedirectURI()}, as.Scopes())
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	a, err := s.Authorize(app, cb.RedirectURI(), as.PKCE)
	if err != nil {
		t.Fatal(err)
	}
	cb.Expect(a.State)
	if code, err := mastodontest.ConsentGoToSocial(ctx, a.URL, email, password); err != nil || code != "" {
		t.Fatalf("consent: %q %v", code, err)
	}
	code, err := cb.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Exchange(ctx, a, code)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return s.Client(tok), app, tok
}

func TestLiveMastodonLinkPublishAndSettle(t *testing.T) {
	base, email, password, username := liveEnv(t)
	lose := &loseAnswers{}
	s, err := mastodon.NewServer(base, mastodon.Options{HTTP: &http.Client{Transport: lose, Timeout: 30 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, app, tok := linkLive(t, s, email, password)

	acc, err := c.VerifyCredentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := "@" + username + "@" + s.Host(); acc.Handle(info.Domain) != want {
		t.Errorf("handle %q, want %q", acc.Handle(info.Domain), want)
	}
	if info.MaxCharacters < 500 || info.CharactersPerURL == 0 {
		t.Errorf("limits %+v", info)
	}
	t.Logf("GoToSocial %s: %d characters, %d per URL, scopes %q", info.Version, info.MaxCharacters, info.CharactersPerURL, app.Scopes)

	// A three-part thread in Finnish, with emoji and links.
	mark := time.Now().Format("150405.000")
	parts := []string{
		"Hyvää huomenta 🇫🇮! Tänään puhutaan säätöpalveluista " + mark,
		"Toinen osa 👩‍💻: lue lisää https://example.fi/ääkköset?sivu=2 ja https://kaiku.example/ " + mark,
		"Kolmas ja viimeinen osa, #kaiku " + mark,
	}
	since := time.Now().Add(-time.Minute)
	var ids []string
	prev := ""
	for i, p := range parts {
		st, err := c.Publish(ctx, mastodon.NewStatus{Text: p, Language: "fi", InReplyToID: prev, IdempotencyKey: "live-" + mark + "-" + string(rune('0'+i))})
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if st.Visibility != "public" || st.InReplyToID != prev || st.URL == "" {
			t.Errorf("part %d: %+v", i, st)
		}
		ids = append(ids, st.ID)
		prev = st.ID
	}
	recent, err := c.Recent(ctx, acc.ID, 40)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]mastodon.Status{}
	for _, st := range recent {
		byID[st.ID] = st
	}
	for i, id := range ids {
		st, ok := byID[id]
		if !ok {
			t.Fatalf("part %d is not among the account's statuses", i)
		}
		if i > 0 && st.InReplyToID != ids[i-1] {
			t.Errorf("part %d replies to %q, want %q", i, st.InReplyToID, ids[i-1])
		}
		if st.PlainText() != parts[i] {
			t.Errorf("part %d reads back as %q", i, st.PlainText())
		}
		if st.Language != "fi" {
			t.Errorf("part %d language %q", i, st.Language)
		}
	}

	// A status whose answer is lost went out all the same: Find finds it.
	lost := "Vastaus katosi matkalla 🇫🇮 " + mark
	lose.lose = true
	_, err = c.Publish(ctx, mastodon.NewStatus{Text: lost, Language: "fi", InReplyToID: ids[2]})
	lose.lose = false
	if e, ok := remote.As(err); !ok || !e.MaybeSent || e.Kind != remote.KindNetwork {
		t.Fatalf("a lost answer: %#v", err)
	}
	st, found, err := c.Find(ctx, acc.ID, lost, ids[2], since)
	if err != nil || !found || st.InReplyToID != ids[2] {
		t.Fatalf("Find = %+v %v %v", st, found, err)
	}
	if _, found, _ := c.Find(ctx, acc.ID, "Tätä ei lähetetty "+mark, ids[2], since); found {
		t.Error("Find found a status never sent")
	}

	// The server's refusals.
	_, err = c.Publish(ctx, mastodon.NewStatus{Text: strings.Repeat("a", info.MaxCharacters+1)})
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindRejected || e.Detail == "" {
		t.Errorf("too long: %#v", err)
	}
	_, err = s.Client(mastodon.Token{AccessToken: "not-a-token"}).VerifyCredentials(ctx)
	if remote.KindOf(err) != remote.KindAuth {
		t.Errorf("a bad token: %v", err)
	}

	// Unlinking revokes the token, where the server has revocation.
	err = s.Revoke(ctx, app, tok)
	if e, ok := remote.As(err); ok && e.Status == http.StatusNotFound {
		t.Logf("this server has no /oauth/revoke: %v", err)
	} else if err != nil {
		t.Errorf("revoke: %v", err)
	}
}

func TestLiveMastodonOutOfBandCode(t *testing.T) {
	base, email, password, _ := liveEnv(t)
	s, err := mastodon.NewServer(base, mastodon.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	as, err := s.SupportedOAuth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	app, err := s.RegisterApp(ctx, "Kaiku", "", []string{mastodon.RedirectOOB}, as.Scopes())
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Authorize(app, mastodon.RedirectOOB, as.PKCE)
	if err != nil {
		t.Fatal(err)
	}
	code, err := mastodontest.ConsentGoToSocial(ctx, a.URL, email, password)
	if err != nil || code == "" {
		t.Fatalf("consent: %q %v", code, err)
	}
	// The code arrives typed, perhaps with a stray space.
	tok, err := s.Exchange(ctx, a, " "+code+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Client(tok).VerifyCredentials(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exchange(ctx, a, code); remote.KindOf(err) != remote.KindRejected {
		t.Errorf("a used code: %v", err)
	}
}
