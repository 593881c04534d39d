//go:build live

package bluesky_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts/bluesky"
	"github.com/kaiku-app/kaiku/accounts/remote"
)

type live struct {
	pds, plc, handle, did, appPassword, otherHandle, otherDID string
}

// liveEnv reads where make test-live started the PDS.
func liveEnv(t *testing.T) live {
	t.Helper()
	get := func(k string) string {
		v := os.Getenv(k)
		if v == "" {
			t.Fatalf("%s is not set: run the live tests with make test-live", k)
		}
		return v
	}
	return live{get("KAIKU_LIVE_PDS_URL"), get("KAIKU_LIVE_PLC_URL"), get("KAIKU_LIVE_BSKY_HANDLE"), get("KAIKU_LIVE_BSKY_DID"),
		get("KAIKU_LIVE_BSKY_APP_PASSWORD"), get("KAIKU_LIVE_BSKY_OTHER_HANDLE"), get("KAIKU_LIVE_BSKY_OTHER_DID")}
}

// loseAnswers lets putRecord through and throws its answer away, as a
// connection that breaks after the request went out.
type loseAnswers struct{ lose bool }

func (l *loseAnswers) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || !l.lose || !strings.HasSuffix(r.URL.Path, "/com.atproto.repo.putRecord") {
		return resp, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil, errors.New("connection reset by peer")
}

func TestLiveBlueskyThreadCardAndSettle(t *testing.T) {
	env := liveEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	lose := &loseAnswers{}
	var sessions []bluesky.Session
	c, err := bluesky.Login(ctx, env.pds, env.handle, env.appPassword, bluesky.Options{
		HTTP: &http.Client{Transport: lose, Timeout: 30 * time.Second}, PLCDirectory: env.plc,
		OnSession: func(s bluesky.Session) { sessions = append(sessions, s) },
	})
	if err != nil {
		t.Fatal(err)
	}
	sess := c.Session()
	if sess.DID != env.did || sess.Service != env.pds || sess.AccessExpires().Before(time.Now()) {
		t.Fatalf("session %v at %s, access until %v", sess, sess.Service, sess.AccessExpires())
	}
	if pds, err := bluesky.ResolvePDS(ctx, env.did, bluesky.Options{PLCDirectory: env.plc}); err != nil || pds != env.pds {
		t.Errorf("the PLC directory says the PDS is %q (%v)", pds, err)
	}

	// A page for the link card, on this computer.
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/juttu":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><meta property="og:title" content="Säätiön uutiset 🇫🇮"><meta property="og:description" content="Mitä tänään tapahtuu"><meta property="og:image" content="/kuva.png"></head></html>`)
		case "/kuva.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(noisyPNG(t, 700, 600))
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	pageURL := site.URL + "/juttu"

	mark := time.Now().Format("150405.000")
	parts := []string{
		"Hyvää huomenta 🇫🇮! Ketju säätiön #Säätö-työstä " + mark + " " + pageURL,
		"Toinen osa 👩‍💻, terveiset @" + env.otherHandle + " ja lue https://example.fi/ääkköset?sivu=2 " + mark,
		"Kolmas ja viimeinen osa. #kaiku " + mark,
	}
	var refs []bluesky.Ref
	var rkeys []string
	for i, text := range parts {
		d := bluesky.Draft{Text: text, Langs: []string{"fi"}, Card: i == 0}
		if i > 0 {
			d.Reply = &bluesky.ReplyRef{Root: refs[0], Parent: refs[i-1]}
		}
		p, err := c.Compose(ctx, d, time.Now())
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		rkey := c.NewTID()
		ref, err := c.PutPost(ctx, rkey, p)
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		// The same post under the same key again changes nothing.
		again, err := c.PutPost(ctx, rkey, p)
		if err != nil || again != ref {
			t.Fatalf("part %d again: %v %v (first %v)", i, again, err, ref)
		}
		refs, rkeys = append(refs, ref), append(rkeys, rkey)
	}

	for i, rkey := range rkeys {
		ref, p, found, err := c.GetPost(ctx, rkey)
		if err != nil || !found || ref != refs[i] {
			t.Fatalf("part %d reads back as %v %v %v", i, ref, found, err)
		}
		if p.Text != parts[i] || len(p.Langs) != 1 || p.Langs[0] != "fi" || p.CreatedAt == "" {
			t.Errorf("part %d: %+v", i, p)
		}
		if i > 0 && (p.Reply == nil || p.Reply.Root != refs[0] || p.Reply.Parent != refs[i-1]) {
			t.Errorf("part %d's reply refs: %+v", i, p.Reply)
		}
		for _, f := range p.Facets {
			got := parts[i][f.Index.ByteStart:f.Index.ByteEnd]
			ft := f.Features[0]
			ok := ft.Type == bluesky.FeatureLink && got == ft.URI || ft.Type == bluesky.FeatureTag && got == "#"+ft.Tag ||
				ft.Type == bluesky.FeatureMention && got == "@"+env.otherHandle && ft.DID == env.otherDID
			if !ok {
				t.Errorf("part %d: facet %+v covers %q", i, ft, got)
			}
		}
	}
	_, first, _, _ := c.GetPost(ctx, rkeys[0])
	if len(first.Facets) != 2 {
		t.Errorf("the first part has %d facets, want the tag and the link", len(first.Facets))
	}
	_, second, _, _ := c.GetPost(ctx, rkeys[1])
	if len(second.Facets) != 2 {
		t.Errorf("the second part has %d facets, want the mention and the link", len(second.Facets))
	}
	if e := first.Embed; e == nil || e.External == nil || e.External.Title != "Säätiön uutiset 🇫🇮" || e.External.Thumb == nil ||
		e.External.Thumb.Size > bluesky.MaxThumbBytes || e.External.Thumb.Size == 0 {
		t.Errorf("the link card came back as %+v", first.Embed)
	}

	// A write whose answer was lost: the key tells whether it went out.
	lost := c.NewTID()
	p, _ := c.Compose(ctx, bluesky.Draft{Text: "Vastaus katosi matkalla 🇫🇮 " + mark, Langs: []string{"fi"}, Reply: &bluesky.ReplyRef{Root: refs[0], Parent: refs[2]}}, time.Now())
	lose.lose = true
	_, err = c.PutPost(ctx, lost, p)
	lose.lose = false
	if e, ok := remote.As(err); !ok || !e.MaybeSent || e.Kind != remote.KindNetwork {
		t.Fatalf("a lost answer: %#v", err)
	}
	if _, got, found, err := c.GetPost(ctx, lost); err != nil || !found || got.Text != p.Text {
		t.Fatalf("GetPost after the lost answer: %v %v", found, err)
	}
	if _, _, found, err := c.GetPost(ctx, c.NewTID()); err != nil || found {
		t.Fatalf("GetPost of a key never written: %v %v", found, err)
	}

	// The session renews, and the new tokens work.
	before := c.Session()
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	after := c.Session()
	// The refresh token is new each time (it carries an ID of its own); the
	// access token is only new in a later second, as its claims are the
	// same to the second, so on a fast machine it may come back unchanged.
	if after.RefreshJWT == before.RefreshJWT || after.AccessJWT == "" || len(sessions) != 1 {
		t.Errorf("the refresh changed nothing (%d sessions heard)", len(sessions))
	}
	if _, _, _, err := c.GetPost(ctx, rkeys[0]); err != nil {
		t.Errorf("after the refresh: %v", err)
	}

	// A blob of its own.
	blob, err := c.UploadBlob(ctx, noisyPNG(t, 32, 32), "image/png")
	if err != nil || blob.Ref.CID == "" || blob.MimeType != "image/png" || blob.Size == 0 {
		t.Errorf("uploadBlob: %+v %v", blob, err)
	}

	// What the PDS refuses.
	if _, err := bluesky.Login(ctx, env.pds, env.handle, "wrong-pass-word-0000", bluesky.Options{}); remote.KindOf(err) != remote.KindAuth {
		t.Errorf("a wrong app password: %v", err)
	}
	// A token the PDS did not sign: a character of the signature changed.
	tampered := []byte(after.AccessJWT)
	if i := len(tampered) - 5; tampered[i] == 'A' {
		tampered[i] = 'B'
	} else {
		tampered[i] = 'A'
	}
	bad, _ := bluesky.Resume(bluesky.Session{DID: env.did, Service: env.pds, AccessJWT: string(tampered), RefreshJWT: "x"}, bluesky.Options{})
	if _, err := bad.UploadBlob(ctx, []byte("x"), "text/plain"); remote.KindOf(err) != remote.KindAuth {
		t.Errorf("a bad token: %v", err)
	}
}
