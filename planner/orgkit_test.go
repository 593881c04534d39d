package planner_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

const kitJSON = `{"format":"kaiku-org-kit","version":1,"organization":"Energiavirasto",
 "made":"2026-12-01T11:00:00+02:00",
 "goals":[{"id":"k1","title":"Avoin data tutuksi","audiences":["media","peers"]},
          {"id":"k2","title":"Energiamurros ymmärrettäväksi","description":"Selitämme, emme myy."}],
 "guidelines":{"disclosure":"#energiavirasto","avoid_words":["halpa*","ehdottomasti"]},
 "hashtags":["energia","#Energia","#avoindata"],
 "feeds":[{"url":"https://energiavirasto.fi/rss","title":"Tiedotteet","folder":"Työ"}],
 "networks":["linkedin","bluesky"],
 "a_field_of_a_later_kaiku":{"x":1}}`

func TestParseOrgKit(t *testing.T) {
	kit, err := planner.ParseOrgKit([]byte(kitJSON))
	if err != nil {
		t.Fatal(err)
	}
	if kit.Organization != "Energiavirasto" || len(kit.Goals) != 2 || kit.Goals[0].ID != "k1" || kit.Goals[1].Description == "" {
		t.Errorf("kit %+v", kit)
	}
	if !slices.Equal(kit.Hashtags, []string{"#energia", "#avoindata"}) {
		t.Errorf("hashtags %q: want # added and repeats dropped", kit.Hashtags)
	}
	if !kit.Made.Equal(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)) || kit.Made.Location() != time.UTC {
		t.Errorf("made %v", kit.Made)
	}
}

// TestParseOrgKitRefuses: each kind of bad kit gets its own error, naming the item at fault.
func TestParseOrgKitRefuses(t *testing.T) {
	replace := func(old, new string) string { return strings.Replace(kitJSON, old, new, 1) }
	tests := []struct {
		name, data string
		kind       error
		item       string
	}{
		{"empty", "", planner.ErrNotOrgKit, ""},
		{"not JSON", "organization: Energiavirasto", planner.ErrNotOrgKit, ""},
		{"cut short", kitJSON[:len(kitJSON)/2], planner.ErrNotOrgKit, ""},
		{"a Kaiku export", `{"format":"kaiku-export","version":1,"posts":[]}`, planner.ErrNotOrgKit, ""},
		{"no version", `{"format":"kaiku-org-kit","organization":"X"}`, planner.ErrNotOrgKit, ""},
		{"a version that is no number", `{"format":"kaiku-org-kit","version":"1","organization":"X"}`, planner.ErrNotOrgKit, ""},
		{"more after the kit", kitJSON + `{}`, planner.ErrNotOrgKit, ""},
		{"not UTF-8", replace("Energiavirasto", "Energia\xffvirasto"), planner.ErrNotOrgKit, ""},
		{"a list where an object goes", replace(`"guidelines":{`, `"guidelines":[{`), planner.ErrNotOrgKit, ""},
		{"newer", replace(`"version":1`, `"version":2`), planner.ErrNewerOrgKit, ""},
		{"newer, with a body this Kaiku cannot read", `{"format":"kaiku-org-kit","version":7,"goals":"many"}`, planner.ErrNewerOrgKit, ""},
		{"no organization", replace(`"organization":"Energiavirasto"`, `"organization":""`), planner.ErrInvalid, "organization"},
		{"a goal without a title", replace(`"title":"Energiamurros ymmärrettäväksi"`, `"title":"  "`), planner.ErrInvalid, `goal 2 (id "k2")`},
		{"a goal without an id", replace(`"id":"k1"`, `"id":""`), planner.ErrInvalid, `goal 1 (id "")`},
		{"two goals with one id", replace(`"id":"k2"`, `"id":"k1"`), planner.ErrInvalid, `goal 2 (id "k1")`},
		{"an unknown audience", replace(`"media"`, `"voters"`), planner.ErrInvalid, `goal 1 (id "k1")`},
		{"a hashtag with a space", replace(`"#avoindata"`, `"#avoin data"`), planner.ErrInvalid, `hashtag 2 ("#avoin data")`},
		{"a feed that is not a web address", replace("https://energiavirasto.fi/rss", "javascript:alert(1)"), planner.ErrInvalid, "feed 1"},
		{"an unknown network", replace(`"bluesky"`, `"myspace"`), planner.ErrInvalid, "network 2"},
		{"too big", `{"format":"kaiku-org-kit","version":1,"organization":"` + strings.Repeat("x", planner.MaxOrgKitBytes) + `"}`, planner.ErrNotOrgKit, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := planner.ParseOrgKit([]byte(tt.data))
			var ke *planner.OrgKitError
			if !errors.Is(err, tt.kind) || !errors.As(err, &ke) || ke.Item != tt.item {
				t.Fatalf("error %v (item %q), want %v naming %q", err, itemOf(err), tt.kind, tt.item)
			}
			if tt.kind == planner.ErrNewerOrgKit && ke.Version <= planner.OrgKitVersion {
				t.Errorf("the newer kit's version is %d", ke.Version)
			}
		})
	}
}

func itemOf(err error) string {
	var ke *planner.OrgKitError
	if errors.As(err, &ke) {
		return ke.Item
	}
	return ""
}

// TestMakeOrgKitRoundTrip: a kit made of goals and guidelines reads back the
// same, goal IDs and all, and carries nothing else of the maker's data.
func TestMakeOrgKitRoundTrip(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	goals := []planner.Goal{
		{ID: "g1", Title: "Avoin data tutuksi", Audiences: []planner.Audience{planner.AudienceMedia}, Created: now, Updated: now},
		{ID: "g2", Title: "Rekrytointi", Description: "Tulevat kollegat", Audiences: []planner.Audience{planner.AudienceFutureColleagues}, Created: now, Updated: now},
	}
	g := planner.Guidelines{Disclosure: "#energiavirasto", AvoidWords: []string{"halpa*"}}
	kit, err := planner.MakeOrgKit(planner.OrgKitContent{Organization: " Energiavirasto ", Hashtags: []string{"energia"},
		Networks: []planner.Network{planner.NetworkLinkedIn}}, goals, g, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(kit)
	if err != nil {
		t.Fatal(err)
	}
	for _, personal := range []string{"created", "updated", "posts", "accounts", "profile", "settings", "language"} {
		if strings.Contains(string(b), `"`+personal+`"`) {
			t.Errorf("the kit carries %q: %s", personal, b)
		}
	}
	back, err := planner.ParseOrgKit(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if string(b) != string(b2) {
		t.Errorf("round trip:\n%s\n%s", b, b2)
	}
	if back.Organization != "Energiavirasto" || back.Goals[1].ID != "g2" || back.Hashtags[0] != "#energia" || back.Feeds == nil {
		t.Errorf("kit %+v", back)
	}
	if _, err := planner.MakeOrgKit(planner.OrgKitContent{}, goals, g, now); !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("a kit without the organization's name: %v", err)
	}
}

func TestPlanOrgKit(t *testing.T) {
	kit, err := planner.ParseOrgKit([]byte(kitJSON))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	settings := planner.DefaultSettings()
	settings.Language, settings.Guidelines = "fi", planner.Guidelines{Disclosure: "#oma"}
	none := func(string) bool { return false }

	ch := planner.PlanOrgKit(kit, nil, settings, none, "kit.json", now)
	if len(ch.Goals) != 2 || ch.Goals[0].ID != "k1" || !ch.Goals[0].Created.Equal(now) || ch.Unchanged {
		t.Fatalf("first import: %+v", ch)
	}
	if ch.Settings.Guidelines.Disclosure != "#energiavirasto" || ch.Settings.Language != "fi" {
		t.Errorf("settings %+v", ch.Settings)
	}
	if !slices.Equal(ch.Record.AppliedGoals, []string{"k1", "k2"}) || ch.Record.Source != "kit.json" {
		t.Errorf("record %+v", ch.Record)
	}

	// The same kit, read again from its file, changes nothing.
	again, _ := planner.ParseOrgKit([]byte(kitJSON))
	stored := func(id string) bool { return id == "k1" || id == "k2" }
	ch2 := planner.PlanOrgKit(again, &ch.Record, ch.Settings, stored, "kit.json", now.Add(time.Hour))
	if !ch2.Unchanged || len(ch2.Goals) != 0 || !ch2.Record.Received.Equal(now) {
		t.Errorf("second import: %+v", ch2)
	}
	// A goal the user deleted is not added back; changed guidelines are a change.
	again.Guidelines.AvoidWords = append(again.Guidelines.AvoidWords, "mahtava")
	ch3 := planner.PlanOrgKit(again, &ch.Record, ch.Settings, func(id string) bool { return id == "k1" }, "kit.json", now.Add(time.Hour))
	if ch3.Unchanged || len(ch3.Goals) != 0 || ch3.KeptGoals != 2 || len(ch3.Settings.Guidelines.AvoidWords) != 3 {
		t.Errorf("changed kit: %+v", ch3)
	}
	// A goal the user already has under the kit's ID is not overwritten.
	ch4 := planner.PlanOrgKit(kit, nil, settings, func(id string) bool { return id == "k2" }, "kit.json", now)
	if len(ch4.Goals) != 1 || ch4.Goals[0].ID != "k1" || ch4.KeptGoals != 1 {
		t.Errorf("with k2 stored: %+v", ch4)
	}
}

// FuzzParseOrgKit: no input makes the kit reader panic; what it accepts is valid.
func FuzzParseOrgKit(f *testing.F) {
	f.Add([]byte(kitJSON))
	f.Add([]byte(`{"format":"kaiku-org-kit","version":1,"organization":"X","hashtags":["#","##a"," a "]}`))
	f.Add([]byte(`{"format":"kaiku-org-kit","version":99999999999999999999}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		kit, err := planner.ParseOrgKit(data)
		if err != nil {
			var ke *planner.OrgKitError
			if !errors.As(err, &ke) {
				t.Fatalf("error %v is not an OrgKitError", err)
			}
			return
		}
		if err := kit.Validate(); err != nil {
			t.Fatalf("accepted an invalid kit: %v", err)
		}
	})
}
