package bluesky_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts/bluesky"
	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/remote"
)

const otherDID = "did:plc:mentionedaccount00000000"

func start(t *testing.T, opts blueskytest.Options) *blueskytest.Server {
	t.Helper()
	if opts.Others == nil {
		opts.Others = map[string]string{"mentioned.test": otherDID}
	}
	return blueskytest.Start(t, opts)
}

func login(t *testing.T, fake *blueskytest.Server, opts bluesky.Options) *bluesky.Client {
	t.Helper()
	c, err := bluesky.Login(context.Background(), fake.URL, fake.Handle(), fake.AppPassword(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTIDsAreWellFormedAndAlwaysLater(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return at }
	tids := bluesky.NewTIDClock(clock)
	prev := ""
	for i := range 2000 {
		if i == 1000 {
			mu.Lock()
			at = at.Add(-time.Hour) // the wall clock steps back
			mu.Unlock()
		}
		tid := tids.Next()
		if !bluesky.ValidTID(tid) {
			t.Fatalf("%q is not a TID", tid)
		}
		if tid <= prev {
			t.Fatalf("TID %d, %q, is not after %q", i, tid, prev)
		}
		prev = tid
	}
	first := bluesky.NewTIDClock(func() time.Time { return at }).Next()
	if got, ok := bluesky.TIDTime(first); !ok || !got.Equal(at) {
		t.Errorf("TIDTime = %v, want %v", got, at)
	}
	for _, bad := range []string{"", "3jzfcijpj2z2", "3jzfcijpj2z2aa", "zjzfcijpj2z2a", "3jzfcijpj2z2A", "3jzfcijpj2z21"} {
		if bluesky.ValidTID(bad) {
			t.Errorf("%q passed as a TID", bad)
		}
	}
}

// Facets index the text in UTF-8 bytes: with Finnish letters, a flag and a
// ZWJ sequence before them, byte and character offsets differ widely.
func TestFacetsUseByteOffsetsOnFinnishTextWithEmoji(t *testing.T) {
	text := "Hyvää päivää 🇫🇮 ja 👩‍💻! Lue #Säätö-opas (https://example.fi/ääkköset?q=1), kiitos @mentioned.test. #123 #kaiku_2026… @tuntematon.test"
	facets, err := bluesky.DetectFacets(text, func(h string) (string, error) {
		if h == "mentioned.test" {
			return otherDID, nil
		}
		return "", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	type want struct{ slice, kind, value string }
	wants := []want{
		{"#Säätö-opas", bluesky.FeatureTag, "Säätö-opas"},
		{"https://example.fi/ääkköset?q=1", bluesky.FeatureLink, "https://example.fi/ääkköset?q=1"},
		{"@mentioned.test", bluesky.FeatureMention, otherDID},
		{"#kaiku_2026", bluesky.FeatureTag, "kaiku_2026"},
	}
	if len(facets) != len(wants) {
		t.Fatalf("got %d facets: %+v", len(facets), facets)
	}
	for i, w := range wants {
		f := facets[i]
		got := text[f.Index.ByteStart:f.Index.ByteEnd]
		ft := f.Features[0]
		value := ft.URI + ft.Tag + ft.DID
		if got != w.slice || ft.Type != w.kind || value != w.value {
			t.Errorf("facet %d: bytes %d-%d are %q (%s %q), want %q (%s %q)", i, f.Index.ByteStart, f.Index.ByteEnd, got, ft.Type, value, w.slice, w.kind, w.value)
		}
	}
	if start := strings.Index(text, "#Säätö"); facets[0].Index.ByteStart != start || start == len([]rune(text[:start])) {
		t.Errorf("the tag starts at byte %d; the test text must put characters and bytes apart", start)
	}
	if got := bluesky.FirstLink(text); got != "https://example.fi/ääkköset?q=1" {
		t.Errorf("FirstLink = %q", got)
	}
}

func TestFacetsLeaveWhatIsNotAFacet(t *testing.T) {
	for _, text := range []string{"sähköposti maija@example.fi", "#️⃣ näppäin", "hinta 5 #", "x#tag", "kohta #123", "ks.https://example.fi"} {
		f, err := bluesky.DetectFacets(text, func(string) (string, error) { return "did:plc:x", nil })
		if err != nil || len(f) != 0 {
			t.Errorf("%q gave facets %+v", text, f)
		}
	}
}

func TestCheckTextCountsGraphemesAndBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		ok   bool
	}{
		{"300 flags, 2400 bytes", strings.Repeat("🇫🇮", 300), true},
		{"301 letters", strings.Repeat("ä", 301), false},
		{"272 ZWJ sequences, 2992 bytes", strings.Repeat("👩‍💻", 272), true},
		{"280 ZWJ sequences, 3080 bytes", strings.Repeat("👩‍💻", 280), false},
		{"blank", " \n ", false},
	} {
		err := bluesky.CheckText(tc.text)
		if (err == nil) != tc.ok || (err != nil && remote.KindOf(err) != remote.KindRejected) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// A thread's parts reply with root = the first part and parent = the part
// before, each by URI and CID, which the fake checks against what it holds.
func TestPublishAThreadWithReplyRefs(t *testing.T) {
	fake := start(t, blueskytest.Options{})
	c := login(t, fake, bluesky.Options{})
	ctx := context.Background()
	parts := []string{"Ketju alkaa 🇫🇮 #kaiku", "Toinen osa @mentioned.test 👩‍💻", "Kolmas: https://example.fi/sivu"}
	var root, parent bluesky.Ref
	for i, text := range parts {
		d := bluesky.Draft{Text: text, Langs: []string{"fi"}}
		if i > 0 {
			d.Reply = &bluesky.ReplyRef{Root: root, Parent: parent}
		}
		p, err := c.Compose(ctx, d, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ref, err := c.PutPost(ctx, c.NewTID(), p)
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if i == 0 {
			root = ref
		}
		parent = ref
	}
	recs := fake.Records()
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	second := recs[1].Value
	reply := second["reply"].(map[string]any)
	if reply["root"].(map[string]any)["cid"] != recs[0].CID || reply["parent"].(map[string]any)["cid"] != recs[0].CID {
		t.Errorf("the second part's reply: %v", reply)
	}
	third := recs[2].Value["reply"].(map[string]any)
	if third["root"].(map[string]any)["cid"] != recs[0].CID || third["parent"].(map[string]any)["cid"] != recs[1].CID {
		t.Errorf("the third part's reply: %v", third)
	}
	if facets := second["facets"].([]any); len(facets) != 1 {
		t.Errorf("the mention: %v", facets)
	}
	if langs := recs[0].Value["langs"].([]any); len(langs) != 1 || langs[0] != "fi" {
		t.Errorf("langs %v", langs)
	}
}

// putRecord under the same key with the same post changes nothing, and a
// write whose answer was lost is found by its key.
func TestPutPostIsIdempotentAndGetPostSettlesAnUnknownFate(t *testing.T) {
	fake := start(t, blueskytest.Options{})
	c := login(t, fake, bluesky.Options{})
	ctx := context.Background()
	p, _ := c.Compose(ctx, bluesky.Draft{Text: "Vain kerran."}, time.Now())
	rkey := c.NewTID()
	a, err := c.PutPost(ctx, rkey, p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.PutPost(ctx, rkey, p)
	if err != nil || b != a || fake.Writes() != 1 {
		t.Fatalf("repeat: %v %v, %d writes", b, err, fake.Writes())
	}
	if a.RKey() != rkey {
		t.Errorf("the URI %q does not end in the key %q", a.URI, rkey)
	}

	lost := c.NewTID()
	fake.Fail(blueskytest.Failure{Endpoint: blueskytest.PutRecord, Drop: true, Created: true})
	_, err = c.PutPost(ctx, lost, p)
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindNetwork || !e.MaybeSent {
		t.Fatalf("dropped: %#v", err)
	}
	ref, got, found, err := c.GetPost(ctx, lost)
	if err != nil || !found || got.Text != "Vain kerran." || ref.CID == "" {
		t.Fatalf("GetPost of the lost write: %+v %v %v", ref, found, err)
	}

	never := c.NewTID()
	fake.Fail(blueskytest.Failure{Endpoint: blueskytest.PutRecord, Status: 502})
	_, err = c.PutPost(ctx, never, p)
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindServer || !e.MaybeSent {
		t.Fatalf("502: %#v", err)
	}
	if _, _, found, err := c.GetPost(ctx, never); err != nil || found {
		t.Fatalf("GetPost of a write that never happened: %v %v", found, err)
	}
}

func TestSessionRefreshesBeforeTheAccessTokenEnds(t *testing.T) {
	fake := start(t, blueskytest.Options{AccessTTL: time.Minute})
	var heard []bluesky.Session
	c := login(t, fake, bluesky.Options{OnSession: func(s bluesky.Session) { heard = append(heard, s) }})
	first := c.Session()
	if exp := first.AccessExpires(); exp.IsZero() || time.Until(exp) > 2*time.Minute {
		t.Fatalf("access expiry %v", exp)
	}
	if _, _, _, err := c.GetPost(context.Background(), c.NewTID()); err != nil {
		t.Fatal(err)
	}
	if fake.Count(blueskytest.RefreshSession) != 1 || len(heard) != 1 || heard[0].AccessJWT == first.AccessJWT {
		t.Fatalf("a token ending within the minute was not refreshed: %d refreshes, %d heard", fake.Count(blueskytest.RefreshSession), len(heard))
	}
	// A refresh token the server no longer takes means signing in again.
	old, _ := bluesky.Resume(first, bluesky.Options{})
	if err := old.Refresh(context.Background()); remote.KindOf(err) != remote.KindAuth {
		t.Errorf("a refresh token the server refuses: %v", err)
	}
}

func TestAnExpiredTokenIsRefreshedAndTheCallRepeated(t *testing.T) {
	fake := start(t, blueskytest.Options{})
	c := login(t, fake, bluesky.Options{})
	fake.ExpireAccess()
	p, _ := c.Compose(context.Background(), bluesky.Draft{Text: "Kello oli väärässä."}, time.Now())
	if _, err := c.PutPost(context.Background(), c.NewTID(), p); err != nil {
		t.Fatal(err)
	}
	if fake.Count(blueskytest.RefreshSession) != 1 || fake.Writes() != 1 {
		t.Errorf("%d refreshes, %d writes", fake.Count(blueskytest.RefreshSession), fake.Writes())
	}
}

func TestLoginFindsTheAccountsPDS(t *testing.T) {
	pds := start(t, blueskytest.Options{OmitDIDDoc: true})
	c, err := bluesky.Login(context.Background(), pds.URL, pds.Handle(), pds.AppPassword(), bluesky.Options{PLCDirectory: pds.PLCDirectory()})
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Session(); s.Service != pds.URL || s.DID != pds.DID || pds.Count(blueskytest.PLC) != 1 {
		t.Errorf("session %v at %s after %d PLC look-ups", s, s.Service, pds.Count(blueskytest.PLC))
	}
	if got, err := bluesky.ResolvePDS(context.Background(), pds.DID, bluesky.Options{PLCDirectory: pds.PLCDirectory()}); err != nil || got != pds.URL {
		t.Errorf("ResolvePDS = %q, %v", got, err)
	}
	if got, err := bluesky.ResolvePDS(context.Background(), pds.WebDID(), bluesky.Options{}); err != nil || got != pds.URL {
		t.Errorf("ResolvePDS(%s) = %q, %v", pds.WebDID(), got, err)
	}
	for _, bad := range []string{"did:web:example.com:users:maija", "did:key:z6Mk", "did:plc:unknown0000000000000000"} {
		if _, err := bluesky.ResolvePDS(context.Background(), bad, bluesky.Options{PLCDirectory: pds.PLCDirectory()}); err == nil {
			t.Errorf("ResolvePDS(%s) found a PDS", bad)
		}
	}
	if _, err := bluesky.Login(context.Background(), pds.URL, pds.Handle(), "wrong-pass-word-1234", bluesky.Options{}); remote.KindOf(err) != remote.KindAuth {
		t.Errorf("a wrong app password: %v", err)
	}
	gone := start(t, blueskytest.Options{Deactivated: true})
	if _, err := bluesky.Login(context.Background(), gone.URL, gone.Handle(), gone.AppPassword(), bluesky.Options{}); remote.KindOf(err) != remote.KindAuth {
		t.Errorf("a deactivated account: %v", err)
	}
	if _, err := bluesky.Login(context.Background(), "http://bsky.example", "x", "y", bluesky.Options{}); err == nil {
		t.Error("a plain-http service was accepted")
	}
}

func TestRateLimitWaitsUntilTheReset(t *testing.T) {
	fake := start(t, blueskytest.Options{})
	c := login(t, fake, bluesky.Options{})
	reset := time.Now().Add(10 * time.Minute).Truncate(time.Second)
	fake.Fail(blueskytest.Failure{Endpoint: blueskytest.PutRecord, Status: 429, Reset: reset})
	p, _ := c.Compose(context.Background(), bluesky.Draft{Text: "Hetkinen."}, time.Now())
	_, err := c.PutPost(context.Background(), c.NewTID(), p)
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindRate || !e.Reset.Equal(reset) || e.MaybeSent {
		t.Fatalf("429: %#v", err)
	}
}

// noisyPNG is an image too big to upload as it is.
func noisyPNG(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLinkCardScalesTheImageAndUploadsIt(t *testing.T) {
	big := noisyPNG(t, 700, 600)
	if len(big) <= bluesky.MaxThumbBytes {
		t.Fatalf("the test image is only %d bytes", len(big))
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/artikkeli":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html><head><title>Varaotsikko</title>
<meta property="og:title" content="Säätö &amp; sää 🇫🇮">
<meta name="description" content="Kuvaus">
<meta property="og:description" content="Pitkä kuvaus ääkkösin">
<meta property="og:image" content="/kuva.png"></head><body>…</body></html>`)
		case "/kuva.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(big)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	fake := start(t, blueskytest.Options{})
	c := login(t, fake, bluesky.Options{})
	ctx := context.Background()
	p, err := c.Compose(ctx, bluesky.Draft{Text: "Lue tämä: " + site.URL + "/artikkeli", Card: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ext := p.Embed.External
	if p.Embed == nil || ext.Title != "Säätö & sää 🇫🇮" || ext.Description != "Pitkä kuvaus ääkkösin" || ext.Thumb == nil {
		t.Fatalf("card %+v", p.Embed)
	}
	if ext.Thumb.Size > bluesky.MaxThumbBytes || ext.Thumb.MimeType != "image/jpeg" || fake.Blobs()[ext.Thumb.Ref.CID] == 0 {
		t.Errorf("thumb %+v", ext.Thumb)
	}
	if _, err := c.PutPost(ctx, c.NewTID(), p); err != nil {
		t.Fatalf("the PDS refused the card: %v", err)
	}
	gone, err := c.Compose(ctx, bluesky.Draft{Text: "Poissa: " + site.URL + "/ei-ole", Card: true}, time.Now())
	if err != nil || gone.Embed != nil {
		t.Errorf("a page that cannot be had: %+v %v", gone.Embed, err)
	}
}

func TestUploadBlobTooLargeIsRejected(t *testing.T) {
	fake := start(t, blueskytest.Options{})
	c := login(t, fake, bluesky.Options{})
	_, err := c.UploadBlob(context.Background(), make([]byte, blueskytest.MaxBlob+1), "image/jpeg")
	if e, ok := remote.As(err); !ok || e.Kind != remote.KindRejected || e.Code != "BlobTooLarge" {
		t.Fatalf("%#v", err)
	}
}

func TestSecretsNeverLeak(t *testing.T) {
	fake := start(t, blueskytest.Options{AccessTTL: time.Minute})
	var mu sync.Mutex
	var said []string
	trace := func(e remote.Exchange) { mu.Lock(); said = append(said, fmt.Sprintf("%+v", e)); mu.Unlock() }
	c := login(t, fake, bluesky.Options{Trace: trace})
	ctx := context.Background()
	note := func(err error) {
		if err != nil {
			said = append(said, err.Error(), fmt.Sprintf("%+v", err))
		}
	}
	p, _ := c.Compose(ctx, bluesky.Draft{Text: "Vuotaako?"}, time.Now())
	fake.Fail(blueskytest.Failure{Endpoint: blueskytest.PutRecord, Status: 500},
		blueskytest.Failure{Endpoint: blueskytest.PutRecord, Drop: true},
		blueskytest.Failure{Endpoint: blueskytest.PutRecord, Status: 400, Body: `{"error":"InvalidToken","message":"Token could not be verified"}`})
	for range 4 {
		_, err := c.PutPost(ctx, c.NewTID(), p)
		note(err)
	}
	_, err := bluesky.Login(ctx, fake.URL, fake.Handle(), "wrong-"+fake.AppPassword(), bluesky.Options{Trace: trace})
	note(err)
	note(c.Refresh(ctx))
	s := c.Session()
	said = append(said, fmt.Sprintf("%v %+v %#v %v %#v", s, s, s, c, c))
	all := strings.Join(said, "\n")
	secrets := fake.IssuedSecrets()
	if len(secrets) < 5 || len(said) < 10 {
		t.Fatalf("too little to prove anything: %d secrets, %d lines", len(secrets), len(said))
	}
	for _, sec := range secrets {
		if strings.Contains(all, sec) {
			t.Errorf("a secret %.6s… leaked", sec)
		}
	}
	if low := strings.ToLower(all); strings.Contains(low, "bearer") || strings.Contains(low, "authorization:") {
		t.Error("a request header leaked")
	}
}
