package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
)

// Options configure a Manager.
type Options struct {
	// Store keeps accounts' metadata, posts and settings. Required.
	Store planner.Store
	// DataDir is the data folder, where secrets.json goes when no keyring
	// answers. Required.
	DataDir string
	// Logger receives the package's log; nil uses logrus's standard logger.
	// Nothing logged ever holds a token, a secret or a request's headers.
	Logger logrus.FieldLogger
	// HTTPClient makes the network calls; nil uses one with a 30 s timeout.
	HTTPClient *http.Client
	// Now is the clock; nil uses time.Now.
	Now func() time.Time
	// Sleep waits between retries and for rate limits to lift, returning
	// early with ctx's error; nil waits for real.
	Sleep func(ctx context.Context, d time.Duration) error

	keyring keyringAPI // tests replace the OS keyring
}

// Manager links and unlinks accounts, keeps their secrets and makes their
// publishers. Its methods are safe for concurrent use.
type Manager struct {
	store planner.Store
	vault *vault
	log   logrus.FieldLogger
	http  *http.Client
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// New makes a Manager. It looks at the OS keyring once: when none answers,
// secrets go to DataDir/secrets.json (see SecretsFile).
func New(opts Options) (*Manager, error) {
	if opts.Store == nil || opts.DataDir == "" {
		return nil, errors.New("accounts: a store and a data folder are required")
	}
	m := &Manager{store: opts.Store, log: opts.Logger, http: opts.HTTPClient, now: opts.Now, sleep: opts.Sleep}
	if m.log == nil {
		m.log = logrus.StandardLogger()
	}
	m.log = m.log.WithField("component", "accounts")
	switch {
	case m.http == nil:
		m.http = &http.Client{Timeout: 30 * time.Second}
	case m.http.Timeout == 0:
		// A stalled connection must not hold the outbox forever.
		c := *m.http
		c.Timeout = 30 * time.Second
		m.http = &c
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.sleep == nil {
		m.sleep = sleepContext
	}
	kr := opts.keyring
	if kr == nil {
		kr = systemKeyring{}
	}
	m.vault = openVault(opts.DataDir, kr, m.log)
	return m, nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SecretsFile reports where the fallback secrets file is, and whether it is
// in use: no keyring answered, or the file still holds an account's keys.
// The accounts screen shows a warning (key accounts.secrets.file) while it is.
func (m *Manager) SecretsFile() (path string, inUse bool) {
	return m.vault.path, m.vault.fileInUse()
}

// SecretsDamaged reports whether the secrets file cannot be read: the keys
// of the accounts in it are lost, and the accounts must be linked again,
// which sets the damaged file aside. The accounts screen says so (key
// accounts.secrets.damaged).
func (m *Manager) SecretsDamaged() bool {
	return m.vault.damaged()
}

// Unlink removes every secret of the account, from the keyring and the
// file, then its metadata. Posts that target it stay; when due they wait
// for the user (outbox.error.account_gone). An unknown ID wraps
// planner.ErrNotFound, after any secrets left under it are removed.
func (m *Manager) Unlink(ctx context.Context, accountID string) error {
	if err := m.vault.remove(accountID); err != nil {
		return newError(keyUnlinkSecrets, err)
	}
	if err := m.store.DeleteAccount(ctx, accountID); err != nil {
		return err
	}
	m.log.WithField("account", accountID).Info("account unlinked")
	return nil
}

// Check asks the network who the account is, the accounts screen's "Test".
// It refreshes the handle and name and the status: an account X no longer
// accepts becomes needs-relink, and the error says so (outbox.error.relink).
func (m *Manager) Check(ctx context.Context, accountID string) (planner.Account, error) {
	acc, err := m.store.Account(ctx, accountID)
	if err != nil {
		return planner.Account{}, err
	}
	if acc.Network != planner.NetworkX {
		return acc, newError(keyUnsupported, nil)
	}
	c, err := m.vault.get(acc.ID)
	switch {
	case errors.Is(err, planner.ErrNotFound):
		return m.needsRelink(ctx, acc, newError(keyRelink, err))
	case errors.Is(err, errSecretsDamaged):
		return m.needsRelink(ctx, acc, newError(keySecretsDamaged, err))
	case err != nil:
		return acc, newError(keySecrets, err)
	}
	api, err := m.xAccountAPI(acc, c)
	if err != nil {
		return acc, err
	}
	u, err := api.me(ctx)
	if err != nil {
		if e := asError(err); e.kind == kindAuth {
			return m.needsRelink(ctx, acc, e)
		}
		return acc, err
	}
	acc.Handle, acc.Name, acc.RemoteID, acc.Status, acc.Updated = u.Username, u.Name, u.ID, planner.AccountLinked, m.now()
	if err := m.store.SaveAccount(ctx, acc); err != nil {
		return acc, err
	}
	return acc, nil
}

// needsRelink marks the account as needing a new link and returns cause.
func (m *Manager) needsRelink(ctx context.Context, acc planner.Account, cause *Error) (planner.Account, error) {
	if acc.Status != planner.AccountNeedsRelink {
		acc.Status, acc.Updated = planner.AccountNeedsRelink, m.now()
		if err := m.store.SaveAccount(ctx, acc); err != nil {
			return acc, err
		}
		m.log.WithField("account", acc.ID).WithField("reason", cause.Key).Warn("account needs to be linked again")
	}
	return acc, cause
}

// relinkReason says why an account that needs a new link does: its keys
// stored here are damaged, or else X no longer accepts them.
func (m *Manager) relinkReason(accountID string) string {
	if _, err := m.vault.get(accountID); errors.Is(err, errSecretsDamaged) {
		return keySecretsDamaged
	}
	return keyRelink
}

// Publisher returns the publisher of a linked account. An account whose
// keys are gone is marked needs-relink and the error says so.
func (m *Manager) Publisher(ctx context.Context, acc planner.Account) (Publisher, error) {
	if acc.Network != planner.NetworkX {
		return nil, newError(keyUnsupported, fmt.Errorf("network %s", acc.Network))
	}
	c, err := m.vault.get(acc.ID)
	switch {
	case errors.Is(err, planner.ErrNotFound):
		_, err := m.needsRelink(ctx, acc, &Error{Key: keyRelink, Msg: Message(keyRelink), Err: err, kind: kindAuth})
		return nil, err
	case errors.Is(err, errSecretsDamaged):
		// The keys are lost: only a new link brings them back.
		_, err := m.needsRelink(ctx, acc, &Error{Key: keySecretsDamaged, Msg: Message(keySecretsDamaged), Err: err, kind: kindAuth})
		return nil, err
	case err != nil:
		return nil, &Error{Key: keySecrets, Msg: Message(keySecrets), Err: err, kind: kindSecrets}
	}
	return m.xAccountAPI(acc, c)
}
