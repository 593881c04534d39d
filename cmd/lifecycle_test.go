package cmd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

// TestStoreClosesBeforeTheLog: what the store says as it closes reaches
// kaiku.log, and nothing complains about a closed log.
func TestStoreClosesBeforeTheLog(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := kaiku(t, "--data", dir, "--log-level", "debug", "post", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(dir, "kaiku.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "closed the data folder") {
		t.Errorf("kaiku.log lacks the store's last words:\n%s", b)
	}
	if strings.Contains(errOut, "Failed to write") {
		t.Errorf("stderr: %s", errOut)
	}
}

// TestRunLeavesNoGoroutines: the command line, run again and again in one
// process as the tests and the window's own commands do, leaves nothing running.
func TestRunLeavesNoGoroutines(t *testing.T) {
	kaiku(t, "count") // whatever starts once per process
	before := runtime.NumGoroutine()
	const runs = 20
	for range runs {
		if code, _, errOut := kaiku(t, "count"); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before+2 {
		t.Errorf("%d goroutines before %d runs, %d after", before, runs, after)
	}
}

// failingCloser stands for a store whose Close fails.
type failingCloser struct{ err error }

func (f failingCloser) Close() error { return f.err }

// TestCloseErrorIsReported: a store that fails to close is said on stderr
// and in the log; the command's own result stands, since what it saved was
// on disk before it returned.
func TestCloseErrorIsReported(t *testing.T) {
	var errOut, logOut bytes.Buffer
	log := logrus.New()
	log.SetOutput(&logOut)
	closeErr := errors.New("close data folder /d: sync: input/output error")

	if code := closeStore(&errOut, log, failingCloser{closeErr}, exitOK); code != exitOK {
		t.Errorf("a command that worked now exits %d", code)
	}
	if !strings.HasPrefix(errOut.String(), "kaiku: ") || strings.Count(errOut.String(), "\n") != 1 {
		t.Errorf("stderr = %q, want one line", errOut.String())
	}
	if !strings.Contains(logOut.String(), "input/output error") {
		t.Errorf("the log lacks the cause: %q", logOut.String())
	}

	errOut.Reset()
	if code := closeStore(&errOut, log, failingCloser{nil}, exitError); code != exitError || errOut.Len() != 0 {
		t.Errorf("a clean close: exit %d, stderr %q", code, errOut.String())
	}
}
