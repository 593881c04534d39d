//go:build live

package accounts_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/mastodon"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/media"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

// rotatedGPSPhoto is a phone photo as a camera held upright writes it: 60×40
// pixels stored sideways (red above, blue below) with EXIF orientation 6
// (turn 90° clockwise to show) and a GPS position. Shown upright it is
// 40×60, blue on the left and red on the right.
func rotatedGPSPhoto(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 60, 40))
	for y := range 40 {
		for x := range 60 {
			c := color.RGBA{R: 220, G: 20, B: 20, A: 255}
			if y >= 20 {
				c = color.RGBA{R: 20, G: 20, B: 220, A: 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// TIFF, big-endian: IFD0 (orientation, GPS IFD pointer) at 8, the GPS
	// IFD (latitude N 60° 10′) at 38, its rationals at 68.
	be := binary.BigEndian
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	entry := func(tag, typ uint16, count, value uint32) {
		tiff = be.AppendUint16(tiff, tag)
		tiff = be.AppendUint16(tiff, typ)
		tiff = be.AppendUint32(tiff, count)
		tiff = be.AppendUint32(tiff, value)
	}
	tiff = be.AppendUint16(tiff, 2)
	entry(0x0112, 3, 1, 6<<16) // Orientation: SHORT 6, left-justified
	entry(0x8825, 4, 1, 38)    // GPSInfo
	tiff = be.AppendUint32(tiff, 0)
	tiff = be.AppendUint16(tiff, 2)
	entry(0x0001, 2, 2, uint32('N')<<24) // GPSLatitudeRef "N"
	entry(0x0002, 5, 3, 68)              // GPSLatitude
	tiff = be.AppendUint32(tiff, 0)
	for _, r := range [][2]uint32{{60, 1}, {10, 1}, {0, 1}} {
		tiff = be.AppendUint32(tiff, r[0])
		tiff = be.AppendUint32(tiff, r[1])
	}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := append([]byte{0xFF, 0xE1}, be.AppendUint16(nil, uint16(len(payload)+2))...)
	seg = append(seg, payload...)
	b := jpg.Bytes()
	return append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
}

// upright checks a picture as it arrived: 40×60, blue on the left and red
// on the right, and no EXIF left in the file.
func upright(t *testing.T, where string, b []byte) {
	t.Helper()
	if bytes.Contains(b, []byte("Exif\x00\x00")) {
		t.Errorf("%s: the file still has EXIF", where)
	}
	m, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if sz := m.Bounds().Size(); sz != image.Pt(40, 60) {
		t.Fatalf("%s: the picture is %v, not 40×60 upright", where, sz)
	}
	lr, _, lb, _ := m.At(m.Bounds().Min.X+8, m.Bounds().Min.Y+30).RGBA()
	rr, _, rb, _ := m.At(m.Bounds().Min.X+32, m.Bounds().Min.Y+30).RGBA()
	if lb <= lr || rr <= rb {
		t.Errorf("%s: the picture is not turned upright (left %d/%d, right %d/%d red/blue)", where, lr>>8, lb>>8, rr>>8, rb>>8)
	}
}

func fetch(t *testing.T, ctx context.Context, u string) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %s", u, resp.Status, b)
	}
	return b
}

// TestLiveImagesWithAltText publishes a post with two images through
// Kaiku's outbox to GoToSocial and the reference PDS: a GPS-tagged phone
// photo stored sideways, attached as `kaiku post add --image` attaches it,
// and a chart. Each arrives with its alt text (the status's
// media_attachments description; the record's embed.images alt and
// aspectRatio), and the photo upright, 40×60, without EXIF.
func TestLiveImagesWithAltText(t *testing.T) {
	env := liveEnv(t, "KAIKU_LIVE_GTS_URL", "KAIKU_LIVE_GTS_EMAIL", "KAIKU_LIVE_GTS_PASSWORD", "KAIKU_LIVE_PDS_URL",
		"KAIKU_LIVE_BSKY_HANDLE", "KAIKU_LIVE_BSKY_DID", "KAIKU_LIVE_BSKY_APP_PASSWORD")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	st, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, err := accounts.New(accounts.Options{Store: st, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
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
	bsky, err := m.LinkBluesky(ctx, accounts.BlueskyOptions{Service: env["KAIKU_LIVE_PDS_URL"], Handle: env["KAIKU_LIVE_BSKY_HANDLE"], AppPassword: env["KAIKU_LIVE_BSKY_APP_PASSWORD"]})
	if err != nil {
		t.Fatalf("linking the PDS: %v", err)
	}

	// Attached as the composer and `post add --image` attach: prepared, stored.
	chart := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for y := range 80 {
		for x := range 120 {
			if x > 10 && x < 110 && y > 80-x/2 {
				chart.SetRGBA(x, y, color.RGBA{G: 150, A: 255})
			} else {
				chart.SetRGBA(x, y, color.RGBA{R: 255, G: 255, B: 255, A: 255})
			}
		}
	}
	var chartPNG bytes.Buffer
	if err := png.Encode(&chartPNG, chart); err != nil {
		t.Fatal(err)
	}
	alts := []string{"Valokuva: punainen ja sininen puolisko, otettu puhelimella pystyssä", "Kaavio: vihreä alue kasvaa oikealle 📈"}
	var ims []planner.Image
	for i, file := range [][]byte{rotatedGPSPhoto(t), chartPNG.Bytes()} {
		prep, err := media.Prepare(file)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 && !prep.Removed.Location {
			t.Errorf("preparing the photo did not say it removed its location: %+v", prep.Removed)
		}
		hash, err := st.SaveImage(ctx, prep.Data)
		if err != nil {
			t.Fatal(err)
		}
		ims = append(ims, planner.Image{Hash: hash, Alt: alts[i], Type: prep.Type, Width: prep.Width, Height: prep.Height})
	}
	mark := "kaiku-kuvat-" + time.Now().Format("150405.000")
	now := time.Now()
	p := planner.Post{ID: planner.NewID(), Text: "Kuvia tapahtumasta 📷 " + mark, Images: ims, Status: planner.StatusScheduled, Time: now, Created: now, Updated: now,
		Targets: []planner.Target{{AccountID: masto.ID, Network: planner.NetworkMastodon}, {AccountID: bsky.ID, Network: planner.NetworkBluesky}}}
	if err := st.SavePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	ob := m.NewOutbox(accounts.OutboxOptions{})
	if _, err := ob.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Post(ctx, p.ID)
	if got.Status != planner.StatusPublished || len(got.Results) != 2 {
		t.Fatalf("post %+v", got)
	}

	// GoToSocial: the status carries both, described, the photo upright.
	srv, _ := mastodon.NewServer(env["KAIKU_LIVE_GTS_URL"], mastodon.Options{})
	tok := mastodon.Token{AccessToken: liveSecret(t, dir, masto.ID, "access_token")}
	statuses, err := srv.Client(tok).Recent(ctx, masto.RemoteID, 40)
	if err != nil {
		t.Fatal(err)
	}
	var ours *mastodon.Status
	for i := range statuses {
		if strings.Contains(statuses[i].PlainText(), mark) {
			if ours != nil {
				t.Fatal("GoToSocial has the post twice")
			}
			ours = &statuses[i]
		}
	}
	if ours == nil || len(ours.Media) != 2 {
		t.Fatalf("GoToSocial has %+v", ours)
	}
	for i, a := range ours.Media {
		if a.Description != alts[i] {
			t.Errorf("attachment %d is described %q", i, a.Description)
		}
	}
	if o := ours.Media[0].Meta.Original; o.Width != 40 || o.Height != 60 {
		t.Errorf("GoToSocial has the photo as %d×%d", o.Width, o.Height)
	}
	upright(t, "GoToSocial", fetch(t, ctx, ours.Media[0].URL))

	// The PDS: the record embeds both with alt and aspect ratio; the
	// photo's blob is the very file Kaiku sent, upright and without EXIF.
	var rec struct {
		Value struct {
			Embed struct {
				Type   string `json:"$type"`
				Images []struct {
					Alt   string `json:"alt"`
					Image struct {
						Ref struct {
							CID string `json:"$link"`
						} `json:"ref"`
					} `json:"image"`
					AspectRatio struct{ Width, Height int } `json:"aspectRatio"`
				} `json:"images"`
			} `json:"embed"`
		} `json:"value"`
	}
	var uri string
	for _, r := range got.Results {
		if r.Network == planner.NetworkBluesky {
			uri = r.RemoteID
		}
	}
	rkey := uri[strings.LastIndexByte(uri, '/')+1:]
	pds := env["KAIKU_LIVE_PDS_URL"]
	q := url.Values{"repo": {env["KAIKU_LIVE_BSKY_DID"]}, "collection": {"app.bsky.feed.post"}, "rkey": {rkey}}
	if err := json.Unmarshal(fetch(t, ctx, pds+"/xrpc/com.atproto.repo.getRecord?"+q.Encode()), &rec); err != nil {
		t.Fatal(err)
	}
	e := rec.Value.Embed
	if e.Type != "app.bsky.embed.images" || len(e.Images) != 2 {
		t.Fatalf("the record embeds %+v", e)
	}
	for i, want := range [][2]int{{40, 60}, {120, 80}} {
		if e.Images[i].Alt != alts[i] || e.Images[i].AspectRatio.Width != want[0] || e.Images[i].AspectRatio.Height != want[1] {
			t.Errorf("image %d: %+v", i, e.Images[i])
		}
	}
	q = url.Values{"did": {env["KAIKU_LIVE_BSKY_DID"]}, "cid": {e.Images[0].Image.Ref.CID}}
	upright(t, "the PDS", fetch(t, ctx, pds+"/xrpc/com.atproto.sync.getBlob?"+q.Encode()))
	t.Logf("published %s with 2 images to GoToSocial (%s) and the PDS (%s)", mark, fmt.Sprint(ours.URL), uri)
}
