//go:build live

package cmd

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/mastodon"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
)

func liveVars(t *testing.T, keys ...string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, k := range keys {
		if env[k] = os.Getenv(k); env[k] == "" {
			t.Fatalf("%s is not set: run the live tests with make test-live", k)
		}
	}
	return env
}

// linkProcess runs `kaiku accounts link …` as a real process: typed goes to
// its standard input; where it prints an address, browser plays the user.
func linkProcess(t *testing.T, dir string, args []string, typed string, browser func(authURL string) error) string {
	t.Helper()
	cmd := child(t, "main", append([]string{"--data", dir, "--lang", "en", "accounts", "link"}, args...)...)
	cmd.Stdin = strings.NewReader(typed)
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewReader(stdout)
	if browser != nil {
		line, err := out.ReadString('\n')
		if err != nil {
			cmd.Process.Kill()
			t.Fatalf("no address to open: %v %s", err, stderr.String())
		}
		if err := browser(strings.TrimSpace(line)); err != nil {
			cmd.Process.Kill()
			t.Fatalf("in the browser: %v", err)
		}
	}
	rest, _ := io.ReadAll(out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("link %v: %v\n%s", args, err, stderr.String())
	}
	return string(rest)
}

// gtsStatuses reads every status of the account on GoToSocial, page by
// page, with a token of the test's own.
func gtsStatuses(t *testing.T, ctx context.Context, base, email, password string) []mastodon.Status {
	t.Helper()
	s, err := mastodon.NewServer(base, mastodon.Options{})
	if err != nil {
		t.Fatal(err)
	}
	app, err := s.RegisterApp(ctx, "Kaiku live reader", "", []string{mastodon.RedirectOOB}, mastodon.ScopesAccounts)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Authorize(app, mastodon.RedirectOOB, false)
	code, err := mastodontest.ConsentGoToSocial(ctx, a.URL, email, password)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Exchange(ctx, a, code)
	if err != nil {
		t.Fatal(err)
	}
	me, err := s.Client(tok).VerifyCredentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var all []mastodon.Status
	maxID := ""
	for {
		q := url.Values{"limit": {"40"}}
		if maxID != "" {
			q.Set("max_id", maxID)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/accounts/"+me.ID+"/statuses?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page []mastodon.Status
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return all
		}
		all = append(all, page...)
		maxID = page[len(page)-1].ID
	}
}

// TestLivePublishDueKilledAtRandom links GoToSocial and the PDS with the
// command line as a real process, schedules Finnish threads with emoji and
// links to both, and runs publish-due again and again, killing it with
// SIGKILL at random moments: in the end every part is on each server once,
// each thread whole, and every post recorded published.
func TestLivePublishDueKilledAtRandom(t *testing.T) {
	env := liveVars(t, "KAIKU_LIVE_GTS_URL", "KAIKU_LIVE_GTS_EMAIL", "KAIKU_LIVE_GTS_PASSWORD", "KAIKU_LIVE_PDS_URL",
		"KAIKU_LIVE_BSKY_HANDLE", "KAIKU_LIVE_BSKY_DID", "KAIKU_LIVE_BSKY_APP_PASSWORD")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir := t.TempDir()

	out := linkProcess(t, dir, []string{"mastodon", "--instance", env["KAIKU_LIVE_GTS_URL"]}, "", func(u string) error {
		code, err := mastodontest.ConsentGoToSocial(ctx, u, env["KAIKU_LIVE_GTS_EMAIL"], env["KAIKU_LIVE_GTS_PASSWORD"])
		if err == nil && code != "" {
			t.Errorf("a code for a link that waits for the browser: %q", code)
		}
		return err
	})
	if !strings.Contains(out, "Linked as @kaiku_tester@") {
		t.Fatalf("mastodon: %q", out)
	}
	out = linkProcess(t, dir, []string{"bluesky", "--service", env["KAIKU_LIVE_PDS_URL"], "--handle", env["KAIKU_LIVE_BSKY_HANDLE"]},
		env["KAIKU_LIVE_BSKY_APP_PASSWORD"]+"\n", nil)
	if !strings.Contains(out, "Linked as @"+env["KAIKU_LIVE_BSKY_HANDLE"]) {
		t.Fatalf("bluesky: %q", out)
	}
	list := listAccounts(t, dir)
	if len(list) != 2 {
		t.Fatalf("accounts %+v", list)
	}

	mark := "tappo-" + time.Now().Format("150405.000")
	var all []string
	const posts = 16
	for i := range posts {
		parts := []string{
			"Hyvää huomenta 🇫🇮, ketju " + strconv.Itoa(i) + " alkaa: https://example.fi/ääkköset?osa=1 " + mark,
			"Toinen osa 👩‍💻 ketjusta " + strconv.Itoa(i) + ", lue lisää https://kaiku.example/ " + mark,
			"Kolmas ja viimeinen osa #kaiku " + strconv.Itoa(i) + " " + mark,
		}
		all = append(all, parts...)
		args := []string{"--data", dir, "post", "add", "--status", "scheduled", "--at", "now"}
		for _, p := range parts {
			args = append(args, "--text", p)
		}
		for _, a := range list {
			args = append(args, "--account", a.ID)
		}
		if code, _, errOut := kaiku(t, args...); code != 0 {
			t.Fatalf("post add: %s", errOut)
		}
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	kills, finished := 0, false
	for round := 0; round < 60 && !finished; round++ {
		cmd := child(t, "main", "--data", dir, "--lang", "en", "publish-due")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Most runs are cut short, at any moment; now and then one may finish.
		delay := time.Duration(20+rng.IntN(1200)) * time.Millisecond
		select {
		case err := <-done:
			finished = err == nil
			if err != nil {
				t.Logf("publish-due ended by itself: %v\n%s", err, stderr.String())
			}
		case <-time.After(delay):
			cmd.Process.Kill()
			<-done
			kills++
		}
	}
	for range 3 {
		if finished {
			break
		}
		code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "publish-due")
		finished = code == 0
		t.Logf("publish-due to the end: exit %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("publish-due was killed %d times", kills)
	if kills < 5 {
		t.Errorf("publish-due was killed only %d times: the test proves little", kills)
	}

	_, out, _ = kaiku(t, "--data", dir, "post", "list", "--json")
	var listed []postJSON
	if err := json.Unmarshal([]byte(out), &listed); err != nil {
		t.Fatal(err)
	}
	for _, p := range listed {
		if p.Status != "published" || len(p.URLs) != 6 {
			t.Errorf("post %s: %s, %d addresses (%s)", p.ID, p.Status, len(p.URLs), p.LastErr)
		}
	}

	// What reached the servers: each part once.
	statuses := gtsStatuses(t, ctx, env["KAIKU_LIVE_GTS_URL"], env["KAIKU_LIVE_GTS_EMAIL"], env["KAIKU_LIVE_GTS_PASSWORD"])
	onGTS := map[string]int{}
	byID := map[string]mastodon.Status{}
	for _, s := range statuses {
		if strings.Contains(s.PlainText(), mark) {
			onGTS[s.PlainText()]++
			byID[s.ID] = s
		}
	}
	onPDS := repoTexts(t, env["KAIKU_LIVE_PDS_URL"], env["KAIKU_LIVE_BSKY_DID"], mark)
	for _, text := range all {
		if onGTS[text] != 1 {
			t.Errorf("GoToSocial has %q %d times", text, onGTS[text])
		}
		if onPDS[text] != 1 {
			t.Errorf("the PDS has %q %d times", text, onPDS[text])
		}
	}
	if len(onGTS) != len(all) || len(onPDS) != len(all) {
		t.Errorf("GoToSocial has %d texts, the PDS %d, want %d", len(onGTS), len(onPDS), len(all))
	}
	// Each thread holds together on GoToSocial: a later part replies to its own thread's part before.
	for _, s := range byID {
		text := s.PlainText()
		for i, p := range all {
			if p != text || i%3 == 0 {
				continue
			}
			if parent, ok := byID[s.InReplyToID]; !ok || parent.PlainText() != all[i-1] {
				t.Errorf("%q does not reply to %q", text, all[i-1])
			}
		}
	}
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
