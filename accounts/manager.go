package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/accounts/outbox"
	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/accounts/vault"
	"github.com/kaiku-app/kaiku/planner"
)

// What the accounts package hands out under the names its callers know.
type (
	// Error is a failure Kaiku can explain to the user.
	Error = explain.Error
	// Outbox publishes due posts; OutboxOptions tune it; Event tells of
	// its changes; Summary is what a run did.
	Outbox        = outbox.Outbox
	OutboxOptions = outbox.Options
	Event         = outbox.Event
	Summary       = outbox.Summary
)

// SecretsFileName is the fallback file in the data folder.
const SecretsFileName = vault.FileName

// Message returns the English text of a translation key the package uses,
// for use as the fallback of a translation; an unknown key comes back as is.
func Message(key string) string { return explain.Message(key) }

// TranslationKeys lists, sorted, every translation key the package can hand
// to the app: errors, post states and notifications.
func TranslationKeys() []string { return explain.Keys() }

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
	// Keyring is where secrets go first; nil is the OS keyring.
	Keyring vault.Keyring
}

// Manager links and unlinks accounts, keeps their secrets and makes their
// publishers. Its methods are safe for concurrent use.
type Manager struct {
	store planner.Store
	vault *vault.Vault
	log   logrus.FieldLogger
	http  *http.Client
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

var _ outbox.Publishers = (*Manager)(nil)

// New makes a Manager. The keyring is first asked when a secret is first
// needed: when none answers, secrets go to DataDir/secrets.json (see
// SecretsFile).
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
	kr := opts.Keyring
	if kr == nil {
		kr = vault.System()
	}
	m.vault = vault.Open(opts.DataDir, kr, m.log)
	return m, nil
}

// NewOutbox makes the outbox that publishes through the manager's accounts;
// the options' store, publishers, log and clock default to the manager's.
func (m *Manager) NewOutbox(opts OutboxOptions) *Outbox {
	if opts.Store == nil {
		opts.Store = m.store
	}
	if opts.Publishers == nil {
		opts.Publishers = m
	}
	if opts.Log == nil {
		opts.Log = m.log
	}
	if opts.Now == nil {
		opts.Now = m.now
	}
	if opts.Sleep == nil {
		opts.Sleep = m.sleep
	}
	return outbox.New(opts)
}

// trace logs a request to a network, never its headers or body.
func (m *Manager) trace(e remote.Exchange) {
	f := logrus.Fields{"network": e.Network, "method": e.Method, "path": e.Path, "status": e.Status, "took": e.Took.Round(time.Millisecond)}
	if e.Err != nil {
		f["cause"] = e.Err.Error()
	}
	m.log.WithFields(f).Debug("network request")
}

// SecretsFile reports where the fallback secrets file is, and whether it is
// in use: no keyring answered, or the file still holds an account's keys.
// The accounts screen shows a warning (key accounts.secrets.file) while it is.
func (m *Manager) SecretsFile() (path string, inUse bool) {
	return m.vault.Path(), m.vault.FileInUse()
}

// SecretsDamaged reports whether the secrets file cannot be read: the keys
// of the accounts in it are lost, and the accounts must be linked again,
// which sets the damaged file aside. The accounts screen says so (key
// accounts.secrets.damaged).
func (m *Manager) SecretsDamaged() bool {
	return m.vault.Damaged()
}

// secrets reads an account's secrets, with the names required present. An
// account whose secrets are gone or damaged must be linked again: the error
// wraps outbox.ErrRelink and says why; keys the keyring cannot give now
// wrap outbox.ErrKeyring.
func (m *Manager) secrets(acc planner.Account, required ...string) (vault.Secrets, error) {
	s, err := m.vault.Get(vault.Account(acc.ID))
	if err == nil {
		for _, name := range required {
			if s[name] == "" {
				err = fmt.Errorf("no %s among the keys of account %s: %w", name, acc.ID, vault.ErrDamaged)
				break
			}
		}
	}
	switch {
	case err == nil:
		return s, nil
	case errors.Is(err, planner.ErrNotFound):
		return nil, relinkError(explain.For(explain.Relink, acc.Network), err)
	case errors.Is(err, vault.ErrDamaged):
		return nil, relinkError(explain.SecretsDamaged, err)
	}
	return nil, &explain.Error{Key: explain.Secrets, Msg: explain.Message(explain.Secrets), Err: fmt.Errorf("%w: %w", outbox.ErrKeyring, err)}
}

// relinkError is an account that must be linked again, for the reason key.
func relinkError(key string, cause error) *explain.Error {
	if cause == nil {
		return &explain.Error{Key: key, Msg: explain.Message(key), Err: outbox.ErrRelink}
	}
	return &explain.Error{Key: key, Msg: explain.Message(key), Err: fmt.Errorf("%w: %w", outbox.ErrRelink, cause)}
}

// Publisher returns the publisher of a linked account (outbox.Publishers).
// An account that must be linked again (marked so, its keys gone or
// damaged, its link ended) is refused with outbox.ErrRelink.
func (m *Manager) Publisher(ctx context.Context, acc planner.Account) (outbox.Publisher, error) {
	if acc.Status == planner.AccountNeedsRelink {
		key := explain.For(explain.Relink, acc.Network)
		if _, err := m.vault.Get(vault.Account(acc.ID)); errors.Is(err, vault.ErrDamaged) {
			key = explain.SecretsDamaged
		}
		return nil, relinkError(key, nil)
	}
	switch acc.Network {
	case planner.NetworkX:
		return m.xPublisher(acc)
	case planner.NetworkMastodon:
		return m.mastodonPublisher(acc)
	case planner.NetworkBluesky:
		return m.blueskyPublisher(acc)
	case planner.NetworkLinkedIn:
		return m.linkedinPublisher(acc)
	}
	return nil, explain.New(explain.Unsupported, fmt.Errorf("network %s", acc.Network))
}

// Check asks the network who the account is, the accounts screen's "Test".
// It refreshes the handle, the name and what the network tells of its
// limits, and the status: an account the network no longer accepts
// becomes needs-relink, and the error says so.
func (m *Manager) Check(ctx context.Context, accountID string) (planner.Account, error) {
	acc, err := m.store.Account(ctx, accountID)
	if err != nil {
		return planner.Account{}, err
	}
	var checked planner.Account
	switch acc.Network {
	case planner.NetworkX:
		checked, err = m.checkX(ctx, acc)
	case planner.NetworkMastodon:
		checked, err = m.checkMastodon(ctx, acc)
	case planner.NetworkBluesky:
		checked, err = m.checkBluesky(ctx, acc)
	case planner.NetworkLinkedIn:
		checked, err = m.checkLinkedIn(ctx, acc)
	default:
		return acc, explain.New(explain.Unsupported, nil)
	}
	if err != nil {
		if errors.Is(err, outbox.ErrRelink) || remote.KindOf(err) == remote.KindAuth {
			return m.needsRelink(ctx, acc, err)
		}
		return acc, checkError(acc.Network, err)
	}
	checked.Status, checked.Updated = planner.AccountLinked, m.now()
	if err := m.store.SaveAccount(ctx, checked); err != nil {
		return acc, err
	}
	return checked, nil
}

// checkError explains a failed check that is not the account's fault.
func checkError(n planner.Network, err error) error {
	if _, ok := explain.As(err); ok {
		return err
	}
	e, ok := remote.As(err)
	if !ok {
		return err
	}
	key := explain.For(explain.LinkServer, n)
	if e.Kind == remote.KindNetwork {
		key = explain.For(explain.LinkNetwork, n)
	}
	return &explain.Error{Key: key, Msg: explain.Message(key), Detail: e.Detail, Status: e.Status, Err: err}
}

// needsRelink marks the account as needing a new link and returns the
// reason as an error.
func (m *Manager) needsRelink(ctx context.Context, acc planner.Account, cause error) (planner.Account, error) {
	e, ok := explain.As(cause)
	if !ok {
		key := explain.For(explain.Relink, acc.Network)
		e = &explain.Error{Key: key, Msg: explain.Message(key), Err: cause}
		if re, ok := remote.As(cause); ok {
			e.Detail, e.Status = re.Detail, re.Status
		}
	}
	if acc.Status != planner.AccountNeedsRelink {
		acc.Status, acc.Updated = planner.AccountNeedsRelink, m.now()
		if err := m.store.SaveAccount(ctx, acc); err != nil {
			return acc, err
		}
		m.log.WithField("account", acc.ID).WithField("reason", e.Key).Warn("account needs to be linked again")
	}
	return acc, e
}

// Unlink removes the account: it asks the network to end Kaiku's access
// where the network can (Mastodon's POST /oauth/revoke; revoked says
// whether it did), removes every secret of the account from the keyring and
// the file, then its metadata. Posts that target it stay; when due they
// wait for the user (outbox.error.account_gone). An unknown ID wraps
// planner.ErrNotFound, after any secrets left under it are removed.
func (m *Manager) Unlink(ctx context.Context, accountID string) (revoked bool, err error) {
	acc, err := m.store.Account(ctx, accountID)
	switch {
	case err == nil && acc.Network == planner.NetworkMastodon:
		revoked = m.revokeMastodon(ctx, acc)
	case err != nil && !errors.Is(err, planner.ErrNotFound):
		return false, err
	}
	if err := m.vault.Remove(vault.Account(accountID)); err != nil {
		return false, explain.New(explain.UnlinkSecrets, err)
	}
	if err := m.store.DeleteAccount(ctx, accountID); err != nil {
		return false, err
	}
	m.log.WithField("account", accountID).WithField("revoked", revoked).Info("account unlinked")
	return revoked, nil
}

// saveLinked stores a linked account and its secrets: the secrets first, so
// that an account on record always has them; a new account whose record
// could not be saved leaves no secrets behind.
func (m *Manager) saveLinked(ctx context.Context, acc planner.Account, isNew bool, s vault.Secrets) (planner.Account, error) {
	if err := m.vault.Set(vault.Account(acc.ID), s); err != nil {
		return planner.Account{}, explain.New(explain.SaveSecrets, err)
	}
	if err := m.store.SaveAccount(ctx, acc); err != nil {
		if isNew {
			if rerr := m.vault.Remove(vault.Account(acc.ID)); rerr != nil {
				m.log.WithField("account", acc.ID).WithField("cause", rerr.Error()).Warn("could not remove the keys of an account that was not saved")
			}
		}
		return planner.Account{}, err
	}
	m.log.WithFields(logrus.Fields{"account": acc.ID, "network": acc.Network, "handle": acc.Handle}).Info("account linked")
	return acc, nil
}

// linkTarget is the account a link fills in: the one being linked again
// (relinkID), the one already linked to the same remote user, or a new one.
func (m *Manager) linkTarget(ctx context.Context, n planner.Network, relinkID, remoteID, apiBase string) (planner.Account, bool, error) {
	now := m.now()
	if relinkID != "" {
		acc, err := m.store.Account(ctx, relinkID)
		if err != nil {
			return acc, false, err
		}
		if acc.Network != n {
			return acc, false, explain.New(explain.Unsupported, fmt.Errorf("account %s is on %s, not %s", relinkID, acc.Network, n))
		}
		return acc, false, nil
	}
	all, err := m.store.Accounts(ctx)
	if err != nil {
		return planner.Account{}, false, err
	}
	for _, a := range all {
		if a.Network == n && a.RemoteID == remoteID && a.APIBase == apiBase {
			return a, false, nil
		}
	}
	return planner.Account{ID: planner.NewID(), Network: n, Created: now}, true, nil
}

// checkRelinkTarget refuses, before any network call, to link an account
// again through another network.
func (m *Manager) checkRelinkTarget(ctx context.Context, n planner.Network, relinkID string) error {
	if relinkID == "" {
		return nil
	}
	acc, err := m.store.Account(ctx, relinkID)
	if err != nil {
		return err
	}
	if acc.Network != n {
		return explain.New(explain.Unsupported, fmt.Errorf("account %s is on %s, not %s", relinkID, acc.Network, n))
	}
	return nil
}
