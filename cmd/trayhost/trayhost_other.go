//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package trayhost

// Windows has its notification area and macOS its menu bar, always.
type watch struct{}

func (*watch) start(func(bool)) {}
func (*watch) present() bool    { return true }
func (*watch) possible() bool   { return true }
func (*watch) close()           {}
