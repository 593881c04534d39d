// Package instance keeps to one Kaiku window per data folder. The app that
// holds a data folder listens on a small local endpoint in that folder; a
// second start on the same folder asks it to bring its window to the front
// instead of failing on the folder's lock.
//
// The endpoint is a Unix socket, kaiku.sock, where the system has them and
// the folder's path is short enough for one; otherwise (Windows, or a very
// long path) a loopback TCP port, written with a secret to kaiku.port, so
// that only someone who can read the data folder can use it.
//
// Only the holder of the data folder's lock may call Listen; it alone
// removes what a crashed app left behind, and only a socket it has found
// dead. Raise, called by a start that did not get the lock, never removes
// anything.
package instance

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The endpoint files in the data folder.
const (
	SocketName = "kaiku.sock"
	PortName   = "kaiku.port"
)

// maxSocketPath is the longest socket path every Unix accepts (macOS and
// the BSDs allow 104 bytes with the terminating zero, Linux 108).
const maxSocketPath = 103

// The protocol: one line from the client, one line back.
const (
	requestRaise = "raise"
	requestPing  = "ping"
	answerOK     = "ok"
	// answerQuitting: the app is quitting and will let go of the folder.
	answerQuitting = "quitting"
)

// ioTimeout bounds one exchange: the local peer answers at once or is stuck.
const ioTimeout = 3 * time.Second

// ErrNotRunning means nothing answered on the data folder: no Kaiku window
// runs there, or one that does not listen (a command, or an older Kaiku).
var ErrNotRunning = errors.New("no Kaiku answers on the data folder")

// ErrQuitting means the Kaiku on the data folder is quitting: it lets go of
// the folder in a moment, and cannot bring its window forward any more.
var ErrQuitting = errors.New("the Kaiku on the data folder is quitting")

// Listener answers a second start on the data folder.
type Listener struct {
	ln     net.Listener
	path   string // the socket or port file, removed by Close
	secret string // empty for a Unix socket: the folder's permissions guard it
	raise  chan struct{}
	once   sync.Once
	done   chan struct{}
	// quitting is set once the app has begun to quit.
	quitting atomic.Bool
}

// Listen starts answering on dir. The caller must hold dir's lock.
func Listen(dir string) (*Listener, error) {
	var (
		l   *Listener
		err error
	)
	if sock := filepath.Join(dir, SocketName); useSocket(sock) {
		l, err = listenSocket(sock)
	} else {
		l, err = listenPort(filepath.Join(dir, PortName))
	}
	if err != nil {
		return nil, err
	}
	go l.serve()
	return l, nil
}

// useSocket reports whether the endpoint is a Unix socket at path.
func useSocket(path string) bool {
	return runtime.GOOS != "windows" && len(path) <= maxSocketPath
}

func listenSocket(path string) (*Listener, error) {
	if err := removeDeadSocket(path); err != nil {
		return nil, err
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	// Close removes the socket itself, after the last answer.
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	return &Listener{ln: ln, path: path, raise: make(chan struct{}, 1), done: make(chan struct{})}, nil
}

// removeDeadSocket removes a socket at path that nobody answers on: the
// one a crashed Kaiku left. Anything else there is left alone.
func removeDeadSocket(path string) error {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look at %s: %w", path, err)
	}
	if info.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("%s is not Kaiku's socket; leaving it alone", path)
	}
	conn, err := net.DialTimeout("unix", path, ioTimeout)
	if err == nil {
		conn.Close()
		return fmt.Errorf("another process answers on %s; leaving it alone", path)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the dead socket %s: %w", path, err)
	}
	return nil
}

func listenPort(path string) (*Listener, error) {
	if info, err := os.Lstat(path); err == nil && !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not Kaiku's port file; leaving it alone", path)
	}
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("make a secret for %s: %w", path, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on the loopback: %w", err)
	}
	l := &Listener{ln: ln, path: path, secret: hex.EncodeToString(secret), raise: make(chan struct{}, 1), done: make(chan struct{})}
	// The lock is ours, so a file here is what a crashed Kaiku left: it is
	// overwritten. A reader that finds it half-written sees no Kaiku.
	if err := os.WriteFile(path, []byte(ln.Addr().String()+" "+l.secret+"\n"), 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return l, nil
}

// Quitting tells every start from now on that this app is quitting, rather
// than take a raise its window can no longer answer.
func (l *Listener) Quitting() { l.quitting.Store(true) }

// Raised receives when a second start asked for the window.
func (l *Listener) Raised() <-chan struct{} { return l.raise }

// Close stops answering and removes the endpoint from the data folder.
func (l *Listener) Close() error {
	var err error
	l.once.Do(func() {
		err = l.ln.Close()
		<-l.done
		if rerr := os.Remove(l.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
			err = rerr
		}
	})
	return err
}

func (l *Listener) serve() {
	defer close(l.done)
	for {
		conn, err := l.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(100 * time.Millisecond) // out of descriptors, say: try again
			continue
		}
		l.answer(conn)
	}
}

// answer handles one request; a stuck or unknown peer gets nothing.
func (l *Listener) answer(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(ioTimeout))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return
	}
	request, secret, _ := strings.Cut(strings.TrimSpace(line), " ")
	if secret != l.secret {
		return
	}
	if l.quitting.Load() && (request == requestRaise || request == requestPing) {
		_, _ = conn.Write([]byte(answerQuitting + "\n"))
		return
	}
	switch request {
	case requestRaise:
		select {
		case l.raise <- struct{}{}:
		default: // a raise is already waiting
		}
	case requestPing:
	default:
		return
	}
	_, _ = conn.Write([]byte(answerOK + "\n"))
}

// Raise asks the Kaiku that holds dir to bring its window to the front. It
// returns ErrNotRunning (wrapped) when nothing there answers, and
// ErrQuitting when the Kaiku there is quitting.
func Raise(dir string) error { return ask(dir, requestRaise) }

// Ping checks that a Kaiku window runs on dir, and leaves it as it is.
func Ping(dir string) error { return ask(dir, requestPing) }

func ask(dir, request string) error {
	sock := filepath.Join(dir, SocketName)
	network, addr := "unix", sock
	if !useSocket(sock) {
		b, err := os.ReadFile(filepath.Join(dir, PortName))
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNotRunning, err)
		}
		fields := strings.Fields(string(b))
		if len(fields) != 2 {
			return fmt.Errorf("%w: %s is incomplete", ErrNotRunning, PortName)
		}
		network, addr, request = "tcp", fields[0], request+" "+fields[1]
	}
	conn, err := net.DialTimeout(network, addr, ioTimeout)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotRunning, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := conn.Write([]byte(request + "\n")); err != nil {
		return fmt.Errorf("%w: %v", ErrNotRunning, err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	switch strings.TrimSpace(line) {
	case answerOK:
		return nil
	case answerQuitting:
		return ErrQuitting
	}
	return fmt.Errorf("%w: no answer (%v)", ErrNotRunning, err)
}
