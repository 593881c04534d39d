package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cliDamageRounds is how many bits TestDamagedTableCLI flips.
const cliDamageRounds = 12

// writeExport writes an export of n posts to a file and returns it with their IDs.
func writeExport(t *testing.T, n int) (string, []string) {
	t.Helper()
	var posts []string
	var ids []string
	for i := range n {
		id := fmt.Sprintf("0p%06d", i)
		ids = append(ids, id)
		day := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		posts = append(posts, fmt.Sprintf(`{"id":%q,"text":"Post %d about the week's news, with a link https://example.com/%d","status":"draft","time":%q,"created":"2026-01-01T09:00:00Z","updated":"2026-01-01T09:00:00Z"}`,
			id, i, i, day.Format(time.RFC3339)))
	}
	file := filepath.Join(t.TempDir(), "posts.json")
	doc := `{"format":"kaiku-export","version":1,"posts":[` + strings.Join(posts, ",\n") + `]}`
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return file, ids
}

// TestDamagedTableCLI is the damaged-disk case from the command line: one
// flipped bit in the largest table, then export-json, backup and post list.
// Each either refuses (exit 1, one line naming the cure) or shows every
// post; none exits 0 with part of them, and none crashes.
func TestDamagedTableCLI(t *testing.T) {
	template := filepath.Join(t.TempDir(), "template")
	file, ids := writeExport(t, 2000)
	if code, _, errOut := kaiku(t, "--data", template, "import-json", file); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	rounds := cliDamageRounds
	if testing.Short() {
		rounds = 3
	}
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	var tried, refused, complete int
	for round := range rounds {
		dir := filepath.Join(t.TempDir(), "d")
		copyDir(t, template, dir)
		name, pos := flipBit(t, dir, r)
		for _, args := range [][]string{
			{"export-json"},
			{"backup", "-o", filepath.Join(t.TempDir(), "kaiku.backup")},
			{"post", "list", "--json"},
		} {
			tried++
			c := child(t, "main", append([]string{"--data", dir}, args...)...)
			var out, errOut bytes.Buffer
			c.Stdout, c.Stderr = &out, &errOut
			_ = c.Run()
			what := fmt.Sprintf("round %d (%s, byte %d): kaiku %s", round, name, pos, strings.Join(args, " "))
			switch code := c.ProcessState.ExitCode(); code {
			case 1:
				if !strings.HasPrefix(errOut.String(), "kaiku: ") || !strings.Contains(errOut.String(), "damaged") || !strings.Contains(errOut.String(), "restore") {
					t.Errorf("%s: exit 1 with %q; want one line that says the data is damaged and to restore the latest backup", what, errOut.String())
				}
				refused++
			case 0:
				var got int
				switch args[0] {
				case "backup":
					restored := filepath.Join(t.TempDir(), "restored")
					if code, _, errOut := kaiku(t, "--data", restored, "restore", args[2]); code != 0 {
						t.Fatalf("%s: the backup does not restore: %s", what, errOut)
					}
					_, list, _ := kaiku(t, "--data", restored, "post", "list", "--json")
					var posts []json.RawMessage
					if err := json.Unmarshal([]byte(list), &posts); err != nil {
						t.Fatalf("%s: %v", what, err)
					}
					got = len(posts)
				case "export-json":
					var doc struct{ Posts []json.RawMessage }
					if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
						t.Fatalf("%s: %v", what, err)
					}
					got = len(doc.Posts)
				default:
					var posts []json.RawMessage
					if err := json.Unmarshal(out.Bytes(), &posts); err != nil {
						t.Fatalf("%s: %v", what, err)
					}
					got = len(posts)
				}
				if got != len(ids) {
					t.Errorf("%s: exit 0 with %d of %d posts", what, got, len(ids))
				} else {
					complete++
				}
			default:
				t.Errorf("%s: exit %d, stderr %s", what, code, lastLines(errOut.String(), 5))
			}
		}
	}
	t.Logf("%d bits flipped in the largest table, %d commands run: %d refused as damaged, %d complete (%d posts each), %d partial",
		rounds, tried, refused, complete, len(ids), tried-refused-complete)
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// flipBit flips one random bit of the folder's largest table.
func flipBit(t *testing.T, dir string, r *rand.Rand) (string, int) {
	t.Helper()
	var name string
	var size int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && strings.HasSuffix(e.Name(), ".sst") && info.Size() > size {
			name, size = e.Name(), info.Size()
		}
	}
	if name == "" {
		t.Fatal("no table")
	}
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pos := r.IntN(len(b))
	b[pos] ^= 1 << r.IntN(8)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return name, pos
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
