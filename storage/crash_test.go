package storage

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kaiku-app/kaiku/planner"
)

// TestOpensAfterKillLeftEmptyLogs: a kill between creating a memtable or
// value log and sizing it leaves a zero-byte file, which Badger alone
// refuses to open. Kaiku opens, with every saved post.
func TestOpensAfterKillLeftEmptyLogs(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	p := testPost("p1", at(2026, 12, 1, 9, 0), planner.StatusDraft)
	if err := s.SavePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"000099.mem", "000099.vlog"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s = openAt(t, dir)
	if _, err := s.Post(context.Background(), "p1"); err != nil {
		t.Fatalf("after reopening: %v", err)
	}
}
