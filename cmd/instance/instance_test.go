package instance_test

import (
	"bufio"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/cmd/instance"
)

// shortDir is a folder whose socket path fits every Unix's limit.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "ki")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func listen(t *testing.T, dir string) *instance.Listener {
	t.Helper()
	l, err := instance.Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func raised(l *instance.Listener) bool {
	select {
	case <-l.Raised():
		return true
	case <-time.After(2 * time.Second):
		return false
	}
}

// deadSocket leaves a socket file that nobody listens on, as a crash does.
func deadSocket(t *testing.T, path string) {
	t.Helper()
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
}

func needUnix(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Kaiku uses a loopback port on Windows")
	}
}

func TestRaiseReachesTheRunningApp(t *testing.T) {
	dir := shortDir(t)
	l := listen(t, dir)
	if err := instance.Raise(dir); err != nil {
		t.Fatal(err)
	}
	if !raised(l) {
		t.Fatal("the running app did not hear the raise")
	}
	if err := instance.Raise(dir); err != nil {
		t.Fatalf("a second raise: %v", err)
	}
	if !raised(l) {
		t.Fatal("the second raise was not heard")
	}
	// A start at login only checks that the app runs, and leaves the window be.
	if err := instance.Ping(dir); err != nil {
		t.Fatal(err)
	}
	select {
	case <-l.Raised():
		t.Error("a ping raised the window")
	case <-time.After(200 * time.Millisecond):
	}
}

func TestRaiseWithNobodyThereRemovesNothing(t *testing.T) {
	needUnix(t)
	dir := shortDir(t)
	if err := instance.Raise(dir); !errors.Is(err, instance.ErrNotRunning) {
		t.Fatalf("raise on an empty folder: %v", err)
	}
	sock := filepath.Join(dir, instance.SocketName)
	deadSocket(t, sock)
	if err := instance.Raise(dir); !errors.Is(err, instance.ErrNotRunning) {
		t.Fatalf("raise on a dead socket: %v", err)
	}
	if _, err := os.Lstat(sock); err != nil {
		t.Fatalf("raise touched the socket of a folder whose lock it does not hold: %v", err)
	}
}

func TestListenReplacesTheSocketACrashLeft(t *testing.T) {
	needUnix(t)
	dir := shortDir(t)
	deadSocket(t, filepath.Join(dir, instance.SocketName))
	l := listen(t, dir)
	if err := instance.Raise(dir); err != nil {
		t.Fatal(err)
	}
	if !raised(l) {
		t.Fatal("not heard")
	}
}

func TestListenLeavesWhatIsNotADeadSocketAlone(t *testing.T) {
	needUnix(t)
	t.Run("a file", func(t *testing.T) {
		dir := shortDir(t)
		path := filepath.Join(dir, instance.SocketName)
		if err := os.WriteFile(path, []byte("mine"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := instance.Listen(dir); err == nil {
			t.Fatal("listened over a file")
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != "mine" {
			t.Fatalf("the file was touched: %q %v", b, err)
		}
	})
	t.Run("a live socket", func(t *testing.T) {
		dir := shortDir(t)
		path := filepath.Join(dir, instance.SocketName)
		other, err := net.Listen("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		go func() {
			for {
				c, err := other.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		if _, err := instance.Listen(dir); err == nil {
			t.Fatal("listened over a live socket")
		}
		if _, err := os.Lstat(path); err != nil {
			t.Fatalf("the live socket was removed: %v", err)
		}
	})
}

func TestCloseRemovesTheEndpoint(t *testing.T) {
	needUnix(t)
	dir := shortDir(t)
	l, err := instance.Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dir, instance.SocketName)); !os.IsNotExist(err) {
		t.Fatalf("the socket is still there: %v", err)
	}
	if err := instance.Raise(dir); !errors.Is(err, instance.ErrNotRunning) {
		t.Fatalf("raise after close: %v", err)
	}
}

// A path too long for a socket (and Windows) use a loopback port guarded by
// a secret in the data folder.
func TestLongPathUsesAPortWithASecret(t *testing.T) {
	dir := filepath.Join(shortDir(t), strings.Repeat("d", 110))
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	l := listen(t, dir)
	b, err := os.ReadFile(filepath.Join(dir, instance.PortName))
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(b))
	if len(fields) != 2 || !strings.HasPrefix(fields[0], "127.0.0.1:") {
		t.Fatalf("port file %q", b)
	}
	if err := instance.Raise(dir); err != nil {
		t.Fatal(err)
	}
	if !raised(l) {
		t.Fatal("not heard")
	}

	// Someone without the secret gets no answer and raises nothing.
	conn, err := net.Dial("tcp", fields[0])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("raise 0123\n")) // a guess at the secret
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if line, _ := bufio.NewReader(conn).ReadString('\n'); line != "" {
		t.Errorf("a wrong secret got %q", line)
	}
	select {
	case <-l.Raised():
		t.Error("a wrong secret raised the window")
	default:
	}
	l.Close()
	if _, err := os.Stat(filepath.Join(dir, instance.PortName)); !os.IsNotExist(err) {
		t.Fatalf("the port file is still there: %v", err)
	}
}

// A quitting app tells a second start so, over a socket or a port, instead
// of taking a raise its window can no longer answer.
func TestQuittingAppSaysSo(t *testing.T) {
	long := filepath.Join(shortDir(t), strings.Repeat("d", 120))
	if err := os.Mkdir(long, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"socket": shortDir(t), "port": long} {
		t.Run(name, func(t *testing.T) {
			if name == "socket" {
				needUnix(t)
			}
			l := listen(t, dir)
			l.Quitting()
			if err := instance.Raise(dir); !errors.Is(err, instance.ErrQuitting) {
				t.Errorf("Raise = %v, want ErrQuitting", err)
			}
			if err := instance.Ping(dir); !errors.Is(err, instance.ErrQuitting) {
				t.Errorf("Ping = %v, want ErrQuitting", err)
			}
			select {
			case <-l.Raised():
				t.Error("the quitting app took the raise")
			default:
			}
		})
	}
}
