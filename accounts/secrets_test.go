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
	"github.com/kaiku-app/kaiku/accounts/accountstest"
	"github.com/kaiku-app/kaiku/accounts/xtest"
	"github.com/kaiku-app/kaiku/planner"
)

func TestSecretsInKeyring(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	s, err := keyring.Get("Kaiku", "account/"+acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]string
	if err := json.Unmarshal([]byte(s), &c); err != nil || c["consumer_key"] != e.X.ConsumerKey() || c["token"] == "" || c["token_secret"] == "" {
		t.Fatalf("the keyring holds %v %v", len(c), err)
	}
	if _, err := os.Stat(filepath.Join(e.Dir, accounts.SecretsFileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a secrets file beside a keyring: %v", err)
	}
	if _, err := e.M.Unlink(e.Ctx, acc.ID); err != nil {
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
	e := newEnv(t, accountstest.WithoutKeyring)
	path, inUse := e.M.SecretsFile()
	if !inUse || path != filepath.Join(e.Dir, "secrets.json") {
		t.Fatalf("SecretsFile() = %s, %v", path, inUse)
	}
	acc := e.LinkX()
	if runtime.GOOS != "windows" {
		if m := fileMode(t, path); m != 0o600 {
			t.Fatalf("the secrets file has mode %v", m)
		}
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), acc.ID) {
		t.Fatal("the secrets file does not hold the account")
	}
	if !strings.Contains(e.Log.String(), "no system keyring answers") {
		t.Error("the fallback was not logged")
	}

	// Another start reads the keys back from the file and publishes.
	e.Close()
	e.Open(accountstest.WithoutKeyring)
	e.Schedule(acc, e.Clock.Now(), "Avaimet tiedostosta.")
	if runtime.GOOS != "windows" {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if sum := e.RunDue(e.Outbox(accounts.OutboxOptions{})); sum.Published != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if runtime.GOOS != "windows" {
		if m := fileMode(t, path); m != 0o600 {
			t.Fatalf("a secrets file readable by others stayed %v", m)
		}
	}

	if _, err := e.M.Unlink(e.Ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the secrets file outlived its last account: %v", err)
	}
}

// Keys kept in the file while no keyring answered move to the keyring when
// the account is linked again with one.
func TestSecretsMoveToKeyring(t *testing.T) {
	e := newEnv(t, accountstest.WithoutKeyring)
	acc := e.LinkX()
	e.Close()
	e.Open()
	if _, inUse := e.M.SecretsFile(); !inUse {
		t.Fatal("the file still holds keys but is not reported")
	}
	if _, err := e.M.Check(e.Ctx, acc.ID); err != nil {
		t.Fatalf("the keys in the file were not found: %v", err)
	}
	e.RelinkX(acc)
	if path, inUse := e.M.SecretsFile(); inUse {
		t.Fatalf("%s is still in use", path)
	}
	if !accounts.HasSecrets(e.M, acc.ID) {
		t.Fatal("the keys are gone")
	}
}

// A damaged secrets file says so, everywhere, and what to do: link the
// account again, which sets the damaged file aside and starts a new one.
func TestDamagedSecretsFile(t *testing.T) {
	e := newEnv(t, accountstest.WithoutKeyring)
	acc := e.LinkX()
	p := e.Schedule(acc, e.Clock.Now(), "Odottaa avaimia.")
	path, _ := e.M.SecretsFile()
	garbage := []byte(`{"accounts": {"x": "tokenLikeGarbage123"`)
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	if !e.M.SecretsDamaged() {
		t.Fatal("the damaged file is not reported")
	}
	_, err := e.M.Check(e.Ctx, acc.ID)
	if err == nil || strings.Contains(err.Error(), "tokenLikeGarbage123") {
		t.Fatalf("a damaged file: %v", err)
	}
	if errors.Is(err, planner.ErrNotFound) || accountstest.ErrorKey(err) != "outbox.error.secrets_damaged" {
		t.Fatalf("a damaged file: %v (key %q)", err, accountstest.ErrorKey(err))
	}
	if a := e.Account(acc.ID); a.Status != planner.AccountNeedsRelink {
		t.Fatalf("account %+v", a)
	}

	// The post waits, saying why, and so does every run after.
	var events []accounts.Event
	ob := e.Outbox(accounts.OutboxOptions{Notify: func(ev accounts.Event) { events = append(events, ev) }})
	for range 2 {
		sum := e.RunDue(ob)
		if got := e.Post(p.ID); got.Status != planner.StatusScheduled || got.LastError != "outbox.error.secrets_damaged" || sum.Waiting != 1 {
			t.Fatalf("post %+v, summary %+v", got, sum)
		}
	}
	if e.X.Count(xtest.CreateTweet) != 0 {
		t.Fatal("posted without keys")
	}

	// Linking again keeps the damaged file beside the new one.
	e.RelinkX(acc)
	if e.M.SecretsDamaged() {
		t.Fatal("still damaged after linking again")
	}
	if b, err := os.ReadFile(path + ".damaged"); err != nil || string(b) != string(garbage) {
		t.Fatalf("the damaged file was not kept: %q %v", b, err)
	}
	e.Clock.Advance(time.Hour)
	if sum := e.RunDue(ob); sum.Published != 1 {
		t.Fatalf("after linking again: %+v", sum)
	}
}

// A damaged file does not stop an account from being unlinked.
func TestUnlinkWithDamagedSecretsFile(t *testing.T) {
	e := newEnv(t, accountstest.WithoutKeyring)
	acc := e.LinkX()
	path, _ := e.M.SecretsFile()
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := e.M.Unlink(e.Ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Account(e.Ctx, acc.ID); !errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("the account is still there: %v", err)
	}
}

// A keyring entry Kaiku cannot read is damaged too, not a locked keyring.
func TestDamagedKeyringEntry(t *testing.T) {
	e := newEnv(t)
	acc := e.LinkX()
	if err := keyring.Set("Kaiku", "account/"+acc.ID, "{not json"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.M.Check(e.Ctx, acc.ID); accountstest.ErrorKey(err) != "outbox.error.secrets_damaged" {
		t.Fatalf("a damaged entry: %v", err)
	}
}
