package cmd

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

// savePosts stores posts in the data folder dir, as the outbox would have
// left them, with the folder closed again after.
func savePosts(t *testing.T, dir string, posts ...planner.Post) {
	t.Helper()
	log := logrus.New()
	log.SetOutput(io.Discard)
	st, err := storage.Open(dir, storage.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, p := range posts {
		if err := st.SavePost(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
}

// listed reads `post list --json` into posts by ID.
func listed(t *testing.T, dir string) map[string]postJSON {
	t.Helper()
	code, out, errOut := kaiku(t, "--data", dir, "post", "list", "--json")
	if code != 0 {
		t.Fatalf("post list: %d %s", code, errOut)
	}
	var list []postJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	byID := map[string]postJSON{}
	for _, p := range list {
		byID[p.ID] = p
	}
	return byID
}

// The command line decides about a post that needs attention as the window
// does: publish it again, record that it went out, or skip it.
func TestPostRetryConfirmSkip(t *testing.T) {
	dir := t.TempDir()
	now := time.Now().Add(-time.Hour).Truncate(time.Second)
	post := func(text string, st planner.Status) planner.Post {
		return planner.Post{ID: planner.NewID(), Text: text, Status: st, Time: now, Created: now, Updated: now,
			Targets: []planner.Target{{Network: planner.NetworkLinkedIn}}, LastError: "outbox.error.interrupted"}
	}
	retry, confirm, skip := post("Uudelleen", planner.StatusNeedsAttention), post("Lähti", planner.StatusNeedsAttention), post("Ohita", planner.StatusFailed)
	draft := post("Luonnos", planner.StatusDraft)
	draft.LastError = ""
	savePosts(t, dir, retry, confirm, skip, draft)

	code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "post", "retry", retry.ID)
	if code != 0 || !strings.Contains(out, "Scheduled again") || errOut != "" {
		t.Fatalf("retry: exit %d, out %q, err %q", code, out, errOut)
	}
	code, _, errOut = kaiku(t, "--data", dir, "--lang", "en", "post", "confirm", confirm.ID, "--url", "http://x.com/a")
	if code != 1 || !strings.Contains(errOut, "https://") {
		t.Fatalf("confirm with an http address: exit %d, err %q", code, errOut)
	}
	code, out, errOut = kaiku(t, "--data", dir, "--lang", "en", "post", "confirm", confirm.ID, "--url", "https://www.linkedin.com/feed/update/1")
	if code != 0 || !strings.Contains(out, "published") || errOut != "" {
		t.Fatalf("confirm: exit %d, out %q, err %q", code, out, errOut)
	}
	code, out, errOut = kaiku(t, "--data", dir, "--lang", "en", "post", "skip", skip.ID)
	if code != 0 || !strings.Contains(out, "draft") || errOut != "" {
		t.Fatalf("skip: exit %d, out %q, err %q", code, out, errOut)
	}

	got := listed(t, dir)
	if p := got[retry.ID]; p.Status != planner.StatusScheduled || p.LastErr != "" {
		t.Errorf("retried %+v", p)
	}
	if p := got[confirm.ID]; p.Status != planner.StatusPublished || len(p.URLs) != 1 {
		t.Errorf("confirmed %+v", p)
	}
	if p := got[skip.ID]; p.Status != planner.StatusDraft || p.Text != "Ohita" {
		t.Errorf("skipped %+v", p)
	}

	// A post in another state, one that is not there, and no ID at all.
	code, _, errOut = kaiku(t, "--data", dir, "--lang", "en", "post", "retry", draft.ID)
	if code != 1 || !strings.Contains(errOut, "draft") {
		t.Errorf("retrying a draft: exit %d, err %q", code, errOut)
	}
	code, _, errOut = kaiku(t, "--data", dir, "--lang", "en", "post", "skip", "06h0000000000000000000000")
	if code != 1 || !strings.Contains(errOut, "no post") {
		t.Errorf("skipping a missing post: exit %d, err %q", code, errOut)
	}
	if code, _, _ := kaiku(t, "--data", dir, "--lang", "en", "post", "confirm"); code != 2 {
		t.Errorf("confirm without an ID: exit %d", code)
	}
	if got := listed(t, dir)[draft.ID]; got.Status != planner.StatusDraft {
		t.Errorf("the draft became %+v", got)
	}
}

// publish-due tells a scheduler that an account must be linked again, with
// an exit status of its own and a line that says what to do.
func TestPublishDueNeedsRelinkExitsThree(t *testing.T) {
	srv := xtest.Start(t, xtest.Options{User: xtest.User{ID: "2244994945", Username: "maija_asiantuntija", Name: "Maija"}})
	dir := t.TempDir()
	id := linkXByCLI(t, srv, dir)
	at := "now"
	if code, _, errOut := kaiku(t, "--data", dir, "post", "add", "--account", id, "--status", "scheduled", "--at", at, "--text", "Odottaa liitosta"); code != 0 {
		t.Fatalf("post add: %s", errOut)
	}
	srv.RevokeAll()
	for range 2 {
		code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "publish-due")
		line := errOut[max(strings.LastIndex(errOut, "kaiku: "), 0):]
		if code != 3 || strings.Count(errOut, "kaiku: ") != 1 || !strings.Contains(line, "@maija_asiantuntija") ||
			!strings.Contains(line, "kaiku accounts link x") || !strings.Contains(out, "Link the account again") {
			t.Fatalf("publish-due: exit %d\nout %q\nerr %q", code, out, errOut)
		}
	}
}

// A damaged secrets file is named as such by accounts list and publish-due.
func TestDamagedSecretsFileOnTheCommandLine(t *testing.T) {
	srv := xtest.Start(t, xtest.Options{})
	dir := t.TempDir()
	id := linkXByCLI(t, srv, dir)
	path := filepath.Join(dir, "secrets.json")
	if _, err := os.Stat(path); err != nil {
		t.Skip("the keys went to a system keyring, not the file")
	}
	if err := os.WriteFile(path, []byte("{damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := kaiku(t, "--data", dir, "--lang", "en", "accounts", "list")
	if code != 0 || !strings.Contains(out, "is damaged") || strings.Contains(out, "No system keyring answered") {
		t.Errorf("accounts list: exit %d, out %q", code, out)
	}
	at := "now"
	if code, _, errOut := kaiku(t, "--data", dir, "post", "add", "--account", id, "--status", "scheduled", "--at", at, "--text", "Avaimet rikki"); code != 0 {
		t.Fatalf("post add: %s", errOut)
	}
	code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "publish-due")
	if code != 3 || !strings.Contains(out, "keys stored on this computer are damaged") || strings.Contains(out+errOut, "Unlock the keyring") {
		t.Errorf("publish-due: exit %d\nout %q\nerr %q", code, out, errOut)
	}
}
