package accounts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/accountstest"
	"github.com/kaiku-app/kaiku/accounts/bluesky/blueskytest"
	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
	"github.com/kaiku-app/kaiku/accounts/mastodon/mastodontest"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
)

// A full run at debug level, failures included, leaves no token or secret
// in the log, the data folder (but for the secrets file itself), an export
// of the data, an event, or an error.
func TestSecretsNeverLeak(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []accountstest.Option
	}{
		{"keyring", nil},
		{"secrets file", []accountstest.Option{accountstest.WithoutKeyring}},
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
			ob := e.Outbox(accounts.OutboxOptions{Notify: func(ev accounts.Event) { json.NewEncoder(eventsJSON).Encode(ev) }})

			// Linking: a wrong PIN, a PIN, a loopback.
			l, err := e.M.LinkX(e.Ctx, e.XLinkOptions())
			note(err)
			e.X.Authorize(l.AuthorizeURL())
			_, err = l.Finish(e.Ctx, "0000000")
			note(err)
			acc := e.LinkX()
			lo := e.XLinkOptions()
			lo.Loopback, lo.CallbackAddr = true, "127.0.0.1:0"
			l, err = e.M.LinkX(e.Ctx, lo)
			note(err)
			said = append(said, fmt.Sprintf("%v %+v %#v %s", l, l, l, l))
			go e.X.Authorize(l.AuthorizeURL())
			ctx, cancel := context.WithTimeout(e.Ctx, 10*time.Second)
			_, err = l.Wait(ctx)
			cancel()
			note(err)
			_, err = e.M.LinkX(e.Ctx, accounts.LinkOptions{ConsumerKey: e.X.ConsumerKey(), ConsumerSecret: "x" + e.X.ConsumerSecret(), APIBase: e.X.URL})
			note(err)

			// Publishing, through every kind of failure.
			e.Schedule(acc, e.Clock.Now(), "Ketju alkaa.", "Ketju jatkuu.", "Ketju päättyy.")
			e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 503, Created: true, Text: "Ketju jatkuu."},
				xtest.Failure{Endpoint: xtest.CreateTweet, Status: 429, Reset: e.Clock.Now().Add(time.Minute), Text: "Ketju päättyy."})
			_, err = ob.RunDue(e.Ctx)
			note(err)
			e.X.AddTweet("Toistoa.", "")
			e.Schedule(acc, e.Clock.Now(), "Toistoa.")
			e.Schedule(acc, e.Clock.Now(), "Yhteys katkeaa.")
			e.X.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Drop: true, Text: "Yhteys katkeaa."})
			_, err = ob.RunDue(e.Ctx)
			note(err)
			_, err = ob.DryRun(e.Ctx)
			note(err)
			_, err = e.M.Check(e.Ctx, acc.ID)
			note(err)
			e.X.RevokeAll()
			e.Schedule(acc, e.Clock.Now(), "Liitos on vanhentunut.")
			_, err = ob.RunDue(e.Ctx)
			note(err)
			_, err = e.M.Check(e.Ctx, acc.ID)
			note(err)
			if len(e.X.Tweets()) < 4 {
				t.Fatalf("the run published too little to prove anything: %q", accountstest.Texts(e.X.Tweets()))
			}

			// The other networks: linking, a thread, failures, a check, unlinking.
			masto := e.Mastodon(mastodontest.Options{PKCE: true})
			bsky := e.Bluesky(blueskytest.Options{AccessTTL: time.Minute})
			li := e.LinkedIn(linkedintest.Options{})
			m, b, lin := e.LinkMastodon(masto, false, ""), e.LinkBluesky(bsky), e.LinkLinkedIn(li)
			_, err = e.M.LinkBluesky(e.Ctx, accounts.BlueskyOptions{Service: bsky.URL, Handle: bsky.Handle(), AppPassword: "x" + bsky.AppPassword()})
			note(err)
			masto.Fail(mastodontest.Failure{Endpoint: mastodontest.Statuses, Status: 500, Created: true})
			bsky.Fail(blueskytest.Failure{Endpoint: blueskytest.PutRecord, Drop: true, Created: true})
			li.Fail(linkedintest.Failure{Endpoint: linkedintest.Posts, Drop: true, Created: true})
			th := e.ScheduleTo([]planner.Account{m, b, lin}, e.Clock.Now(), "Ketju alkaa.", "Ketju jatkuu.")
			// Images, their uploads failing once on the way.
			e.AttachImages(th.ID, accountstest.ImageFile{Data: accountstest.Photo(t, 30, 20, 1), Alt: "Kuva ketjun alusta"})
			masto.Fail(mastodontest.Failure{Endpoint: mastodontest.Upload, Status: 503})
			li.Fail(linkedintest.Failure{Endpoint: linkedintest.ImageUpload, Drop: true})
			e.Clock.Advance(2 * time.Minute) // Bluesky's session renews
			_, err = ob.RunDue(e.Ctx)
			note(err)
			for _, a := range []planner.Account{m, b, lin} {
				_, err = e.M.Check(e.Ctx, a.ID)
				note(err)
			}
			masto.RevokeAll()
			e.Schedule(m, e.Clock.Now(), "Peruttu.")
			_, err = ob.RunDue(e.Ctx)
			note(err)
			_, err = e.M.Unlink(e.Ctx, m.ID)
			note(err)
			if len(masto.Statuses()) < 2 || len(bsky.Records()) < 2 || len(li.Posts()) < 1 || len(masto.Media()) < 1 || len(li.Images()) < 1 {
				t.Fatalf("too little went out to prove anything: %d %d %d", len(masto.Statuses()), len(bsky.Records()), len(li.Posts()))
			}

			// An export of everything the store holds.
			export := exportAll(t, e)
			secrets := e.X.IssuedSecrets()
			if len(secrets) < 8 {
				t.Fatalf("only %d secrets issued", len(secrets))
			}
			secrets = append(secrets, masto.IssuedSecrets()...)
			secrets = append(secrets, bsky.IssuedSecrets()...)
			secrets = append(secrets, li.IssuedSecrets()...)
			log := e.Log.String()
			if !strings.Contains(log, "level=debug") || !strings.Contains(log, "publishing failed") {
				t.Fatal("the log is too quiet to prove anything")
			}

			places := map[string]string{"the log": log, "the export": export, "the events": eventsJSON.String(), "the errors": strings.Join(said, "\n")}
			// The raw data folder, while Badger's write-ahead log still holds
			// recent values uncompressed: the post text shows it can be seen.
			raw := readFolder(t, e.Dir)
			if !strings.Contains(raw, "Ketju alkaa.") {
				t.Fatal("the data folder's raw bytes do not show stored values; the search proves nothing")
			}
			places["the data folder"] = raw
			e.Close()
			places["the closed data folder"] = readFolder(t, e.Dir)

			for where, text := range places {
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("%s holds the secret %.4s…", where, s)
					}
				}
				if m := headerRE.FindStringIndex(text); m != nil {
					t.Errorf("%s holds a request header: %q", where, text[max(m[0]-100, 0):min(m[1]+100, len(text))])
				}
				if strings.Contains(text, "oauth_signature") {
					t.Errorf("%s holds a request's signature", where)
				}
			}
		})
	}
}

// headerRE finds an Authorization header or a bearer token, printed in any
// of the usual ways.
var headerRE = regexp.MustCompile(`(?i)authorization["']?\s*[:=]|bearer\s+\S`)

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

func exportAll(t *testing.T, e *accountstest.Env) string {
	t.Helper()
	posts, err := e.Store.PostsBetween(e.Ctx, planner.MinPostTime, planner.MaxPostTime)
	if err != nil {
		t.Fatal(err)
	}
	undated, _ := e.Store.UndatedPosts(e.Ctx)
	accs, _ := e.Store.Accounts(e.Ctx)
	settings, _ := e.Store.Settings(e.Ctx)
	b, err := json.Marshal(map[string]any{"posts": append(posts, undated...), "accounts": accs, "settings": settings})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
