package cmd

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// racingRounds is how often TestRacingReadersLoseNothing kills the window.
const racingRounds = 4

// TestRacingReadersLoseNothing: while the window saves post after post,
// six other processes (cron's publish-due, scripts' post list) try to open
// the same folder again and again; they find it in use and must leave it
// alone, the memtables the window keeps creating included. The window is
// then killed at a random moment, and every post it acknowledged must be there.
func TestRacingReadersLoseNothing(t *testing.T) {
	dir := t.TempDir()
	rounds := racingRounds
	if testing.Short() {
		rounds = 2
	}
	var acked, readerRuns, refused int64
	for round := range rounds {
		window := child(t, "window-saving", "--data", dir)
		var werr bytes.Buffer
		window.Stderr = &werr
		lines := startReading(t, window)
		lines.waitFirst(t)

		stop := make(chan struct{})
		var runs, inUse atomic.Int64
		var wg sync.WaitGroup
		for i := range 6 {
			args := []string{"--data", dir, "post", "list"}
			if i%2 == 1 {
				args = []string{"--data", dir, "publish-due"}
			}
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					r := child(t, "main", args...)
					var out, errOut bytes.Buffer
					r.Stdout, r.Stderr = &out, &errOut
					_ = r.Run()
					runs.Add(1)
					if strings.Contains(errOut.String(), "already open") || strings.Contains(out.String(), "publishes there") {
						inUse.Add(1)
					}
				}
			})
		}
		time.Sleep(time.Duration(1000+rand.IntN(2000)) * time.Millisecond)
		_ = window.Process.Signal(syscall.SIGKILL)
		ids := lines.all()
		_ = window.Wait()
		close(stop)
		wg.Wait()
		readerRuns += runs.Load()
		refused += inUse.Load()
		acked += int64(len(ids))

		code, list, errOut := kaiku(t, "--data", dir, "post", "list", "--json")
		if code != 0 {
			t.Fatalf("round %d: the store did not reopen: %s", round, errOut)
		}
		var posts []struct{ ID string }
		if err := json.Unmarshal([]byte(list), &posts); err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, p := range posts {
			have[p.ID] = true
		}
		lost := 0
		for _, id := range ids {
			if !have[id] {
				lost++
			}
		}
		if lost > 0 {
			t.Errorf("round %d: %d of %d acknowledged posts are missing", round, lost, len(ids))
		}
		if int64(len(posts)) < acked {
			t.Errorf("round %d: %d posts found, %d acknowledged", round, len(posts), acked)
		}
	}
	t.Logf("%d rounds: %d posts acknowledged, all found; %d reader runs, %d of them found the folder in use",
		rounds, acked, readerRuns, refused)
}
