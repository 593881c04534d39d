package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/kaiku-app/kaiku"

// importRule is what one folder of Kaiku may import, as docs/ARCHITECTURE.md
// says: of Kaiku's own packages only those under may (a folder stands for
// itself and those below it), and none of the outside packages under never.
type importRule struct {
	may   []string
	never []string
}

// Outside packages that belong to one layer only.
const (
	fyne   = "fyne.io/fyne/v2"
	badger = "github.com/dgraph-io/badger"
	http   = "net/http"
)

// importRules names every folder of Kaiku: a folder the table does not name
// fails the test, so that a new package takes its place in the layers. The
// longest folder that holds a package wins.
var importRules = map[string]importRule{
	"":              {may: []string{"cmd"}},
	"cmd":           {may: []string{"accounts", "assets", "cmd", "fetch", "internal", "media", "planner", "reading", "storage", "ui"}},
	"cmd/autostart": {never: []string{fyne, badger}},
	"cmd/notify":    {never: []string{fyne, badger}},
	"cmd/instance":  {never: []string{fyne, badger}},
	"cmd/trayhost":  {never: []string{fyne, badger}},
	"ui":            {may: []string{"planner", "accounts", "media"}, never: []string{badger, http}},
	"planner":       {may: []string{"planner"}, never: []string{fyne, badger, http}},
	"accounts":      {may: []string{"accounts", "planner", "linkcard", "media"}, never: []string{fyne, badger}},
	// A Kaiku with linked accounts on stand-in servers, for tests: it keeps
	// them in a real store.
	"accounts/accountstest": {may: []string{"accounts", "planner", "linkcard", "media", "storage"}},
	"media":                 {may: []string{}, never: []string{fyne, badger, http}},
	"storage":               {may: []string{"planner"}, never: []string{fyne, http}},
	"fetch":                 {never: []string{fyne, badger}},
	"reading":               {may: []string{"planner", "fetch"}, never: []string{fyne, badger}},
	"linkcard":              {never: []string{fyne, badger}},
	"assets":                {may: []string{"internal"}, never: []string{badger, http}},
	"internal":              {never: []string{fyne, badger, http}},
	"scripts/perf/hello":    {},
}

// TestImportRules: each package imports only what its layer may, read from
// the source (every file, whatever its build tags, tests aside), so that
// the arrows of docs/ARCHITECTURE.md keep pointing one way.
func TestImportRules(t *testing.T) {
	imports := readImports(t)
	if len(imports) < 20 {
		t.Fatalf("found only %d packages", len(imports))
	}
	for pkg, imps := range imports {
		folder, rule, ok := ruleFor(pkg)
		if !ok {
			t.Errorf("%s is in no layer: give it a line in importRules and in docs/ARCHITECTURE.md", pkg)
			continue
		}
		for _, imp := range imps {
			if own, ok := strings.CutPrefix(imp, module+"/"); ok {
				if !slices.ContainsFunc(rule.may, func(m string) bool { return within(own, m) }) {
					t.Errorf("%s imports %s: the rule of %q allows %v", pkg, own, folder, rule.may)
				}
				continue
			}
			if imp == module {
				t.Errorf("%s imports the main package", pkg)
			}
			for _, n := range rule.never {
				if within(imp, n) {
					t.Errorf("%s imports %s, which the rule of %q forbids", pkg, imp, folder)
				}
			}
		}
	}
	// ui and planner stay clear of storage and the command line by any path.
	for pkg := range imports {
		if !within(pkg, "ui") && !within(pkg, "planner") {
			continue
		}
		for _, reached := range closure(imports, pkg) {
			if within(reached, "storage") || within(reached, "cmd") {
				t.Errorf("%s reaches %s through its imports", pkg, reached)
			}
		}
	}
}

// readImports reads the imports of every package of the module, by its
// folder relative to the module's root ("" for the root).
func readImports(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(src), "//go:build ignore") {
			return nil // a generator, run by hand
		}
		f, err := parser.ParseFile(fset, p, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(p))
		if pkg == "." {
			pkg = ""
		}
		if _, ok := out[pkg]; !ok {
			out[pkg] = nil
		}
		for _, s := range f.Imports {
			imp, _ := strconv.Unquote(s.Path.Value)
			if !slices.Contains(out[pkg], imp) {
				out[pkg] = append(out[pkg], imp)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ruleFor is the rule of the deepest folder in the table that holds pkg.
func ruleFor(pkg string) (string, importRule, bool) {
	for folder := pkg; ; folder = path.Dir(folder) {
		if folder == "." {
			folder = ""
		}
		if r, ok := importRules[folder]; ok && (folder != "" || pkg == "") {
			return folder, r, true
		}
		if folder == "" {
			return "", importRule{}, false
		}
	}
}

// within reports whether the package p is the folder dir or below it.
func within(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// closure lists the Kaiku packages pkg imports, directly or not.
func closure(imports map[string][]string, pkg string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		for _, imp := range imports[p] {
			if own, ok := strings.CutPrefix(imp, module+"/"); ok && !seen[own] {
				seen[own] = true
				walk(own)
			}
		}
	}
	walk(pkg)
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}
