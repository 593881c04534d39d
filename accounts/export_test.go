package accounts

import "github.com/kaiku-app/kaiku/accounts/vault"

// Hooks into the package's internals for its external tests.

// HasSecrets reports whether the manager holds keys for the account.
func HasSecrets(m *Manager, accountID string) bool {
	_, err := m.vault.Get(vault.Account(accountID))
	return err == nil
}
