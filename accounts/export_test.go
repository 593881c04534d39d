package accounts

import "errors"

// Hooks into the package's internals for its external tests.

// errNoKeyring is what a machine without a keyring answers.
var errNoKeyring = errors.New("org.freedesktop.DBus.Error.ServiceUnknown: no keyring here")

type noKeyring struct{}

func (noKeyring) Set(string, string, string) error   { return errNoKeyring }
func (noKeyring) Get(string, string) (string, error) { return "", errNoKeyring }
func (noKeyring) Delete(string, string) error        { return errNoKeyring }

// WithoutKeyring makes the options' manager find no keyring, as on a
// headless Linux box.
func WithoutKeyring(o *Options) { o.keyring = noKeyring{} }

// AfterSend sets a function run between X's answer to a part and its record.
func AfterSend(o *Outbox, fn func(accountID string, part int, remoteID string)) {
	o.afterSend = func(accountID string, part int, r Remote) { fn(accountID, part, r.ID) }
}

// HasSecrets reports whether the manager holds keys for the account.
func HasSecrets(m *Manager, accountID string) bool {
	_, err := m.vault.get(accountID)
	return err == nil
}
