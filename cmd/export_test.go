package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-ical"
)

func TestExportICS(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	dir := t.TempDir()
	for _, day := range []string{"mon", "wed", "fri"} {
		if code, _, errOut := kaiku(t, "--data", dir, "plan", "add-slot", "--day", day, "--time", "09:00", "--minutes", "20", "--purpose", "share", "--role", "advising"); code != 0 {
			t.Fatal(errOut)
		}
	}
	file := filepath.Join(t.TempDir(), "kaiku.ics")
	code, _, errOut := kaiku(t, "--data", dir, "--lang", "en", "export-ics", "--from", "2026-12-01", "--weeks", "2", "-o", file)
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ical.NewDecoder(strings.NewReader(string(b))).Decode()
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	events := cal.Events()
	if len(events) != 6 {
		t.Fatalf("%d events, want 6 (3 slots × 2 weeks)", len(events))
	}
	if !strings.Contains(string(b), "TZID=Europe/Helsinki") || strings.Contains(string(b), "TZID=Local") || !strings.Contains(string(b), "\r\n") {
		t.Error("zone or line ends wrong")
	}
	code, out, _ := kaiku(t, "--data", dir, "export-ics", "--recurring", "--from", "2026-12-01")
	if code != 0 || !strings.Contains(out, "RRULE:FREQ=WEEKLY") {
		t.Errorf("recurring export to stdout: %d", code)
	}
	code, _, errOut = kaiku(t, "--data", dir, "--lang", "en", "export-ics", "--weeks", "53")
	if code != 1 || !strings.HasPrefix(errOut, "kaiku: ") {
		t.Errorf("53 weeks: %d %q", code, errOut)
	}
	code, _, errOut = kaiku(t, "--data", t.TempDir(), "--lang", "en", "export-ics")
	if code != 1 || !strings.Contains(errOut, "no slots") {
		t.Errorf("empty plan: %d %q", code, errOut)
	}
}
