// Package vault keeps the secrets of linked accounts (tokens, app secrets,
// sessions) in the OS keyring, or, where no keyring answers (a headless
// Linux box), in a file in the data folder that only the user can read.
// A secret never goes anywhere else: not the store, not the log, not an
// error.
package vault

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

// FileName is the fallback file in the data folder; the storage package
// knows the name as Kaiku's own.
const FileName = "secrets.json"

// keyringService is the name Kaiku's entries carry in the OS keyring.
const keyringService = "Kaiku"

// keyringTimeout bounds a keyring call: a locked keyring may wait for the
// user forever, and the outbox must not.
const keyringTimeout = 20 * time.Second

// probeTimeout bounds the first look at the keyring, which decides whether
// Kaiku uses it at all.
const probeTimeout = 3 * time.Second

// ErrDamaged says stored secrets cannot be read: the file or a keyring
// entry is not what Kaiku wrote. Only linking the account again helps.
var ErrDamaged = errors.New("the stored keys are damaged")

// ErrTimeout says the keyring did not answer in time.
var ErrTimeout = errors.New("the keyring did not answer")

// Secrets are one entry's secrets by name, such as "token".
type Secrets map[string]string

// String keeps the values out of any log line or error that prints them.
func (Secrets) String() string { return "vault.Secrets{redacted}" }

// GoString does the same for %#v.
func (Secrets) GoString() string { return "vault.Secrets{redacted}" }

// Key names an entry: an account's secrets, or an app's registration that
// several accounts share.
type Key struct{ kind, name string }

// Account is the key of a linked account's secrets.
func Account(id string) Key { return Key{"account", id} }

// App is the key of an app registration, such as Kaiku's on a Mastodon
// instance.
func App(name string) Key { return Key{"app", name} }

// keyringUser is the entry's name in the keyring: "account/ID", as Kaiku
// has always named an account's entry.
func (k Key) keyringUser() string { return k.kind + "/" + k.name }

// Keyring is the part of go-keyring Kaiku uses; tests give their own.
type Keyring interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// System is the OS keyring, through go-keyring.
func System() Keyring { return systemKeyring{} }

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
		return zero, ErrTimeout
	}
}

// Vault keeps secrets in the OS keyring, or in a 0600 file in the data
// folder where no keyring answers. Its methods are safe for concurrent use.
type Vault struct {
	mu   sync.Mutex
	kr   Keyring
	path string
	log  logrus.FieldLogger

	// The keyring is first asked when a secret is first needed, not when
	// Kaiku starts: on a desktop the first call may start the keyring's
	// daemon, and the window should not wait for it.
	probe     sync.Once
	keyringOK bool
}

// file is the fallback file's content.
type file struct {
	Version  int                `json:"version"`
	Accounts map[string]Secrets `json:"accounts"`
	Apps     map[string]Secrets `json:"apps,omitempty"`
}

func (f *file) entries(k Key) map[string]Secrets {
	if k.kind == "app" {
		if f.Apps == nil {
			f.Apps = map[string]Secrets{}
		}
		return f.Apps
	}
	return f.Accounts
}

func emptyFile() file { return file{Version: 1, Accounts: map[string]Secrets{}} }

// Open makes the vault of a data folder; kr is the keyring to try first.
func Open(dataDir string, kr Keyring, log logrus.FieldLogger) *Vault {
	return &Vault{kr: kr, path: filepath.Join(dataDir, FileName), log: log}
}

// Path is the fallback file's path.
func (v *Vault) Path() string { return v.path }

// useKeyring asks the keyring once whether it answers; every method calls it
// before reading keyringOK.
func (v *Vault) useKeyring() bool {
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

// FileInUse reports whether secrets are, or will be, kept in the file: no
// keyring answers, or the file still holds an account's keys.
func (v *Vault) FileInUse() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.useKeyring() {
		return true
	}
	f, err := v.readFile()
	return err != nil || len(f.Accounts) > 0
}

// Damaged reports whether the file cannot be read as Kaiku wrote it.
func (v *Vault) Damaged() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	_, err := v.readFile()
	return errors.Is(err, ErrDamaged)
}

// Get returns an entry's secrets: planner.ErrNotFound when there are none,
// ErrDamaged when they cannot be read, ErrTimeout when the keyring did not
// answer.
func (v *Vault) Get(k Key) (Secrets, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.useKeyring() {
		s, err := withTimeout(keyringTimeout, func() (string, error) { return v.kr.Get(keyringService, k.keyringUser()) })
		switch {
		case err == nil:
			var sec Secrets
			if json.Unmarshal([]byte(s), &sec) != nil || len(sec) == 0 {
				return nil, fmt.Errorf("the keyring entry %s: %w", k.keyringUser(), ErrDamaged)
			}
			return sec, nil
		case !errors.Is(err, keyring.ErrNotFound):
			return nil, fmt.Errorf("read %s's keys from the keyring: %w", k.keyringUser(), err)
		}
	}
	f, err := v.readFile()
	if err != nil {
		return nil, err
	}
	sec, ok := f.entries(k)[k.name]
	if !ok || len(sec) == 0 {
		return nil, fmt.Errorf("keys of %s: %w", k.keyringUser(), planner.ErrNotFound)
	}
	return sec, nil
}

// Set stores an entry's secrets: in the keyring when it answers, else in
// the file.
func (v *Vault) Set(k Key, s Secrets) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	b, err := json.Marshal(map[string]string(s))
	if err != nil {
		return err
	}
	if v.useKeyring() {
		_, err := withTimeout(keyringTimeout, func() (struct{}, error) {
			return struct{}{}, v.kr.Set(keyringService, k.keyringUser(), string(b))
		})
		if err == nil {
			// An older copy in the file must not outlive the keyring's.
			if err := v.removeFromFile(k); err != nil {
				v.log.WithField("entry", k.keyringUser()).WithField("cause", err.Error()).Warn("could not remove an old copy of the keys from the secrets file")
			}
			return nil
		}
		v.log.WithField("entry", k.keyringUser()).WithField("cause", err.Error()).
			Warn("the keyring refused the keys; keeping them in the secrets file")
	}
	f, err := v.readFile()
	if errors.Is(err, ErrDamaged) {
		// The user links the account again, as told: what cannot be read is
		// kept aside, and a new file begins.
		f, err = emptyFile(), v.setAside()
	}
	if err != nil {
		return err
	}
	f.entries(k)[k.name] = s
	return v.writeFile(f)
}

// setAside renames the damaged file to secrets.json.damaged (or
// secrets.json.damaged-TIME when that is taken), readable by its owner only.
func (v *Vault) setAside() error {
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

// Remove deletes an entry's secrets from the keyring and the file.
func (v *Vault) Remove(k Key) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.useKeyring() {
		_, err := withTimeout(keyringTimeout, func() (struct{}, error) {
			return struct{}{}, v.kr.Delete(keyringService, k.keyringUser())
		})
		if err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return fmt.Errorf("remove %s's keys from the keyring: %w", k.keyringUser(), err)
		}
	}
	return v.removeFromFile(k)
}

func (v *Vault) removeFromFile(k Key) error {
	f, err := v.readFile()
	if errors.Is(err, ErrDamaged) {
		// Nothing in it can be read or used; the accounts screen tells of it.
		v.log.WithField("entry", k.keyringUser()).Warn("the secrets file is damaged; left it as it is")
		return nil
	}
	if err != nil {
		return err
	}
	entries := f.entries(k)
	if _, ok := entries[k.name]; !ok {
		return nil
	}
	delete(entries, k.name)
	return v.writeFile(f)
}

// readFile reads the file; a missing one is empty. A file others can read
// is narrowed to its owner first.
func (v *Vault) readFile() (file, error) {
	f := emptyFile()
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
		return emptyFile(), fmt.Errorf("the secrets file %s: %w", v.path, ErrDamaged)
	}
	if f.Accounts == nil {
		f.Accounts = map[string]Secrets{}
	}
	return f, nil
}

// writeFile replaces the file atomically, readable by its owner only; an
// empty one is removed.
func (v *Vault) writeFile(f file) error {
	if len(f.Accounts) == 0 && len(f.Apps) == 0 {
		if err := os.Remove(v.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove the secrets file: %w", err)
		}
		return nil
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(v.path), FileName+".*")
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
