package accounts

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/zalando/go-keyring"

	"github.com/kaiku-app/kaiku/planner"
)

// SecretsFileName is the fallback file in the data folder; the storage
// package knows the name as Kaiku's own.
const SecretsFileName = "secrets.json"

// keyringService is the name Kaiku's entries carry in the OS keyring.
const keyringService = "Kaiku"

// keyringTimeout bounds a keyring call: a locked keyring may wait for the
// user forever, and the outbox must not.
const keyringTimeout = 20 * time.Second

// probeTimeout bounds the first look at the keyring, which decides whether
// Kaiku uses it at all.
const probeTimeout = 3 * time.Second

// credentials are one account's OAuth 1.0a secrets.
type credentials struct {
	ConsumerKey    string `json:"consumer_key"`
	ConsumerSecret string `json:"consumer_secret"`
	Token          string `json:"token"`
	TokenSecret    string `json:"token_secret"`
}

// String keeps the values out of any log line or error that prints credentials.
func (credentials) String() string { return "credentials{redacted}" }

// GoString does the same for %#v.
func (credentials) GoString() string { return "credentials{redacted}" }

func (c credentials) complete() bool {
	return c.ConsumerKey != "" && c.ConsumerSecret != "" && c.Token != "" && c.TokenSecret != ""
}

// keyringAPI is the part of go-keyring Kaiku uses.
type keyringAPI interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// systemKeyring is the OS keyring through go-keyring.
type systemKeyring struct{}

// keyringMu serializes go-keyring calls: the keyring is one per process, and
// go-keyring's own test double is not safe for concurrent use.
var keyringMu sync.Mutex

func (systemKeyring) Set(service, user, secret string) error {
	keyringMu.Lock()
	defer keyringMu.Unlock()
	return keyring.Set(service, user, secret)
}

func (systemKeyring) Get(service, user string) (string, error) {
	keyringMu.Lock()
	defer keyringMu.Unlock()
	return keyring.Get(service, user)
}

func (systemKeyring) Delete(service, user string) error {
	keyringMu.Lock()
	defer keyringMu.Unlock()
	return keyring.Delete(service, user)
}

// errSecretsDamaged says stored keys cannot be read: the file or a keyring
// entry is not what Kaiku wrote. Only linking the account again helps.
var errSecretsDamaged = errors.New("the stored keys are damaged")

// errKeyringTimeout says the keyring did not answer in time.
var errKeyringTimeout = errors.New("the keyring did not answer")

// withTimeout runs fn, giving up after d; the call may finish later unseen.
func withTimeout[T any](d time.Duration, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := fn()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(d):
		var zero T
		return zero, errKeyringTimeout
	}
}

// vault keeps credentials in the OS keyring, or in a 0600 file in the data
// folder where no keyring answers.
type vault struct {
	mu   sync.Mutex
	kr   keyringAPI
	path string
	log  logrus.FieldLogger

	// The keyring is first asked when a secret is first needed, not when
	// Kaiku starts: on a desktop the first call may start the keyring's
	// daemon, and the window should not wait for it.
	probe     sync.Once
	keyringOK bool
}

// secretsFile is the fallback file's content.
type secretsFile struct {
	Version  int                    `json:"version"`
	Accounts map[string]credentials `json:"accounts"`
}

func openVault(dataDir string, kr keyringAPI, log logrus.FieldLogger) *vault {
	return &vault{kr: kr, path: filepath.Join(dataDir, SecretsFileName), log: log}
}

// useKeyring asks the keyring once whether it answers; every method calls it
// before reading keyringOK.
func (v *vault) useKeyring() bool {
	v.probe.Do(func() {
		// A missing entry is the answer of a keyring that works.
		_, err := withTimeout(probeTimeout, func() (string, error) { return v.kr.Get(keyringService, "probe") })
		v.keyringOK = err == nil || errors.Is(err, keyring.ErrNotFound)
		if !v.keyringOK {
			// The accounts screen and 'accounts list' say so; each run of a
			// scheduled command need not.
			v.log.WithField("file", v.path).WithField("cause", err.Error()).
				Info("no system keyring answers; account keys go to a file only this user can read")
		}
	})
	return v.keyringOK
}

func keyringUser(accountID string) string { return "account/" + accountID }

// fileInUse reports whether secrets are, or will be, kept in the file.
func (v *vault) fileInUse() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.useKeyring() {
		return true
	}
	f, err := v.readFile()
	return err != nil || len(f.Accounts) > 0
}

// damaged reports whether the secrets file cannot be read as Kaiku wrote it.
func (v *vault) damaged() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	_, err := v.readFile()
	return errors.Is(err, errSecretsDamaged)
}

// get returns an account's credentials; planner.ErrNotFound when there are none.
func (v *vault) get(accountID string) (credentials, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.useKeyring() {
		s, err := withTimeout(keyringTimeout, func() (string, error) { return v.kr.Get(keyringService, keyringUser(accountID)) })
		switch {
		case err == nil:
			var c credentials
			if json.Unmarshal([]byte(s), &c) != nil || !c.complete() {
				return credentials{}, fmt.Errorf("the keyring entry of account %s: %w", accountID, errSecretsDamaged)
			}
			return c, nil
		case !errors.Is(err, keyring.ErrNotFound):
			return credentials{}, fmt.Errorf("read account %s's keys from the keyring: %w", accountID, err)
		}
	}
	f, err := v.readFile()
	if err != nil {
		return credentials{}, err
	}
	c, ok := f.Accounts[accountID]
	if !ok || !c.complete() {
		return credentials{}, fmt.Errorf("keys of account %s: %w", accountID, planner.ErrNotFound)
	}
	return c, nil
}

// set stores an account's credentials: in the keyring when it answers, else in the file.
func (v *vault) set(accountID string, c credentials) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if v.useKeyring() {
		_, err := withTimeout(keyringTimeout, func() (struct{}, error) {
			return struct{}{}, v.kr.Set(keyringService, keyringUser(accountID), string(b))
		})
		if err == nil {
			// An older copy in the file must not outlive the keyring's.
			if err := v.removeFromFile(accountID); err != nil {
				v.log.WithField("account", accountID).WithField("cause", err.Error()).Warn("could not remove an old copy of the account's keys from the secrets file")
			}
			return nil
		}
		v.log.WithField("account", accountID).WithField("cause", err.Error()).
			Warn("the keyring refused the account's keys; keeping them in the secrets file")
	}
	f, err := v.readFile()
	if errors.Is(err, errSecretsDamaged) {
		// The user links the account again, as told: what cannot be read is
		// kept aside, and a new file begins.
		err = v.setAside()
	}
	if err != nil {
		return err
	}
	f.Accounts[accountID] = c
	return v.writeFile(f)
}

// setAside renames the damaged secrets file to secrets.json.damaged (or
// secrets.json.damaged-TIME when that is taken), readable by its owner only.
func (v *vault) setAside() error {
	aside := v.path + ".damaged"
	if _, err := os.Lstat(aside); err == nil {
		aside += "-" + time.Now().UTC().Format("20060102T150405Z")
	}
	if err := os.Rename(v.path, aside); err != nil {
		return fmt.Errorf("set the damaged secrets file aside: %w", err)
	}
	v.log.WithField("file", aside).Warn("the secrets file was damaged; kept it aside and started a new one")
	return nil
}

// remove deletes an account's credentials from the keyring and the file.
func (v *vault) remove(accountID string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.useKeyring() {
		_, err := withTimeout(keyringTimeout, func() (struct{}, error) {
			return struct{}{}, v.kr.Delete(keyringService, keyringUser(accountID))
		})
		if err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return fmt.Errorf("remove account %s's keys from the keyring: %w", accountID, err)
		}
	}
	return v.removeFromFile(accountID)
}

func (v *vault) removeFromFile(accountID string) error {
	f, err := v.readFile()
	if errors.Is(err, errSecretsDamaged) {
		// Nothing in it can be read or used; the accounts screen tells of it.
		v.log.WithField("account", accountID).Warn("the secrets file is damaged; left it as it is")
		return nil
	}
	if err != nil {
		return err
	}
	if _, ok := f.Accounts[accountID]; !ok {
		return nil
	}
	delete(f.Accounts, accountID)
	return v.writeFile(f)
}

// readFile reads the secrets file; a missing one is empty. A file others can
// read is narrowed to its owner first.
func (v *vault) readFile() (secretsFile, error) {
	f := secretsFile{Version: 1, Accounts: map[string]credentials{}}
	info, err := os.Stat(v.path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("look at the secrets file: %w", err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(v.path, 0o600); err != nil {
			return f, fmt.Errorf("make the secrets file private: %w", err)
		}
		v.log.WithField("file", v.path).Warn("the secrets file was readable by others; made it private")
	}
	b, err := os.ReadFile(v.path)
	if err != nil {
		return f, fmt.Errorf("read the secrets file: %w", err)
	}
	// The decoder's messages quote the input, so its error stays out of ours.
	if json.Unmarshal(b, &f) != nil {
		return secretsFile{Version: 1, Accounts: map[string]credentials{}}, fmt.Errorf("the secrets file %s: %w", v.path, errSecretsDamaged)
	}
	if f.Accounts == nil {
		f.Accounts = map[string]credentials{}
	}
	return f, nil
}

// writeFile replaces the secrets file atomically, readable by its owner
// only; an empty one is removed.
func (v *vault) writeFile(f secretsFile) error {
	if len(f.Accounts) == 0 {
		if err := os.Remove(v.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove the secrets file: %w", err)
		}
		return nil
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(v.path), SecretsFileName+".*")
	if err != nil {
		return fmt.Errorf("write the secrets file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return fmt.Errorf("write the secrets file: %w", err)
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), v.path)
	}
	if err != nil {
		return fmt.Errorf("write the secrets file: %w", err)
	}
	return nil
}
