package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// smallDisk mounts a file system of size bytes for the test, or skips the
// test where it cannot (not root, or no right to mount).
func smallDisk(t *testing.T, size int64) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small file system needs root")
	}
	dir := filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		t.Skipf("cannot mount a small file system here: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fillTo grows the file filler on disk until leave bytes are free.
func fillTo(t *testing.T, disk string, leave int64) {
	t.Helper()
	path := filepath.Join(disk, "filler")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var st syscall.Statfs_t
	if err := syscall.Statfs(disk, &st); err != nil {
		t.Fatal(err)
	}
	info, _ := f.Stat()
	free := int64(st.Bavail) * st.Bsize
	if grow := free - leave; grow > 0 {
		if err := syscall.Fallocate(int(f.Fd()), 0, 0, info.Size()+grow); err != nil {
			t.Fatalf("fill the disk: %v", err)
		}
	}
}

// TestFullDiskCLI runs the commands on a nearly full disk (a small tmpfs,
// where Badger's memory-mapped files fault as on any full disk), from no
// room at all to enough: each command works or says the disk is full (exit
// 1); none crashes. An add that said it failed left no post, and every add
// that gave its ID kept it.
func TestFullDiskCLI(t *testing.T) {
	disk := smallDisk(t, 64<<20)
	data := filepath.Join(disk, "data")
	file, _ := writeExport(t, 1500)
	if code, _, errOut := kaiku(t, "--data", data, "import-json", file); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	backup := filepath.Join(t.TempDir(), "kaiku.backup")
	if code, _, errOut := kaiku(t, "--data", data, "backup", "-o", backup); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	small, _ := writeExport(t, 3)
	outside := t.TempDir()

	var ran, refused, worked int
	acked := map[string]string{} // ID -> text
	var refusedTexts []string
	for _, leave := range []int64{0, 32 << 10, 512 << 10, 2 << 20, 8 << 20, 20 << 20, 30 << 20, 34 << 20, 36 << 20, 46 << 20} {
		fillTo(t, disk, leave)
		text := fmt.Sprintf("added with %d bytes free", leave)
		for _, args := range [][]string{
			{"post", "add", "--at", "2026-12-01T09:00", "--text", text},
			{"post", "list", "--json"},
			{"import-json", small},
			{"export-json", "-o", filepath.Join(outside, "x.json")},
			{"backup", "-o", filepath.Join(outside, "b.backup")},
			{"restore", backup},
		} {
			target := data
			if args[0] == "restore" {
				target = filepath.Join(disk, fmt.Sprintf("restored-%d", leave))
			}
			c := child(t, "main", append([]string{"--data", target}, args...)...)
			var out, errOut bytes.Buffer
			c.Stdout, c.Stderr = &out, &errOut
			_ = c.Run()
			ran++
			what := fmt.Sprintf("%d bytes free: kaiku %s", leave, strings.Join(args, " "))
			switch code := c.ProcessState.ExitCode(); code {
			case 0:
				worked++
				if args[1] == "add" {
					acked[strings.TrimSpace(out.String())] = text
				}
			case 1:
				if !strings.Contains(errOut.String(), "is full") {
					t.Errorf("%s: exit 1 with %q, want the disk-full message", what, errOut.String())
				}
				refused++
				if args[1] == "add" {
					refusedTexts = append(refusedTexts, text)
				}
			default:
				t.Errorf("%s: exit %d (crashed): %s", what, code, lastLines(errOut.String(), 6))
			}
		}
		if err := os.Remove(filepath.Join(disk, "filler")); err != nil {
			t.Fatal(err)
		}
	}

	code, list, errOut := kaiku(t, "--data", data, "post", "list", "--json")
	if code != 0 {
		t.Fatalf("with room again, post list: %s", errOut)
	}
	var posts []struct{ ID, Text string }
	if err := json.Unmarshal([]byte(list), &posts); err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{}
	ids := map[string]bool{}
	for _, p := range posts {
		texts[p.Text], ids[p.ID] = true, true
	}
	for id, text := range acked {
		if !ids[id] {
			t.Errorf("the add %q said %s and is gone", text, id)
		}
	}
	for _, text := range refusedTexts {
		if texts[text] {
			t.Errorf("the add %q said it failed, yet the post is there", text)
		}
	}
	if refused == 0 || len(acked) == 0 {
		t.Errorf("%d refused, %d adds acknowledged: the disk was never full, or never roomy", refused, len(acked))
	}
	t.Logf("%d commands on a 64 MB disk with 0 to 46 MB free: %d worked, %d said the disk is full, %d crashed; adds: %d acknowledged and found, %d refused and absent",
		ran, worked, refused, ran-worked-refused, len(acked), len(refusedTexts))
}
