package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTimeInTheGap: a post set for a time the clocks jump over lands where
// a slot set for that time does, and the user is told.
func TestTimeInTheGap(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	dir := t.TempDir()
	if code, _, errOut := kaiku(t, "--data", dir, "--lang", "en", "plan", "add-slot", "--day", "sun", "--time", "03:30", "--minutes", "30", "--purpose", "write"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := kaiku(t, "--data", dir, "--lang", "en", "post", "add", "--at", "2026-03-29T03:30", "--text", "Early bird")
	if code != 0 {
		t.Fatalf("post add: exit %d, %s", code, errOut)
	}
	if !strings.Contains(errOut, "03:30 does not exist on 2026-03-29 in Europe/Helsinki") || !strings.Contains(errOut, "04:00") {
		t.Errorf("post add did not tell where the post went: stderr %q", errOut)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("stdout holds more than the ID: %q", out)
	}

	_, week, _ := kaiku(t, "--data", dir, "--lang", "en", "plan", "--week", "2026-W13", "--json")
	var wd struct {
		Occurrences []struct {
			Start   string
			Shifted bool
		}
		Posts     []struct{ Time string }
		TimeNotes []struct{ Key string } `json:"time_notes"`
	}
	if err := json.Unmarshal([]byte(week), &wd); err != nil {
		t.Fatal(err)
	}
	if len(wd.Occurrences) != 1 || len(wd.Posts) != 1 {
		t.Fatalf("week: %s", week)
	}
	if wd.Occurrences[0].Start != "2026-03-29T04:00:00+03:00" || wd.Posts[0].Time != "2026-03-29T04:00:00+03:00" {
		t.Errorf("slot at %s, post at %s; want both at 04:00", wd.Occurrences[0].Start, wd.Posts[0].Time)
	}
	if len(wd.TimeNotes) != 1 || wd.TimeNotes[0].Key != "time.gap" {
		t.Errorf("time notes %+v", wd.TimeNotes)
	}
	_, text, _ := kaiku(t, "--data", dir, "--lang", "fi", "plan", "--week", "2026-W13")
	if !strings.Contains(text, "Kellonaikaa 03:30 ei ole 2026-03-29") {
		t.Errorf("plan does not tell the user:\n%s", text)
	}
}
