package cmd

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaiku-app/kaiku/accounts/xtest"
)

// linkXByCLI runs `kaiku accounts link x` against the fake server, playing the
// user who opens the address and types the PIN.
func linkXByCLI(t *testing.T, srv *xtest.Server, dir string) string {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var errOut strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"--data", dir, "--lang", "en", "accounts", "link", "x", "--api-base", srv.URL,
			"--consumer-key", srv.ConsumerKey()}, inR, outW, &errOut, noWindow(t))
		outW.Close()
	}()
	// The secret comes on standard input, before the PIN.
	go io.WriteString(inW, srv.ConsumerSecret()+"\n")
	lines := bufio.NewReader(outR)
	authURL, err := lines.ReadString('\n')
	if err != nil {
		t.Fatalf("no authorize URL: %v %s", err, errOut.String())
	}
	pin, err := srv.Authorize(strings.TrimSpace(authURL))
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(inW, pin+"\n")
	rest, _ := io.ReadAll(lines)
	if code := <-done; code != 0 {
		t.Fatalf("link: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(string(rest), "@"+srv.User().Username) {
		t.Errorf("link printed %q, want the handle", rest)
	}
	_, out, _ := kaiku(t, "--data", dir, "accounts", "list", "--json")
	var list []accountJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 {
		t.Fatalf("accounts list: %v %s", err, out)
	}
	if list[0].Handle != srv.User().Username || list[0].Status != "linked" || list[0].Network != "x" {
		t.Errorf("account %+v", list[0])
	}
	return list[0].ID
}

// TestLinkScheduleThreadPublishOnce is the whole path by the command line:
// link with a PIN, schedule a thread of three, publish-due twice.
func TestLinkScheduleThreadPublishOnce(t *testing.T) {
	srv := xtest.Start(t, xtest.Options{User: xtest.User{ID: "2244994945", Username: "maija_asiantuntija", Name: "Maija"}})
	dir := t.TempDir()
	id := linkXByCLI(t, srv, dir)

	at := "now"
	code, _, errOut := kaiku(t, "--data", dir, "post", "add", "--account", id, "--status", "scheduled", "--at", at,
		"--text", "Kirjastot ja tekoäly, osa 1", "--text", "Osa 2: mitä opimme", "--text", "Osa 3: mitä seuraavaksi")
	if code != 0 {
		t.Fatalf("post add: %s", errOut)
	}
	for range 2 {
		code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "publish-due")
		if code != 0 {
			t.Fatalf("publish-due: exit %d\n%s\n%s", code, out, errOut)
		}
	}
	tweets := srv.Tweets()
	if len(tweets) != 3 {
		t.Fatalf("%d posts reached X, want 3: %+v", len(tweets), tweets)
	}
	if tweets[0].ReplyTo != "" || tweets[1].ReplyTo != tweets[0].ID || tweets[2].ReplyTo != tweets[1].ID {
		t.Errorf("not a chain: %+v", tweets)
	}
	_, out, _ := kaiku(t, "--data", dir, "post", "list", "--json")
	if !strings.Contains(out, `"status": "published"`) || strings.Count(out, "https://") < 3 {
		t.Errorf("the post was not recorded published with its URLs:\n%s", out)
	}

	// Nothing secret in the data folder but the secrets file, nor in the log.
	secrets := srv.IssuedSecrets()
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Base(path) == "secrets.json" {
			return nil
		}
		b, _ := os.ReadFile(path)
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds a secret", path)
			}
		}
		return nil
	})

	if code, _, errOut := kaiku(t, "--data", dir, "accounts", "unlink", id); code != 0 {
		t.Fatalf("unlink: %s", errOut)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "secrets.json")); err == nil {
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Error("unlink left a secret in secrets.json")
			}
		}
	}
}

func TestPublishDueLeavesWorkToOpenApp(t *testing.T) {
	dir := t.TempDir()
	openApp(t, dir)
	code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "publish-due")
	if code != 0 || !strings.Contains(out, "publishes there") || errOut != "" {
		t.Errorf("exit %d, out %q, err %q", code, out, errOut)
	}
}

func TestLinkNeedsKeys(t *testing.T) {
	t.Setenv("KAIKU_X_CONSUMER_KEY", "")
	t.Setenv("KAIKU_X_CONSUMER_SECRET", "")
	code, _, errOut := kaiku(t, "--data", t.TempDir(), "--lang", "en", "accounts", "link", "x")
	if code != 2 || !strings.HasPrefix(errOut, "kaiku: ") {
		t.Errorf("exit %d %q", code, errOut)
	}
}
