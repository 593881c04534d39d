package storage

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// TestOpenTouchesNothingInAFolderItDoesNotHold: a second Open on a folder in
// use leaves every file as it is, even a zero-byte log the owner has just
// created and not yet sized, which an unheld folder's cleanup would remove.
func TestOpenTouchesNothingInAFolderItDoesNotHold(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	openAt(t, dir)
	for _, name := range []string{"000777.mem", "000777.vlog"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, dir)

	_, err := Open(dir, Options{Logger: quietLogger()})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("a second Open changed the folder it does not hold:\nbefore %q\nafter  %q", before, after)
	}

	out, err := childProcess(t, "open", dir).Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("child: %v %q, want ErrLocked", err, out)
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("another process changed the folder it does not hold:\nbefore %q\nafter  %q", before, after)
	}
}
