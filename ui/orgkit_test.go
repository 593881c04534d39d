package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/reading"
)

const testKit = `{"format":"kaiku-org-kit","version":1,"organization":"Energiavirasto","made":"2026-11-30T09:00:00Z",
 "goals":[{"id":"g-energy","title":"Energiamurros tutuksi","audiences":["media"]}],
 "guidelines":{"disclosure":"#energiavirasto","avoid_words":["halpa*"]},
 "hashtags":["energia","#sähkö"],
 "feeds":[{"url":"https://energiavirasto.fi/rss","title":"Energiavirasto"}],
 "networks":["linkedin","bluesky"]}`

func orgSettings(t *testing.T, d *Deps) (*Window, *orgSection) {
	t.Helper()
	w := NewWindow(test.NewTempApp(t), d)
	t.Cleanup(w.Close)
	w.nav.SelectIndex(screenSettings)
	test.WidgetRenderer(w.Settings())
	if w.Settings().org == nil {
		t.Fatal("the settings have no organization section")
	}
	return w, w.Settings().org
}

// formText is the organization section's lines, "name: value".
func formText(o *orgSection) string {
	var out []string
	for _, it := range o.info.Items {
		out = append(out, it.Text+": "+dialogText(it.Widget))
	}
	return strings.Join(out, "\n")
}

func TestOrgKitSectionImportsAKitAndShowsWhatItHolds(t *testing.T) {
	d := readingDeps(t, newFakeWeb())
	_, o := orgSettings(t, d)
	if !o.none.Visible() || o.info.Visible() {
		t.Fatal("with no kit the section does not say so")
	}
	o.ImportFile("kit.json", strings.NewReader(testKit))

	got := formText(o)
	for _, want := range []string{
		"Organization: Energiavirasto",
		"Received: Wed 2 Dec 2026 10:00 from kit.json",
		"Goals: • Energiamurros tutuksi",
		"Guidelines: Every post carries #energiavirasto\nWords to avoid: halpa*",
		"Hashtags: #energia #sähkö",
		"Feeds: • Energiavirasto",
		"Networks: LinkedIn, Bluesky",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the section shows\n%s\nwithout %q", got, want)
		}
	}
	if !strings.Contains(o.note.Text, "Imported the kit of Energiavirasto: 1 goals added") || !strings.HasSuffix(o.note.Text, "Feeds added to the reading list: 1.") {
		t.Errorf("note = %q", o.note.Text)
	}
	ctx := context.Background()
	if fs, err := d.Reading.Feeds(ctx); err != nil || len(fs) != 1 || fs[0].URL != "https://energiavirasto.fi/rss" || fs[0].Title != "Energiavirasto" {
		t.Errorf("the reading list after the kit: %+v, %v", fs, err)
	}
	if g, err := d.Store.Goal(ctx, "g-energy"); err != nil || g.Title != "Energiamurros tutuksi" {
		t.Errorf("the kit's goal: %+v, %v", g, err)
	}
	if st, _ := d.Store.Settings(ctx); st.Guidelines.Disclosure != "#energiavirasto" {
		t.Errorf("guidelines = %+v", st.Guidelines)
	}

	o.ImportFile("kit.json", strings.NewReader(testKit))
	if !strings.Contains(o.note.Text, "is in use already; nothing changed") {
		t.Errorf("the same kit again: %q", o.note.Text)
	}
}

func TestOrgKitSectionRefusesANewerOrBrokenKitAndWritesNothing(t *testing.T) {
	d := newDeps(t)
	w, o := orgSettings(t, d)
	cases := []struct{ kit, message string }{
		{strings.Replace(testKit, `"version":1`, `"version":2`, 1), "json was made by a newer Kaiku (kit version 2); update Kaiku to import it. Nothing was changed."},
		{testKit[:80], "json is not a Kaiku organization kit (it is not valid JSON"},
		{strings.Replace(testKit, `"energia"`, `"energia talous"`, 1), "json: hashtag 1"},
		{`{"format":"something-else","version":1}`, "json is not a Kaiku organization kit (its format"},
	}
	for _, c := range cases {
		o.ImportFile("kit.json", strings.NewReader(c.kit))
		top := w.Canvas().Overlays().Top()
		if top == nil {
			t.Fatalf("kit %q: no message", c.kit)
		}
		if got := dialogText(top); !strings.Contains(got, c.message) {
			t.Errorf("kit %.40q says %q, want %q", c.kit, got, c.message)
		}
		w.Canvas().Overlays().Remove(top)
	}
	ctx := context.Background()
	if _, err := d.Store.OrgKit(ctx); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("a refused kit was recorded: %v", err)
	}
	if gs, _ := d.Store.Goals(ctx); len(gs) != 0 {
		t.Errorf("a refused kit added goals: %+v", gs)
	}
	if !o.none.Visible() {
		t.Error("the section no longer says no kit is in use")
	}
}

func TestOrgKitSectionImportsFromAnAddress(t *testing.T) {
	d := newDeps(t)
	var asked []string
	down := false
	d.FetchKit = func(_ context.Context, address string) ([]byte, error) {
		asked = append(asked, address)
		if down {
			return nil, reading.ExplainFetch(&fetch.NetError{URL: address, Err: errors.New("network is unreachable")}, address, now)
		}
		return []byte(testKit), nil
	}
	w, o := orgSettings(t, d)
	if findButton(t, w.Settings(), "Import kit from an address…") == nil {
		t.Fatal("no import from an address")
	}
	down = true
	o.ImportAddress("https://energiavirasto.fi/kaiku-kit.json")
	if top := w.Canvas().Overlays().Top(); top == nil || !strings.Contains(dialogText(top), "The site could not be reached.") {
		t.Errorf("offline import said %v", top)
	} else {
		w.Canvas().Overlays().Remove(top)
	}
	down = false
	o.ImportAddress("https://energiavirasto.fi/kaiku-kit.json")
	if got := formText(o); !strings.Contains(got, "from https://energiavirasto.fi/kaiku-kit.json") {
		t.Errorf("the section shows\n%s", got)
	}
	o.ImportAddress("energiavirasto.fi kit")
	if len(asked) != 2 {
		t.Errorf("asked %q; a text that is no address must not be fetched", asked)
	}
}

func TestOrgKitSectionExportsAKit(t *testing.T) {
	d := newDeps(t)
	ctx := context.Background()
	if err := d.Store.SaveGoal(ctx, planner.Goal{ID: "g1", Title: "Kirjastot näkyviksi", Created: now, Updated: now}); err != nil {
		t.Fatal(err)
	}
	w, o := orgSettings(t, d)

	out := &memWriter{}
	o.Export("Kirjastoseura", out)
	kit, err := planner.ParseOrgKit(out.Bytes())
	if err != nil {
		t.Fatalf("the exported kit does not read back: %v\n%s", err, out.String())
	}
	if kit.Organization != "Kirjastoseura" || len(kit.Goals) != 1 || kit.Goals[0].Title != "Kirjastot näkyviksi" || !out.closed {
		t.Errorf("exported %+v (closed %v)", kit, out.closed)
	}
	if !strings.Contains(o.note.Text, "kaiku-feeds.opml") {
		t.Errorf("note = %q", o.note.Text)
	}

	empty := &memWriter{}
	o.Export("", empty)
	if top := w.Canvas().Overlays().Top(); top == nil || !strings.Contains(dialogText(top), "organization") || empty.Len() != 0 {
		t.Errorf("a kit without a name: %v, wrote %q", top, empty.String())
	}
}
