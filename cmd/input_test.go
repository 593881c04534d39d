package cmd

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportICSRefusesOutOfRange: weeks outside 1–52 and dates outside the
// years Kaiku keeps are refused with a line that says so, and no file is written.
func TestExportICSRefusesOutOfRange(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	dir := t.TempDir()
	if code, _, errOut := kaiku(t, "--data", dir, "plan", "add-slot", "--day", "mon", "--time", "09:00", "--minutes", "20", "--purpose", "share"); code != 0 {
		t.Fatal(errOut)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--weeks", "0"}, "1 to 52"},
		{[]string{"--weeks", "-3"}, "1 to 52"},
		{[]string{"--weeks", "53"}, "1 to 52"},
		{[]string{"--from", "9999-12-01"}, "2000"},
		{[]string{"--from", "1999-12-27"}, "2000"},
		{[]string{"--from", "2199-12-20", "--weeks", "4"}, "2199"},
	} {
		file := filepath.Join(t.TempDir(), "x.ics")
		code, _, errOut := kaiku(t, append([]string{"--data", dir, "--lang", "en", "export-ics", "-o", file}, tc.args...)...)
		if code != 1 || !strings.HasPrefix(errOut, "kaiku: ") || !strings.Contains(errOut, tc.want) {
			t.Errorf("export-ics %v: exit %d, stderr %q; want exit 1 and a line with %q", tc.args, code, errOut, tc.want)
		}
		if _, err := os.Stat(file); err == nil {
			t.Errorf("export-ics %v wrote a file", tc.args)
		}
	}
	if code, out, errOut := kaiku(t, "--data", dir, "export-ics", "--from", "2199-11-01", "--weeks", "4"); code != 0 || !strings.Contains(out, "DTSTART;TZID=Europe/Helsinki:2199") {
		t.Errorf("the last weeks Kaiku keeps: exit %d %s", code, errOut)
	}
}

// TestCountRefusesBadInput: text that is not UTF-8 fits no network, and a
// limit must be a number of characters above zero.
func TestCountRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		in   string
		want string
	}{
		{[]string{"--json"}, "Hei \xff\xfe maailma", "UTF-8"},
		{[]string{"--limit", "0"}, "Hei", "--limit"},
		{[]string{"--limit", "-5"}, "Hei", "--limit"},
	} {
		var out, errOut bytes.Buffer
		code := run(append([]string{"--lang", "en", "count"}, tc.args...), strings.NewReader(tc.in), &out, &errOut, noWindow(t))
		if code != 1 || out.Len() != 0 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("count %v on %q: exit %d, stdout %q, stderr %q", tc.args, tc.in, code, out.String(), errOut.String())
		}
	}
	var out bytes.Buffer
	if code := run([]string{"count", "--limit", "5", "--json"}, strings.NewReader("Hei maailma"), &out, &bytes.Buffer{}, noWindow(t)); code != 0 ||
		strings.TrimSpace(out.String()) != `{"network":"x","length":11,"limit":5,"valid":false}` {
		t.Errorf("--limit 5: exit %d, %s", code, out.String())
	}
}

// TestTerminalOutputIsSafe: a post's text may hold terminal escapes (pasted,
// imported, or sent by a network); the table output shows them harmlessly,
// and JSON keeps the text exactly.
func TestTerminalOutputIsSafe(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	dir := t.TempDir()
	evil := "Hei\x1b[2J\x1b]0;owned\x07 \u202eymmarg\u202c\tloppu\u009b31m"
	if code, _, errOut := kaiku(t, "--data", dir, "post", "add", "--at", "2026-12-01T09:00", "--text", evil); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := kaiku(t, "--data", dir, "plan", "add-slot", "--day", "tue", "--time", "09:00", "--minutes", "20", "--purpose", "share"); code != 0 {
		t.Fatal(errOut)
	}
	for _, args := range [][]string{{"post", "list"}, {"plan", "--week", "2026-W49"}} {
		_, out, _ := kaiku(t, append([]string{"--data", dir}, args...)...)
		for _, r := range out {
			if (r < 0x20 && r != '\n') || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Errorf("%v printed the control character %U:\n%q", args, r, out)
				break
			}
		}
		if !strings.Contains(out, "Hei") || !strings.Contains(out, "loppu") {
			t.Errorf("%v lost the text: %q", args, out)
		}
	}
	_, list, _ := kaiku(t, "--data", dir, "post", "list", "--json")
	var posts []struct{ Text string }
	if err := json.Unmarshal([]byte(list), &posts); err != nil || len(posts) != 1 || posts[0].Text != evil {
		t.Errorf("JSON changed the text: %v %q", err, list)
	}
}
