package planner_test

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

func loadTranslations(t *testing.T) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, lang := range []string{"en", "fi"} {
		// The app's own translation files: planner emits keys, the app's
		// files must hold them (read by path; planner does not import assets).
		b, err := os.ReadFile("../assets/translations/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		out[lang] = m
	}
	return out
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

func TestTranslationsCoverEveryKey(t *testing.T) {
	tr := loadTranslations(t)
	keys := planner.TranslationKeys()
	if len(keys) < 200 {
		t.Fatalf("only %d keys", len(keys))
	}
	for _, k := range keys {
		for lang, m := range tr {
			v, ok := m[k]
			if !ok {
				t.Errorf("%s: missing %q", lang, k)
			} else if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %q is empty", lang, k)
			}
		}
		en, fi := tr["en"][k], tr["fi"][k]
		if !slices.Equal(placeholders(en), placeholders(fi)) {
			t.Errorf("%q: placeholders differ: en %v, fi %v", k, placeholders(en), placeholders(fi))
		}
		for lang, v := range map[string]string{"en": en, "fi": fi} {
			if _, err := template.New(k).Parse(v); err != nil {
				t.Errorf("%s %q: %v", lang, k, err)
			}
		}
	}
}

// Keys that appear as literals in the source (errors above all) must be listed.
func TestTranslationKeysListSourceLiterals(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	keys := planner.TranslationKeys()
	key := regexp.MustCompile(`^(error|check|review|recommend|purpose|postkind)\.[a-z0-9_.-]+[a-z0-9]$`)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !key.MatchString(s) {
				return true
			}
			// Prefixes that code completes ("review.note.mix_low" + ".write") are not keys themselves.
			if !slices.Contains(keys, s) && !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, s+".") }) {
				t.Errorf("%s: %q is not in TranslationKeys", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
}

// render fills a key's template with its data in both languages, as the app will.
func render(t *testing.T, tr map[string]map[string]string, key string, data map[string]any) {
	t.Helper()
	keys := planner.TranslationKeys()
	if !slices.Contains(keys, key) {
		t.Errorf("emitted key %q is not in TranslationKeys", key)
		return
	}
	for lang, m := range tr {
		tmpl, err := template.New(key).Option("missingkey=error").Parse(m[key])
		if err != nil {
			t.Errorf("%s %q: %v", lang, key, err)
			continue
		}
		var b strings.Builder
		if err := tmpl.Execute(&b, data); err != nil {
			t.Errorf("%s %q with %v: %v", lang, key, data, err)
		}
	}
}

func TestEmittedKeysRender(t *testing.T) {
	tr := loadTranslations(t)
	for _, ri := range planner.RoleCatalog() {
		for _, k := range append(append([]string{ri.NameKey, ri.DescKey}, ri.PostKindKeys...), ri.PromptKeys...) {
			render(t, tr, k, nil)
		}
	}
	for _, p := range planner.Purposes() {
		render(t, tr, planner.PurposeKey(p), nil)
	}
	for _, q := range planner.Questions() {
		render(t, tr, q.TextKey, nil)
		render(t, tr, q.HintKey, nil)
		for _, o := range q.Options {
			render(t, tr, o.TextKey, nil)
			render(t, tr, o.ReasonKey, map[string]any{"Points": 1})
		}
	}
	for _, a := range []planner.Answers{
		nil,
		{"colour": {"x"}, "time": {"30", "240"}, "production": {"own"}, "speed": {"eager"}, "debate": {"avoid"}, "freedom": {"unsure"}},
		{"natural": {"debate"}},
	} {
		rec := planner.RecommendRoles(a)
		for _, n := range rec.Notes {
			render(t, tr, n.Key, n.Data)
		}
		for _, s := range rec.Ranking {
			for _, r := range s.Reasons {
				render(t, tr, r.Key, r.Data)
			}
		}
	}
	for _, k := range planner.Checklist() {
		render(t, tr, k, nil)
	}
	g := planner.Guidelines{Disclosure: "#ad", AvoidWords: []string{"cheap"}}
	post := planner.Post{Text: "WE SHARE THE CONFIDENTIAL AND CHEAP PLAN!!!", Purpose: planner.PurposeShare,
		Variants: map[planner.Network]string{planner.NetworkX: "short"}}
	warnings := planner.Check(post, g)
	if len(warnings) < 7 {
		t.Errorf("expected every kind of warning, got %v", warnings)
	}
	for _, w := range warnings {
		render(t, tr, w.Key, w.Data)
	}
	for _, k := range planner.ReviewLabels() {
		render(t, tr, k, nil)
	}
	hel := mustLoad(t, "Europe/Helsinki")
	plan := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{slot("a", time.Monday, 9, 0, 300, planner.PurposeWrite)}}
	start := week1("2026-W49", hel)
	occ, _ := plan.Occurrences(start, start.AddDate(0, 0, 7), nil)
	at := start.Add(10 * time.Hour)
	posts := []planner.Post{
		{ID: "1", Status: planner.StatusPublished, Purpose: planner.PurposeShare, Time: at},
		{ID: "2", Status: planner.StatusPublished, Purpose: planner.PurposeShare, Time: at},
		{ID: "3", Status: planner.StatusPublished, Purpose: planner.PurposeShare, Time: at},
		{ID: "4", Status: planner.StatusFailed, Purpose: planner.PurposeShare, Time: at},
	}
	r := planner.Review(start, plan, occ, posts, []planner.Goal{{ID: "g", Title: "Goal"}},
		planner.RoleProfile{Mix: planner.ContentMix{Own: 50, Conversation: 50}, WeeklyMinutes: 60}, start.AddDate(0, 0, 7))
	if len(r.Notes) < 5 {
		t.Errorf("expected many review notes, got %v", r.Notes)
	}
	for _, n := range r.Notes {
		render(t, tr, n.Key, n.Data)
	}
	for _, p := range r.Purposes {
		render(t, tr, p.NameKey, nil)
	}
	_, err := planner.ParseISOWeek("2026-W54", nil)
	var ie *planner.InvalidError
	if !errors.As(err, &ie) {
		t.Fatal(err)
	}
	render(t, tr, ie.Key, nil)
}
