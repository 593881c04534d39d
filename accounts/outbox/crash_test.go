package outbox_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/accountstest"
	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/accounts/outbox"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

// The crash test runs this test binary again as a child that publishes
// against the parent's fake X and dies mid-thread, as a killed Kaiku would.
const (
	crashChildEnv = "KAIKU_ACCOUNTS_CRASH_CHILD" // the child's mode: "self" or "wait"
	crashDirEnv   = "KAIKU_ACCOUNTS_CRASH_DIR"
	crashNowEnv   = "KAIKU_ACCOUNTS_CRASH_NOW"
	crashPartEnv  = "KAIKU_ACCOUNTS_CRASH_PART"
)

// crashChild is the child: it runs the outbox once. In mode "self" it kills
// itself with SIGKILL right after the network answers part n, before
// recording it; in mode "before" right after part n is on record as
// pending, before its request; in mode "wait" the parent's fake X kills it.
func crashChild() int {
	now, err := time.Parse(time.RFC3339Nano, os.Getenv(crashNowEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	st, err := storage.Open(os.Getenv(crashDirEnv), storage.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	opts := accounts.Options{Store: st, DataDir: os.Getenv(crashDirEnv),
		Now: func() time.Time { return now }, Sleep: func(context.Context, time.Duration) error { return nil }}
	accountstest.WithoutKeyring(&opts)
	m, err := accounts.New(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	ob := m.NewOutbox(accounts.OutboxOptions{})
	n, _ := strconv.Atoi(os.Getenv(crashPartEnv))
	die := func(part int) {
		if part == n {
			p, _ := os.FindProcess(os.Getpid())
			p.Kill()
			select {}
		}
	}
	switch os.Getenv(crashChildEnv) {
	case "self":
		outbox.AfterSend(ob, func(_ string, part int, _ string) { die(part) })
	case "before":
		outbox.BeforeSend(ob, func(_ string, part int) { die(part) })
	}
	sum, err := ob.RunDue(context.Background())
	fmt.Fprintf(os.Stderr, "the child was not killed: %+v %v\n", sum, err)
	return 4
}

func TestCrashNeverPostsTwice(t *testing.T) {
	parts := []string{"Ensimmäinen osa.", "Toinen osa.", "Kolmas osa."}
	for _, tc := range []struct {
		name string
		mode string // "self": the child dies after X's answer; "wait": X kills it
		part int    // the part at which it dies
		// taken: X took the part the child died at; it never heard back.
		taken bool
	}{
		{"killed as X takes part 2", "wait", 1, true},
		{"dies after X answered part 1", "self", 0, true},
		{"dies after X answered the last part", "self", 2, true},
		{"killed as part 2 reaches X, before X takes it", "wait", 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, accountstest.WithoutKeyring)
			acc := e.LinkX()
			p := e.Schedule(acc, e.Clock.Now(), parts...)
			e.Close()

			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(),
				crashChildEnv+"="+tc.mode, crashDirEnv+"="+e.Dir,
				crashNowEnv+"="+e.Clock.Now().Format(time.RFC3339Nano), crashPartEnv+"="+strconv.Itoa(tc.part))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			exited := make(chan struct{})
			// The child reaches X after Start, through a socket the race
			// detector cannot see: the process is handed over explicitly.
			started := make(chan struct{})
			kill := func(text string) bool {
				if text != parts[tc.part] {
					return true
				}
				<-started
				cmd.Process.Kill()
				<-exited
				return tc.taken
			}
			if tc.mode == "wait" {
				if tc.taken {
					e.X.AfterTweet(func(tw xtest.Tweet) { kill(tw.Text) })
				} else {
					e.X.BeforeTweet(func(text, _ string) bool { return kill(text) })
				}
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			close(started)
			go func() { cmd.Wait(); close(exited) }()
			select {
			case <-exited:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the child hangs")
			}
			// Killed, not exited: -1 is a signal's death (Windows has no signals).
			if code := cmd.ProcessState.ExitCode(); code != -1 && (runtime.GOOS != "windows" || code == 0 || code == 3 || code == 4) {
				t.Fatalf("the child was not killed: %v\n%s", cmd.ProcessState, stderr.String())
			}
			e.X.AfterTweet(nil)
			e.X.BeforeTweet(nil)

			out := tc.part
			if tc.taken {
				out++
			}
			if got := accountstest.Texts(e.X.Tweets()); len(got) != out {
				t.Fatalf("before the next run X has %q", got)
			}

			e.Open(accountstest.WithoutKeyring)
			// On record: the parts out, and the one being sent as pending.
			if got := e.Post(p.ID); got.Status != planner.StatusPublishing || got.Attempt == "" || len(got.Results) != tc.part+1 ||
				!got.Results[tc.part].Pending || got.Results[tc.part].Part != tc.part {
				t.Fatalf("the crash left %+v", got)
			}
			ob := e.Outbox(accounts.OutboxOptions{})
			sum := e.RunDue(ob)
			e.RunDue(ob)
			got := e.Post(p.ID)
			if !tc.taken {
				// X never took the part: not found, the user decides.
				if got.Status != planner.StatusNeedsAttention || got.LastError != "outbox.error.interrupted" {
					t.Fatalf("post %+v, summary %+v", got, sum)
				}
				if n := len(e.X.Tweets()); n != out {
					t.Fatalf("X has %d posts, the run sent something blindly", n)
				}
				if _, err := ob.Retry(e.Ctx, p.ID); err != nil {
					t.Fatal(err)
				}
				e.RunDue(ob)
				got = e.Post(p.ID)
			}
			if got.Status != planner.StatusPublished || len(got.Results) != 3 {
				t.Fatalf("post %+v, summary %+v", got, sum)
			}
			accountstest.CheckThread(t, e.X, parts...)
		})
	}
}

// runCrashChild runs the child on the env's data folder and waits for it to
// die as mode says, at part.
func runCrashChild(t *testing.T, e *accountstest.Env, mode string, part int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+mode, crashDirEnv+"="+e.Dir,
		crashNowEnv+"="+e.Clock.Now().Format(time.RFC3339Nano), crashPartEnv+"="+strconv.Itoa(part))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the child hangs")
	}
	if code := cmd.ProcessState.ExitCode(); code != -1 && (runtime.GOOS != "windows" || code == 0 || code == 3 || code == 4) {
		t.Fatalf("the child was not killed: %v\n%s", cmd.ProcessState, stderr.String())
	}
}

// Killed between a part's pending mark and its request, or between the
// network's answer and its record, on Mastodon, Bluesky and LinkedIn: the
// next runs find what went out and send the rest, each part once, the
// thread whole.
func TestCrashNeverPostsTwiceOnAnyNetwork(t *testing.T) {
	parts := []string{"Ensimmäinen osa 🇫🇮.", "Toinen osa: https://example.fi/ä.", "Kolmas osa #kaiku."}
	for _, network := range []planner.Network{planner.NetworkMastodon, planner.NetworkBluesky, planner.NetworkLinkedIn} {
		for _, mode := range []string{"before", "self"} {
			last := len(parts) - 1
			if network == planner.NetworkLinkedIn {
				last = 0 // one post
			}
			for _, part := range []int{0, last} {
				t.Run(fmt.Sprintf("%s %s part %d", network, mode, part), func(t *testing.T) {
					e := newEnv(t, accountstest.WithoutKeyring)
					var acc planner.Account
					var count func() int
					switch network {
					case planner.NetworkMastodon:
						srv := e.Mastodon(mastodontest.Options{})
						acc, count = e.LinkMastodon(srv, true, ""), func() int { return len(srv.Statuses()) }
						defer func() { checkMastodonThread(t, srv, parts) }()
					case planner.NetworkBluesky:
						srv := e.Bluesky(blueskytest.Options{})
						acc, count = e.LinkBluesky(srv), func() int { return srv.Writes() }
					case planner.NetworkLinkedIn:
						srv := e.LinkedIn(linkedintest.Options{})
						acc, count = e.LinkLinkedIn(srv), func() int { return len(srv.Posts()) }
					}
					p := e.Schedule(acc, e.Clock.Now(), parts...)
					e.Close()
					runCrashChild(t, e, mode, part)
					sent := part
					if mode == "self" {
						sent++
					}
					if n := count(); n != sent {
						t.Fatalf("before the next run the network has %d posts, want %d", n, sent)
					}
					e.Open(accountstest.WithoutKeyring)
					ob := e.Outbox(accounts.OutboxOptions{})
					e.RunDue(ob)
					e.RunDue(ob)
					got := e.Post(p.ID)
					if got.Status != planner.StatusPublished || len(got.Results) != last+1 {
						t.Fatalf("post %+v", got)
					}
					if n := count(); n != last+1 {
						t.Fatalf("the network has %d posts, want %d", n, last+1)
					}
				})
			}
		}
	}
}

// checkMastodonThread asserts that the instance took exactly these parts,
// once each, each replying to the one before.
func checkMastodonThread(t *testing.T, srv *mastodontest.Server, parts []string) {
	t.Helper()
	st := srv.Statuses()
	if len(st) != len(parts) {
		t.Fatalf("Mastodon took %d statuses, want %d", len(st), len(parts))
	}
	for i, s := range st {
		if s.Text != parts[i] || i > 0 && s.InReplyToID != st[i-1].ID {
			t.Errorf("status %d: %+v", i, s)
		}
	}
}

// Killed after an image's upload reached the network and before the post
// that carries it: the next runs upload the image again (an upload is not
// a post) and the post goes out once, with its images, the thread whole.
func TestCrashBetweenUploadAndPostPostsOnce(t *testing.T) {
	parts := []string{"Ensimmäinen osa kuvalla.", "Toinen osa kahdella kuvalla."}
	for _, network := range []planner.Network{planner.NetworkMastodon, planner.NetworkBluesky, planner.NetworkLinkedIn} {
		t.Run(string(network), func(t *testing.T) {
			e := newEnv(t, accountstest.WithoutKeyring)
			var acc planner.Account
			var posts func() int
			var onUpload func(func(n int))
			var check func(t *testing.T)
			// The kill comes with the second part's first image (the
			// thread's second upload), or, for LinkedIn's one post, with
			// the second look at its images while LinkedIn processes them.
			killAt, wantPosts := 2, 2
			switch network {
			case planner.NetworkMastodon:
				srv := e.Mastodon(mastodontest.Options{})
				acc, posts, onUpload = e.LinkMastodon(srv, true, ""), func() int { return len(srv.Statuses()) }, srv.AfterUpload
				check = func(t *testing.T) {
					checkMastodonThread(t, srv, parts)
					st, media := srv.Statuses(), srv.Media()
					if len(st[0].MediaIDs) != 1 || len(st[1].MediaIDs) != 2 || len(media) != 4 {
						t.Errorf("statuses carry %v and %v of %d uploads", st[0].MediaIDs, st[1].MediaIDs, len(media))
					}
				}
			case planner.NetworkBluesky:
				srv := e.Bluesky(blueskytest.Options{})
				acc, posts, onUpload = e.LinkBluesky(srv), func() int { return len(srv.Records()) }, srv.AfterUpload
				check = func(t *testing.T) {
					recs := srv.Records()
					for i, n := range []int{1, 2} {
						ims, _ := recs[i].Value["embed"].(map[string]any)["images"].([]any)
						if recs[i].Value["text"] != parts[i] || len(ims) != n {
							t.Errorf("record %d: %v", i, recs[i].Value)
						}
					}
					if srv.Uploads() != 4 || srv.Writes() != 2 {
						t.Errorf("%d uploads, %d writes", srv.Uploads(), srv.Writes())
					}
				}
			case planner.NetworkLinkedIn:
				srv := e.LinkedIn(linkedintest.Options{ProcessingLooks: 2})
				acc, posts, onUpload = e.LinkLinkedIn(srv), func() int { return len(srv.Posts()) }, srv.AfterLook
				wantPosts = 1
				check = func(t *testing.T) {
					if ps := srv.Posts(); len(ps[0].Images) != 3 {
						t.Errorf("the post carries %+v", ps[0].Images)
					}
				}
			}
			p := e.Schedule(acc, e.Clock.Now(), parts...)
			e.AttachImages(p.ID,
				accountstest.ImageFile{Data: accountstest.Photo(t, 40, 30, 21), Alt: "ensimmäinen", Part: 0},
				accountstest.ImageFile{Data: accountstest.Photo(t, 30, 40, 22), Alt: "toinen", Part: 1},
				accountstest.ImageFile{Data: accountstest.Photo(t, 20, 20, 23), Alt: "kolmas", Part: 1})
			e.Close()

			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), crashChildEnv+"=wait", crashDirEnv+"="+e.Dir,
				crashNowEnv+"="+e.Clock.Now().Format(time.RFC3339Nano), crashPartEnv+"=-1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			started, exited := make(chan struct{}), make(chan struct{})
			onUpload(func(n int) {
				if n == killAt {
					<-started
					cmd.Process.Kill()
					<-exited
				}
			})
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			close(started)
			go func() { cmd.Wait(); close(exited) }()
			select {
			case <-exited:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the child hangs")
			}
			if code := cmd.ProcessState.ExitCode(); code != -1 && (runtime.GOOS != "windows" || code == 0 || code == 3 || code == 4) {
				t.Fatalf("the child was not killed: %v\n%s", cmd.ProcessState, stderr.String())
			}
			onUpload(nil)
			if n := posts(); n != wantPosts-1 {
				t.Fatalf("before the next run the network has %d posts", n)
			}

			e.Open(accountstest.WithoutKeyring)
			ob := e.Outbox(accounts.OutboxOptions{})
			e.RunDue(ob)
			e.RunDue(ob)
			if got := e.Post(p.ID); got.Status != planner.StatusPublished || len(got.Results) != wantPosts {
				t.Fatalf("post %+v", got)
			}
			if n := posts(); n != wantPosts {
				t.Fatalf("the network has %d posts, want %d", n, wantPosts)
			}
			check(t)
		})
	}
}
