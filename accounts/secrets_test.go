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

	"github.com/zalando/go-keyring"

	"github.com/kaiku-app/kaiku/accounts"
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
	opts := e.linkOptions()
	opts.AccountID = acc.ID
	l, err := e.m.LinkX(e.ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	pin, _ := e.srv.Authorize(l.AuthorizeURL())
	if _, err := l.Finish(e.ctx, pin); err != nil {
		t.Fatal(err)
	}
	if path, inUse := e.m.SecretsFile(); inUse {
		t.Fatalf("%s is still in use", path)
	}
	if !accounts.HasSecrets(e.m, acc.ID) {
		t.Fatal("the keys are gone")
	}
}

func TestDamagedSecretsFile(t *testing.T) {
	e := newEnv(t, accounts.WithoutKeyring)
	acc := e.link()
	path, _ := e.m.SecretsFile()
	if err := os.WriteFile(path, []byte(`{"accounts": {"x": "tokenLikeGarbage123"`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := e.m.Check(e.ctx, acc.ID)
	if err == nil || strings.Contains(err.Error(), "tokenLikeGarbage123") {
		t.Fatalf("a damaged file: %v", err)
	}
	if errors.Is(err, planner.ErrNotFound) {
		t.Fatalf("a damaged file reads as no keys: %v", err)
	}
}
