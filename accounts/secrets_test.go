package accounts_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
)

func TestSecretsInKeyring(t *testing.T) {
	e := newEnv(t)
	acc := e.link()
	s, err := keyring.Get("Kaiku", "account/"+acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]string
	if err := json.Unmarshal([]byte(s), &c); err != nil || c["consumer_key"] != e.srv.ConsumerKey() || c["token"] == "" || c["token_secret"] == "" {
		t.Fatalf("the keyring holds %v %v", len(c), err)
	}
	if _, err := os.Stat(filepath.Join(e.dir, accounts.SecretsFileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a secrets file beside a keyring: %v", err)
	}
	if err := e.m.Unlink(e.ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get("Kaiku", "account/"+acc.ID); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("the keyring still has the keys: %v", err)
	}
}

func fileMode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func TestSecretsFileFallback(t *testing.T) {
	e := newEnv(t, accounts.WithoutKeyring)
	path, inUse := e.m.SecretsFile()
	if !inUse || path != filepath.Join(e.dir, "secrets.json") {
		t.Fatalf("SecretsFile() = %s, %v", path, inUse)
	}
	acc := e.link()
	if runtime.GOOS != "windows" {
		if m := fileMode(t, path); m != 0o600 {
			t.Fatalf("the secrets file has mode %v", m)
		}
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), acc.ID) {
		t.Fatal("the secrets file does not hold the account")
	}
	if !strings.Contains(e.log.String(), "no system keyring answers") {
		t.Error("the fallback was not logged")
	}

	// Another start reads the keys back from the file and publishes.
	e.close()
	e.open(accounts.WithoutKeyring)
	e.schedule(acc, e.clock.Now(), "Avaimet tiedostosta.")
	if runtime.GOOS != "windows" {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if sum := e.runDue(e.outbox(accounts.OutboxOptions{})); sum.Published != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if runtime.GOOS != "windows" {
		if m := fileMode(t, path); m != 0o600 {
			t.Fatalf("a secrets file readable by others stayed %v", m)
		}
	}

	if err := e.m.Unlink(e.ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the secrets file outlived its last account: %v", err)
	}
}

// Keys kept in the file while no keyring answered move to the keyring when
// the account is linked again with one.
func TestSecretsMoveToKeyring(t *testing.T) {
	e := newEnv(t, accounts.WithoutKeyring)
	acc := e.link()
	e.close()
	e.open()
	if _, inUse := e.m.SecretsFile(); !inUse {
		t.Fatal("the file still holds keys but is not reported")
	}
	if _, err := e.m.Check(e.ctx, acc.ID); err != nil {
		t.Fatalf("the keys in the file were not found: %v", err)
	}
	e.relink(acc)
	if path, inUse := e.m.SecretsFile(); inUse {
		t.Fatalf("%s is still in use", path)
	}
	if !accounts.HasSecrets(e.m, acc.ID) {
		t.Fatal("the keys are gone")
	}
}

// A damaged secrets file says so, everywhere, and what to do: link the
// account again, which sets the damaged file aside and starts a new one.
func TestDamagedSecretsFile(t *testing.T) {
	e := newEnv(t, accounts.WithoutKeyring)
	acc := e.link()
	p := e.schedule(acc, e.clock.Now(), "Odottaa avaimia.")
	path, _ := e.m.SecretsFile()
	garbage := []byte(`{"accounts": {"x": "tokenLikeGarbage123"`)
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	if !e.m.SecretsDamaged() {
		t.Fatal("the damaged file is not reported")
	}
	_, err := e.m.Check(e.ctx, acc.ID)
	if err == nil || strings.Contains(err.Error(), "tokenLikeGarbage123") {
		t.Fatalf("a damaged file: %v", err)
	}
	if errors.Is(err, planner.ErrNotFound) || errorKey(err) != "outbox.error.secrets_damaged" {
		t.Fatalf("a damaged file: %v (key %q)", err, errorKey(err))
	}
	if a := e.account(acc.ID); a.Status != planner.AccountNeedsRelink {
		t.Fatalf("account %+v", a)
	}

	// The post waits, saying why, and so does every run after.
	var events []accounts.Event
	ob := e.outbox(accounts.OutboxOptions{Notify: func(ev accounts.Event) { events = append(events, ev) }})
	for range 2 {
		sum := e.runDue(ob)
		if got := e.post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.secrets_damaged" || sum.Waiting != 1 {
			t.Fatalf("post %+v, summary %+v", got, sum)
		}
	}
	if e.srv.Count(xtest.CreateTweet) != 0 {
		t.Fatal("posted without keys")
	}

	// Linking again keeps the damaged file beside the new one.
	e.relink(acc)
	if e.m.SecretsDamaged() {
		t.Fatal("still damaged after linking again")
	}
	if b, err := os.ReadFile(path + ".damaged"); err != nil || string(b) != string(garbage) {
		t.Fatalf("the damaged file was not kept: %q %v", b, err)
	}
	e.clock.Advance(time.Hour)
	if sum := e.runDue(ob); sum.Published != 1 {
		t.Fatalf("after linking again: %+v", sum)
	}
}

// A damaged file does not stop an account from being unlinked.
func TestUnlinkWithDamagedSecretsFile(t *testing.T) {
	e := newEnv(t, accounts.WithoutKeyring)
	acc := e.link()
	path, _ := e.m.SecretsFile()
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := e.m.Unlink(e.ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Account(e.ctx, acc.ID); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("the account is still there: %v", err)
	}
}

// A keyring entry Kaiku cannot read is damaged too, not a locked keyring.
func TestDamagedKeyringEntry(t *testing.T) {
	e := newEnv(t)
	acc := e.link()
	if err := keyring.Set("Kaiku", "account/"+acc.ID, "{not json"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.Check(e.ctx, acc.ID); errorKey(err) != "outbox.error.secrets_damaged" {
		t.Fatalf("a damaged entry: %v", err)
	}
}
