package assets_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"image"
	_ "image/png"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/kaiku-app/kaiku/assets"
)

func TestLanguagesHaveTheSameKeys(t *testing.T) {
	en, err := assets.Keys("en")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := assets.Keys("fi")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range en {
		if _, ok := fi[k]; !ok {
			t.Errorf("fi.json lacks %q", k)
		}
		if strings.TrimSpace(v) == "" {
			t.Errorf("en.json has an empty %q", k)
		}
	}
	for k, v := range fi {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
		if strings.TrimSpace(v) == "" {
			t.Errorf("fi.json has an empty %q", k)
		}
	}
	if en["lang.code"] != "en" || fi["lang.code"] != "fi" {
		t.Errorf("lang.code must name each file's language")
	}
}

// translators maps the project's translating functions to the index of
// their key argument.
var translators = map[string]int{"lang.X": 0, "lang.L": 0, "tr": 0, "usagef": 0, "userErrorf": 1}

// TestEveryKeyInCodeIsTranslated finds each literal key the code passes to a
// translating function and checks that both languages have it.
func TestEveryKeyInCodeIsTranslated(t *testing.T) {
	en, _ := assets.Keys("en")
	fi, _ := assets.Keys("fi")
	root := ".."
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok {
					name = x.Name + "." + fn.Sel.Name
				}
			}
			i, ok := translators[name]
			if !ok || len(call.Args) <= i {
				return true
			}
			lit, ok := call.Args[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			found++
			if _, ok := en[key]; !ok {
				t.Errorf("%s: key %q is not in en.json", fset.Position(lit.Pos()), key)
			}
			if _, ok := fi[key]; !ok {
				t.Errorf("%s: key %q is not in fi.json", fset.Position(lit.Pos()), key)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 20 {
		t.Fatalf("found only %d translated keys in the code; is the scan broken?", found)
	}
}

func TestIconIsAPNG(t *testing.T) {
	img, format, err := image.Decode(bytes.NewReader(assets.Icon.Content()))
	if err != nil || format != "png" {
		t.Fatalf("the icon is not a PNG: %s, %v", format, err)
	}
	if b := img.Bounds(); b.Dx() != 128 || b.Dy() != 128 {
		t.Errorf("the window icon is %v; 128×128 is plenty for a window manager and quick to load", b.Size())
	}
}

// The language can change back and forth once the translations are in.
func TestLanguageChangesBackAndForth(t *testing.T) {
	for _, code := range []string{"fi", "en", "fi", "en"} {
		if err := assets.LoadTranslations(code); err != nil {
			t.Fatal(err)
		}
		if got := assets.Current(); got != code {
			t.Errorf("after LoadTranslations(%q) the language is %q", code, got)
		}
		if got, want := lang.X("nav.week", ""), map[string]string{"fi": "Viikko", "en": "Week"}[code]; got != want {
			t.Errorf("in %s nav.week is %q, want %q", code, got, want)
		}
	}
}
