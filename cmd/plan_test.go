package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoleApplyProposesAPlan(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	dir := t.TempDir()
	code, out, errOut := kaiku(t, "--data", dir, "role", "questions", "--json")
	if code != 0 {
		t.Fatalf("role questions: %d %s", code, errOut)
	}
	var qs []questionJSON
	if err := json.Unmarshal([]byte(out), &qs); err != nil || len(qs) < 8 || len(qs) > 12 {
		t.Fatalf("questions: %v, %d of them", err, len(qs))
	}
	answers := filepath.Join(dir, "answers.json")
	os.WriteFile(answers, []byte(`{"production":["share"],"time":["60"],"natural":["explain"],"networks":["x"]}`), 0o600)
	code, out, errOut = kaiku(t, "--data", filepath.Join(dir, "db"), "--lang", "en", "role", "apply", "--answers", answers, "--json")
	if code != 0 {
		t.Fatalf("role apply: %d %s", code, errOut)
	}
	var res struct {
		Recommendation struct {
			Profile struct{ Primary string }
		}
		Plan struct {
			TimeZone string `json:"time_zone"`
			Slots    []struct{ ID string }
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Recommendation.Profile.Primary != "advising" || res.Plan.TimeZone != "Europe/Helsinki" || len(res.Plan.Slots) == 0 {
		t.Fatalf("apply gave %+v", res)
	}
	_, out, _ = kaiku(t, "--data", filepath.Join(dir, "db"), "plan", "slots", "--json")
	if !strings.Contains(out, res.Plan.Slots[0].ID) {
		t.Errorf("the proposed plan was not saved: %s", out)
	}

	os.WriteFile(answers, []byte(`{"production":["nonsense"]}`), 0o600)
	code, _, errOut = kaiku(t, "--data", filepath.Join(dir, "db"), "--lang", "en", "role", "apply", "--answers", answers)
	if code != 1 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("bad answers: exit %d, %q", code, errOut)
	}
	os.WriteFile(answers, []byte(`{not json`), 0o600)
	code, _, errOut = kaiku(t, "--data", filepath.Join(dir, "db"), "--lang", "en", "role", "apply", "--answers", answers)
	if code != 1 || !strings.Contains(errOut, "is not an answers file") {
		t.Errorf("broken file: exit %d, %q", code, errOut)
	}
}

func TestPlanSlotsAndWeek(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	dir := t.TempDir()
	code, out, errOut := kaiku(t, "--data", dir, "plan", "add-slot", "--day", "tue", "--time", "09:00", "--minutes", "30", "--purpose", "share", "--role", "advising")
	if code != 0 {
		t.Fatalf("add-slot: %d %s", code, errOut)
	}
	slotID := strings.TrimSpace(out)
	kaiku(t, "--data", dir, "post", "add", "--at", "2026-12-01T09:00", "--text", "Hei", "--status", "draft")

	code, out, errOut = kaiku(t, "--data", dir, "plan", "--week", "2026-W49", "--json")
	if code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	var wd struct {
		Week        string
		Occurrences []struct {
			ID    string
			Start string
		}
		Posts  []struct{ Text string }
		Review struct{ Week string }
	}
	if err := json.Unmarshal([]byte(out), &wd); err != nil {
		t.Fatal(err)
	}
	if wd.Week != "2026-W49" || len(wd.Occurrences) != 1 || len(wd.Posts) != 1 || wd.Review.Week != "2026-W49" {
		t.Fatalf("week = %+v", wd)
	}
	if wd.Occurrences[0].ID != slotID+"@2026-12-01" || !strings.HasPrefix(wd.Occurrences[0].Start, "2026-12-01T09:00:00+02:00") {
		t.Errorf("occurrence = %+v", wd.Occurrences[0])
	}
	code, out, _ = kaiku(t, "--data", dir, "--lang", "fi", "plan", "--week", "2026-W49")
	if code != 0 || !strings.Contains(out, "Viikko 2026-W49") || !strings.Contains(out, "Neuvominen") {
		t.Errorf("Finnish week:\n%s", out)
	}

	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"plan", "--week", "2026-W54"}, 1},
		{[]string{"plan", "add-slot", "--day", "someday", "--time", "09:00", "--purpose", "share"}, 1},
		{[]string{"plan", "add-slot", "--day", "mon", "--time", "24:00", "--purpose", "share"}, 1},
		{[]string{"plan", "add-slot", "--day", "mon"}, 2},
		{[]string{"plan", "remove-slot", "nope"}, 1},
		{[]string{"plan", "remove-slot"}, 2},
	} {
		code, _, errOut := kaiku(t, append([]string{"--data", dir, "--lang", "en"}, tc.args...)...)
		if code != tc.code || !strings.HasPrefix(errOut, "kaiku: ") {
			t.Errorf("%v: exit %d want %d, %q", tc.args, code, tc.code, errOut)
		}
	}

	if code, _, errOut := kaiku(t, "--data", dir, "plan", "remove-slot", slotID); code != 0 {
		t.Fatalf("remove-slot: %s", errOut)
	}
	_, out, _ = kaiku(t, "--data", dir, "plan", "slots", "--json")
	if strings.Contains(out, slotID) {
		t.Error("the slot is still there")
	}
}
