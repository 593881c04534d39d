package cmd

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// commsData is the communications person's own Kaiku: two goals, the
// guidelines, and personal things a kit must never carry.
const commsData = `{"format":"kaiku-export","version":1,
"posts":[{"id":"p1","text":"Henkilökohtainen luonnos","status":"draft","created":"2026-11-01T08:00:00Z","updated":"2026-11-01T08:00:00Z"}],
"goals":[{"id":"g-open-data","title":"Avoin data tutuksi","audiences":["media","peers"],"created":"2026-11-01T08:00:00Z","updated":"2026-11-01T08:00:00Z"},
         {"id":"g-transition","title":"Energiamurros ymmärrettäväksi","description":"Selitämme, emme myy.","created":"2026-11-01T08:00:00Z","updated":"2026-11-01T08:00:00Z"}],
"profile":{"primary":"advising","mix":{"own":50,"shared":30,"conversation":20},"scope":"work","weekly_minutes":90,"updated":"2026-11-01T08:00:00Z"},
"settings":{"language":"fi","time_zone":"Europe/Helsinki","reminder_minutes":15,"late_policy":"ask","guidelines":{"disclosure":"#energiavirasto","avoid_words":["halpa*"]}},
"accounts":[{"id":"a1","network":"x","handle":"@viestinta_tiina","status":"linked","created":"2026-11-01T08:00:00Z","updated":"2026-11-01T08:00:00Z"}]}`

// expertData is an expert's Kaiku with a goal of their own.
const expertData = `{"format":"kaiku-export","version":1,
"goals":[{"id":"mine","title":"Oma tutkimus näkyväksi","created":"2026-11-01T08:00:00Z","updated":"2026-11-01T08:00:00Z"}],
"settings":{"language":"en","reminder_minutes":10,"late_policy":"publish","guidelines":{"disclosure":"#own"}}}`

func importData(t *testing.T, data, doc string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "data.json")
	os.WriteFile(file, []byte(doc), 0o600)
	if code, _, errOut := kaiku(t, "--data", data, "import-json", file); code != 0 {
		t.Fatalf("import-json: %s", errOut)
	}
}

// exportWithoutStamp is export-json's output without its time stamp.
func exportWithoutStamp(t *testing.T, data string) string {
	t.Helper()
	code, out, errOut := kaiku(t, "--data", data, "export-json")
	if code != 0 {
		t.Fatalf("export-json: %s", errOut)
	}
	head, rest, _ := strings.Cut(out, "\n")
	head, _, _ = strings.Cut(head, `"exported"`)
	return head + rest
}

func TestOrgKitExportAndImport(t *testing.T) {
	dir := t.TempDir()
	comms, expert := filepath.Join(dir, "comms"), filepath.Join(dir, "expert")
	importData(t, comms, commsData)
	importData(t, expert, expertData)
	kitFile := filepath.Join(dir, "energiavirasto-kit.json")

	if code, _, errOut := kaiku(t, "--data", comms, "--lang", "en", "org", "export", "-o", kitFile); code != 2 || !strings.Contains(errOut, "--name") {
		t.Errorf("export without a name: %d %q", code, errOut)
	}
	code, _, errOut := kaiku(t, "--data", comms, "org", "export", "-o", kitFile, "--name", "Energiavirasto",
		"--hashtag", "energia", "--hashtag", "#avoindata", "--network", "linkedin", "--network", "bluesky")
	if code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	raw, _ := os.ReadFile(kitFile)
	var kit struct {
		Format, Organization string
		Version              int
		Goals                []struct{ ID, Title string }
		Guidelines           struct{ Disclosure string }
		Hashtags, Networks   []string
	}
	if err := json.Unmarshal(raw, &kit); err != nil {
		t.Fatal(err)
	}
	if kit.Format != "kaiku-org-kit" || kit.Version != 1 || kit.Organization != "Energiavirasto" || len(kit.Goals) != 2 ||
		kit.Goals[0].ID != "g-open-data" || kit.Guidelines.Disclosure != "#energiavirasto" ||
		strings.Join(kit.Hashtags, " ") != "#energia #avoindata" || strings.Join(kit.Networks, " ") != "linkedin bluesky" {
		t.Errorf("kit %+v", kit)
	}
	for _, personal := range []string{"Henkilökohtainen", "viestinta_tiina", "advising", "reminder_minutes", "Europe/Helsinki", `"fi"`} {
		if bytes.Contains(raw, []byte(personal)) {
			t.Errorf("the kit carries %q", personal)
		}
	}

	code, out, errOut := kaiku(t, "--data", expert, "--lang", "en", "org", "import", kitFile)
	if code != 0 || !strings.Contains(out, "2 goals added") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	after := exportWithoutStamp(t, expert)
	for _, want := range []string{`"id":"g-open-data"`, `"id":"g-transition"`, `"id":"mine"`, `"disclosure":"#energiavirasto"`, `"language":"en"`, `"org_kit":{"kit":{"format":"kaiku-org-kit"`} {
		if !strings.Contains(after, want) {
			t.Errorf("after the import the data lacks %s", want)
		}
	}
	if strings.Contains(after, "#own") {
		t.Error("the expert's old guidelines were not replaced")
	}

	code, out, _ = kaiku(t, "--data", expert, "--lang", "en", "org", "import", kitFile)
	if code != 0 || !strings.Contains(out, "already in use") {
		t.Errorf("second import: %d %q", code, out)
	}
	if again := exportWithoutStamp(t, expert); again != after {
		t.Errorf("the second import changed the data")
	}

	// Re-exported from the expert's Kaiku, the kit keeps its goal IDs and name.
	code, out, _ = kaiku(t, "--data", expert, "org", "export")
	if code != 0 || !strings.Contains(out, `"id": "g-open-data"`) || !strings.Contains(out, `"organization": "Energiavirasto"`) {
		t.Errorf("re-export: %d %s", code, out)
	}
}

// TestOrgKitRefusedChangesNothing: a newer, broken or foreign kit gets one
// clear line and leaves every byte of the data as it was.
func TestOrgKitRefusedChangesNothing(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "db")
	importData(t, data, expertData)
	before := exportWithoutStamp(t, data)
	good := `{"format":"kaiku-org-kit","version":1,"organization":"Energiavirasto","goals":[{"id":"k1","title":"A"},{"id":"k2","title":"B"}]}`
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o600)
		return p
	}
	for _, tc := range []struct {
		name, file, lang, want string
	}{
		{"newer", write("newer.json", strings.Replace(good, `"version":1`, `"version":2`, 1)), "en", "was made by a newer Kaiku (kit version 2)"},
		{"newer, Finnish", write("newer.json", strings.Replace(good, `"version":1`, `"version":2`, 1)), "fi", "on tehty uudemmalla Kaikulla"},
		{"a goal without a title", write("broken.json", strings.Replace(good, `"title":"B"`, `"title":""`, 1)), "en", `goal 2 (id "k2"): A goal needs a title. Nothing`},
		{"Finnish item", write("broken.json", strings.Replace(good, `"title":"B"`, `"title":""`, 1)), "fi", `tavoite 2 (id "k2")`},
		{"cut short", write("cut.json", good[:40]), "en", "is not a Kaiku organization kit"},
		{"an export", write("export.json", expertData), "en", "is not a Kaiku organization kit"},
		{"missing", filepath.Join(dir, "nothing.json"), "en", "cannot read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := kaiku(t, "--data", data, "--lang", tc.lang, "org", "import", tc.file)
			if code != 1 || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want one line with %q", code, out, errOut, tc.want)
			}
			if tc.name != "missing" && !strings.Contains(errOut, "Nothing was changed.") && !strings.Contains(errOut, "Mitään ei muutettu.") {
				t.Errorf("the message does not say nothing changed: %q", errOut)
			}
			if after := exportWithoutStamp(t, data); after != before {
				t.Errorf("the data changed")
			}
		})
	}
}

// TestOrgKitFromAnAddress, in a real process: the kit at an address is
// fetched and applied; while the window has the folder, the import waits
// for it with a clear message.
func TestOrgKitFromAnAddress(t *testing.T) {
	kit := `{"format":"kaiku-org-kit","version":1,"organization":"Energiavirasto","goals":[{"id":"k1","title":"Avoin data tutuksi"}],"hashtags":["#energia"]}`
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(kit))
	}))
	defer ts.Close()
	dir := t.TempDir()
	cmd := child(t, "main", "--data", dir, "--lang", "en", "org", "import", ts.URL+"/kit.json")
	out, err := cmd.Output()
	if err != nil || !strings.Contains(string(out), "1 goals added") {
		t.Fatalf("import: %v %q", err, out)
	}
	openApp(t, dir)
	cmd = child(t, "main", "--data", dir, "--lang", "en", "org", "import", ts.URL+"/kit.json")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Run(); err == nil || !strings.Contains(errOut.String(), "Kaiku is already open") {
		t.Errorf("with the window open: %v %q", err, errOut.String())
	}
}
