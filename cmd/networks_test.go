package cmd

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
)

// linkByCLI runs `kaiku accounts link …` as a script would: typed is
// written to standard input at once; where the command prints an address,
// browser plays the user there and returns what the user then types.
func linkByCLI(t *testing.T, dir string, args []string, typed string, browser func(authURL string) string) string {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var errOut strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- run(append([]string{"--data", dir, "--lang", "en", "accounts", "link"}, args...), inR, outW, &errOut, noWindow(t))
		outW.Close()
		inR.Close()
	}()
	if typed != "" {
		go io.WriteString(inW, typed)
	}
	lines := bufio.NewReader(outR)
	if browser != nil {
		authURL, err := lines.ReadString('\n')
		if err != nil {
			t.Fatalf("no address to open: %v %s", err, errOut.String())
		}
		if typed := browser(strings.TrimSpace(authURL)); typed != "" {
			go io.WriteString(inW, typed+"\n")
		}
	}
	rest, _ := io.ReadAll(lines)
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("link %v: exit %d: %s", args, code, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("link %v hangs: %s", args, errOut.String())
	}
	return string(rest)
}

// listAccounts is `kaiku accounts list --json`.
func listAccounts(t *testing.T, dir string) []accountJSON {
	t.Helper()
	_, out, _ := kaiku(t, "--data", dir, "accounts", "list", "--json")
	var list []accountJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("accounts list: %v %s", err, out)
	}
	return list
}

// freePort is a port nobody listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestLinkEveryNetworkAndPublishByCLI is the whole path by the command
// line on Mastodon (the browser's return, and a code typed in), Bluesky and
// LinkedIn: link, list, schedule a Finnish thread to all, publish-due twice,
// unlink.
func TestLinkEveryNetworkAndPublishByCLI(t *testing.T) {
	dir := t.TempDir()
	masto := mastodontest.Start(t, mastodontest.Options{PKCE: true})
	older := mastodontest.Start(t, mastodontest.Options{Username: "toinen"})
	bsky := blueskytest.Start(t, blueskytest.Options{Handle: "maija.test"})
	li := linkedintest.Start(t, linkedintest.Options{GivenName: "Maija", FamilyName: "Meikäläinen"})

	out := linkByCLI(t, dir, []string{"mastodon", "--instance", masto.URL}, "", func(u string) string {
		if _, err := masto.Authorize(u); err != nil {
			t.Error(err)
		}
		return ""
	})
	if !strings.Contains(out, "Linked as @kaiku_tester@") {
		t.Errorf("mastodon: %q", out)
	}
	out = linkByCLI(t, dir, []string{"mastodon", "--instance", older.URL, "--oob"}, "", func(u string) string {
		code, err := older.Authorize(u)
		if err != nil {
			t.Error(err)
		}
		return code
	})
	if !strings.Contains(out, "Linked as @toinen@") {
		t.Errorf("mastodon --oob: %q", out)
	}
	if out = linkByCLI(t, dir, []string{"bluesky", "--service", bsky.URL, "--handle", "maija.test"}, bsky.AppPassword()+"\n", nil); !strings.Contains(out, "Linked as @maija.test") {
		t.Errorf("bluesky: %q", out)
	}
	t.Setenv("KAIKU_LINKEDIN_CLIENT_ID", li.ClientID())
	t.Setenv("KAIKU_LINKEDIN_CLIENT_SECRET", li.ClientSecret())
	port := freePort(t)
	li.RegisterRedirect("http://127.0.0.1:" + strconv.Itoa(port) + "/callback")
	out = linkByCLI(t, dir, []string{"linkedin", "--port", strconv.Itoa(port), "--api-base", li.URL}, "", func(u string) string {
		if err := li.Authorize(u); err != nil {
			t.Error(err)
		}
		return ""
	})
	if !strings.Contains(out, "Linked as Maija Meikäläinen") {
		t.Errorf("linkedin: %q", out)
	}

	list := listAccounts(t, dir)
	if len(list) != 4 {
		t.Fatalf("accounts %+v", list)
	}
	args := []string{"--data", dir, "post", "add", "--status", "scheduled", "--at", "now",
		"--text", "Hyvää huomenta 🇫🇮! Ketju alkaa: https://example.fi/ääkköset", "--text", "Toinen osa 👩‍💻 #kaiku", "--text", "Kolmas (ja viimeinen) osa."}
	for _, a := range list {
		args = append(args, "--account", a.ID)
		switch a.Network {
		case "linkedin":
			if a.Handle != "Maija Meikäläinen" || a.Expires == "" {
				t.Errorf("linkedin account %+v", a)
			}
			if ends, err := time.Parse(time.RFC3339, a.Expires); err != nil || time.Until(ends) < 59*24*time.Hour {
				t.Errorf("the link ends %q", a.Expires)
			}
		default:
			if a.Expires != "" || a.Status != "linked" {
				t.Errorf("account %+v", a)
			}
		}
	}
	if code, _, errOut := kaiku(t, args...); code != 0 {
		t.Fatalf("post add: %s", errOut)
	}
	for range 2 {
		if code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "publish-due"); code != 0 {
			t.Fatalf("publish-due: exit %d\n%s\n%s", code, out, errOut)
		}
	}
	if n, m, b, l := len(masto.Statuses()), len(older.Statuses()), len(bsky.Records()), len(li.Posts()); n != 3 || m != 3 || b != 3 || l != 1 {
		t.Fatalf("Mastodon %d and %d, Bluesky %d, LinkedIn %d", n, m, b, l)
	}
	if st := masto.Statuses(); st[0].Language != "en" || st[2].InReplyToID != st[1].ID {
		t.Errorf("statuses %+v", st)
	}
	_, out, _ = kaiku(t, "--data", dir, "post", "list", "--json")
	if !strings.Contains(out, `"status": "published"`) || strings.Count(out, "/@kaiku_tester/") != 3 || strings.Count(out, "bsky.app/profile") != 3 || !strings.Contains(out, "urn:li:share:") {
		t.Errorf("the post was not recorded published with its URLs:\n%s", out)
	}

	// Unlinking the Mastodon account ends its token on the server.
	for _, a := range list {
		if a.Network == "mastodon" && strings.HasPrefix(a.APIBase, masto.URL) {
			if code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "accounts", "unlink", a.ID); code != 0 || strings.Contains(out, "could not be told") {
				t.Fatalf("unlink: %d %q %q", code, out, errOut)
			}
		}
	}
	if len(listAccounts(t, dir)) != 3 {
		t.Error("the account stayed")
	}
}

// The link commands refuse what would show a secret or cannot work.
func TestLinkCommandsRefuseBadInput(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("KAIKU_LINKEDIN_CLIENT_ID", "")
	t.Setenv("KAIKU_LINKEDIN_CLIENT_SECRET", "")
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"accounts", "link"}, 2, "x|mastodon|bluesky|linkedin"},
		{[]string{"accounts", "link", "myspace"}, 2, "x|mastodon|bluesky|linkedin"},
		{[]string{"accounts", "link", "mastodon"}, 2, "--instance"},
		{[]string{"accounts", "link", "mastodon", "--instance", "http://mastodon.social", "--oob"}, 1, "Mastodon server's address"},
		{[]string{"accounts", "link", "bluesky"}, 2, "handle"},
		{[]string{"accounts", "link", "bluesky", "--handle", "a.test", "--app-password", "x"}, 2, "every user"},
		{[]string{"accounts", "link", "linkedin"}, 2, "client ID"},
		{[]string{"accounts", "link", "linkedin", "--port", "0"}, 2, "--port"},
	} {
		code, _, errOut := kaiku(t, append([]string{"--data", dir, "--lang", "en"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.says) {
			t.Errorf("%v: exit %d, %q", tc.args, code, errOut)
		}
	}
	// A wrong app password says what to do, and where app passwords are made.
	bsky := blueskytest.Start(t, blueskytest.Options{})
	var out, errOut strings.Builder
	code := run([]string{"--data", dir, "--lang", "en", "accounts", "link", "bluesky", "--service", bsky.URL, "--handle", bsky.Handle()},
		strings.NewReader("wrong-pass-word-0000\n"), &out, &errOut, noWindow(t))
	if code != 1 || !strings.Contains(errOut.String(), "App passwords") {
		t.Errorf("a wrong app password: exit %d, %q", code, errOut.String())
	}
}

// A LinkedIn post due after the link ends is flagged in the post list and
// the account list, which says when each link ends.
func TestLinkEndsAreShown(t *testing.T) {
	dir := t.TempDir()
	li := linkedintest.Start(t, linkedintest.Options{TokenLifetime: 5 * 24 * time.Hour})
	t.Setenv("KAIKU_LINKEDIN_CLIENT_ID", li.ClientID())
	t.Setenv("KAIKU_LINKEDIN_CLIENT_SECRET", li.ClientSecret())
	port := freePort(t)
	li.RegisterRedirect("http://127.0.0.1:" + strconv.Itoa(port) + "/callback")
	linkByCLI(t, dir, []string{"linkedin", "--port", strconv.Itoa(port), "--api-base", li.URL}, "", func(u string) string {
		li.Authorize(u)
		return ""
	})
	id := listAccounts(t, dir)[0].ID
	at := time.Now().Add(10 * 24 * time.Hour).Format("2006-01-02T15:04")
	code, postID, errOut := kaiku(t, "--data", dir, "post", "add", "--status", "scheduled", "--at", at, "--text", "Liian myöhään", "--account", id)
	if code != 0 {
		t.Fatal(errOut)
	}
	postID = strings.TrimSpace(postID)
	_, out, _ := kaiku(t, "--data", dir, "--lang", "en", "accounts", "list")
	if !strings.Contains(out, "days left)") || !strings.Contains(out, "link the account again before then") || !strings.Contains(out, "Post "+postID+" is due after") {
		t.Errorf("accounts list:\n%s", out)
	}
	_, out, _ = kaiku(t, "--data", dir, "--lang", "en", "post", "list")
	if !strings.Contains(out, "due after the LinkedIn link ends") {
		t.Errorf("post list:\n%s", out)
	}
	_, out, _ = kaiku(t, "--data", dir, "post", "list", "--json")
	if !strings.Contains(out, `"link_ended": [`) || !strings.Contains(out, id) {
		t.Errorf("post list --json:\n%s", out)
	}
}
