//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package notify

type impl struct{}

func (*impl) open(string) error                         { return ErrUnavailable }
func (*impl) send(string, string, string, func()) error { return ErrUnavailable }
func (*impl) close() error                              { return nil }
