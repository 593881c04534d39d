//go:build live

package accounts_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/mastodon"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

// liveEnv reads where make test-live started GoToSocial and the PDS.
func liveEnv(t *testing.T, keys ...string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, k := range keys {
		v := os.Getenv(k)
		if v == "" {
			t.Fatalf("%s is not set: run the live tests with make test-live", k)
		}
		env[k] = v
	}
	return env
}

// loseOnce throws away the answer to the first request to a path that
// ends so, after the server had it: a connection that broke too late.
type loseOnce struct {
	suffixes []string
	lost     atomic.Int32
}

func (l *loseOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || r.Method != http.MethodPost {
		return resp, err
	}
	for _, s := range l.suffixes {
		if strings.HasSuffix(r.URL.Path, s) && l.lost.Add(1) <= int32(len(l.suffixes)) {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return nil, errors.New("connection reset by peer")
		}
	}
	return resp, err
}

// TestLiveLinkAndPublishThroughTheOutbox runs Kaiku's own linking and
// outbox against GoToSocial and the reference PDS: a three-part Finnish
// thread with emoji, links, a hashtag and a mention goes to both, the
// first part's answer lost on the way, and each part is there once, as a
// thread, in Finnish.
func TestLiveLinkAndPublishThroughTheOutbox(t *testing.T) {
	env := liveEnv(t, "KAIKU_LIVE_GTS_URL", "KAIKU_LIVE_GTS_EMAIL", "KAIKU_LIVE_GTS_PASSWORD", "KAIKU_LIVE_PDS_URL",
		"KAIKU_LIVE_BSKY_HANDLE", "KAIKU_LIVE_BSKY_DID", "KAIKU_LIVE_BSKY_APP_PASSWORD", "KAIKU_LIVE_BSKY_OTHER_HANDLE")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	st, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lose := &loseOnce{suffixes: []string{"/api/v1/statuses", "/com.atproto.repo.putRecord"}}
	m, err := accounts.New(accounts.Options{Store: st, DataDir: dir, HTTPClient: &http.Client{Transport: lose, Timeout: 30 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}

	// Mastodon: the sign-in and consent on GoToSocial, the browser back to Kaiku.
	l, err := m.LinkMastodon(ctx, accounts.MastodonOptions{Instance: env["KAIKU_LIVE_GTS_URL"], CallbackAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	consented := make(chan error, 1)
	go func() {
		_, err := mastodontest.ConsentGoToSocial(ctx, l.AuthorizeURL(), env["KAIKU_LIVE_GTS_EMAIL"], env["KAIKU_LIVE_GTS_PASSWORD"])
		consented <- err
	}()
	masto, err := l.Wait(ctx)
	if err != nil {
		t.Fatalf("linking GoToSocial: %v (consent: %v)", err, <-consented)
	}
	if err := <-consented; err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(masto.DisplayHandle(), "@kaiku_tester@") || masto.TextLimit < 500 || masto.URLWeight == 0 {
		t.Errorf("the Mastodon account %+v", masto)
	}
	// Bluesky: the app password at the PDS itself.
	bsky, err := m.LinkBluesky(ctx, accounts.BlueskyOptions{Service: env["KAIKU_LIVE_PDS_URL"], Handle: env["KAIKU_LIVE_BSKY_HANDLE"], AppPassword: env["KAIKU_LIVE_BSKY_APP_PASSWORD"]})
	if err != nil {
		t.Fatalf("linking the PDS: %v", err)
	}
	if bsky.RemoteID != env["KAIKU_LIVE_BSKY_DID"] {
		t.Errorf("the Bluesky account %+v", bsky)
	}
	for _, a := range []planner.Account{masto, bsky} {
		if _, err := m.Check(ctx, a.ID); err != nil {
			t.Errorf("Test on %s: %v", a.Network, err)
		}
	}

	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><meta property="og:title" content="Säätiön uutiset 🇫🇮"><meta property="og:description" content="Mitä tänään"></head></html>`)
	}))
	defer site.Close()
	mark := "kaiku-" + time.Now().Format("150405.000")
	parts := []string{
		"Hyvää huomenta 🇫🇮! Ketju säätiön työstä alkaa " + site.URL + "/juttu " + mark,
		"Toinen osa 👩‍💻: lue https://example.fi/ääkköset?sivu=2 ja terveiset @" + env["KAIKU_LIVE_BSKY_OTHER_HANDLE"] + " " + mark,
		"Kolmas ja viimeinen osa (sulkeissa) #kaiku " + mark,
	}
	settings, _ := st.Settings(ctx)
	settings.Language = "fi"
	if err := st.SaveSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	p := planner.Post{ID: planner.NewID(), Parts: parts, Status: planner.StatusScheduled, Time: now, Created: now, Updated: now,
		Targets: []planner.Target{{AccountID: masto.ID, Network: planner.NetworkMastodon}, {AccountID: bsky.ID, Network: planner.NetworkBluesky}}}
	if err := st.SavePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	ob := m.NewOutbox(accounts.OutboxOptions{Sleep: func(ctx context.Context, d time.Duration) error { time.Sleep(min(d, time.Second)); return ctx.Err() }})
	for range 2 {
		if _, err := ob.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := st.Post(ctx, p.ID)
	if got.Status != planner.StatusPublished || len(got.Results) != 6 || lose.lost.Load() < 2 {
		t.Fatalf("post %+v (%d answers lost)", got, lose.lost.Load())
	}

	// Read back from GoToSocial: the account's own statuses.
	srv, _ := mastodon.NewServer(env["KAIKU_LIVE_GTS_URL"], mastodon.Options{})
	tok := mastodon.Token{AccessToken: liveSecret(t, dir, masto.ID, "access_token")}
	statuses, err := srv.Client(tok).Recent(ctx, masto.RemoteID, 40)
	if err != nil {
		t.Fatal(err)
	}
	var ours []mastodon.Status
	for i := len(statuses) - 1; i >= 0; i-- {
		if strings.Contains(statuses[i].PlainText(), mark) {
			ours = append(ours, statuses[i])
		}
	}
	if len(ours) != 3 {
		t.Fatalf("GoToSocial has %d of the parts", len(ours))
	}
	for i, s := range ours {
		if s.PlainText() != parts[i] || s.Language != "fi" || s.Visibility != "public" || i > 0 && s.InReplyToID != ours[i-1].ID {
			t.Errorf("status %d: %+v (text %q)", i, s, s.PlainText())
		}
	}
	// Read back from the PDS: each part once, replying to the part before.
	records := repoTexts(t, env["KAIKU_LIVE_PDS_URL"], env["KAIKU_LIVE_BSKY_DID"], mark)
	if len(records) != 3 {
		t.Fatalf("the PDS has %v", records)
	}
	for _, text := range parts {
		if records[text] != 1 {
			t.Errorf("the PDS has %q %d times", text, records[text])
		}
	}
	for _, r := range got.Results {
		if r.Network == planner.NetworkBluesky && (r.CID == "" || !strings.HasPrefix(r.RemoteID, "at://"+env["KAIKU_LIVE_BSKY_DID"])) {
			t.Errorf("result %+v", r)
		}
	}

	// GoToSocial has no /oauth/revoke: the account is unlinked here all the same.
	revoked, err := m.Unlink(ctx, masto.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("GoToSocial revoked the token: %v", revoked)
	if _, err := st.Account(ctx, masto.ID); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("the account stayed: %v", err)
	}
}

// liveSecret reads one of an account's secrets from the keyring (mocked
// in the tests) or the secrets file.
func liveSecret(t *testing.T, dir, id, name string) string {
	t.Helper()
	b, err := os.ReadFile(dir + "/" + accounts.SecretsFileName)
	if err == nil {
		var f struct {
			Accounts map[string]map[string]string `json:"accounts"`
		}
		if json.Unmarshal(b, &f) == nil && f.Accounts[id][name] != "" {
			return f.Accounts[id][name]
		}
	}
	return keyringSecret(t, id, name)
}

// repoTexts counts the PDS's post records whose text has mark, by text.
func repoTexts(t *testing.T, pds, did, mark string) map[string]int {
	t.Helper()
	texts, err := blueskytest.RepoPostTexts(context.Background(), pds, did, mark)
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

// keyringSecret reads one of an account's secrets from the (mock) keyring.
func keyringSecret(t *testing.T, id, name string) string {
	t.Helper()
	return keyringEntry(t, id)[name]
}
