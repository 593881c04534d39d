package storage

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kaiku-app/kaiku/planner"
)

// fakeDisk says how much room is left, as the test sets it.
type fakeDisk struct{ free atomic.Uint64 }

func (d *fakeDisk) space(string) (uint64, error) { return d.free.Load(), nil }

func TestOpenRefusesAFullDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	disk := &fakeDisk{}
	disk.free.Store(spaceHeadroom - 1)
	_, err := Open(dir, Options{Logger: quietLogger(), freeSpace: disk.space})
	var full *DiskFullError
	if !errors.As(err, &full) || !errors.Is(err, ErrDiskFull) {
		t.Fatalf("Open: %v, want a *DiskFullError", err)
	}
	if full.Dir != dir || full.Free != spaceHeadroom-1 || full.Need < spaceHeadroom || !strings.Contains(err.Error(), "is full") {
		t.Errorf("error = %+v (%v)", full, err)
	}
	disk.free.Store(1 << 40)
	s, err := Open(dir, Options{Logger: quietLogger(), freeSpace: disk.space})
	if err != nil {
		t.Fatalf("with room again: %v", err)
	}
	s.Close()
}

// TestWriteRefusedOnAFullDisk: once the disk fills while Kaiku is open, a
// save is refused whole, before Badger writes anything, and reading goes on.
func TestWriteRefusedOnAFullDisk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	disk := &fakeDisk{}
	disk.free.Store(1 << 40)
	s, err := Open(t.TempDir(), Options{Logger: quietLogger(), freeSpace: disk.space})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	kept := testPost("kept", at(2026, 12, 1, 9, 0), planner.StatusDraft)
	if err := s.SavePost(ctx, kept); err != nil {
		t.Fatal(err)
	}

	disk.free.Store(4 << 20)
	refused := testPost("refused", at(2026, 12, 1, 10, 0), planner.StatusDraft)
	if err := s.SavePost(ctx, refused); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("SavePost on a full disk: %v, want ErrDiskFull", err)
	}
	if _, err := s.UpdatePost(ctx, "kept", func(p *planner.Post) error { p.Text = "changed"; return nil }); !errors.Is(err, ErrDiskFull) {
		t.Errorf("UpdatePost on a full disk: %v, want ErrDiskFull", err)
	}
	if err := s.SaveGoal(ctx, planner.Goal{ID: "g", Title: "T"}); !errors.Is(err, ErrDiskFull) {
		t.Errorf("SaveGoal on a full disk: %v, want ErrDiskFull", err)
	}
	if _, err := s.Post(ctx, "refused"); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("the refused post: %v, want not found", err)
	}
	if p, err := s.Post(ctx, "kept"); err != nil || p.Text != kept.Text {
		t.Errorf("reading on a full disk: %+v, %v", p, err)
	}

	disk.free.Store(1 << 40)
	if err := s.SavePost(ctx, refused); err != nil {
		t.Errorf("with room again: %v", err)
	}
}
