package cmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/cmd/instance"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

// The test binary doubles as kaiku: with KAIKU_AS_MAIN set it runs the
// command line given after "--", so tests can run real, killable processes.
func TestMain(m *testing.M) {
	switch os.Getenv("KAIKU_AS_MAIN") {
	case "":
		os.Exit(m.Run())
	case "loop":
		os.Exit(addLoop(os.Args[2:]))
	case "window-saving":
		os.Exit(run(os.Args[2:], os.Stdin, os.Stdout, os.Stderr, desktop{open: keepSaving}))
	default:
		a, err := readAbout(fyneAppTOML(), nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(run(os.Args[2:], os.Stdin, os.Stdout, os.Stderr, desktop{open: holdOpen, about: a}))
	}
}

// fyneAppTOML is the module's FyneApp.toml, which main embeds.
func fyneAppTOML() []byte {
	b, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		panic(err)
	}
	return b
}

// holdOpen stands in for the window: it says it is open, says "raised"
// whenever a second start asks for the window, and waits for stdin to close.
func holdOpen(e *env, _ string) error {
	fmt.Fprintln(e.stdout, "open")
	closed := make(chan struct{})
	go func() {
		_, _ = bufio.NewReader(e.stdin).ReadString('\n')
		close(closed)
	}()
	for {
		select {
		case <-e.raise:
			fmt.Fprintln(e.stdout, "raised")
		case <-closed:
			return nil
		}
	}
}

// openApp starts a kaiku process on dir that holds it open as the window
// would, until the test ends, and returns what it prints after "open".
func openApp(t *testing.T, dir string) *bufio.Reader {
	t.Helper()
	app := child(t, "main", "--data", dir)
	stdin, _ := app.StdinPipe()
	stdout, _ := app.StdoutPipe()
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		app.Wait()
	})
	r := bufio.NewReader(stdout)
	if line, err := r.ReadString('\n'); err != nil || line != "open\n" {
		t.Fatalf("the app did not open: %q %v", line, err)
	}
	return r
}

// noWindow fails the test if a command opens the window or shows a start error in one.
func noWindow(t *testing.T) desktop {
	return desktop{
		open: func(*env, string) error {
			t.Helper()
			t.Error("the window was opened")
			return nil
		},
		refuse: func(msg string) {
			t.Helper()
			t.Errorf("a start error was shown in a window: %s", msg)
		},
	}
}

// addLoop runs `post add` again and again and prints each acknowledged ID.
func addLoop(args []string) int {
	for i := 0; ; i++ {
		var out bytes.Buffer
		a := append(append([]string{}, args...), "post", "add", "--at", "2026-12-01T09:00", "--text", fmt.Sprintf("post %d", i))
		if code := run(a, nil, &out, os.Stderr, desktop{open: holdOpen}); code != 0 {
			return code
		}
		os.Stdout.Write(out.Bytes())
	}
}

// keepSaving stands in for a window whose user saves long posts without
// pause, until killed, printing each saved post's ID: its memtables fill and
// are replaced by new ones every few hundred posts.
func keepSaving(e *env, _ string) error {
	text := strings.Repeat("Kaiku keeps what it acknowledged. ", 1800)
	for i := 0; ; i++ {
		now := e.now()
		p := planner.Post{ID: planner.NewID(), Text: fmt.Sprintf("%d %s", i, text), Status: planner.StatusDraft, Created: now, Updated: now}
		if err := e.store.SavePost(e.ctx, p); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, p.ID)
	}
}

// lineReader collects a child's stdout lines as they come.
type lineReader struct {
	first chan struct{}
	done  chan struct{}
	lines []string
}

// startReading starts cmd and collects its output lines.
func startReading(t *testing.T, cmd *exec.Cmd) *lineReader {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &lineReader{first: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if r.lines = append(r.lines, sc.Text()); len(r.lines) == 1 {
				close(r.first)
			}
		}
	}()
	return r
}

// waitFirst waits for the first line; the child ending first fails the test.
func (r *lineReader) waitFirst(t *testing.T) {
	t.Helper()
	select {
	case <-r.first:
	case <-r.done:
		t.Fatal("the child ended without a line")
	}
}

// all waits for the output to end and returns its lines.
func (r *lineReader) all() []string {
	<-r.done
	return r.lines
}

// kaiku runs the command line in-process and returns its exit status and output.
func kaiku(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errOut, noWindow(t))
	return code, out.String(), errOut.String()
}

// child starts the test binary as kaiku with the given arguments.
func child(t *testing.T, mode string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--"}, args...)...)
	cmd.Env = append(os.Environ(), "KAIKU_AS_MAIN="+mode, "LANG=en_US.UTF-8", "LANGUAGE=")
	return cmd
}

func TestPostAddThenList(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	dir := filepath.Join(t.TempDir(), "d")
	code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "post", "add", "--at", "2026-12-01T09:00", "--text", "Hei")
	if code != 0 {
		t.Fatalf("post add: exit %d, stderr %q", code, errOut)
	}
	id := strings.TrimSpace(out)
	code, out, errOut = kaiku(t, "--data", dir, "--lang", "en", "post", "list", "--json")
	if code != 0 {
		t.Fatalf("post list: exit %d, stderr %q", code, errOut)
	}
	var posts []map[string]any
	if err := json.Unmarshal([]byte(out), &posts); err != nil {
		t.Fatalf("post list --json printed %q: %v", out, err)
	}
	if len(posts) != 1 {
		t.Fatalf("got %d posts, want 1: %s", len(posts), out)
	}
	p := posts[0]
	if p["id"] != id || p["text"] != "Hei" || p["status"] != "draft" {
		t.Errorf("post = %v", p)
	}
	if p["time"] != "2026-12-01T09:00:00+02:00" {
		t.Errorf("time = %v, want 2026-12-01T09:00:00+02:00 (RFC 3339 in the user's zone)", p["time"])
	}

	code, out, _ = kaiku(t, "--data", dir, "--lang", "en", "post", "list", "--from", "2026-12-01", "--to", "2026-12-01")
	if code != 0 || !strings.Contains(out, "2026-12-01 09:00") || !strings.Contains(out, "Hei") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
	code, out, _ = kaiku(t, "--data", dir, "post", "list", "--from", "2026-12-02", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("an empty range printed %q (exit %d), want []", out, code)
	}
}

func TestPostListFiltersAndDelete(t *testing.T) {
	dir := t.TempDir()
	add := func(args ...string) string {
		t.Helper()
		code, out, errOut := kaiku(t, append([]string{"--data", dir, "--lang", "en", "post", "add"}, args...)...)
		if code != 0 {
			t.Fatalf("post add %v: %s", args, errOut)
		}
		return strings.TrimSpace(out)
	}
	idea := add("--status", "idea", "--text", "Kirjastot ja tekoäly")
	draft := add("--text", "Tekoäly kirjastossa, osa 2", "--at", "2036-12-01T09:00")
	add("--status", "scheduled", "--text", "Something else", "--at", "2036-12-02T09:00", "--network", "x")
	list := func(args ...string) []string {
		t.Helper()
		code, out, errOut := kaiku(t, append([]string{"--data", dir, "post", "list", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("post list %v: %s", args, errOut)
		}
		var posts []struct{ ID string }
		if err := json.Unmarshal([]byte(out), &posts); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range posts {
			ids = append(ids, p.ID)
		}
		return ids
	}
	if got := list("--search", "TEKOÄLY"); len(got) != 2 {
		t.Fatalf("search found %v", got)
	}
	if got := list("--search", "tekoäly", "--status", "idea"); len(got) != 1 || got[0] != idea {
		t.Fatalf("search and status found %v", got)
	}
	code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "post", "delete", draft)
	if code != 0 || !strings.Contains(out, "Deleted") {
		t.Fatalf("delete: exit %d %q %q", code, out, errOut)
	}
	if got := list(); len(got) != 2 || slices.Contains(got, draft) {
		t.Fatalf("after delete: %v", got)
	}
	if code, _, errOut := kaiku(t, "--data", dir, "--lang", "en", "post", "delete", draft); code != 1 || !strings.HasPrefix(errOut, "kaiku: ") {
		t.Fatalf("deleting again: exit %d %q", code, errOut)
	}
}

func TestPostAddThread(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := kaiku(t, "--data", dir, "post", "add", "--at", "2036-12-01T09:00", "--status", "scheduled",
		"--text", "one", "--text", "two", "--network", "x", "--purpose", "share", "--role", "advising")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, out, _ := kaiku(t, "--data", dir, "post", "list", "--json")
	var posts []struct {
		Parts   []string
		Status  string
		Purpose string
		Role    string
	}
	if err := json.Unmarshal([]byte(out), &posts); err != nil || len(posts) != 1 {
		t.Fatalf("list: %v %s", err, out)
	}
	p := posts[0]
	if strings.Join(p.Parts, "|") != "one|two" || p.Status != "scheduled" || p.Purpose != "share" || p.Role != "advising" {
		t.Errorf("post = %+v", p)
	}
}

func TestErrorsAreOneClearLine(t *testing.T) {
	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "thesis.txt"), []byte("my work"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"date that does not exist", []string{"post", "add", "--at", "2026-02-30T09:00", "--text", "x"}, 1, "is not a date and time"},
		{"empty text", []string{"post", "add", "--at", "2026-12-01T09:00", "--text", "  "}, 1, "has no text"},
		{"scheduled without a time", []string{"post", "add", "--status", "scheduled", "--text", "x"}, 1, "needs a date and time"},
		{"scheduled in the past", []string{"post", "add", "--status", "scheduled", "--at", "2020-01-01T09:00", "--text", "x"}, 1, "2020-01-01 09:00 has passed"},
		{"scheduled with no text", []string{"post", "add", "--status", "scheduled", "--at", "now", "--text", ""}, 1, "has no text"},
		{"unknown status to list", []string{"post", "list", "--status", "lost"}, 1, "status"},
		{"unknown network", []string{"post", "add", "--text", "x", "--network", "myspace"}, 1, "Unknown network"},
		{"bad range", []string{"post", "list", "--from", "2026-12-07", "--to", "2026-12-01"}, 1, "before"},
		{"missing text", []string{"post", "add", "--at", "2026-12-01T09:00"}, 2, "--text is required"},
		{"unknown flag", []string{"post", "add", "--colour", "red"}, 2, "colour"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command frobnicate"},
		{"bad language", []string{"--lang", "sv", "post", "list"}, 2, "--lang is fi or en"},
		{"Finnish", []string{"--lang", "fi", "post", "add", "--at", "2026-13-01T09:00", "--text", "x"}, 1, "ei ole päivämäärä"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--data", t.TempDir()}, tc.args...)
			if tc.args[0] != "--lang" {
				args = append([]string{"--lang", "en"}, args...)
			}
			code, _, errOut := kaiku(t, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errOut)
			}
			first := strings.SplitN(errOut, "\n", 2)[0]
			if !strings.HasPrefix(first, "kaiku: ") || !strings.Contains(first, tc.want) {
				t.Errorf("stderr %q, want one line with %q", errOut, tc.want)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, ".go:") {
				t.Errorf("stderr shows internals: %q", errOut)
			}
		})
	}

	t.Run("foreign folder", func(t *testing.T) {
		code, _, errOut := kaiku(t, "--lang", "en", "--data", foreign, "post", "list")
		if code != 1 || !strings.Contains(errOut, "is not a Kaiku data folder") {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		entries, _ := os.ReadDir(foreign)
		if len(entries) != 1 {
			t.Errorf("the foreign folder was written to: %v", entries)
		}
		if b, _ := os.ReadFile(filepath.Join(foreign, "thesis.txt")); string(b) != "my work" {
			t.Errorf("the user's file changed")
		}
	})
}

func TestSecondProcessGetsClearMessage(t *testing.T) {
	dir := t.TempDir()
	openApp(t, dir)

	second := child(t, "main", "--data", dir, "post", "list")
	var errOut bytes.Buffer
	second.Stderr = &errOut
	err := second.Run()
	if second.ProcessState.ExitCode() != 1 {
		t.Fatalf("second process: %v, exit %d, want 1", err, second.ProcessState.ExitCode())
	}
	if got, want := errOut.String(), "kaiku: Kaiku is already open on "+dir+"\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

// TestStartErrorIsShownInAWindow: started without a command, as from the
// desktop, Kaiku shows why it cannot open as well as printing it, when what
// holds the folder does not answer (a command, say).
func TestStartErrorIsShownInAWindow(t *testing.T) {
	dir := t.TempDir()
	holder, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()

	var shown []string
	var out, errOut bytes.Buffer
	d := desktop{
		open:   func(*env, string) error { t.Error("a second window opened on a locked folder"); return nil },
		refuse: func(msg string) { shown = append(shown, msg) },
	}
	if code := run([]string{"--data", dir, "--lang", "fi"}, strings.NewReader(""), &out, &errOut, d); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	want := "Kaiku on jo auki kansiossa " + dir
	if len(shown) != 1 || shown[0] != want {
		t.Errorf("shown %q, want %q", shown, want)
	}
	if got := errOut.String(); got != "kaiku: "+want+"\n" {
		t.Errorf("stderr = %q", got)
	}
}

// TestStartWaitsForAQuittingWindow: a start while the window on the folder
// is quitting opens its own window once that one has let go of the folder,
// instead of handing over to a window that is going away.
func TestStartWaitsForAQuittingWindow(t *testing.T) {
	dir, err := os.MkdirTemp("", "kq") // short enough for a socket
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	holder, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := instance.Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	l.Quitting()
	go func() {
		time.Sleep(300 * time.Millisecond) // the quitting window saves its last words
		l.Close()
		holder.Close()
	}()

	opened := false
	var out, errOut bytes.Buffer
	d := desktop{
		open:   func(*env, string) error { opened = true; return nil },
		refuse: func(msg string) { t.Errorf("refused: %s", msg) },
	}
	if code := run([]string{"--data", dir}, strings.NewReader(""), &out, &errOut, d); code != 0 {
		t.Fatalf("exit %d; stderr %q", code, errOut.String())
	}
	if !opened {
		t.Error("the window did not open once the folder was free")
	}
	select {
	case <-l.Raised():
		t.Error("the quitting window was asked to come forward")
	default:
	}
}

// crashRounds is how many times TestKilledWriterLosesNothing kills the
// writer; -short makes it a quick smoke test.
const crashRounds = 50

// TestKilledWriterLosesNothing kills a process that adds posts in a loop, 50
// times at random moments, and checks each time that the store opens cleanly
// and holds every post whose `post add` had finished.
func TestKilledWriterLosesNothing(t *testing.T) {
	dir := t.TempDir()
	total := 0
	rounds := crashRounds
	if testing.Short() {
		rounds = 3
	}
	for round := range rounds {
		cmd := child(t, "loop", "--data", dir)
		lines := startReading(t, cmd)
		// The kill lands at a random moment after the first add, whatever
		// the machine's speed: in a later add's start, save or close.
		lines.waitFirst(t)
		time.Sleep(time.Duration(rand.IntN(600)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		acked := lines.all()
		_ = cmd.Wait()
		total += len(acked)

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
		for _, id := range acked {
			if !have[id] {
				t.Errorf("round %d: acknowledged post %s is missing", round, id)
			}
		}
		if len(posts) < total {
			t.Errorf("round %d: %d posts stored, %d acknowledged", round, len(posts), total)
		}
	}
	if total == 0 {
		t.Fatal("no post was acknowledged before the kills; the test proved nothing")
	}
	t.Logf("%d acknowledged posts over %d kills, all present", total, rounds)
}

// FuzzParseDateTime: no input crashes the date parser; what it accepts is a
// real time, and what it refuses gets the user's one-line message.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2026-12-01T09:00", "2026-02-30T09:00", "2026-03-29T03:30", "2026-12-01 09:00:00", "2026-12-01T09:00:00+02:00", "", "T", "9999-99-99T99:99", "2026-12-01T24:00", "\x00"} {
		f.Add(s)
	}
	loc, _ := time.LoadLocation("Europe/Helsinki")
	f.Fuzz(func(t *testing.T, s string) {
		tm, _, err := parseDateTime(s, loc)
		if err != nil {
			var ue userError
			if !errors.As(err, &ue) || ue.msg == "" {
				t.Fatalf("parseDateTime(%q) error %v is not for the user", s, err)
			}
			return
		}
		if tm.IsZero() {
			t.Fatalf("parseDateTime(%q) accepted a zero time", s)
		}
		if _, err := parseDate(s, loc); err == nil && len(s) > 10 {
			t.Fatalf("parseDate(%q) accepted a date and time", s)
		}
	})
}
