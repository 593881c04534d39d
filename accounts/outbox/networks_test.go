package outbox_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/accountstest"
	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/accounts/outbox"
	"github.com/kaiku-app/kaiku/planner"
)

// networks is a Kaiku with an account linked on each of the four networks.
type networks struct {
	*accountstest.Env
	masto      *mastodontest.Server
	bsky       *blueskytest.Server
	li         *linkedintest.Server
	x, m, b, l planner.Account
}

func newNetworks(t *testing.T, opts ...accountstest.Option) *networks {
	t.Helper()
	e := newEnv(t, opts...)
	n := &networks{Env: e}
	n.masto = e.Mastodon(mastodontest.Options{MaxCharacters: 5000})
	n.bsky = e.Bluesky(blueskytest.Options{Others: map[string]string{"ystava.test": "did:plc:ystava0000000000000000"}})
	n.li = e.LinkedIn(linkedintest.Options{GivenName: "Maija", FamilyName: "Meikäläinen"})
	n.x = e.LinkX()
	n.m = e.LinkMastodon(n.masto, false, "")
	n.b = e.LinkBluesky(n.bsky)
	n.l = e.LinkLinkedIn(n.li)
	return n
}

// cardPage serves a page with a link card's tags and its image.
func cardPage(t *testing.T) string {
	t.Helper()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/juttu":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><meta property="og:title" content="Säätiön uutiset 🇫🇮"><meta property="og:description" content="Mitä tänään tapahtuu"></head></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(site.Close)
	return site.URL + "/juttu"
}

// A Finnish thread with emoji, links, a hashtag and a mention goes to every
// network as that network chains a thread, in Finnish, once.
func TestThreadOnEveryNetwork(t *testing.T) {
	n := newNetworks(t)
	page := cardPage(t)
	s, _ := n.Store.Settings(n.Ctx)
	s.Language = "fi"
	if err := n.Store.SaveSettings(n.Ctx, s); err != nil {
		t.Fatal(err)
	}
	parts := []string{
		"Hyvää huomenta 🇫🇮! Ketju säätiön #Säätö-työstä " + page,
		"Toinen osa 👩‍💻, terveiset @ystava.test ja lue https://example.fi/ääkköset?sivu=2",
		"Kolmas ja viimeinen osa (sulkeissa) <tärkeä> #kaiku",
	}
	p := n.ScheduleTo([]planner.Account{n.x, n.m, n.b, n.l}, n.Clock.Now(), parts...)
	ob := n.Outbox(accounts.OutboxOptions{})
	if sum := n.RunDue(ob); sum.Published != 1 {
		t.Fatalf("summary %+v", sum)
	}
	for range 2 {
		if sum := n.RunDue(ob); len(sum.Posts) != 0 {
			t.Fatalf("a second run did something: %+v", sum)
		}
	}
	got := n.Post(p.ID)
	if got.Status != planner.StatusPublished || len(got.Results) != 10 {
		t.Fatalf("post %+v", got)
	}

	accountstest.CheckThread(t, n.X, parts...)

	st := n.masto.Statuses()
	if len(st) != 3 {
		t.Fatalf("Mastodon has %d statuses", len(st))
	}
	for i, s := range st {
		if s.Text != parts[i] || s.Language != "fi" || s.Visibility != "public" {
			t.Errorf("status %d: %+v", i, s)
		}
		if i > 0 && s.InReplyToID != st[i-1].ID {
			t.Errorf("status %d does not reply to the one before", i)
		}
	}

	recs := n.bsky.Records()
	if len(recs) != 3 || n.bsky.Writes() != 3 {
		t.Fatalf("Bluesky has %d records from %d writes", len(recs), n.bsky.Writes())
	}
	uri := func(r blueskytest.Record) string { return "at://" + n.bsky.DID + "/app.bsky.feed.post/" + r.RKey }
	for i, r := range recs {
		if r.Value["text"] != parts[i] || fmt.Sprint(r.Value["langs"]) != "[fi]" {
			t.Errorf("record %d: %v", i, r.Value)
		}
		if i == 0 {
			continue
		}
		reply, _ := r.Value["reply"].(map[string]any)
		root, _ := reply["root"].(map[string]any)
		parent, _ := reply["parent"].(map[string]any)
		if root["uri"] != uri(recs[0]) || root["cid"] != recs[0].CID || parent["uri"] != uri(recs[i-1]) || parent["cid"] != recs[i-1].CID {
			t.Errorf("record %d's reply refs: %v", i, reply)
		}
	}
	embed, _ := recs[0].Value["embed"].(map[string]any)
	ext, _ := embed["external"].(map[string]any)
	if ext["title"] != "Säätiön uutiset 🇫🇮" || ext["uri"] != page {
		t.Errorf("the link card: %v", recs[0].Value["embed"])
	}
	if _, ok := recs[1].Value["embed"]; ok {
		t.Error("a card for a page that cannot be had")
	}

	li := n.li.Posts()
	if len(li) != 1 {
		t.Fatalf("LinkedIn has %d posts", len(li))
	}
	if want := strings.Join(parts, "\n\n"); li[0].Text != want || li[0].Cut || !slices.Equal(li[0].Hashtags, []string{"Säätö", "kaiku"}) {
		t.Errorf("LinkedIn shows %q (cut %v, hashtags %v), want %q", li[0].Text, li[0].Cut, li[0].Hashtags, want)
	}

	for _, r := range got.Results {
		if r.RemoteID == "" || r.URL == "" || r.Pending || r.Error != "" {
			t.Errorf("result %+v", r)
		}
		if r.Network == planner.NetworkBluesky && r.CID == "" {
			t.Errorf("a Bluesky result without its CID: %+v", r)
		}
	}
}

// The post's own language goes out rather than the settings'.
func TestPostLanguageGoesOut(t *testing.T) {
	n := newNetworks(t)
	p := n.ScheduleTo([]planner.Account{n.m, n.b}, n.Clock.Now(), "Hej från Helsingfors!")
	p.Language = "sv"
	if err := n.Store.SavePost(n.Ctx, p); err != nil {
		t.Fatal(err)
	}
	n.RunDue(n.Outbox(accounts.OutboxOptions{Language: "en"}))
	if st := n.masto.Statuses(); len(st) != 1 || st[0].Language != "sv" {
		t.Errorf("Mastodon got %+v", st)
	}
	if r := n.bsky.Records(); len(r) != 1 || fmt.Sprint(r[0].Value["langs"]) != "[sv]" {
		t.Errorf("Bluesky got %+v", r)
	}
	// Without the post's or the settings' language, the system's.
	q := n.ScheduleTo([]planner.Account{n.m}, n.Clock.Now(), "Hello from Helsinki!")
	n.RunDue(n.Outbox(accounts.OutboxOptions{Language: "en"}))
	if st := n.masto.Statuses(); len(st) != 2 || st[1].Language != "en" || st[1].Text != q.Text {
		t.Errorf("Mastodon got %+v", st)
	}
}

// A refusal on one network leaves the others to go out; the post fails
// for that network alone, and Retry sends only what has not gone out.
func TestOneTargetFailsTheOthersGoOut(t *testing.T) {
	n := newNetworks(t)
	n.li.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 400,
		Body: `{"status":400,"code":"INVALID_CONTENT","message":"Kielletty sisältö"}`})
	p := n.ScheduleTo([]planner.Account{n.l, n.m, n.b}, n.Clock.Now(), "Eka osa.", "Toka osa.")
	ob := n.Outbox(accounts.OutboxOptions{})
	if sum := n.RunDue(ob); sum.Failed != 1 {
		t.Fatalf("summary %+v", sum)
	}
	got := n.Post(p.ID)
	if got.Status != planner.StatusFailed || got.LastError != "outbox.error.rejected.linkedin" {
		t.Fatalf("post %+v", got)
	}
	if len(n.masto.Statuses()) != 2 || len(n.bsky.Records()) != 2 || len(n.li.Posts()) != 0 {
		t.Fatalf("Mastodon %d, Bluesky %d, LinkedIn %d", len(n.masto.Statuses()), len(n.bsky.Records()), len(n.li.Posts()))
	}
	failed := slices.IndexFunc(got.Results, func(r planner.PublishResult) bool { return r.Error != "" })
	if failed < 0 || got.Results[failed].AccountID != n.l.ID || got.Results[failed].Error != "Kielletty sisältö" {
		t.Fatalf("results %+v", got.Results)
	}
	if _, err := ob.Retry(n.Ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if sum := n.RunDue(ob); sum.Published != 1 {
		t.Fatalf("after retry: %+v", sum)
	}
	if len(n.masto.Statuses()) != 2 || n.bsky.Writes() != 2 || len(n.li.Posts()) != 1 {
		t.Fatalf("after retry: Mastodon %d, Bluesky %d writes, LinkedIn %d", len(n.masto.Statuses()), n.bsky.Writes(), len(n.li.Posts()))
	}
}

// While one account waits (a rate limit), another publishes; the one
// refused in the meantime is not sent again until the user retries.
func TestAWaitingTargetDoesNotHoldTheOthers(t *testing.T) {
	n := newNetworks(t)
	reset := n.Clock.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	n.masto.Fail(mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 429, Reset: reset})
	n.bsky.Fail(blueskytest.Failure{Endpoint: blueskytest.PutRecord, Status: 400})
	p := n.ScheduleTo([]planner.Account{n.m, n.b, n.l}, n.Clock.Now(), "Jonossa.")
	ob := n.Outbox(accounts.OutboxOptions{})
	sum := n.RunDue(ob)
	got := n.Post(p.ID)
	if got.Status != planner.StatusScheduled || got.LastError != "outbox.error.rate_limited.mastodon" || sum.Waiting != 1 {
		t.Fatalf("post %+v, summary %+v", got, sum)
	}
	if a := n.Account(n.m.ID); !a.RateLimitedUntil.Equal(reset) {
		t.Errorf("the reset %v was not kept: %v", reset, a.RateLimitedUntil)
	}
	if len(n.li.Posts()) != 1 {
		t.Fatal("LinkedIn waited for Mastodon")
	}
	n.Clock.Advance(2*time.Hour + time.Second)
	n.RunDue(ob)
	got = n.Post(p.ID)
	if got.Status != planner.StatusFailed || got.LastError != "outbox.error.rejected.bluesky" {
		t.Fatalf("post %+v", got)
	}
	if len(n.masto.Statuses()) != 1 || n.bsky.Count(blueskytest.PutRecord) != 1 || len(n.li.Posts()) != 1 {
		t.Fatalf("Mastodon %d, Bluesky %d tries, LinkedIn %d", len(n.masto.Statuses()), n.bsky.Count(blueskytest.PutRecord), len(n.li.Posts()))
	}
}

// A part whose answer was lost is settled as each network allows: looked
// for among Mastodon's statuses (which ignore the Idempotency-Key here), read
// back by its record key on Bluesky, sent again to LinkedIn, whose refusal
// as a duplicate names the post. Whether or not the lost request went
// through, each part is out once, and the thread holds together.
func TestLostAnswerSettledOnEachNetwork(t *testing.T) {
	parts := []string{"Yksi 🇫🇮", "Kaksi: https://example.fi/ä", "Kolme #kaiku"}
	for _, taken := range []bool{true, false} {
		for _, network := range []planner.Network{planner.NetworkMastodon, planner.NetworkBluesky, planner.NetworkLinkedIn} {
			t.Run(fmt.Sprintf("%s taken %v", network, taken), func(t *testing.T) {
				n := newNetworks(t)
				acc := map[planner.Network]planner.Account{planner.NetworkMastodon: n.m, planner.NetworkBluesky: n.b, planner.NetworkLinkedIn: n.l}[network]
				p := n.Schedule(acc, n.Clock.Now(), parts...)
				ob := n.Outbox(accounts.OutboxOptions{})
				lose := len(parts) - 2 // the middle part, or LinkedIn's one post
				if network == planner.NetworkLinkedIn {
					lose = 0
				}
				outbox.BeforeSend(ob, func(_ string, part int) {
					if part != lose {
						return
					}
					switch network {
					case planner.NetworkMastodon:
						n.masto.Fail(mastodontest.Failure{Endpoint: mastodontest.Statuses, Drop: true, Created: taken})
					case planner.NetworkBluesky:
						n.bsky.Fail(blueskytest.Failure{Endpoint: blueskytest.PutRecord, Drop: true, Created: taken})
					case planner.NetworkLinkedIn:
						n.li.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Drop: true, Created: taken})
					}
				})
				if sum := n.RunDue(ob); sum.Published != 1 {
					t.Fatalf("summary %+v, post %+v", sum, n.Post(p.ID))
				}
				got := n.Post(p.ID)
				switch network {
				case planner.NetworkMastodon:
					st := n.masto.Statuses()
					if len(st) != 3 || st[1].InReplyToID != st[0].ID || st[2].InReplyToID != st[1].ID {
						t.Fatalf("Mastodon has %+v", st)
					}
					for i, r := range got.Results {
						if r.RemoteID != st[i].ID {
							t.Errorf("result %d: %+v", i, r)
						}
					}
				case planner.NetworkBluesky:
					recs := n.bsky.Records()
					if len(recs) != 3 || n.bsky.Writes() != 3 {
						t.Fatalf("Bluesky has %d records from %d writes", len(recs), n.bsky.Writes())
					}
					reply, _ := recs[2].Value["reply"].(map[string]any)
					parent, _ := reply["parent"].(map[string]any)
					if parent["cid"] != recs[1].CID {
						t.Errorf("the last part replies to %v", parent)
					}
				case planner.NetworkLinkedIn:
					posts := n.li.Posts()
					if len(posts) != 1 || got.Results[0].RemoteID != posts[0].URN || got.Results[0].URL != "https://www.linkedin.com/feed/update/"+posts[0].URN {
						t.Fatalf("LinkedIn has %+v; results %+v", posts, got.Results)
					}
				}
			})
		}
	}
}

// The answer was lost and so was the look: the post waits with its attempt
// open, and the next run finds the part by looking again.
func TestLostAnswerAndLookSettledNextRun(t *testing.T) {
	n := newNetworks(t)
	m := n.Schedule(n.m, n.Clock.Now(), "Mastodon hukassa.")
	b := n.Schedule(n.b, n.Clock.Now(), "Bluesky hukassa.")
	n.masto.Fail(mastodontest.Failure{Endpoint: mastodontest.Statuses, Drop: true, Created: true})
	n.masto.Fail(mastodontest.Failure{Endpoint: mastodontest.Timeline, Status: 503})
	n.bsky.Fail(blueskytest.Failure{Endpoint: blueskytest.PutRecord, Drop: true, Created: true}, blueskytest.Failure{Endpoint: blueskytest.GetRecord, Status: 502})
	ob := n.Outbox(accounts.OutboxOptions{})
	sum := n.RunDue(ob)
	for _, id := range []string{m.ID, b.ID} {
		got := n.Post(id)
		if got.Status != planner.StatusNeedsAttention || got.Attempt == "" || !strings.HasPrefix(got.LastError, "outbox.error.interrupted.") {
			t.Fatalf("post %+v, summary %+v", got, sum)
		}
	}
	sum = n.RunDue(ob)
	if sum.Published != 2 || sum.Posts[0].Action != outbox.ActionCheck {
		t.Fatalf("summary %+v", sum)
	}
	if len(n.masto.Statuses()) != 1 || n.bsky.Writes() != 1 {
		t.Fatalf("Mastodon %d, Bluesky %d", len(n.masto.Statuses()), n.bsky.Writes())
	}
}

// Each network's refusals say what to do: Mastodon's 401 needs a new link,
// its 422 fails the post with the server's own words, its 429 waits until
// X-RateLimit-Reset; LinkedIn's 403 means the app lacks the product.
func TestNetworksErrorsSayWhatToDo(t *testing.T) {
	n := newNetworks(t)
	ob := n.Outbox(accounts.OutboxOptions{})

	n.masto.Fail(mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 422, Body: `{"error":"Validation failed: Text character limit of 500 exceeded"}`})
	p := n.Schedule(n.m, n.Clock.Now(), "Liian pitkä palvelimelle.")
	n.RunDue(ob)
	got := n.Post(p.ID)
	if got.Status != planner.StatusFailed || got.LastError != "outbox.error.rejected.mastodon" || len(got.Results) != 1 ||
		got.Results[0].Error != "Validation failed: Text character limit of 500 exceeded" {
		t.Fatalf("422: %+v", got)
	}

	reset := n.Clock.Now().Add(3 * time.Hour).UTC().Truncate(time.Microsecond)
	n.masto.Fail(mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 429, Reset: reset})
	p = n.Schedule(n.m, n.Clock.Now(), "Rajoitettu.")
	n.RunDue(ob)
	if got := n.Post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.rate_limited.mastodon" || !n.Account(n.m.ID).RateLimitedUntil.Equal(reset) {
		t.Fatalf("429: %+v, account %+v", got, n.Account(n.m.ID))
	}
	n.Clock.Advance(3*time.Hour + time.Second)
	if n.RunDue(ob); n.Post(p.ID).Status != planner.StatusPublished {
		t.Fatalf("after the reset: %+v", n.Post(p.ID))
	}

	n.masto.RevokeAll()
	p = n.Schedule(n.m, n.Clock.Now(), "Liitos vanheni.")
	n.RunDue(ob)
	if got := n.Post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.relink.mastodon" || n.Account(n.m.ID).Status != planner.AccountNeedsRelink {
		t.Fatalf("401: %+v", got)
	}

	n.li.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 403, Body: `{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions to access: partnerApiPostsExternal.CREATE.20261101"}`})
	p = n.Schedule(n.l, n.Clock.Now(), "Tuote puuttuu.")
	n.RunDue(ob)
	if got := n.Post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.permission.linkedin" || n.Account(n.l.ID).Status != planner.AccountNeedsRelink {
		t.Fatalf("403: %+v", got)
	}
}

// A LinkedIn link lasts 60 days: a post due after that waits for the
// account to be linked again, and says so, without asking LinkedIn.
func TestLinkedInLinkEnds(t *testing.T) {
	n := newNetworks(t)
	ends := n.Account(n.l.ID).Expires
	if d := ends.Sub(n.Clock.Now()); d < 59*24*time.Hour || d > 61*24*time.Hour {
		t.Fatalf("the link ends in %v", d)
	}
	p := n.Schedule(n.l, ends.Add(time.Hour), "Liian myöhään.")
	if flagged := planner.LinksEndedWhenDue(p, []planner.Account{n.Account(n.l.ID)}); len(flagged) != 1 {
		t.Fatalf("the post is not flagged: %+v", flagged)
	}
	n.Clock.Advance(p.Time.Sub(n.Clock.Now()) + time.Minute)
	n.RunDue(n.Outbox(accounts.OutboxOptions{}))
	if got := n.Post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.expired.linkedin" {
		t.Fatalf("post %+v", got)
	}
	if n.Account(n.l.ID).Status != planner.AccountNeedsRelink || n.li.Count(linkedintest.Posts) != 0 {
		t.Fatal("an ended link was used")
	}
}

// A Mastodon instance's own limit, read when linking, is the one a post is
// held to: 600 characters go out where the instance takes 5000.
func TestMastodonInstanceLimit(t *testing.T) {
	n := newNetworks(t)
	if a := n.Account(n.m.ID); a.TextLimit != 5000 || a.URLWeight != 23 {
		t.Fatalf("account %+v", a)
	}
	long := strings.Repeat("Pitkä teksti. ", 45)
	p := n.Schedule(n.m, n.Clock.Now(), long)
	n.RunDue(n.Outbox(accounts.OutboxOptions{}))
	if got := n.Post(p.ID); got.Status != planner.StatusPublished {
		t.Fatalf("post %+v", got)
	}
	q := n.Schedule(n.b, n.Clock.Now(), long)
	n.RunDue(n.Outbox(accounts.OutboxOptions{}))
	if got := n.Post(q.ID); got.Status != planner.StatusFailed || got.LastError != "outbox.error.too_long.bluesky" || n.bsky.Count(blueskytest.PutRecord) != 0 {
		t.Fatalf("post %+v", got)
	}
}
