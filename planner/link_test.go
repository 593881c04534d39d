package planner_test

import (
	"slices"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

func TestLinkEndHelpers(t *testing.T) {
	linked := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	a := planner.Account{Expires: linked.Add(5183999 * time.Second)} // LinkedIn's 60 days
	day := 24 * time.Hour
	for _, tc := range []struct {
		name  string
		now   time.Time
		days  int
		soon  bool
		ended bool
	}{
		{"just linked", linked, 60, false, false},
		{"a month on", linked.Add(30 * day), 30, false, false},
		{"eight days left", a.Expires.Add(-8 * day), 8, false, false},
		{"a week left", a.Expires.Add(-7 * day), 7, true, false},
		{"an hour left", a.Expires.Add(-time.Hour), 1, true, false},
		{"a second left", a.Expires.Add(-time.Second), 1, true, false},
		{"the moment it ends", a.Expires, 0, false, true},
		{"long after", a.Expires.Add(100 * day), 0, false, true},
	} {
		if got := a.LinkDaysLeft(tc.now); got != tc.days {
			t.Errorf("%s: %d days left, want %d", tc.name, got, tc.days)
		}
		if got := a.LinkEndsSoon(tc.now); got != tc.soon {
			t.Errorf("%s: LinkEndsSoon %v", tc.name, got)
		}
		if got := a.LinkEnded(tc.now); got != tc.ended {
			t.Errorf("%s: LinkEnded %v", tc.name, got)
		}
	}
	if a.LinkEndsBy(a.Expires.Add(-time.Minute)) {
		t.Error("a post due a minute before the end is flagged")
	}
	if !a.LinkEndsBy(a.Expires) || !a.LinkEndsBy(a.Expires.Add(3*day)) {
		t.Error("a post due at or after the end is not flagged")
	}
	// A link that does not end flags nothing.
	var forever planner.Account
	if forever.LinkDaysLeft(linked) != 0 || forever.LinkEndsSoon(linked) || forever.LinkEnded(linked) || forever.LinkEndsBy(linked) {
		t.Error("a link without an end says something")
	}
}

// A scheduled post due after its account's link ends is flagged; one due
// before, one by hand, one already out and an undated one are not.
func TestLinksEndedWhenDue(t *testing.T) {
	ends := time.Date(2027, 1, 30, 10, 0, 0, 0, time.UTC)
	li := planner.Account{ID: "li1", Network: planner.NetworkLinkedIn, Expires: ends}
	x := planner.Account{ID: "x1", Network: planner.NetworkX}
	accs := []planner.Account{li, x}
	post := func(at time.Time, st planner.Status) planner.Post {
		return planner.Post{Time: at, Status: st, Targets: []planner.Target{{AccountID: "x1", Network: planner.NetworkX},
			{AccountID: "li1", Network: planner.NetworkLinkedIn}, {Network: planner.NetworkBluesky}}}
	}
	if got := planner.LinksEndedWhenDue(post(ends.Add(time.Hour), planner.StatusScheduled), accs); len(got) != 1 || got[0].ID != "li1" {
		t.Errorf("due after the end: %+v", got)
	}
	for name, p := range map[string]planner.Post{
		"due before the end": post(ends.Add(-time.Hour), planner.StatusScheduled),
		"published":          post(ends.Add(time.Hour), planner.StatusPublished),
		"undated":            post(time.Time{}, planner.StatusDraft),
	} {
		if got := planner.LinksEndedWhenDue(p, accs); len(got) != 0 {
			t.Errorf("%s: flagged %+v", name, got)
		}
	}
}

func TestTextsFor(t *testing.T) {
	p := planner.Post{Text: "Yleinen.", Variants: map[planner.Network]string{planner.NetworkX: "X:lle."}}
	if got := p.TextsFor(planner.NetworkX); !slices.Equal(got, []string{"X:lle."}) {
		t.Errorf("variant: %q", got)
	}
	if got := p.TextsFor(planner.NetworkBluesky); !slices.Equal(got, []string{"Yleinen."}) {
		t.Errorf("no variant: %q", got)
	}
	th := planner.Post{Parts: []string{" Eka osa. ", "Toka osa 🇫🇮\n", "Kolmas."}}
	if got := th.TextsFor(planner.NetworkMastodon); !slices.Equal(got, th.Parts) {
		t.Errorf("a thread: %q", got)
	}
	if got := th.TextsFor(planner.NetworkLinkedIn); !slices.Equal(got, []string{"Eka osa.\n\nToka osa 🇫🇮\n\nKolmas."}) {
		t.Errorf("a thread on LinkedIn: %q", got)
	}
	for _, tc := range []struct {
		parts []string
		want  string
	}{
		{nil, ""},
		{[]string{"Yksi"}, "Yksi"},
		{[]string{"Yksi\n", "\n\nKaksi", " ", "Kolme\n\nneljä"}, "Yksi\n\nKaksi\n\nKolme\n\nneljä"},
	} {
		if got := planner.JoinParts(tc.parts); got != tc.want {
			t.Errorf("JoinParts(%q) = %q, want %q", tc.parts, got, tc.want)
		}
	}
}

func TestLanguageFor(t *testing.T) {
	s := planner.Settings{Language: "fi"}
	if got := (planner.Post{}).LanguageFor(s, "en"); got != "fi" {
		t.Errorf("the settings' language: %q", got)
	}
	if got := (planner.Post{Language: "sv"}).LanguageFor(s, "en"); got != "sv" {
		t.Errorf("the post's own: %q", got)
	}
	if got := (planner.Post{}).LanguageFor(planner.Settings{}, "en"); got != "en" {
		t.Errorf("the system's: %q", got)
	}
	for s, want := range map[string]bool{"fi": true, "smn": true, "FI": false, "f": false, "fi-FI": false, "": false} {
		if planner.ValidLanguage(s) != want {
			t.Errorf("ValidLanguage(%q) = %v", s, !want)
		}
	}
}

// A Mastodon account counts with its instance's limit and link weight.
func TestAccountCountUsesTheInstancesRules(t *testing.T) {
	text := "Lue https://example.fi/hyvin/pitka/osoite/joka/on/pitka ja kerro 🇫🇮"
	plain := planner.Account{Network: planner.NetworkMastodon}
	own := planner.Account{Network: planner.NetworkMastodon, TextLimit: 5000, URLWeight: 10}
	a, b := plain.Count(text), own.Count(text)
	if a.Limit != 500 || b.Limit != 5000 || a.Length-b.Length != 13 || !b.Valid {
		t.Errorf("default %+v, instance's own %+v", a, b)
	}
}
