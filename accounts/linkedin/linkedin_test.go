package linkedin_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts/linkedin"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// clock is a time both the client and the fake read, which a test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

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

// sleeper stands in for waiting: it keeps each wait asked for and moves
// the clock on by it, at once.
type sleeper struct {
	mu    sync.Mutex
	clock *clock
	slept []time.Duration
	// onSleep, if set, hears of the nth wait (from 1) before it ends.
	onSleep func(n int)
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.slept = append(s.slept, d)
	n, on := len(s.slept), s.onSleep
	s.mu.Unlock()
	if on != nil {
		on(n)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.clock.Advance(d)
	return nil
}

func (s *sleeper) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.slept)
}

type env struct {
	t     *testing.T
	ctx   context.Context
	clock *clock
	sleep *sleeper
	fake  *linkedintest.Server
	srv   *linkedin.Server
	app   linkedin.App
	tr    *tracer
}

func newEnv(t *testing.T, opts linkedintest.Options) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), clock: newClock(), tr: &tracer{}}
	e.sleep = &sleeper{clock: e.clock}
	opts.Now = e.clock.Now
	e.fake = linkedintest.Start(t, opts)
	srv, err := linkedin.NewServer(linkedin.Options{APIBase: e.fake.URL, Now: e.clock.Now, Trace: e.tr.trace, Sleep: e.sleep.sleep})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.app = linkedin.App{ClientID: e.fake.ClientID(), ClientSecret: e.fake.ClientSecret()}
	return e
}

// startLink begins linking on a free port that the app has registered.
func (e *env) startLink() *linkedin.Link {
	e.t.Helper()
	l, err := e.srv.StartLink(e.app, linkedin.LinkOptions{Addr: "127.0.0.1:0"})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(l.Close)
	e.fake.RegisterRedirect(l.RedirectURI())
	return l
}

func (e *env) wait(l *linkedin.Link) (linkedin.Linked, error) {
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	return l.Wait(ctx)
}

// link runs the whole linking against the fake and gives the member's client.
func (e *env) link() (*linkedin.Client, linkedin.Linked) {
	e.t.Helper()
	l := e.startLink()
	go e.fake.Authorize(l.URL())
	linked, err := e.wait(l)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.srv.Client(linked.Token), linked
}

func TestLinkThroughTheLoopbackReturn(t *testing.T) {
	e := newEnv(t, linkedintest.Options{Sub: "782bbtaQ", GivenName: "Maija", FamilyName: "Meikäläinen"})
	l := e.startLink()
	u, err := url.Parse(l.URL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/oauth/v2/authorization" || q.Get("response_type") != "code" || q.Get("client_id") != e.app.ClientID ||
		q.Get("redirect_uri") != l.RedirectURI() || q.Get("scope") != "openid profile w_member_social" || len(q.Get("state")) < 20 {
		t.Fatalf("authorization URL %s", l.URL())
	}
	if q.Has("client_secret") {
		t.Fatal("the client secret went into the browser's address")
	}
	go e.fake.Authorize(l.URL())
	linked, err := e.wait(l)
	if err != nil {
		t.Fatal(err)
	}
	m := linked.Member
	if m.URN() != "urn:li:person:782bbtaQ" || m.Name != "Maija Meikäläinen" || m.GivenName != "Maija" {
		t.Errorf("member %+v", m)
	}
	tok := linked.Token
	if tok.Scope != linkedin.Scopes || !tok.Created.Equal(e.clock.Now()) {
		t.Errorf("token %v created %v", tok, tok.Created)
	}
	// LinkedIn's expires_in is 5183999 seconds: kept as a time, not a span.
	if want := e.clock.Now().Add(5183999 * time.Second); !tok.Expires.Equal(want) {
		t.Errorf("expires %v, want %v", tok.Expires, want)
	}
	if d := (planner.Account{Expires: tok.Expires}).LinkDaysLeft(e.clock.Now()); d != 60 {
		t.Errorf("%d days left just after linking", d)
	}
	if got := linkedin.RedirectURI(0); got != "http://127.0.0.1:47812/callback" {
		t.Errorf("default redirect URL %q", got)
	}
}

// An answer with another state is turned away and does not end the wait;
// the real one then links.
func TestLinkRefusesAnAnswerForAnotherSignIn(t *testing.T) {
	e := newEnv(t, linkedintest.Options{})
	l := e.startLink()
	resp, err := http.Get(l.RedirectURI() + "?code=planted&state=somebody-elses")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a wrong state answered %d", resp.StatusCode)
	}
	go e.fake.Authorize(l.URL())
	if _, err := e.wait(l); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.Count(linkedintest.AccessToken); n != 1 {
		t.Errorf("%d code exchanges; the planted code must not be one", n)
	}
}

func TestLinkWhenTheMemberCancels(t *testing.T) {
	e := newEnv(t, linkedintest.Options{})
	l := e.startLink()
	go e.fake.Deny(l.URL())
	_, err := e.wait(l)
	if !errors.Is(err, remote.ErrDenied) || remote.KindOf(err) != remote.KindRejected {
		t.Fatalf("cancelled: %v", err)
	}
	if e.fake.Count(linkedintest.AccessToken) != 0 {
		t.Error("a cancelled sign-in asked for a token")
	}
}

func TestLinkWithAnAppWithoutShareOnLinkedIn(t *testing.T) {
	e := newEnv(t, linkedintest.Options{NoShareProduct: true})
	l := e.startLink()
	go e.fake.Authorize(l.URL())
	_, err := e.wait(l)
	if !errors.Is(err, linkedin.ErrPermission) || remote.KindOf(err) != remote.KindAuth {
		t.Fatalf("an app without the product: %v", err)
	}
	if !strings.Contains(err.Error(), "w_member_social") || !strings.Contains(err.Error(), "Share on LinkedIn") {
		t.Errorf("the error does not say what is missing: %v", err)
	}
}

func TestLinkListensOnlyOnThisComputer(t *testing.T) {
	e := newEnv(t, linkedintest.Options{})
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	if _, err := e.srv.StartLink(e.app, linkedin.LinkOptions{Addr: busy.Addr().String()}); err == nil || !strings.Contains(err.Error(), busy.Addr().String()) {
		t.Errorf("a port in use: %v", err)
	}
	if _, err := e.srv.StartLink(e.app, linkedin.LinkOptions{Addr: "0.0.0.0:0"}); !errors.Is(err, remote.ErrNotLoopback) {
		t.Errorf("every interface: %v", err)
	}
	if got := linkedin.CallbackAddress(0); got != "127.0.0.1:47812" {
		t.Errorf("default address %q", got)
	}
	if got := linkedin.RedirectURI(48000); got != "http://127.0.0.1:48000/callback" {
		t.Errorf("--port 48000: %q", got)
	}
}

// codeFor signs in by hand to get a code for a.
func (e *env) codeFor() (*linkedin.Authorization, string) {
	e.t.Helper()
	cb, err := remote.ListenCallback("127.0.0.1:0", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	defer cb.Close()
	e.fake.RegisterRedirect(cb.RedirectURI())
	a, err := e.srv.Authorize(e.app, cb.RedirectURI())
	if err != nil {
		e.t.Fatal(err)
	}
	cb.Expect(a.State)
	go e.fake.Authorize(a.URL)
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	code, err := cb.Wait(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return a, code
}

func TestExchangeUsesACodeOnceAndNeedsTheSecret(t *testing.T) {
	e := newEnv(t, linkedintest.Options{})
	a, code := e.codeFor()
	if _, err := e.srv.Exchange(e.ctx, a, code); err != nil {
		t.Fatal(err)
	}
	_, err := e.srv.Exchange(e.ctx, a, code)
	if r, ok := remote.As(err); !ok || r.Kind != remote.KindRejected || r.Code != "invalid_request" {
		t.Fatalf("a used code: %#v", err)
	}

	a, code = e.codeFor()
	wrong, _ := e.srv.Authorize(linkedin.App{ClientID: e.app.ClientID, ClientSecret: "not-the-secret"}, a.RedirectURI)
	_, err = e.srv.Exchange(e.ctx, wrong, code)
	if r, ok := remote.As(err); !ok || r.Kind != remote.KindAuth || r.Code != "invalid_client" {
		t.Fatalf("a wrong secret: %#v", err)
	}
	// A code is good for 30 minutes.
	e.clock.Advance(31 * time.Minute)
	if _, err := e.srv.Exchange(e.ctx, a, code); remote.KindOf(err) != remote.KindRejected {
		t.Fatalf("an old code: %v", err)
	}
	if _, err := e.srv.Exchange(e.ctx, a, " "); remote.KindOf(err) != remote.KindRejected {
		t.Fatalf("no code: %v", err)
	}
	if _, err := e.srv.Authorize(linkedin.App{ClientID: "only-the-id"}, a.RedirectURI); remote.KindOf(err) != remote.KindAuth {
		t.Fatalf("an app without a secret: %v", err)
	}
}

// allReserved has every character little text reserves.
const allReserved = `\ | { } @ [ ] ( ) < > # * _ ~`

func TestPublishFinnishTextArrivesAsWritten(t *testing.T) {
	e := newEnv(t, linkedintest.Options{})
	c, linked := e.link()
	text := "Hyvää huomenta, Suomi 🇫🇮! Työpaja (ke 3.12.) on täynnä 👩‍💻 – kiitos @kaikille.\n\n" +
		"Lue lisää: https://fi.wikipedia.org/wiki/Kalevala_(runo)#Sisältö ja https://example.fi/?q=a&b=c_d~e\n" +
		"Varatut merkit: " + allReserved + " ja 2*3=6, <b>lihava</b>, [linkki](x), {x|y}, a\\b.\n" +
		"#Kaiku #Säätö #työelämä2026 (#sulkeissa) #2026 #my_tag ＃leveä"
	p, err := c.Publish(e.ctx, linked.Member.URN(), text)
	if err != nil {
		t.Fatal(err)
	}
	posts := e.fake.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts", len(posts))
	}
	got := posts[0]
	if got.Cut || got.Text != text {
		t.Fatalf("LinkedIn shows (cut %v at %d):\n%s\nwant:\n%s", got.Cut, got.CutAt, got.Text, text)
	}
	if want := []string{"Kaiku", "Säätö", "työelämä2026", "sulkeissa", "my"}; !slices.Equal(got.Hashtags, want) {
		t.Errorf("hashtags %q, want %q", got.Hashtags, want)
	}
	if p.URN != got.URN || p.URL != "https://www.linkedin.com/feed/update/"+got.URN || !strings.HasPrefix(p.URN, "urn:li:share:") {
		t.Errorf("post %+v, the server took %s", p, got.URN)
	}
	if got.Author != linked.Member.URN() || got.Visibility != "PUBLIC" || got.FeedDistribution != "MAIN_FEED" ||
		got.LifecycleState != "PUBLISHED" || got.ReshareDisabled || got.Version != linkedin.Version {
		t.Errorf("post fields %+v", got)
	}
}

func TestThreadGoesAsOnePost(t *testing.T) {
	e := newEnv(t, linkedintest.Options{})
	c, linked := e.link()
	parts := []string{"Ketju alkaa 🧵\n", "  Toinen osa: https://example.fi/a_b  ", "", "Kolmas (ja viimeinen). #kaiku"}
	joined := planner.JoinParts(parts)
	if joined != "Ketju alkaa 🧵\n\nToinen osa: https://example.fi/a_b\n\nKolmas (ja viimeinen). #kaiku" {
		t.Fatalf("joined %q", joined)
	}
	if _, err := c.Publish(e.ctx, linked.Member.URN(), joined); err != nil {
		t.Fatal(err)
	}
	posts := e.fake.Posts()
	if len(posts) != 1 || posts[0].Text != joined || posts[0].Cut {
		t.Fatalf("posts %+v", posts)
	}
}

// A post whose answer was lost did go out: sent again, LinkedIn refuses it
// as a duplicate and names it, and nothing is posted twice.
func TestDuplicateAfterUnknownFateNamesTheEarlierPost(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail linkedintest.Failure
		kind remote.Kind
	}{
		{"dropped connection", linkedintest.Failure{Endpoint: linkedintest.Posts, Drop: true, Created: true}, remote.KindNetwork},
		{"server error", linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 500, Created: true}, remote.KindServer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, linkedintest.Options{})
			c, linked := e.link()
			text := "Tämä lähti, vaikka vastaus katosi (oikeasti) #kaiku"
			e.fake.Fail(tc.fail)
			_, err := c.Publish(e.ctx, linked.Member.URN(), text)
			if r, ok := remote.As(err); !ok || r.Kind != tc.kind || !r.MaybeSent {
				t.Fatalf("first try: %#v", err)
			}
			_, err = c.Publish(e.ctx, linked.Member.URN(), text)
			d, ok := linkedin.AsDuplicate(err)
			if !ok {
				t.Fatalf("again: %v", err)
			}
			posts := e.fake.Posts()
			if len(posts) != 1 || d.Post.URN != posts[0].URN || d.Post.URL != linkedin.PostURL(posts[0].URN) {
				t.Fatalf("duplicate names %+v; the server has %+v", d.Post, posts)
			}
			if r, ok := remote.As(err); !ok || r.Kind != remote.KindRejected || r.Status != 422 || r.Code != "DUPLICATE_POST" {
				t.Errorf("as a remote error: %#v", err)
			}
		})
	}
	// A duplicate whose message names no post is still a duplicate.
	e := newEnv(t, linkedintest.Options{})
	c, linked := e.link()
	e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 422,
		Body: `{"message":"Duplicate post","errorDetails":{"inputErrors":[{"code":"DUPLICATE_POST","description":"Duplicate post is detected","input":{}}]},"status":422}`})
	_, err := c.Publish(e.ctx, linked.Member.URN(), "Nimetön kaksoiskappale")
	if d, ok := linkedin.AsDuplicate(err); !ok || d.Post.URN != "" {
		t.Fatalf("a duplicate without a URN: %v", err)
	}
	// Any other refusal is not a duplicate.
	e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 422})
	_, err = c.Publish(e.ctx, linked.Member.URN(), "Kelpaamaton")
	if _, ok := linkedin.AsDuplicate(err); ok || remote.KindOf(err) != remote.KindRejected {
		t.Fatalf("a plain refusal: %v", err)
	}
}

func TestPublishErrorsSayWhatToDo(t *testing.T) {
	e := newEnv(t, linkedintest.Options{})
	c, linked := e.link()
	author := linked.Member.URN()
	ctx := e.ctx
	publish := func(text string) (*remote.Error, error) {
		t.Helper()
		_, err := c.Publish(ctx, author, text)
		r, ok := remote.As(err)
		if !ok {
			t.Fatalf("%q: not a remote error: %v", text, err)
		}
		return r, err
	}

	e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 401})
	if r, err := publish("Vanha avain"); r.Kind != remote.KindAuth || errors.Is(err, linkedin.ErrExpired) {
		t.Errorf("401: %v", err)
	}
	e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 403})
	if r, err := publish("Ei lupaa"); r.Kind != remote.KindAuth || !errors.Is(err, linkedin.ErrPermission) || r.Code != "ACCESS_DENIED" {
		t.Errorf("403: %v", err)
	}
	e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 422})
	if r, err := publish("Hylätty"); r.Kind != remote.KindRejected || r.Status != 422 || !strings.Contains(r.Detail, "commentary") {
		t.Errorf("422: %v", err)
	}
	e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 400,
		Body: `{"errorDetailType":"com.linkedin.common.error.BadRequest","message":"com.linkedin.content.common.exception.BadRequestResponseException: ShareCommentary text length (3012 characters) exceeded the maximum allowed (3000 characters)","status":400}`})
	if r, err := publish("Liian pitkä"); r.Kind != remote.KindRejected || r.Detail != "ShareCommentary text length (3012 characters) exceeded the maximum allowed (3000 characters)" {
		t.Errorf("400: %v (detail %q)", err, r.Detail)
	}
	// No reset header: LinkedIn's daily limits start again at midnight UTC.
	e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 429})
	if r, err := publish("Kiintiö"); r.Kind != remote.KindRate || !r.Reset.Equal(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("429: %v", err)
	}
	e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 429, Reset: e.clock.Now().Add(90 * time.Second)})
	if r, err := publish("Kiintiö, tarkka"); r.Kind != remote.KindRate || !r.Reset.Equal(e.clock.Now().Add(90*time.Second)) {
		t.Errorf("429 with Retry-After: %v", err)
	}
	for _, status := range []int{500, 503} {
		e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: status})
		if r, err := publish("Palvelin väsyy"); r.Kind != remote.KindServer || !r.MaybeSent {
			t.Errorf("%d: %v", status, err)
		}
	}
	e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Drop: true})
	if r, err := publish("Yhteys katkeaa"); r.Kind != remote.KindNetwork || !r.MaybeSent {
		t.Errorf("dropped: %v", err)
	}
	if len(e.fake.Posts()) != 0 {
		t.Fatalf("a failure published: %+v", e.fake.Posts())
	}

	// Refused here, without asking LinkedIn.
	asked := e.fake.Count(linkedintest.Posts)
	if r, err := publish(" \n "); r.Kind != remote.KindRejected {
		t.Errorf("empty: %v", err)
	}
	if r, err := publish(strings.Repeat("ä", 2999) + "🇫🇮"); r.Kind != remote.KindRejected || !strings.Contains(r.Detail, "3003") {
		t.Errorf("3003 characters: %v", err)
	}
	if _, err := c.Publish(ctx, "", "Kuka?"); remote.KindOf(err) != remote.KindAuth {
		t.Errorf("no author: %v", err)
	}
	if n := e.fake.Count(linkedintest.Posts); n != asked {
		t.Errorf("%d requests went out for posts refused beforehand", n-asked)
	}
	if _, err := c.Publish(ctx, author, strings.Repeat("ä", 2990)+"(#tagi)"); err != nil {
		t.Errorf("3000 characters, escapes and a hashtag template beyond: %v", err)
	}

	// A version LinkedIn no longer serves.
	old, _ := linkedin.NewServer(linkedin.Options{APIBase: e.fake.URL, Now: e.clock.Now, Version: "202501"})
	_, err := old.Client(linked.Token).Publish(ctx, author, "Vanha versio")
	if r, ok := remote.As(err); !ok || r.Kind != remote.KindRejected || r.Status != 426 || r.Code != "NONEXISTENT_VERSION" || !errors.Is(err, linkedin.ErrVersion) {
		t.Errorf("an old version: %v", err)
	}

	// Nobody listening: nothing can have gone out.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String()
	ln.Close()
	nobody, _ := linkedin.NewServer(linkedin.Options{APIBase: closed, Now: e.clock.Now})
	_, err = nobody.Client(linked.Token).Publish(ctx, author, "Ei verkkoa")
	if r, ok := remote.As(err); !ok || r.Kind != remote.KindNetwork || r.MaybeSent {
		t.Errorf("no server: %v", err)
	}

	// A revoked token.
	e.fake.RevokeAll()
	if r, err := publish("Poistettu sovellus"); r.Kind != remote.KindAuth || r.Code != "REVOKED_ACCESS_TOKEN" {
		t.Errorf("revoked: %v", err)
	}
}

// A token past its 60 days is refused here; one whose end Kaiku does not
// know is refused by LinkedIn. Both say the link has expired.
func TestExpiredTokenNeedsLinkingAgain(t *testing.T) {
	e := newEnv(t, linkedintest.Options{})
	c, linked := e.link()
	author := linked.Member.URN()
	e.clock.Advance(60 * 24 * time.Hour)
	asked := e.fake.Count(linkedintest.Posts)
	_, err := c.Publish(e.ctx, author, "Myöhässä")
	if remote.KindOf(err) != remote.KindAuth || !errors.Is(err, linkedin.ErrExpired) {
		t.Fatalf("expired here: %v", err)
	}
	if e.fake.Count(linkedintest.Posts) != asked {
		t.Error("an expired token was sent")
	}
	if _, err := c.UserInfo(e.ctx); !errors.Is(err, linkedin.ErrExpired) {
		t.Errorf("userinfo: %v", err)
	}
	unknown := linked.Token
	unknown.Expires = time.Time{}
	_, err = e.srv.Client(unknown).Publish(e.ctx, author, "Myöhässä")
	if r, ok := remote.As(err); !ok || r.Kind != remote.KindAuth || r.Code != "EXPIRED_ACCESS_TOKEN" || !errors.Is(err, linkedin.ErrExpired) {
		t.Fatalf("expired there: %v", err)
	}
}

func TestNewServerReadsTheAPIBase(t *testing.T) {
	s, err := linkedin.NewServer(linkedin.Options{})
	if err != nil || s.AuthBase() != "https://www.linkedin.com" || s.APIBase() != "https://api.linkedin.com" {
		t.Fatalf("default: %v %v", s, err)
	}
	s, err = linkedin.NewServer(linkedin.Options{APIBase: "http://127.0.0.1:9999/"})
	if err != nil || s.AuthBase() != "http://127.0.0.1:9999" || s.APIBase() != "http://127.0.0.1:9999" {
		t.Fatalf("test base: %v", err)
	}
	for _, o := range []linkedin.Options{{APIBase: "http://linkedin.example"}, {APIBase: "ftp://x"}, {Version: "2026-11"}, {Version: "202613"}} {
		if _, err := linkedin.NewServer(o); err == nil {
			t.Errorf("accepted %+v", o)
		}
	}
}

func TestNextUTCMidnight(t *testing.T) {
	helsinki := time.FixedZone("EET", 2*3600)
	for in, want := range map[time.Time]time.Time{
		time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC):   time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC): time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 2, 1, 0, 0, 0, helsinki):    time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), // 23:00 UTC the day before
		time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC):    time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC),
	} {
		if got := linkedin.NextUTCMidnight(in); !got.Equal(want) {
			t.Errorf("after %v: %v, want %v", in, got, want)
		}
	}
}

// Nothing the client says (errors, traces, printed values) holds a token,
// the client secret, a code, an ID token or an Authorization header.
func TestSecretsNeverLeak(t *testing.T) {
	e := newEnv(t, linkedintest.Options{})
	var said []string
	note := func(err error) {
		if err != nil {
			said = append(said, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	c, linked := e.link()
	author := linked.Member.URN()
	l := e.startLink()
	said = append(said, fmt.Sprintf("%v %+v %#v %v %#v %v %#v %v %#v", e.app, e.app, e.app, linked, linked, c, c, l, l))
	go e.fake.Deny(l.URL())
	_, err := e.wait(l)
	note(err)
	a, code := e.codeFor()
	said = append(said, fmt.Sprintf("%v %+v %#v", a, a, a))
	_, err = e.srv.Exchange(e.ctx, &linkedin.Authorization{RedirectURI: a.RedirectURI}, code)
	note(err)
	_, err = e.srv.Exchange(e.ctx, a, code)
	note(err)
	_, err = e.srv.Exchange(e.ctx, a, code) // used
	note(err)
	e.fake.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 401},
		linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 403},
		linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 429},
		linkedintest.Failure{Endpoint: linkedintest.Posts, Status: 500, Created: true},
		linkedintest.Failure{Endpoint: linkedintest.Posts, Drop: true},
		linkedintest.Failure{Endpoint: linkedintest.AccessToken, Status: 400, Body: `{"error":"invalid_request","error_description":"bad"}`})
	for i := range 5 {
		_, err := c.Publish(e.ctx, author, fmt.Sprintf("Vuotaako? %d", i))
		note(err)
	}
	_, err = c.Publish(e.ctx, author, "Vuotaako? 3")
	note(err)
	a, code = e.codeFor()
	_, err = e.srv.Exchange(e.ctx, a, code)
	note(err)
	e.fake.RevokeAll()
	_, err = c.UserInfo(e.ctx)
	note(err)
	e.clock.Advance(61 * 24 * time.Hour)
	_, err = c.Publish(e.ctx, author, "Vanhentunut")
	note(err)
	said = append(said, e.tr.said...)
	all := strings.Join(said, "\n")
	if len(e.tr.said) < 12 || len(said) < 30 {
		t.Fatalf("too little said to prove anything: %d traces, %d lines", len(e.tr.said), len(said))
	}
	secrets := e.fake.IssuedSecrets()
	if len(secrets) < 8 {
		t.Fatalf("only %d secrets", len(secrets))
	}
	for _, sec := range secrets {
		if strings.Contains(all, sec) {
			t.Errorf("a secret %.6s… leaked", sec)
		}
	}
	if low := strings.ToLower(all); strings.Contains(low, "bearer") || strings.Contains(low, "authorization:") || strings.Contains(low, "client_secret") {
		t.Error("a request header leaked")
	}
}
