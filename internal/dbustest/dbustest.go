//go:build linux || freebsd || openbsd || netbsd || dragonfly

// Package dbustest starts a private session bus for tests of code that
// talks to the desktop over D-Bus.
package dbustest

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// SessionBus starts a dbus-daemon of the test's own, points
// DBUS_SESSION_BUS_ADDRESS at it and returns its address; it skips the test
// where dbus-daemon is not installed.
func SessionBus(t testing.TB) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed")
	}
	addr := "unix:path=" + filepath.Join(t.TempDir(), "bus")
	cmd := exec.Command(daemon, "--session", "--nofork", "--nopidfile", "--address="+addr, "--print-address")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", strings.TrimSpace(line))
	return strings.TrimSpace(line)
}
