package outbox_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/accountstest"
	"github.com/kaiku-app/kaiku/accounts/outbox"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
)

// Link with a PIN, schedule a thread of three, and publish: X gets three
// posts chained by replies, once, however often the outbox runs.
func TestEndToEndThread(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now().Add(time.Minute), "Yksi: ketjun alku.", "Kaksi: ketjun keskikohta.", "Kolme: ketjun loppu.")
	ob := e.Outbox(accounts.OutboxOptions{})

	if sum := e.RunDue(ob); len(sum.Posts) != 0 || len(e.X.Tweets()) != 0 {
		t.Fatalf("a post went out before its time: %+v", sum)
	}
	e.Clock.Advance(2 * time.Minute)
	sum := e.RunDue(ob)
	if sum.Published != 1 || len(sum.Posts) != 1 || sum.Posts[0].Key != "outbox.published" || len(sum.Posts[0].URLs) != 3 {
		t.Fatalf("summary %+v", sum)
	}
	accountstest.CheckThread(t, e.X, p.Parts...)
	got := e.Post(p.ID)
	if got.Status != planner.StatusPublished || got.Attempt != "" || got.LastError != "" || len(got.Results) != 3 {
		t.Fatalf("post %+v", got)
	}
	tw := e.X.Tweets()
	for i, r := range got.Results {
		if r.Part != i || r.RemoteID != tw[i].ID || r.URL != "https://x.com/kaiku_tester/status/"+tw[i].ID || r.AccountID != acc.ID {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	for range 2 {
		if sum := e.RunDue(ob); len(sum.Posts) != 0 {
			t.Fatalf("a second run did something: %+v", sum)
		}
	}
	accountstest.CheckThread(t, e.X, p.Parts...)
}

// Two runs at once on one outbox still send each part once.
func TestConcurrentRuns(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "a", "b", "c")
	ob := e.Outbox(accounts.OutboxOptions{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := ob.RunDue(e.Ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	accountstest.CheckThread(t, e.X, p.Parts...)
}

func TestUnauthorizedNeedsRelink(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Tämä odottaa uutta liitosta.")
	var events []accounts.Event
	ob := e.Outbox(accounts.OutboxOptions{Notify: func(ev accounts.Event) { events = append(events, ev) }})
	e.X.RevokeAll()

	sum := e.RunDue(ob)
	got := e.Post(p.ID)
	if got.Status != planner.StatusScheduled || got.LastError != "outbox.error.relink" || sum.Waiting != 1 {
		t.Fatalf("post %+v, summary %+v", got, sum)
	}
	if a := e.Account(acc.ID); a.Status != planner.AccountNeedsRelink {
		t.Fatalf("account %+v", a)
	}
	if !slices.ContainsFunc(events, func(ev accounts.Event) bool { return ev.AccountID == acc.ID && ev.Key == "outbox.error.relink" }) ||
		!slices.ContainsFunc(events, func(ev accounts.Event) bool { return ev.PostID == p.ID && ev.Key == "outbox.error.relink" }) {
		t.Fatalf("events %+v", events)
	}
	// While it needs relinking, nothing is sent.
	before := e.X.Count(xtest.CreateTweet)
	if sum := e.RunDue(ob); sum.Posts[0].Action != outbox.ActionWait {
		t.Fatalf("summary %+v", sum)
	}
	if e.X.Count(xtest.CreateTweet) != before {
		t.Fatal("an account that needs relinking was used")
	}

	e.RelinkX(acc)
	e.Clock.Advance(time.Hour) // relinked later: the post was tried, so it is not "late"
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("after relinking: %+v", sum)
	}
	accountstest.CheckThread(t, e.X, p.Text)
}

func TestAppWithoutWritePermission(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Luku- ja kirjoitusoikeus puuttuu.")
	e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 403, Body: xtest.BodyPermissions})
	e.RunDue(e.Outbox(accounts.OutboxOptions{}))
	if got := e.Post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.permission" {
		t.Fatalf("post %+v", got)
	}
	if a := e.Account(acc.ID); a.Status != planner.AccountNeedsRelink {
		t.Fatalf("account %+v", a)
	}
}

func TestDuplicateFails(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	e.X.AddTweet("Sama teksti kuin eilen.", "")
	p := e.Schedule(acc, e.Clock.Now(), "Sama teksti kuin eilen.")
	ob := e.Outbox(accounts.OutboxOptions{})
	sum := e.RunDue(ob)
	got := e.Post(p.ID)
	if got.Status != planner.StatusFailed || got.LastError != "outbox.error.duplicate" || sum.Failed != 1 {
		t.Fatalf("post %+v", got)
	}
	if len(got.Results) != 1 || !strings.Contains(got.Results[0].Error, "duplicate content") || got.Results[0].RemoteID != "" {
		t.Fatalf("results %+v", got.Results)
	}
	// Failed stays failed until the user acts.
	e.RunDue(ob)
	if e.X.Count(xtest.CreateTweet) != 1 {
		t.Fatalf("a failed post was sent again")
	}
	got.Text = "Uusi teksti tälle päivälle."
	if err := e.Store.SavePost(e.Ctx, got); err != nil {
		t.Fatal(err)
	}
	if _, err := ob.Retry(e.Ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("after retry: %+v", sum)
	}
	if got := e.Post(p.ID); len(got.Results) != 1 || got.Results[0].Error != "" {
		t.Fatalf("results after retry %+v", got.Results)
	}
}

func TestRateLimitWaitsForReset(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Odotan vuoroani.")
	reset := e.Clock.Now().Add(90 * time.Second).Truncate(time.Second)
	e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 429, Reset: reset})
	if sum := e.RunDue(e.Outbox(accounts.OutboxOptions{})); sum.Published != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if now := e.Clock.Now(); now.Before(reset) {
		t.Fatalf("retried at %v, before the reset at %v", now, reset)
	}
	accountstest.CheckThread(t, e.X, p.Text)
}

func TestRateLimitFarAwayLeavesPostScheduled(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Huomenna sitten.")
	e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 429, Reset: e.Clock.Now().Add(2 * time.Hour)})
	ob := e.Outbox(accounts.OutboxOptions{})
	e.RunDue(ob)
	if got := e.Post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.rate_limited" {
		t.Fatalf("post %+v", got)
	}
	for _, d := range e.Clock.Slept() {
		if d > time.Hour {
			t.Fatalf("waited %v for a far reset", d)
		}
	}
	// Until the reset, the account is not asked again.
	e.Clock.Advance(time.Hour)
	e.RunDue(ob)
	if n := e.X.Count(xtest.CreateTweet); n != 1 {
		t.Fatalf("%d requests before the reset", n)
	}
	e.Clock.Advance(time.Hour + time.Minute)
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("after the reset: %+v", sum)
	}
}

// X's daily posting limit: the 15-minute window has room, the day has not.
func TestDailyLimit(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Huomisen vuoro.")
	dayReset := e.Clock.Now().Add(5 * time.Hour)
	e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 429, Reset: e.Clock.Now().Add(time.Minute), Header: http.Header{
		"x-rate-limit-remaining":        {"99"},
		"x-user-limit-24hour-limit":     {"17"},
		"x-user-limit-24hour-remaining": {"0"},
		"x-user-limit-24hour-reset":     {strconv.FormatInt(dayReset.Unix(), 10)},
	}})
	ob := e.Outbox(accounts.OutboxOptions{})
	e.RunDue(ob)
	if got := e.Post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.rate_limited" {
		t.Fatalf("post %+v", got)
	}
	e.Clock.Advance(time.Hour)
	if dry, _ := ob.DryRun(e.Ctx); dry.Posts[0].Action != outbox.ActionWait {
		t.Fatalf("dry run before the reset: %+v", dry)
	}
	e.RunDue(ob)
	if n := e.X.Count(xtest.CreateTweet); n != 1 {
		t.Fatalf("asked X %d times before the daily reset", n)
	}
	e.Clock.Advance(4*time.Hour + time.Second)
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("after the reset: %+v", sum)
	}
}

// Stopped between the parts of a thread (Ctrl-C, the app closing): the part
// out is recorded, and the rest goes out next time, never the first again.
func TestStopBetweenParts(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "alku", "keski", "loppu")
	ob := e.Outbox(accounts.OutboxOptions{})
	ctx, cancel := context.WithCancel(e.Ctx)
	outbox.AfterSend(ob, func(_ string, part int, _ string) {
		if part == 0 {
			cancel()
		}
	})
	if _, err := ob.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	got := e.Post(p.ID)
	if got.Status != planner.StatusScheduled || len(got.Results) != 1 || got.Attempt != "" {
		t.Fatalf("post %+v", got)
	}
	outbox.AfterSend(ob, func(string, int, string) {})
	e.Clock.Advance(time.Hour)
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("summary %+v", sum)
	}
	accountstest.CheckThread(t, e.X, p.Parts...)
}

func TestServerErrorsRetriedWithBackoff(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Kolmas kerta toden sanoo.")
	e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 503}, xtest.Failure{Endpoint: xtest.CreateTweet, Status: 500})
	if sum := e.RunDue(e.Outbox(accounts.OutboxOptions{})); sum.Published != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if got := e.Clock.Slept(); !slices.Equal(got, []time.Duration{2 * time.Second, 4 * time.Second}) {
		t.Errorf("backoff %v", got)
	}
	// X may have taken a post it answered 5xx to: each retry looked first.
	if n := e.X.Count(xtest.UserTweets); n != 2 {
		t.Errorf("%d looks before the retries, want 2", n)
	}
	accountstest.CheckThread(t, e.X, p.Text)
}

func TestServerErrorsExhaustedWait(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "X on nurin.")
	for range 4 {
		e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 500})
	}
	ob := e.Outbox(accounts.OutboxOptions{})
	sum := e.RunDue(ob)
	if got := e.Post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.server" || sum.Waiting != 1 {
		t.Fatalf("post %+v", got)
	}
	if n := e.X.Count(xtest.CreateTweet); n != 4 {
		t.Errorf("%d attempts, want 4", n)
	}
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("next run: %+v", sum)
	}
	accountstest.CheckThread(t, e.X, p.Text)
}

// X took the post but the answer was lost: the outbox finds it instead of
// sending it again.
func TestLostAnswers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		failure xtest.Failure
	}{
		{"5xx after taking it", xtest.Failure{Endpoint: xtest.CreateTweet, Status: 503, Created: true, Text: "toka"}},
		{"connection dropped after taking it", xtest.Failure{Endpoint: xtest.CreateTweet, Drop: true, Created: true, Text: "toka"}},
		{"connection dropped before taking it", xtest.Failure{Endpoint: xtest.CreateTweet, Drop: true, Text: "toka"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			acc := e.LinkX()
			p := e.Schedule(acc, e.Clock.Now(), "eka", "toka", "kolmas")
			e.X.Fail(tc.failure)
			sum := e.RunDue(e.Outbox(accounts.OutboxOptions{}))
			if sum.Published != 1 {
				t.Fatalf("summary %+v", sum)
			}
			accountstest.CheckThread(t, e.X, p.Parts...)
		})
	}
}

// The answer was lost and so was the look: the post waits for the next run,
// which finds it.
func TestLostAnswerAndLookup(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Hukassa hetken.")
	e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Drop: true, Created: true}, xtest.Failure{Endpoint: xtest.UserTweets, Status: 503})
	ob := e.Outbox(accounts.OutboxOptions{})
	sum := e.RunDue(ob)
	got := e.Post(p.ID)
	if got.Status != planner.StatusNeedsAttention || got.LastError != "outbox.error.interrupted" || got.Attempt == "" || sum.NeedsAttention != 1 {
		t.Fatalf("post %+v", got)
	}
	sum = e.RunDue(ob)
	if got := e.Post(p.ID); got.Status != planner.StatusPublished || sum.Posts[0].Action != outbox.ActionCheck {
		t.Fatalf("post %+v, summary %+v", got, sum)
	}
	accountstest.CheckThread(t, e.X, p.Text)
}

// On X's Free tier the timeline cannot be read: a post of unknown fate
// waits for the user at once, and the outbox does not keep asking.
func TestLostAnswerTimelineForbidden(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Ilmaisversio.")
	e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Drop: true, Created: true},
		xtest.Failure{Endpoint: xtest.UserTweets, Status: 403, Body: `{"client_id":"1","detail":"When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.","registration_url":"https://developer.twitter.com/en/docs/projects/overview","title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access","reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}`})
	ob := e.Outbox(accounts.OutboxOptions{})
	e.RunDue(ob)
	got := e.Post(p.ID)
	if got.Status != planner.StatusNeedsAttention || got.LastError != "outbox.error.interrupted" || got.Attempt != "" {
		t.Fatalf("post %+v", got)
	}
	if a := e.Account(acc.ID); a.Status != planner.AccountLinked {
		t.Fatalf("a refused look marked the account %s", a.Status)
	}
	e.RunDue(ob)
	if n := e.X.Count(xtest.UserTweets); n != 1 || e.X.Count(xtest.CreateTweet) != 1 {
		t.Fatalf("%d looks, %d posts", n, e.X.Count(xtest.CreateTweet))
	}
}

func TestOfflineQueuesUntilBack(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p1 := e.Schedule(acc, e.Clock.Now(), "Ensimmäinen.")
	p2 := e.Schedule(acc, e.Clock.Now().Add(time.Second), "Toinen.")
	e.Clock.Advance(time.Second)
	ob := e.Outbox(accounts.OutboxOptions{})
	e.Net.Offline.Store(true)
	sum := e.RunDue(ob)
	if sum.Waiting != 2 {
		t.Fatalf("summary %+v", sum)
	}
	for _, id := range []string{p1.ID, p2.ID} {
		if got := e.Post(id); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.offline" {
			t.Fatalf("post %+v", got)
		}
	}
	// Offline for a long while: the queued posts are not "late".
	e.Clock.Advance(3 * time.Hour)
	e.RunDue(ob)
	e.Net.Offline.Store(false)
	if sum := e.RunDue(ob); sum.Published != 2 {
		t.Fatalf("back online: %+v", sum)
	}
	if got := accountstest.Texts(e.X.Tweets()); !slices.Equal(got, []string{"Ensimmäinen.", "Toinen."}) {
		t.Fatalf("X took %q", got)
	}
}

func TestThreadStopsAtFailedPartAndContinues(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	e.X.AddTweet("kaksi", "")
	p := e.Schedule(acc, e.Clock.Now(), "yksi", "kaksi", "kolme")
	ob := e.Outbox(accounts.OutboxOptions{})
	e.RunDue(ob)
	got := e.Post(p.ID)
	if got.Status != planner.StatusFailed || got.LastError != "outbox.error.duplicate" {
		t.Fatalf("post %+v", got)
	}
	if n := len(e.X.Tweets()); n != 2 {
		t.Fatalf("X took %d posts, want the first part only", n-1)
	}
	got.Parts[1] = "kaksi, toisin sanoin"
	if err := e.Store.SavePost(e.Ctx, got); err != nil {
		t.Fatal(err)
	}
	if _, err := ob.Retry(e.Ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("summary %+v", sum)
	}
	tw := e.X.Tweets()[1:]
	if got := accountstest.Texts(tw); !slices.Equal(got, []string{"yksi", "kaksi, toisin sanoin", "kolme"}) {
		t.Fatalf("X took %q", got)
	}
	if tw[1].ReplyTo != tw[0].ID || tw[2].ReplyTo != tw[1].ID {
		t.Fatalf("the thread is broken: %+v", tw)
	}
}

func TestTooLongFailsBeforeSending(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "lyhyt", strings.Repeat("pitkä ", 60))
	e.RunDue(e.Outbox(accounts.OutboxOptions{}))
	if got := e.Post(p.ID); got.Status != planner.StatusFailed || got.LastError != "outbox.error.too_long" {
		t.Fatalf("post %+v", got)
	}
	if n := e.X.Count(xtest.CreateTweet); n != 0 {
		t.Fatalf("%d parts went out of a thread that cannot finish", n)
	}
}

func TestLatePolicies(t *testing.T) {
	for _, tc := range []struct {
		policy planner.LatePolicy
		late   time.Duration
		action outbox.Action
		status planner.Status
		key    string
		sent   int
	}{
		{planner.LateAsk, time.Hour, outbox.ActionAsk, planner.StatusNeedsAttention, "outbox.late.ask", 0},
		{planner.LateSkip, time.Hour, outbox.ActionSkip, planner.StatusFailed, "outbox.late.skipped", 0},
		{planner.LatePublish, time.Hour, outbox.ActionPublishLate, planner.StatusPublished, "outbox.published", 1},
		{planner.LateAsk, 10 * time.Minute, outbox.ActionPublish, planner.StatusPublished, "outbox.published", 1},
	} {
		t.Run(string(tc.policy)+" "+tc.late.String(), func(t *testing.T) {
			e := newEnv(t)
			acc := e.LinkX()
			e.SetLate(tc.policy)
			p := e.Schedule(acc, e.Clock.Now().Add(-tc.late), "Kirjoitin tämän eilen.")
			ob := e.Outbox(accounts.OutboxOptions{})

			dry, err := ob.DryRun(e.Ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(dry.Posts) != 1 || dry.Posts[0].Action != tc.action || dry.Posts[0].Key != "outbox.action."+string(tc.action) {
				t.Fatalf("dry run %+v", dry)
			}
			if got := e.Post(p.ID); got.Status != planner.StatusScheduled || e.X.Count(xtest.CreateTweet) != 0 {
				t.Fatal("the dry run changed something")
			}

			sum := e.RunDue(ob)
			got := e.Post(p.ID)
			if sum.Posts[0].Action != tc.action || got.Status != tc.status || sum.Posts[0].Key != tc.key {
				t.Fatalf("summary %+v, post %+v", sum, got)
			}
			if n := len(e.X.Tweets()); n != tc.sent {
				t.Fatalf("%d posts went out, want %d", n, tc.sent)
			}
			if tc.status == planner.StatusNeedsAttention {
				// The user says publish it after all.
				if _, err := ob.Retry(e.Ctx, p.ID); err != nil {
					t.Fatal(err)
				}
				if sum := e.RunDue(ob); sum.Published != 1 {
					t.Fatalf("after retry: %+v", sum)
				}
			}
		})
	}
}

// A post found publishing at start was interrupted: found on X, it is
// recorded; not found, the user decides; nothing is sent blindly.
func TestInterruptedAttempt(t *testing.T) {
	setup := func(t *testing.T) (*accountstest.Env, planner.Post) {
		e := newEnv(t)
		acc := e.LinkX()
		p := e.Schedule(acc, e.Clock.Now(), "Kesken jäi.")
		p.Status, p.Attempt, p.Updated = planner.StatusPublishing, planner.NewID(), e.Clock.Now()
		if err := e.Store.SavePost(e.Ctx, p); err != nil {
			t.Fatal(err)
		}
		return e, p
	}
	t.Run("found", func(t *testing.T) {
		e, p := setup(t)
		tw := e.X.AddTweet(p.Text, "")
		e.Clock.Advance(time.Hour)
		sum := e.RunDue(e.Outbox(accounts.OutboxOptions{}))
		got := e.Post(p.ID)
		if got.Status != planner.StatusPublished || len(got.Results) != 1 || got.Results[0].RemoteID != tw.ID || sum.Posts[0].Action != outbox.ActionCheck {
			t.Fatalf("post %+v, summary %+v", got, sum)
		}
		if n := e.X.Count(xtest.CreateTweet); n != 0 {
			t.Fatalf("sent %d times", n)
		}
	})
	t.Run("not found, confirmed", func(t *testing.T) {
		e, p := setup(t)
		ob := e.Outbox(accounts.OutboxOptions{})
		e.RunDue(ob)
		got := e.Post(p.ID)
		if got.Status != planner.StatusNeedsAttention || got.LastError != "outbox.error.interrupted" || got.Attempt != "" {
			t.Fatalf("post %+v", got)
		}
		e.RunDue(ob)
		if n := e.X.Count(xtest.CreateTweet); n != 0 {
			t.Fatalf("sent %d times", n)
		}
		if _, err := ob.ConfirmPublished(e.Ctx, p.ID, "http://x.com/nope"); accountstest.ErrorKey(err) != "hand.error.url" {
			t.Fatalf("an http URL: %v", err)
		}
		got, err := ob.ConfirmPublished(e.Ctx, p.ID, "https://x.com/kaiku_tester/status/1")
		if err != nil || got.Status != planner.StatusPublished || got.Results[0].URL != "https://x.com/kaiku_tester/status/1" {
			t.Fatalf("confirmed %+v %v", got, err)
		}
		if _, err := ob.ConfirmPublished(e.Ctx, p.ID, ""); !errors.Is(err, planner.ErrConflict) {
			t.Fatalf("confirming twice: %v", err)
		}
	})
	t.Run("not found, retried", func(t *testing.T) {
		e, p := setup(t)
		ob := e.Outbox(accounts.OutboxOptions{})
		e.RunDue(ob)
		e.Clock.Advance(time.Hour)
		got, err := ob.Retry(e.Ctx, p.ID)
		if err != nil || got.Status != planner.StatusScheduled || !got.Time.Equal(e.Clock.Now()) {
			t.Fatalf("retried %+v %v", got, err)
		}
		if sum := e.RunDue(ob); sum.Published != 1 {
			t.Fatalf("summary %+v", sum)
		}
		accountstest.CheckThread(t, e.X, p.Text)
	})
	t.Run("dry run only looks", func(t *testing.T) {
		e, p := setup(t)
		dry, err := e.Outbox(accounts.OutboxOptions{}).DryRun(e.Ctx)
		if err != nil || len(dry.Posts) != 1 || dry.Posts[0].Action != outbox.ActionCheck {
			t.Fatalf("dry run %+v %v", dry, err)
		}
		if got := e.Post(p.ID); got.Status != planner.StatusPublishing || e.X.Count(xtest.UserTweets) != 0 {
			t.Fatal("the dry run did something")
		}
	})
}

func TestPublishNow(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	now := e.Clock.Now()
	draft := planner.Post{ID: planner.NewID(), Text: "Heti!", Status: planner.StatusDraft, Created: now, Updated: now,
		Targets: []planner.Target{{AccountID: acc.ID, Network: planner.NetworkX}}}
	if err := e.Store.SavePost(e.Ctx, draft); err != nil {
		t.Fatal(err)
	}
	var events []accounts.Event
	ob := e.Outbox(accounts.OutboxOptions{Notify: func(ev accounts.Event) { events = append(events, ev) }})
	got, err := ob.PublishNow(e.Ctx, draft.ID)
	if err != nil || got.Status != planner.StatusPublished || !got.Time.Equal(now) {
		t.Fatalf("post %+v %v", got, err)
	}
	if len(events) != 1 || events[0].Key != "outbox.published" || !strings.HasPrefix(events[0].URL, "https://x.com/kaiku_tester/status/") {
		t.Fatalf("events %+v", events)
	}
	if _, err := ob.PublishNow(e.Ctx, draft.ID); !errors.Is(err, planner.ErrConflict) || accountstest.ErrorKey(err) != "outbox.error.state" {
		t.Fatalf("publishing a published post: %v", err)
	}
	byHand := planner.Post{ID: planner.NewID(), Text: "Käsin.", Status: planner.StatusDraft, Created: now, Updated: now,
		Targets: []planner.Target{{Network: planner.NetworkLinkedIn}}}
	if err := e.Store.SavePost(e.Ctx, byHand); err != nil {
		t.Fatal(err)
	}
	if _, err := ob.PublishNow(e.Ctx, byHand.ID); accountstest.ErrorKey(err) != "outbox.error.no_account" {
		t.Fatalf("a post without an account: %v", err)
	}
	if _, err := ob.PublishNow(e.Ctx, "missing"); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("a missing post: %v", err)
	}
}

func TestAccountGone(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Minne menen?")
	if _, err := e.M.Unlink(e.Ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	e.RunDue(e.Outbox(accounts.OutboxOptions{}))
	if got := e.Post(p.ID); got.Status != planner.StatusNeedsAttention || got.LastError != "outbox.error.account_gone" {
		t.Fatalf("post %+v", got)
	}
}

func TestPostingByHand(t *testing.T) {
	e := newEnv(t)
	now := e.Clock.Now()
	p := planner.Post{ID: planner.NewID(), Text: "Käsin julkaistava.", Status: planner.StatusScheduled, Time: now, Created: now, Updated: now,
		Targets: []planner.Target{{Network: planner.NetworkLinkedIn}, {Network: planner.NetworkMastodon}}}
	if err := e.Store.SavePost(e.Ctx, p); err != nil {
		t.Fatal(err)
	}
	var events []accounts.Event
	ob := e.Outbox(accounts.OutboxOptions{Notify: func(ev accounts.Event) { events = append(events, ev) }})
	sum := e.RunDue(ob)
	e.RunDue(ob)
	if sum.Manual != 1 || sum.Posts[0].Action != outbox.ActionManual || e.Post(p.ID).Status != planner.StatusScheduled {
		t.Fatalf("summary %+v", sum)
	}
	if len(events) != 1 || events[0].Key != "outbox.manual_due" {
		t.Fatalf("events %+v (want one reminder)", events)
	}
	if _, err := ob.MarkPublishedByHand(e.Ctx, p.ID, planner.NetworkLinkedIn, "ftp://x"); accountstest.ErrorKey(err) != "hand.error.url" {
		t.Fatalf("a bad URL: %v", err)
	}
	got, err := ob.MarkPublishedByHand(e.Ctx, p.ID, planner.NetworkLinkedIn, "https://www.linkedin.com/feed/update/urn:li:activity:1/")
	if err != nil || got.Status != planner.StatusPublished || got.Results[0].Network != planner.NetworkLinkedIn {
		t.Fatalf("post %+v %v", got, err)
	}
	// Another network later adds to the published post.
	if got, err := ob.MarkPublishedByHand(e.Ctx, p.ID, planner.NetworkMastodon, ""); err != nil || len(got.Results) != 2 {
		t.Fatalf("post %+v %v", got, err)
	}
}

// A post going to X and by hand is published by the outbox; the hand part
// is recorded separately.
func TestHandAndAccountTargets(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Kahteen paikkaan.")
	p.Targets = append(p.Targets, planner.Target{Network: planner.NetworkBluesky})
	if err := e.Store.SavePost(e.Ctx, p); err != nil {
		t.Fatal(err)
	}
	ob := e.Outbox(accounts.OutboxOptions{})
	got, err := ob.MarkPublishedByHand(e.Ctx, p.ID, planner.NetworkBluesky, "")
	if err != nil || got.Status != planner.StatusScheduled {
		t.Fatalf("a post still waiting for X became %+v %v", got, err)
	}
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("summary %+v", sum)
	}
	accountstest.CheckThread(t, e.X, p.Text)
}

func TestComposeURL(t *testing.T) {
	text := "Hei & tervetuloa: 100 % #kaiku"
	for _, tc := range []struct {
		network  planner.Network
		instance string
		want     string
	}{
		{planner.NetworkX, "", "https://x.com/intent/post?text=Hei%20%26%20tervetuloa%3A%20100%20%25%20%23kaiku"},
		{planner.NetworkLinkedIn, "", "https://www.linkedin.com/feed/?shareActive=true&text=Hei%20%26%20tervetuloa%3A%20100%20%25%20%23kaiku"},
		{planner.NetworkBluesky, "", "https://bsky.app/intent/compose?text=Hei%20%26%20tervetuloa%3A%20100%20%25%20%23kaiku"},
		{planner.NetworkMastodon, "", "https://mastodon.social/share?text=Hei%20%26%20tervetuloa%3A%20100%20%25%20%23kaiku"},
		{planner.NetworkMastodon, "https://Mastodon.Green/", "https://mastodon.green/share?text=Hei%20%26%20tervetuloa%3A%20100%20%25%20%23kaiku"},
		{planner.NetworkMastodon, "@kaiku@some.fi", "https://some.fi/share?text=Hei%20%26%20tervetuloa%3A%20100%20%25%20%23kaiku"},
	} {
		got, err := accounts.ComposeURL(tc.network, text, tc.instance)
		if err != nil || got != tc.want {
			t.Errorf("%s %q: %s %v, want %s", tc.network, tc.instance, got, err, tc.want)
		}
	}
	for _, bad := range []string{"http://mastodon.social", "mastodon.social/about", "localhost", "https://user:pw@m.fi"} {
		if _, err := accounts.ComposeURL(planner.NetworkMastodon, text, bad); accountstest.ErrorKey(err) != "hand.error.instance" {
			t.Errorf("instance %q: %v", bad, err)
		}
	}
	if _, err := accounts.ComposeURL("myspace", text, ""); accountstest.ErrorKey(err) != "hand.error.network" {
		t.Errorf("an unknown network: %v", err)
	}
}

// The running outbox sends due posts on time, keeps them queued while
// offline and tells the app.
func TestScheduler(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	e.SetLate(planner.LateAsk)
	late := e.Schedule(acc, e.Clock.Now().Add(-time.Hour), "Tämän aika meni jo.")
	events := make(chan accounts.Event, 16)
	ob := e.Outbox(accounts.OutboxOptions{Interval: 20 * time.Millisecond, Notify: func(ev accounts.Event) { events <- ev }})
	wait := func(pred func(accounts.Event) bool) accounts.Event {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case ev := <-events:
				if pred(ev) {
					return ev
				}
			case <-timeout:
				t.Fatal("no event")
			}
		}
	}
	e.Net.Offline.Store(true)
	ctx, cancel := context.WithCancel(e.Ctx)
	defer cancel()
	if err := ob.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer ob.Stop()
	if err := ob.Start(ctx); err == nil {
		t.Fatal("started twice")
	}
	wait(func(ev accounts.Event) bool { return ev.PostID == late.ID && ev.Key == "outbox.late.ask" })

	p := e.Schedule(acc, e.Clock.Now().Add(time.Minute), "Ajallaan.")
	ob.Wake()
	e.Clock.Advance(time.Minute)
	wait(func(ev accounts.Event) bool { return ev.PostID == p.ID && ev.Key == "outbox.error.offline" })
	e.Net.Offline.Store(false)
	ev := wait(func(ev accounts.Event) bool { return ev.PostID == p.ID && ev.Status == planner.StatusPublished })
	if !strings.HasPrefix(ev.URL, "https://x.com/") {
		t.Fatalf("event %+v", ev)
	}
	ob.Stop()
	ob.Stop()
	accountstest.CheckThread(t, e.X, p.Text)
	if got := e.Post(late.ID); got.Status != planner.StatusNeedsAttention {
		t.Fatalf("the late post is %s", got.Status)
	}
}

// A post that fell due while the computer slept, Kaiku open, is as late as
// one that fell due while Kaiku was closed.
func TestSchedulerAfterSleep(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	e.SetLate(planner.LateAsk)
	events := make(chan accounts.Event, 16)
	ob := e.Outbox(accounts.OutboxOptions{Interval: 20 * time.Millisecond, Notify: func(ev accounts.Event) { events <- ev }})
	if err := ob.Start(e.Ctx); err != nil {
		t.Fatal(err)
	}
	defer ob.Stop()
	p := e.Schedule(acc, e.Clock.Now().Add(time.Minute), "Kone nukkui.")
	e.Clock.Advance(time.Hour)
	select {
	case ev := <-events:
		if ev.PostID != p.ID || ev.Key != "outbox.late.ask" {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	if n := len(e.X.Tweets()); n != 0 {
		t.Fatalf("%d posts went out", n)
	}
}

// editingStore is the user editing a post at the worst moment: after the
// outbox read it and before it claims it for publishing.
type editingStore struct {
	planner.Store
	once sync.Once
	edit func()
}

// newEditingEnv is an env whose outbox sees the user edit post id, with
// change, the first time it looks up an account.
func newEditingEnv(t *testing.T) (*accountstest.Env, func(id string, change func(*planner.Post))) {
	var wrap *editingStore
	e := newEnv(t, func(o *accounts.Options) {
		wrap = &editingStore{Store: o.Store}
		o.Store = wrap
	})
	return e, func(id string, change func(*planner.Post)) {
		wrap.edit = func() {
			if _, err := e.Store.UpdatePost(e.Ctx, id, func(q *planner.Post) error {
				change(q)
				q.Updated = e.Clock.Now().Add(time.Second)
				return nil
			}); err != nil {
				t.Error(err)
			}
		}
	}
}

func (s *editingStore) Account(ctx context.Context, id string) (planner.Account, error) {
	s.once.Do(s.edit)
	return s.Store.Account(ctx, id)
}

// TestEditWhileReadingPublishesTheEdit: an edit saved between the outbox's
// read and its claim is what goes out, and only once; the older text never does.
func TestEditWhileReadingPublishesTheEdit(t *testing.T) {
	e, editDuringRun := newEditingEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Vanha teksti")
	editDuringRun(p.ID, func(q *planner.Post) { q.Text = "Uusi teksti" })
	ob := e.Outbox(accounts.OutboxOptions{})
	for range 2 {
		if _, err := ob.RunDue(e.Ctx); err != nil {
			t.Fatal(err)
		}
	}
	tweets := e.X.Tweets()
	if len(tweets) != 1 || tweets[0].Text != "Uusi teksti" {
		t.Fatalf("X got %+v, want the edited text once", tweets)
	}
	got, _ := e.Store.Post(e.Ctx, p.ID)
	if got.Status != planner.StatusPublished || got.Text != "Uusi teksti" {
		t.Errorf("stored %+v", got)
	}
}

// TestOutboxKeepsTheUsersEdits: what the outbox records (here that the
// account must be linked again) does not undo an edit the user saved while
// it worked from an older copy.
func TestOutboxKeepsTheUsersEdits(t *testing.T) {
	e, editDuringRun := newEditingEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Ensin näin")
	moved := e.Clock.Now().Add(2 * time.Hour)
	editDuringRun(p.ID, func(q *planner.Post) { q.Text, q.Time = "Sitten näin", moved })
	acc.Status = planner.AccountNeedsRelink
	if err := e.Store.SaveAccount(e.Ctx, acc); err != nil {
		t.Fatal(err)
	}
	ob := e.Outbox(accounts.OutboxOptions{})
	if _, err := ob.RunDue(e.Ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := e.Store.Post(e.Ctx, p.ID)
	if got.LastError == "" {
		t.Fatalf("the outbox recorded nothing: %+v", got)
	}
	if got.Text != "Sitten näin" || !got.Time.Equal(moved) {
		t.Errorf("the user's edit was undone: %+v", got)
	}
	if len(e.X.Tweets()) != 0 {
		t.Errorf("X got %+v", e.X.Tweets())
	}
}

// X's own words are cut to a length Kaiku shows, between characters.
func TestLongRejectionDetailIsCutBetweenCharacters(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Liian pitkä syy.")
	detail := strings.Repeat("a", 299) + strings.Repeat("ä👍🏽", 20)
	e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 400, Body: `{"title":"Invalid Request","detail":"` + detail + `"}`})
	e.RunDue(e.Outbox(accounts.OutboxOptions{}))
	got := e.Post(p.ID)
	if got.Status != planner.StatusFailed || len(got.Results) != 1 {
		t.Fatalf("post %+v", got)
	}
	shown := got.Results[0].Error
	if !utf8.ValidString(shown) || !strings.HasPrefix(detail, strings.TrimSuffix(shown, "…")) || len(shown) > 310 || len(shown) < 290 {
		t.Fatalf("the detail became %q", shown)
	}
}

// A rate limit's reset outlives the run that heard it: the next
// publish-due, a new process, does not ask X again before the reset.
func TestRateLimitResetOutlivesTheRun(t *testing.T) {
	e := newEnv(t, accountstest.WithoutKeyring)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Odotan rajan nollautumista.")
	reset := e.Clock.Now().Add(2 * time.Hour).Truncate(time.Second)
	e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 429, Reset: reset})
	e.RunDue(e.Outbox(accounts.OutboxOptions{}))
	if got := e.Post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.rate_limited" {
		t.Fatalf("post %+v", got)
	}

	e.Close()
	e.Open(accountstest.WithoutKeyring)
	e.Clock.Advance(time.Hour)
	ob := e.Outbox(accounts.OutboxOptions{})
	if dry, _ := ob.DryRun(e.Ctx); len(dry.Posts) != 1 || dry.Posts[0].Action != outbox.ActionWait {
		t.Fatalf("dry run before the reset: %+v", dry)
	}
	sum := e.RunDue(ob)
	if n := e.X.Count(xtest.CreateTweet); n != 1 || sum.Waiting != 1 || sum.Posts[0].Key != "outbox.error.rate_limited" {
		t.Fatalf("asked X %d times before the reset; summary %+v", n, sum)
	}
	e.Clock.Advance(time.Hour + time.Second)
	if sum := e.RunDue(e.Outbox(accounts.OutboxOptions{})); sum.Published != 1 {
		t.Fatalf("after the reset: %+v", sum)
	}
}

// A thread whose interrupted part turns out to have gone out is resumed in
// the same run and counted once, as published.
func TestResumedThreadCountedOnce(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Ensimmäinen.", "Toinen.", "Kolmas.")
	first := e.X.AddTweet("Ensimmäinen.", "")
	p.Status, p.Attempt, p.Updated = planner.StatusPublishing, planner.NewID(), e.Clock.Now()
	if err := e.Store.SavePost(e.Ctx, p); err != nil {
		t.Fatal(err)
	}
	sum := e.RunDue(e.Outbox(accounts.OutboxOptions{}))
	if len(sum.Posts) != 1 || sum.Published != 1 || sum.Waiting != 0 || sum.Posts[0].Status != planner.StatusPublished {
		t.Fatalf("summary %+v", sum)
	}
	tw := e.X.Tweets()
	if len(tw) != 3 || tw[0].ID != first.ID || tw[1].ReplyTo != first.ID || tw[2].ReplyTo != tw[1].ID {
		t.Fatalf("X has %+v", tw)
	}
}

// Skipping a post that needs attention keeps it, as a draft that does not go out.
func TestSkip(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	e.SetLate(planner.LateAsk)
	p := e.Schedule(acc, e.Clock.Now().Add(-time.Hour), "Myöhästynyt.")
	ob := e.Outbox(accounts.OutboxOptions{})
	e.RunDue(ob)
	if got := e.Post(p.ID); got.Status != planner.StatusNeedsAttention {
		t.Fatalf("post %+v", got)
	}
	got, err := ob.Skip(e.Ctx, p.ID)
	if err != nil || got.Status != planner.StatusDraft || got.LastError != "" || got.Text != p.Text {
		t.Fatalf("skipped %+v %v", got, err)
	}
	e.RunDue(ob)
	if e.X.Count(xtest.CreateTweet) != 0 {
		t.Fatal("a skipped post went out")
	}
	if _, err := ob.Skip(e.Ctx, p.ID); accountstest.ErrorKey(err) != "outbox.error.state" {
		t.Fatalf("skipping a draft: %v", err)
	}
}

// A post to be posted by hand, confirmed with its address, records that
// address on its own network.
func TestConfirmByHandPostKeepsItsNetwork(t *testing.T) {
	e := newEnv(t)
	now := e.Clock.Now()
	p := planner.Post{ID: planner.NewID(), Text: "Käsin.", Status: planner.StatusNeedsAttention, Time: now, Created: now, Updated: now,
		Targets: []planner.Target{{Network: planner.NetworkLinkedIn}}}
	if err := e.Store.SavePost(e.Ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := e.Outbox(accounts.OutboxOptions{}).ConfirmPublished(e.Ctx, p.ID, "https://www.linkedin.com/feed/update/1")
	if err != nil || len(got.Results) != 1 || got.Results[0].Network != planner.NetworkLinkedIn {
		t.Fatalf("confirmed %+v %v", got, err)
	}
}
