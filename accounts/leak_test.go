package accounts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
)

// A full run at debug level, failures included, leaves no token or secret
// in the log, the data folder (but for the secrets file itself), an export
// of the data, an event, or an error.
func TestSecretsNeverLeak(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []envOption
	}{
		{"keyring", nil},
		{"secrets file", []envOption{accounts.WithoutKeyring}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.opts...)
			var said []string // everything the package said: errors and events
			note := func(err error) {
				if err != nil {
					said = append(said, err.Error())
				}
			}
			eventsJSON := &bytes.Buffer{}
			ob := e.outbox(accounts.OutboxOptions{Notify: func(ev accounts.Event) { json.NewEncoder(eventsJSON).Encode(ev) }})

			// Linking: a wrong PIN, a PIN, a loopback.
			l, err := e.m.LinkX(e.ctx, e.linkOptions())
			note(err)
			e.srv.Authorize(l.AuthorizeURL())
			_, err = l.Finish(e.ctx, "0000000")
			note(err)
			acc := e.link()
			lo := e.linkOptions()
			lo.Loopback, lo.CallbackAddr = true, "127.0.0.1:0"
			l, err = e.m.LinkX(e.ctx, lo)
			note(err)
			said = append(said, fmt.Sprintf("%v %+v %#v %s", l, l, l, l))
			go e.srv.Authorize(l.AuthorizeURL())
			ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
			_, err = l.Wait(ctx)
			cancel()
			note(err)
			_, err = e.m.LinkX(e.ctx, accounts.LinkOptions{ConsumerKey: e.srv.ConsumerKey(), ConsumerSecret: "x" + e.srv.ConsumerSecret(), APIBase: e.srv.URL})
			note(err)

			// Publishing, through every kind of failure.
			e.schedule(acc, e.clock.Now(), "Ketju alkaa.", "Ketju jatkuu.", "Ketju päättyy.")
			e.srv.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 503, Created: true, Text: "Ketju jatkuu."},
				xtest.Failure{Endpoint: xtest.CreateTweet, Status: 429, Reset: e.clock.Now().Add(time.Minute), Text: "Ketju päättyy."})
			_, err = ob.RunDue(e.ctx)
			note(err)
			e.srv.AddTweet("Toistoa.", "")
			e.schedule(acc, e.clock.Now(), "Toistoa.")
			e.schedule(acc, e.clock.Now(), "Yhteys katkeaa.")
			e.srv.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Drop: true, Text: "Yhteys katkeaa."})
			_, err = ob.RunDue(e.ctx)
			note(err)
			_, err = ob.DryRun(e.ctx)
			note(err)
			_, err = e.m.Check(e.ctx, acc.ID)
			note(err)
			e.srv.RevokeAll()
			e.schedule(acc, e.clock.Now(), "Liitos on vanhentunut.")
			_, err = ob.RunDue(e.ctx)
			note(err)
			_, err = e.m.Check(e.ctx, acc.ID)
			note(err)
			if len(e.srv.Tweets()) < 4 {
				t.Fatalf("the run published too little to prove anything: %q", texts(e.srv.Tweets()))
			}

			// An export of everything the store holds.
			export := exportAll(t, e)
			secrets := e.srv.IssuedSecrets()
			if len(secrets) < 8 {
				t.Fatalf("only %d secrets issued", len(secrets))
			}
			log := e.log.String()
			if !strings.Contains(log, "level=debug") || !strings.Contains(log, "publishing failed") {
				t.Fatal("the log is too quiet to prove anything")
			}

			places := map[string]string{"the log": log, "the export": export, "the events": eventsJSON.String(), "the errors": strings.Join(said, "\n")}
			// The raw data folder, while Badger's write-ahead log still holds
			// recent values uncompressed: the post text shows it can be seen.
			raw := readFolder(t, e.dir)
			if !strings.Contains(raw, "Ketju alkaa.") {
				t.Fatal("the data folder's raw bytes do not show stored values; the search proves nothing")
			}
			places["the data folder"] = raw
			e.close()
			places["the closed data folder"] = readFolder(t, e.dir)

			for where, text := range places {
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("%s holds the secret %.4s…", where, s)
					}
				}
				if strings.Contains(strings.ToLower(text), "authorization") || strings.Contains(text, "oauth_signature") {
					t.Errorf("%s holds a request header", where)
				}
			}
		})
	}
}

// readFolder is every file in the data folder but the secrets file, whose
// whole point is to hold the secrets.
func readFolder(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == accounts.SecretsFileName {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		b.Write(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func exportAll(t *testing.T, e *env) string {
	t.Helper()
	posts, err := e.store.PostsBetween(e.ctx, planner.MinPostTime, planner.MaxPostTime)
	if err != nil {
		t.Fatal(err)
	}
	undated, _ := e.store.UndatedPosts(e.ctx)
	accs, _ := e.store.Accounts(e.ctx)
	settings, _ := e.store.Settings(e.ctx)
	b, err := json.Marshal(map[string]any{"posts": append(posts, undated...), "accounts": accs, "settings": settings})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
