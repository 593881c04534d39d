package accounts_test

import (
	"os"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/kaiku-app/kaiku/accounts/accountstest"
)

func TestMain(m *testing.M) {
	// No test may touch the machine's real keyring.
	keyring.MockInit()
	os.Exit(m.Run())
}

func newEnv(t *testing.T, opts ...accountstest.Option) *accountstest.Env {
	t.Helper()
	return accountstest.New(t, opts...)
}
